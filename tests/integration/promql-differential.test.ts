// Differential test: our PromQL engine against a real Prometheus (Debian's 2.42) on the same data.
//
// Seeded telemetry (counters with resets, gauges with NaN readings, classic histograms, six targets
// with jittered scrapes, dropped scrapes, an outage and a target that stops early) is backfilled with
// `promtool tsdb create-blocks-from openmetrics` and served by `prometheus` on a loopback port. Each
// generated query (every function family of the engine) runs as an instant query and as a range query
// on both; results agree when the label sets are equal and every value is within a relative 1e-9
// (NaN equals NaN), or when both fail.
//
// Evaluation times end in 5 ms and sample times never do (they are jittered by whole 10 ms steps and
// never sit on a whole second), so a sample never lies on a range boundary — except in the "aligned"
// cases, built so that a sample sits exactly at t - range. There, Prometheus 3 (our semantics: ranges
// are left-open, (t - range, t]) and 2.42 (closed, [t - range, t]) legitimately differ.
//
// Disagreement classes (each disagreement must fall in one, else the test fails):
//  - boundary: Prometheus 3 range selectors and subqueries are left-open, 2.42's are closed. Checked,
//    not assumed: the case counts as explained only if 2.42 gives our answer once every range in the
//    query is shortened by 1 ms, which makes its closed window equal to our left-open one (values within
//    1e-5, the extrapolation then spans 1 ms less).
//  - atan2 name: since Prometheus 2.46 (prometheus/prometheus#12595) `atan2` drops the metric name like
//    the other arithmetic operators; 2.42 kept it. Checked: the results agree once `__name__` is removed
//    from 2.42's series.
//  - zero-point extrapolation: since 2.51 (prometheus/prometheus#13725) rate()/increase() first limit the
//    extrapolation at the start of the window to half a sampling interval when the series starts inside
//    the window, then to the counter's zero point; 2.42 did it in the other order and so extrapolated
//    further for series that start (or restart) inside the window. Checked: the query is a rate() or
//    increase(), and a selected series has no sample within 1.1 scrape intervals of the window start.
//  - regex dot-all: in 3.x `.` in a label matcher or label_replace regex also matches a newline
//    (3.0, prometheus#14505); 2.42's did not. Checked: 2.42 agrees once every regex in the
//    query is given the `(?s)` flag.
//  - topk/bottomk ties: among equal values, which series a full heap keeps depends on the heap
//    algorithm: 2.42 pops the root and pushes the new sample, 3.x overwrites the root and fixes the
//    heap. Checked: simulating each version's Go container/heap steps on each step's input (in label
//    order) gives 2.42's answer and ours at every step.
// A disagreement in no class is a bug in our engine and fails the test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instantQuery, rangeQuery, Tsdb } from '../../labs/runtime/promql/index.ts';
import type { Labels, QueryResult, QueryValue } from '../../labs/runtime/promql/types.ts';
import {
  type GeneratedSeries,
  generateTelemetry,
  type PrometheusResponse,
  parsePrometheusValue,
  type RunningPrometheus,
  startPrometheus,
} from '../support/prometheus.ts';

const START = Date.UTC(2024, 0, 1);
const HOUR = 3_600_000;
const TOLERANCE = 1e-9;
/** Agreement required: every comparison but the 24 aligned cases (4 % of 600, built to hit the
 *  left-open/closed boundary) and a 3 % allowance for the other documented 2.42 → 3.x differences. Every
 *  disagreement must be explained besides, so the threshold only guards against a drift into many
 * "explained" ones. Measured: 96.2 %. */
const MIN_AGREEMENT = 0.93;

interface Case {
  query: string;
  /** Set for the aligned cases: the instant evaluation time puts a sample exactly at t - range. */
  aligned?: boolean;
}

function splitmix(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return ((z ^ (z >>> 16)) >>> 0) / 4_294_967_296;
  };
}

const random = splitmix(20_240_101);
function pick<T>(items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

const COUNTERS = [
  'http_requests_total',
  'http_requests_total{job="api"}',
  'http_requests_total{code=~"5.."}',
  'http_requests_total{route!="/cart", instance=~"i[01]"}',
  'http_requests_total{code!~"2.*", job="web"}',
];
const GAUGES = [
  'process_resident_memory_bytes',
  'queue_depth{job="web"}',
  'temperature_celsius',
  'queue_depth{instance!="i1"}',
  'http_request_duration_seconds_sum',
];
const BUCKETS = ['http_request_duration_seconds_bucket', 'http_request_duration_seconds_bucket{job="api"}'];
const RANGES = ['1m', '2m', '5m', '10m', '30m', '1h', '90s', '4m30s'];

/** The generated queries: each family of the engine, parameters drawn from a fixed seed. */
function buildCases(): Case[] {
  const q: Case[] = [];
  const add = (query: string) => q.push({ query });
  // Selectors, offset, @.
  for (const s of [
    ...COUNTERS,
    ...GAUGES,
    'up',
    '{__name__=~"queue_.*|up", instance="i2"}',
    'http_request_duration_seconds_count{job=~"API"}',
  ])
    add(s);
  for (const s of ['http_requests_total{job="api"}', 'queue_depth', 'up{job="web"}']) {
    add(`${s} offset 5m`);
    add(`${s} offset 1h`);
    add(`${s} @ ${(START + 3 * HOUR + 123_005) / 1000}`);
    add(`${s} @ end() offset 10m`);
  }
  // rate and friends.
  for (const f of ['rate', 'irate', 'increase', 'resets']) for (let i = 0; i < 8; i += 1) add(`${f}(${pick(COUNTERS)}[${pick(RANGES)}])`);
  for (const f of ['delta', 'idelta', 'deriv', 'changes']) for (let i = 0; i < 6; i += 1) add(`${f}(${pick(GAUGES)}[${pick(RANGES)}])`);
  for (let i = 0; i < 6; i += 1) add(`predict_linear(${pick(GAUGES)}[${pick(['5m', '10m', '1h'])}], ${pick(['600', '3600', '-300'])})`);
  add('rate(http_requests_total[5m] offset 30m)');
  add('increase(http_requests_total{job="web"}[10m] @ start())');
  // *_over_time.
  for (const f of ['avg', 'min', 'max', 'sum', 'count', 'stddev', 'stdvar', 'last', 'present']) {
    for (let i = 0; i < 4; i += 1) add(`${f}_over_time(${pick(GAUGES)}[${pick(RANGES)}])`);
  }
  for (const qq of ['0', '0.5', '0.9', '0.99', '1']) add(`quantile_over_time(${qq}, ${pick(GAUGES)}[${pick(RANGES)}])`);
  add('absent_over_time(queue_depth{job="api"}[5m])');
  add('absent_over_time(nonexistent{job="api"}[5m])');
  add('absent_over_time(up{instance="i1", job="api"}[10m])');
  // histogram_quantile.
  for (const qq of ['0.5', '0.9', '0.99', '0', '1', '1.5']) {
    add(`histogram_quantile(${qq}, sum by (le) (rate(${pick(BUCKETS)}[5m])))`);
    add(`histogram_quantile(${qq}, sum by (job, le) (rate(http_request_duration_seconds_bucket[${pick(['2m', '10m'])}])))`);
  }
  add('histogram_quantile(0.99, rate(http_request_duration_seconds_bucket[5m]))');
  add('histogram_quantile(0.9, http_request_duration_seconds_bucket)');
  add('histogram_quantile(0.5, sum without (instance) (increase(http_request_duration_seconds_bucket[1h])))');
  add('histogram_quantile(0.5, http_request_duration_seconds_bucket{le!="+Inf"})');
  add(
    'sum by (job) (rate(http_request_duration_seconds_bucket{le="0.3"}[5m])) / sum by (job) (rate(http_request_duration_seconds_bucket{le="+Inf"}[5m]))',
  );
  add('sum(rate(http_request_duration_seconds_sum[5m])) / sum(rate(http_request_duration_seconds_count[5m]))');
  // Aggregations.
  const inners = [
    'rate(http_requests_total[5m])',
    'queue_depth',
    'process_resident_memory_bytes',
    'temperature_celsius',
    'increase(http_requests_total{code="500"}[10m])',
  ];
  for (const op of ['sum', 'avg', 'min', 'max', 'count', 'stddev', 'stdvar', 'group']) {
    add(`${op}(${pick(inners)})`);
    add(`${op} by (${pick(['job', 'instance', 'job, route', 'code'])}) (${pick(inners)})`);
    add(`${op} without (${pick(['instance', 'route, code', 'job'])}) (${pick(inners)})`);
  }
  for (let i = 0; i < 4; i += 1) {
    add(`topk(${pick(['1', '3', '5'])}, ${pick(inners)})`);
    add(`bottomk by (job) (${pick(['1', '2'])}, ${pick(inners)})`);
    add(`quantile(${pick(['0', '0.25', '0.5', '0.95', '1'])}, ${pick(inners)})`);
  }
  add('quantile by (job) (0.9, rate(http_requests_total[5m]))');
  add('count_values("depth", queue_depth)');
  add('count_values by (job) ("up", up)');
  add('count(count by (route) (http_requests_total))');
  add('sum by (job) (rate(http_requests_total[5m])) > 10');
  // Binary operators and vector matching.
  const ratios = [
    'sum by (job) (rate(http_requests_total{code=~"5.."}[5m])) / sum by (job) (rate(http_requests_total[5m]))',
    'sum by (job, instance) (rate(http_requests_total{code="500"}[10m])) / ignoring(code) sum by (job, instance) (rate(http_requests_total[10m]))',
    '1 - sum(rate(http_requests_total{code="500"}[30m])) / sum(rate(http_requests_total[30m]))',
    'rate(http_requests_total{code="500"}[5m]) / ignoring(code) group_left sum without (code) (rate(http_requests_total[5m]))',
    'sum by (job, instance) (rate(http_requests_total[5m])) * on(job, instance) group_left up',
    'up * on(job, instance) group_right sum by (job, instance, route) (rate(http_requests_total[5m]))',
    'queue_depth > 5',
    'queue_depth > bool 5',
    '5 < queue_depth',
    'queue_depth == bool on(job, instance) queue_depth',
    'queue_depth != 0',
    'queue_depth >= on(job, instance) (process_resident_memory_bytes / 4e7)',
    'process_resident_memory_bytes / 1024 / 1024',
    'queue_depth % 7',
    'queue_depth ^ 0.5',
    '-queue_depth + 3',
    'temperature_celsius * 9 / 5 + 32',
    'queue_depth atan2 temperature_celsius',
    '2 * 3 + 4 ^ 2 / 8',
    'time() - timestamp(up)',
    'up and on(job) queue_depth > 10',
    'queue_depth unless on(instance) queue_depth{job="web"} > 8',
    'queue_depth{job="api"} or queue_depth{instance="i0"}',
    'http_requests_total{code="500"} or on(job, instance) up',
    'up unless up{instance="i1"}',
    'sum(up) by (job) and sum(up) by (job) > 2',
    'vector(1) + on() group_left sum(up)',
    'queue_depth + on(job, instance) group_left temperature_celsius',
  ];
  for (const r of ratios) add(r);
  // Math.
  for (const f of ['abs', 'ceil', 'floor', 'round', 'sqrt', 'exp', 'ln', 'log2', 'log10', 'sgn'])
    add(`${f}(${pick(['queue_depth - 5', 'temperature_celsius / 10', 'rate(http_requests_total[5m])'])})`);
  add('round(temperature_celsius, 0.5)');
  add('round(rate(http_requests_total[5m]), 0.01)');
  add('clamp(queue_depth, 2, 8)');
  add('clamp(queue_depth, 8, 2)');
  add('clamp_min(queue_depth, 4)');
  add('clamp_max(temperature_celsius, 45)');
  // Labels.
  add('label_replace(up, "host", "$1", "instance", "i(.*)")');
  add('label_replace(up, "job", "x-$1", "job", "(a.*)")');
  add('label_replace(queue_depth, "instance", "", "instance", ".*")');
  add(`label_replace(up, "svc", "\${1}-$2", "instance", "(i)(\\\\d)")`);
  add('label_join(up, "target", "/", "job", "instance")');
  add('label_join(queue_depth, "both", "", "instance", "job", "instance")');
  // absent.
  add('absent(up)');
  add('absent(nonexistent{job="x", instance=~"i.*"})');
  add('absent(up{job="nope"})');
  add('absent(sum(nonexistent))');
  // sort.
  add('sort(queue_depth)');
  add('sort_desc(rate(http_requests_total[5m]))');
  // Time and date.
  for (const f of ['year', 'month', 'day_of_month', 'day_of_week', 'day_of_year', 'days_in_month', 'hour', 'minute']) {
    add(`${f}()`);
    add(`${f}(timestamp(up{instance="i0"}))`);
  }
  add('time()');
  add('vector(time())');
  add('scalar(sum(up))');
  add('scalar(up)');
  add('timestamp(queue_depth)');
  add('vector(scalar(sum(queue_depth)) / 2)');
  // Subqueries.
  add('max_over_time(rate(http_requests_total[5m])[30m:1m])');
  add('avg_over_time(queue_depth[10m:30s])');
  add('min_over_time(sum(rate(http_requests_total[2m]))[15m:])');
  add('rate(sum(http_requests_total)[10m:1m])');
  add('sum_over_time(up[5m:1m] offset 10m)');
  add('max_over_time(deriv(queue_depth[5m])[20m:2m])');
  add('count_over_time(queue_depth[7m:45s])');
  add('quantile_over_time(0.9, sum by (job) (rate(http_requests_total[5m]))[1h:5m])');
  add('last_over_time(max_over_time(temperature_celsius[5m])[10m:1m])');
  add('stddev_over_time((queue_depth * 2)[30m:90s])');
  add('absent_over_time(nonexistent[5m:1m])');
  add('increase(max by (job) (http_requests_total)[20m:1m])');
  // More shapes: nesting, offsets inside functions, mixed families.
  for (const w of ['2m', '10m', '1h']) {
    add(`sum by (route) (rate(http_requests_total[${w}]))`);
    add(`max by (job) (avg_over_time(queue_depth[${w}]))`);
    add(`sum(increase(http_requests_total{code="500"}[${w}])) / sum(increase(http_requests_total[${w}]))`);
    add(`histogram_quantile(0.95, sum by (le, job) (rate(http_request_duration_seconds_bucket[${w}] offset 5m)))`);
    add(`count by (job) (changes(queue_depth[${w}]) > 3)`);
    add(`avg without (instance) (deriv(process_resident_memory_bytes[${w}]))`);
    add(`topk(2, sum by (instance) (rate(http_requests_total[${w}])))`);
  }
  add('max_over_time(up[1h]) - min_over_time(up[1h])');
  add('sum(rate(http_requests_total[5m])) by (code) / ignoring(code) group_left sum(rate(http_requests_total[5m]))');
  add('abs(delta(temperature_celsius[30m])) > 2');
  add('clamp_min(predict_linear(queue_depth[30m], 1800), 0)');
  add('sort_desc(sum by (route) (increase(http_requests_total[1h])))');
  add('label_replace(sum by (route) (rate(http_requests_total[5m])), "path", "$1", "route", "/(.*)")');
  add('vector(1) * on() group_left count(up)');
  add('timestamp(max_over_time(queue_depth[10m]))');
  add('stddev_over_time(rate(http_requests_total{code="200"}[5m])[30m:1m])');
  add('quantile(0.5, quantile_over_time(0.9, queue_depth[30m]))');
  add('sum_over_time(http_request_duration_seconds_count[2m]) / count_over_time(http_request_duration_seconds_count[2m])');
  add('resets(http_request_duration_seconds_count[1h])');
  add('irate(http_request_duration_seconds_sum[5m]) / irate(http_request_duration_seconds_count[5m])');
  add('count(up == 1) by (job)');
  add('absent(up{job="api", instance="i9"})');
  add('group(queue_depth) by (instance)');
  // Label values with a newline: in 3.x `.` matches it, in 2.42 it does not.
  add('build_info{version=~"1.4.rc1"}');
  add('count(build_info{version=~".*rc.*"})');
  add('build_info{version!~"1\\.4.*"}');
  add('label_replace(build_info, "major", "$1", "version", "(\\d)\\..*")');
  // Both must fail.
  for (const bad of [
    'http_requests_total + on(code) up',
    'queue_depth / on(job) up',
    'label_replace(up, "1x", "a", "job", ".*")',
    'count_values("bad label", up)',
    'rate(queue_depth)',
    'sum(up',
  ]) {
    add(bad);
  }
  return q;
}

function alignedCases(series: GeneratedSeries[]): (Case & { at: number })[] {
  // Functions whose window is a range selector: put a sample of the first target exactly at t - range.
  const templates = [
    'rate(http_requests_total{instance="i0", job="api"}[5m])',
    'increase(http_requests_total{job="api"}[10m])',
    'count_over_time(queue_depth{job="api", instance="i0"}[5m])',
    'sum_over_time(queue_depth{job="api"}[2m])',
    'max_over_time(process_resident_memory_bytes{instance="i0"}[1m])',
    'changes(queue_depth{job="api", instance="i0"}[30m])',
    'delta(temperature_celsius{job="api", instance="i0"}[10m])',
    'avg_over_time(queue_depth{job="api", instance="i0"}[1h])',
    'sum by (job) (rate(http_requests_total[5m]))',
    'histogram_quantile(0.9, sum by (le) (rate(http_request_duration_seconds_bucket{instance="i0", job="api"}[5m])))',
    'resets(http_requests_total{instance="i0"}[1h])',
    'deriv(queue_depth{instance="i0", job="api"}[10m])',
  ];
  const t0 = (series.find((s) => s.labels['job'] === 'api' && s.labels['instance'] === 'i0') as GeneratedSeries).t;
  const out: (Case & { at: number })[] = [];
  for (const [i, query] of templates.entries()) {
    for (const k of [0, 1]) {
      const range = /\[(\d+)([mh])\]/.exec(query) as RegExpExecArray;
      const rangeMs = Number(range[1]) * (range[2] === 'h' ? HOUR : 60_000);
      const sample = t0[(300 + i * 97 + k * 431) % (t0.length - 600)] as number;
      out.push({ query, aligned: true, at: sample + rangeMs });
    }
  }
  return out;
}

/** Prometheus's JSON value in our QueryValue shape (timestamps in ms). */
function fromPrometheus(data: NonNullable<PrometheusResponse['data']>): QueryValue {
  const ms = (s: number) => Math.round(s * 1000);
  switch (data.resultType) {
    case 'scalar': {
      const [t, v] = data.result as [number, string];
      return { resultType: 'scalar', t: ms(t), v: parsePrometheusValue(v) };
    }
    case 'string': {
      const [t, v] = data.result as [number, string];
      return { resultType: 'string', t: ms(t), v };
    }
    case 'vector':
      return {
        resultType: 'vector',
        result: (data.result as { metric: Labels; value: [number, string] }[]).map((s) => ({
          metric: s.metric,
          t: ms(s.value[0]),
          v: parsePrometheusValue(s.value[1]),
        })),
      };
    case 'matrix':
      return {
        resultType: 'matrix',
        result: (data.result as { metric: Labels; values: [number, string][] }[]).map((s) => ({
          metric: s.metric,
          t: s.values.map((p) => ms(p[0])),
          v: s.values.map((p) => parsePrometheusValue(p[1])),
        })),
      };
  }
}

function key(labels: Labels): string {
  return JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k]]),
  );
}

function close(a: number, b: number, tolerance: number): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (a === b) return true;
  return Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b));
}

/** Why two values differ (and the first time they do), or undefined when they agree. */
function difference(ours: QueryValue, theirs: QueryValue, tolerance: number): string | undefined {
  if (ours.resultType !== theirs.resultType) return `result type ${ours.resultType} vs Prometheus ${theirs.resultType}`;
  if (ours.resultType === 'scalar' || ours.resultType === 'string') {
    const tv = (theirs as typeof ours).v;
    const same = typeof ours.v === 'number' ? close(ours.v, tv as number, tolerance) : ours.v === tv;
    return same ? undefined : `scalar ${ours.v} vs Prometheus ${tv}`;
  }
  const points = (v: QueryValue) => {
    const map = new Map<string, { t: number[]; v: number[] }>();
    if (v.resultType === 'vector') for (const s of v.result) map.set(key(s.metric), { t: [s.t], v: [s.v] });
    if (v.resultType === 'matrix') for (const s of v.result) map.set(key(s.metric), { t: s.t, v: s.v });
    return map;
  };
  const a = points(ours);
  const b = points(theirs);
  for (const k of a.keys()) if (!b.has(k)) return `series ${k} only in ours`;
  for (const k of b.keys()) if (!a.has(k)) return `series ${k} only in Prometheus`;
  for (const [k, sa] of a) {
    const sb = b.get(k) as { t: number[]; v: number[] };
    if (sa.t.length !== sb.t.length) return `series ${k}: ${sa.t.length} points vs Prometheus ${sb.t.length}`;
    for (let i = 0; i < sa.t.length; i += 1) {
      if (sa.t[i] !== sb.t[i]) return `series ${k}: point ${i} at ${sa.t[i]} vs Prometheus ${sb.t[i]}`;
      if (!close(sa.v[i] as number, sb.v[i] as number, tolerance))
        return `series ${k} at t=${sa.t[i]}: ${sa.v[i]} vs Prometheus ${sb.v[i]}`;
    }
  }
  return undefined;
}

function withoutName(value: QueryValue): QueryValue {
  const strip = (labels: Labels): Labels => Object.fromEntries(Object.entries(labels).filter(([k]) => k !== '__name__'));
  if (value.resultType === 'vector') return { resultType: 'vector', result: value.result.map((s) => ({ ...s, metric: strip(s.metric) })) };
  if (value.resultType === 'matrix') return { resultType: 'matrix', result: value.result.map((s) => ({ ...s, metric: strip(s.metric) })) };
  return value;
}

function compare(
  ours: QueryResult,
  theirs: PrometheusResponse,
  tolerance = TOLERANCE,
  options: { dropTheirNames?: boolean } = {},
): string | undefined {
  if (!ours.ok && theirs.status === 'error') return undefined;
  if (!ours.ok) return `ours failed (${ours.error.message}), Prometheus did not`;
  if (theirs.status === 'error' || !theirs.data) return `Prometheus failed (${theirs.error}), ours did not`;
  const value = fromPrometheus(theirs.data);
  return difference(ours.value, options.dropTheirNames ? withoutName(value) : value, tolerance);
}

/** The largest range (selector or subquery) in the query, in ms. */
function largestRange(query: string): number {
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: HOUR, d: 24 * HOUR };
  let largest = 0;
  for (const m of query.matchAll(/\[((?:\d+(?:ms|s|m|h|d))+)[\]:]/g)) {
    let ms = 0;
    for (const part of (m[1] as string).matchAll(/(\d+)(ms|s|m|h|d)/g)) ms += Number(part[1]) * (unit[part[2] as string] as number);
    largest = Math.max(largest, ms);
  }
  return largest;
}

/** True when a series of a metric named in the query starts late or has a gap (> 1.1 scrape
 *  intervals) at the start of a window (t - range, t] for one of the given times. */
function startsInsideWindow(query: string, series: GeneratedSeries[], times: number[], scrapeMs: number): boolean {
  const range = largestRange(query);
  const names = new Set([...query.matchAll(/[a-z_:][a-z0-9_:]*/g)].map((m) => m[0]));
  return series.some(
    (s) =>
      names.has(s.labels['__name__'] ?? '') &&
      times.some((t) => {
        const first = s.t.find((x) => x > t - range);
        return first !== undefined && first <= t && first - (t - range) > 1.1 * scrapeMs;
      }),
  );
}

/** Every range in the query (selectors and subqueries) shortened by 1 ms, written in ms. */
function shortenRanges(query: string): string {
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: HOUR, d: 24 * HOUR };
  return query.replace(/\[((?:\d+(?:ms|s|m|h|d))+)(:[^\]]*)?\]/g, (_all, range: string, step: string | undefined) => {
    let ms = 0;
    for (const m of range.matchAll(/(\d+)(ms|s|m|h|d)/g)) ms += Number(m[1]) * (unit[m[2] as string] as number);
    return `[${ms - 1}ms${step ?? ''}]`;
  });
}

/** Go's container/heap on an array with a `less`, as Prometheus's topk/bottomk use it. */
function goHeap<T>(less: (a: T, b: T) => boolean) {
  const h: T[] = [];
  const swap = (i: number, j: number) => {
    const x = h[i] as T;
    h[i] = h[j] as T;
    h[j] = x;
  };
  const up = (j0: number) => {
    let j = j0;
    for (;;) {
      const i = Math.trunc((j - 1) / 2);
      if (i === j || !less(h[j] as T, h[i] as T)) break;
      swap(i, j);
      j = i;
    }
  };
  const down = (i0: number, n: number) => {
    let i = i0;
    for (;;) {
      const j1 = 2 * i + 1;
      if (j1 >= n || j1 < 0) break;
      let j = j1;
      const j2 = j1 + 1;
      if (j2 < n && less(h[j2] as T, h[j1] as T)) j = j2;
      if (!less(h[j] as T, h[i] as T)) break;
      swap(i, j);
      i = j;
    }
    return i > i0;
  };
  return {
    items: h,
    push(x: T) {
      h.push(x);
      up(h.length - 1);
    },
    pop(): T {
      const n = h.length - 1;
      swap(0, n);
      down(0, n);
      return h.pop() as T;
    },
    /** Replaces the root and restores the heap (`h[0] = x; heap.Fix(h, 0)`). */
    replaceRoot(x: T) {
      h[0] = x;
      if (!down(0, h.length)) up(0);
    },
  };
}

/** topk/bottomk on one step's input (label order) with a heap of k: when a sample beats the root, 2.42
 *  pops the root and pushes the sample, 3.x overwrites the root and fixes the heap. */
function simulateTopk(
  version: '2.42' | '3.x',
  op: 'topk' | 'bottomk',
  k: number,
  by: string[],
  input: { metric: Labels; v: number }[],
): Set<string> {
  type S = { metric: Labels; v: number };
  const less = op === 'topk' ? (a: S, b: S) => Number.isNaN(a.v) || a.v < b.v : (a: S, b: S) => Number.isNaN(a.v) || a.v > b.v;
  const groups = new Map<string, ReturnType<typeof goHeap<S>>>();
  for (const s of input) {
    const g = JSON.stringify(by.map((l) => s.metric[l] ?? ''));
    let heap = groups.get(g);
    if (!heap) {
      heap = goHeap(less);
      groups.set(g, heap);
    }
    const root = heap.items[0];
    if (heap.items.length < k) heap.push(s);
    else if (
      (root && (op === 'topk' ? root.v < s.v : root.v > s.v || Number.isNaN(root.v))) ||
      (root && Number.isNaN(root.v) && !Number.isNaN(s.v))
    ) {
      if (version === '2.42') {
        heap.pop();
        heap.push(s);
      } else {
        heap.replaceRoot(s);
      }
    }
  }
  return new Set([...groups.values()].flatMap((h) => h.items.map((s) => key(s.metric))));
}

interface Comparison {
  query: string;
  kind: 'instant' | 'range';
  at: number;
  /** The evaluation times (one for an instant query, every step for a range query). */
  times: number[];
  params: Record<string, string>;
  aligned: boolean;
  difference?: string;
  reason?: string;
}

describe('PromQL engine against Prometheus 2.42 on the same data', () => {
  let prometheus: RunningPrometheus | undefined;
  let db: Tsdb;
  let series: GeneratedSeries[];

  beforeAll(async () => {
    series = generateTelemetry({
      seed: 42,
      start: START,
      durationMs: 6 * HOUR,
      scrapeMs: 15_000,
      jobs: ['api', 'web'],
      instances: ['i0', 'i1', 'i2'],
      routes: ['/home', '/cart'],
      codes: ['200', '500'],
      buckets: [0.05, 0.1, 0.3, 1],
      irregular: true,
    });
    // Build labels with a newline, for the regex dot-all difference (up's timestamps, value 1).
    const up = series.find((x) => x.labels['__name__'] === 'up') as GeneratedSeries;
    for (const version of ['1.4\nrc1', '1.4.0', '1.5\nrc2']) {
      series.push({ labels: { __name__: 'build_info', job: 'api', instance: 'i0', version }, t: up.t, v: up.t.map(() => 1) });
    }
    db = new Tsdb();
    for (const s of series) db.load(s.labels, Float64Array.from(s.t), Float64Array.from(s.v));
    prometheus = await startPrometheus(series);
  }, 180_000);

  afterAll(async () => {
    await prometheus?.stop();
  }, 30_000);

  it('agrees on the generated queries, and every disagreement has a documented reason', async () => {
    const server = prometheus as RunningPrometheus;
    const cases = buildCases();
    const aligned = alignedCases(series);
    expect(new Set(cases.map((c) => c.query)).size).toBeGreaterThanOrEqual(300);
    const comparisons: Comparison[] = [];
    const deadline = Date.now() + 240_000;
    for (const [i, c] of cases.entries()) {
      if (Date.now() > deadline) throw new Error(`the comparison ran past its 240 s budget at case ${i}`);
      // Evaluation times end in 5 ms: between 1 h 10 m and 5 h 50 m into the data.
      const at = START + 70 * 60_000 + Math.floor(random() * 280 * 60 * 100) * 10 + 5;
      const params = { query: c.query, time: String(at / 1000) };
      const d = compare(instantQuery(db, c.query, at), await server.api('query', params));
      comparisons.push({ query: c.query, kind: 'instant', at, times: [at], params, aligned: false, ...(d ? { difference: d } : {}) });
      const step = pick([60_000, 90_000, 137_000]);
      const start = at - 40 * 60_000;
      const rangeParams = { query: c.query, start: String(start / 1000), end: String(at / 1000), step: String(step / 1000) };
      const dr = compare(rangeQuery(db, c.query, start, at, step), await server.api('query_range', rangeParams));
      const times = Array.from({ length: Math.floor((at - start) / step) + 1 }, (_, k) => start + k * step);
      comparisons.push({
        query: c.query,
        kind: 'range',
        at,
        times,
        params: rangeParams,
        aligned: false,
        ...(dr ? { difference: dr } : {}),
      });
    }
    for (const c of aligned) {
      const params = { query: c.query, time: String(c.at / 1000) };
      const d = compare(instantQuery(db, c.query, c.at), await server.api('query', params));
      comparisons.push({
        query: c.query,
        kind: 'instant',
        at: c.at,
        times: [c.at],
        params,
        aligned: true,
        ...(d ? { difference: d } : {}),
      });
    }
    // Explain each disagreement, by checking the documented cause rather than assuming it.
    for (const c of comparisons) {
      if (!c.difference) continue;
      const ours =
        c.kind === 'instant'
          ? instantQuery(db, c.query, c.at)
          : rangeQuery(db, c.query, c.times[0] as number, c.at, Number(c.params['step']) * 1000);
      if (c.aligned) {
        const shortened = await server.api('query', { ...c.params, query: shortenRanges(c.query) });
        if (compare(ours, shortened, 1e-5) === undefined) {
          c.reason =
            'boundary: a sample sits at t - range; 3.x ranges are left-open, 2.42 closed (2.42 agrees with the range 1 ms shorter)';
          continue;
        }
      }
      if (/=~|!~|label_replace/.test(c.query)) {
        const dotAll = c.query.replace(/([=!]~\s*")/g, '$1(?s)').replace(/(label_replace\((?:[^"]*"[^"]*",){3}\s*")/g, '$1(?s)');
        const theirs = await server.api(c.kind === 'instant' ? 'query' : 'query_range', { ...c.params, query: dotAll });
        if (dotAll !== c.query && compare(ours, theirs) === undefined) {
          c.reason = 'regex dot-all: 3.x regexes match a newline with `.`, 2.42 does not (2.42 agrees with (?s))';
          continue;
        }
      }
      if (/\batan2\b/.test(c.query)) {
        const theirs = await server.api(c.kind === 'instant' ? 'query' : 'query_range', c.params);
        if (compare(ours, theirs, TOLERANCE, { dropTheirNames: true }) === undefined) {
          c.reason = 'atan2 name: 3.x (since 2.46, prometheus#12595) drops the metric name, 2.42 kept it (equal without __name__)';
          continue;
        }
      }
      // A range result must equal the instant result at each step: if ours do not, it is our bug.
      const at = /at t=(\d+)/.exec(c.difference);
      const when = at ? [Number(at[1])] : c.times;
      if (c.kind === 'range' && at) {
        const instant = instantQuery(db, c.query, Number(at[1]));
        const step = ours.ok && ours.value.resultType === 'matrix' ? ours.value : undefined;
        const sameAsInstant =
          instant.ok &&
          step !== undefined &&
          difference(
            instant.value,
            {
              resultType: 'vector',
              result: step.result.flatMap((m) => {
                const i = m.t.indexOf(Number(at[1]));
                return i < 0 ? [] : [{ metric: m.metric, t: Number(at[1]), v: m.v[i] as number }];
              }),
            },
            TOLERANCE,
          ) === undefined;
        if (!sameAsInstant) {
          c.difference += ' (and our range query differs from our instant query at that time)';
          continue;
        }
      }
      const topk = /^(topk|bottomk)(?: by \(([^)]*)\))? ?\((\d+), (.+)\)$/.exec(c.query);
      if (topk) {
        const [, op, by, k, inner] = topk as unknown as [string, 'topk' | 'bottomk', string | undefined, string, string];
        const theirs = await server.api(c.kind === 'instant' ? 'query' : 'query_range', c.params);
        const value = theirs.data ? fromPrometheus(theirs.data) : undefined;
        const explained = c.times.every((t) => {
          const input = instantQuery(db, inner, t);
          if (!input.ok || input.value.resultType !== 'vector' || !value) return false;
          const grouping = by ? by.split(',').map((l) => l.trim()) : [];
          const at = (v: QueryValue) =>
            new Set(
              v.resultType === 'vector'
                ? v.result.map((s) => key(s.metric))
                : v.resultType === 'matrix'
                  ? v.result.filter((s) => s.t.includes(t)).map((s) => key(s.metric))
                  : [],
            );
          const same = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((x) => b.has(x));
          // 2.42's answer is 2.42's algorithm, and ours is 3.x's, at every step.
          return (
            ours.ok &&
            same(simulateTopk('2.42', op, Number(k), grouping, input.value.result), at(value)) &&
            same(simulateTopk('3.x', op, Number(k), grouping, input.value.result), at(ours.value))
          );
        });
        if (explained) {
          c.reason =
            'topk/bottomk ties: 2.42 pops and pushes its heap, 3.x replaces the root (simulating each algorithm gives each answer)';
          continue;
        }
      }
      if (/\b(?:rate|increase)\(/.test(c.query) && !/\[[^\]]*:/.test(c.query) && startsInsideWindow(c.query, series, when, 15_000)) {
        c.reason =
          'zero-point extrapolation: a series starts inside the window; since 2.51 (prometheus#13725) the half-interval limit applies before the zero point';
      }
    }
    const agreeing = comparisons.filter((c) => !c.difference).length;
    const rate = agreeing / comparisons.length;
    const lines = comparisons
      .filter((c) => c.difference)
      .map((c) => `  ${c.kind} at ${c.at}: ${c.query}\n      ${c.difference}\n      reason: ${c.reason ?? 'UNEXPLAINED'}`);
    console.log(
      [
        `PromQL differential test against Prometheus 2.42: ${comparisons.length} comparisons of ${cases.length + aligned.length} queries (${cases.length} as instant and range queries, ${aligned.length} aligned instant cases)`,
        `agreement: ${agreeing}/${comparisons.length} = ${(rate * 100).toFixed(1)} % (required ≥ ${MIN_AGREEMENT * 100} %)`,
        `disagreements: ${comparisons.length - agreeing} (${[
          ...new Set(comparisons.filter((c) => c.difference).map((c) => (c.reason ?? 'UNEXPLAINED').split(':')[0])),
        ]
          .map((r) => `${r}: ${comparisons.filter((c) => c.difference && (c.reason ?? 'UNEXPLAINED').split(':')[0] === r).length}`)
          .join(', ')})`,
        ...lines,
      ].join('\n'),
    );
    expect(comparisons.filter((c) => c.difference && !c.reason).map((c) => `${c.kind} ${c.query}: ${c.difference}`)).toEqual([]);
    expect(rate).toBeGreaterThanOrEqual(MIN_AGREEMENT);
  }, 300_000);
});
