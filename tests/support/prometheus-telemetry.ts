// Seeded telemetry of a small fleet, as a client library would export it and a Prometheus scraping
// each target would store it. Pure (no Node APIs): bench:promql also bundles it for Chromium.
import type { Labels } from '../../labs/runtime/promql/types.ts';

/** One series with its samples (timestamps in ms, strictly increasing). */
export interface GeneratedSeries {
  labels: Labels;
  t: number[];
  v: number[];
}

export interface TelemetryOptions {
  seed: number;
  /** First scrape (ms, a whole second). */
  start: number;
  durationMs: number;
  scrapeMs: number;
  jobs: string[];
  instances: string[];
  routes: string[];
  codes: string[];
  /** Upper bounds of the latency histogram's finite buckets (seconds); `+Inf` is added. */
  buckets: number[];
  /** Latency histogram per route (as most services export it) instead of per target. */
  histogramPerRoute?: boolean;
  /** Per-target irregularities: jittered scrape times, dropped scrapes, a 10-minute outage, a target
   *  that stops early, counter resets at restarts, NaN readings. Off for the benchmark. */
  irregular: boolean;
}

/** Splitmix32-based uniform [0, 1), so the data is the same on every machine and in every run. */
function seededUniform(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return ((z ^ (z >>> 16)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Telemetry of a fleet as a client library would export it, scraped per target: request counters
 * by route and code, a latency histogram with `le` buckets (plus `_sum` and `_count`), gauges
 * (memory, queue depth, a temperature with occasional NaN), and `up`. With `irregular`, scrape
 * times are jittered by a non-zero number of 10 ms steps that is never a whole second (so sample
 * times never sit on whole seconds; evaluation times ending in 5 ms never meet a sample boundary).
 */
export function generateTelemetry(o: TelemetryOptions): GeneratedSeries[] {
  const random = seededUniform(o.seed);
  const scrapes = Math.floor(o.durationMs / o.scrapeMs) + 1;
  const out: GeneratedSeries[] = [];
  const les = [...o.buckets.map(String), '+Inf'];
  for (const [ji, job] of o.jobs.entries()) {
    for (const [ii, instance] of o.instances.entries()) {
      const target = ji * o.instances.length + ii;
      const t: number[] = [];
      const restarts = new Set<number>();
      const stopsAt = o.irregular && target === 1 ? Math.floor(scrapes * 0.7) : scrapes;
      const outageFrom = o.irregular && target === 2 ? Math.floor(scrapes * 0.4) : -1;
      for (let i = 0; i < stopsAt; i += 1) {
        if (outageFrom >= 0 && i >= outageFrom && i < outageFrom + Math.round(600_000 / o.scrapeMs)) continue;
        if (o.irregular && i > 0 && random() < 0.02) continue;
        let jitter = 0;
        if (o.irregular) {
          do jitter = Math.round((random() * 2 - 1) * 200) * 10;
          while (jitter === 0 || jitter % 1000 === 0);
        }
        t.push(o.start + i * o.scrapeMs + jitter);
        if (o.irregular && i > 0 && random() < 0.002) restarts.add(t.length - 1);
      }
      const base = { job, instance };
      // Requests: per route and code, a rate that drifts; resets to 0 when the target restarts.
      const perScrape: number[][] = [];
      for (const [ri, route] of o.routes.entries()) {
        for (const [ci, code] of o.codes.entries()) {
          const rate = (ci === 0 ? 20 : 0.4 + ci * 0.3) * (1 + ri * 0.5) * (1 + target * 0.1);
          const v: number[] = [];
          let total = 0;
          const counts: number[] = [];
          for (let k = 0; k < t.length; k += 1) {
            if (restarts.has(k)) total = 0;
            const n = Math.floor(rate * (o.scrapeMs / 1000) * (0.6 + 0.8 * random()));
            counts.push(n);
            total += n;
            v.push(total);
          }
          perScrape.push(counts);
          out.push({ labels: { __name__: 'http_requests_total', ...base, route, code }, t, v });
        }
      }
      // Latency histogram: the scrape's requests spread over the buckets (log-uniform latencies), one
      // histogram per target, or per route.
      const groups = o.histogramPerRoute
        ? o.routes.map((route, ri) => ({ route, rows: perScrape.slice(ri * o.codes.length, (ri + 1) * o.codes.length) }))
        : [{ route: undefined, rows: perScrape }];
      for (const group of groups) {
        const labels = group.route === undefined ? base : { ...base, route: group.route };
        const bucketTotals = les.map(() => 0);
        const bucketValues = les.map(() => [] as number[]);
        const sum: number[] = [];
        const count: number[] = [];
        let sumTotal = 0;
        let countTotal = 0;
        for (let k = 0; k < t.length; k += 1) {
          if (restarts.has(k)) {
            bucketTotals.fill(0);
            sumTotal = 0;
            countTotal = 0;
          }
          const n = group.rows.reduce((acc, counts) => acc + (counts[k] as number), 0);
          const slow = 1 + (target % 3) * 0.5;
          const draws = Math.min(n, 64);
          for (let r = 0; r < draws; r += 1) {
            const weight = n / draws;
            const latency = 0.01 * slow * 10 ** (random() * 2.3);
            sumTotal += latency * weight;
            for (let b = 0; b < les.length; b += 1) {
              if (b === les.length - 1 || latency <= (o.buckets[b] as number)) bucketTotals[b] = (bucketTotals[b] as number) + weight;
            }
          }
          countTotal += n;
          for (let b = 0; b < les.length; b += 1) (bucketValues[b] as number[]).push(Math.round(bucketTotals[b] as number));
          sum.push(Math.round(sumTotal * 1000) / 1000);
          count.push(countTotal);
        }
        for (let b = 0; b < les.length; b += 1) {
          out.push({
            labels: { __name__: 'http_request_duration_seconds_bucket', ...labels, le: les[b] as string },
            t,
            v: bucketValues[b] as number[],
          });
        }
        out.push({ labels: { __name__: 'http_request_duration_seconds_sum', ...labels }, t, v: sum });
        out.push({ labels: { __name__: 'http_request_duration_seconds_count', ...labels }, t, v: count });
      }
      // Gauges.
      let memory = 2e8 * (1 + target * 0.05);
      let queue = 5;
      const mem: number[] = [];
      const q: number[] = [];
      const temp: number[] = [];
      for (let k = 0; k < t.length; k += 1) {
        memory = Math.max(5e7, memory + (random() - 0.48) * 4e6);
        queue = Math.max(0, queue + Math.round((random() - 0.5) * 6));
        mem.push(Math.round(memory));
        q.push(queue);
        temp.push(o.irregular && random() < 0.01 ? Number.NaN : Math.round((40 + 15 * Math.sin(k / 40) + random() * 3) * 100) / 100);
      }
      out.push({ labels: { __name__: 'process_resident_memory_bytes', ...base }, t, v: mem });
      out.push({ labels: { __name__: 'queue_depth', ...base }, t, v: q });
      out.push({ labels: { __name__: 'temperature_celsius', ...base }, t, v: temp });
      out.push({ labels: { __name__: 'up', ...base }, t, v: t.map(() => 1) });
    }
  }
  return out;
}
