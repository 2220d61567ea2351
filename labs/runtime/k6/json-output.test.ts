import { describe, expect, it } from 'vitest';
import { formatTime, JsonOutput } from './json-output.ts';

const duration = { name: 'http_req_duration', type: 'trend', contains: 'time' } as const;

describe('JsonOutput', () => {
  it('writes a Metric line the first time a metric is seen and a Point line for every sample', () => {
    const output = new JsonOutput(Date.UTC(2026, 0, 2, 3, 4, 5, 0));
    output.add({ metric: duration, thresholds: ['p(95)<300'], value: 12.5, tags: { status: '200' }, time: 1500.25 });
    output.add({ metric: duration, thresholds: ['p(95)<300'], value: 20, tags: { status: '500' }, time: 2000 });
    const lines = output
      .text()
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      {
        type: 'Metric',
        data: { name: 'http_req_duration', type: 'trend', contains: 'time', thresholds: ['p(95)<300'], submetrics: null },
        metric: 'http_req_duration',
      },
      { metric: 'http_req_duration', type: 'Point', data: { time: '2026-01-02T03:04:06.500250Z', value: 12.5, tags: { status: '200' } } },
      { metric: 'http_req_duration', type: 'Point', data: { time: '2026-01-02T03:04:07.000000Z', value: 20, tags: { status: '500' } } },
    ]);
  });

  it('formats times as RFC 3339 in UTC with microseconds', () => {
    expect(formatTime(0.001)).toBe('1970-01-01T00:00:00.000001Z');
    expect(formatTime(Date.UTC(2026, 11, 31, 23, 59, 59, 999) + 0.999)).toBe('2026-12-31T23:59:59.999999Z');
  });
});
