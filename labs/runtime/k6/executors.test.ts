import { describe, expect, it } from 'vitest';
import { createRandom } from '../simulator/random.ts';
import {
  arrivalRateAt,
  arrivalTimes,
  countArrivals,
  executionRequirements,
  iterationVUs,
  MAX_PLANNED_ARRIVALS,
  maxPlannedVUs,
  maxPossibleVUs,
  rampingVUsGracefulSteps,
  rampingVUsSteps,
  scenarioWindow,
  totalIterations,
  vuTarget,
} from './executors.ts';
import { type NormalizedScenario, normalizeOptions } from './options.ts';

function scenarioFrom(config: Record<string, unknown>): NormalizedScenario {
  const result = normalizeOptions({ scenarios: { test: config } });
  if (!result.ok) throw new Error(result.error);
  const [scenario] = result.value.scenarios;
  if (scenario === undefined) throw new Error('no scenario');
  return scenario;
}

type ScenarioWith<E extends NormalizedScenario['executor']> = Extract<NormalizedScenario, { executor: E }>;

function hasExecutor<E extends NormalizedScenario['executor']>(scenario: NormalizedScenario, executor: E): scenario is ScenarioWith<E> {
  return scenario.executor === executor;
}

function scenarioOf<E extends NormalizedScenario['executor']>(executor: E, config: Record<string, unknown>): ScenarioWith<E> {
  const scenario = scenarioFrom({ executor, ...config });
  if (!hasExecutor(scenario, executor)) throw new Error('wrong executor');
  return scenario;
}

function seededRandom(seed: number): () => number {
  const random = createRandom(seed);
  return () => random.next();
}

const seconds = (values: number[]): { offset: number; vus: number }[] =>
  values.reduce<{ offset: number; vus: number }[]>((steps, value, index) => {
    if (index % 2 === 0) steps.push({ offset: value * 1000, vus: values[index + 1] ?? -1 });
    return steps;
  }, []);

// k6's own TestRampingVUsConfigExecutionPlanExample (lib/executor/ramping_vus_test.go).
const K6_EXAMPLE_STAGES = [
  { target: 6, duration: '2s' },
  { target: 1, duration: '5s' },
  { target: 5, duration: '4s' },
  { target: 1, duration: '4s' },
  { target: 4, duration: '3s' },
  { target: 4, duration: '2s' },
  { target: 1, duration: '0s' },
  { target: 1, duration: '3s' },
];
const K6_EXAMPLE_RAW_STEPS = seconds([
  0, 4, 1, 5, 2, 6, 3, 5, 4, 4, 5, 3, 6, 2, 7, 1, 8, 2, 9, 3, 10, 4, 11, 5, 12, 4, 13, 3, 14, 2, 15, 1, 16, 2, 17, 3, 18, 4, 20, 1,
]);

describe('constant-arrival-rate', () => {
  it('starts iteration i at i × timeUnit / rate, before the end', () => {
    const scenario = scenarioOf('constant-arrival-rate', { rate: 10, duration: '1s', preAllocatedVUs: 5 });
    expect(arrivalTimes(scenario)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
    expect(countArrivals(scenario)).toBe(10);
  });

  it('spreads rates that do not divide the time unit exactly', () => {
    const scenario = scenarioOf('constant-arrival-rate', { rate: 3, duration: '2s', preAllocatedVUs: 1 });
    expect(arrivalTimes(scenario)).toEqual([0, 1000 / 3, 2000 / 3, 1000, 4000 / 3, 5000 / 3]);
    const perMinute = scenarioOf('constant-arrival-rate', { rate: 90, timeUnit: '1m', duration: '2m', preAllocatedVUs: 1 });
    const times = arrivalTimes(perMinute);
    expect(times).toHaveLength(180);
    expect(times[179]).toBe((179 * 60_000) / 90);
    expect(countArrivals(perMinute)).toBe(180);
  });

  it('refuses to plan a runaway number of arrivals', () => {
    const scenario = scenarioOf('constant-arrival-rate', { rate: 100_000, duration: '1h', preAllocatedVUs: 1 });
    expect(countArrivals(scenario)).toBeGreaterThan(MAX_PLANNED_ARRIVALS);
    expect(() => arrivalTimes(scenario)).toThrow('lower the rate or the duration');
  });
});

describe('ramping-arrival-rate', () => {
  it('starts iteration n when the area under the rate reaches n, including the end', () => {
    const scenario = scenarioOf('ramping-arrival-rate', {
      startRate: 0,
      preAllocatedVUs: 2,
      stages: [
        { duration: '4s', target: 2 },
        { duration: '2s', target: 2 },
        { duration: '2s', target: 0 },
      ],
    });
    const times = arrivalTimes(scenario);
    // Ramp 0→2/s over 4s: area t²/4 reaches n at 2·√n s. Then 2/s. Then 2→0/s: area 2t − t²/2.
    const expected = [2000, 2000 * Math.SQRT2, 2000 * Math.sqrt(3), 4000, 4500, 5000, 5500, 6000, 6000 + 1000 * (2 - Math.SQRT2), 8000];
    expect(times).toHaveLength(expected.length);
    for (const [index, time] of times.entries()) expect(time).toBeCloseTo(expected[index] ?? Number.NaN, 9);
    expect([times[0], times[3], times[4], times[7], times[9]]).toEqual([2000, 4000, 4500, 6000, 8000]);
    expect(countArrivals(scenario)).toBe(10);
  });

  it('matches a constant rate shifted by one period when the rate does not change', () => {
    const scenario = scenarioOf('ramping-arrival-rate', { startRate: 10, preAllocatedVUs: 1, stages: [{ duration: '1s', target: 10 }] });
    expect(arrivalTimes(scenario)).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
  });

  it('integrates any linear profile exactly', () => {
    const random = seededRandom(7);
    for (let run = 0; run < 50; run++) {
      const stages = Array.from({ length: 1 + Math.floor(random() * 5) }, () => ({
        duration: `${Math.floor(random() * 20_000)}ms`,
        target: Math.floor(random() * 50),
      }));
      const timeUnit = ['1s', '100ms', '1m'][Math.floor(random() * 3)] ?? '1s';
      const scenario = scenarioOf('ramping-arrival-rate', { startRate: Math.floor(random() * 50), timeUnit, preAllocatedVUs: 1, stages });
      const area = (t: number): number => {
        // Trapezoids up to t, in iterations.
        let total = 0;
        let start = 0;
        let from = scenario.startRate;
        for (const stage of scenario.stages) {
          const end = start + stage.duration;
          if (t >= end) total += ((from + stage.target) / 2) * stage.duration;
          else if (t > start) total += ((from + arrivalRateAt(scenario, t)) / 2) * (t - start);
          start = end;
          from = stage.target;
        }
        return total / scenario.timeUnit;
      };
      const times = arrivalTimes(scenario);
      expect(times).toHaveLength(countArrivals(scenario));
      const worstAreaError = Math.max(0, ...times.map((time, index) => Math.abs(area(time) - (index + 1))));
      expect(worstAreaError).toBeLessThan(1e-6);
      expect(times.every((time, index) => index === 0 || time >= (times[index - 1] ?? 0))).toBe(true);
      expect(Math.floor(area(scenarioWindow(scenario).end) + 1e-9)).toBe(times.length);
    }
  });
});

describe('ramping-vus', () => {
  it("reproduces k6's raw execution steps for its own example", () => {
    const scenario = scenarioOf('ramping-vus', { startVUs: 4, stages: K6_EXAMPLE_STAGES });
    expect(rampingVUsSteps(scenario)).toEqual([...K6_EXAMPLE_RAW_STEPS, { offset: 23_000, vus: 0 }]);
  });

  it("reserves VUs for graceful ramp-down like k6's execution requirements", () => {
    const withStop = (gracefulStop: string, gracefulRampDown = '30s') =>
      rampingVUsGracefulSteps(scenarioOf('ramping-vus', { startVUs: 4, stages: K6_EXAMPLE_STAGES, gracefulStop, gracefulRampDown }));
    expect(withStop('30s')).toEqual(seconds([0, 4, 1, 5, 2, 6, 33, 5, 42, 4, 50, 1, 53, 0]));
    expect(withStop('80s')).toEqual(seconds([0, 4, 1, 5, 2, 6, 33, 5, 42, 4, 50, 1, 103, 0]));
    expect(withStop('3s')).toEqual(seconds([0, 4, 1, 5, 2, 6, 26, 0]));
    expect(withStop('0s')).toEqual(seconds([0, 4, 1, 5, 2, 6, 23, 0]));
    expect(withStop('0s', '0s')).toEqual([...K6_EXAMPLE_RAW_STEPS, { offset: 23_000, vus: 0 }]);
  });

  it("follows k6's steps through instant jumps and drops to zero", () => {
    const scenario = scenarioOf('ramping-vus', {
      startVUs: 4,
      stages: [
        ...K6_EXAMPLE_STAGES,
        { target: 5, duration: '0s' },
        { target: 5, duration: '3s' },
        { target: 0, duration: '0s' },
        { target: 2, duration: '2s' },
        { target: 0, duration: '2s' },
        { target: 4, duration: '4s' },
      ],
    });
    // k6's TestRampingVUsExecutionTupleTests, whole execution segment.
    const expected = [...K6_EXAMPLE_RAW_STEPS, ...seconds([23, 5, 26, 0, 27, 1, 28, 2, 29, 1, 30, 0, 31, 1, 32, 2, 33, 3, 34, 4])];
    expect(rampingVUsSteps(scenario)).toEqual([...expected, { offset: 34_000, vus: 0 }]);
  });

  it('rounds the VU count down on ramp-ups and up on ramp-downs', () => {
    const scenario = scenarioOf('ramping-vus', {
      startVUs: 0,
      stages: [
        { duration: '10s', target: 10 },
        { duration: '5s', target: 10 },
        { duration: '3s', target: 0 },
      ],
    });
    expect([0, 999, 1000, 9999, 10_000, 14_999].map((t) => vuTarget(scenario, t))).toEqual([0, 0, 1, 9, 10, 10]);
    // 10 → 0 over 3s: a VU leaves every 300ms, only once the ramp has passed the next integer.
    expect([15_000, 15_299, 15_300, 17_699, 17_700, 17_999, 18_000].map((t) => vuTarget(scenario, t))).toEqual([10, 10, 9, 2, 1, 1, 0]);
    expect(vuTarget(scenario, -1)).toBe(0);
  });

  it('agrees with its own step list at every millisecond', () => {
    const scenario = scenarioOf('ramping-vus', { startVUs: 4, stages: K6_EXAMPLE_STAGES });
    const steps = rampingVUsSteps(scenario);
    for (let t = 0; t < 24_000; t += 7) {
      const current = steps.filter((step) => step.offset <= t).at(-1);
      expect(vuTarget(scenario, t)).toBe(current?.vus);
    }
  });
});

describe('VU and iteration executors', () => {
  it('keeps constant-vus at its VU count for exactly its duration', () => {
    const scenario = scenarioOf('constant-vus', { vus: 7, duration: '30s' });
    expect([-1, 0, 29_999, 30_000].map((t) => vuTarget(scenario, t))).toEqual([0, 7, 7, 0]);
  });

  it('counts shared and per-VU iterations', () => {
    const shared = scenarioOf('shared-iterations', { vus: 5, iterations: 100 });
    const perVU = scenarioOf('per-vu-iterations', { vus: 5, iterations: 100 });
    expect([totalIterations(shared), iterationVUs(shared)]).toEqual([100, 5]);
    expect([totalIterations(perVU), iterationVUs(perVU)]).toEqual([500, 5]);
  });

  it('places every executor in time from its startTime, duration and gracefulStop', () => {
    expect(scenarioWindow(scenarioFrom({ executor: 'constant-vus', duration: '1m', startTime: '30s' }))).toEqual({
      start: 30_000,
      end: 90_000,
      gracefulEnd: 120_000,
    });
    expect(scenarioWindow(scenarioFrom({ executor: 'per-vu-iterations', maxDuration: '2m', gracefulStop: '0s' }))).toEqual({
      start: 0,
      end: 120_000,
      gracefulEnd: 120_000,
    });
    expect(
      scenarioWindow(
        scenarioFrom({
          executor: 'ramping-arrival-rate',
          preAllocatedVUs: 1,
          stages: [
            { duration: '1m', target: 5 },
            { duration: '30s', target: 0 },
          ],
        }),
      ),
    ).toEqual({ start: 0, end: 90_000, gracefulEnd: 120_000 });
  });
});

describe('execution plan', () => {
  it('reuses VUs between scenarios that do not overlap, counting graceful stops', () => {
    const first = scenarioFrom({ executor: 'constant-vus', vus: 10, duration: '1m' });
    const after = scenarioFrom({ executor: 'constant-vus', vus: 5, duration: '1m', startTime: '2m' });
    const overlapping = scenarioFrom({ executor: 'constant-vus', vus: 5, duration: '1m', startTime: '1m' });
    expect(maxPlannedVUs([first, after])).toBe(10);
    expect(maxPlannedVUs([first, overlapping])).toBe(15);
  });

  it('adds the VUs arrival-rate scenarios may allocate during the run', () => {
    const rate = scenarioFrom({ executor: 'constant-arrival-rate', rate: 10, duration: '1m', preAllocatedVUs: 5, maxVUs: 20 });
    expect(executionRequirements(rate)).toEqual([
      { offset: 0, plannedVUs: 5, maxUnplannedVUs: 15 },
      { offset: 90_000, plannedVUs: 0, maxUnplannedVUs: 0 },
    ]);
    expect([maxPlannedVUs([rate]), maxPossibleVUs([rate])]).toEqual([5, 20]);
  });
});
