// The subset of k6's `export const options` the simulator runs, validated the way k6 validates it,
// but stricter about names: k6 silently ignores a misspelt option, which costs a learner a whole
// test run, so here an unknown option, executor or executor field is an error that names it.
import { z } from 'zod';
import { formatDuration, parseDuration } from './duration.ts';
import { didYouMean } from './suggest.ts';

export { K6OptionError } from './errors.ts';

// k6's minDuration: scenarios must run for at least a second (stages may be 0s for jumps).
const MIN_SCENARIO_DURATION_MS = 1000;

/** k6's default `summaryTrendStats`. */
export const DEFAULT_SUMMARY_TREND_STATS: readonly string[] = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'];

/** The scenario name k6 gives to the shortcut options (`vus`, `duration`, `iterations`, `stages`). */
export const DEFAULT_SCENARIO_NAME = 'default';

const SCENARIO_NAME = /^[0-9a-zA-Z_-]+$/;
const EXPORTED_FUNCTION_NAME = /^[A-Za-z_$][\w$]*$/;
const PERCENTILE_STAT = /^p\((\d+(?:\.\d+)?)\)$/;

function describeDurationIssue(input: unknown): string {
  return input === undefined ? 'is required' : 'must be a duration like "30s", "1m30s" or a number of milliseconds';
}

/** A k6 duration (`'30s'`, `'1m30s'`, or milliseconds); parsed to milliseconds. */
const DurationSchema = z
  .union([z.string(), z.number()], { error: (issue) => describeDurationIssue(issue.input) })
  .transform((value, context) => {
    try {
      return parseDuration(value);
    } catch (error) {
      context.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
      return z.NEVER;
    }
  });

/** A whole number (VUs, iterations, rates, targets); k6 reads these into int64 fields. */
const WholeNumberSchema = z
  .number({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a number') })
  .int({ error: 'must be a whole number' });

const StringMapSchema = z.record(z.string(), z.string({ error: 'values must be strings' }));

/** One ramp step: reach `target` linearly over `duration`. */
export const StageSchema = z
  .object({
    /** How long the ramp to `target` takes; `0s` jumps at once. */
    duration: DurationSchema,
    /** VUs (ramping-vus) or iterations per timeUnit (ramping-arrival-rate) at the end of the stage. */
    target: WholeNumberSchema,
  })
  .strict();

export type Stage = z.infer<typeof StageSchema>;

const commonScenarioFields = {
  /** Offset from the start of the test at which the scenario begins. */
  startTime: DurationSchema.default(0),
  /** How long running iterations may finish after the scenario's regular end. */
  gracefulStop: DurationSchema.default(30_000),
  /** The exported function the scenario's VUs run. */
  exec: z.string().regex(EXPORTED_FUNCTION_NAME, 'must be the name of an exported function').default('default'),
  /** Tags added to every sample the scenario emits. */
  tags: StringMapSchema.default(() => ({})),
  /** Extra `__ENV` variables for the scenario's VUs. */
  env: StringMapSchema.default(() => ({})),
};

const SharedIterationsFields = z
  .object({
    executor: z.literal('shared-iterations'),
    ...commonScenarioFields,
    /** VUs sharing the iterations. */
    vus: WholeNumberSchema.default(1),
    /** Iterations run in total, across all VUs. */
    iterations: WholeNumberSchema.default(1),
    /** Hard limit on the scenario's run time. */
    maxDuration: DurationSchema.default(600_000),
  })
  .strict();

const PerVUIterationsFields = z
  .object({
    executor: z.literal('per-vu-iterations'),
    ...commonScenarioFields,
    /** VUs, each running `iterations` iterations. */
    vus: WholeNumberSchema.default(1),
    /** Iterations run by each VU. */
    iterations: WholeNumberSchema.default(1),
    /** Hard limit on the scenario's run time. */
    maxDuration: DurationSchema.default(600_000),
  })
  .strict();

const ConstantVUsFields = z
  .object({
    executor: z.literal('constant-vus'),
    ...commonScenarioFields,
    /** VUs looping over iterations for the whole duration. */
    vus: WholeNumberSchema.default(1),
    /** How long the VUs keep starting iterations. */
    duration: DurationSchema,
  })
  .strict();

const RampingVUsFields = z
  .object({
    executor: z.literal('ramping-vus'),
    ...commonScenarioFields,
    /** VUs at the start of the first stage. */
    startVUs: WholeNumberSchema.default(1),
    /** Linear ramps of the VU count. */
    stages: z.array(StageSchema),
    /** How long a VU removed by a ramp-down may finish its iteration. */
    gracefulRampDown: DurationSchema.default(30_000),
  })
  .strict();

const ConstantArrivalRateFields = z
  .object({
    executor: z.literal('constant-arrival-rate'),
    ...commonScenarioFields,
    /** Iterations started per `timeUnit`, whatever the system's response times. */
    rate: WholeNumberSchema,
    /** The period `rate` is counted over. */
    timeUnit: DurationSchema.default(1000),
    /** How long iterations keep arriving. */
    duration: DurationSchema,
    /** VUs initialised before the scenario starts. */
    preAllocatedVUs: WholeNumberSchema,
    /** Upper bound on VUs, allocated during the run when the pre-allocated ones are busy. */
    maxVUs: WholeNumberSchema.optional(),
  })
  .strict();

const RampingArrivalRateFields = z
  .object({
    executor: z.literal('ramping-arrival-rate'),
    ...commonScenarioFields,
    /** Iterations per `timeUnit` at the start of the first stage. */
    startRate: WholeNumberSchema.default(0),
    /** The period rates are counted over. */
    timeUnit: DurationSchema.default(1000),
    /** Linear ramps of the arrival rate. */
    stages: z.array(StageSchema),
    /** VUs initialised before the scenario starts. */
    preAllocatedVUs: WholeNumberSchema,
    /** Upper bound on VUs, allocated during the run when the pre-allocated ones are busy. */
    maxVUs: WholeNumberSchema.optional(),
  })
  .strict();

// k6 defaults maxVUs to preAllocatedVUs when the script leaves it out.
function withMaxVUs<T extends { preAllocatedVUs: number; maxVUs?: number | undefined }>(scenario: T): T & { maxVUs: number } {
  return { ...scenario, maxVUs: scenario.maxVUs ?? scenario.preAllocatedVUs };
}

const EXECUTOR_FIELDS = {
  'shared-iterations': SharedIterationsFields,
  'per-vu-iterations': PerVUIterationsFields,
  'constant-vus': ConstantVUsFields,
  'ramping-vus': RampingVUsFields,
  'constant-arrival-rate': ConstantArrivalRateFields,
  'ramping-arrival-rate': RampingArrivalRateFields,
} as const;

export type ExecutorName = keyof typeof EXECUTOR_FIELDS;
export const EXECUTOR_NAMES = Object.keys(EXECUTOR_FIELDS) as ExecutorName[];

/** One k6 scenario, discriminated on `executor`, with k6's defaults applied and durations in ms. */
export const ScenarioSchema = z.discriminatedUnion('executor', [
  SharedIterationsFields,
  PerVUIterationsFields,
  ConstantVUsFields,
  RampingVUsFields,
  ConstantArrivalRateFields.transform(withMaxVUs),
  RampingArrivalRateFields.transform(withMaxVUs),
]);

export type ScenarioInput = z.input<typeof ScenarioSchema>;
export type Scenario = z.output<typeof ScenarioSchema>;
export type ScenarioOf<E extends ExecutorName> = Extract<Scenario, { executor: E }>;

/** A threshold: an expression like `'p(95)<300'`, optionally aborting the test when it fails. */
export const ThresholdSchema = z
  .union([
    z.string(),
    z
      .object({
        /** The expression, e.g. `'rate<0.01'`. */
        threshold: z.string(),
        /** Stop the whole test as soon as this threshold fails. */
        abortOnFail: z.boolean().optional(),
        /** Do not abort before the test has run this long. */
        delayAbortEval: DurationSchema.optional(),
      })
      .strict(),
  ])
  .transform((threshold) =>
    typeof threshold === 'string'
      ? { threshold, abortOnFail: false }
      : {
          threshold: threshold.threshold,
          abortOnFail: threshold.abortOnFail ?? false,
          ...(threshold.delayAbortEval === undefined ? {} : { delayAbortEval: threshold.delayAbortEval }),
        },
  );

export type ThresholdInput = z.input<typeof ThresholdSchema>;
export type Threshold = z.output<typeof ThresholdSchema>;

function describeTrendStatIssue(stat: string): string | undefined {
  if (['avg', 'min', 'med', 'max', 'count'].includes(stat)) return undefined;
  const percentile = PERCENTILE_STAT.exec(stat);
  if (percentile === null) return `invalid trend stat '${stat}', unknown format (use avg, min, med, max, count or p(N))`;
  const value = Number(percentile[1]);
  if (value > 100) return `invalid percentile trend stat value '${stat}', provide a number between 0 and 100`;
  return undefined;
}

const TrendStatSchema = z.string().superRefine((stat, context) => {
  const problem = describeTrendStatIssue(stat);
  if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
});

/** The options a learner's script may export. */
export const K6OptionsSchema = z
  .object({
    /** Shortcut: VUs for `duration`, `iterations` or `stages`. */
    vus: WholeNumberSchema.optional(),
    /** Shortcut: run `vus` VUs for this long (a constant-vus scenario). */
    duration: DurationSchema.optional(),
    /** Shortcut: run this many iterations shared by `vus` VUs (a shared-iterations scenario). */
    iterations: WholeNumberSchema.optional(),
    /** Shortcut: ramp the VU count (a ramping-vus scenario starting at `vus`). */
    stages: z.array(StageSchema).optional(),
    /** Named scenarios, each with its own executor. */
    scenarios: z.record(z.string(), ScenarioSchema).optional(),
    /** Pass/fail criteria per metric (optionally filtered by tags). */
    thresholds: z.record(z.string(), z.array(ThresholdSchema, { error: 'must be a list of threshold expressions' })).optional(),
    /** Trend statistics shown in the end-of-test summary. */
    summaryTrendStats: z.array(TrendStatSchema).optional(),
    /** Fixed time unit for times in the summary instead of the most readable one. */
    summaryTimeUnit: z.enum(['s', 'ms', 'us']).optional(),
    /** Time limit for `setup()`. */
    setupTimeout: DurationSchema.optional(),
    /** Time limit for `teardown()`. */
    teardownTimeout: DurationSchema.optional(),
    /** Open a new connection for every request. */
    noConnectionReuse: z.boolean().optional(),
    /** The User-Agent header sent with requests. */
    userAgent: z.string().optional(),
    /** Tags added to every sample of the test. */
    tags: StringMapSchema.optional(),
    /** Do not keep response bodies (saves memory; `res.body` is null). */
    discardResponseBodies: z.boolean().optional(),
    /** Accept any TLS certificate. */
    insecureSkipTLSVerify: z.boolean().optional(),
    /** Redirects a request follows before k6 returns the redirection itself (10 by default). */
    maxRedirects: WholeNumberSchema.optional(),
  })
  .strict();

export type K6OptionsInput = z.input<typeof K6OptionsSchema>;
export type K6Options = z.output<typeof K6OptionsSchema>;

/** A scenario ready to run: the script's name for it plus its fully defaulted configuration. */
export type NormalizedScenario = Scenario & { name: string };

/** Options after k6's shortcut rules and defaults; what the engine runs. */
export type NormalizedOptions = {
  /** Sorted by startTime, then name, the order k6 starts them in and assigns VUs. */
  scenarios: NormalizedScenario[];
  thresholds: Record<string, Threshold[]>;
  summaryTrendStats: string[];
  summaryTimeUnit?: NonNullable<K6Options['summaryTimeUnit']>;
  setupTimeout: number;
  teardownTimeout: number;
  noConnectionReuse: boolean;
  userAgent?: string;
  maxRedirects?: number;
  tags: Record<string, string>;
  discardResponseBodies: boolean;
  insecureSkipTLSVerify: boolean;
  /** Things that run, but probably not as the learner meant. */
  warnings: string[];
};

export type NormalizeResult = { ok: true; value: NormalizedOptions } | { ok: false; error: string };

// Real k6 options the simulator does not model; named separately so the learner is not told
// they misspelt something that k6 documents.
const UNSUPPORTED_K6_OPTIONS = [
  'batch',
  'batchPerHost',
  'blacklistIPs',
  'blockHostnames',
  'cloud',
  'dns',
  'executionSegment',
  'executionSegmentSequence',
  'ext',
  'hosts',
  'httpDebug',
  'localIPs',
  'minIterationDuration',
  'noCookiesReset',
  'noSetup',
  'noTeardown',
  'noVUConnectionReuse',
  'paused',
  'rps',
  'systemTags',
  'throw',
  'tlsAuth',
  'tlsCipherSuites',
  'tlsVersion',
];

const OPTION_NAMES = Object.keys(K6OptionsSchema.shape);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describePath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text;
}

/** One readable sentence per zod issue, never a raw zod dump. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = describePath(issue.path);
      if (issue.code === 'unrecognized_keys') {
        const keys = issue.keys.map((key) => `"${key}"`).join(', ');
        return `unknown field${issue.keys.length > 1 ? 's' : ''} ${keys}${where === '' ? '' : ` in ${where}`}`;
      }
      return where === '' ? issue.message : `${where}: ${issue.message}`;
    })
    .join('; ');
}

/** Names every unknown option, executor and executor field, before zod's generic messages. */
function findUnknownNames(raw: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(raw)) {
    if (OPTION_NAMES.includes(key)) continue;
    if (UNSUPPORTED_K6_OPTIONS.includes(key)) problems.push(`option "${key}" is a k6 option the simulator does not support`);
    else problems.push(`unknown option "${key}"${didYouMean(key, OPTION_NAMES)}`);
  }
  const scenarios = raw['scenarios'];
  if (!isPlainObject(scenarios)) return problems;
  for (const [name, scenario] of Object.entries(scenarios)) {
    if (!SCENARIO_NAME.test(name)) {
      problems.push(`scenario name "${name}" may only contain latin letters, numbers, underscores and dashes`);
    }
    if (!isPlainObject(scenario)) continue;
    const executor = scenario['executor'];
    if (executor === undefined) {
      problems.push(`scenario "${name}" has no executor (one of ${EXECUTOR_NAMES.join(', ')})`);
      continue;
    }
    if (typeof executor !== 'string' || !Object.hasOwn(EXECUTOR_FIELDS, executor)) {
      const hint = typeof executor === 'string' ? didYouMean(executor, EXECUTOR_NAMES) : '';
      const supported = executor === 'externally-controlled' ? ' (the simulator does not support it)' : hint;
      problems.push(`unknown executor "${String(executor)}" in scenario "${name}"${supported}`);
      continue;
    }
    const fields = Object.keys(EXECUTOR_FIELDS[executor as ExecutorName].shape);
    for (const field of Object.keys(scenario)) {
      if (!fields.includes(field)) {
        problems.push(`unknown field "${field}" in scenario "${name}" (executor "${executor}")${didYouMean(field, fields)}`);
      }
    }
  }
  return problems;
}

function validateStages(stages: readonly Stage[]): string[] {
  if (stages.length === 0) return ['at least one stage has to be specified'];
  return stages.flatMap((stage, index) => (stage.target < 0 ? [`the target for stage ${index + 1} shouldn't be negative`] : []));
}

function validateVUsAndIterations(scenario: ScenarioOf<'shared-iterations' | 'per-vu-iterations'>): string[] {
  const problems: string[] = [];
  if (scenario.vus <= 0) problems.push('the number of VUs must be more than 0');
  if (scenario.executor === 'shared-iterations' && scenario.iterations < scenario.vus) {
    problems.push(`the number of iterations (${scenario.iterations}) can't be less than the number of VUs (${scenario.vus})`);
  }
  if (scenario.executor === 'per-vu-iterations' && scenario.iterations <= 0) problems.push('the number of iterations must be more than 0');
  if (scenario.maxDuration < MIN_SCENARIO_DURATION_MS) {
    problems.push(`the maxDuration must be at least 1s, but is ${formatDuration(scenario.maxDuration)}`);
  }
  return problems;
}

function validateArrivalRateVUs(scenario: ScenarioOf<'constant-arrival-rate' | 'ramping-arrival-rate'>): string[] {
  const problems: string[] = [];
  if (scenario.timeUnit <= 0) problems.push('the timeUnit must be more than 0');
  if (scenario.preAllocatedVUs < 0) problems.push("the number of preAllocatedVUs can't be negative");
  if (scenario.maxVUs < scenario.preAllocatedVUs) problems.push("maxVUs can't be less than preAllocatedVUs");
  return problems;
}

/** k6's per-executor Validate(), with k6's wording. */
function validateScenario(scenario: Scenario): string[] {
  const problems: string[] = [];
  switch (scenario.executor) {
    case 'shared-iterations':
    case 'per-vu-iterations':
      problems.push(...validateVUsAndIterations(scenario));
      break;
    case 'constant-vus':
      if (scenario.vus <= 0) problems.push('the number of VUs must be more than 0');
      if (scenario.duration < MIN_SCENARIO_DURATION_MS) {
        problems.push(`the duration must be at least 1s, but is ${formatDuration(scenario.duration)}`);
      }
      break;
    case 'ramping-vus':
      if (scenario.startVUs < 0) problems.push("the number of start VUs can't be negative");
      if (Math.max(scenario.startVUs, ...scenario.stages.map((stage) => stage.target)) <= 0) {
        problems.push("either startVUs or one of the stages' target values must be greater than 0");
      }
      problems.push(...validateStages(scenario.stages));
      break;
    case 'constant-arrival-rate':
      if (scenario.rate <= 0) problems.push('the iteration rate must be more than 0');
      if (scenario.duration < MIN_SCENARIO_DURATION_MS) {
        problems.push(`the duration must be at least 1s, but is ${formatDuration(scenario.duration)}`);
      }
      problems.push(...validateArrivalRateVUs(scenario));
      break;
    case 'ramping-arrival-rate':
      if (scenario.startRate < 0) problems.push("the startRate value can't be negative");
      problems.push(...validateStages(scenario.stages));
      problems.push(...validateArrivalRateVUs(scenario));
      break;
  }
  return problems;
}

type ShortcutResult = { ok: true; scenarios: Record<string, Scenario>; warnings: string[] } | { ok: false; error: string };

function conflict(first: string, second: string): ShortcutResult {
  return { ok: false, error: `using \`${first}\` and \`${second}\` options simultaneously is not allowed` };
}

function defaultScenario(input: ScenarioInput): Record<string, Scenario> {
  return { [DEFAULT_SCENARIO_NAME]: ScenarioSchema.parse(input) };
}

/** k6's DeriveScenariosFromShortcuts, case for case and in the same order. */
function deriveScenarios(options: K6Options): ShortcutResult {
  const { vus, duration, iterations, stages, scenarios } = options;
  const hasStages = stages !== undefined && stages.length > 0;
  if (iterations !== undefined) {
    if (hasStages) return conflict('iterations', 'stages');
    if (scenarios !== undefined) return conflict('iterations', 'scenarios');
    return {
      ok: true,
      warnings: [],
      scenarios: defaultScenario({
        executor: 'shared-iterations',
        vus: vus ?? 1,
        iterations,
        ...(duration === undefined ? {} : { maxDuration: duration }),
      }),
    };
  }
  if (duration !== undefined) {
    if (hasStages) return conflict('duration', 'stages');
    if (scenarios !== undefined) return conflict('duration', 'scenarios');
    if (duration <= 0) {
      return { ok: false, error: '`duration` option should be more than 0, for infinite duration use the externally-controlled executor' };
    }
    return { ok: true, warnings: [], scenarios: defaultScenario({ executor: 'constant-vus', vus: vus ?? 1, duration }) };
  }
  if (hasStages) {
    if (scenarios !== undefined) return conflict('stages', 'scenarios');
    return { ok: true, warnings: [], scenarios: defaultScenario({ executor: 'ramping-vus', startVUs: vus ?? 1, stages }) };
  }
  if (vus !== undefined && scenarios === undefined) {
    return { ok: true, warnings: [], scenarios: defaultScenario({ executor: 'shared-iterations', vus, iterations: vus }) };
  }
  if (scenarios !== undefined && Object.keys(scenarios).length > 0) {
    const warnings = vus === undefined ? [] : ['`vus` is ignored because `scenarios` is set; give each scenario its own VUs'];
    return { ok: true, warnings, scenarios };
  }
  const warnings: string[] = [];
  if (stages !== undefined) warnings.push('`stages` was explicitly set to an empty value, running the script with 1 iteration in 1 VU');
  if (scenarios !== undefined)
    warnings.push('`scenarios` was explicitly set to an empty value, running the script with 1 iteration in 1 VU');
  return { ok: true, warnings, scenarios: defaultScenario({ executor: 'per-vu-iterations' }) };
}

function byStartTimeThenName(a: NormalizedScenario, b: NormalizedScenario): number {
  if (a.startTime !== b.startTime) return a.startTime - b.startTime;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * Validates a script's exported `options` and applies k6's shortcut rules and defaults. Errors
 * name the option, scenario or field at fault, one sentence per problem.
 */
export function normalizeOptions(raw: unknown): NormalizeResult {
  const input = raw ?? {};
  if (!isPlainObject(input)) return { ok: false, error: '`options` must be an object' };
  const unknownNames = findUnknownNames(input);
  if (unknownNames.length > 0) return { ok: false, error: unknownNames.join('; ') };
  const parsed = K6OptionsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, error: describeIssues(parsed.error) };
  const options = parsed.data;

  const derived = deriveScenarios(options);
  if (!derived.ok) return derived;
  const scenarios = Object.entries(derived.scenarios).map(([name, scenario]): NormalizedScenario => ({ ...scenario, name }));
  const problems = scenarios.flatMap((scenario) => validateScenario(scenario).map((problem) => `scenario "${scenario.name}": ${problem}`));
  if (problems.length > 0) return { ok: false, error: problems.join('; ') };

  return {
    ok: true,
    value: {
      scenarios: scenarios.sort(byStartTimeThenName),
      thresholds: options.thresholds ?? {},
      summaryTrendStats: options.summaryTrendStats ?? [...DEFAULT_SUMMARY_TREND_STATS],
      ...(options.summaryTimeUnit === undefined ? {} : { summaryTimeUnit: options.summaryTimeUnit }),
      setupTimeout: options.setupTimeout ?? 60_000,
      teardownTimeout: options.teardownTimeout ?? 60_000,
      noConnectionReuse: options.noConnectionReuse ?? false,
      ...(options.userAgent === undefined ? {} : { userAgent: options.userAgent }),
      tags: options.tags ?? {},
      discardResponseBodies: options.discardResponseBodies ?? false,
      insecureSkipTLSVerify: options.insecureSkipTLSVerify ?? false,
      ...(options.maxRedirects === undefined ? {} : { maxRedirects: options.maxRedirects }),
      warnings: derived.warnings,
    },
  };
}

/** Execution options given on the command line (`--vus`, `--duration`, `--iterations`). */
export type OptionOverrides = { vus?: number; duration?: string; iterations?: number };

/**
 * k6's precedence for execution options: a shortcut set on the command line wins over the
 * script, and `--duration` or `--iterations` replace the script's own execution settings
 * (scenarios, stages and the other shortcut) instead of conflicting with them.
 */
export function applyOptionOverrides(raw: unknown, overrides: OptionOverrides): unknown {
  if (!isPlainObject(raw)) return raw;
  const merged: Record<string, unknown> = { ...raw };
  if (overrides.duration !== undefined || overrides.iterations !== undefined) {
    delete merged['scenarios'];
    delete merged['stages'];
    delete merged['duration'];
    delete merged['iterations'];
  }
  if (overrides.vus !== undefined) merged['vus'] = overrides.vus;
  if (overrides.duration !== undefined) merged['duration'] = overrides.duration;
  if (overrides.iterations !== undefined) merged['iterations'] = overrides.iterations;
  return merged;
}
