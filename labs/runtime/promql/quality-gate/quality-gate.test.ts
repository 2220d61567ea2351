import { describe, expect, it } from 'vitest';
import { Tsdb } from '../index.ts';
import {
  evaluateQualityGate,
  type PreviousEvaluation,
  parseCriterion,
  parseSliFile,
  parseSloFile,
  replacePlaceholders,
  type SloFile,
} from './index.ts';

const HOUR = 3_600_000;

/** A service whose p95 latency (s) and error ratio are gauges scraped every 15 s for two hours. */
function telemetry(p95: [number, number], errors: [number, number]): Tsdb {
  const db = new Tsdb();
  const n = (2 * HOUR) / 15_000 + 1;
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) t[i] = i * 15_000;
  const series = (first: number, second: number) => Float64Array.from(t, (ti) => (ti <= HOUR ? first : second));
  db.load({ __name__: 'latency_p95_seconds', service: 'shop' }, t, series(...p95));
  db.load({ __name__: 'error_ratio', service: 'shop' }, t, series(...errors));
  db.load({ __name__: 'error_ratio', service: 'other' }, t, series(0.5, 0.5));
  return db;
}

const SLI = `spec_version: '1.0'
indicators:
  response_time_p95: avg_over_time(latency_p95_seconds{service="$SERVICE"}[$DURATION_SECONDS]) * 1000
  error_rate: avg_over_time(error_ratio{service="$svc"}[$DURATION_SECONDS]) * 100
  all_errors: error_ratio
`;

const SLO = `spec_version: "1.0"
filter:
  svc: "shop"
comparison:
  compare_with: single_result
  include_result_with_score: pass
  aggregate_function: avg
objectives:
  - sli: response_time_p95
    displayName: Response time p95
    pass:
      - criteria: ["<=+10%", "<600"]
    warning:
      - criteria: ["<=800"]
    weight: 2
  - sli: error_rate
    pass:
      - criteria: ["<1"]
    key_sli: true
  - sli: all_errors
total_score:
  pass: "90%"
  warning: "75%"
`;

function parsed<T>(r: { ok: true; value: T } | { ok: false; errors: unknown }): T {
  if (!r.ok) throw new Error(`unexpected errors: ${JSON.stringify(r.errors)}`);
  return r.value;
}

const slo = () => parsed(parseSloFile(SLO));
const sli = () => parsed(parseSliFile(SLI));
const firstHour = { start: 0, end: HOUR };
const secondHour = { start: HOUR, end: 2 * HOUR };
const ctx = { context: { service: 'shop' } };

describe('Keptn criteria', () => {
  it('reads fixed and relative criteria as the lighthouse service does', () => {
    expect(parseCriterion('<600')).toMatchObject({ operator: '<', value: 600, relative: false });
    expect(parseCriterion('<=+10%')).toMatchObject({ operator: '<=', value: 10, relative: true, percent: true, increase: true });
    expect(parseCriterion('>= -5')).toMatchObject({ operator: '>=', value: 5, relative: true, percent: false, increase: false });
    expect(parseCriterion('<10%')).toMatchObject({ relative: true, percent: true, increase: true });
    expect(parseCriterion('600')).toBeUndefined();
    expect(parseCriterion('<abc')).toBeUndefined();
  });
});

describe('slo.yaml and sli.yaml', () => {
  it('fills Keptn defaults: weight 1, displayName = sli, one comparison result for single_result', () => {
    const s = slo();
    expect(s.comparison).toEqual({
      compareWith: 'single_result',
      includeResultWithScore: 'pass',
      numberOfComparisonResults: 1,
      aggregateFunction: 'avg',
    });
    expect(s.objectives.map((o) => [o.sli, o.displayName, o.weight, o.keySli, o.pass.length])).toEqual([
      ['response_time_p95', 'Response time p95', 2, false, 1],
      ['error_rate', 'error_rate', 1, true, 1],
      ['all_errors', 'all_errors', 1, false, 0],
    ]);
    expect(s.totalScore).toEqual({ pass: 90, warning: 75 });
  });

  it('reports a bad criterion with its path and line', () => {
    const r = parseSloFile(SLO.replace('"<600"', '"< 600 ms"'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]?.message).toMatch(/objectives\.0\.pass\.0\.criteria\[1\]: invalid criterion "< 600 ms"/);
    expect(r.errors[0]?.line).toBe(12);
  });

  it('reports unknown fields, wrong enums and a missing total_score', () => {
    const unknown = parseSloFile(SLO.replace('    weight: 2', '    weight: 2\n    wieght: 3'));
    expect(!unknown.ok && unknown.errors[0]).toMatchObject({ message: 'field wieght not found in objectives[0]', line: 16 });
    const aggregate = parseSloFile(SLO.replace('aggregate_function: avg', 'aggregate_function: median'));
    expect(!aggregate.ok && aggregate.errors[0]?.message).toMatch(/comparison\.aggregate_function: must be avg, p50, p90 or p95/);
    const noScore = parseSloFile(SLO.slice(0, SLO.indexOf('total_score')));
    expect(!noScore.ok && noScore.errors[0]?.message).toMatch(/total_score/);
    expect(parseSloFile('').ok).toBe(false);
    expect(parseSloFile('objectives: [').ok).toBe(false);
  });

  it('checks SLI queries that need no filter value, and points at the bad one', () => {
    const r = parseSliFile('indicators:\n  ok: sum(rate(x[$DURATION_SECONDS]))\n  bad: sum(rate(x[5m])\n');
    expect(!r.ok && r.errors[0]).toMatchObject({ line: 3 });
    expect(!r.ok && r.errors[0]?.message).toMatch(/^indicators\.bad: /);
    expect(parseSliFile('indicators:\n  x: up{job="$SERVICE"}\n').ok).toBe(true);
  });
});

describe('placeholders', () => {
  it('replaces filters, Keptn context and the window length in seconds', () => {
    const q = replacePlaceholders(
      'rate(x{svc="$svc",s="$SERVICE",l="$LABEL.build"}[$DURATION_SECONDS])',
      slo(),
      { start: 0, end: 1500 },
      {
        service: 'shop',
        labels: { build: '42' },
      },
    );
    expect(q).toBe('rate(x{svc="shop",s="shop",l="42"}[2s])');
  });

  it('replaces a longer filter key before a shorter one it starts with', () => {
    const s = { ...slo(), filter: { svc: 'shop', svc_id: 'a14b' } };
    expect(replacePlaceholders('x{id="$svc_id", s="$svc"}', s, { start: 0, end: 1000 })).toBe('x{id="a14b", s="shop"}');
  });
});

describe('evaluating a quality gate', () => {
  it('passes a good build with the full score and treats an SLI without criteria as info', () => {
    const r = parsed(evaluateQualityGate(telemetry([0.4, 0.4], [0.002, 0.002]), slo(), sli(), firstHour, [], ctx));
    expect(r.result).toBe('pass');
    expect(r.score).toBe(100);
    expect(r.objectives.map((o) => [o.sli, o.status, o.score])).toEqual([
      ['response_time_p95', 'pass', 2],
      ['error_rate', 'pass', 1],
      ['all_errors', 'info', 0],
    ]);
    expect(r.objectives[0]?.value).toBeCloseTo(400, 9);
    // With no previous result the relative criterion holds and has no target.
    expect(r.objectives[0]?.criteria).toEqual([
      { text: '<=+10%', met: true, target: null },
      { text: '<600', met: true, target: 600 },
    ]);
    expect(r.objectives[2]?.error).toMatch(/returned 2 series/);
  });

  it('compares with the previous build: a 50 % slower build is a warning (half its weight)', () => {
    const db = telemetry([0.4, 0.6], [0.002, 0.002]);
    const first = parsed(evaluateQualityGate(db, slo(), sli(), firstHour, [], ctx));
    const previous: PreviousEvaluation[] = [first];
    const second = parsed(evaluateQualityGate(db, slo(), sli(), secondHour, previous, ctx));
    const p95 = second.objectives[0];
    expect(p95?.status).toBe('warning');
    expect(p95?.comparisonValue).toBeCloseTo(400, 9);
    expect(p95?.criteria.map((c) => [c.text, c.met])).toEqual([
      ['<=800', true],
      ['<=+10%', false],
      ['<600', false],
    ]);
    expect(p95?.criteria[1]?.target).toBeCloseTo(440, 9);
    // (1 + 1) of 3 = 66.7 %: below the 75 % warning line.
    expect(second.score).toBeCloseTo(200 / 3, 9);
    expect(second.result).toBe('fail');
  });

  it('fails the gate when a key SLI fails, whatever the score', () => {
    const lenient = { ...slo(), totalScore: { pass: 50, warning: 10 } } satisfies SloFile;
    const r = parsed(evaluateQualityGate(telemetry([0.4, 0.4], [0.05, 0.05]), lenient, sli(), firstHour, [], ctx));
    expect(r.score).toBeCloseTo(200 / 3, 9);
    expect(r.keySliFailed).toBe(true);
    expect(r.result).toBe('fail');
  });

  it('gives warning between the warning and pass thresholds', () => {
    const db = telemetry([0.7, 0.7], [0.002, 0.002]);
    const s = { ...slo(), totalScore: { pass: 90, warning: 60 } } satisfies SloFile;
    const r = parsed(evaluateQualityGate(db, s, sli(), firstHour, [], ctx));
    // p95 warning (1 of 2) + errors pass (1) = 2 of 3.
    expect(r.score).toBeCloseTo(200 / 3, 9);
    expect(r.result).toBe('warning');
  });

  it('only compares with previous results that passed when include_result_with_score is pass', () => {
    const db = telemetry([0.4, 0.45], [0.002, 0.002]);
    const previous: PreviousEvaluation[] = [
      { result: 'pass', indicators: { response_time_p95: 300 } },
      { result: 'fail', indicators: { response_time_p95: 1000 } },
    ];
    const r = parsed(evaluateQualityGate(db, slo(), sli(), secondHour, previous, ctx));
    expect(r.objectives[0]?.comparisonValue).toBe(300);
    expect(r.objectives[0]?.status).toBe('warning');
  });

  it('aggregates several previous results with avg or a percentile', () => {
    const several = parsed(
      parseSloFile(
        SLO.replace('compare_with: single_result', 'compare_with: several_results\n  number_of_comparison_results: 3')
          .replace('include_result_with_score: pass', 'include_result_with_score: all')
          .replace('aggregate_function: avg', 'aggregate_function: p90'),
      ),
    );
    const previous: PreviousEvaluation[] = [100, 200, 300, 400].map((v) => ({ result: 'fail', indicators: { response_time_p95: v } }));
    const r = parsed(evaluateQualityGate(telemetry([0.4, 0.4], [0, 0]), several, sli(), firstHour, previous, ctx));
    // The last three (200, 300, 400): Keptn's p90 is at position 0.9·4 = 3.6 → the largest.
    expect(r.objectives[0]?.comparisonValue).toBe(400);
    const avg = { ...several, comparison: { ...several.comparison, aggregateFunction: 'avg' as const } };
    const r2 = parsed(evaluateQualityGate(telemetry([0.4, 0.4], [0, 0]), avg, sli(), firstHour, previous, ctx));
    expect(r2.objectives[0]?.comparisonValue).toBe(300);
  });

  it('fails an objective whose SLI is missing or whose query fails, with the reason', () => {
    const broken = { indicators: { response_time_p95: 'rate(', error_rate: 'vector(0)' } };
    const r = parsed(evaluateQualityGate(telemetry([0.4, 0.4], [0, 0]), slo(), broken, firstHour, [], ctx));
    expect(r.objectives[0]).toMatchObject({ status: 'fail', value: null, score: 0 });
    expect(r.objectives[0]?.error).toMatch(/parse error/);
    expect(r.objectives[2]?.error).toMatch(/no SLI named "all_errors"/);
    expect(r.objectives[1]?.status).toBe('pass');
  });

  it('scores like Keptn: pass counts its weight, warning half, the total as a percentage', () => {
    const text = `spec_version: "1.0"
objectives:
  - sli: a
    pass: [{criteria: ["<1"]}]
    weight: 3
  - sli: b
    pass: [{criteria: ["<1"]}, {criteria: [">5"]}]
    warning: [{criteria: ["<10"]}]
  - sli: c
    pass: [{criteria: ["<1"]}]
    warning: [{criteria: ["<10"]}]
total_score: {pass: "90%", warning: "50%"}
`;
    const indicators = { indicators: { a: 'vector(0)', b: 'vector(7)', c: 'vector(5)' } };
    const r = parsed(evaluateQualityGate(new Tsdb(), parsed(parseSloFile(text)), indicators, firstHour));
    // a pass (3), b passes through its second entry (1), c warning (0.5): 4.5 of 5.
    expect(r.objectives.map((o) => o.status)).toEqual(['pass', 'pass', 'warning']);
    expect(r.score).toBe(90);
    expect(r.result).toBe('pass');
  });

  it('refuses an empty window', () => {
    expect(evaluateQualityGate(new Tsdb(), slo(), sli(), { start: 5, end: 5 }).ok).toBe(false);
  });
});
