// The PromQL engine's public API (see ADR 013): a TSDB, parsing, instant and range queries.
// Nothing here throws: every failure is `{ ok: false, error }` with Prometheus-like wording.

import type { Expr } from './ast.ts';
import {
  DEFAULT_LOOKBACK_MS,
  DEFAULT_MAX_SAMPLES,
  DEFAULT_SUBQUERY_STEP_MS,
  DEFAULT_TIMEOUT_MS,
  EvalContext,
  tooManySamples,
} from './context.ts';
import { badData, QueryError, toPromQLError } from './errors.ts';
import { evaluate } from './evaluate.ts';
import { parseExpr } from './parse.ts';
import type { Tsdb } from './tsdb.ts';
import type { Labels, MatrixSeries, PromQLError, QueryOptions, QueryResult, QueryValue, VectorSample } from './types.ts';
import type { StepMatrix, StepValue, StepVector } from './values.ts';
import { compareLabels } from './values.ts';

export { MAX_NESTING_DEPTH, MAX_QUERY_LENGTH } from './parse.ts';
export { isStaleMarker, STALE_NAN, Tsdb } from './tsdb.ts';
export * from './types.ts';

/** Prometheus's limit on the points of one series in a range query. */
export const MAX_POINTS_PER_SERIES = 11_000;

export interface EngineQueryOptions extends QueryOptions {
  /** Range queries only; default 11,000 as Prometheus. Rule evaluation over long periods may raise it. */
  maxPointsPerSeries?: number;
}

export function parseQuery(
  text: string,
): { ok: true; expr: unknown; type: 'vector' | 'matrix' | 'scalar' | 'string' } | { ok: false; error: PromQLError } {
  try {
    const parsed = parseExpr(text);
    if (!parsed.ok) return { ok: false, error: toPromQLError(text, parsed.error) };
    return { ok: true, expr: parsed.expr, type: parsed.type };
  } catch (error) {
    return { ok: false, error: toPromQLError(text, error) };
  }
}

function defaultNow(): number {
  return globalThis.performance ? globalThis.performance.now() : Date.now();
}

function contextOptions(options: QueryOptions | undefined) {
  return {
    lookbackMs: options?.lookbackDeltaMs ?? DEFAULT_LOOKBACK_MS,
    maxSamples: options?.maxSamples ?? DEFAULT_MAX_SAMPLES,
    timeoutMs: options?.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    now: options?.now ?? defaultNow,
  };
}

const sortedCache = new WeakMap<Labels, Labels>();

/** Labels with their names in sorted order, so results read (and serialise) the same everywhere. */
function sortedLabels(labels: Labels): Labels {
  let sorted = sortedCache.get(labels);
  if (!sorted) {
    const out: Record<string, string> = {};
    for (const name of Object.keys(labels).sort()) out[name] = labels[name] as string;
    sorted = out;
    sortedCache.set(labels, sorted);
  }
  return sorted;
}

function keepsOrder(expr: Expr): boolean {
  let e = expr;
  while (e.kind === 'paren') e = e.expr;
  if (e.kind === 'call') return e.func.startsWith('sort');
  if (e.kind === 'aggregate') return e.op === 'topk' || e.op === 'bottomk';
  return false;
}

function checkTime(name: string, t: number): void {
  if (!Number.isFinite(t)) throw badData(`invalid ${name} time ${t}: not a finite number of ms`);
}

export function instantQuery(db: Tsdb, query: string, t: number, options?: QueryOptions): QueryResult {
  try {
    checkTime('evaluation', t);
    const parsed = parseExpr(query);
    if (!parsed.ok) return { ok: false, error: toPromQLError(query, parsed.error) };
    const ctx = new EvalContext(db, t, t, DEFAULT_SUBQUERY_STEP_MS, contextOptions(options));
    const value = instantValue(evaluate(parsed.expr, Float64Array.of(t), ctx), t, keepsOrder(parsed.expr));
    let samples = ctx.totalSamples;
    if (value.resultType === 'matrix') {
      // A range vector returned as it is: its samples are loaded, and held, for the answer.
      for (const series of value.result) samples += series.t.length;
      if (samples > ctx.maxSamples) throw tooManySamples();
    }
    return { ok: true, value, stats: { samples } };
  } catch (error) {
    return { ok: false, error: toPromQLError(query, error) };
  }
}

function instantValue(value: StepValue, t: number, ordered: boolean): QueryValue {
  switch (value.kind) {
    case 'scalar':
      return { resultType: 'scalar', t, v: value.v[0] as number };
    case 'string':
      return { resultType: 'string', t, v: value.v };
    case 'vector': {
      const series = ordered || value.ordered ? value.series : [...value.series].sort((a, b) => compareLabels(a.metric, b.metric));
      const result: VectorSample[] = [];
      for (const s of series) if (s.has[0]) result.push({ metric: sortedLabels(s.metric), t, v: s.v[0] as number });
      return { resultType: 'vector', result };
    }
    case 'matrix':
      return { resultType: 'matrix', result: matrixAt(value) };
  }
}

/** The raw samples of a range vector at its only step (instant query of `foo[5m]`). */
function matrixAt(m: StepMatrix): MatrixSeries[] {
  const end = m.ends[0] as number;
  const out: MatrixSeries[] = [];
  for (const s of m.series) {
    const t: number[] = [];
    const v: number[] = [];
    for (let j = 0; j < s.n; j++) {
      const tj = s.t[j] as number;
      if (tj > end - m.rangeMs && tj <= end) {
        t.push(tj);
        v.push(s.v[j] as number);
      }
    }
    if (t.length > 0) out.push({ metric: sortedLabels(s.metric), t, v });
  }
  return out.sort((a, b) => compareLabels(a.metric, b.metric));
}

export function rangeQuery(db: Tsdb, query: string, start: number, end: number, step: number, options?: EngineQueryOptions): QueryResult {
  try {
    checkTime('start', start);
    checkTime('end', end);
    if (end < start) throw badData('end timestamp must not be before start time');
    if (!(step > 0) || !Number.isFinite(step)) {
      throw badData('zero or negative query resolution step widths are not accepted. Try a positive integer');
    }
    const maxPoints = options?.maxPointsPerSeries ?? MAX_POINTS_PER_SERIES;
    if ((end - start) / step + 1 > maxPoints) {
      throw badData(
        `exceeded maximum resolution of ${maxPoints.toLocaleString('en-US')} points per timeseries. Try decreasing the query resolution (?step=XX)`,
      );
    }
    const parsed = parseExpr(query);
    if (!parsed.ok) return { ok: false, error: toPromQLError(query, parsed.error) };
    if (parsed.type !== 'vector' && parsed.type !== 'scalar') {
      throw badData(
        `invalid expression type ${JSON.stringify(parsed.type === 'matrix' ? 'range vector' : 'string')} for range query, must be Scalar or instant Vector`,
      );
    }
    const count = Math.floor((end - start) / step) + 1;
    const ts = new Float64Array(count);
    for (let i = 0; i < count; i++) ts[i] = start + i * step;
    const ctx = new EvalContext(db, start, end, step, contextOptions(options));
    const value = evaluate(parsed.expr, ts, ctx);
    return { ok: true, value: rangeValue(value, ts), stats: { samples: ctx.totalSamples } };
  } catch (error) {
    return { ok: false, error: toPromQLError(query, error) };
  }
}

function rangeValue(value: StepValue, ts: Float64Array): QueryValue {
  if (value.kind === 'scalar') {
    return { resultType: 'matrix', result: [{ metric: {}, t: Array.from(ts), v: Array.from(value.v) }] };
  }
  if (value.kind !== 'vector') throw new QueryError('bad_data', `unexpected ${value.kind} result of a range query`);
  const vector = value as StepVector;
  const result: MatrixSeries[] = [];
  for (const s of vector.series) {
    let n = 0;
    for (let i = 0; i < ts.length; i++) n += s.has[i] as number;
    if (n === 0) continue;
    const t: number[] = new Array(n);
    const v: number[] = new Array(n);
    let k = 0;
    for (let i = 0; i < ts.length; i++) {
      if (s.has[i]) {
        t[k] = ts[i] as number;
        v[k] = s.v[i] as number;
        k++;
      }
    }
    result.push({ metric: sortedLabels(s.metric), t, v });
  }
  result.sort((a, b) => compareLabels(a.metric, b.metric));
  return { resultType: 'matrix', result };
}
