import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from './metrics.ts';
import { normalizeOptions, type ThresholdInput } from './options.ts';
import {
  checkAbortThresholds,
  evaluateThresholds,
  type ParsedThresholds,
  parseMetricKey,
  parseThresholdExpression,
  parseThresholds,
} from './thresholds.ts';

function parsed(thresholds: Record<string, ThresholdInput[]>, registry = new MetricsRegistry()): ParsedThresholds {
  const result = parseThresholds(thresholds, registry.types());
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

function parseError(thresholds: Record<string, ThresholdInput[]>, registry = new MetricsRegistry()): string {
  const result = parseThresholds(thresholds, registry.types());
  if (result.ok) throw new Error('expected the thresholds to be rejected');
  return result.error;
}

describe('threshold expressions', () => {
  it('parses every aggregation and operator k6 supports', () => {
    expect(parseThresholdExpression('p(95)<300')).toEqual({ ok: true, value: { method: 'p', percentile: 95, operator: '<', value: 300 } });
    expect(parseThresholdExpression('p(99.9) <= 500')).toEqual({
      ok: true,
      value: { method: 'p', percentile: 99.9, operator: '<=', value: 500 },
    });
    const cases: [string, string, string, number][] = [
      ['avg<200', 'avg', '<', 200],
      ['med<100', 'med', '<', 100],
      ['min>0', 'min', '>', 0],
      ['max<1000', 'max', '<', 1000],
      ['rate<0.01', 'rate', '<', 0.01],
      ['count>100', 'count', '>', 100],
      ['value<5', 'value', '<', 5],
      ['count>=1', 'count', '>=', 1],
      ['rate==1', 'rate', '==', 1],
      ['rate===1', 'rate', '===', 1],
      ['count!=0', 'count', '!=', 0],
    ];
    for (const [source, method, operator, value] of cases) {
      expect(parseThresholdExpression(source)).toEqual({ ok: true, value: { method, operator, value } });
    }
  });

  it('explains malformed expressions', () => {
    const errorOf = (source: string): string => {
      const result = parseThresholdExpression(source);
      return result.ok ? '' : result.error;
    };
    expect(errorOf('p95<300')).toContain('write p(95)');
    expect(errorOf('avg 200')).toContain('no comparison operator');
    expect(errorOf('avg<fast')).toContain('"fast" after < is not a number');
    expect(errorOf('p(101)<5')).toContain('between 0 and 100');
    expect(errorOf('mean<5')).toContain('"mean" is not an aggregation');
  });

  it('parses tag filters on metric keys', () => {
    expect(parseMetricKey('http_req_duration{name:checkout}')).toEqual({
      ok: true,
      value: { metric: 'http_req_duration', tags: { name: 'checkout' } },
    });
    expect(parseMetricKey('http_req_duration{ expected_response : true }')).toEqual({
      ok: true,
      value: { metric: 'http_req_duration', tags: { expected_response: 'true' } },
    });
    expect(parseMetricKey('http_reqs{status:\'200\',method:"GET"}')).toEqual({
      ok: true,
      value: { metric: 'http_reqs', tags: { status: '200', method: 'GET' } },
    });
    expect(parseMetricKey('group_duration{group:::checkout}')).toEqual({
      ok: true,
      value: { metric: 'group_duration', tags: { group: '::checkout' } },
    });
    expect(parseMetricKey('http_reqs{status:200').ok).toBe(false);
    expect(parseMetricKey('http_reqs{}').ok).toBe(false);
  });
});

describe('threshold validation', () => {
  it('names a threshold metric that is neither built in nor defined (grafana/k6#1526)', () => {
    expect(parseError({ http_req_durration: ['p(95)<300'] })).toBe(
      'threshold on unknown metric "http_req_durration": it is neither a k6 built-in metric nor defined by the script (did you mean "http_req_duration"?)',
    );
    expect(parseError({ 'checkout_tme{step:pay}': ['avg<1'] })).toContain('unknown metric "checkout_tme"');
  });

  it('accepts thresholds on custom metrics once the script defines them', () => {
    const registry = new MetricsRegistry();
    registry.define('checkout_time', 'trend', 'time');
    expect(parsed({ checkout_time: ['p(90)<800'] }, registry)).toEqual([
      {
        key: 'checkout_time',
        metric: 'checkout_time',
        tags: {},
        type: 'trend',
        expressions: [{ source: 'p(90)<800', method: 'p', percentile: 90, operator: '<', value: 800, abortOnFail: false }],
      },
    ]);
  });

  it('rejects aggregations the metric type does not have', () => {
    expect(parseError({ checks: ['p(95)<300'] })).toBe(
      'invalid threshold "p(95)<300" on "checks": p(95) cannot be used on a rate metric (use rate)',
    );
    expect(parseError({ http_req_duration: ['rate<0.1'] })).toContain(
      'rate cannot be used on a trend metric (use avg, min, max, med, p(N))',
    );
    expect(parseError({ vus: ['count<10'] })).toContain('count cannot be used on a gauge metric (use value)');
    expect(parseError({ http_reqs: ['avg<10'] })).toContain('(use count, rate)');
  });

  it('reports every broken threshold at once', () => {
    const error = parseError({ http_req_durration: ['p(95)<300'], checks: ['avg<1'], 'http_reqs{status}': ['count>1'] });
    expect(error.split('; ')).toHaveLength(3);
  });

  it('reads abortOnFail and delayAbortEval from raw or normalised options', () => {
    const [set] = parsed({ http_req_failed: [{ threshold: 'rate<0.1', abortOnFail: true, delayAbortEval: '10s' }] });
    expect(set?.expressions[0]).toMatchObject({ abortOnFail: true, delayAbortEval: 10_000 });
    expect(parseError({ http_req_failed: [{ threshold: 'rate<0.1', delayAbortEval: 'soon' }] })).toContain(
      'delayAbortEval: invalid duration "soon"',
    );
    const options = normalizeOptions({ thresholds: { checks: [{ threshold: 'rate>0.9', abortOnFail: true, delayAbortEval: '1m' }] } });
    if (!options.ok) throw new Error(options.error);
    const [checks] = parsed(options.value.thresholds);
    expect(checks?.expressions[0]).toMatchObject({ source: 'rate>0.9', abortOnFail: true, delayAbortEval: 60_000 });
  });
});

describe('threshold evaluation', () => {
  function exampleRun(): MetricsRegistry {
    const registry = new MetricsRegistry();
    for (let i = 1; i <= 100; i++) {
      const name = i % 10 === 0 ? 'checkout' : 'home';
      const tags = registry.internTags({ name, status: i === 50 ? '500' : '200', expected_response: i === 50 ? 'false' : 'true' });
      registry.add('http_req_duration', i * (name === 'checkout' ? 10 : 1), tags, i * 100);
      registry.add('http_req_failed', i === 50 ? 1 : 0, tags, i * 100);
      registry.add('http_reqs', 1, tags, i * 100);
    }
    return registry;
  }

  it('reports each expression with its outcome and actual value', () => {
    const registry = exampleRun();
    const thresholds = parsed(
      {
        http_req_duration: ['p(95)<100', 'max<=1000', 'avg>0'],
        'http_req_duration{name:checkout}': ['p(50)<500'],
        http_req_failed: ['rate<0.02', 'rate==0'],
        http_reqs: ['count>=100', 'rate>5'],
      },
      registry,
    );
    const results = evaluateThresholds(thresholds, registry, 10_000);
    expect(results.ok).toBe(false);
    const byMetric = Object.fromEntries(results.metrics.map((metric) => [metric.metric, metric]));
    expect(byMetric['http_req_duration']?.thresholds.map((outcome) => [outcome.expression, outcome.ok])).toEqual([
      ['p(95)<100', false],
      ['max<=1000', true],
      ['avg>0', true],
    ]);
    expect(byMetric['http_req_duration{name:checkout}']).toMatchObject({
      parent: 'http_req_duration',
      tags: { name: 'checkout' },
      ok: false,
      thresholds: [{ expression: 'p(50)<500', ok: false, actual: 550 }],
    });
    expect(byMetric['http_req_failed']?.thresholds).toEqual([
      { expression: 'rate<0.02', ok: true, actual: 0.01, abortOnFail: false },
      { expression: 'rate==0', ok: false, actual: 0.01, abortOnFail: false },
    ]);
    expect(byMetric['http_reqs']?.thresholds.map((outcome) => outcome.actual)).toEqual([100, 10]);
  });

  it('passes a rate threshold without samples and judges empty trends and counters as zero, like k6', () => {
    const registry = new MetricsRegistry();
    const results = evaluateThresholds(
      parsed({ checks: ['rate>0.99'], http_req_duration: ['p(95)<300'], iterations: ['count>0'] }),
      registry,
      1000,
    );
    expect(results.metrics.map((metric) => metric.thresholds[0])).toEqual([
      { expression: 'rate>0.99', ok: true, actual: null, abortOnFail: false },
      { expression: 'p(95)<300', ok: true, actual: 0, abortOnFail: false },
      { expression: 'count>0', ok: false, actual: 0, abortOnFail: false },
    ]);
  });
});

describe('abortOnFail', () => {
  it('aborts once a failing abortOnFail threshold is past its delayAbortEval', () => {
    const registry = new MetricsRegistry();
    const thresholds = parsed({ http_req_failed: [{ threshold: 'rate<0.1', abortOnFail: true, delayAbortEval: '10s' }] }, registry);
    expect(checkAbortThresholds(thresholds, registry, 2000)).toEqual({ abort: false, breached: [] });
    registry.add('http_req_failed', 1, {}, 2500);
    expect(checkAbortThresholds(thresholds, registry, 4000)).toEqual({ abort: false, breached: ['http_req_failed'] });
    expect(checkAbortThresholds(thresholds, registry, 12_000)).toEqual({
      abort: true,
      breached: ['http_req_failed'],
      reason:
        "thresholds on metrics 'http_req_failed' were breached; at least one has abortOnFail enabled, stopping test prematurely after 12s",
    });
  });

  it('never aborts on thresholds without abortOnFail, however badly they fail', () => {
    const registry = new MetricsRegistry();
    registry.add('http_req_failed', 1, {}, 0);
    const thresholds = parsed(
      { http_req_failed: ['rate<0.1'], http_req_duration: [{ threshold: 'p(95)<1', abortOnFail: true }] },
      registry,
    );
    expect(checkAbortThresholds(thresholds, registry, 60_000).abort).toBe(false);
    registry.add('http_req_duration', 5, {}, 1);
    expect(checkAbortThresholds(thresholds, registry, 62_000)).toMatchObject({
      abort: true,
      breached: ['http_req_duration', 'http_req_failed'],
    });
  });
});
