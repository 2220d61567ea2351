// PromQL functions. Range-vector functions walk each series once across all steps with two
// pointers (the window (end − range, end] only moves forward), using prefix counts and compensated
// prefix sums where a window aggregate allows it, so a range query costs O(samples + steps).

import { RE2JS } from 're2js';
import type { Call, Expr } from './ast.ts';
import type { EvalContext } from './context.ts';
import { badData, QueryError } from './errors.ts';
import { absentLabels, type evaluate as Evaluate, evalVectorSelector, mergeSameLabels } from './evaluate.ts';
import { histogramQuantile } from './histogram.ts';
import { kahanStep, MeanAccumulator, naturalCompare, quantileOf } from './numeric.ts';
import type { Labels } from './types.ts';
import type { RangeSeries, StepMatrix, StepScalar, StepSeries, StepString, StepValue, StepVector } from './values.ts';
import { compareLabels, dropMetricName, keyOf, newSeries } from './values.ts';

type Eval = typeof Evaluate;

export function evalCall(call: Call, ts: Float64Array, ctx: EvalContext, evaluate: Eval): StepValue {
  const steps = ts.length;
  const f = call.func;
  const arg = (i: number) => evaluate(call.args[i] as Expr, ts, ctx);
  switch (f) {
    case 'time':
      return { kind: 'scalar', v: ts.map((t) => t / 1000) };
    case 'pi':
      return { kind: 'scalar', v: ctx.constant(Math.PI, steps) };
    case 'vector': {
      const s = arg(0) as StepScalar;
      return { kind: 'vector', series: [{ metric: {}, v: s.v, has: new Uint8Array(steps).fill(1) }] };
    }
    case 'scalar': {
      const vector = arg(0) as StepVector;
      const v = new Float64Array(steps);
      for (let i = 0; i < steps; i++) {
        let count = 0;
        let value = Number.NaN;
        for (const s of vector.series) {
          if (s.has[i]) {
            count++;
            value = s.v[i] as number;
          }
        }
        v[i] = count === 1 ? value : Number.NaN;
      }
      return { kind: 'scalar', v };
    }
    case 'absent': {
      const vector = arg(0) as StepVector;
      const inner = unwrapParens(call.args[0] as Expr);
      const labels = inner.kind === 'vector_selector' ? absentLabels(inner.matchers) : {};
      const out = newSeries(labels, steps);
      for (let i = 0; i < steps; i++) {
        if (!vector.series.some((s) => s.has[i])) {
          out.has[i] = 1;
          out.v[i] = 1;
        }
      }
      return { kind: 'vector', series: out.has.includes(1) ? [out] : [] };
    }
    case 'timestamp': {
      // Of a selector: the selected samples' own timestamps; of anything else: the step times.
      const inner = unwrapParens(call.args[0] as Expr);
      const vector = inner.kind === 'vector_selector' ? evalVectorSelector(inner, ts, ctx, true) : (arg(0) as StepVector);
      const series = vector.series.map((s) => ({
        metric: dropMetricName(s.metric),
        v: s.sampleT ? s.sampleT.map((t) => t / 1000) : ts.map((t) => t / 1000),
        has: s.has,
      }));
      return { kind: 'vector', series: mergeSameLabels(series, steps) };
    }
    case 'sort':
    case 'sort_desc':
      return sortByValue(arg(0) as StepVector, f === 'sort_desc');
    case 'sort_by_label':
    case 'sort_by_label_desc': {
      const vector = arg(0) as StepVector;
      const names = call.args.slice(1).map((_, i) => (arg(i + 1) as StepString).v);
      const sign = f === 'sort_by_label_desc' ? -1 : 1;
      const series = [...vector.series].sort((a, b) => {
        for (const name of names) {
          const x = a.metric[name] ?? '';
          const y = b.metric[name] ?? '';
          if (x !== y) return sign * naturalCompare(x, y);
        }
        return sign * compareLabels(a.metric, b.metric);
      });
      return { kind: 'vector', series, ordered: true };
    }
    case 'label_replace':
      return labelReplace(call, arg(0) as StepVector, (i) => (arg(i) as StepString).v, steps);
    case 'label_join':
      return labelJoin(call, arg(0) as StepVector, (i) => (arg(i) as StepString).v, steps);
    case 'histogram_quantile':
      return histogramQuantile(arg(0) as StepScalar, arg(1) as StepVector, steps, ctx);
    case 'round': {
      const vector = arg(0) as StepVector;
      const toNearest = call.args.length > 1 ? (arg(1) as StepScalar).v : null;
      return mapVector(vector, steps, (x, i) => {
        const inverse = 1 / (toNearest ? (toNearest[i] as number) : 1);
        return Math.floor(x * inverse + 0.5) / inverse;
      });
    }
    case 'clamp': {
      const vector = arg(0) as StepVector;
      const min = (arg(1) as StepScalar).v;
      const max = (arg(2) as StepScalar).v;
      const out = mapVector(vector, steps, (x, i) => Math.max(min[i] as number, Math.min(max[i] as number, x)));
      for (const s of out.series) {
        // mapVector shares the input's presence array: copy it before clearing steps.
        s.has = s.has.slice();
        for (let i = 0; i < steps; i++) if ((max[i] as number) < (min[i] as number)) s.has[i] = 0;
      }
      out.series = out.series.filter((s) => s.has.includes(1));
      return out;
    }
    case 'clamp_min': {
      const min = (arg(1) as StepScalar).v;
      return mapVector(arg(0) as StepVector, steps, (x, i) => goMax(x, min[i] as number));
    }
    case 'clamp_max': {
      const max = (arg(1) as StepScalar).v;
      return mapVector(arg(0) as StepVector, steps, (x, i) => goMin(x, max[i] as number));
    }
    case 'day_of_month':
    case 'day_of_week':
    case 'day_of_year':
    case 'days_in_month':
    case 'hour':
    case 'minute':
    case 'month':
    case 'year': {
      const vector: StepVector =
        call.args.length > 0
          ? (arg(0) as StepVector)
          : { kind: 'vector', series: [{ metric: {}, v: ts.map((t) => t / 1000), has: new Uint8Array(steps).fill(1) }] };
      return mapVector(vector, steps, (x) => dateField(f, x));
    }
    default:
      break;
  }
  const math = MATH[f];
  if (math) return mapVector(arg(0) as StepVector, steps, math);
  const range = RANGE_FUNCTIONS[f];
  if (range) {
    const matrix = arg(range.matrixArg) as StepMatrix;
    const scalars = call.args.map((a, i) => (i === range.matrixArg ? null : (evaluate(a, ts, ctx) as StepScalar).v));
    if (f === 'absent_over_time') return absentOverTime(matrix, steps, ctx);
    return evalRangeFunction(f, range, matrix, scalars, steps, ctx);
  }
  throw new QueryError('unsupported', `function ${JSON.stringify(f)} is not supported in this lab`, call.from);
}

export function unwrapParens(expr: Expr): Expr {
  let e = expr;
  while (e.kind === 'paren') e = e.expr;
  return e;
}

function goMax(a: number, b: number): number {
  return Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.max(a, b);
}

function goMin(a: number, b: number): number {
  return Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.min(a, b);
}

/** Applies `fn` to every value, dropping the metric name as Prometheus's math functions do. */
function mapVector(vector: StepVector, steps: number, fn: (x: number, step: number) => number): StepVector {
  const series: StepSeries[] = vector.series.map((s) => {
    const v = new Float64Array(steps);
    for (let i = 0; i < steps; i++) if (s.has[i]) v[i] = fn(s.v[i] as number, i);
    return { metric: dropMetricName(s.metric), v, has: s.has };
  });
  return { kind: 'vector', series: mergeSameLabels(series, steps) };
}

const MATH: Record<string, (x: number) => number> = {
  abs: Math.abs,
  ceil: Math.ceil,
  floor: Math.floor,
  exp: Math.exp,
  ln: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  sqrt: Math.sqrt,
  sgn: (x) => (x > 0 ? 1 : x < 0 ? -1 : x),
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  asinh: Math.asinh,
  acosh: Math.acosh,
  atanh: Math.atanh,
  deg: (x) => (x * 180) / Math.PI,
  rad: (x) => (x * Math.PI) / 180,
};

function dateField(f: string, seconds: number): number {
  if (!Number.isFinite(seconds)) return Number.NaN;
  const date = new Date(Math.trunc(seconds) * 1000);
  if (Number.isNaN(date.getTime())) return Number.NaN;
  switch (f) {
    case 'day_of_month':
      return date.getUTCDate();
    case 'day_of_week':
      return date.getUTCDay();
    case 'day_of_year': {
      const startOfYear = Date.UTC(date.getUTCFullYear(), 0, 1);
      return Math.floor((date.getTime() - startOfYear) / 86_400_000) + 1;
    }
    case 'days_in_month':
      return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
    case 'hour':
      return date.getUTCHours();
    case 'minute':
      return date.getUTCMinutes();
    case 'month':
      return date.getUTCMonth() + 1;
    default:
      return date.getUTCFullYear();
  }
}

function sortByValue(vector: StepVector, descending: boolean): StepVector {
  // Only meaningful for instant queries (one step); NaN sorts last either way, as in Prometheus.
  const series = [...vector.series].sort((a, b) => {
    const x = a.v[0] as number;
    const y = b.v[0] as number;
    if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : 1;
    if (Number.isNaN(y)) return -1;
    return descending ? y - x : x - y;
  });
  return { kind: 'vector', series, ordered: true };
}

const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function setLabel(metric: Labels, name: string, value: string): Labels {
  const out: Record<string, string> = { ...metric };
  if (value === '') delete out[name];
  else out[name] = value;
  return out;
}

/** Go's regexp.Expand for `$1`, `${1}`, `$name`, `${name}`, `$$`. */
function expandTemplate(template: string, group: (ref: string) => string): string {
  return template.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (whole, _x, braced, bare) => {
    if (whole === '$$') return '$';
    return group((braced ?? bare) as string);
  });
}

function labelReplace(call: Call, vector: StepVector, str: (i: number) => string, steps: number): StepVector {
  const dst = str(1);
  const replacement = str(2);
  const src = str(3);
  const regexText = str(4);
  if (!LABEL_NAME.test(dst)) throw badData(`invalid destination label name in label_replace(): ${dst}`, call.from);
  let regex: ReturnType<typeof compileReplaceRegex>;
  try {
    regex = compileReplaceRegex(regexText);
  } catch (error) {
    throw badData(`invalid regular expression in label_replace(): ${regexText}: ${(error as Error).message}`, call.from);
  }
  const series = vector.series.map((s) => {
    const m = regex.matcher(s.metric[src] ?? '');
    if (!m.matches()) return s;
    const value = expandTemplate(replacement, (ref) => {
      try {
        const g = /^\d+$/.test(ref) ? m.group(Number(ref)) : m.group(ref);
        return g ?? '';
      } catch {
        return '';
      }
    });
    return { ...s, metric: setLabel(s.metric, dst, value) };
  });
  return { kind: 'vector', series: mergeSameLabels(series, steps) };
}

function compileReplaceRegex(source: string): RE2JS {
  RE2JS.compile(source);
  return RE2JS.compile(`^(?s:${source})$`);
}

function labelJoin(call: Call, vector: StepVector, str: (i: number) => string, steps: number): StepVector {
  const dst = str(1);
  const separator = str(2);
  const sources = call.args.slice(3).map((_, i) => str(i + 3));
  if (!LABEL_NAME.test(dst)) throw badData(`invalid destination label name in label_join(): ${dst}`, call.from);
  for (const source of sources) {
    if (!LABEL_NAME.test(source)) throw badData(`invalid source label name in label_join(): ${source}`, call.from);
  }
  const series = vector.series.map((s) => ({
    ...s,
    metric: setLabel(s.metric, dst, sources.map((name) => s.metric[name] ?? '').join(separator)),
  }));
  return { kind: 'vector', series: mergeSameLabels(series, steps) };
}

// --- range-vector functions -------------------------------------------------------------------

interface RangeFunction {
  matrixArg: number;
  keepName?: boolean;
}

const RANGE_FUNCTIONS: Record<string, RangeFunction> = {
  rate: { matrixArg: 0 },
  increase: { matrixArg: 0 },
  delta: { matrixArg: 0 },
  irate: { matrixArg: 0 },
  idelta: { matrixArg: 0 },
  deriv: { matrixArg: 0 },
  predict_linear: { matrixArg: 0 },
  resets: { matrixArg: 0 },
  changes: { matrixArg: 0 },
  avg_over_time: { matrixArg: 0 },
  min_over_time: { matrixArg: 0 },
  max_over_time: { matrixArg: 0 },
  sum_over_time: { matrixArg: 0 },
  count_over_time: { matrixArg: 0 },
  quantile_over_time: { matrixArg: 1 },
  stddev_over_time: { matrixArg: 0 },
  stdvar_over_time: { matrixArg: 0 },
  last_over_time: { matrixArg: 0, keepName: true },
  first_over_time: { matrixArg: 0, keepName: true },
  present_over_time: { matrixArg: 0 },
  mad_over_time: { matrixArg: 0 },
  absent_over_time: { matrixArg: 0 },
  ts_of_first_over_time: { matrixArg: 0 },
  ts_of_last_over_time: { matrixArg: 0 },
  ts_of_max_over_time: { matrixArg: 0 },
  ts_of_min_over_time: { matrixArg: 0 },
  double_exponential_smoothing: { matrixArg: 0 },
};

/** Per-series state a kernel computes once and reuses at every step (a class: one stable shape). */
class SeriesPrep {
  /** Indices j (ascending) where v[j] < v[j−1]: counter resets. */
  resets: Int32Array | null = null;
  /** prefix[j] = number of changes among samples 1..j. */
  changes: Int32Array | null = null;
  /** Compensated prefix sums: sum of v[0..j) is sumHi[j] + sumLo[j]. */
  sumHi: Float64Array | null = null;
  sumLo: Float64Array | null = null;
  /** Set when the series holds a non-finite value (prefix sums would then be wrong). */
  noPrefix = false;
  /** Monotonic deque of sample indices for min/max_over_time (NaN samples left out). */
  deque: Int32Array | null = null;
  dequeHead = 0;
  dequeTail = 0;
  /** Next sample index to enter the deque, and the window start it was last trimmed to. */
  dequeNext = 0;
  dequeLo = 0;
}

type Kernel = (
  s: RangeSeries,
  lo: number,
  hi: number,
  step: number,
  prep: SeriesPrep,
  m: StepMatrix,
  scalars: (Float64Array | null)[],
) => number | undefined;

function counterResets(s: RangeSeries): Int32Array {
  const out: number[] = [];
  for (let j = 1; j < s.n; j++) if ((s.v[j] as number) < (s.v[j - 1] as number)) out.push(j);
  return Int32Array.from(out);
}

function changePrefix(s: RangeSeries): Int32Array {
  const out = new Int32Array(s.n);
  for (let j = 1; j < s.n; j++) {
    const a = s.v[j] as number;
    const b = s.v[j - 1] as number;
    const same = a === b || (Number.isNaN(a) && Number.isNaN(b));
    out[j] = (out[j - 1] as number) + (same ? 0 : 1);
  }
  return out;
}

function sumPrefix(s: RangeSeries, prep: SeriesPrep): boolean {
  if (prep.sumHi) return true;
  if (prep.noPrefix) return false;
  const hi = new Float64Array(s.n + 1);
  const lo = new Float64Array(s.n + 1);
  const pair = new Float64Array(2);
  for (let j = 0; j < s.n; j++) {
    const x = s.v[j] as number;
    if (!Number.isFinite(x)) {
      prep.noPrefix = true;
      return false;
    }
    kahanStep(x, hi[j] as number, lo[j] as number, pair, 0);
    hi[j + 1] = pair[0] as number;
    lo[j + 1] = pair[1] as number;
  }
  prep.sumHi = hi;
  prep.sumLo = lo;
  return true;
}

/** Kahan sum of v[lo..hi), directly. */
function directSum(s: RangeSeries, lo: number, hi: number): number {
  const pair = new Float64Array(2);
  for (let j = lo; j < hi; j++) kahanStep(s.v[j] as number, pair[0] as number, pair[1] as number, pair, 0);
  return (pair[0] as number) + (pair[1] as number);
}

function windowSum(s: RangeSeries, lo: number, hi: number, prep: SeriesPrep): number {
  if (hi - lo > 32 && sumPrefix(s, prep)) {
    const sumHi = prep.sumHi as Float64Array;
    const sumLo = prep.sumLo as Float64Array;
    return (sumHi[hi] as number) - (sumHi[lo] as number) + ((sumLo[hi] as number) - (sumLo[lo] as number));
  }
  return directSum(s, lo, hi);
}

/**
 * What rate(), increase() and delta() need per step that depends only on the timestamps: the
 * window's sample indices and Prometheus's extrapolation durations. All series of one scrape share
 * their timestamp array, so this is computed once per scrape and window, not once per series.
 */
interface WindowPlan {
  t: Float64Array;
  n: number;
  ends: Float64Array;
  rangeMs: number;
  lo: Int32Array;
  hi: Int32Array;
  /** Seconds from the first sample to the last, to the window start and to the window end (after the 1.1 × rule). */
  sampled: Float64Array;
  toStart: Float64Array;
  toEnd: Float64Array;
  samples: number;
  maxWindow: number;
}

function planWindows(t: Float64Array, n: number, ends: Float64Array, rangeMs: number): WindowPlan {
  const steps = ends.length;
  const plan: WindowPlan = {
    t,
    n,
    ends,
    rangeMs,
    lo: new Int32Array(steps),
    hi: new Int32Array(steps),
    sampled: new Float64Array(steps),
    toStart: new Float64Array(steps),
    toEnd: new Float64Array(steps),
    samples: 0,
    maxWindow: 0,
  };
  let lo = 0;
  let hi = 0;
  let previousEnd = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < steps; i++) {
    const rangeEnd = ends[i] as number;
    if (rangeEnd < previousEnd) {
      lo = 0;
      hi = 0;
    }
    previousEnd = rangeEnd;
    const rangeStart = rangeEnd - rangeMs;
    while (hi < n && (t[hi] as number) <= rangeEnd) hi++;
    while (lo < hi && (t[lo] as number) <= rangeStart) lo++;
    plan.lo[i] = lo;
    plan.hi[i] = hi;
    const count = hi - lo;
    plan.samples += count;
    if (count > plan.maxWindow) plan.maxWindow = count;
    if (count < 2) continue;
    const firstT = t[lo] as number;
    const lastT = t[hi - 1] as number;
    let durationToStart = (firstT - rangeStart) / 1000;
    let durationToEnd = (rangeEnd - lastT) / 1000;
    const sampledInterval = (lastT - firstT) / 1000;
    const averageInterval = sampledInterval / (count - 1);
    const threshold = averageInterval * 1.1;
    if (durationToStart >= threshold) durationToStart = averageInterval / 2;
    if (durationToEnd >= threshold) durationToEnd = averageInterval / 2;
    plan.sampled[i] = sampledInterval;
    plan.toStart[i] = durationToStart;
    plan.toEnd[i] = durationToEnd;
  }
  return plan;
}

/**
 * rate(), increase() and delta() over every step of one series: Prometheus's extrapolatedRate,
 * from the shared window plan plus this series' values and counter resets (a dedicated loop: this
 * is the hot path of every SLI and burn-rate query).
 */
function computeExtrapolatedSeries(
  isCounter: boolean,
  isRate: boolean,
  s: RangeSeries,
  m: StepMatrix,
  ctx: EvalContext,
  out: Float64Array,
  has: Uint8Array,
  fold: SumFold | null = null,
): boolean {
  const plan = ctx.memo(
    s.t,
    `windows:${m.rangeMs}`,
    (p: WindowPlan) => p.n === s.n && p.ends === m.ends,
    () => planWindows(s.t, s.n, m.ends, m.rangeMs),
  );
  ctx.checkWindow(plan.maxWindow);
  const v = s.v;
  const rangeSeconds = m.rangeMs / 1000;
  const steps = m.ends.length;
  const { lo: los, hi: his, sampled, toStart, toEnd } = plan;
  const resets = isCounter ? counterResets(s) : new Int32Array(0);
  let k = 0;
  let any = false;
  let previousLo = 0;
  for (let i = 0; i < steps; i++) {
    const lo = los[i] as number;
    const hi = his[i] as number;
    if (lo < previousLo) k = 0;
    previousLo = lo;
    if (hi - lo < 2) continue;
    const firstV = v[lo] as number;
    let result = (v[hi - 1] as number) - firstV;
    if (isCounter) {
      // Resets strictly inside the window, indices in (lo, hi); lo only moves forward.
      while (k < resets.length && (resets[k] as number) <= lo) k++;
      for (let r = k; r < resets.length && (resets[r] as number) < hi; r++) result += v[(resets[r] as number) - 1] as number;
    }
    const sampledInterval = sampled[i] as number;
    let durationToStart = toStart[i] as number;
    if (isCounter && result > 0 && firstV >= 0) {
      // Counters cannot go below zero: do not extrapolate past the zero point.
      const durationToZero = sampledInterval * (firstV / result);
      if (durationToZero < durationToStart) durationToStart = durationToZero;
    }
    let factor = (sampledInterval + durationToStart + (toEnd[i] as number)) / sampledInterval;
    if (isRate) factor /= rangeSeconds;
    const x = result * factor;
    any = true;
    if (fold === null) {
      out[i] = x;
      has[i] = 1;
    } else if (!has[i]) {
      has[i] = 1;
      out[i] = fold.count ? 1 : x;
    } else if (fold.count) out[i] = (out[i] as number) + 1;
    else {
      // Neumaier's compensated sum, as Prometheus's sum.
      const comp = fold.comp;
      const sum = out[i] as number;
      const total = sum + x;
      if (total - total !== 0) comp[i] = 0;
      else if (Math.abs(sum) >= Math.abs(x)) comp[i] = (comp[i] as number) + (sum - total + x);
      else comp[i] = (comp[i] as number) + (x - total + sum);
      out[i] = total;
    }
  }
  ctx.tick(steps + (plan.samples >> 6));
  ctx.totalSamples += plan.samples;
  return any;
}

function lowerBoundInt(a: Int32Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function instantDelta(isRate: boolean): Kernel {
  return (s, lo, hi) => {
    if (hi - lo < 2) return undefined;
    const last = s.v[hi - 1] as number;
    const previous = s.v[hi - 2] as number;
    const result = isRate && last < previous ? last : last - previous;
    if (!isRate) return result;
    const interval = ((s.t[hi - 1] as number) - (s.t[hi - 2] as number)) / 1000;
    return result / interval;
  };
}

/** Least-squares slope and intercept at `interceptTime`, with Prometheus's Kahan sums. */
function linearRegression(s: RangeSeries, lo: number, hi: number, interceptTime: number): [number, number] {
  const initY = s.v[lo] as number;
  let constY = true;
  const acc = new Float64Array(8); // sumX, cX, sumY, cY, sumXY, cXY, sumX2, cX2
  let n = 0;
  for (let j = lo; j < hi; j++) {
    const y = s.v[j] as number;
    if (constY && j > lo && y !== initY) constY = false;
    n++;
    const x = ((s.t[j] as number) - interceptTime) / 1000;
    kahanStep(x, acc[0] as number, acc[1] as number, acc, 0);
    kahanStep(y, acc[2] as number, acc[3] as number, acc, 2);
    kahanStep(x * y, acc[4] as number, acc[5] as number, acc, 4);
    kahanStep(x * x, acc[6] as number, acc[7] as number, acc, 6);
  }
  if (constY) {
    if (!Number.isFinite(initY)) return [Number.NaN, Number.NaN];
    return [0, initY];
  }
  const sumX = (acc[0] as number) + (acc[1] as number);
  const sumY = (acc[2] as number) + (acc[3] as number);
  const sumXY = (acc[4] as number) + (acc[5] as number);
  const sumX2 = (acc[6] as number) + (acc[7] as number);
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  const slope = covXY / varX;
  const intercept = sumY / n - (slope * sumX) / n;
  return [slope, intercept];
}

function variance(s: RangeSeries, lo: number, hi: number): number {
  let count = 0;
  const acc = new Float64Array(4); // mean, cMean, aux, cAux
  for (let j = lo; j < hi; j++) {
    const x = s.v[j] as number;
    count++;
    const delta = x - ((acc[0] as number) + (acc[1] as number));
    kahanStep(delta / count, acc[0] as number, acc[1] as number, acc, 0);
    kahanStep(delta * (x - ((acc[0] as number) + (acc[1] as number))), acc[2] as number, acc[3] as number, acc, 2);
  }
  return ((acc[2] as number) + (acc[3] as number)) / count;
}

function windowValues(s: RangeSeries, lo: number, hi: number): number[] {
  const out: number[] = new Array(hi - lo);
  for (let j = lo; j < hi; j++) out[j - lo] = s.v[j] as number;
  return out;
}

/**
 * Index of the window's maximum (minimum) as Prometheus picks it: the earliest of equal extremes,
 * ignoring NaN unless every sample is NaN (then the last one). A monotonic deque carried across
 * steps makes this O(1) amortised per step.
 */
function extremeIndex(s: RangeSeries, lo: number, hi: number, max: boolean, prep: SeriesPrep): number {
  let deque = prep.deque;
  if (!deque || hi < prep.dequeNext || lo < prep.dequeLo) {
    deque = prep.deque ?? new Int32Array(s.n);
    prep.deque = deque;
    prep.dequeHead = 0;
    prep.dequeTail = 0;
    prep.dequeNext = lo;
  }
  const v = s.v;
  let head = prep.dequeHead;
  let tail = prep.dequeTail;
  for (let j = Math.max(prep.dequeNext, lo); j < hi; j++) {
    const x = v[j] as number;
    if (Number.isNaN(x)) continue;
    // Strictly worse entries leave from the back; equal ones stay, so the earliest wins.
    while (tail > head && (max ? (v[deque[tail - 1] as number] as number) < x : (v[deque[tail - 1] as number] as number) > x)) tail--;
    deque[tail++] = j;
  }
  prep.dequeNext = hi;
  prep.dequeLo = lo;
  while (tail > head && (deque[head] as number) < lo) head++;
  prep.dequeHead = head;
  prep.dequeTail = tail;
  return tail > head ? (deque[head] as number) : hi - 1;
}

const KERNELS: Record<string, Kernel> = {
  irate: instantDelta(true),
  idelta: instantDelta(false),
  deriv: (s, lo, hi) => (hi - lo < 2 ? undefined : linearRegression(s, lo, hi, s.t[lo] as number)[0]),
  predict_linear: (s, lo, hi, step, _prep, m, scalars) => {
    if (hi - lo < 2) return undefined;
    const [slope, intercept] = linearRegression(s, lo, hi, m.evalT[step] as number);
    return slope * ((scalars[1] as Float64Array)[step] as number) + intercept;
  },
  resets: (s, lo, hi, _step, prep) => {
    const resets = prep.resets ?? counterResets(s);
    prep.resets = resets;
    return lowerBoundInt(resets, hi) - lowerBoundInt(resets, lo + 1);
  },
  changes: (s, lo, hi, _step, prep) => {
    const changes = prep.changes ?? changePrefix(s);
    prep.changes = changes;
    return (changes[hi - 1] as number) - (changes[lo] as number);
  },
  sum_over_time: (s, lo, hi, _step, prep) => windowSum(s, lo, hi, prep),
  avg_over_time: (s, lo, hi, _step, prep) => {
    const sum = windowSum(s, lo, hi, prep);
    if (Number.isFinite(sum) && !prep.noPrefix) return sum / (hi - lo);
    // Non-finite values or an overflowing sum: Prometheus's exact sequence.
    const mean = new MeanAccumulator();
    for (let j = lo; j < hi; j++) mean.add(s.v[j] as number);
    return mean.value();
  },
  count_over_time: (_s, lo, hi) => hi - lo,
  present_over_time: () => 1,
  last_over_time: (s, _lo, hi) => s.v[hi - 1] as number,
  first_over_time: (s, lo) => s.v[lo] as number,
  ts_of_last_over_time: (s, _lo, hi) => (s.t[hi - 1] as number) / 1000,
  ts_of_first_over_time: (s, lo) => (s.t[lo] as number) / 1000,
  max_over_time: (s, lo, hi, _step, prep) => s.v[extremeIndex(s, lo, hi, true, prep)] as number,
  min_over_time: (s, lo, hi, _step, prep) => s.v[extremeIndex(s, lo, hi, false, prep)] as number,
  ts_of_max_over_time: (s, lo, hi, _step, prep) => (s.t[extremeIndex(s, lo, hi, true, prep)] as number) / 1000,
  ts_of_min_over_time: (s, lo, hi, _step, prep) => (s.t[extremeIndex(s, lo, hi, false, prep)] as number) / 1000,
  stdvar_over_time: (s, lo, hi) => variance(s, lo, hi),
  stddev_over_time: (s, lo, hi) => Math.sqrt(variance(s, lo, hi)),
  quantile_over_time: (s, lo, hi, step, _prep, _m, scalars) =>
    quantileOf((scalars[0] as Float64Array)[step] as number, windowValues(s, lo, hi)),
  mad_over_time: (s, lo, hi) => {
    const values = windowValues(s, lo, hi);
    const median = quantileOf(0.5, values);
    return quantileOf(
      0.5,
      values.map((x) => Math.abs(x - median)),
    );
  },
  double_exponential_smoothing: (s, lo, hi, step, _prep, _m, scalars) => {
    const sf = (scalars[1] as Float64Array)[step] as number;
    const tf = (scalars[2] as Float64Array)[step] as number;
    if (!(sf > 0 && sf < 1)) throw badData(`invalid smoothing factor. Expected: 0 < sf < 1, got: ${sf}`);
    if (!(tf > 0 && tf < 1)) throw badData(`invalid trend factor. Expected: 0 < tf < 1, got: ${tf}`);
    if (hi - lo < 2) return undefined;
    let s0 = 0;
    let s1 = s.v[lo] as number;
    let b = (s.v[lo + 1] as number) - (s.v[lo] as number);
    for (let j = lo + 1; j < hi; j++) {
      const x = sf * (s.v[j] as number);
      if (j - lo - 1 > 0) b = tf * (s1 - s0) + (1 - tf) * b;
      const y = (1 - sf) * (s1 + b);
      s0 = s1;
      s1 = x + y;
    }
    return s1;
  },
};

/**
 * The steps × series driver: two pointers per series over the windows (end − range, end], writing
 * one output series into `v`/`has` (`has` all 0 on entry). True if some step has a value.
 */
function computeRangeSeries(
  f: string,
  s: RangeSeries,
  m: StepMatrix,
  scalars: (Float64Array | null)[],
  ctx: EvalContext,
  v: Float64Array,
  has: Uint8Array,
): boolean {
  if (f === 'rate' || f === 'increase' || f === 'delta') {
    return computeExtrapolatedSeries(f !== 'delta', f === 'rate', s, m, ctx, v, has);
  }
  const kernel = KERNELS[f] as Kernel;
  const prep = new SeriesPrep();
  const ends = m.ends;
  const t = s.t;
  const n = s.n;
  const range = m.rangeMs;
  const steps = ends.length;
  let lo = 0;
  let hi = 0;
  let any = false;
  let maxWindow = 0;
  let samples = 0;
  let work = 0;
  let previousEnd = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < steps; i++) {
    const end = ends[i] as number;
    if (end < previousEnd) {
      lo = 0;
      hi = 0;
    }
    previousEnd = end;
    const start = end - range;
    while (hi < n && (t[hi] as number) <= end) hi++;
    while (lo < hi && (t[lo] as number) <= start) lo++;
    const size = hi - lo;
    samples += size;
    // Most kernels are O(1) per step (prefix sums); the others are O(window): weigh them so.
    work += 1 + (size >> 6);
    if (work >= 4096) {
      ctx.tick(work);
      work = 0;
    }
    if (size === 0) continue;
    if (size > maxWindow) {
      maxWindow = size;
      ctx.checkWindow(size);
    }
    const value = kernel(s, lo, hi, i, prep, m, scalars);
    if (value === undefined) continue;
    v[i] = value;
    has[i] = 1;
    any = true;
  }
  ctx.tick(work);
  ctx.totalSamples += samples;
  return any;
}

function evalRangeFunction(
  f: string,
  spec: RangeFunction,
  m: StepMatrix,
  scalars: (Float64Array | null)[],
  steps: number,
  ctx: EvalContext,
): StepVector {
  const out: StepSeries[] = [];
  for (const s of m.series) {
    ctx.allocate(steps);
    const result = newSeries(spec.keepName ? s.metric : dropMetricName(s.metric), steps);
    if (computeRangeSeries(f, s, m, scalars, ctx, result.v, result.has)) out.push(result);
  }
  return { kind: 'vector', series: mergeSameLabels(out, steps) };
}

/** A range function's output, one series at a time, for aggregations that fold it at once. */
export interface RangeStream {
  metrics: Labels[];
  /** Writes output series `index` into `v`/`has` (`has` all 0 on entry); true if it has a value. */
  fill(index: number, v: Float64Array, has: Uint8Array): boolean;
  /** For rate/increase/delta: adds series `index` straight into a group's sum or count. */
  foldInto: ((index: number, fold: SumFold, v: Float64Array, has: Uint8Array) => boolean) | null;
}

/** A group's running sum (or count) per step: values in `v`, compensation in `comp`. */
export interface SumFold {
  count: boolean;
  comp: Float64Array;
}

/**
 * `sum(rate(x[5m]))` need not hold every rate series: this returns the call's output as a stream,
 * or its evaluated vector when two output series share their labels (merged or rejected as usual),
 * or null when `call` is not a range function.
 */
export function streamRangeCall(call: Call, ts: Float64Array, ctx: EvalContext, evaluate: Eval): RangeStream | StepVector | null {
  const spec = RANGE_FUNCTIONS[call.func];
  if (!spec || call.func === 'absent_over_time') return null;
  const m = evaluate(call.args[spec.matrixArg] as Expr, ts, ctx) as StepMatrix;
  const scalars = call.args.map((a, i) => (i === spec.matrixArg ? null : (evaluate(a, ts, ctx) as StepScalar).v));
  const metrics = m.series.map((s) => (spec.keepName ? s.metric : dropMetricName(s.metric)));
  if (new Set(metrics.map((metric) => keyOf(metric))).size !== metrics.length) {
    return evalRangeFunction(call.func, spec, m, scalars, ts.length, ctx);
  }
  return {
    metrics,
    fill: (index, v, has) => computeRangeSeries(call.func, m.series[index] as RangeSeries, m, scalars, ctx, v, has),
    foldInto:
      call.func === 'rate' || call.func === 'increase' || call.func === 'delta'
        ? (index, fold, v, has) =>
            computeExtrapolatedSeries(call.func !== 'delta', call.func === 'rate', m.series[index] as RangeSeries, m, ctx, v, has, fold)
        : null,
  };
}

function absentOverTime(m: StepMatrix, steps: number, ctx: EvalContext): StepVector {
  const present = new Uint8Array(steps);
  for (const s of m.series) {
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < steps; i++) {
      const end = m.ends[i] as number;
      if (i > 0 && end < (m.ends[i - 1] as number)) {
        lo = 0;
        hi = 0;
      }
      while (hi < s.n && (s.t[hi] as number) <= end) hi++;
      while (lo < hi && (s.t[lo] as number) <= end - m.rangeMs) lo++;
      if (hi > lo) present[i] = 1;
      ctx.tick();
    }
  }
  const out = newSeries(m.absentLabels, steps);
  for (let i = 0; i < steps; i++) {
    if (!present[i]) {
      out.has[i] = 1;
      out.v[i] = 1;
    }
  }
  return { kind: 'vector', series: out.has.includes(1) ? [out] : [] };
}
