import { describe, expect, it } from 'vitest';
import { type NormalizedOptions, type NormalizedScenario, normalizeOptions } from './options.ts';

function normalized(raw: unknown): NormalizedOptions {
  const result = normalizeOptions(raw);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

function onlyScenario(raw: unknown): NormalizedScenario {
  const { scenarios } = normalized(raw);
  expect(scenarios).toHaveLength(1);
  const [scenario] = scenarios;
  if (scenario === undefined) throw new Error('no scenario');
  return scenario;
}

function errorOf(raw: unknown): string {
  const result = normalizeOptions(raw);
  if (result.ok) throw new Error('expected the options to be rejected');
  return result.error;
}

describe('k6 shortcut options', () => {
  it('runs one iteration on one VU when the script sets nothing', () => {
    expect(onlyScenario(undefined)).toMatchObject({ name: 'default', executor: 'per-vu-iterations', vus: 1, iterations: 1 });
  });

  it('turns vus and duration into a constant-vus scenario', () => {
    expect(onlyScenario({ vus: 10, duration: '30s' })).toEqual({
      name: 'default',
      executor: 'constant-vus',
      vus: 10,
      duration: 30_000,
      startTime: 0,
      gracefulStop: 30_000,
      exec: 'default',
      tags: {},
      env: {},
    });
  });

  it('turns iterations into shared-iterations, bounded by duration when given', () => {
    expect(onlyScenario({ iterations: 20, vus: 4 })).toMatchObject({
      executor: 'shared-iterations',
      vus: 4,
      iterations: 20,
      maxDuration: 600_000,
    });
    expect(onlyScenario({ iterations: 20, duration: '1m' })).toMatchObject({ executor: 'shared-iterations', vus: 1, maxDuration: 60_000 });
  });

  it('turns stages into ramping-vus starting from vus (1 by default)', () => {
    const stages = [{ duration: '10s', target: 5 }];
    expect(onlyScenario({ stages })).toMatchObject({ executor: 'ramping-vus', startVUs: 1, gracefulRampDown: 30_000 });
    expect(onlyScenario({ stages, vus: 3 })).toMatchObject({ startVUs: 3, stages: [{ duration: 10_000, target: 5 }] });
  });

  it('shares vus iterations among vus when only vus is set, as current k6 does', () => {
    expect(onlyScenario({ vus: 3 })).toMatchObject({ executor: 'shared-iterations', vus: 3, iterations: 3 });
  });

  it('refuses conflicting shortcuts with k6 wording', () => {
    const stages = [{ duration: '10s', target: 5 }];
    const scenarios = { a: { executor: 'constant-vus', duration: '10s' } };
    expect(errorOf({ stages, scenarios })).toBe('using `stages` and `scenarios` options simultaneously is not allowed');
    expect(errorOf({ duration: '10s', stages })).toBe('using `duration` and `stages` options simultaneously is not allowed');
    expect(errorOf({ iterations: 5, scenarios })).toBe('using `iterations` and `scenarios` options simultaneously is not allowed');
    expect(errorOf({ duration: '10s', scenarios: {} })).toBe('using `duration` and `scenarios` options simultaneously is not allowed');
    expect(errorOf({ duration: 0 })).toContain('`duration` option should be more than 0');
  });

  it('warns when empty stages or scenarios fall back to one iteration', () => {
    expect(normalized({ stages: [] }).warnings).toEqual([
      '`stages` was explicitly set to an empty value, running the script with 1 iteration in 1 VU',
    ]);
    expect(normalized({ vus: 5, scenarios: { a: { executor: 'constant-vus', duration: '10s' } } }).warnings).toHaveLength(1);
  });
});

describe('k6 scenarios', () => {
  it("applies k6's defaults to every executor", () => {
    const { scenarios } = normalized({
      scenarios: {
        shared: { executor: 'shared-iterations' },
        perVU: { executor: 'per-vu-iterations' },
        rampingVUs: { executor: 'ramping-vus', stages: [{ duration: '1m', target: 10 }] },
        constantRate: { executor: 'constant-arrival-rate', rate: 5, duration: '1m', preAllocatedVUs: 10 },
        rampingRate: { executor: 'ramping-arrival-rate', preAllocatedVUs: 2, maxVUs: 50, stages: [{ duration: '1m', target: 10 }] },
      },
    });
    const byName = Object.fromEntries(scenarios.map((scenario) => [scenario.name, scenario]));
    expect(byName['shared']).toMatchObject({ vus: 1, iterations: 1, maxDuration: 600_000, gracefulStop: 30_000, exec: 'default' });
    expect(byName['perVU']).toMatchObject({ vus: 1, iterations: 1, maxDuration: 600_000 });
    expect(byName['rampingVUs']).toMatchObject({ startVUs: 1, gracefulRampDown: 30_000 });
    expect(byName['constantRate']).toMatchObject({ timeUnit: 1000, maxVUs: 10 });
    expect(byName['rampingRate']).toMatchObject({ startRate: 0, timeUnit: 1000, preAllocatedVUs: 2, maxVUs: 50 });
  });

  it('orders scenarios by start time, then by name, as k6 starts them', () => {
    const { scenarios } = normalized({
      scenarios: {
        late: { executor: 'constant-vus', duration: '10s', startTime: '30s' },
        b: { executor: 'constant-vus', duration: '10s' },
        a: { executor: 'constant-vus', duration: '10s', exec: 'browse', tags: { flow: 'a' }, env: { BASE: 'x' } },
      },
    });
    expect(scenarios.map((scenario) => scenario.name)).toEqual(['a', 'b', 'late']);
    expect(scenarios[0]).toMatchObject({ exec: 'browse', tags: { flow: 'a' }, env: { BASE: 'x' } });
    expect(scenarios[2]?.startTime).toBe(30_000);
  });

  it("reports k6's validation errors with the scenario's name", () => {
    expect(errorOf({ scenarios: { quick: { executor: 'constant-vus', duration: '500ms' } } })).toBe(
      'scenario "quick": the duration must be at least 1s, but is 500ms',
    );
    expect(errorOf({ scenarios: { s: { executor: 'shared-iterations', vus: 10, iterations: 5 } } })).toBe(
      'scenario "s": the number of iterations (5) can\'t be less than the number of VUs (10)',
    );
    expect(
      errorOf({ scenarios: { r: { executor: 'constant-arrival-rate', rate: 0, duration: '1m', preAllocatedVUs: 5, maxVUs: 2 } } }),
    ).toBe('scenario "r": the iteration rate must be more than 0; scenario "r": maxVUs can\'t be less than preAllocatedVUs');
    expect(errorOf({ scenarios: { z: { executor: 'ramping-vus', startVUs: 0, stages: [{ duration: '1m', target: 0 }] } } })).toContain(
      "either startVUs or one of the stages' target values must be greater than 0",
    );
    expect(errorOf({ scenarios: { z: { executor: 'ramping-arrival-rate', preAllocatedVUs: 1, stages: [] } } })).toContain(
      'at least one stage has to be specified',
    );
  });

  it('explains wrongly typed values with their path', () => {
    expect(errorOf({ scenarios: { checkout: { executor: 'constant-arrival-rate', rate: 1.5, duration: '1m', preAllocatedVUs: 2 } } })).toBe(
      'scenarios.checkout.rate: must be a whole number',
    );
    expect(errorOf({ scenarios: { checkout: { executor: 'constant-arrival-rate', rate: 1, preAllocatedVUs: 2 } } })).toBe(
      'scenarios.checkout.duration: is required',
    );
    expect(errorOf({ duration: '30 seconds' })).toContain('duration: invalid duration "30 seconds"');
    expect(errorOf({ stages: [{ duration: '10s', target: 5, ramp: 'linear' }] })).toBe('unknown field "ramp" in stages[0]');
    expect(errorOf({ summaryTrendStats: ['avg', 'p95'] })).toContain("invalid trend stat 'p95'");
    expect(errorOf(['vus'])).toBe('`options` must be an object');
  });
});

describe('unknown names in options', () => {
  it('names an unknown option and suggests the closest one', () => {
    expect(errorOf({ durration: '10s' })).toBe('unknown option "durration" (did you mean "duration"?)');
    expect(errorOf({ treshold: {} })).toBe('unknown option "treshold" (did you mean "thresholds"?)');
    expect(errorOf({ hosts: { 'test.k6.io': '1.2.3.4' } })).toBe('option "hosts" is a k6 option the simulator does not support');
  });

  it('names an unknown executor and the scenario it is in', () => {
    expect(errorOf({ scenarios: { checkout: { executor: 'constant-arival-rate', rate: 1 } } })).toBe(
      'unknown executor "constant-arival-rate" in scenario "checkout" (did you mean "constant-arrival-rate"?)',
    );
    expect(errorOf({ scenarios: { manual: { executor: 'externally-controlled' } } })).toContain('the simulator does not support it');
    expect(errorOf({ scenarios: { checkout: { rate: 1 } } })).toContain('scenario "checkout" has no executor');
  });

  it('names an unknown executor field, with the executor it does not belong to', () => {
    expect(errorOf({ scenarios: { browse: { executor: 'constant-vus', vus: 5, duration: '1m', maxVUs: 10 } } })).toBe(
      'unknown field "maxVUs" in scenario "browse" (executor "constant-vus")',
    );
    expect(
      errorOf({ scenarios: { c: { executor: 'constant-arrival-rate', rate: 1, duration: '1m', preAllocatedVUs: 2, timUnit: '1s' } } }),
    ).toBe('unknown field "timUnit" in scenario "c" (executor "constant-arrival-rate") (did you mean "timeUnit"?)');
    expect(errorOf({ scenarios: { 'check out': { executor: 'constant-vus', duration: '1m' } } })).toContain(
      'scenario name "check out" may only contain',
    );
  });
});

describe('other options', () => {
  it('normalises thresholds and fills in the global defaults', () => {
    const options = normalized({
      vus: 1,
      duration: '10s',
      thresholds: { http_req_failed: ['rate<0.01', { threshold: 'rate<0.1', abortOnFail: true, delayAbortEval: '10s' }] },
      summaryTrendStats: ['avg', 'p(99.9)', 'count'],
    });
    expect(options.thresholds).toEqual({
      http_req_failed: [
        { threshold: 'rate<0.01', abortOnFail: false },
        { threshold: 'rate<0.1', abortOnFail: true, delayAbortEval: 10_000 },
      ],
    });
    expect(options).toMatchObject({
      summaryTrendStats: ['avg', 'p(99.9)', 'count'],
      setupTimeout: 60_000,
      teardownTimeout: 60_000,
      noConnectionReuse: false,
      discardResponseBodies: false,
      insecureSkipTLSVerify: false,
      tags: {},
    });
    expect(normalized({}).summaryTrendStats).toEqual(['avg', 'min', 'med', 'max', 'p(90)', 'p(95)']);
  });
});
