import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { QueryValue } from '../../../labs/runtime/promql/types.ts';
import type { PromqlItem } from './items.ts';
import { ItemSchema } from './items.ts';
import {
  compareResults,
  datasetSeries,
  durationMs,
  gradePromqlAnswer,
  keyIsOrdered,
  promqlItemProblems,
  querySyntaxProblem,
} from './promql-items.ts';
import { SaveBodySchema } from './requests.ts';
import { creditFor } from './scoring.ts';

const vector = (...rows: [Record<string, string>, number][]): QueryValue => ({
  resultType: 'vector',
  result: rows.map(([metric, v]) => ({ metric, t: 60_000, v })),
});
const loose = { tolerance: 1e-6, ordered: false };

describe('result equivalence', () => {
  it('accepts the same series in any order with values within the relative tolerance', () => {
    const key = vector([{ route: '/a' }, 1.5], [{ route: '/b' }, 300]);
    const answer = vector([{ route: '/b' }, 300.0001], [{ route: '/a' }, 1.5000001]);
    expect(compareResults(key, answer, loose)).toEqual({ equal: true });
  });

  it('refuses a value outside the tolerance, an extra or missing series, or other labels', () => {
    const key = vector([{ route: '/a' }, 1.5], [{ route: '/b' }, 300]);
    expect(compareResults(key, vector([{ route: '/a' }, 1.5], [{ route: '/b' }, 301]), loose)).toMatchObject({ equal: false });
    expect(compareResults(key, vector([{ route: '/a' }, 1.5]), loose)).toMatchObject({
      equal: false,
      reason: '1 series where 2 are expected',
    });
    expect(compareResults(key, vector([{ route: '/a', code: '200' }, 1.5], [{ route: '/b' }, 300]), loose)).toMatchObject({
      equal: false,
    });
    expect(compareResults(key, vector([{ __name__: 'x', route: '/a' }, 1.5], [{ route: '/b' }, 300]), loose)).toMatchObject({
      equal: false,
    });
  });

  it('keeps the order when the key sorts', () => {
    const key = vector([{ route: '/b' }, 300], [{ route: '/a' }, 1.5]);
    const reversed = vector([{ route: '/a' }, 1.5], [{ route: '/b' }, 300]);
    expect(compareResults(key, reversed, { tolerance: 1e-6, ordered: true })).toEqual({
      equal: false,
      reason: 'the series are in a different order',
    });
    expect(compareResults(key, key, { tolerance: 1e-6, ordered: true })).toEqual({ equal: true });
    expect(keyIsOrdered('sort_desc(sum by (route) (x))')).toBe(true);
    expect(keyIsOrdered(' sort(x)')).toBe(true);
    expect(keyIsOrdered('sum(sort(x))')).toBe(false);
    expect(keyIsOrdered('topk(3, x)')).toBe(false);
  });

  it('treats NaN as equal to NaN only, and infinities as equal to themselves only', () => {
    expect(compareResults(vector([{}, Number.NaN]), vector([{}, Number.NaN]), loose)).toEqual({ equal: true });
    expect(compareResults(vector([{}, Number.NaN]), vector([{}, 0]), loose)).toMatchObject({ equal: false });
    expect(compareResults(vector([{}, Number.POSITIVE_INFINITY]), vector([{}, Number.POSITIVE_INFINITY]), loose)).toEqual({ equal: true });
    expect(compareResults(vector([{}, Number.POSITIVE_INFINITY]), vector([{}, 1e308]), loose)).toMatchObject({ equal: false });
  });

  it('takes a scalar and a one-element vector without labels as the same answer', () => {
    const scalar: QueryValue = { resultType: 'scalar', t: 60_000, v: 0.25 };
    expect(compareResults(scalar, vector([{}, 0.25]), loose)).toEqual({ equal: true });
    expect(compareResults(vector([{}, 0.25]), scalar, loose)).toEqual({ equal: true });
    expect(compareResults(scalar, vector([{ job: 'x' }, 0.25]), loose)).toMatchObject({ equal: false });
  });

  it('compares range results point by point, timestamps included', () => {
    const matrix = (t: number[], v: number[]): QueryValue => ({ resultType: 'matrix', result: [{ metric: { instance: 'a' }, t, v }] });
    expect(compareResults(matrix([0, 60_000], [1, 2]), matrix([0, 60_000], [1, 2]), loose)).toEqual({ equal: true });
    expect(compareResults(matrix([0, 60_000], [1, 2]), matrix([0, 60_000], [1, 2.1]), loose)).toMatchObject({ equal: false });
    expect(compareResults(matrix([0, 60_000], [1, 2]), matrix([60_000], [2]), loose)).toMatchObject({
      equal: false,
      reason: '{instance="a"} has points at other times',
    });
  });
});

const item = ItemSchema.parse({
  id: 'slo-990',
  domain: 'slos',
  version: 1,
  difficulty: 'easy',
  type: 'promql',
  stem: 'Write the per-route request rate over 5 minutes.',
  rationale: 'Because rate() turns counters into per-second rates.',
  evaluation: { time: '10m30s' },
  dataset: {
    interval: '1m',
    series: [
      'http_requests_total{route="/a", instance="1"} 0+60x10',
      'http_requests_total{route="/a", instance="2"} 0+120x10',
      'http_requests_total{route="/b", instance="1"} 0+30x10',
    ],
  },
  key: 'sum by (route) (rate(http_requests_total[5m]))',
  wrongAnswers: ['rate(http_requests_total[5m])', 'sum(rate(http_requests_total[5m]))'],
}) as PromqlItem;

describe('grading a promql answer', () => {
  it('credits any query whose result equals the key’s, whatever its text', () => {
    expect(promqlItemProblems(item)).toEqual([]);
    expect(gradePromqlAnswer(item, item.key).credit).toBe(1);
    expect(gradePromqlAnswer(item, 'sum without (instance) (rate(http_requests_total[5m]))').credit).toBe(1);
    expect(gradePromqlAnswer(item, 'sum by (route) (increase(http_requests_total[5m])) / 300').credit).toBe(1);
    expect(creditFor(item, { query: 'sum   by(route)(rate(http_requests_total[5m]))' })).toBe(1);
  });

  it('gives 0 to wrong results, and says why', () => {
    for (const wrong of item.wrongAnswers) expect(gradePromqlAnswer(item, wrong).credit, wrong).toBe(0);
    expect(gradePromqlAnswer(item, 'sum(rate(http_requests_total[5m]))').message).toBe('the result differs: 1 series where 2 are expected');
    expect(creditFor(item, { value: 3 })).toBe(0);
    expect(creditFor(item, null)).toBe(0);
  });

  it('gives 0 with a readable message, never a throw, to queries that do not parse or are invalid', () => {
    const broken = gradePromqlAnswer(item, 'sum by (route (rate(http_requests_total[5m]))');
    expect(broken.credit).toBe(0);
    expect(broken.message).toMatch(/^the query does not parse: .+\(line 1, column \d+\)$/);
    expect(gradePromqlAnswer(item, 'rate(http_requests_total)')).toMatchObject({
      credit: 0,
      message: expect.stringMatching(/not valid|parse/),
    });
    expect(gradePromqlAnswer(item, '   ')).toEqual({ credit: 0, message: 'no query was given' });
    expect(gradePromqlAnswer(item, 'x'.repeat(10_001))).toMatchObject({ credit: 0, message: expect.stringContaining('longer than') });
  });

  it('gives 0 to a query past the sample limit or the deadline, within bounded time', () => {
    // A subquery at 1 ms resolution over a year would materialise ~3e10 points.
    const heavy = gradePromqlAnswer(item, 'sum_over_time(rate(http_requests_total[5m])[1y:1ms])');
    expect(heavy.credit).toBe(0);
    expect(heavy.message).toMatch(/samples|longer than|points|resolution/);
  });

  it('accepts query answers up to 10,000 characters in a save body and refuses longer ones', () => {
    expect(SaveBodySchema.safeParse({ answer: { query: 'x'.repeat(10_000) }, revision: 1 }).success).toBe(true);
    const long = SaveBodySchema.safeParse({ answer: { query: 'x'.repeat(10_001) }, revision: 1 });
    expect(long.success).toBe(false);
  });

  it('reports the parse problem of a saved query with its position, and nothing for a valid one', () => {
    expect(querySyntaxProblem('sum(rate(x[5m])')).toMatchObject({ line: 1, column: expect.any(Number) });
    expect(querySyntaxProblem('sum(rate(x[5m]))')).toBeNull();
    expect(querySyntaxProblem('')).toBeNull();
  });

  it('lists the dataset’s label sets without values, and reads durations as Prometheus does', () => {
    expect(datasetSeries(item)).toEqual([
      'http_requests_total{instance="1", route="/a"}',
      'http_requests_total{instance="1", route="/b"}',
      'http_requests_total{instance="2", route="/a"}',
    ]);
    expect(durationMs('1h30m')).toBe(5_400_000);
    expect(durationMs('10m30s')).toBe(630_000);
    expect(durationMs('500ms')).toBe(500);
  });

  it('finds the problems of a broken item: a dataset that does not expand, a key that fails or returns nothing', () => {
    // A new version per variant: prepared datasets are cached per item version.
    let version = 100;
    const broken = (patch: Partial<PromqlItem>) => {
      version += 1;
      return promqlItemProblems({ ...item, version, ...patch });
    };
    expect(broken({ dataset: { interval: '1m', series: ['up{job="a" 1 2'] } })[0]).toMatch(/^dataset\.series\.0: /);
    expect(broken({ dataset: { interval: '1m', series: ['up 1 2', 'up 3 4'] } })).toEqual(['dataset.series.1: up appears twice']);
    expect(broken({ key: 'sum(' })[0]).toMatch(/^key does not evaluate: /);
    expect(broken({ key: 'nothing_here' })).toEqual(['key returns an empty result: every query that returns nothing would score']);
  });
});

describe('grading arbitrary input', () => {
  const tokens = fc.constantFrom(
    'sum',
    'rate',
    'by',
    '(',
    ')',
    '[5m]',
    '[1h:1s]',
    '{',
    '}',
    'route="/a"',
    'route=~"(a|b)+"',
    ',',
    '+',
    '/',
    'and',
    'on()',
    'group_left',
    'http_requests_total',
    'histogram_quantile(0.9,',
    'topk(2,',
    'offset 1m',
    '@ 0',
    '1e308',
    'NaN',
    ' ',
    '"',
  );
  it('always gives 0 or 1 with a message, never throws, for token soup and random text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(tokens, { maxLength: 25 }).map((t) => t.join(' ')),
          fc.string({ maxLength: 200 }),
        ),
        (query) => {
          const grade = gradePromqlAnswer(item, query);
          expect([0, 1]).toContain(grade.credit);
          expect(grade.message.length).toBeGreaterThan(0);
          const problem = querySyntaxProblem(query);
          expect(problem === null || problem.message.length > 0).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
