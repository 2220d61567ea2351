// histogram_quantile over classic buckets (series with an `le` label), Prometheus's rules: buckets
// sorted by upper bound, equal bounds merged, float-precision dents and non-monotonic counts
// flattened, +Inf bucket required, the result in the +Inf bucket is the second-highest bound.

import type { EvalContext } from './context.ts';
import { mergeSameLabels } from './evaluate.ts';
import { parseGoFloat } from './numeric.ts';
import type { Labels } from './types.ts';
import type { StepScalar, StepSeries, StepVector } from './values.ts';
import { keyOf, newSeries } from './values.ts';

interface Bucket {
  upperBound: number;
  count: number;
}

/** The φ-quantile of one set of buckets (mutated); NaN where Prometheus returns NaN. */
export function bucketQuantile(q: number, buckets: Bucket[]): number {
  if (Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  buckets.sort((a, b) => a.upperBound - b.upperBound);
  if (buckets.length === 0 || (buckets[buckets.length - 1] as Bucket).upperBound !== Number.POSITIVE_INFINITY) {
    return Number.NaN;
  }
  // Merge buckets with the same upper bound ("1" and "1.0").
  let w = 0;
  for (let r = 1; r < buckets.length; r++) {
    const b = buckets[r] as Bucket;
    const last = buckets[w] as Bucket;
    if (b.upperBound === last.upperBound) last.count += b.count;
    else buckets[++w] = { upperBound: b.upperBound, count: b.count };
  }
  buckets.length = w + 1;
  // Relative dents below 1e-12 are float noise from rate() and sum(): flatten them.
  let previous = (buckets[0] as Bucket).count;
  for (let i = 1; i < buckets.length; i++) {
    const current = (buckets[i] as Bucket).count;
    const delta = Math.abs(current - previous);
    if (delta === 0) continue;
    if (delta / current <= 1e-12) (buckets[i] as Bucket).count = previous;
    else previous = current;
  }
  // Counts must not decrease with the bound: take the running maximum.
  let max = (buckets[0] as Bucket).count;
  for (let i = 1; i < buckets.length; i++) {
    const b = buckets[i] as Bucket;
    if (b.count > max) max = b.count;
    else if (b.count < max) b.count = max;
  }
  if (buckets.length < 2) return Number.NaN;
  const observations = (buckets[buckets.length - 1] as Bucket).count;
  if (observations === 0) return Number.NaN;
  let rank = q * observations;
  let b = 0;
  while (b < buckets.length - 1 && (buckets[b] as Bucket).count < rank) b++;
  if (b === buckets.length - 1) return (buckets[buckets.length - 2] as Bucket).upperBound;
  if (b === 0 && (buckets[0] as Bucket).upperBound <= 0) return (buckets[0] as Bucket).upperBound;
  let bucketStart = 0;
  const bucketEnd = (buckets[b] as Bucket).upperBound;
  let count = (buckets[b] as Bucket).count;
  if (b > 0) {
    bucketStart = (buckets[b - 1] as Bucket).upperBound;
    count -= (buckets[b - 1] as Bucket).count;
    rank -= (buckets[b - 1] as Bucket).count;
  }
  return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}

export function histogramQuantile(q: StepScalar, vector: StepVector, steps: number, ctx: EvalContext): StepVector {
  const groups = new Map<string, { metric: Labels; members: { series: StepSeries; upperBound: number }[] }>();
  for (const series of vector.series) {
    const le = series.metric.le;
    if (le === undefined) continue;
    const upperBound = parseGoFloat(le);
    if (Number.isNaN(upperBound)) continue;
    const { le: _le, __name__: _name, ...rest } = series.metric;
    const key = keyOf(rest);
    let group = groups.get(key);
    if (!group) {
      group = { metric: rest, members: [] };
      groups.set(key, group);
    }
    group.members.push({ series, upperBound });
  }
  const out: StepSeries[] = [];
  for (const group of groups.values()) {
    ctx.allocate(steps);
    const result = newSeries(group.metric, steps);
    let any = false;
    for (let i = 0; i < steps; i++) {
      ctx.tick(group.members.length);
      const buckets: Bucket[] = [];
      for (const member of group.members) {
        if (member.series.has[i]) buckets.push({ upperBound: member.upperBound, count: member.series.v[i] as number });
      }
      if (buckets.length === 0) continue;
      result.v[i] = bucketQuantile(q.v[i] as number, buckets);
      result.has[i] = 1;
      any = true;
    }
    if (any) out.push(result);
  }
  return { kind: 'vector', series: mergeSameLabels(out, steps) };
}
