// The generated telemetry against the model it claims to follow: counter rates against the
// configured arrival rates, histogram fractions against the latency model's CDF (and the request
// simulator's own latencies), seeded incidents where the spec puts them, and determinism.
import { beforeAll, describe, expect, it } from 'vitest';
import { shopTelemetry } from '../../slo-prometheus/telemetry.ts';
import { instantQuery } from '../promql/index.ts';
import { erlangC } from '../simulator/queueing.ts';
import { createRandom } from '../simulator/random.ts';
import { drawDuration, ServiceSimulator } from '../simulator/simulator.ts';
import { generateTelemetry } from './generate.ts';
import { binomial, cosTurns, latencyCdf, latencyModel, poisson, standardNormalCdf } from './model.ts';
import { type Telemetry, TelemetrySpecSchema } from './spec.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function value(t: Telemetry, query: string, at = t.end): number {
  const result = instantQuery(t.db, query, at);
  if (!result.ok) throw new Error(`${query}: ${result.error.message}`);
  if (result.value.resultType === 'scalar') return result.value.v;
  if (result.value.resultType !== 'vector' || result.value.result.length !== 1) throw new Error(`${query}: not one value`);
  return result.value.result[0]?.v ?? Number.NaN;
}

describe('the statistical model', () => {
  it('draws Poisson and binomial counts with the right mean and variance', () => {
    const random = createRandom(3);
    for (const mean of [0.02, 4, 29, 31, 900]) {
      let sum = 0;
      let squares = 0;
      const n = 20_000;
      for (let i = 0; i < n; i++) {
        const k = poisson(random, mean);
        sum += k;
        squares += k * k;
      }
      const m = sum / n;
      expect(Math.abs(m - mean)).toBeLessThan(5 * Math.sqrt(mean / n) + 1e-3);
      expect(squares / n - m * m).toBeGreaterThan(mean * 0.9 - 0.01);
      expect(squares / n - m * m).toBeLessThan(mean * 1.1 + 0.01);
    }
    for (const [trials, p] of [
      [10, 0.3],
      [500, 0.001],
      [500, 0.2],
      [500, 0.9],
    ] as const) {
      let sum = 0;
      for (let i = 0; i < 10_000; i++) sum += binomial(random, trials, p);
      const expected = trials * p;
      expect(Math.abs(sum / 10_000 - expected)).toBeLessThan(5 * Math.sqrt((expected * (1 - p)) / 10_000) + 1e-3);
    }
  });

  it('computes the normal CDF and a cosine without engine-dependent Math functions, accurately', () => {
    expect(standardNormalCdf(0)).toBeCloseTo(0.5, 7);
    expect(standardNormalCdf(1.959963985)).toBeCloseTo(0.975, 6);
    expect(standardNormalCdf(-3)).toBeCloseTo(0.0013498980316301, 7);
    for (const turns of [0, 0.1, 0.25, 0.5, 0.77, -3.3, 12.5]) expect(cosTurns(turns)).toBeCloseTo(Math.cos(2 * Math.PI * turns), 11);
  });

  it('fits a latency distribution that matches the request simulator at low load', () => {
    const spec = TelemetrySpecSchema.parse(shopTelemetry);
    const checkout = spec.service.endpoints.find((e) => e.path === '/api/checkout');
    if (!checkout) throw new Error('no checkout');
    const simulator = new ServiceSimulator(spec.service, 5);
    let under = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const response = simulator.submit({ arrival: i * 200, method: 'POST', url: '/api/checkout', bodyBytes: 0 });
      if (response.duration <= 100) under += 1;
    }
    const model = latencyModel(checkout, 1);
    // Fenton–Wilkinson's one log-normal for a sum of log-normals: within 2 points of the simulator.
    expect(Math.abs(under / n - latencyCdf(model, 100))).toBeLessThan(0.02);
    // The mean is matched exactly (up to sampling).
    let sum = 0;
    const random = createRandom(9);
    for (let i = 0; i < n; i++) {
      sum += drawDuration(random, checkout.serviceTime);
      if (checkout.db) for (let c = 0; c < checkout.db.calls; c++) sum += drawDuration(random, checkout.db.serviceTime);
    }
    expect(Math.abs(sum / n - model.meanMs) / model.meanMs).toBeLessThan(0.02);
  });

  it('leaves queueing out only where the Erlang C probability of waiting is negligible', () => {
    const spec = TelemetrySpecSchema.parse(shopTelemetry);
    const peakPerInstance = (spec.traffic.meanRatePerSecond / spec.instances.length) * (1 + spec.traffic.dailySwing);
    const meanServiceMs = spec.service.endpoints.reduce((sum, e) => sum + (spec.traffic.mix[e.path] ?? 0) * latencyModel(e, 2.5).meanMs, 0);
    expect(erlangC(spec.service.workers, peakPerInstance / 1000, 1 / meanServiceMs)).toBeLessThan(1e-6);
  });
});

describe('the shop telemetry', () => {
  let t: Telemetry;
  beforeAll(() => {
    t = generateTelemetry(shopTelemetry, 42);
  }, 120_000);

  it('has the series a client library exports, scraped every 15 s for 30 days', () => {
    expect(t.end - t.start).toBe(30 * DAY);
    expect(t.times.length).toBe((30 * DAY) / 15_000 + 1);
    const names = new Set(t.series.map((s) => s.labels['__name__']));
    for (const name of [
      'http_requests_total',
      'http_request_duration_seconds_bucket',
      'http_request_duration_seconds_sum',
      'http_request_duration_seconds_count',
      'http_requests_in_flight',
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'up',
    ])
      expect(names).toContain(name);
    const les = new Set(t.series.filter((s) => s.labels['__name__'] === 'http_request_duration_seconds_bucket').map((s) => s.labels['le']));
    expect(les).toContain('0.3');
    expect(les).toContain('+Inf');
    // Every shop series of one instance shares that scrape's timestamps.
    expect(t.series.every((s) => s.t === t.times)).toBe(true);
    expect(t.stats.bytes).toBeLessThan(160 * 1024 * 1024);
    expect(t.db.seriesCount).toBe(t.series.length);
  });

  it('counts requests at the configured arrival rate', () => {
    const spec = TelemetrySpecSchema.parse(shopTelemetry);
    const perSecond = value(t, 'sum(increase(http_requests_total{job="shop"}[28d])) / (28 * 86400)');
    expect(Math.abs(perSecond - spec.traffic.meanRatePerSecond) / spec.traffic.meanRatePerSecond).toBeLessThan(0.01);
    const checkout = value(t, 'sum(increase(http_requests_total{job="shop",route="/api/checkout"}[28d])) / (28 * 86400)');
    expect(Math.abs(checkout - 0.1 * spec.traffic.meanRatePerSecond) / (0.1 * spec.traffic.meanRatePerSecond)).toBeLessThan(0.02);
    // The daily cycle: 19:00 UTC is the peak, 07:00 the trough (1.5× and 0.5× the mean).
    const day = t.start + 3 * DAY;
    const peak = value(t, 'sum(rate(http_requests_total{job="shop"}[30m]))', day + 19 * HOUR + 15 * 60_000);
    const trough = value(t, 'sum(rate(http_requests_total{job="shop"}[30m]))', day + 7 * HOUR + 15 * 60_000);
    expect(peak / spec.traffic.meanRatePerSecond).toBeGreaterThan(1.4);
    expect(trough / spec.traffic.meanRatePerSecond).toBeLessThan(0.6);
  });

  it('fills histogram buckets as the latency model’s CDF says', () => {
    const spec = TelemetrySpecSchema.parse(shopTelemetry);
    for (const endpoint of spec.service.endpoints) {
      const route = `route="${endpoint.path}"`;
      // Day 2–10: before the regression, so the healthy build's model applies.
      const at = t.start + 10 * DAY;
      const fraction = value(
        t,
        `sum(increase(http_request_duration_seconds_bucket{job="shop",${route},le="0.1"}[8d])) / sum(increase(http_request_duration_seconds_count{job="shop",${route}}[8d]))`,
        at,
      );
      expect(Math.abs(fraction - latencyCdf(latencyModel(endpoint, 1), 100))).toBeLessThan(0.003);
      const mean = value(
        t,
        `sum(increase(http_request_duration_seconds_sum{job="shop",${route}}[8d])) / sum(increase(http_request_duration_seconds_count{job="shop",${route}}[8d]))`,
        at,
      );
      expect(Math.abs(mean * 1000 - latencyModel(endpoint, 1).meanMs) / latencyModel(endpoint, 1).meanMs).toBeLessThan(0.01);
    }
  });

  it('shows each seeded incident where the spec puts it, and records its truth', () => {
    const truth = new Map(t.incidents.map((i) => [i.name, i]));
    const errorRatio = (at: number, range: string) =>
      value(
        t,
        `sum(rate(http_requests_total{job="shop",code=~"5.."}[${range}])) / sum(rate(http_requests_total{job="shop"}[${range}]))`,
        at,
      );
    const fast = truth.get('fast-burn');
    const slow = truth.get('slow-burn');
    const blip = truth.get('blip');
    const regression = truth.get('deploy-regression');
    if (!fast || !slow || !blip || !regression) throw new Error('missing incident');
    expect(errorRatio(fast.end, '1h')).toBeGreaterThan(0.035);
    expect(errorRatio(fast.start, '1h')).toBeLessThan(0.001);
    expect(fast.serverErrors / fast.requests).toBeGreaterThan(0.04);
    expect(errorRatio(blip.end, '2m')).toBeGreaterThan(0.2);
    expect(errorRatio(blip.end + 10 * 60_000, '5m')).toBeLessThan(0.001);
    expect(errorRatio(t.end, '1d')).toBeGreaterThan(0.003);
    expect(slow.serverErrors / slow.requests).toBeGreaterThan(0.003);
    // The regression slows checkout: the fraction within 300 ms drops, then recovers.
    const fastShare = (at: number) =>
      value(
        t,
        'sum(rate(http_request_duration_seconds_bucket{route="/api/checkout",le="0.3"}[6h])) / sum(rate(http_request_duration_seconds_count{route="/api/checkout"}[6h]))',
        at,
      );
    expect(fastShare(regression.start)).toBeGreaterThan(0.999);
    expect(fastShare(regression.start + 6 * HOUR)).toBeLessThan(0.99);
    expect(fastShare(regression.end + 7 * HOUR)).toBeGreaterThan(0.999);
    expect(regression.slowRequests).toBeGreaterThan(1000);
    // The deploys restarted every instance: counters reset, and rate() still sees no drop.
    expect(t.restarts['shop-1:8080']?.length).toBe(2);
    expect(value(t, 'sum(resets(process_cpu_seconds_total[30d]))')).toBe(4);
  });

  it('is bit-identical for the same seed and different for another', () => {
    const again = generateTelemetry(shopTelemetry, 42);
    expect(again.digest).toBe(t.digest);
    expect(again.totals.requests).toEqual(t.totals.requests);
    const other = generateTelemetry(shopTelemetry, 43);
    expect(other.digest).not.toBe(t.digest);
  }, 120_000);
});
