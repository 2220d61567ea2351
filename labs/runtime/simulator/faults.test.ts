import { describe, expect, it } from 'vitest';
import { DependencySlowdown, PauseTimeline, regressionFactor } from './faults.ts';
import type { Fault } from './service.ts';

describe('PauseTimeline', () => {
  const timeline = new PauseTimeline([
    { kind: 'pause', fromMs: 30, toMs: 40 },
    { kind: 'pause', fromMs: 10, toMs: 20 },
    { kind: 'pause', fromMs: 15, toMs: 25 },
  ]);

  it('moves a time inside a pause to its end, merging overlapping pauses', () => {
    expect(timeline.firstActive(5)).toBe(5);
    expect(timeline.firstActive(10)).toBe(25);
    expect(timeline.firstActive(22)).toBe(25);
    expect(timeline.firstActive(25)).toBe(25);
    expect(timeline.firstActive(39.5)).toBe(40);
  });

  it('stretches work by the pauses it overlaps', () => {
    expect(timeline.advance(0, 5)).toBe(5);
    expect(timeline.advance(5, 9)).toBe(29);
    expect(timeline.advance(5, 11)).toBe(41);
    expect(timeline.advance(12, 1)).toBe(26);
    expect(timeline.advance(50, 3)).toBe(53);
  });

  it('finishes work that would end as a pause begins only when the pause is over', () => {
    expect(timeline.advance(0, 10)).toBe(25);
    expect(timeline.advance(5, 10)).toBe(40);
  });
});

describe('fault factors', () => {
  const faults: Fault[] = [
    { kind: 'slow-dependency', fromMs: 0, toMs: 100, factor: 2 },
    { kind: 'slow-dependency', fromMs: 50, toMs: 60, factor: 3 },
    { kind: 'regression', factor: 1.5 },
    { kind: 'regression', endpoint: '/search', factor: 2 },
  ];

  it('multiplies overlapping slow-dependency windows, start inclusive and end exclusive', () => {
    const slowdown = new DependencySlowdown(faults);

    expect(slowdown.factorAt(0)).toBe(2);
    expect(slowdown.factorAt(55)).toBe(6);
    expect(slowdown.factorAt(100)).toBe(1);
  });

  it('applies run-wide regressions to every endpoint and named ones to theirs', () => {
    expect(regressionFactor(faults, '/search')).toBe(3);
    expect(regressionFactor(faults, '/cart')).toBe(1.5);
  });
});
