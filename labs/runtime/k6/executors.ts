// Pure schedule planners for k6's executors: when iterations arrive, how many VUs a scenario wants
// at a moment, and when it ends. All times are milliseconds relative to the scenario's start
// unless a name says otherwise; every result is exact for whole-millisecond inputs.
import { K6OptionError } from './errors.ts';
import type { NormalizedScenario, Scenario, ScenarioOf, Stage } from './options.ts';

export type ArrivalRateScenario = ScenarioOf<'constant-arrival-rate' | 'ramping-arrival-rate'>;
export type VUsScenario = ScenarioOf<'constant-vus' | 'ramping-vus'>;
export type IterationsScenario = ScenarioOf<'shared-iterations' | 'per-vu-iterations'>;

/** A moment at which a scenario's VU count changes. */
export type VUStep = { offset: number; vus: number };

/** k6's ExecutionStep: VUs to have initialised from `offset` on. */
export type ExecutionStep = { offset: number; plannedVUs: number; maxUnplannedVUs: number };

/** Arrival lists are materialised, so a runaway rate must fail readably instead of exhausting memory. */
export const MAX_PLANNED_ARRIVALS = 5_000_000;

function sumStageDurations(stages: readonly Stage[]): number {
  let total = 0;
  for (const stage of stages) total += stage.duration;
  return total;
}

/** How long the scenario starts iterations (its maxDuration for the iteration-based executors). */
export function scenarioDuration(scenario: Scenario): number {
  switch (scenario.executor) {
    case 'shared-iterations':
    case 'per-vu-iterations':
      return scenario.maxDuration;
    case 'constant-vus':
    case 'constant-arrival-rate':
      return scenario.duration;
    case 'ramping-vus':
    case 'ramping-arrival-rate':
      return sumStageDurations(scenario.stages);
  }
}

/**
 * Test-relative times: `start` (startTime), `end` (no new iterations from then on) and
 * `gracefulEnd` (running iterations are interrupted). Iteration-based scenarios may finish
 * before `end` once their iterations are done.
 */
export function scenarioWindow(scenario: Scenario): { start: number; end: number; gracefulEnd: number } {
  const start = scenario.startTime;
  const end = start + scenarioDuration(scenario);
  return { start, end, gracefulEnd: end + scenario.gracefulStop };
}

/** Iterations the scenario runs in total if it is not cut short by maxDuration. */
export function totalIterations(scenario: IterationsScenario): number {
  return scenario.executor === 'shared-iterations' ? scenario.iterations : scenario.vus * scenario.iterations;
}

/** VUs an iteration-based scenario runs its iterations on (all of them from its start). */
export function iterationVUs(scenario: IterationsScenario): number {
  return scenario.vus;
}

/** Number of iterations an arrival-rate scenario starts, without building the list. */
export function countArrivals(scenario: ArrivalRateScenario): number {
  if (scenario.executor === 'constant-arrival-rate') {
    // Iteration i starts at i·timeUnit/rate and only while that is before the end.
    return Math.ceil((scenario.duration * scenario.rate) / scenario.timeUnit);
  }
  let doubledArea = 0;
  let from = scenario.startRate;
  for (const stage of scenario.stages) {
    doubledArea += stage.duration * (from + stage.target);
    from = stage.target;
  }
  return Math.floor(doubledArea / (2 * scenario.timeUnit));
}

function ensurePlannable(scenario: ArrivalRateScenario): void {
  const count = countArrivals(scenario);
  if (count > MAX_PLANNED_ARRIVALS) {
    throw new K6OptionError(
      `the arrival rate would start ${count} iterations; the simulator plans at most ${MAX_PLANNED_ARRIVALS} per scenario, lower the rate or the duration`,
    );
  }
}

function constantArrivalTimes(scenario: ScenarioOf<'constant-arrival-rate'>): number[] {
  const { rate, timeUnit, duration } = scenario;
  const times: number[] = [];
  // Compare in whole units (i·timeUnit < duration·rate) so no rounding decides the last arrival.
  for (let i = 0; i * timeUnit < duration * rate; i++) times.push((i * timeUnit) / rate);
  return times;
}

/**
 * k6's ramping-arrival-rate `cal`: iteration n (1-based) starts when the area under the rate
 * curve reaches n. Areas are kept doubled and multiplied by timeUnit (`2·U·area`), which keeps
 * them whole numbers for whole-millisecond stages, so the stage an iteration falls in is exact.
 */
function rampingArrivalTimes(scenario: ScenarioOf<'ramping-arrival-rate'>): number[] {
  const unit2 = 2 * scenario.timeUnit;
  const times: number[] = [];
  let n = 1;
  let doneScaled = 0;
  let stageStart = 0;
  let from = scenario.startRate;
  for (const { duration, target: to } of scenario.stages) {
    const endScaled = doneScaled + duration * (from + to);
    for (; unit2 * n <= endScaled; n++) {
      const areaScaled = unit2 * n - doneScaled;
      // Root of (Δ/d)·t² + 2·from·t − a = 0 written as a / (from + √(from² + a·Δ/d)): no
      // cancellation when the ramp is shallow, and exact for constant stages (a / 2·from).
      const root = from === to ? from : Math.sqrt(Math.max(0, from * from + (areaScaled * (to - from)) / duration));
      times.push(stageStart + areaScaled / (from + root));
    }
    doneScaled = endScaled;
    from = to;
    stageStart += duration;
  }
  return times;
}

/**
 * Start times (ms from the scenario start) of every iteration an arrival-rate scenario starts,
 * ascending. constant-arrival-rate starts iteration i at i·timeUnit/rate, before `duration`;
 * ramping-arrival-rate integrates the linearly interpolated rate and includes an iteration due
 * exactly at the end, as k6 does.
 */
export function arrivalTimes(scenario: ArrivalRateScenario): number[] {
  ensurePlannable(scenario);
  return scenario.executor === 'constant-arrival-rate' ? constantArrivalTimes(scenario) : rampingArrivalTimes(scenario);
}

/** The arrival rate (iterations per timeUnit) at time t, for progress displays and charts. */
export function arrivalRateAt(scenario: ArrivalRateScenario, t: number): number {
  if (scenario.executor === 'constant-arrival-rate') return t >= 0 && t < scenario.duration ? scenario.rate : 0;
  if (t < 0) return 0;
  let stageStart = 0;
  let from = scenario.startRate;
  for (const stage of scenario.stages) {
    if (t < stageStart + stage.duration) return from + ((stage.target - from) * (t - stageStart)) / stage.duration;
    stageStart += stage.duration;
    from = stage.target;
  }
  return 0;
}

/**
 * VUs a ramping stage has at `elapsed` ms into it. k6 adds a VU when the linear ramp reaches the
 * next whole number and removes one only when it reaches the one below, so ramp-ups round down
 * and ramp-downs round up.
 */
function vusWithinStage(from: number, to: number, duration: number, elapsed: number): number {
  const steps = Math.floor((elapsed * Math.abs(to - from)) / duration);
  return to > from ? from + steps : from - steps;
}

/**
 * Scheduled VUs of a constant-vus or ramping-vus scenario at time t (ms from its start): what
 * k6's executor targets, before graceful ramp-down keeps removed VUs finishing their iteration.
 * Zero before the start and from the end on.
 */
export function vuTarget(scenario: VUsScenario, t: number): number {
  if (scenario.executor === 'constant-vus') return t >= 0 && t < scenario.duration ? scenario.vus : 0;
  if (t < 0 || t >= sumStageDurations(scenario.stages)) return 0;
  let stageStart = 0;
  let vus = scenario.startVUs;
  for (const stage of scenario.stages) {
    const stageEnd = stageStart + stage.duration;
    if (t < stageEnd) return vusWithinStage(vus, stage.target, stage.duration, t - stageStart);
    stageStart = stageEnd;
    vus = stage.target;
  }
  return vus;
}

/**
 * Every change of a ramping-vus scenario's scheduled VUs, from {offset 0, startVUs} to the drop
 * to 0 at its end (k6's raw execution steps with zeroEnd).
 */
export function rampingVUsSteps(scenario: ScenarioOf<'ramping-vus'>): VUStep[] {
  return rawRampingSteps(scenario, true);
}

function rawRampingSteps(scenario: ScenarioOf<'ramping-vus'>, zeroEnd: boolean): VUStep[] {
  const steps: VUStep[] = [{ offset: 0, vus: scenario.startVUs }];
  const addStep = (offset: number, vus: number): void => {
    if (steps[steps.length - 1]?.vus !== vus) steps.push({ offset, vus });
  };
  let stageStart = 0;
  let from = scenario.startVUs;
  for (const { duration, target } of scenario.stages) {
    if (duration === 0) {
      addStep(stageStart, target);
    } else {
      const distance = Math.abs(target - from);
      const direction = target > from ? 1 : -1;
      // VU count from + k·direction is reached when the ramp has covered k/distance of the stage.
      for (let k = 1; k <= distance; k++) addStep(stageStart + (duration * k) / distance, from + k * direction);
    }
    from = target;
    stageStart += duration;
  }
  if (zeroEnd) addStep(stageStart, 0);
  return steps;
}

/**
 * k6's reserveVUsForGracefulRampDowns: after a ramp-down the removed VUs stay reserved for
 * gracefulRampDown so they can finish their iteration, unless the count rises again first.
 */
function reserveVUsForGracefulRampDowns(rawSteps: readonly VUStep[], gracefulRampDown: number, executorEnd: number): VUStep[] {
  const reserved: VUStep[] = [];
  let lastPlanned = 0;
  let lastDownwardSlopeStep = 0;
  for (let stepIndex = 0; stepIndex < rawSteps.length; stepIndex++) {
    const step = rawSteps[stepIndex];
    if (step === undefined) break;
    if (stepIndex === 0 || step.vus > lastPlanned) {
      reserved.push(step);
      lastPlanned = step.vus;
      continue;
    }
    if (step.vus === lastPlanned) continue;

    const offsetWithTimeout = step.offset + gracefulRampDown;
    let skippedToNewStep = false;
    let wasRampingDown = true;
    for (let ahead = Math.max(lastDownwardSlopeStep, stepIndex + 1); ahead < rawSteps.length; ahead++) {
      const next = rawSteps[ahead];
      const previous = rawSteps[ahead - 1];
      if (next === undefined || previous === undefined || next.offset > offsetWithTimeout) break;
      if (next.vus >= lastPlanned) {
        stepIndex = ahead - 1;
        skippedToNewStep = true;
        break;
      }
      if (wasRampingDown) {
        if (previous.vus > next.vus) lastDownwardSlopeStep = ahead;
        else wasRampingDown = false;
      }
    }
    if (skippedToNewStep) continue;
    if (offsetWithTimeout >= executorEnd) break;
    reserved.push({ offset: offsetWithTimeout, vus: step.vus });
    lastPlanned = step.vus;
  }
  return reserved;
}

/**
 * The most VUs a ramping-vus scenario may have running at each moment, counting VUs that a
 * ramp-down removed but that are still finishing within gracefulRampDown (k6's "graceful"
 * steps). A VU above this count is interrupted; ends with 0 at end + gracefulStop.
 */
export function rampingVUsGracefulSteps(scenario: ScenarioOf<'ramping-vus'>): VUStep[] {
  const executorEnd = sumStageDurations(scenario.stages) + scenario.gracefulStop;
  let steps = rawRampingSteps(scenario, false);
  if (scenario.gracefulRampDown > 0) steps = reserveVUsForGracefulRampDowns(steps, scenario.gracefulRampDown, executorEnd);
  if (steps[steps.length - 1]?.vus !== 0) steps.push({ offset: executorEnd, vus: 0 });
  return steps;
}

/** k6's GetExecutionRequirements: VUs to initialise over the scenario's life, scenario-relative. */
export function executionRequirements(scenario: Scenario): ExecutionStep[] {
  const gracefulEnd = scenarioDuration(scenario) + scenario.gracefulStop;
  switch (scenario.executor) {
    case 'shared-iterations':
    case 'per-vu-iterations':
    case 'constant-vus':
      return [
        { offset: 0, plannedVUs: scenario.vus, maxUnplannedVUs: 0 },
        { offset: gracefulEnd, plannedVUs: 0, maxUnplannedVUs: 0 },
      ];
    case 'constant-arrival-rate':
    case 'ramping-arrival-rate':
      return [
        { offset: 0, plannedVUs: scenario.preAllocatedVUs, maxUnplannedVUs: scenario.maxVUs - scenario.preAllocatedVUs },
        { offset: gracefulEnd, plannedVUs: 0, maxUnplannedVUs: 0 },
      ];
    case 'ramping-vus':
      return rampingVUsGracefulSteps(scenario).map((step) => ({ offset: step.offset, plannedVUs: step.vus, maxUnplannedVUs: 0 }));
  }
}

/** The VUs every scenario needs at once, over the whole test: k6's execution plan, test-relative. */
export function executionPlan(scenarios: readonly Scenario[]): ExecutionStep[] {
  const shifted = scenarios.map((scenario) =>
    executionRequirements(scenario).map((step) => ({ ...step, offset: step.offset + scenario.startTime })),
  );
  const offsets = [...new Set(shifted.flatMap((steps) => steps.map((step) => step.offset)))].sort((a, b) => a - b);
  // Each scenario's steps are in offset order, so one cursor per scenario walks them once.
  const cursors = shifted.map(() => -1);
  return offsets.map((offset) => {
    let plannedVUs = 0;
    let maxUnplannedVUs = 0;
    shifted.forEach((steps, index) => {
      let cursor = cursors[index] ?? -1;
      while ((steps[cursor + 1]?.offset ?? Number.POSITIVE_INFINITY) <= offset) cursor++;
      cursors[index] = cursor;
      plannedVUs += steps[cursor]?.plannedVUs ?? 0;
      maxUnplannedVUs += steps[cursor]?.maxUnplannedVUs ?? 0;
    });
    return { offset, plannedVUs, maxUnplannedVUs };
  });
}

/** VUs k6 initialises before the test starts (and so `vus_max` at the start). */
export function maxPlannedVUs(scenarios: readonly Scenario[]): number {
  return Math.max(0, ...executionPlan(scenarios).map((step) => step.plannedVUs));
}

/** The most VUs the test can ever have, counting VUs arrival-rate scenarios may add mid-run. */
export function maxPossibleVUs(scenarios: readonly Scenario[]): number {
  return Math.max(0, ...executionPlan(scenarios).map((step) => step.plannedVUs + step.maxUnplannedVUs));
}

/** When the whole test ends at the latest: the last scenario's graceful end. */
export function testGracefulEnd(scenarios: readonly NormalizedScenario[]): number {
  return Math.max(0, ...scenarios.map((scenario) => scenarioWindow(scenario).gracefulEnd));
}
