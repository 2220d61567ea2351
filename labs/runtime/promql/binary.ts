// Binary operators: arithmetic, comparison (filtering or `bool`), set operators, and vector
// matching with on/ignoring and group_left/group_right, with Prometheus's matching errors.

import type { Binary, BinaryOp, VectorMatching } from './ast.ts';
import { isComparison, isSetOp } from './ast.ts';
import type { EvalContext } from './context.ts';
import { QueryError } from './errors.ts';
import type { evaluate as Evaluate } from './evaluate.ts';
import { mergeSameLabels } from './evaluate.ts';
import { goPow } from './numeric.ts';
import type { Labels } from './types.ts';
import type { StepScalar, StepSeries, StepValue, StepVector } from './values.ts';
import { dropMetricName, keyOf, newSeries } from './values.ts';

type Eval = typeof Evaluate;

function arithmetic(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '%':
      return a % b;
    case '^':
      return goPow(a, b);
    case 'atan2':
      return Math.atan2(a, b);
    default:
      return Number.NaN;
  }
}

function compare(op: BinaryOp, a: number, b: number): boolean {
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '>':
      return a > b;
    case '<':
      return a < b;
    case '>=':
      return a >= b;
    case '<=':
      return a <= b;
    default:
      return false;
  }
}

function dropsName(op: BinaryOp, bool: boolean): boolean {
  return bool || !isComparison(op);
}

export function evalBinary(expr: Binary, ts: Float64Array, ctx: EvalContext, evaluate: Eval): StepValue {
  const steps = ts.length;
  const lhs = evaluate(expr.lhs, ts, ctx);
  const rhs = evaluate(expr.rhs, ts, ctx);
  const { op, bool } = expr;
  if (lhs.kind === 'scalar' && rhs.kind === 'scalar') {
    if (ctx.isConstant(lhs.v) && ctx.isConstant(rhs.v) && steps > 0) {
      const a = lhs.v[0] as number;
      const b = rhs.v[0] as number;
      return { kind: 'scalar', v: ctx.constant(isComparison(op) ? (compare(op, a, b) ? 1 : 0) : arithmetic(op, a, b), steps) };
    }
    const v = new Float64Array(steps);
    for (let i = 0; i < steps; i++) {
      const a = lhs.v[i] as number;
      const b = rhs.v[i] as number;
      v[i] = isComparison(op) ? (compare(op, a, b) ? 1 : 0) : arithmetic(op, a, b);
    }
    return { kind: 'scalar', v };
  }
  if (lhs.kind === 'vector' && rhs.kind === 'scalar') return vectorScalar(op, bool, lhs, rhs, false, steps);
  if (lhs.kind === 'scalar' && rhs.kind === 'vector') return vectorScalar(op, bool, rhs, lhs, true, steps);
  const left = lhs as StepVector;
  const right = rhs as StepVector;
  const matching = expr.matching as VectorMatching;
  ctx.tick((left.series.length + right.series.length) * steps);
  if (isSetOp(op)) return setOperation(op, left, right, matching, steps);
  return vectorVector(op, bool, left, right, matching, steps, ctx);
}

function vectorScalar(
  op: BinaryOp,
  bool: boolean,
  vector: StepVector,
  scalar: StepScalar,
  scalarOnLeft: boolean,
  steps: number,
): StepVector {
  const comparison = isComparison(op);
  const out: StepSeries[] = [];
  for (const s of vector.series) {
    const result = newSeries(dropsName(op, bool) ? dropMetricName(s.metric) : s.metric, steps);
    let any = false;
    for (let i = 0; i < steps; i++) {
      if (!s.has[i]) continue;
      const x = s.v[i] as number;
      const c = scalar.v[i] as number;
      const a = scalarOnLeft ? c : x;
      const b = scalarOnLeft ? x : c;
      if (comparison) {
        const keep = compare(op, a, b);
        if (bool) result.v[i] = keep ? 1 : 0;
        else if (keep) result.v[i] = x;
        else continue;
      } else result.v[i] = arithmetic(op, a, b);
      result.has[i] = 1;
      any = true;
    }
    if (any) out.push(result);
  }
  return { kind: 'vector', series: mergeSameLabels(out, steps) };
}

/** The labels two series are matched on. */
function signature(metric: Labels, matching: VectorMatching): string {
  const picked: Record<string, string> = {};
  if (matching.on) {
    for (const name of matching.labels) {
      const value = metric[name];
      if (value !== undefined) picked[name] = value;
    }
  } else {
    for (const [name, value] of Object.entries(metric)) {
      if (name !== '__name__' && !matching.labels.includes(name)) picked[name] = value;
    }
  }
  return keyOf(picked);
}

function signatureIds(series: StepSeries[], matching: VectorMatching, ids: Map<string, number>): Int32Array {
  const out = new Int32Array(series.length);
  series.forEach((s, i) => {
    const key = signature(s.metric, matching);
    let id = ids.get(key);
    if (id === undefined) {
      id = ids.size;
      ids.set(key, id);
    }
    out[i] = id;
  });
  return out;
}

function setOperation(op: BinaryOp, left: StepVector, right: StepVector, matching: VectorMatching, steps: number): StepVector {
  const ids = new Map<string, number>();
  const leftSig = signatureIds(left.series, matching, ids);
  const rightSig = signatureIds(right.series, matching, ids);
  // stamp[sig] === step: a series with that signature has a value at this step (on the side that decides).
  const stamp = new Int32Array(ids.size).fill(-1);
  const leftOut = left.series.map((s) => newSeries(s.metric, steps));
  const rightOut = op === 'or' ? right.series.map((s) => newSeries(s.metric, steps)) : [];
  const keepMatched = op === 'and';
  for (let i = 0; i < steps; i++) {
    if (op === 'or') {
      for (let j = 0; j < left.series.length; j++) {
        const s = left.series[j] as StepSeries;
        if (!s.has[i]) continue;
        stamp[leftSig[j] as number] = i;
        const out = leftOut[j] as StepSeries;
        out.v[i] = s.v[i] as number;
        out.has[i] = 1;
      }
      for (let j = 0; j < right.series.length; j++) {
        const s = right.series[j] as StepSeries;
        if (!s.has[i] || stamp[rightSig[j] as number] === i) continue;
        const out = rightOut[j] as StepSeries;
        out.v[i] = s.v[i] as number;
        out.has[i] = 1;
      }
      continue;
    }
    for (let j = 0; j < right.series.length; j++) {
      if ((right.series[j] as StepSeries).has[i]) stamp[rightSig[j] as number] = i;
    }
    for (let j = 0; j < left.series.length; j++) {
      const s = left.series[j] as StepSeries;
      if (!s.has[i]) continue;
      if ((stamp[leftSig[j] as number] === i) === keepMatched) {
        const out = leftOut[j] as StepSeries;
        out.v[i] = s.v[i] as number;
        out.has[i] = 1;
      }
    }
  }
  const all = [...leftOut, ...rightOut].filter((s) => s.has.includes(1));
  return { kind: 'vector', series: mergeSameLabels(all, steps) };
}

/** A label set as Go's labels.String() prints it: `{__name__="up", job="api"}`, names sorted. */
function formatLabels(labels: Labels): string {
  const pairs = Object.keys(labels)
    .sort()
    .map((name) => `${name}=${JSON.stringify(labels[name])}`);
  return `{${pairs.join(', ')}}`;
}

function matchGroupLabels(metric: Labels, matching: VectorMatching): string {
  const picked: Record<string, string> = {};
  for (const [name, value] of Object.entries(metric)) {
    const inList = matching.labels.includes(name);
    if (matching.on ? inList : !inList && name !== '__name__') picked[name] = value;
  }
  return formatLabels(picked);
}

function resultMetric(many: Labels, one: Labels, op: BinaryOp, bool: boolean, matching: VectorMatching): Labels {
  const out: Record<string, string> = { ...(dropsName(op, bool) ? dropMetricName(many) : many) };
  if (matching.card === 'one-to-one') {
    if (matching.on) {
      for (const name of Object.keys(out)) if (!matching.labels.includes(name)) delete out[name];
    } else {
      for (const name of matching.labels) delete out[name];
    }
  }
  for (const name of matching.include) {
    const value = one[name];
    if (value !== undefined && value !== '') out[name] = value;
    else delete out[name];
  }
  return out;
}

function vectorVector(
  op: BinaryOp,
  bool: boolean,
  lhs: StepVector,
  rhs: StepVector,
  matching: VectorMatching,
  steps: number,
  ctx: EvalContext,
): StepVector {
  // For group_right the "many" side is the right one: swap, and swap the operands back per value.
  const swapped = matching.card === 'one-to-many';
  const many = swapped ? rhs : lhs;
  const one = swapped ? lhs : rhs;
  const ids = new Map<string, number>();
  const manySig = signatureIds(many.series, matching, ids);
  const oneSig = signatureIds(one.series, matching, ids);
  const oneAt = new Int32Array(ids.size);
  const oneStamp = new Int32Array(ids.size).fill(-1);
  const matchedStamp = new Int32Array(ids.size).fill(-1);
  // Output series by label key, and for each the last step written (to catch two writes in one step).
  const outputs: StepSeries[] = [];
  const outputByKey = new Map<string, number>();
  const writtenAt: number[] = [];
  const pairOutput = new Map<number, number>();
  // The partner a many-side series matched at the previous step, and the output: usually unchanged.
  const lastPartner = new Int32Array(many.series.length).fill(-1);
  const lastOutput = new Int32Array(many.series.length);
  const comparison = isComparison(op);
  for (let i = 0; i < steps; i++) {
    ctx.tick(many.series.length + one.series.length);
    for (let j = 0; j < one.series.length; j++) {
      const s = one.series[j] as StepSeries;
      if (!s.has[i]) continue;
      const sig = oneSig[j] as number;
      if (oneStamp[sig] === i) {
        const other = one.series[oneAt[sig] as number] as StepSeries;
        throw new QueryError(
          'execution',
          `found duplicate series for the match group ${matchGroupLabels(s.metric, matching)} on the ${swapped ? 'left' : 'right'} hand-side of the operation: [${formatLabels(s.metric)}, ${formatLabels(other.metric)}];many-to-many matching not allowed: matching labels must be unique on one side`,
        );
      }
      oneStamp[sig] = i;
      oneAt[sig] = j;
    }
    for (let j = 0; j < many.series.length; j++) {
      const s = many.series[j] as StepSeries;
      if (!s.has[i]) continue;
      const sig = manySig[j] as number;
      if (oneStamp[sig] !== i) continue;
      const k = oneAt[sig] as number;
      const o = one.series[k] as StepSeries;
      if (matching.card === 'one-to-one') {
        if (matchedStamp[sig] === i) {
          throw new QueryError('execution', 'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)');
        }
        matchedStamp[sig] = i;
      }
      const a = swapped ? (o.v[i] as number) : (s.v[i] as number);
      const b = swapped ? (s.v[i] as number) : (o.v[i] as number);
      let value: number;
      if (comparison) {
        const keep = compare(op, a, b);
        if (bool) value = keep ? 1 : 0;
        else if (keep) value = a;
        else continue;
      } else value = arithmetic(op, a, b);
      let index: number;
      if (lastPartner[j] === k) index = lastOutput[j] as number;
      else {
        const pairKey = j * one.series.length + k;
        let found = pairOutput.get(pairKey);
        if (found === undefined) {
          const metric = resultMetric(s.metric, o.metric, op, bool, matching);
          const key = keyOf(metric);
          found = outputByKey.get(key);
          if (found === undefined) {
            ctx.allocate(steps);
            found = outputs.length;
            outputs.push(newSeries(metric, steps));
            writtenAt.push(-1);
            outputByKey.set(key, found);
          }
          pairOutput.set(pairKey, found);
        }
        index = found;
        lastPartner[j] = k;
        lastOutput[j] = index;
      }
      if (writtenAt[index] === i) {
        throw new QueryError(
          'execution',
          matching.card === 'one-to-one'
            ? 'vector cannot contain metrics with the same labelset'
            : 'multiple matches for labels: grouping labels must ensure unique matches',
        );
      }
      writtenAt[index] = i;
      const result = outputs[index] as StepSeries;
      result.v[i] = value;
      result.has[i] = 1;
    }
  }
  return { kind: 'vector', series: outputs };
}
