// What the workbench asks of a lab's data outside a graded run: exploratory instant and range
// queries (with the lab's sample limit and deadline) and the names for editor completion. The data
// is the lab's telemetry, or, when the message names a cluster task, that task's simulated cluster
// (the incident or a remediation's re-run, ADR 019).
import { instantQuery, rangeQuery, type Tsdb } from '../promql/index.ts';
import type { Labels, QueryResult } from '../promql/types.ts';
import type { MetricMetadata } from '../telemetry/spec.ts';
import type { ClusterTask, Lab } from './definition.ts';
import { clusterMetadata } from './kinds/cluster-metadata.ts';
import { clusterRun } from './kinds/cluster-runs.ts';
import { viewOfValue } from './kinds/promql.ts';
import { labTelemetry } from './kinds/telemetry-cache.ts';
import { LAB_MAX_SAMPLES, LAB_QUERY_TIMEOUT_MS } from './limits.ts';
import { INCIDENT, type QueryMessage, type ScenarioMessage, type TelemetryMessage } from './messages.ts';
import { encodeSample, type QueryOutcome } from './outcome.ts';

/** Series a range query may return to the graph (each at most 11,000 points: the engine's limit). */
export const GRAPH_SERIES_LIMIT = 50;

/** Refused before anything runs: an unknown task, a task that is not a cluster task, a cluster that cannot be simulated. */
export class ExploreTargetError extends Error {
  override name = 'ExploreTargetError';
}

interface Target {
  db: Tsdb;
  start: number;
  end: number;
  /** An instant query's time when the message gives none: the telemetry's end, or a cluster task's focus end. */
  defaultTime: number;
  digest: string;
  stats: { series: number; samples: number; bytes: number; generationMs: number };
  metadata: MetricMetadata[];
  series: () => Labels[];
}

function clusterTask(lab: Lab, taskId: string): ClusterTask {
  const task = lab.tasks.find((t) => t.id === taskId);
  if (!task) throw new ExploreTargetError(`lab "${lab.id}" has no task "${taskId.slice(0, 100)}"`);
  if (task.kind !== 'cluster') throw new ExploreTargetError(`task "${task.id}" works on the lab's telemetry: send no taskId`);
  return task;
}

function targetOf(lab: Lab, message: { seed: number; taskId?: string | undefined; variant?: string | undefined }): Target {
  if (message.taskId !== undefined) {
    const task = clusterTask(lab, message.taskId);
    const result = clusterRun(lab, task, message.variant ?? INCIDENT, message.seed);
    if (!result.ok) throw new ExploreTargetError(result.error);
    const { run } = result;
    return {
      db: run.db,
      start: run.start,
      end: run.end,
      defaultTime: run.scenario.startMs + task.focus.toMs,
      digest: run.digest,
      stats: { series: run.series, samples: run.samples, bytes: run.samples * 8, generationMs: Math.round(result.simulatedMs) },
      metadata: clusterMetadata(),
      series: () => run.db.seriesLabels().map((labels) => ({ ...labels })),
    };
  }
  const telemetry = labTelemetry(lab, message.seed);
  return {
    db: telemetry.db,
    start: telemetry.start,
    end: telemetry.end,
    defaultTime: telemetry.end,
    digest: telemetry.digest,
    stats: telemetry.stats,
    metadata: telemetry.metadata,
    series: () => telemetry.series.map((s) => ({ ...s.labels })),
  };
}

function evaluateSafely(run: () => QueryResult): QueryResult {
  try {
    return run();
  } catch (error) {
    return { ok: false, error: { kind: 'execution', message: `the query could not be evaluated: ${(error as Error).message}` } };
  }
}

export function exploreQuery(lab: Lab, message: QueryMessage): QueryOutcome {
  let target: Target;
  try {
    target = targetOf(lab, message);
  } catch (error) {
    if (error instanceof ExploreTargetError) return { ok: false, error: { kind: 'bad_data', message: error.message } };
    throw error;
  }
  const options = { maxSamples: LAB_MAX_SAMPLES, timeoutMs: LAB_QUERY_TIMEOUT_MS };
  if (message.query.trim() === '')
    return { ok: false, error: { kind: 'bad_data', message: 'the query is empty: write a PromQL expression' } };
  const { start, end, step } = message;
  if (start === undefined || end === undefined || step === undefined) {
    const time = message.time ?? target.defaultTime;
    const result = evaluateSafely(() => instantQuery(target.db, message.query, time, options));
    if (!result.ok) return { ok: false, error: { ...result.error } };
    return { ...viewOfValue(result.value), samples: result.stats.samples };
  }
  const result = evaluateSafely(() => rangeQuery(target.db, message.query, start, end, step, options));
  if (!result.ok) return { ok: false, error: { ...result.error } };
  if (result.value.resultType !== 'matrix') return { ...viewOfValue(result.value), samples: result.stats.samples };
  const series = result.value.result;
  return {
    ok: true,
    value: {
      resultType: 'matrix',
      result: series.slice(0, GRAPH_SERIES_LIMIT).map((s) => ({ metric: { ...s.metric }, t: [...s.t], v: s.v.map(encodeSample) })),
    },
    seriesCount: series.length,
    truncated: series.length > GRAPH_SERIES_LIMIT,
    samples: result.stats.samples,
  };
}

export interface TelemetryDescription {
  /** First and last scrape, epoch ms: the lab's "now" is `end`. */
  start: number;
  end: number;
  scrapeIntervalMs: number;
  datasetDigest: string;
  metrics: MetricMetadata[];
  /** Every series' labels (`__name__` included). */
  series: Labels[];
  stats: { series: number; samples: number; bytes: number; generationMs: number };
}

/** Throws ExploreTargetError for a bad cluster target (the worker answers it as an error). */
export function describeTelemetry(lab: Lab, message: TelemetryMessage): TelemetryDescription {
  const target = targetOf(lab, message);
  return {
    start: target.start,
    end: target.end,
    scrapeIntervalMs: 15_000,
    datasetDigest: target.digest,
    metrics: target.metadata,
    series: target.series(),
    stats: target.stats,
  };
}

export type ScenarioReply =
  | {
      type: 'scenario';
      ok: true;
      taskId: string;
      variant: string;
      start: number;
      end: number;
      stepMs: number;
      series: number;
      samples: number;
      simulatedMs: number;
    }
  | { type: 'scenario'; ok: false; taskId: string; variant: string; error: string };

/** Simulates (or finds cached) a cluster task's run and says how large it is. */
export function describeScenario(lab: Lab, message: ScenarioMessage): ScenarioReply {
  const { taskId, variant } = message;
  try {
    const task = clusterTask(lab, taskId);
    const result = clusterRun(lab, task, variant, message.seed);
    if (!result.ok) return { type: 'scenario', ok: false, taskId, variant, error: result.error };
    const { run } = result;
    return {
      type: 'scenario',
      ok: true,
      taskId,
      variant,
      start: run.start,
      end: run.end,
      stepMs: 15_000,
      series: run.series,
      samples: run.samples,
      simulatedMs: Math.round(result.simulatedMs),
    };
  } catch (error) {
    if (error instanceof ExploreTargetError) return { type: 'scenario', ok: false, taskId, variant, error: error.message };
    throw error;
  }
}
