import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { instantQuery, rangeQuery, STALE_NAN, Tsdb } from '../index.ts';
import {
  type AlertingRuleResult,
  type EvaluateRulesOptions,
  evaluateRules,
  type RecordingRuleResult,
  type RuleEvaluation,
} from './evaluate.ts';
import { parseRuleFile, type RuleFile } from './rule-file.ts';

const MIN = 60_000;

function rules(text: string): RuleFile {
  const parsed = parseRuleFile(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.value;
}

/** A gauge sampled every minute from t=0; null = no sample, 'stale' = a staleness marker. */
function gauge(db: Tsdb, labels: Record<string, string>, values: (number | null | 'stale')[]): void {
  const id = db.seriesId(labels);
  values.forEach((v, i) => {
    if (v !== null) db.append(id, i * MIN, v === 'stale' ? STALE_NAN : v);
  });
}

function evaluate(db: Tsdb, file: RuleFile, options: Partial<EvaluateRulesOptions> & { end: number }): RuleEvaluation {
  const r = evaluateRules(db, file, { start: 0, defaultIntervalMs: MIN, ...options });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

const alertOf = (e: RuleEvaluation, name: string) =>
  e.groups.flatMap((g) => g.rules).find((r) => r.kind === 'alert' && r.name === name) as AlertingRuleResult;
const recordOf = (e: RuleEvaluation, name: string) =>
  e.groups.flatMap((g) => g.rules).find((r) => r.kind === 'record' && r.name === name) as RecordingRuleResult;

function vectorAt(db: Tsdb, query: string, t: number): { metric: Record<string, string>; v: number }[] {
  const r = instantQuery(db, query, t);
  if (!r.ok || r.value.resultType !== 'vector') throw new Error(JSON.stringify(r));
  return r.value.result.map((s) => ({ metric: { ...s.metric }, v: s.v }));
}

describe('recording rules', () => {
  it('write their results back so later rules and queries read them', () => {
    const db = new Tsdb();
    gauge(db, { __name__: 'x', job: 'a' }, [1, 2, 3, 4]);
    const file = rules(`groups:
  - name: g
    rules:
      - record: job:x:doubled
        expr: x * 2
        labels: {source: rule}
      - record: job:x:plus_one
        expr: job:x:doubled + 1
`);
    const e = evaluate(db, file, { end: 3 * MIN });
    expect(e.groups[0]?.stepByStep).toBe(false);
    expect(recordOf(e, 'job:x:doubled').series).toEqual([
      { metric: { __name__: 'job:x:doubled', job: 'a', source: 'rule' }, t: [0, MIN, 2 * MIN, 3 * MIN], v: [2, 4, 6, 8] },
    ]);
    expect(vectorAt(db, 'job:x:plus_one', 3 * MIN)).toEqual([{ metric: { __name__: 'job:x:plus_one', job: 'a', source: 'rule' }, v: 9 }]);
  });

  it('mark a vanished result stale, so it disappears at once instead of after the 5 m lookback', () => {
    const db = new Tsdb();
    gauge(db, { __name__: 'x' }, [5, 5, 'stale', null, null, null, null, null]);
    const e = evaluate(db, rules('groups:\n  - name: g\n    rules:\n      - record: r\n        expr: x\n'), { end: 7 * MIN });
    expect(recordOf(e, 'r').series[0]?.t).toEqual([0, MIN]);
    expect(vectorAt(db, 'r', 2 * MIN + 30_000)).toEqual([]);
  });

  it('see a later rule of the group one interval late, as Prometheus does (step by step)', () => {
    const db = new Tsdb();
    gauge(db, { __name__: 'x' }, [1, 2, 3]);
    const file = rules(`groups:
  - name: g
    rules:
      - record: early
        expr: late + 0
      - record: late
        expr: x
`);
    const e = evaluate(db, file, { end: 2 * MIN });
    expect(e.groups[0]?.stepByStep).toBe(true);
    expect(recordOf(e, 'early').series[0]).toMatchObject({ t: [MIN, 2 * MIN], v: [1, 2] });
  });

  it('tell names of series from label names, grouping labels and durations when looking for forward references', () => {
    const file = (expr: string) =>
      rules(
        `groups:\n  - name: g\n    rules:\n      - record: r\n        expr: ${expr}\n      - record: job\n        expr: x\n      - record: m\n        expr: x\n`,
      );
    const mode = (expr: string) => evaluate(new Tsdb(), file(expr), { end: MIN }).groups[0]?.stepByStep;
    expect(mode('sum by (job) (rate(x{job="job"}[5m]))')).toBe(false);
    expect(mode('sum(job)')).toBe(true);
    expect(mode('x offset -1m')).toBe(true);
    expect(mode('x @ 60')).toBe(true);
    expect(mode('count({job="a"})')).toBe(true);
  });

  it('fail an evaluation whose results collide after the rule labels are applied', () => {
    const db = new Tsdb();
    gauge(db, { __name__: 'x', a: '1' }, [1]);
    gauge(db, { __name__: 'x', a: '2' }, [1]);
    const e = evaluate(db, rules('groups:\n  - name: g\n    rules:\n      - record: r\n        expr: x\n        labels: {a: same}\n'), {
      end: 0,
    });
    expect(recordOf(e, 'r').errors).toEqual([
      { t: 0, message: 'vector contains metrics with the same labelset after applying rule labels' },
    ]);
    expect(recordOf(e, 'r').series).toEqual([]);
  });
});

describe('alerting rules', () => {
  const FILE = `groups:
  - name: g
    rules:
      - alert: High
        expr: x > 10
        for: 2m
        keep_firing_for: 2m
        labels: {severity: page}
        annotations: {summary: '{{ $labels.job }} at {{ $value }}'}
`;

  it('go pending, fire after for, keep firing for keep_firing_for, then resolve', () => {
    const db = new Tsdb();
    gauge(db, { __name__: 'x', job: 'api' }, [0, 20, 20, 20, 30, 0, 0, 0, 0, 0]);
    const e = evaluate(db, rules(FILE), { end: 9 * MIN });
    const alert = alertOf(e, 'High');
    expect(alert.alerts).toHaveLength(1);
    const a = alert.alerts[0];
    expect(a?.labels).toEqual({ alertname: 'High', job: 'api', severity: 'page' });
    expect(a?.intervals).toEqual([
      { state: 'pending', start: MIN, end: 3 * MIN },
      // Still firing at 5m and 6m (keep_firing_for 2m counted from 5m), resolved at 7m.
      { state: 'firing', start: 3 * MIN, end: 7 * MIN },
    ]);
    expect(a?.firings).toEqual([{ activeAt: MIN, firedAt: 3 * MIN, resolvedAt: 7 * MIN }]);
    expect(a?.annotations).toEqual({ summary: 'api at 30' });
    expect(alert.alertsSeries.map((s) => [s.metric['alertstate'], s.t])).toEqual([
      ['firing', [3 * MIN, 4 * MIN, 5 * MIN, 6 * MIN]],
      ['pending', [MIN, 2 * MIN]],
    ]);
    expect(alert.forStateSeries[0]?.v).toEqual([60, 60, 60, 60, 60, 60]);
    expect(vectorAt(db, 'ALERTS', 4 * MIN).map((s) => s.metric['alertstate'])).toEqual(['firing']);
  });

  it('restart the for period when the condition breaks while pending', () => {
    const db = new Tsdb();
    gauge(db, { __name__: 'x', job: 'api' }, [20, 20, 0, 20, 20, 20]);
    const a = alertOf(evaluate(db, rules(FILE), { end: 5 * MIN }), 'High').alerts[0];
    expect(a?.intervals).toEqual([
      { state: 'pending', start: 0, end: 2 * MIN },
      { state: 'pending', start: 3 * MIN, end: 5 * MIN },
      { state: 'firing', start: 5 * MIN, end: 6 * MIN },
    ]);
    expect(a?.episodes.map((ep) => ep.resolvedAt)).toEqual([2 * MIN, null]);
  });

  it('treat a label templated from $value as a new alert whenever the value changes', () => {
    const db = new Tsdb();
    gauge(db, { __name__: 'x' }, [11, 12, 12, 12]);
    const file = rules(`groups:
  - name: g
    rules:
      - alert: Flappy
        expr: x > 10
        for: 1m
        labels: {value: '{{ $value }}'}
`);
    const alert = alertOf(evaluate(db, file, { end: 3 * MIN }), 'Flappy');
    expect(alert.alerts.map((a) => [a.labels['value'], a.intervals])).toEqual([
      ['11', [{ state: 'pending', start: 0, end: MIN }]],
      [
        '12',
        [
          { state: 'pending', start: MIN, end: 2 * MIN },
          { state: 'firing', start: 2 * MIN, end: 4 * MIN },
        ],
      ],
    ]);
  });

  it('report a group limit exceeded as an evaluation error and drop the alerts', () => {
    const db = new Tsdb();
    gauge(db, { __name__: 'x', i: '1' }, [20, 20]);
    gauge(db, { __name__: 'x', i: '2' }, [20, 20]);
    const file = rules('groups:\n  - name: g\n    limit: 1\n    rules:\n      - alert: A\n        expr: x > 10\n');
    const alert = alertOf(evaluate(db, file, { end: MIN }), 'A');
    expect(alert.errors.map((er) => er.message)).toEqual(['exceeded limit of 1 with 2 alerts', 'exceeded limit of 1 with 2 alerts']);
    expect(alert.alertsSeries).toEqual([]);
  });

  it('evaluate a scalar expression as one alert without labels', () => {
    const db = new Tsdb();
    const alert = alertOf(
      evaluate(db, rules('groups:\n  - name: g\n    rules:\n      - alert: Always\n        expr: vector(1)\n'), { end: MIN }),
      'Always',
    );
    expect(alert.alerts[0]?.labels).toEqual({ alertname: 'Always' });
  });
});

describe('evaluation over time', () => {
  it('uses each group interval and refuses a period that needs too many evaluations', () => {
    const db = new Tsdb();
    gauge(db, { __name__: 'x' }, [1, 1, 1]);
    const e = evaluate(db, rules('groups:\n  - name: g\n    interval: 30s\n    rules:\n      - record: r\n        expr: x\n'), {
      end: 2 * MIN,
    });
    expect(e.groups[0]).toMatchObject({ intervalMs: 30_000, evaluations: 5, firstEvaluation: 0, lastEvaluation: 2 * MIN });
    const tooLong = evaluateRules(db, rules('groups:\n  - name: g\n    interval: 1s\n    rules:\n      - record: r\n        expr: x\n'), {
      start: 0,
      end: 365 * 86_400_000,
    });
    expect(!tooLong.ok && tooLong.errors[0]?.message).toMatch(/exceed the limit of 1000000/);
  });

  it('redoes a rule step by step when its range query fails, so only the failing steps are errors', () => {
    const db = new Tsdb();
    gauge(db, { __name__: 'x', a: '1' }, [1, 1, 1]);
    gauge(db, { __name__: 'x', a: '2' }, [null, 1, null]);
    const e = evaluate(db, rules('groups:\n  - name: g\n    rules:\n      - record: r\n        expr: x + on() x\n'), { end: 2 * MIN });
    const r = recordOf(e, 'r');
    // Only at 1m (and within the lookback after it) are there two series on each side.
    expect(r.errors.length).toBeGreaterThan(0);
    expect(r.series[0]?.t[0]).toBe(0);
    expect(rangeQuery(db, 'x + on() x', 0, 2 * MIN, MIN).ok).toBe(false);
  });

  it('gives the same states from one range query per rule as from instant queries step by step', () => {
    const file = rules(`groups:
  - name: g
    rules:
      - record: job:x:max
        expr: max by (job) (x)
      - alert: A
        expr: job:x:max > 5
        for: 2m
        keep_firing_for: 1m
        annotations: {v: '{{ $value }}'}
`);
    const value = fc.oneof(fc.integer({ min: 0, max: 10 }), fc.constant(null), fc.constant('stale' as const));
    fc.assert(
      fc.property(fc.array(fc.array(value, { minLength: 12, maxLength: 12 }), { minLength: 1, maxLength: 3 }), (series) => {
        const run = (stepByStep: boolean) => {
          const db = new Tsdb();
          series.forEach((values, i) => {
            gauge(db, { __name__: 'x', job: `j${i % 2}`, i: String(i) }, values);
          });
          const e = evaluate(db, file, { end: 11 * MIN, stepByStep, snapshotTimes: [5 * MIN, 11 * MIN] });
          const a = alertOf(e, 'A');
          // What later queries read back (staleness markers included) must agree too.
          const readBack = Array.from({ length: 12 }, (_, k) => vectorAt(db, '{__name__=~"job:x:max|ALERTS.*"}', k * MIN + 30_000));
          return {
            record: recordOf(e, 'job:x:max').series,
            alerts: a.alerts,
            series: a.alertsSeries,
            snapshots: [...a.snapshots],
            readBack,
          };
        };
        expect(run(false)).toEqual(run(true));
      }),
      { numRuns: 60 },
    );
  });
});
