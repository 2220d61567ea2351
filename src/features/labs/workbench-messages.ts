// What the lab workbench receives from outside its own code: replies from the lab Web Worker and
// JSON from the lab API. Each is parsed with zod before the page uses it.
import { z } from 'zod';
import {
  ClusterResultSchema,
  PromqlResultSchema,
  QualityGateResultSchema,
  QueryOutcomeSchema,
  RulesResultSchema,
} from '../../../labs/runtime/lab/outcome.ts';
import type { TaskOutcome } from '../../../labs/runtime/lab/run-task.ts';

export const RunProgressSchema = z.object({
  virtualMs: z.number(),
  vus: z.number(),
  requests: z.number(),
  requestsPerSecond: z.number(),
});

export const SyntaxProblemSchema = z.object({
  message: z.string(),
  /** 1-based, or null when QuickJS did not say where. */
  line: z.number().int().nullable(),
  column: z.number().int().nullable(),
});

const RunErrorSchema = z.object({ kind: z.string(), message: z.string(), line: z.number().nullable(), column: z.number().nullable() });

/** The parts of a load-test result the workbench shows; everything else is dropped on parsing. */
export const RunResultViewSchema = z.object({
  error: RunErrorSchema.nullable(),
  exitCode: z.number(),
  summaryText: z.string(),
  checks: z.array(z.object({ name: z.string(), passes: z.number(), fails: z.number() })),
  timeSeries: z.object({
    /** Bucket starts, seconds of virtual time. */
    t: z.array(z.number()),
    requestsPerSecond: z.array(z.number()),
    vus: z.array(z.number()),
    p95Ms: z.array(z.number().nullable()),
    errorsPerSecond: z.array(z.number()),
  }),
  console: z.array(z.string()),
  consoleTruncated: z.number(),
  requests: z.number(),
  iterations: z.number(),
  droppedIterations: z.number(),
  virtualDurationMs: z.number(),
});

const OutcomeCommon = {
  labId: z.string(),
  labVersion: z.number().int(),
  taskId: z.string(),
  seed: z.number().int(),
  verdict: z.object({ pass: z.boolean(), message: z.string() }),
  digest: z.string(),
};

export const K6OutcomeViewSchema = z.object({
  kind: z.literal('k6'),
  ...OutcomeCommon,
  runs: z.array(z.object({ label: z.string(), result: RunResultViewSchema })),
});

/** The outcome of any kind of task; telemetry kinds carry their result under the kind's name. */
export const TaskOutcomeViewSchema = z.discriminatedUnion('kind', [
  K6OutcomeViewSchema,
  z.object({ kind: z.literal('promql'), ...OutcomeCommon, datasetDigest: z.string(), promql: PromqlResultSchema }),
  z.object({ kind: z.literal('rules'), ...OutcomeCommon, datasetDigest: z.string(), rules: RulesResultSchema }),
  z.object({ kind: z.literal('quality-gate'), ...OutcomeCommon, datasetDigest: z.string(), gate: QualityGateResultSchema }),
  ClusterResultSchema.extend({ kind: z.literal('cluster'), ...OutcomeCommon }),
]);

/** The lab worker's answer to a `scenario` message: the simulated run's span and size, or why it could not run. */
export const ScenarioReplySchema = z.discriminatedUnion('ok', [
  z.object({
    type: z.literal('scenario'),
    ok: z.literal(true),
    taskId: z.string(),
    variant: z.string(),
    start: z.number(),
    end: z.number(),
    stepMs: z.number(),
    series: z.number().int(),
    samples: z.number().int(),
    simulatedMs: z.number(),
  }),
  z.object({ type: z.literal('scenario'), ok: z.literal(false), taskId: z.string(), variant: z.string(), error: z.string() }),
]);

const MetricMetadataSchema = z.object({ name: z.string(), type: z.enum(['counter', 'gauge', 'histogram']), help: z.string() });

/** The lab worker's answer to a `telemetry` message (see labs/runtime/lab/explore.ts). */
export const TelemetryDescriptionSchema = z.object({
  start: z.number(),
  end: z.number(),
  scrapeIntervalMs: z.number(),
  datasetDigest: z.string(),
  metrics: z.array(MetricMetadataSchema),
  series: z.array(z.record(z.string(), z.string())),
  stats: z.object({ series: z.number(), samples: z.number(), bytes: z.number(), generationMs: z.number() }),
});

export const WorkerReplySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), runIndex: z.number().int().min(0), progress: RunProgressSchema }),
  z.object({ type: z.literal('done'), outcome: TaskOutcomeViewSchema }),
  z.object({ type: z.literal('syntax'), problem: SyntaxProblemSchema.nullable() }),
  /** Something slow is happening first (e.g. generating the telemetry, ~2 s). */
  z.object({ type: z.literal('status'), message: z.string() }),
  z.object({ type: z.literal('query-result'), id: z.number().int(), outcome: QueryOutcomeSchema }),
  TelemetryDescriptionSchema.extend({ type: z.literal('telemetry') }),
  ScenarioReplySchema,
  z.object({ type: z.literal('error'), message: z.string(), id: z.number().int().optional() }),
]);

export type RunProgress = z.infer<typeof RunProgressSchema>;
export type SyntaxProblem = z.infer<typeof SyntaxProblemSchema>;
export type RunResultView = z.infer<typeof RunResultViewSchema>;
export type TaskOutcomeView = z.infer<typeof TaskOutcomeViewSchema>;
export type K6OutcomeView = z.infer<typeof K6OutcomeViewSchema>;
export type TelemetryDescriptionView = z.infer<typeof TelemetryDescriptionSchema>;
export type WorkerReply = z.infer<typeof WorkerReplySchema>;
export type ScenarioReplyView = z.infer<typeof ScenarioReplySchema>;

type Expect<T extends true> = T;
/** Fails type checking if the runtime's outcome stops carrying what the workbench parses. */
export type OutcomeViewMatchesRuntime = Expect<TaskOutcome extends TaskOutcomeView ? true : false>;

export const SeedResponseSchema = z.object({
  seed: z.number().int().min(0).max(0xffffffff),
  token: z.string().min(1),
  /** The lab version the server runs now. */
  version: z.number().int().min(1),
});

export const SubmissionResultSchema = z.object({
  runId: z.string(),
  passed: z.boolean(),
  message: z.string(),
  verified: z.boolean(),
  verifyMs: z.number(),
});

export const ApiErrorSchema = z.object({
  error: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export type SeedResponse = z.infer<typeof SeedResponseSchema>;
export type SubmissionResult = z.infer<typeof SubmissionResultSchema>;

/** The error sentence of a failed API call, with the first issue when there is one. */
export function describeApiError(status: number, body: unknown): string {
  const parsed = ApiErrorSchema.safeParse(body);
  if (!parsed.success) return `The server answered ${status} without an explanation.`;
  const issue = parsed.data.issues?.[0];
  return issue ? `${parsed.data.error} (${issue.path}: ${issue.message})` : parsed.data.error;
}
