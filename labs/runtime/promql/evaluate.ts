// The evaluator: every node is evaluated at all of its steps at once, so that range functions can
// walk each series once with two pointers (see functions.ts) instead of searching per step.

import { evalAggregate } from './aggregations.ts';
import type { AtModifier, Expr, LabelMatcher, MatrixSelector, Subquery, VectorSelector } from './ast.ts';
import { evalBinary } from './binary.ts';
import { DEFAULT_SUBQUERY_STEP_MS, type EvalContext } from './context.ts';
import { QueryError } from './errors.ts';
import { evalCall } from './functions.ts';
import type { StoredSeries } from './tsdb.ts';
import type { Labels } from './types.ts';
import type { RangeSeries, StepMatrix, StepScalar, StepSeries, StepValue, StepVector } from './values.ts';
import { compareLabels, dropMetricName, keyOf, newSeries, presentPoints } from './values.ts';

/**
 * Evaluates `expr` at every time in `ts`. Sample accounting follows what is held: when a node is
 * done, its children's outputs are released and its own output is charged (maxSamples).
 */
export function evaluate(expr: Expr, ts: Float64Array, ctx: EvalContext): StepValue {
  ctx.checkDeadline();
  ctx.tick(ts.length);
  const held = ctx.current;
  const slots = ctx.slots;
  const value = evaluateNode(expr, ts, ctx);
  ctx.release(ctx.current - held);
  ctx.releaseSlots(ctx.slots - slots);
  if (value.kind === 'vector') {
    ctx.charge(presentPoints(value));
    ctx.allocate(value.series.length * ts.length);
  }
  return value;
}

function evaluateNode(expr: Expr, ts: Float64Array, ctx: EvalContext): StepValue {
  switch (expr.kind) {
    case 'number':
      return { kind: 'scalar', v: ctx.constant(expr.value, ts.length) };
    case 'string':
      return { kind: 'string', v: expr.value };
    case 'paren':
      return evaluate(expr.expr, ts, ctx);
    case 'vector_selector':
      return evalVectorSelector(expr, ts, ctx);
    case 'matrix_selector':
      return evalMatrixSelector(expr, ts, ctx);
    case 'subquery':
      return evalSubquery(expr, ts, ctx);
    case 'unary': {
      const inner = evaluate(expr.expr, ts, ctx);
      if (expr.op === '+') return inner;
      if (inner.kind === 'scalar') return { kind: 'scalar', v: inner.v.map((x) => -x) };
      const vector = inner as StepVector;
      const series = vector.series.map((s) => ({ metric: dropMetricName(s.metric), v: s.v.map((x) => -x), has: s.has }));
      return { kind: 'vector', series: mergeSameLabels(series, ts.length) };
    }
    case 'binary':
      return evalBinary(expr, ts, ctx, evaluate);
    case 'aggregate':
      return evalAggregate(expr, ts, ctx, evaluate);
    case 'call':
      return evalCall(expr, ts, ctx, evaluate);
  }
}

export function asScalar(value: StepValue): StepScalar {
  if (value.kind !== 'scalar') throw new QueryError('execution', `expected scalar, got ${value.kind}`);
  return value;
}

// --- selection --------------------------------------------------------------------------------

function matches(matcher: LabelMatcher, value: string): boolean {
  switch (matcher.op) {
    case '=':
      return value === matcher.value;
    case '!=':
      return value !== matcher.value;
    case '=~':
      return (matcher.regex as NonNullable<LabelMatcher['regex']>).test(value);
    case '!~':
      return !(matcher.regex as NonNullable<LabelMatcher['regex']>).test(value);
  }
}

/** The stored series a selector's matchers select, in id order. */
export function selectSeries(ctx: EvalContext, matchers: LabelMatcher[]): StoredSeries[] {
  const all = ctx.db.series;
  let candidates: readonly number[] | null = null;
  for (const matcher of matchers) {
    if (matcher.op === '=' && matcher.value !== '') {
      const ids = ctx.db.postings(matcher.name, matcher.value);
      if (candidates === null || ids.length < candidates.length) candidates = ids;
    }
  }
  if (candidates === null) {
    const regex = matchers.find((m) => m.op === '=~' && !(m.regex as NonNullable<LabelMatcher['regex']>).test(''));
    if (regex) candidates = ctx.db.postingsMatching(regex.name, (value) => matches(regex, value));
  }
  const out: StoredSeries[] = [];
  const visit = (series: StoredSeries) => {
    for (const matcher of matchers) {
      if (!matches(matcher, series.labels[matcher.name] ?? '')) return;
    }
    out.push(series);
  };
  if (candidates === null) {
    for (const series of all) {
      ctx.tick();
      visit(series);
    }
  } else {
    for (const id of candidates) {
      ctx.tick();
      visit(all[id] as StoredSeries);
    }
  }
  // Prometheus iterates selected series in label order; topk's tie-breaking depends on it.
  return out.length > 1 ? out.sort((a, b) => compareLabels(a.labels, b.labels)) : out;
}

function resolveAt(at: AtModifier, ctx: EvalContext): number | null {
  if (at === null) return null;
  if (at === 'start') return ctx.start;
  if (at === 'end') return ctx.end;
  return at;
}

/** The times a selector looks at: each step's time, or the `@` time, minus the offset. */
function selectorTimes(ts: Float64Array, at: AtModifier, offsetMs: number, ctx: EvalContext): Float64Array {
  const fixed = resolveAt(at, ctx);
  if (fixed === null && offsetMs === 0) return ts; // read-only, like every step array
  const out = new Float64Array(ts.length);
  for (let i = 0; i < ts.length; i++) out[i] = (fixed ?? (ts[i] as number)) - offsetMs;
  return out;
}

/** First index in t[0..n) with t[index] > x. */
function upperBound(t: Float64Array, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((t[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `withSampleTimes`: also record each selected sample's timestamp (for timestamp()). */
export function evalVectorSelector(selector: VectorSelector, ts: Float64Array, ctx: EvalContext, withSampleTimes = false): StepVector {
  const times = selectorTimes(ts, selector.at, selector.offsetMs, ctx);
  const steps = ts.length;
  const out: StepSeries[] = [];
  let points = 0;
  for (const stored of selectSeries(ctx, selector.matchers)) {
    ctx.tick(steps);
    const { t, v, n, staleAt } = stored;
    if (n === 0) continue;
    ctx.allocate(steps);
    const series: StepSeries = newSeries(stored.labels, steps);
    const sampleT = withSampleTimes ? new Float64Array(steps) : null;
    let j = upperBound(t, n, times[0] as number); // first sample after the step time
    let stalePointer = 0;
    let any = false;
    for (let i = 0; i < steps; i++) {
      const T = times[i] as number;
      if (i > 0 && T < (times[i - 1] as number)) {
        j = upperBound(t, n, T);
        stalePointer = 0;
      }
      while (j < n && (t[j] as number) <= T) j++;
      const last = j - 1;
      if (last < 0 || (t[last] as number) <= T - ctx.lookbackMs) continue;
      if (staleAt.length > 0) {
        while (stalePointer < staleAt.length && (staleAt[stalePointer] as number) < last) stalePointer++;
        if (stalePointer < staleAt.length && staleAt[stalePointer] === last) continue;
      }
      series.v[i] = v[last] as number;
      series.has[i] = 1;
      if (sampleT) sampleT[i] = t[last] as number;
      points++;
      any = true;
    }
    if (any) {
      if (sampleT) series.sampleT = sampleT;
      out.push(series);
    }
  }
  ctx.totalSamples += points;
  return { kind: 'vector', series: out };
}

/** Samples of a stored series without its staleness markers (range vectors never contain them). */
function withoutStaleMarkers(stored: StoredSeries): RangeSeries {
  if (stored.staleAt.length === 0) return { metric: stored.labels, t: stored.t, v: stored.v, n: stored.n };
  const n = stored.n - stored.staleAt.length;
  const t = new Float64Array(n);
  const v = new Float64Array(n);
  let k = 0;
  let s = 0;
  for (let i = 0; i < stored.n; i++) {
    if (s < stored.staleAt.length && stored.staleAt[s] === i) {
      s++;
      continue;
    }
    t[k] = stored.t[i] as number;
    v[k] = stored.v[i] as number;
    k++;
  }
  return { metric: stored.labels, t, v, n: k };
}

/** Labels absent()/absent_over_time() report for a selector: its equality matchers, once each. */
export function absentLabels(matchers: LabelMatcher[]): Labels {
  const out: Record<string, string> = {};
  const dropped = new Set<string>();
  for (const matcher of matchers) {
    if (matcher.name === '__name__') continue;
    if (matcher.op === '=' && !dropped.has(matcher.name) && !(matcher.name in out)) out[matcher.name] = matcher.value;
    else {
      delete out[matcher.name];
      dropped.add(matcher.name);
    }
  }
  return out;
}

export function evalMatrixSelector(expr: MatrixSelector, ts: Float64Array, ctx: EvalContext): StepMatrix {
  const selector = expr.selector;
  const ends = selectorTimes(ts, selector.at, selector.offsetMs, ctx);
  const series: RangeSeries[] = [];
  const first = ends[0] as number;
  const last = ends[ends.length - 1] as number;
  for (const stored of selectSeries(ctx, selector.matchers)) {
    ctx.tick();
    if (stored.n === 0) continue;
    // Skip series with no sample in any window.
    const from = upperBound(stored.t, stored.n, first - expr.rangeMs);
    if (from >= stored.n || (stored.t[from] as number) > last) continue;
    series.push(withoutStaleMarkers(stored));
  }
  return {
    kind: 'matrix',
    series,
    rangeMs: expr.rangeMs,
    ends,
    evalT: ts,
    absentLabels: absentLabels(selector.matchers),
  };
}

export function evalSubquery(expr: Subquery, ts: Float64Array, ctx: EvalContext): StepMatrix {
  const ends = selectorTimes(ts, expr.at, expr.offsetMs, ctx);
  const step = expr.stepMs ?? DEFAULT_SUBQUERY_STEP_MS;
  const minEnd = ends[0] as number;
  const maxEnd = ends[ends.length - 1] as number;
  // Inner steps are aligned to multiples of the step (absolute time), as Prometheus aligns them.
  let innerStart = Math.floor((minEnd - expr.rangeMs) / step) * step;
  if (innerStart <= minEnd - expr.rangeMs) innerStart += step;
  const innerEnd = Math.floor(maxEnd / step) * step;
  const count = innerEnd >= innerStart ? Math.floor((innerEnd - innerStart) / step) + 1 : 0;
  if (count > ctx.maxSamples)
    throw new QueryError('too_many_samples', 'query processing would load too many samples into memory in query execution');
  const innerTs = new Float64Array(count);
  for (let i = 0; i < count; i++) innerTs[i] = innerStart + i * step;
  const series: RangeSeries[] = [];
  if (count > 0) {
    const inner = evaluate(expr.expr, innerTs, ctx) as StepVector;
    for (const s of inner.series) {
      ctx.tick(count);
      let n = 0;
      for (let i = 0; i < count; i++) n += s.has[i] as number;
      if (n === 0) continue;
      const t = new Float64Array(n);
      const v = new Float64Array(n);
      let k = 0;
      for (let i = 0; i < count; i++) {
        if (s.has[i]) {
          t[k] = innerTs[i] as number;
          v[k] = s.v[i] as number;
          k++;
        }
      }
      series.push({ metric: s.metric, t, v, n });
    }
  }
  return {
    kind: 'matrix',
    series,
    rangeMs: expr.rangeMs,
    ends,
    evalT: ts,
    absentLabels: {},
  };
}

/**
 * Series whose labels became equal (after a function dropped `__name__`, say) are one series in
 * Prometheus's output; two of them with a value at the same step is Prometheus's duplicate error.
 */
export function mergeSameLabels(series: StepSeries[], steps: number): StepSeries[] {
  if (series.length < 2) return series;
  const byKey = new Map<string, StepSeries[]>();
  let duplicates = false;
  for (const s of series) {
    const key = keyOf(s.metric);
    const list = byKey.get(key);
    if (list) {
      list.push(s);
      duplicates = true;
    } else byKey.set(key, [s]);
  }
  if (!duplicates) return series;
  const out: StepSeries[] = [];
  for (const list of byKey.values()) {
    if (list.length === 1) {
      out.push(list[0] as StepSeries);
      continue;
    }
    const merged = newSeries((list[0] as StepSeries).metric, steps);
    for (const s of list) {
      for (let i = 0; i < steps; i++) {
        if (!s.has[i]) continue;
        if (merged.has[i]) throw new QueryError('execution', 'vector cannot contain metrics with the same labelset');
        merged.has[i] = 1;
        merged.v[i] = s.v[i] as number;
      }
    }
    out.push(merged);
  }
  return out;
}
