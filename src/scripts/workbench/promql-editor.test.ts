import { EqlRegex, EqlSingle, Neq, NeqRegex } from '@prometheus-io/lezer-promql';
import { describe, expect, it } from 'vitest';
import { SnapshotPrometheusClient } from './promql-editor.ts';

const client = new SnapshotPrometheusClient({
  metrics: [{ name: 'http_requests_total', type: 'counter', help: 'Requests by route, method and code.' }],
  series: [
    { __name__: 'http_requests_total', route: '/cart', code: '200', instance: 'a' },
    { __name__: 'http_requests_total', route: '/cart', code: '500', instance: 'a' },
    { __name__: 'http_requests_total', route: '/checkout', code: '200', instance: 'b' },
    { __name__: 'up', instance: 'a', job: 'shop' },
  ],
});
const matcher = (type: number, name: string, value: string) => ({ type, name, value, matchesEmpty: () => value === '' });

describe('editor completion from the lab’s series', () => {
  it('offers metric names, and label names of one metric or of all', async () => {
    expect(await client.metricNames()).toEqual(['http_requests_total', 'up']);
    expect(await client.metricNames('ht')).toEqual(['http_requests_total']);
    expect(await client.labelNames('http_requests_total')).toEqual(['code', 'instance', 'route']);
    expect(await client.labelNames()).toEqual(['code', 'instance', 'job', 'route']);
  });

  it('offers the label values that the other matchers leave, with Prometheus’s anchored regexes', async () => {
    expect(await client.labelValues('route', 'http_requests_total')).toEqual(['/cart', '/checkout']);
    expect(await client.labelValues('route', 'http_requests_total', [matcher(EqlSingle, 'code', '500')])).toEqual(['/cart']);
    expect(await client.labelValues('code', 'http_requests_total', [matcher(Neq, 'instance', 'a')])).toEqual(['200']);
    expect(await client.labelValues('code', undefined, [matcher(EqlRegex, 'route', '/c.*t')])).toEqual(['200', '500']);
    expect(await client.labelValues('code', undefined, [matcher(EqlRegex, 'route', 'cart')])).toEqual([]);
    expect(await client.labelValues('route', undefined, [matcher(NeqRegex, 'code', '5..')])).toEqual(['/cart', '/checkout']);
  });

  it('describes metrics and lists series for the metadata and series endpoints', async () => {
    expect(await client.metricMetadata()).toEqual({
      http_requests_total: [{ type: 'counter', help: 'Requests by route, method and code.' }],
    });
    const series = await client.series('http_requests_total', [matcher(EqlSingle, 'instance', 'b')]);
    expect(series.map((s) => Object.fromEntries(s))).toEqual([
      { __name__: 'http_requests_total', route: '/checkout', code: '200', instance: 'b' },
    ]);
  });
});
