// What the workbench asks of a lab's telemetry outside a graded run: exploratory instant and range
// queries (with the lab's sample limit and deadline) and the names for editor completion.
import { rangeQuery } from '../promql/index.ts';
import type { Labels } from '../promql/types.ts';
import type { MetricMetadata } from '../telemetry/spec.ts';
import type { Lab } from './definition.ts';
import { evaluateInstant, viewOfValue } from './kinds/promql.ts';
import { labTelemetry } from './kinds/telemetry-cache.ts';
import { LAB_MAX_SAMPLES, LAB_QUERY_TIMEOUT_MS } from './limits.ts';
import type { QueryMessage, TelemetryMessage } from './messages.ts';
import { encodeSample, type QueryOutcome } from './outcome.ts';

/** Series a range query may return to the graph (each at most 11,000 points: the engine's limit). */
export const GRAPH_SERIES_LIMIT = 50;

export function exploreQuery(lab: Lab, message: QueryMessage): QueryOutcome {
  const telemetry = labTelemetry(lab, message.seed);
  const options = { maxSamples: LAB_MAX_SAMPLES, timeoutMs: LAB_QUERY_TIMEOUT_MS };
  const { start, end, step } = message;
  if (start === undefined || end === undefined || step === undefined) {
    const result = evaluateInstant(telemetry, message.query, message.time ?? telemetry.end, options);
    if (!result.ok) return { ok: false, error: { ...result.error } };
    return { ...viewOfValue(result.value), samples: result.stats.samples };
  }
  if (message.query.trim() === '')
    return { ok: false, error: { kind: 'bad_data', message: 'the query is empty: write a PromQL expression' } };
  let result: ReturnType<typeof rangeQuery>;
  try {
    result = rangeQuery(telemetry.db, message.query, start, end, step, options);
  } catch (error) {
    return { ok: false, error: { kind: 'execution', message: `the query could not be evaluated: ${(error as Error).message}` } };
  }
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
  /** Every series' labels (`__name__` included): ~120 series. */
  series: Labels[];
  stats: { series: number; samples: number; bytes: number; generationMs: number };
}

export function describeTelemetry(lab: Lab, message: TelemetryMessage): TelemetryDescription {
  const telemetry = labTelemetry(lab, message.seed);
  return {
    start: telemetry.start,
    end: telemetry.end,
    scrapeIntervalMs: telemetry.spec.scrapeIntervalMs,
    datasetDigest: telemetry.digest,
    metrics: telemetry.metadata,
    series: telemetry.series.map((s) => ({ ...s.labels })),
    stats: telemetry.stats,
  };
}
