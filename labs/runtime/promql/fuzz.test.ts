// Fuzzing the parse/evaluate boundary: whatever the text, the engine answers with a result or a
// PromQLError within its deadline, never a throw; and well-formed queries give at every step of a
// range query what an instant query gives.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { QueryResult } from './index.ts';
import { instantQuery, parseQuery, rangeQuery, STALE_NAN, Tsdb } from './index.ts';

const KINDS = new Set(['parse', 'bad_data', 'execution', 'too_many_samples', 'timeout', 'unsupported']);
const MIN = 60_000;

function fixture(): Tsdb {
  const db = new Tsdb();
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (const job of ['api', 'web']) {
    for (const code of ['200', '500']) {
      const counter = db.seriesId({ __name__: 'http_requests_total', job, code });
      const gauge = db.seriesId({ __name__: 'queue_depth', job, code });
      let total = 0;
      for (let i = 0; i < 120; i++) {
        const t = i * 15_000 + Math.floor(random() * 3000);
        total = random() < 0.02 ? 0 : total + Math.floor(random() * 10);
        db.append(counter, t, total);
        db.append(gauge, t, i === 70 && job === 'web' ? STALE_NAN : Math.floor(random() * 20) - 5);
      }
    }
    for (const le of ['0.1', '0.5', '+Inf']) {
      const id = db.seriesId({ __name__: 'latency_bucket', job, le });
      for (let i = 0; i < 120; i++) db.append(id, i * 15_000, i * (le === '0.1' ? 1 : le === '0.5' ? 3 : 4));
    }
  }
  return db;
}

const db = fixture();

function expectAnswer(result: QueryResult): void {
  if (result.ok) {
    expect(['vector', 'matrix', 'scalar', 'string']).toContain(result.value.resultType);
    expect(result.stats.samples).toBeGreaterThanOrEqual(0);
  } else {
    expect(KINDS.has(result.error.kind), result.error.kind).toBe(true);
    expect(typeof result.error.message).toBe('string');
    expect(result.error.message.length).toBeGreaterThan(0);
  }
}

const TOKENS = [
  'http_requests_total',
  'queue_depth',
  'latency_bucket',
  'x',
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  ',',
  ':',
  '"',
  "'",
  '`',
  'job',
  '=',
  '!=',
  '=~',
  '!~',
  '"api"',
  '"5.."',
  '"(a)\\1"',
  '5m',
  '1h',
  '30s',
  '0',
  '1',
  '-1',
  '0.5',
  'Inf',
  'NaN',
  '0x1f',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '==',
  '>',
  '<=',
  'and',
  'or',
  'unless',
  'bool',
  'on',
  'ignoring',
  'group_left',
  'by',
  'without',
  'offset',
  '@',
  'start()',
  'end()',
  'sum',
  'rate',
  'topk',
  'histogram_quantile',
  'label_replace',
  'count_values',
  'absent',
  'time()',
  'histogram_count',
  ' ',
  '\n',
  '#',
  'le',
  '"le"',
  'scalar',
  'vector',
];

describe('fuzzing the parser/evaluator boundary', () => {
  it('answers random token soup with a result or an error, never a throw', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 30 }), (tokens) => {
        const text = tokens.join(' ');
        expect(() => parseQuery(text)).not.toThrow();
        expectAnswer(instantQuery(db, text, 20 * MIN, { timeoutMs: 2000 }));
        expectAnswer(rangeQuery(db, text, 5 * MIN, 25 * MIN, 70_000, { timeoutMs: 2000 }));
      }),
      { numRuns: 400, seed: 42 },
    );
  });

  it('answers arbitrary unicode strings without throwing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80, unit: 'grapheme' }), (text) => {
        expectAnswer(instantQuery(db, text, 0, { timeoutMs: 2000 }));
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  const metric = fc.constantFrom('http_requests_total', 'queue_depth', 'latency_bucket', 'nothing');
  const matcher = fc
    .tuple(fc.constantFrom('job', 'code', 'le'), fc.constantFrom('=', '!=', '=~', '!~'), fc.constantFrom('api', 'web', '5..', '.*', '2.+'))
    .map(([name, op, value]) => `${name}${op}"${value}"`);
  // No `@ start()`/`@ end()`: they differ between a range query and instant queries by design.
  const selector = fc
    .tuple(metric, fc.array(matcher, { maxLength: 2 }), fc.constantFrom('', ' offset 1m', ' offset -30s', ' @ 600'))
    .map(([name, matchers, modifier]) => `${name}${matchers.length ? `{${matchers.join(',')}}` : ''}${modifier}`);
  const range = fc.constantFrom('1m', '2m', '5m', '150s');
  const grouping = fc.constantFrom('', ' by (job)', ' without (code)', ' by (le)', ' by ()');

  const { vector } = fc.letrec<{ vector: string; scalar: string; matrix: string }>((tie) => ({
    scalar: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom('1', '0.5', '-2', '3e-1', '0x10', 'Inf', 'NaN', 'time()', 'pi()'),
      tie('vector').map((v) => `scalar(${v})`),
      fc
        .tuple(tie('scalar'), fc.constantFrom('+', '-', '*', '/', '%', '^', '> bool', '== bool'), tie('scalar'))
        .map(([a, op, b]) => `(${a} ${op} ${b})`),
    ),
    matrix: fc.oneof(
      { depthSize: 'small' },
      fc.tuple(fc.constantFrom('http_requests_total', 'queue_depth'), range).map(([m, r]) => `${m}[${r}]`),
      fc.tuple(tie('vector'), range, fc.constantFrom('', '30s', '1m', '45s')).map(([v, r, s]) => `(${v})[${r}:${s}]`),
    ),
    vector: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      selector,
      fc
        .tuple(
          fc.constantFrom(
            'rate',
            'increase',
            'delta',
            'irate',
            'idelta',
            'deriv',
            'resets',
            'changes',
            'avg_over_time',
            'min_over_time',
            'max_over_time',
            'sum_over_time',
            'count_over_time',
            'stddev_over_time',
            'last_over_time',
            'present_over_time',
            'absent_over_time',
            'mad_over_time',
          ),
          tie('matrix'),
        )
        .map(([f, m]) => `${f}(${m})`),
      fc.tuple(tie('scalar'), tie('matrix')).map(([q, m]) => `quantile_over_time(${q}, ${m})`),
      fc.tuple(tie('matrix'), tie('scalar')).map(([m, s]) => `predict_linear(${m}, ${s})`),
      fc
        .tuple(
          fc.constantFrom(
            'abs',
            'ceil',
            'floor',
            'round',
            'sqrt',
            'exp',
            'ln',
            'sgn',
            'timestamp',
            'absent',
            'hour',
            'day_of_week',
            'sort',
            'sort_desc',
          ),
          tie('vector'),
        )
        .map(([f, v]) => `${f}(${v})`),
      fc.tuple(tie('vector'), tie('scalar'), tie('scalar')).map(([v, a, b]) => `clamp(${v}, ${a}, ${b})`),
      fc.tuple(tie('scalar'), tie('vector')).map(([q, v]) => `histogram_quantile(${q}, ${v})`),
      tie('scalar').map((s) => `vector(${s})`),
      tie('vector').map((v) => `label_replace(${v}, "dst", "$1", "job", "(a.*)")`),
      fc
        .tuple(fc.constantFrom('sum', 'avg', 'min', 'max', 'count', 'group', 'stddev', 'stdvar'), grouping, tie('vector'))
        .map(([op, g, v]) => `${op}${g} (${v})`),
      fc
        .tuple(fc.constantFrom('topk', 'bottomk', 'quantile'), grouping, tie('scalar'), tie('vector'))
        .map(([op, g, p, v]) => `${op}${g} (${p}, ${v})`),
      fc.tuple(grouping, tie('vector')).map(([g, v]) => `count_values${g} ("value", ${v})`),
      fc
        .tuple(
          tie('vector'),
          fc.constantFrom(
            '+',
            '-',
            '*',
            '/',
            '>',
            '<=',
            '== bool',
            'and',
            'or',
            'unless',
            '/ on(job)',
            '* ignoring(code)',
            '+ on(job) group_left()',
            '- on(job, code) group_right()',
          ),
          tie('vector'),
        )
        .map(([a, op, b]) => `(${a} ${op} ${b})`),
      fc.tuple(tie('vector'), fc.constantFrom('+', '*', '>', '< bool', 'atan2'), tie('scalar')).map(([v, op, s]) => `(${v} ${op} ${s})`),
      tie('vector').map((v) => `-(${v})`),
    ),
  }));

  it('parses every generated well-formed query and evaluates it to a result or an error in bounded time', () => {
    fc.assert(
      fc.property(vector, (text) => {
        const parsed = parseQuery(text);
        expect(parsed.ok || parsed.error.kind !== 'parse', `${text}: ${parsed.ok ? '' : parsed.error.message}`).toBe(true);
        expectAnswer(instantQuery(db, text, 20 * MIN, { timeoutMs: 3000 }));
      }),
      { numRuns: 300, seed: 2024 },
    );
  });

  it('gives at each step of a range query what an instant query gives at that time', () => {
    const same = (a: number, b: number) =>
      Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
    fc.assert(
      fc.property(vector, (text) => {
        const start = 6 * MIN + 5;
        const step = 95_000;
        const range = rangeQuery(db, text, start, start + 10 * step, step, { timeoutMs: 3000 });
        if (!range.ok) {
          // An error in range mode must come from a step that fails as an instant query too.
          const failures = Array.from({ length: 11 }, (_, i) => instantQuery(db, text, start + i * step, { timeoutMs: 3000 })).filter(
            (r) => !r.ok,
          );
          expect(failures.length > 0 || range.error.kind === 'timeout', `${text}: ${range.error.message}`).toBe(true);
          return;
        }
        if (range.value.resultType !== 'matrix') throw new Error('range queries return matrices');
        for (let i = 0; i <= 10; i++) {
          const t = start + i * step;
          const instant = instantQuery(db, text, t, { timeoutMs: 3000 });
          if (!instant.ok) continue;
          const expected = new Map<string, number>();
          if (instant.value.resultType === 'vector') for (const s of instant.value.result) expected.set(JSON.stringify(s.metric), s.v);
          if (instant.value.resultType === 'scalar') expected.set('{}', instant.value.v);
          const got = new Map<string, number>();
          for (const s of range.value.result) {
            const k = s.t.indexOf(t);
            if (k >= 0) got.set(JSON.stringify(s.metric), s.v[k] as number);
          }
          expect([...got.keys()].sort(), `${text} at ${t}`).toEqual([...expected.keys()].sort());
          for (const [key, v] of expected)
            expect(same(got.get(key) as number, v), `${text} at ${t}: ${key} ${got.get(key)} vs ${v}`).toBe(true);
        }
      }),
      { numRuns: 200, seed: 99 },
    );
  });

  it('stops queries that would take too long or hold too many samples', () => {
    const heavy = 'sum_over_time(sum_over_time(http_requests_total[30m:1s])[30m:1s])';
    let clock = 0;
    expect(instantQuery(db, heavy, 30 * MIN, { timeoutMs: 3, now: () => (clock += 1) })).toMatchObject({
      ok: false,
      error: { kind: 'timeout' },
    });
    expect(instantQuery(db, heavy, 30 * MIN, { maxSamples: 5000 })).toMatchObject({ ok: false, error: { kind: 'too_many_samples' } });
  });
});
