import { describe, expect, it } from 'vitest';
import {
  describeError,
  formatDuration,
  formatLabels,
  formatSample,
  formatTime,
  GRAPH_POINTS,
  graphStep,
  timeTick,
} from './query-format.ts';

describe('how the SLO workbench writes results', () => {
  it('writes series as Prometheus does: name first, labels sorted and quoted', () => {
    expect(formatLabels({ __name__: 'http_requests_total', route: '/cart', code: '200' })).toBe(
      'http_requests_total{code="200", route="/cart"}',
    );
    expect(formatLabels({ route: 'a"b' })).toBe('{route="a\\"b"}');
    expect(formatLabels({ __name__: 'up' })).toBe('up');
    expect(formatLabels({})).toBe('{}');
  });

  it('writes samples with up to 12 significant digits, and NaN and infinities by name', () => {
    expect(formatSample(0.1 + 0.2)).toBe('0.3');
    expect(formatSample(1234)).toBe('1234');
    expect(formatSample(0.000123456789012345)).toBe('0.000123456789012');
    expect(formatSample('NaN')).toBe('NaN');
    expect(formatSample('+Inf')).toBe('+Inf');
  });

  it('writes times in UTC and errors with their position', () => {
    expect(formatTime(Date.UTC(2026, 10, 1, 12, 30))).toBe('2026-11-01 12:30:00 UTC');
    expect(describeError({ message: 'unexpected ")"', line: 1, column: 7 })).toBe('Line 1, column 7: unexpected ")"');
    expect(describeError({ message: 'query timed out' })).toBe('query timed out');
  });

  it('labels the time axis in UTC on a 24-hour clock, with the date at midnight and for day steps', () => {
    const at = (h: number, m = 0) => Date.UTC(2026, 10, 24, h, m) / 1000;
    expect(timeTick(at(13, 30), 1800)).toBe('13:30');
    expect(timeTick(at(0), 3600)).toBe('11-24');
    expect(timeTick(at(12), 86_400)).toBe('11-24');
  });

  it('writes durations the way an on-call engineer says them', () => {
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(90_000)).toBe('2 min');
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000)).toBe('2 h 5 min');
    expect(formatDuration(3 * 86_400_000)).toBe('3 d');
  });

  it('graphs a range in whole scrape intervals, never more points than it aims for', () => {
    expect(graphStep(3_600_000, 15_000)).toBe(15_000);
    const week = 7 * 86_400_000;
    const step = graphStep(week, 15_000);
    expect(step % 15_000).toBe(0);
    expect(week / step).toBeLessThanOrEqual(GRAPH_POINTS);
    expect(week / (step - 15_000)).toBeGreaterThan(GRAPH_POINTS);
  });
});
