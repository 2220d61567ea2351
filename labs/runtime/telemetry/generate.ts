// Generates a lab's telemetry: the web shop's series as a client library would export them and a
// Prometheus scraping every 15 s would store them, over 30 simulated days with seeded incidents.
//
// Per scrape target (instance) every series shares one timestamp array; values are Float64Arrays
// filled window by window from the statistical model (model.ts). Each (instance, route) has its own
// random stream, so the result depends only on the spec and the seed, never on iteration order.
import { type Labels, Tsdb } from '../promql/index.ts';
import { createRandom, type Random } from '../simulator/random.ts';
import type { Endpoint } from '../simulator/service.ts';
import { binomial, conditionalBucketProbabilities, cosTurns, type LatencyModel, latencyModel, normal, poisson } from './model.ts';
import {
  type GeneratedSeries,
  type Incident,
  type IncidentTruth,
  type MetricMetadata,
  type Telemetry,
  type TelemetrySpec,
  type TelemetrySpecInput,
  TelemetrySpecSchema,
} from './spec.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Resident memory of a freshly started process, and how it grows until it levels off. */
const BASE_RSS_BYTES = 150 * 1024 * 1024;
const RSS_GROWTH_BYTES = 60 * 1024 * 1024;
const RSS_GROWTH_HOURS = 12;
/** CPU a process burns with no requests (GC, timers), seconds per second. */
const IDLE_CPU = 0.004;
/** How far apart the instances restart during a rolling deploy. */
const ROLLING_STEP_MS = 60_000;

const SHOP_METADATA: MetricMetadata[] = [
  { name: 'http_requests_total', type: 'counter', help: 'Requests answered, by route, method and status code.' },
  {
    name: 'http_request_duration_seconds',
    type: 'histogram',
    help: 'Time from receiving a request to sending the last byte of its response.',
  },
  { name: 'http_requests_in_flight', type: 'gauge', help: 'Requests being served right now.' },
  { name: 'process_cpu_seconds_total', type: 'counter', help: 'Total user and system CPU time spent in seconds.' },
  { name: 'process_resident_memory_bytes', type: 'gauge', help: 'Resident memory size in bytes.' },
  { name: 'process_start_time_seconds', type: 'gauge', help: 'Start time of the process since the Unix epoch in seconds.' },
  { name: 'up', type: 'gauge', help: 'Written by Prometheus: 1 when the last scrape of the target succeeded.' },
];

/** A stream per (purpose, instance, route): mixing the seed with small integers. */
function stream(seed: number, a: number, b: number, c: number): Random {
  return createRandom(((seed | 0) ^ Math.imul(a + 1, 0x9e3779b1) ^ Math.imul(b + 1, 0x85ebca77) ^ Math.imul(c + 1, 0xc2b2ae3d)) >>> 0);
}

/** Prometheus formats `le` values the way Go's strconv.FormatFloat(v, 'f', -1, 64) does. */
function formatLe(seconds: number): string {
  return Number.isFinite(seconds) ? String(seconds) : '+Inf';
}

interface RouteState {
  endpoint: Endpoint;
  share: number;
  clientErrors: { code: number; ratio: number }[];
  /** Latency models by CPU factor (1 = healthy, others from regressions), built lazily. */
  models: Map<number, { model: LatencyModel; conditional: Float64Array }>;
  codes: number[];
}

function bucketModel(route: RouteState, factor: number, buckets: readonly number[]) {
  let entry = route.models.get(factor);
  if (!entry) {
    const model = latencyModel(route.endpoint, factor);
    entry = { model, conditional: conditionalBucketProbabilities(model, buckets) };
    route.models.set(factor, entry);
  }
  return entry;
}

function affects(incident: Incident, path: string): boolean {
  return incident.routes === undefined || incident.routes.includes(path);
}

/** The restarts a deploy causes: each instance in turn, `ROLLING_STEP_MS` apart, on scrape boundaries. */
function restartWindows(spec: TelemetrySpec, instanceIndex: number): number[] {
  const windows: number[] = [];
  for (const incident of spec.incidents) {
    if (incident.kind !== 'regression') continue;
    for (const at of [incident.fromMs, incident.toMs]) {
      windows.push(Math.ceil((at + instanceIndex * ROLLING_STEP_MS) / spec.scrapeIntervalMs));
    }
  }
  return windows.sort((a, b) => a - b);
}

/**
 * Series arrays carved out of a few large buffers: ~120 separate 1.4 MB allocations made V8 run
 * a full garbage collection for each handful of them.
 */
class ArrayPool {
  readonly #length: number;
  readonly #perChunk: number;
  #chunk: Float64Array | null = null;
  #used = 0;

  constructor(length: number, perChunk = 16) {
    this.#length = length;
    this.#perChunk = perChunk;
  }

  take(): Float64Array {
    if (this.#chunk === null || this.#used === this.#perChunk) {
      this.#chunk = new Float64Array(this.#length * this.#perChunk);
      this.#used = 0;
    }
    const start = this.#used * this.#length;
    this.#used += 1;
    return this.#chunk.subarray(start, start + this.#length);
  }
}

function add(values: Float64Array, index: number, amount: number): void {
  values[index] = (values[index] as number) + amount;
}

/** A fast, engine-independent 64-bit fingerprint (two 32-bit FNV-style lanes) of labels and sample bits. */
class Fingerprint {
  #a = 0x811c9dc5;
  #b = 0x01000193;

  word(w: number): void {
    this.#a = Math.imul(this.#a ^ w, 0x01000193);
    this.#b = Math.imul((this.#b ^ w) + 0x7f4a7c15, 0x5bd1e995) ^ (this.#b >>> 15);
  }

  text(s: string): void {
    for (let i = 0; i < s.length; i++) this.word(s.charCodeAt(i));
    this.word(0xffff);
  }

  /** The sample bits feed the first lane only (one multiply per word: 40 M words take ~0.2 s). */
  doubles(values: Float64Array): void {
    const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
    let a = this.#a;
    for (let i = 0; i < words.length; i++) a = Math.imul(a ^ (words[i] as number), 0x01000193);
    this.#a = a;
    // The second lane takes the first lane's state after each array: order and lengths count.
    this.#b = Math.imul((this.#b ^ a ^ values.length) + 0x7f4a7c15, 0x5bd1e995) ^ (this.#b >>> 15);
  }

  hex(): string {
    return (this.#a >>> 0).toString(16).padStart(8, '0') + (this.#b >>> 0).toString(16).padStart(8, '0');
  }
}

function labelsText(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');
}

/** Generates the telemetry of `spec` for `seed`: deterministic, bit-identical in every engine. */
export function generateTelemetry(input: TelemetrySpecInput, seed: number, now: () => number = () => performance.now()): Telemetry {
  const started = now();
  const spec = TelemetrySpecSchema.parse(input);
  const step = spec.scrapeIntervalMs;
  const windows = (spec.days * DAY_MS) / step;
  const points = windows + 1;
  const times = new Float64Array(points);
  for (let i = 0; i < points; i++) times[i] = spec.startMs + i * step;
  const stepSeconds = step / 1000;
  const instances = spec.instances.length;
  const thresholdIndex = spec.buckets.indexOf(spec.latencyThresholdSeconds);
  const bucketCount = spec.buckets.length;

  const routes: RouteState[] = spec.service.endpoints.map((endpoint) => {
    const clientErrors = spec.traffic.clientErrors.filter((c) => c.route === endpoint.path).map(({ code, ratio }) => ({ code, ratio }));
    const codes = new Set<number>([200, ...clientErrors.map((c) => c.code)]);
    if ((endpoint.errorRate ?? 0) > 0) codes.add(500);
    for (const incident of spec.incidents) if (incident.kind === 'errors' && affects(incident, endpoint.path)) codes.add(incident.code);
    return {
      endpoint,
      share: spec.traffic.mix[endpoint.path] ?? 0,
      clientErrors,
      models: new Map(),
      codes: [...codes].sort((a, b) => a - b),
    };
  });

  // The daily cycle, per window (shared by all instances and routes).
  const load = new Float64Array(points);
  for (let w = 1; w < points; w++) {
    const mid = spec.startMs + (w - 0.5) * step;
    const hours = (((mid % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS;
    load[w] = 1 + spec.traffic.dailySwing * cosTurns((hours - spec.traffic.peakHourUtc) / 24);
  }

  const totals = { requests: new Float64Array(points), serverErrors: new Float64Array(points), fast: new Float64Array(points) };
  const series: GeneratedSeries[] = [];
  const pool = new ArrayPool(points);
  const ones = pool.take().fill(1);
  const restarts: Record<string, number[]> = {};
  const perInstanceRate = spec.traffic.meanRatePerSecond / instances;

  for (const [instanceIndex, instance] of spec.instances.entries()) {
    const target = { job: spec.job, instance };
    const restartAt = restartWindows(spec, instanceIndex);
    restarts[instance] = restartAt.map((w) => spec.startMs + w * step);
    const isRestart = new Uint8Array(points);
    for (const w of restartAt) if (w < points) isRestart[w] = 1;
    const inFlightMean = new Float64Array(points);
    const cpu = new Float64Array(points);

    for (const [routeIndex, route] of routes.entries()) {
      const path = route.endpoint.path;
      const method = route.endpoint.method;
      const random = stream(seed, 1, instanceIndex, routeIndex);
      const counters = route.codes.map(() => pool.take());
      const codeIndex = new Map(route.codes.map((c, i) => [c, i]));
      const bucketSeries = Array.from({ length: bucketCount }, () => pool.take());
      const count = pool.take();
      const sum = pool.take();
      const counts = new Float64Array(route.codes.length);
      const baseError = route.endpoint.errorRate ?? 0;
      const errorIncidents = spec.incidents.flatMap((i) => (i.kind === 'errors' && affects(i, path) ? [i] : []));
      const regressions = spec.incidents.flatMap((i) => (i.kind === 'regression' && affects(i, path) ? [i] : []));
      const incidentCodes = errorIncidents.map((i) => codeIndex.get(i.code) ?? -1);
      const clientCodes = route.clientErrors.map((c) => codeIndex.get(c.code) ?? -1);
      const code200 = codeIndex.get(200) ?? -1;
      const healthy = bucketModel(route, 1, spec.buckets);
      const fastTotals = totals.fast;
      const requestTotals = totals.requests;
      const errorTotals = totals.serverErrors;
      const code500 = codeIndex.get(500) ?? -1;

      let cumulativeCount = 0;
      let cumulativeSum = 0;
      const cumulativeBuckets = new Float64Array(bucketCount);
      const cumulativeCodes = new Float64Array(route.codes.length);
      for (let w = 1; w < points; w++) {
        const offset = (w - 0.5) * step;
        if (isRestart[w]) {
          cumulativeCount = 0;
          cumulativeSum = 0;
          cumulativeBuckets.fill(0);
          cumulativeCodes.fill(0);
        }
        const rate = perInstanceRate * route.share * (load[w] as number);
        const n = poisson(random, rate * stepSeconds);
        counts.fill(0);
        // Server errors: each incident active in this window, then the baseline error rate.
        let remaining = n;
        let serverErrors = 0;
        for (let k = 0; k < errorIncidents.length; k++) {
          const incident = errorIncidents[k] as (typeof errorIncidents)[number];
          if (offset < incident.fromMs || offset >= incident.toMs) continue;
          const failed = binomial(random, remaining, incident.errorRatio);
          add(counts, incidentCodes[k] as number, failed);
          remaining -= failed;
          serverErrors += failed;
        }
        if (baseError > 0) {
          const failed = binomial(random, remaining, baseError);
          add(counts, code500, failed);
          remaining -= failed;
          serverErrors += failed;
        }
        for (let k = 0; k < route.clientErrors.length; k++) {
          const failed = binomial(random, remaining, (route.clientErrors[k] as { ratio: number }).ratio);
          add(counts, clientCodes[k] as number, failed);
          remaining -= failed;
        }
        add(counts, code200, remaining);
        for (let c = 0; c < counts.length; c++) {
          cumulativeCodes[c] = (cumulativeCodes[c] as number) + (counts[c] as number);
          (counters[c] as Float64Array)[w] = cumulativeCodes[c] as number;
        }

        // Latency: which build is running decides the CPU factor.
        let factor = 1;
        for (let k = 0; k < regressions.length; k++) {
          const regression = regressions[k] as (typeof regressions)[number];
          if (offset >= regression.fromMs && offset < regression.toMs) factor *= regression.factor;
        }
        const { model, conditional } = factor === 1 ? healthy : bucketModel(route, factor, spec.buckets);
        let left = n;
        let below = 0;
        for (let b = 0; b < bucketCount; b++) {
          const inBucket = binomial(random, left, conditional[b] as number);
          left -= inBucket;
          below += inBucket;
          cumulativeBuckets[b] = (cumulativeBuckets[b] as number) + below;
          (bucketSeries[b] as Float64Array)[w] = cumulativeBuckets[b] as number;
          if (b === thresholdIndex) fastTotals[w] = (fastTotals[w] as number) + below;
        }
        const seconds = n > 0 ? Math.max(0, (n * model.meanMs + Math.sqrt(n) * model.sdMs * normal(random)) / 1000) : 0;
        cumulativeCount += n;
        cumulativeSum += seconds;
        count[w] = cumulativeCount;
        sum[w] = cumulativeSum;
        requestTotals[w] = (requestTotals[w] as number) + n;
        errorTotals[w] = (errorTotals[w] as number) + serverErrors;
        inFlightMean[w] = (inFlightMean[w] as number) + (rate * model.meanMs) / 1000;
        cpu[w] = (cpu[w] as number) + (n * model.cpuMs) / 1000;
      }

      for (const [c, code] of route.codes.entries()) {
        series.push({
          labels: { __name__: 'http_requests_total', ...target, route: path, method, code: String(code) },
          t: times,
          v: counters[c] as Float64Array,
        });
      }
      const histogram = { ...target, route: path, method };
      for (let b = 0; b < bucketCount; b++) {
        series.push({
          labels: { __name__: 'http_request_duration_seconds_bucket', ...histogram, le: formatLe(spec.buckets[b] as number) },
          t: times,
          v: bucketSeries[b] as Float64Array,
        });
      }
      // The +Inf bucket counts every observation: the same values as _count.
      series.push({ labels: { __name__: 'http_request_duration_seconds_bucket', ...histogram, le: '+Inf' }, t: times, v: count });
      series.push({ labels: { __name__: 'http_request_duration_seconds_sum', ...histogram }, t: times, v: sum });
      series.push({ labels: { __name__: 'http_request_duration_seconds_count', ...histogram }, t: times, v: count });
    }

    // Gauges and process metrics of this instance.
    const random = stream(seed, 2, instanceIndex, 0);
    const inFlight = pool.take();
    const cpuTotal = pool.take();
    const rss = pool.take();
    const startTime = pool.take();
    let cpuSeconds = 0;
    let processStart = spec.startMs - 30_000;
    for (let w = 0; w < points; w++) {
      if (isRestart[w]) {
        cpuSeconds = 0;
        processStart = spec.startMs + w * step - 5_000;
      }
      const at = spec.startMs + w * step;
      if (w > 0) cpuSeconds += (cpu[w] as number) + IDLE_CPU * stepSeconds * (1 + 0.1 * normal(random));
      cpuTotal[w] = cpuSeconds;
      inFlight[w] = poisson(random, inFlightMean[w] as number);
      const upHours = (at - processStart) / HOUR_MS;
      const growth = upHours >= RSS_GROWTH_HOURS ? 1 : upHours / RSS_GROWTH_HOURS;
      rss[w] = Math.round(BASE_RSS_BYTES + RSS_GROWTH_BYTES * growth + 2 * 1024 * 1024 * normal(random));
      startTime[w] = Math.floor(processStart / 1000);
    }
    series.push({ labels: { __name__: 'http_requests_in_flight', ...target }, t: times, v: inFlight });
    series.push({ labels: { __name__: 'process_cpu_seconds_total', ...target }, t: times, v: cpuTotal });
    series.push({ labels: { __name__: 'process_resident_memory_bytes', ...target }, t: times, v: rss });
    series.push({ labels: { __name__: 'process_start_time_seconds', ...target }, t: times, v: startTime });
    series.push({ labels: { __name__: 'up', ...target }, t: times, v: ones });
  }

  if (spec.legacyHistogram) series.push(...legacyHistogramSeries(spec, seed, times, pool));

  const db = new Tsdb();
  const fingerprint = new Fingerprint();
  fingerprint.doubles(times);
  let samples = 0;
  const distinct = new Set<Float64Array>();
  for (const s of series) {
    db.load(s.labels, s.t, s.v);
    fingerprint.text(labelsText(s.labels));
    fingerprint.doubles(s.v);
    samples += s.v.length;
    distinct.add(s.v);
    distinct.add(s.t);
  }
  let bytes = 0;
  for (const array of distinct) bytes += array.byteLength;

  return {
    spec,
    seed,
    series,
    metadata: [
      ...SHOP_METADATA,
      ...(spec.legacyHistogram
        ? [
            {
              name: spec.legacyHistogram.metric,
              type: 'histogram' as const,
              help: 'Payment provider call latency (hand-written exporter).',
            },
          ]
        : []),
    ],
    db,
    times,
    start: spec.startMs,
    end: spec.startMs + windows * step,
    totals,
    incidents: spec.incidents.map((incident) => incidentTruth(spec, incident, totals)),
    restarts,
    digest: fingerprint.hex(),
    stats: { series: series.length, samples, bytes, generationMs: now() - started },
  };
}

/** Counts inside an incident's window (windows whose middle falls inside it), from the exact totals. */
function incidentTruth(spec: TelemetrySpec, incident: Incident, totals: Telemetry['totals']): IncidentTruth {
  const step = spec.scrapeIntervalMs;
  let requests = 0;
  let serverErrors = 0;
  let slow = 0;
  for (let w = 1; w < totals.requests.length; w++) {
    const offset = (w - 0.5) * step;
    if (offset < incident.fromMs || offset >= incident.toMs) continue;
    requests += totals.requests[w] as number;
    serverErrors += totals.serverErrors[w] as number;
    slow += (totals.requests[w] as number) - (totals.fast[w] as number);
  }
  return {
    name: incident.name,
    kind: incident.kind,
    description: incident.description,
    start: spec.startMs + incident.fromMs,
    end: spec.startMs + incident.toMs,
    routes: incident.routes ?? spec.service.endpoints.map((e) => e.path),
    expectedAlert: incident.expectedAlert ?? null,
    requests,
    serverErrors,
    slowRequests: slow,
  };
}

/** The hand-instrumented payment gateway: a classic histogram exported without its `+Inf` bucket. */
function legacyHistogramSeries(spec: TelemetrySpec, seed: number, times: Float64Array, pool: ArrayPool): GeneratedSeries[] {
  const legacy = spec.legacyHistogram;
  if (!legacy) return [];
  const points = times.length;
  const random = stream(seed, 3, 0, 0);
  const model = latencyModel(
    { method: 'POST', path: '/', serviceTime: { type: 'lognormal', median: legacy.medianMs, sigma: legacy.sigma }, responseBytes: 0 },
    1,
  );
  const conditional = conditionalBucketProbabilities(model, legacy.buckets);
  const buckets = legacy.buckets.map(() => pool.take());
  const count = pool.take();
  const sum = pool.take();
  const cumulative = new Float64Array(legacy.buckets.length);
  let total = 0;
  let seconds = 0;
  for (let w = 1; w < points; w++) {
    const n = poisson(random, legacy.ratePerSecond * (spec.scrapeIntervalMs / 1000));
    let left = n;
    let below = 0;
    for (let b = 0; b < legacy.buckets.length; b++) {
      const inBucket = binomial(random, left, conditional[b] as number);
      left -= inBucket;
      below += inBucket;
      cumulative[b] = (cumulative[b] as number) + below;
      (buckets[b] as Float64Array)[w] = cumulative[b] as number;
    }
    total += n;
    seconds += n > 0 ? Math.max(0, (n * model.meanMs + Math.sqrt(n) * model.sdMs * normal(random)) / 1000) : 0;
    count[w] = total;
    sum[w] = seconds;
  }
  const target = { job: legacy.job, instance: legacy.instance };
  return [
    ...legacy.buckets.map((le, b) => ({
      labels: { __name__: `${legacy.metric}_bucket`, ...target, le: formatLe(le) },
      t: times,
      v: buckets[b] as Float64Array,
    })),
    { labels: { __name__: `${legacy.metric}_sum`, ...target }, t: times, v: sum },
    { labels: { __name__: `${legacy.metric}_count`, ...target }, t: times, v: count },
  ];
}

/** A Tsdb with the same series, sharing their arrays: rule evaluation may write into it freely. */
export function forkTsdb(telemetry: Telemetry): Tsdb {
  const db = new Tsdb();
  for (const s of telemetry.series) db.load(s.labels, s.t, s.v);
  return db;
}
