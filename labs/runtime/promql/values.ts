// The evaluator's intermediate values: every node is evaluated at all steps at once (as Prometheus's
// range evaluation does), so an instant vector is a set of series with one slot per step.

import { labelsKey } from './tsdb.ts';
import type { Labels } from './types.ts';

export interface StepSeries {
  metric: Labels;
  v: Float64Array;
  /** 1 where the series has a value at that step. */
  has: Uint8Array;
  /** Timestamps of the selected samples (ms), for timestamp(); only set by vector selectors. */
  sampleT?: Float64Array;
}

export interface StepVector {
  kind: 'vector';
  series: StepSeries[];
  /** Set when the order of `series` is the query's (sort*, topk, bottomk), not to be re-sorted. */
  ordered?: boolean;
}

export interface StepScalar {
  kind: 'scalar';
  v: Float64Array;
}

export interface StepString {
  kind: 'string';
  v: string;
}

/** A series of a range vector: samples without staleness markers, only indices below `n`. */
export interface RangeSeries {
  metric: Labels;
  t: Float64Array;
  v: Float64Array;
  n: number;
}

/** A range vector at every step: windows (end - rangeMs, end] over each series. */
export interface StepMatrix {
  kind: 'matrix';
  series: RangeSeries[];
  rangeMs: number;
  /** Window end per step (the step time with `@` and `offset` applied). */
  ends: Float64Array;
  /** The step's evaluation time, `@` and `offset` not applied: predict_linear's "now", as in Prometheus. */
  evalT: Float64Array;
  /** Labels `absent_over_time` reports: from the selector's equality matchers. */
  absentLabels: Labels;
}

export type StepValue = StepVector | StepScalar | StepString | StepMatrix;

const keyCache = new WeakMap<Labels, string>();

export function keyOf(labels: Labels): string {
  let key = keyCache.get(labels);
  if (key === undefined) {
    key = labelsKey(labels);
    keyCache.set(labels, key);
  }
  return key;
}

export function compareLabels(a: Labels, b: Labels): number {
  const ka = keyOf(a);
  const kb = keyOf(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export function dropMetricName(labels: Labels): Labels {
  if (!('__name__' in labels)) return labels;
  const { __name__: _name, ...rest } = labels;
  return rest;
}

export function newSeries(metric: Labels, steps: number): StepSeries {
  return { metric, v: new Float64Array(steps), has: new Uint8Array(steps) };
}

export function presentPoints(vector: StepVector): number {
  let points = 0;
  for (const series of vector.series) {
    const has = series.has;
    for (let i = 0; i < has.length; i++) points += has[i] as number;
  }
  return points;
}
