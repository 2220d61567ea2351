import { describe, expect, it } from 'vitest';
import { createRandom } from '../simulator/random.ts';
import { BUILTIN_METRICS, K6MetricError, MetricsRegistry } from './metrics.ts';

function seededRandom(seed: number): () => number {
  const random = createRandom(seed);
  return () => random.next();
}

/** Textbook percentile by linear interpolation between closest ranks (k6's definition). */
function referencePercentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const below = Math.floor(rank);
  const above = Math.min(below + 1, sorted.length - 1);
  const lower = sorted[below] ?? 0;
  const upper = sorted[above] ?? 0;
  return lower + (upper - lower) * (rank - below);
}

describe('metric definitions', () => {
  it('defines the k6 built-in metrics with their types up front', () => {
    const registry = new MetricsRegistry();
    expect(registry.info('http_req_duration')).toEqual({ name: 'http_req_duration', type: 'trend', contains: 'time' });
    expect(registry.info('http_req_failed')?.type).toBe('rate');
    expect(registry.info('data_received')).toEqual({ name: 'data_received', type: 'counter', contains: 'data' });
    expect(registry.info('vus_max')?.type).toBe('gauge');
    expect(registry.names()).toHaveLength(BUILTIN_METRICS.length);
  });

  it('accepts custom metrics with valid names and returns the same metric when redefined', () => {
    const registry = new MetricsRegistry();
    expect(registry.define('checkout_time', 'trend', 'time')).toEqual({ name: 'checkout_time', type: 'trend', contains: 'time' });
    expect(registry.define('checkout_time', 'trend')).toEqual({ name: 'checkout_time', type: 'trend', contains: 'time' });
    expect(registry.define('http_req_duration', 'trend').type).toBe('trend');
    expect(registry.types().get('checkout_time')).toBe('trend');
  });

  it("rejects names and redefinitions that k6 rejects, with k6's message", () => {
    const registry = new MetricsRegistry();
    registry.define('errors', 'counter');
    for (const bad of ['my-metric', '1st', 'x', 'with space', `a${'b'.repeat(129)}`]) {
      expect(() => registry.define(bad, 'counter')).toThrow(K6MetricError);
    }
    expect(() => registry.define('my-metric', 'counter')).toThrow("Invalid metric name: 'my-metric'");
    expect(() => registry.define('errors', 'rate')).toThrow("metric 'errors' already exists but with type counter, instead of rate");
    expect(() => registry.define('http_req_duration', 'trend', 'default')).toThrow('already exists but with a value type time');
  });

  it('refuses samples for undefined metrics and non-finite values', () => {
    const registry = new MetricsRegistry();
    expect(() => registry.add('nope', 1, {}, 0)).toThrow('metric "nope" is not defined');
    expect(() => registry.add('http_reqs', Number.NaN, {}, 0)).toThrow('finite');
  });
});

describe('trend statistics', () => {
  it('computes exact percentiles, equal to a brute-force reference, for any p', () => {
    const random = seededRandom(1234);
    const registry = new MetricsRegistry();
    const all: number[] = [];
    const checkout: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const value = random() < 0.01 ? 5000 * random() : 50 + 200 * random() ** 3;
      const name = random() < 0.25 ? 'checkout' : 'home';
      registry.add('http_req_duration', value, { name, method: 'GET' }, i);
      all.push(value);
      if (name === 'checkout') checkout.push(value);
    }
    const stats = registry.trend('http_req_duration');
    const filtered = registry.trend('http_req_duration', { name: 'checkout' });
    for (const p of [0, 1, 25, 50, 90, 95, 99, 99.9, 99.99, 100, 33.3]) {
      expect(stats.percentile(p)).toBe(referencePercentile(all, p));
      expect(filtered.percentile(p)).toBe(referencePercentile(checkout, p));
    }
    expect(stats.count).toBe(all.length);
    expect(filtered.count).toBe(checkout.length);
    expect(stats.min).toBe(Math.min(...all));
    expect(stats.max).toBe(Math.max(...all));
    expect(stats.med).toBe(referencePercentile(all, 50));
    expect(stats.avg).toBe(all.reduce((sum, value) => sum + value, 0) / all.length);
    expect(stats.stat('p(99.9)')).toBe(referencePercentile(all, 99.9));
  });

  it('interpolates between closest ranks as k6 does', () => {
    const registry = new MetricsRegistry();
    for (const value of [4, 1, 3, 2]) registry.add('iteration_duration', value, {}, 0);
    const stats = registry.trend('iteration_duration');
    expect([stats.med, stats.percentile(95), stats.percentile(0), stats.avg]).toEqual([2.5, 3.8499999999999996, 1, 2.5]);
    const empty = registry.trend('group_duration');
    expect([empty.count, empty.avg, empty.min, empty.med, empty.percentile(95)]).toEqual([0, 0, 0, 0, 0]);
  });

  it('gives the same answer after more samples arrive as a fresh registry would', () => {
    const random = seededRandom(99);
    const growing = new MetricsRegistry();
    const values: number[] = [];
    const errors: number[] = [];
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 3000; i++) {
        const value = Math.round(random() * 1000) / 10;
        const status = random() < 0.9 ? '200' : '500';
        values.push(value);
        if (status === '500') errors.push(value);
        growing.add('http_req_waiting', value, { status }, values.length);
      }
      const fresh = new MetricsRegistry();
      for (const [index, value] of values.entries()) fresh.add('http_req_waiting', value, {}, index);
      const incremental = growing.trend('http_req_waiting');
      const fromScratch = fresh.trend('http_req_waiting');
      expect([incremental.percentile(95), incremental.sum, incremental.min, incremental.max, incremental.count]).toEqual([
        fromScratch.percentile(95),
        fromScratch.sum,
        fromScratch.min,
        fromScratch.max,
        fromScratch.count,
      ]);
      expect(growing.trend('http_req_waiting', { status: '500' }).percentile(90)).toBe(referencePercentile(errors, 90));
    }
  });

  it('handles 600,000 samples with interned tag sets', () => {
    const registry = new MetricsRegistry();
    const random = seededRandom(5);
    const tagSets = ['home', 'search', 'checkout'].map((name) => registry.internTags({ name, status: '200', expected_response: 'true' }));
    for (let i = 0; i < 600_000; i++) registry.add('http_req_duration', 20 + 300 * random(), tagSets[i % 3] ?? 0, i);
    expect(registry.trend('http_req_duration').count).toBe(600_000);
    expect(registry.trend('http_req_duration', { name: 'checkout' }).count).toBe(200_000);
    const p95 = registry.trend('http_req_duration').percentile(95);
    expect(p95).toBeGreaterThan(300);
    expect(p95).toBeLessThan(310);
  });
});

describe('counters, rates and gauges', () => {
  it('sums counters and reports their rate per second of test time', () => {
    const registry = new MetricsRegistry();
    registry.add('http_reqs', 1, { status: '200' }, 0);
    registry.add('http_reqs', 1, { status: '500' }, 10);
    registry.add('data_received', 1500, { status: '200' }, 10);
    expect(registry.counter('http_reqs', undefined, 4000)).toEqual({ count: 2, rate: 0.5 });
    expect(registry.counter('http_reqs', { status: '200' }, 4000)).toEqual({ count: 1, rate: 0.25 });
    expect(registry.counter('http_reqs', { status: '404' }, 4000)).toEqual({ count: 0, rate: 0 });
    expect(registry.summaryValues('data_received', undefined, 1000, [])).toEqual({ count: 1500, rate: 1500 });
  });

  it('reports a rate as the share of non-zero samples', () => {
    const registry = new MetricsRegistry();
    for (const value of [1, 0, 1, 1]) registry.add('checks', value, { check: 'status is 200' }, 0);
    expect(registry.rate('checks')).toEqual({ rate: 0.75, passes: 3, fails: 1, total: 4 });
    expect(registry.rate('http_req_failed')).toEqual({ rate: 0, passes: 0, fails: 0, total: 0 });
  });

  it("keeps a gauge's last value, minimum and maximum (max starting at 0, as in k6)", () => {
    const registry = new MetricsRegistry();
    for (const value of [3, 10, 4]) registry.add('vus', value, {}, 0);
    expect(registry.gauge('vus')).toEqual({ value: 4, min: 3, max: 10, count: 3 });
    registry.define('temperature', 'gauge');
    registry.add('temperature', -5, {}, 0);
    registry.add('temperature', -2, {}, 1);
    expect(registry.gauge('temperature')).toEqual({ value: -2, min: -5, max: 0, count: 2 });
  });

  it('filters on every tag of the filter and nothing else', () => {
    const registry = new MetricsRegistry();
    registry.add('http_reqs', 1, { name: 'checkout', status: '200' }, 0);
    registry.add('http_reqs', 1, { name: 'checkout', status: '500' }, 0);
    registry.add('http_reqs', 1, { name: 'home', status: '200' }, 0);
    expect(registry.sampleCount('http_reqs', { name: 'checkout' })).toBe(2);
    expect(registry.sampleCount('http_reqs', { name: 'checkout', status: '200' })).toBe(1);
    expect(registry.sampleCount('http_reqs', { scenario: 'default' })).toBe(0);
    expect(registry.internTags({ status: '200', name: 'home' })).toBe(registry.internTags({ name: 'home', status: '200' }));
  });
});
