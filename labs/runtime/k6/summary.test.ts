import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from './metrics.ts';
import { exitCode, humanizeValue, renderSummary, summaryData, textSummary } from './summary.ts';
import { evaluateThresholds, parseThresholds, type ThresholdResults } from './thresholds.ts';

/** Ten iterations of a small shop test: one check at the top level, one in a "checkout" group. */
function shopRun(): MetricsRegistry {
  const registry = new MetricsRegistry();
  registry.define('checkout_errors', 'counter');
  for (let i = 0; i < 10; i++) {
    const tags = registry.internTags({ name: i < 3 ? 'checkout' : 'home', status: '200', expected_response: 'true' });
    registry.add('http_req_duration', 100 + i * 10, tags, i * 1000);
    registry.add('http_req_blocked', i === 0 ? 12.5 : 0.004, tags, i * 1000);
    registry.add('http_req_failed', 0, tags, i * 1000);
    registry.add('http_reqs', 1, tags, i * 1000);
    registry.add('data_received', 5120, tags, i * 1000);
    registry.add('iterations', 1, {}, i * 1000);
    registry.add('iteration_duration', 1100 + i * 10, {}, i * 1000);
    registry.add('checks', 1, { check: 'status is 200', group: '' }, i * 1000);
    registry.add('checks', i < 8 ? 1 : 0, { check: 'has cart', group: '::checkout' }, i * 1000);
  }
  registry.add('vus', 2, {}, 0);
  return registry;
}

function evaluate(registry: MetricsRegistry, thresholds: Record<string, string[]>, durationMs = 10_000): ThresholdResults {
  const parsed = parseThresholds(thresholds, registry.types());
  if (!parsed.ok) throw new Error(parsed.error);
  return evaluateThresholds(parsed.value, registry, durationMs);
}

const SHOP_THRESHOLDS = { http_req_duration: ['p(95)<150'], 'http_req_duration{name:checkout}': ['p(95)<110'], checks: ['rate>0.9'] };

describe('end-of-test text summary', () => {
  it("prints k6's classic summary line for line", () => {
    const registry = shopRun();
    const summary = renderSummary({ registry, testRunDurationMs: 10_000, thresholdResults: evaluate(registry, SHOP_THRESHOLDS) });
    expect(summary).toBe(
      [
        '',
        '     ✓ status is 200',
        '',
        '     █ checkout',
        '',
        '       ✗ has cart',
        '        ↳  80% — ✓ 8 / ✗ 2',
        '',
        '   ✗ checks.........................: 90.00% ✓ 18     ✗ 2  ',
        '     data_received..................: 51 kB  5.1 kB/s',
        '     http_req_blocked...............: avg=1.25ms min=4µs   med=4µs   max=12.5ms p(90)=1.25ms p(95)=6.87ms ',
        '   ✗ http_req_duration..............: avg=145ms  min=100ms med=145ms max=190ms  p(90)=181ms  p(95)=185.5ms',
        '       { expected_response:true }...: avg=145ms  min=100ms med=145ms max=190ms  p(90)=181ms  p(95)=185.5ms',
        '     ✗ { name:checkout }............: avg=110ms  min=100ms med=110ms max=120ms  p(90)=118ms  p(95)=119ms  ',
        '     http_req_failed................: 0.00%  ✓ 0      ✗ 10 ',
        '     http_reqs......................: 10     1/s',
        '     iteration_duration.............: avg=1.14s  min=1.1s  med=1.14s max=1.19s  p(90)=1.18s  p(95)=1.18s  ',
        '     iterations.....................: 10     1/s',
        '     vus............................: 2      min=2    max=2',
        '',
        '',
      ].join('\n'),
    );
  });

  it('marks metrics whose thresholds all pass with ✓ and aligns every colon', () => {
    const registry = shopRun();
    const thresholdResults = evaluate(registry, { http_req_duration: ['p(95)<200', 'avg<150'], http_req_failed: ['rate<0.01'] });
    const lines = renderSummary({ registry, testRunDurationMs: 10_000, thresholdResults }).split('\n');
    expect(lines).toContain('   ✓ http_req_duration..............: avg=145ms  min=100ms med=145ms max=190ms  p(90)=181ms  p(95)=185.5ms');
    expect(lines.some((line) => line.startsWith('   ✓ http_req_failed.....'))).toBe(true);
    const metricLines = lines.filter((line) => line.includes('..:'));
    expect(new Set(metricLines.map((line) => line.indexOf('.:')))).toHaveLength(1);
  });

  it('shows only the trend stats the script asks for', () => {
    const registry = shopRun();
    const text = renderSummary({ registry, testRunDurationMs: 10_000, summaryTrendStats: ['avg', 'p(99)', 'count'] });
    expect(text).toContain('     http_req_duration..............: avg=145ms  p(99)=189.1ms count=10');
    expect(text).not.toContain('med=');
  });

  it('prints times in a fixed unit when summaryTimeUnit is set', () => {
    const registry = shopRun();
    const text = renderSummary({ registry, testRunDurationMs: 10_000, summaryTimeUnit: 's', summaryTrendStats: ['avg', 'max'] });
    expect(text).toContain('iteration_duration.............: avg=1.15s max=1.19s');
  });

  it('lists a metric with a threshold even before it has samples', () => {
    const registry = shopRun();
    const text = renderSummary({
      registry,
      testRunDurationMs: 10_000,
      thresholdResults: evaluate(registry, { checkout_errors: ['count<1'] }),
    });
    expect(text).toContain('   ✓ checkout_errors................: 0      0/s');
    expect(text).not.toContain('dropped_iterations');
  });

  it('can colour the summary like a terminal', () => {
    const registry = shopRun();
    const text = renderSummary({ registry, testRunDurationMs: 10_000, enableColors: true });
    expect(text).toContain('\x1b[32m     ✓ status is 200\x1b[0m');
    expect(text).toContain('\x1b[36m145ms\x1b[0m');
  });
});

describe('summary values', () => {
  it('humanizes times, bytes, rates and plain numbers like the k6-summary jslib', () => {
    const time = { type: 'trend', contains: 'time' } as const;
    expect([0, 0.0005, 0.25, 1.5, 999.999, 1500, 61_500, 90_000, 3_723_000].map((ms) => humanizeValue(ms, time))).toEqual([
      '0s',
      '500ns',
      '250µs',
      '1.5ms',
      '999.99ms',
      '1.5s',
      '1m1s',
      '1m30s',
      '1h2m3s',
    ]);
    expect(humanizeValue(1500, time, 'ms')).toBe('1500.00ms');
    const data = { type: 'counter', contains: 'data' } as const;
    expect([5, 999, 51_200, 1_000_000, 12_345_678].map((bytes) => humanizeValue(bytes, data))).toEqual([
      '5 B',
      '999 B',
      '51 kB',
      '1.0 MB',
      '12 MB',
    ]);
    expect(humanizeValue(0.99999, { type: 'rate', contains: 'default' })).toBe('99.99%');
    expect(humanizeValue(2.6202263, { type: 'counter', contains: 'default' })).toBe('2.620226');
  });
});

describe('handleSummary data', () => {
  it('exposes metrics, thresholds, groups and checks as k6 does', () => {
    const registry = shopRun();
    const data = summaryData({
      registry,
      testRunDurationMs: 10_000,
      thresholdResults: evaluate(registry, SHOP_THRESHOLDS),
      groupPaths: ['::login', '::checkout'],
    });
    expect(data.metrics['http_req_duration']).toEqual({
      type: 'trend',
      contains: 'time',
      values: { avg: 145, min: 100, med: 145, max: 190, 'p(90)': 181, 'p(95)': 185.5 },
      thresholds: { 'p(95)<150': { ok: false } },
    });
    expect(data.metrics['http_req_duration{name:checkout}']?.values['p(95)']).toBe(119);
    expect(data.metrics['http_reqs']?.values).toEqual({ count: 10, rate: 1 });
    expect(data.metrics['checks']?.values).toEqual({ rate: 0.9, passes: 18, fails: 2 });
    expect(data.metrics['vus']?.values).toEqual({ value: 2, min: 2, max: 2 });
    expect(Object.keys(data.metrics)).not.toContain('dropped_iterations');
    expect(Object.keys(data.metrics)).toEqual([...Object.keys(data.metrics)].sort());
    expect(data.state.testRunDurationMs).toBe(10_000);
    expect(data.options.summaryTrendStats).toEqual(['avg', 'min', 'med', 'max', 'p(90)', 'p(95)']);
    expect(data.root_group).toEqual({
      name: '',
      path: '',
      checks: [{ name: 'status is 200', path: '::status is 200', passes: 10, fails: 0 }],
      groups: [
        { name: 'login', path: '::login', groups: [], checks: [] },
        {
          name: 'checkout',
          path: '::checkout',
          groups: [],
          checks: [{ name: 'has cart', path: '::checkout::has cart', passes: 8, fails: 2 }],
        },
      ],
    });
  });

  it('renders the same text from the data object as from the run', () => {
    const registry = shopRun();
    const input = { registry, testRunDurationMs: 10_000, thresholdResults: evaluate(registry, SHOP_THRESHOLDS) };
    expect(`\n${textSummary(summaryData(input), { indent: ' ', enableColors: false })}\n\n`).toBe(renderSummary(input));
  });

  it('nests groups inside groups', () => {
    const registry = new MetricsRegistry();
    registry.add('checks', 1, { check: 'token issued', group: '::auth::login' }, 0);
    const { root_group } = summaryData({ registry, testRunDurationMs: 1000 });
    expect(root_group.groups[0]).toMatchObject({ name: 'auth', path: '::auth', groups: [{ name: 'login', path: '::auth::login' }] });
    const text = renderSummary({ registry, testRunDurationMs: 1000 });
    expect(text).toContain('     █ auth\n\n       █ login\n\n         ✓ token issued\n');
  });
});

describe('exit code', () => {
  it('is 99 when any threshold fails, as k6 exits', () => {
    const registry = shopRun();
    expect(exitCode(evaluate(registry, SHOP_THRESHOLDS))).toBe(99);
  });

  it('is 0 when every threshold passes or there are none', () => {
    const registry = shopRun();
    expect(exitCode(evaluate(registry, { http_req_duration: ['p(95)<200'] }))).toBe(0);
    expect(exitCode(undefined)).toBe(0);
  });
});
