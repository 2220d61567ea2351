// The in-memory TSDB: one pair of Float64Arrays (timestamps in ms, values) per series, growable on
// append, adopted as-is on `load` (so one scrape's timestamp array can be shared by all its series),
// and a postings index (label name → value → series ids) for selection.

import type { Labels } from './types.ts';

/** Prometheus's staleness marker: a NaN with the bit pattern 0x7ff0000000000002. */
export const STALE_NAN: number = (() => {
  const view = new DataView(new ArrayBuffer(8));
  view.setUint32(0, 0x7ff00000);
  view.setUint32(4, 0x00000002);
  return view.getFloat64(0);
})();

const bitsView = new DataView(new ArrayBuffer(8));

export function isStaleMarker(v: number): boolean {
  if (!Number.isNaN(v)) return false;
  bitsView.setFloat64(0, v);
  return bitsView.getUint32(0) === 0x7ff00000 && bitsView.getUint32(4) === 0x00000002;
}

/** One series as the evaluator reads it: only indices below `n` are valid. */
export interface StoredSeries {
  readonly id: number;
  readonly labels: Labels;
  t: Float64Array;
  v: Float64Array;
  n: number;
  /** Indices of staleness markers, ascending; empty for most series. */
  staleAt: number[];
  /** True while `t`/`v` are arrays handed to `load` (copied before the first append). */
  adopted: boolean;
}

const SEPARATOR = '\u0000';

/** A canonical string for a label set: names sorted, name and value pairs joined by NUL. */
export function labelsKey(labels: Labels): string {
  const names = Object.keys(labels).sort();
  let key = '';
  for (const name of names) key += `${name}${SEPARATOR}${labels[name]}${SEPARATOR}`;
  return key;
}

function normaliseLabels(labels: Labels): Labels {
  const out: Record<string, string> = {};
  for (const name of Object.keys(labels).sort()) {
    const value = labels[name];
    if (typeof value !== 'string') throw new TypeError(`label ${name} must be a string`);
    if (value !== '') out[name] = value;
  }
  return Object.freeze(out);
}

/** Throws unless every timestamp is a whole number of ms and they strictly increase. */
function checkTimestamps(t: Float64Array): void {
  for (let i = 0; i < t.length; i++) {
    const ti = t[i] as number;
    if (!Number.isInteger(ti)) throw new RangeError(`timestamp ${ti} is not an integer number of ms`);
    if (i > 0 && ti <= (t[i - 1] as number)) throw new RangeError(`timestamps not increasing at index ${i}`);
  }
}

export class Tsdb {
  #series: StoredSeries[] = [];
  #byKey = new Map<string, number>();
  #postings = new Map<string, Map<string, number[]>>();
  #sampleCount = 0;

  get sampleCount(): number {
    return this.#sampleCount;
  }

  get seriesCount(): number {
    return this.#series.length;
  }

  /** Id of the series with these labels (`__name__` included), creating it when new. */
  seriesId(labels: Labels): number {
    const normalised = normaliseLabels(labels);
    const key = labelsKey(normalised);
    const existing = this.#byKey.get(key);
    if (existing !== undefined) return existing;
    const id = this.#series.length;
    this.#series.push({
      id,
      labels: normalised,
      t: new Float64Array(16),
      v: new Float64Array(16),
      n: 0,
      staleAt: [],
      adopted: false,
    });
    this.#byKey.set(key, id);
    for (const [name, value] of Object.entries(normalised)) {
      let values = this.#postings.get(name);
      if (!values) {
        values = new Map();
        this.#postings.set(name, values);
      }
      const ids = values.get(value);
      if (ids) ids.push(id);
      else values.set(value, [id]);
    }
    return id;
  }

  /** Appends one sample; timestamps (ms, integers) must increase per series, else throws. */
  append(id: number, t: number, v: number): void {
    const series = this.#series[id];
    if (!series) throw new RangeError(`unknown series id ${id}`);
    if (!Number.isInteger(t)) throw new RangeError(`timestamp ${t} is not an integer number of ms`);
    if (series.n > 0 && t <= (series.t[series.n - 1] as number)) {
      throw new RangeError(
        `out of order sample for series ${labelsKey(series.labels).replaceAll(SEPARATOR, ' ')}: ${t} <= ${series.t[series.n - 1]}`,
      );
    }
    if (series.adopted || series.n === series.t.length) this.#grow(series);
    series.t[series.n] = t;
    series.v[series.n] = v;
    if (Number.isNaN(v) && isStaleMarker(v)) series.staleAt.push(series.n);
    series.n++;
    this.#sampleCount++;
  }

  /** Adds a whole series at once; the arrays are adopted, not copied. Sorted timestamps required. */
  load(labels: Labels, t: Float64Array, v: Float64Array): number {
    if (t.length !== v.length) throw new RangeError('timestamps and values differ in length');
    checkTimestamps(t);
    return this.#adopt(labels, t, v);
  }

  /**
   * Adds many series that share one timestamp array (a simulator's scrapes), checking the timestamps
   * once instead of once per series; the arrays are adopted, as by `load`. Returns the ids in order.
   */
  loadShared(t: Float64Array, series: readonly { labels: Labels; values: Float64Array }[]): number[] {
    for (const { values } of series) if (values.length !== t.length) throw new RangeError('timestamps and values differ in length');
    checkTimestamps(t);
    return series.map(({ labels, values }) => this.#adopt(labels, t, values));
  }

  #adopt(labels: Labels, t: Float64Array, v: Float64Array): number {
    const id = this.seriesId(labels);
    const series = this.#series[id] as StoredSeries;
    if (series.n > 0) {
      for (let i = 0; i < t.length; i++) this.append(id, t[i] as number, v[i] as number);
      return id;
    }
    series.t = t;
    series.v = v;
    series.n = t.length;
    series.adopted = true;
    series.staleAt = [];
    for (let i = 0; i < v.length; i++) {
      const vi = v[i] as number;
      if (Number.isNaN(vi) && isStaleMarker(vi)) series.staleAt.push(i);
    }
    this.#sampleCount += t.length;
    return id;
  }

  #grow(series: StoredSeries): void {
    const capacity = Math.max(16, series.n * 2);
    const t = new Float64Array(capacity);
    const v = new Float64Array(capacity);
    t.set(series.t.subarray(0, series.n));
    v.set(series.v.subarray(0, series.n));
    series.t = t;
    series.v = v;
    series.adopted = false;
  }

  labelNames(): string[] {
    return [...this.#postings.keys()].sort();
  }

  labelValues(name: string): string[] {
    return [...(this.#postings.get(name)?.keys() ?? [])].sort();
  }

  seriesLabels(): Labels[] {
    return this.#series.map((series) => series.labels);
  }

  clear(): void {
    this.#series = [];
    this.#byKey.clear();
    this.#postings.clear();
    this.#sampleCount = 0;
  }

  /** @internal For the evaluator. */
  get series(): readonly StoredSeries[] {
    return this.#series;
  }

  /** @internal Ids (ascending) of series with `name` = one of the values accepted by `accept`. */
  postingsMatching(name: string, accept: (value: string) => boolean): number[] {
    const values = this.#postings.get(name);
    if (!values) return [];
    const lists: number[][] = [];
    for (const [value, ids] of values) if (accept(value)) lists.push(ids);
    if (lists.length === 1) return lists[0] as number[];
    const merged: number[] = [];
    for (const ids of lists) for (const id of ids) merged.push(id);
    return merged.sort((a, b) => a - b);
  }

  /** @internal Ids (ascending) of series with label `name` = `value`. */
  postings(name: string, value: string): readonly number[] {
    return this.#postings.get(name)?.get(value) ?? [];
  }
}
