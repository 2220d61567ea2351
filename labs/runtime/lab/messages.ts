// Messages that cross the worker boundary (browser Web Worker and Node worker_threads), parsed
// with zod on arrival: a worker never trusts what it is sent.
import { z } from 'zod';
import { ExtraFilesSchema } from './definition.ts';

const Seed = z.number().int().min(0).max(0x7fffffff);
const LabId = z.string().min(1).max(100);
const TaskId = z.string().min(1).max(100);

/** Which run of a cluster task a message is about: the incident, or its re-run with a remediation (by id). */
export const VariantSchema = z.string().min(1).max(100);
export const INCIDENT = 'incident';

/** A cluster task's Tsdb to query (absent: the lab's telemetry, as for the SLO lab). */
const ClusterTarget = { taskId: TaskId.optional(), variant: VariantSchema.optional() };

export const RunTaskMessageSchema = z
  .object({
    type: z.literal('run'),
    labId: LabId,
    taskId: z.string().min(1).max(100),
    /** The k6 script, or the first editor's text (a query, a rule file, an slo.yaml). */
    code: z.string().max(100_000, 'the script is longer than 100,000 characters'),
    seed: Seed,
    answer: z.string().max(1000).nullable(),
    /** The other editors' texts by file name (telemetry tasks only). */
    files: ExtraFilesSchema.optional(),
  })
  .strict();

export const CheckSyntaxMessageSchema = z.object({ type: z.literal('check'), code: z.string().max(100_000) }).strict();

/** Runs the standard benchmark scenario (npm run bench:labs measures the browser with it). */
export const BenchMessageSchema = z.object({ type: z.literal('bench') }).strict();

/** The longest query the workbench may send (Prometheus has no limit; ours keeps parsing bounded). */
export const MAX_QUERY_LENGTH = 10_000;

/**
 * An exploratory query on a lab's telemetry (the workbench's query tab): instant at `time`
 * (default: the telemetry's end), or a range query when `start`, `end` and `step` (ms) are given.
 * `id` is echoed in the reply.
 */
export const QueryMessageSchema = z
  .object({
    type: z.literal('query'),
    id: z.number().int().min(0),
    labId: LabId,
    seed: Seed,
    query: z.string().max(MAX_QUERY_LENGTH, `a query is at most ${MAX_QUERY_LENGTH.toLocaleString('en')} characters`),
    time: z.number().int().optional(),
    start: z.number().int().optional(),
    end: z.number().int().optional(),
    step: z.number().int().min(1000, 'the step is at least 1 s').optional(),
    ...ClusterTarget,
  })
  .strict()
  .refine((m) => [m.start, m.end, m.step].every((v) => v === undefined) || [m.start, m.end, m.step].every((v) => v !== undefined), {
    error: 'a range query needs start, end and step',
  })
  .refine((m) => m.start === undefined || m.end === undefined || m.start <= m.end, { error: 'end must not be before start' });

/** Metric names, metadata and every series' labels of a lab's telemetry, for editor completion. */
export const TelemetryMessageSchema = z.object({ type: z.literal('telemetry'), labId: LabId, seed: Seed, ...ClusterTarget }).strict();

/**
 * Simulates a cluster task's scenario (incident or remediation variant) for the seed, if it is not
 * cached yet, and answers with its span and size: the workbench sends it first and shows
 * "Simulating the cluster…" meanwhile (ADR 019).
 */
export const ScenarioMessageSchema = z
  .object({ type: z.literal('scenario'), labId: LabId, taskId: TaskId, variant: VariantSchema.default(INCIDENT), seed: Seed })
  .strict();

export const WorkerRequestSchema = z.discriminatedUnion('type', [
  RunTaskMessageSchema,
  CheckSyntaxMessageSchema,
  BenchMessageSchema,
  QueryMessageSchema,
  TelemetryMessageSchema,
  ScenarioMessageSchema,
]);

export type RunTaskMessage = z.infer<typeof RunTaskMessageSchema>;
export type QueryMessage = z.infer<typeof QueryMessageSchema>;
export type TelemetryMessage = z.infer<typeof TelemetryMessageSchema>;
export type ScenarioMessage = z.infer<typeof ScenarioMessageSchema>;
export type WorkerRequest = z.infer<typeof WorkerRequestSchema>;
