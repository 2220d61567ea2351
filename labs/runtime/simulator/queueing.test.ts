import { describe, expect, it } from 'vitest';
import { erlangC, mm1MeanResponseTime, mmcMeanResponseTime, mmcMeanWaitingTime } from './queueing.ts';

/** Erlang C from its textbook definition with factorials, to check the recurrence against. */
function erlangCFromDefinition(c: number, load: number): number {
  let term = 1;
  let sum = 0;
  for (let k = 0; k < c; k++) {
    sum += term;
    term = (term * load) / (k + 1);
  }
  const waiting = term * (c / (c - load));
  return waiting / (sum + waiting);
}

describe('queueing formulas', () => {
  it('gives the M/M/1 mean response time 1/(μ − λ)', () => {
    expect(mm1MeanResponseTime(0.7, 1)).toBeCloseTo(1 / 0.3, 12);
    expect(mm1MeanResponseTime(0, 2)).toBe(0.5);
  });

  it('gives the utilisation as the probability of waiting for one server', () => {
    expect(erlangC(1, 0.7, 1)).toBeCloseTo(0.7, 12);
    expect(mmcMeanResponseTime(1, 0.7, 1)).toBeCloseTo(mm1MeanResponseTime(0.7, 1), 12);
  });

  it('agrees with the factorial definition of Erlang C', () => {
    for (const [c, load] of [
      [2, 1.5],
      [4, 3.2],
      [16, 12],
      [50, 45],
    ] as const) {
      expect(erlangC(c, load, 1)).toBeCloseTo(erlangCFromDefinition(c, load), 10);
    }
  });

  it('matches a published M/M/c example', () => {
    // 4 agents, λ = 3 per minute, mean service 1 minute: P(wait) ≈ 0.5094, Wq ≈ 0.5094 minutes.
    expect(erlangC(4, 3, 1)).toBeCloseTo(0.5094, 4);
    expect(mmcMeanWaitingTime(4, 3, 1)).toBeCloseTo(0.5094, 4);
    expect(mmcMeanResponseTime(4, 3, 1)).toBeCloseTo(1.5094, 4);
  });

  it('reports an unstable queue as always waiting, for ever', () => {
    expect(erlangC(2, 2, 1)).toBe(1);
    expect(mmcMeanWaitingTime(2, 3, 1)).toBe(Number.POSITIVE_INFINITY);
    expect(mm1MeanResponseTime(1, 1)).toBe(Number.POSITIVE_INFINITY);
  });

  it('rejects impossible parameters with a readable message', () => {
    expect(() => erlangC(0, 1, 1)).toThrow('The number of servers c must be a whole number ≥ 1, got 0.');
    expect(() => mm1MeanResponseTime(-1, 1)).toThrow('The arrival rate λ must be a finite number ≥ 0, got -1.');
    expect(() => mmcMeanResponseTime(2, 1, 0)).toThrow('The service rate μ must be a finite number > 0, got 0.');
  });
});
