// Aggregation operators with by/without. Group membership is per series (labels do not change
// across steps), so it is computed once; values are then accumulated step by step.

import type { Aggregate, Expr } from './ast.ts';
import type { EvalContext } from './context.ts';
import { QueryError } from './errors.ts';
import type { evaluate as Evaluate } from './evaluate.ts';
import { type RangeStream, streamRangeCall } from './functions.ts';
import { formatFloatPlain, MeanAccumulator, quantileOf } from './numeric.ts';
import type { Labels } from './types.ts';
import type { StepScalar, StepSeries, StepString, StepValue, StepVector } from './values.ts';
import { keyOf, newSeries } from './values.ts';

type Eval = typeof Evaluate;

function groupLabels(metric: Labels, grouping: string[], without: boolean): Labels {
  const out: Record<string, string> = {};
  if (without) {
    for (const [name, value] of Object.entries(metric)) {
      if (name !== '__name__' && !grouping.includes(name)) out[name] = value;
    }
  } else {
    for (const name of grouping) {
      const value = metric[name];
      if (value !== undefined) out[name] = value;
    }
  }
  return out;
}

interface Group {
  metric: Labels;
  members: StepSeries[];
}

function groupSeries(vector: StepVector, expr: Aggregate): Group[] {
  const groups = new Map<string, Group>();
  for (const series of vector.series) {
    const metric = groupLabels(series.metric, expr.grouping, expr.without);
    const key = keyOf(metric);
    let group = groups.get(key);
    if (!group) {
      group = { metric, members: [] };
      groups.set(key, group);
    }
    group.members.push(series);
  }
  return [...groups.values()];
}

export function evalAggregate(expr: Aggregate, ts: Float64Array, ctx: EvalContext, evaluate: Eval): StepValue {
  const steps = ts.length;
  if (expr.op === 'limit_ratio') {
    // Prometheus samples series by the xxhash of their labels; we do not reproduce that hash.
    throw new QueryError('unsupported', 'limit_ratio is an experimental Prometheus aggregation not supported in this lab', expr.from);
  }
  const param = expr.param ? evaluate(expr.param as Expr, ts, ctx) : null;
  let inner = expr.expr;
  while (inner.kind === 'paren') inner = inner.expr;
  if ((expr.op === 'sum' || expr.op === 'count') && inner.kind === 'call') {
    const stream = streamRangeCall(inner, ts, ctx, evaluate);
    if (stream && 'metrics' in stream) return foldStream(expr, stream, steps, ctx);
    if (stream) return sumOrCount(expr.op, groupSeries(stream, expr), steps, ctx);
  }
  const vector = evaluate(expr.expr, ts, ctx) as StepVector;
  const groups = groupSeries(vector, expr);
  switch (expr.op) {
    case 'topk':
    case 'bottomk':
      return selectK(groups, (param as StepScalar).v, expr.op === 'topk', steps, ctx);
    case 'limitk':
      return limitK(groups, (param as StepScalar).v, steps, ctx);
    case 'count_values':
      return countValues(groups, (param as StepString).v, steps, ctx);
    case 'quantile':
      return quantileAggregate(groups, (param as StepScalar).v, steps, ctx);
    case 'sum':
    case 'count':
      return sumOrCount(expr.op, groups, steps, ctx);
    case 'avg':
      return average(groups, steps, ctx);
    default:
      return simpleAggregate(expr.op, groups, steps, ctx);
  }
}

function average(groups: Group[], steps: number, ctx: EvalContext): StepVector {
  const out: StepSeries[] = [];
  const mean = new MeanAccumulator();
  for (const group of groups) {
    ctx.allocate(steps);
    ctx.tick(group.members.length * steps);
    const result = newSeries(group.metric, steps);
    for (let i = 0; i < steps; i++) {
      mean.reset();
      for (const s of group.members) if (s.has[i]) mean.add(s.v[i] as number);
      if (mean.count === 0) continue;
      result.v[i] = mean.value();
      result.has[i] = 1;
    }
    out.push(result);
  }
  return { kind: 'vector', series: out };
}

/**
 * sum or count over a range function's output without holding it: each series is computed into
 * scratch arrays and folded into its group at once, in input order (the same additions, in the
 * same order, as `sumOrCount` over the materialised vector).
 */
function foldStream(expr: Aggregate, stream: RangeStream, steps: number, ctx: EvalContext): StepVector {
  const groups = new Map<string, { result: StepSeries; comp: Float64Array }>();
  const scratchV = new Float64Array(steps);
  const scratchHas = new Uint8Array(steps);
  ctx.allocate(steps);
  stream.metrics.forEach((metric, index) => {
    const labels = groupLabels(metric, expr.grouping, expr.without);
    const key = keyOf(labels);
    let group = groups.get(key);
    if (stream.foldInto) {
      // rate/increase/delta add each step straight into the group (created empty if need be).
      if (!group) {
        ctx.allocate(steps);
        group = { result: newSeries(labels, steps), comp: new Float64Array(steps) };
        groups.set(key, group);
      }
      stream.foldInto(index, { count: expr.op === 'count', comp: group.comp }, group.result.v, group.result.has);
      return;
    }
    scratchHas.fill(0);
    if (!stream.fill(index, scratchV, scratchHas)) return;
    if (!group) {
      ctx.allocate(steps);
      group = { result: newSeries(labels, steps), comp: new Float64Array(steps) };
      groups.set(key, group);
    }
    ctx.tick(steps);
    const { v, has } = group.result;
    const comp = group.comp;
    for (let i = 0; i < steps; i++) {
      if (!scratchHas[i]) continue;
      if (expr.op === 'count') {
        v[i] = has[i] ? (v[i] as number) + 1 : 1;
        has[i] = 1;
        continue;
      }
      const x = scratchV[i] as number;
      if (!has[i]) {
        has[i] = 1;
        v[i] = x;
        continue;
      }
      const sum = v[i] as number;
      const t = sum + x;
      if (t - t !== 0) comp[i] = 0;
      else if (Math.abs(sum) >= Math.abs(x)) comp[i] = (comp[i] as number) + (sum - t + x);
      else comp[i] = (comp[i] as number) + (x - t + sum);
      v[i] = t;
    }
  });
  const out: StepSeries[] = [];
  for (const { result, comp } of groups.values()) {
    if (!result.has.includes(1)) continue; // a group whose series never had a value
    if (expr.op === 'sum') {
      for (let i = 0; i < steps; i++) if (result.has[i]) result.v[i] = (result.v[i] as number) + (comp[i] as number);
    }
    out.push(result);
  }
  return { kind: 'vector', series: out };
}

/** sum and count, the aggregations of every SLI query, as tight loops (Neumaier sum inlined). */
function sumOrCount(op: 'sum' | 'count', groups: Group[], steps: number, ctx: EvalContext): StepVector {
  const out: StepSeries[] = [];
  for (const group of groups) {
    ctx.allocate(steps);
    ctx.tick(group.members.length * steps);
    const result = newSeries(group.metric, steps);
    const v = result.v;
    const has = result.has;
    if (op === 'count') {
      for (const s of group.members) {
        const sh = s.has;
        for (let i = 0; i < steps; i++) {
          if (sh[i]) {
            v[i] = (v[i] as number) + 1;
            has[i] = 1;
          }
        }
      }
      out.push(result);
      continue;
    }
    const comp = new Float64Array(steps);
    for (const s of group.members) {
      const sv = s.v;
      const sh = s.has;
      for (let i = 0; i < steps; i++) {
        if (!sh[i]) continue;
        const x = sv[i] as number;
        if (!has[i]) {
          has[i] = 1;
          v[i] = x;
          continue;
        }
        const sum = v[i] as number;
        const t = sum + x;
        if (t - t !== 0) comp[i] = 0;
        else if (Math.abs(sum) >= Math.abs(x)) comp[i] = (comp[i] as number) + (sum - t + x);
        else comp[i] = (comp[i] as number) + (x - t + sum);
        v[i] = t;
      }
    }
    for (let i = 0; i < steps; i++) if (has[i]) v[i] = (v[i] as number) + (comp[i] as number);
    out.push(result);
  }
  return { kind: 'vector', series: out };
}

/** min, max, group, stddev and stdvar (stddev/stdvar by Welford's update, as Prometheus). */
function simpleAggregate(op: Aggregate['op'], groups: Group[], steps: number, ctx: EvalContext): StepVector {
  const out: StepSeries[] = [];
  const variance = op === 'stddev' || op === 'stdvar';
  for (const group of groups) {
    ctx.allocate(steps);
    ctx.tick(group.members.length * steps);
    const result = newSeries(group.metric, steps);
    const v = result.v;
    const has = result.has;
    const count = variance ? new Float64Array(steps) : null;
    const mean = variance ? new Float64Array(steps) : null;
    for (const s of group.members) {
      const sv = s.v;
      const sh = s.has;
      for (let i = 0; i < steps; i++) {
        if (!sh[i]) continue;
        const x = sv[i] as number;
        if (!has[i]) {
          has[i] = 1;
          v[i] = op === 'group' ? 1 : variance ? 0 : x;
          if (count && mean) {
            count[i] = 1;
            mean[i] = x;
          }
          continue;
        }
        const current = v[i] as number;
        if (op === 'min') {
          if (current > x || Number.isNaN(current)) v[i] = x;
        } else if (op === 'max') {
          if (current < x || Number.isNaN(current)) v[i] = x;
        } else if (count && mean) {
          const n = (count[i] as number) + 1;
          count[i] = n;
          const delta = x - (mean[i] as number);
          mean[i] = (mean[i] as number) + delta / n;
          v[i] = current + delta * (x - (mean[i] as number));
        }
      }
    }
    if (count) {
      for (let i = 0; i < steps; i++) {
        if (!has[i]) continue;
        const stdvar = (v[i] as number) / (count[i] as number);
        v[i] = op === 'stddev' ? Math.sqrt(stdvar) : stdvar;
      }
    }
    out.push(result);
  }
  return { kind: 'vector', series: out };
}

function quantileAggregate(groups: Group[], q: Float64Array, steps: number, ctx: EvalContext): StepVector {
  const out: StepSeries[] = [];
  for (const group of groups) {
    ctx.allocate(steps);
    const result = newSeries(group.metric, steps);
    for (let i = 0; i < steps; i++) {
      ctx.tick(group.members.length);
      const values: number[] = [];
      for (const s of group.members) if (s.has[i]) values.push(s.v[i] as number);
      if (values.length === 0) continue;
      result.v[i] = quantileOf(q[i] as number, values);
      result.has[i] = 1;
    }
    out.push(result);
  }
  return { kind: 'vector', series: out };
}

/**
 * topk/bottomk exactly as Prometheus selects: the group's series in input order go through a
 * Go container/heap of size k (min-heap for topk, NaN lowest), replacing the root only when strictly
 * better; so ties resolve as in Prometheus. The instant result is the heap sorted (insertion sort,
 * as Go's sort does for small slices) from best to worst.
 */
function selectK(groups: Group[], k: Float64Array, top: boolean, steps: number, ctx: EvalContext): StepVector {
  const chosen = new Map<StepSeries, StepSeries>();
  const order: StepSeries[] = [];
  for (const group of groups) {
    for (let i = 0; i < steps; i++) {
      ctx.tick(group.members.length);
      const kk = k[i] as number;
      if (Number.isNaN(kk)) throw new QueryError('execution', 'Parameter value is NaN');
      const limit = Math.min(Math.trunc(kk), group.members.length);
      if (limit < 1) continue;
      // less(a, b): a belongs nearer the root (is "worse") than b.
      const less = (a: number, b: number) => (Number.isNaN(a) ? true : top ? a < b : a > b);
      const heap: StepSeries[] = [];
      const value = (s: StepSeries) => s.v[i] as number;
      const lessAt = (x: number, y: number) => less(value(heap[x] as StepSeries), value(heap[y] as StepSeries));
      const swap = (x: number, y: number) => {
        const t = heap[x] as StepSeries;
        heap[x] = heap[y] as StepSeries;
        heap[y] = t;
      };
      const up = (start: number) => {
        let j = start;
        for (;;) {
          const parent = Math.floor((j - 1) / 2);
          if (j <= 0 || parent === j || !lessAt(j, parent)) break;
          swap(parent, j);
          j = parent;
        }
      };
      const down = (start: number, n: number): boolean => {
        let x = start;
        for (;;) {
          const j1 = 2 * x + 1;
          if (j1 >= n) break;
          let j = j1;
          if (j1 + 1 < n && lessAt(j1 + 1, j1)) j = j1 + 1;
          if (!lessAt(j, x)) break;
          swap(x, j);
          x = j;
        }
        return x > start;
      };
      for (const s of group.members) {
        if (!s.has[i]) continue;
        if (heap.length < limit) {
          heap.push(s);
          up(heap.length - 1);
          continue;
        }
        const root = value(heap[0] as StepSeries);
        const x = value(s);
        const better = top ? root < x : root > x;
        if (better || (Number.isNaN(root) && !Number.isNaN(x))) {
          heap[0] = s;
          if (limit > 1 && !down(0, heap.length)) up(0);
        }
      }
      // Reverse order (best first), by insertion sort like Go's sort.Sort on short slices.
      for (let x = 1; x < heap.length; x++) {
        for (let y = x; y > 0 && lessAt(y - 1, y); y--) swap(y, y - 1);
      }
      for (const s of heap) {
        let result = chosen.get(s);
        if (!result) {
          ctx.allocate(steps);
          result = newSeries(s.metric, steps);
          chosen.set(s, result);
          order.push(result);
        }
        result.v[i] = s.v[i] as number;
        result.has[i] = 1;
      }
    }
  }
  return { kind: 'vector', series: order, ordered: true };
}

/** limitk: the first k series of each group (in input order, i.e. by labels) that have a value. */
function limitK(groups: Group[], k: Float64Array, steps: number, ctx: EvalContext): StepVector {
  const chosen = new Map<StepSeries, StepSeries>();
  for (const group of groups) {
    for (let i = 0; i < steps; i++) {
      ctx.tick(group.members.length);
      const kk = k[i] as number;
      if (Number.isNaN(kk)) throw new QueryError('execution', 'Parameter value is NaN');
      let left = Math.trunc(kk);
      for (const s of group.members) {
        if (left < 1) break;
        if (!s.has[i]) continue;
        let result = chosen.get(s);
        if (!result) {
          ctx.allocate(steps);
          result = newSeries(s.metric, steps);
          chosen.set(s, result);
        }
        result.v[i] = s.v[i] as number;
        result.has[i] = 1;
        left--;
      }
    }
  }
  return { kind: 'vector', series: [...chosen.values()] };
}

function countValues(groups: Group[], label: string, steps: number, ctx: EvalContext): StepVector {
  const out = new Map<string, StepSeries>();
  for (const group of groups) {
    for (let i = 0; i < steps; i++) {
      ctx.tick(group.members.length);
      for (const s of group.members) {
        if (!s.has[i]) continue;
        const metric = { ...group.metric, [label]: formatFloatPlain(s.v[i] as number) };
        const key = keyOf(metric);
        let result = out.get(key);
        if (!result) {
          ctx.allocate(steps);
          result = newSeries(metric, steps);
          out.set(key, result);
        }
        result.v[i] = (result.has[i] ? (result.v[i] as number) : 0) + 1;
        result.has[i] = 1;
      }
    }
  }
  return { kind: 'vector', series: [...out.values()] };
}
