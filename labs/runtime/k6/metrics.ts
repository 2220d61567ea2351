// k6's metrics model: counters, gauges, rates and trends, with every sample kept so any tag
// filter and any percentile can be answered exactly afterwards. Samples live in growable typed
// arrays (value, time, tag-set id) and tag sets are interned once, so a 10-minute test with
// hundreds of thousands of requests costs a few megabytes and no per-sample objects.
import { K6MetricError } from './errors.ts';

export { K6MetricError } from './errors.ts';

export const METRIC_TYPES = ['counter', 'gauge', 'rate', 'trend'] as const;
export type MetricType = (typeof METRIC_TYPES)[number];

export const METRIC_CONTAINS = ['default', 'time', 'data'] as const;
/** What a metric's values measure: plain numbers, milliseconds or bytes. */
export type MetricContains = (typeof METRIC_CONTAINS)[number];

export type MetricInfo = { name: string; type: MetricType; contains: MetricContains };

/** Sample tags; a filter `{ status: '200' }` matches samples carrying at least those tags. */
export type Tags = Readonly<Record<string, string>>;

/** An interned tag set, from `internTags`; cheaper to pass to `add` than the tags object. */
export type TagSetId = number;

/** The metrics k6 always has, with k6's types. */
export const BUILTIN_METRICS: readonly MetricInfo[] = [
  { name: 'checks', type: 'rate', contains: 'default' },
  { name: 'data_received', type: 'counter', contains: 'data' },
  { name: 'data_sent', type: 'counter', contains: 'data' },
  { name: 'dropped_iterations', type: 'counter', contains: 'default' },
  { name: 'group_duration', type: 'trend', contains: 'time' },
  { name: 'http_req_blocked', type: 'trend', contains: 'time' },
  { name: 'http_req_connecting', type: 'trend', contains: 'time' },
  { name: 'http_req_duration', type: 'trend', contains: 'time' },
  { name: 'http_req_failed', type: 'rate', contains: 'default' },
  { name: 'http_req_receiving', type: 'trend', contains: 'time' },
  { name: 'http_req_sending', type: 'trend', contains: 'time' },
  { name: 'http_req_tls_handshaking', type: 'trend', contains: 'time' },
  { name: 'http_req_waiting', type: 'trend', contains: 'time' },
  { name: 'http_reqs', type: 'counter', contains: 'default' },
  { name: 'iteration_duration', type: 'trend', contains: 'time' },
  { name: 'iterations', type: 'counter', contains: 'default' },
  { name: 'vus', type: 'gauge', contains: 'default' },
  { name: 'vus_max', type: 'gauge', contains: 'default' },
];

// k6's registry rule, quirk included: `{1,128}` after the first character means a name needs at
// least two characters.
const METRIC_NAME = /^[a-zA-Z_][a-zA-Z0-9_]{1,128}$/;

const PERCENTILE_STAT = /^p\((\d+(?:\.\d+)?)\)$/;

/** Whether k6 accepts `name` for a custom metric. */
export function isValidMetricName(name: string): boolean {
  return METRIC_NAME.test(name);
}

/** Trend statistics over the samples matching a filter; percentiles are exact. */
export class TrendStats {
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
  readonly #sorted: Float64Array;

  constructor(sorted: Float64Array, sum: number, min: number, max: number) {
    this.#sorted = sorted;
    this.count = sorted.length;
    this.sum = sum;
    this.min = min;
    this.max = max;
  }

  get avg(): number {
    return this.count > 0 ? this.sum / this.count : 0;
  }

  get med(): number {
    return this.percentile(50);
  }

  /**
   * k6's TrendSink.P: linear interpolation between the closest ranks, at rank
   * (p/100)·(count−1) of the sorted samples; 0 without samples.
   */
  percentile(p: number): number {
    const values = this.#sorted;
    if (values.length === 0) return 0;
    if (values.length === 1) return values[0] ?? 0;
    const rank = (p / 100) * (values.length - 1);
    const lower = values[Math.floor(rank)] ?? 0;
    const upper = values[Math.ceil(rank)] ?? 0;
    return lower + (upper - lower) * (rank - Math.floor(rank));
  }

  /** A summary column by k6's name (`avg`, `min`, `med`, `max`, `count`, `p(N)`), or undefined. */
  stat(name: string): number | undefined {
    switch (name) {
      case 'avg':
        return this.avg;
      case 'min':
        return this.min;
      case 'med':
        return this.med;
      case 'max':
        return this.max;
      case 'count':
        return this.count;
      default: {
        const percentile = PERCENTILE_STAT.exec(name);
        return percentile === null ? undefined : this.percentile(Number(percentile[1]));
      }
    }
  }
}

export type CounterStats = { count: number; rate: number };
export type RateStats = { rate: number; passes: number; fails: number; total: number };
export type GaugeStats = { value: number; min: number; max: number; count: number };

type Store = {
  info: MetricInfo;
  length: number;
  values: Float64Array;
  times: Float64Array;
  tagSets: Int32Array;
};

/** A metric of one registry, from `handle(name)`. */
export type MetricHandle = { readonly __metric: unique symbol };

type TrendCache = { scanned: number; sorted: Float64Array; sum: number; min: number; max: number };

const INITIAL_CAPACITY = 256;

function grow<T extends Float64Array | Int32Array>(array: T, capacity: number): T {
  const larger = new (array.constructor as new (length: number) => T)(capacity);
  larger.set(array);
  return larger;
}

function mergeSorted(a: Float64Array, b: Float64Array): Float64Array {
  const merged = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] ?? 0;
    const y = b[j] ?? 0;
    if (x <= y) {
      merged[k++] = x;
      i++;
    } else {
      merged[k++] = y;
      j++;
    }
  }
  merged.set(a.subarray(i), k);
  merged.set(b.subarray(j), k + a.length - i);
  return merged;
}

function canonicalTags(tags: Tags): string {
  return JSON.stringify(
    Object.keys(tags)
      .sort()
      .map((key) => [key, tags[key]]),
  );
}

/**
 * Every metric of one test run: the built-ins plus the script's custom metrics, and all their
 * samples. Queries take an optional tag filter and compute from the stored samples.
 */
export class MetricsRegistry {
  readonly #stores = new Map<string, Store>();
  readonly #tagSetIds = new Map<string, TagSetId>();
  readonly #tagSets: Tags[] = [];
  readonly #trendCache = new Map<string, TrendCache>();

  constructor() {
    for (const metric of BUILTIN_METRICS) this.#create(metric);
  }

  #create(info: MetricInfo): void {
    this.#stores.set(info.name, {
      info,
      length: 0,
      values: new Float64Array(INITIAL_CAPACITY),
      times: new Float64Array(INITIAL_CAPACITY),
      tagSets: new Int32Array(INITIAL_CAPACITY),
    });
  }

  /**
   * Defines a custom metric (`new Trend('name', true)` and friends). Defining an existing name
   * again with the same type returns it, as k6 does; `contains` is only checked when given.
   */
  define(name: string, type: MetricType, contains?: MetricContains): MetricInfo {
    if (!isValidMetricName(name)) {
      throw new K6MetricError(
        `Invalid metric name: '${name}'. Metric names should start with a letter or an underscore and only include up to 128 ASCII letters, numbers, or underscores.`,
      );
    }
    const existing = this.#stores.get(name)?.info;
    if (existing === undefined) {
      const info: MetricInfo = { name, type, contains: contains ?? 'default' };
      this.#create(info);
      return info;
    }
    if (existing.type !== type) {
      throw new K6MetricError(`metric '${name}' already exists but with type ${existing.type}, instead of ${type}`);
    }
    if (contains !== undefined && contains !== existing.contains) {
      throw new K6MetricError(`metric '${name}' already exists but with a value type ${existing.contains}, instead of ${contains}`);
    }
    return existing;
  }

  has(name: string): boolean {
    return this.#stores.has(name);
  }

  info(name: string): MetricInfo | undefined {
    return this.#stores.get(name)?.info;
  }

  /** Every metric's type by name, for threshold validation. */
  types(): Map<string, MetricType> {
    return new Map([...this.#stores.values()].map((store) => [store.info.name, store.info.type]));
  }

  /** Metric names in ordinal order. */
  names(): string[] {
    return [...this.#stores.keys()].sort();
  }

  /** The id of a tag set, creating it on first use; reuse it for every sample of one request. */
  internTags(tags: Tags): TagSetId {
    const key = canonicalTags(tags);
    const known = this.#tagSetIds.get(key);
    if (known !== undefined) return known;
    const id = this.#tagSets.length;
    this.#tagSets.push(Object.freeze({ ...tags }));
    this.#tagSetIds.set(key, id);
    return id;
  }

  /** The tags of an interned tag set. */
  tagsOf(id: TagSetId): Tags {
    const tags = this.#tagSets[id];
    if (tags === undefined) throw new K6MetricError(`unknown tag set ${id}`);
    return tags;
  }

  #store(name: string): Store {
    const store = this.#stores.get(name);
    if (store === undefined) throw new K6MetricError(`metric "${name}" is not defined`);
    return store;
  }

  /**
   * Records one sample at `time` (test-relative ms). Passing a tags object interns it on every
   * call; hot paths should intern once per request and pass the id to each metric.
   */
  add(name: string, value: number, tags: Tags | TagSetId, time: number): void {
    this.#push(this.#store(name), value, typeof tags === 'number' ? tags : this.internTags(tags), time);
  }

  /** A defined metric to record into with `addTo`, looked up once instead of on every sample. */
  handle(name: string): MetricHandle {
    return this.#store(name) as unknown as MetricHandle;
  }

  /** `add` for a metric handle and an interned tag set: the per-request hot path. */
  addTo(metric: MetricHandle, value: number, tagSet: TagSetId, time: number): void {
    this.#push(metric as unknown as Store, value, tagSet, time);
  }

  #push(store: Store, value: number, tagSet: TagSetId, time: number): void {
    const name = store.info.name;
    if (!Number.isFinite(value)) {
      throw new K6MetricError(`metric "${name}" got ${value}; sample values must be finite numbers`);
    }
    if (tagSet < 0 || tagSet >= this.#tagSets.length) throw new K6MetricError(`unknown tag set ${tagSet}`);
    if (store.length === store.values.length) {
      const capacity = store.values.length * 2;
      store.values = grow(store.values, capacity);
      store.times = grow(store.times, capacity);
      store.tagSets = grow(store.tagSets, capacity);
    }
    store.values[store.length] = value;
    store.times[store.length] = time;
    store.tagSets[store.length] = tagSet;
    store.length++;
    this.onSample?.(name, value, tagSet, time);
  }

  /** Sees every sample as it is recorded (k6's outputs, e.g. `--out json`); unset by default. */
  onSample: ((name: string, value: number, tagSet: TagSetId, time: number) => void) | undefined = undefined;

  /** For each known tag set, 1 if it carries every tag of the filter. */
  #matchingTagSets(filter: Tags | undefined): Uint8Array | undefined {
    if (filter === undefined) return undefined;
    const entries = Object.entries(filter);
    if (entries.length === 0) return undefined;
    const matches = new Uint8Array(this.#tagSets.length);
    this.#tagSets.forEach((tags, id) => {
      matches[id] = entries.every(([key, value]) => Object.hasOwn(tags, key) && tags[key] === value) ? 1 : 0;
    });
    return matches;
  }

  /** Visits matching samples in the order they were added. */
  forEachSample(name: string, filter: Tags | undefined, visit: (value: number, time: number, tagSet: TagSetId) => void): void {
    this.#scan(this.#store(name), filter, 0, visit);
  }

  #scan(store: Store, filter: Tags | undefined, from: number, visit: (value: number, time: number, tagSet: TagSetId) => void): void {
    const matches = this.#matchingTagSets(filter);
    const { values, times, tagSets, length } = store;
    for (let i = from; i < length; i++) {
      const tagSet = tagSets[i] ?? 0;
      if (matches === undefined || matches[tagSet] === 1) visit(values[i] ?? 0, times[i] ?? 0, tagSet);
    }
  }

  /** Number of samples matching the filter; k6 shows a metric only once it has one. */
  sampleCount(name: string, filter?: Tags): number {
    const store = this.#store(name);
    if (filter === undefined || Object.keys(filter).length === 0) return store.length;
    let count = 0;
    this.#scan(store, filter, 0, () => {
      count++;
    });
    return count;
  }

  /**
   * Trend statistics. Samples are sorted once per query; repeated queries only sort the samples
   * added since and merge them in, so periodic threshold checks stay cheap on long tests.
   */
  trend(name: string, filter?: Tags): TrendStats {
    const store = this.#store(name);
    const key = `${name}\u0000${filter === undefined ? '' : canonicalTags(filter)}`;
    const cached = this.#trendCache.get(key) ?? { scanned: 0, sorted: new Float64Array(0), sum: 0, min: 0, max: 0 };
    if (cached.scanned < store.length) {
      let { sum, min, max } = cached;
      let count = cached.sorted.length;
      let fresh: Float64Array;
      if (filter === undefined || Object.keys(filter).length === 0) {
        // Every sample: copy the new ones at once instead of visiting them one by one.
        fresh = store.values.slice(cached.scanned, store.length);
      } else {
        const picked: number[] = [];
        this.#scan(store, filter, cached.scanned, (value) => picked.push(value));
        fresh = Float64Array.from(picked);
      }
      for (let i = 0; i < fresh.length; i++) {
        const value = fresh[i] ?? 0;
        // Summed in insertion order, like k6's TrendSink, so averages match bit for bit.
        sum += value;
        if (count === 0 || value < min) min = value;
        if (count === 0 || value > max) max = value;
        count++;
      }
      const sorted = mergeSorted(cached.sorted, fresh.sort());
      this.#trendCache.set(key, { scanned: store.length, sorted, sum, min, max });
      return new TrendStats(sorted, sum, min, max);
    }
    return new TrendStats(cached.sorted, cached.sum, cached.min, cached.max);
  }

  /** Counter total (k6's `count` is the sum of the values) and its per-second rate. */
  counter(name: string, filter: Tags | undefined, durationMs: number): CounterStats {
    let count = 0;
    this.#scan(this.#store(name), filter, 0, (value) => {
      count += value;
    });
    return { count, rate: durationMs > 0 ? count / (durationMs / 1000) : 0 };
  }

  /** Share of non-zero samples (0 without samples). */
  rate(name: string, filter?: Tags): RateStats {
    let passes = 0;
    let total = 0;
    this.#scan(this.#store(name), filter, 0, (value) => {
      total++;
      if (value !== 0) passes++;
    });
    return { rate: total > 0 ? passes / total : 0, passes, fails: total - passes, total };
  }

  /** Last value added, minimum and maximum. */
  gauge(name: string, filter?: Tags): GaugeStats {
    let value = 0;
    let min = 0;
    // k6's GaugeSink starts max at 0, so an all-negative gauge reports max=0; kept for parity.
    let max = 0;
    let count = 0;
    this.#scan(this.#store(name), filter, 0, (sample) => {
      value = sample;
      if (count === 0 || sample < min) min = sample;
      if (sample > max) max = sample;
      count++;
    });
    return { value, min, max, count };
  }

  /**
   * The values k6 puts in `data.metrics[name].values` for handleSummary: count/rate for
   * counters, value/min/max for gauges, rate/passes/fails for rates, the trend stats for trends.
   */
  summaryValues(name: string, filter: Tags | undefined, durationMs: number, trendStats: readonly string[]): Record<string, number> {
    const { type } = this.#store(name).info;
    switch (type) {
      case 'counter':
        return { ...this.counter(name, filter, durationMs) };
      case 'gauge': {
        const { value, min, max } = this.gauge(name, filter);
        return { value, min, max };
      }
      case 'rate': {
        const { rate, passes, fails } = this.rate(name, filter);
        return { rate, passes, fails };
      }
      case 'trend': {
        const stats = this.trend(name, filter);
        const values: Record<string, number> = {};
        for (const stat of trendStats) values[stat] = stats.stat(stat) ?? 0;
        return values;
      }
    }
  }
}
