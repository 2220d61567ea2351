import { describe, expect, it } from 'vitest';
import { parseScalarLine, parseTestDuration, parseTestFile } from './parse.ts';

describe('parseTestFile', () => {
  it('reads load blocks, clear and instant evals with expected series', () => {
    const r = parseTestFile(`
# comment
load 5m
  up{job="a"} 1+1x2 _ stale

eval instant at 10m up
  up{job="a"} 3

clear
`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.commands.map((c) => c.kind)).toEqual(['load', 'eval', 'clear']);
    const [load, evalCmd] = r.commands;
    expect(load).toMatchObject({
      kind: 'load',
      line: 3,
      intervalMs: 300_000,
      series: [{ labels: { __name__: 'up', job: 'a' }, values: [1, 2, 3, null, 'stale'] }],
    });
    expect(evalCmd).toMatchObject({ kind: 'eval', line: 6, query: 'up', at: 600_000, fail: false, ordered: false });
    expect(evalCmd?.kind === 'eval' && evalCmd.expected).toEqual([
      { labels: { __name__: 'up', job: 'a' }, values: [3], position: 1, line: 7 },
    ]);
  });

  it('reads range evals, scalars, ordered evals and failure expectations', () => {
    const r = parseTestFile(`eval range from 0 to 1m step 30s vector(1)
  {} 1 1 _

eval_ordered instant at 1h sort(x)
  x{a="2"} 1
  x{a="1"} 2

eval instant at 0 scalar(x)
  NaN

eval_fail instant at 0 1 < 2
  expected_fail_regexp BOOL

eval instant at 0 foo
  expect fail msg: something broke

eval instant at 1m x[1m]
  expect range vector from 0 to 1m step 30s
  x 1 2 3

eval instant at 0 "s"
  expect string "s"`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const evals = r.commands.filter((c) => c.kind === 'eval');
    expect(evals[0]).toMatchObject({ range: { start: 0, end: 60_000, step: 30_000 }, expected: [{ labels: {}, values: [1, 1, null] }] });
    expect(evals[1]).toMatchObject({ ordered: true, at: 3_600_000, expected: [{ position: 1 }, { position: 2 }] });
    expect(evals[2]?.expectScalar).toBeNaN();
    expect(evals[2]?.at).toBe(0);
    expect(evals[3]).toMatchObject({ fail: true, failRegexp: { source: 'BOOL' } });
    expect(evals[3]?.failRegexp?.test('must use BOOL modifier')).toBe(true);
    expect(evals[4]).toMatchObject({ fail: true, failMessage: 'something broke' });
    expect(evals[5]).toMatchObject({ expectRangeVector: { start: 0, end: 60_000, step: 30_000 }, expected: [{ values: [1, 2, 3] }] });
    expect(evals[6]).toMatchObject({ expectString: 's' });
  });

  it('marks native-histogram loads and expectations', () => {
    const r = parseTestFile(`load 1m
  h {{schema:0 sum:1 count:1}}
  classic_bucket{le="1"} 1

load_with_nhcb 1m
  other_bucket{le="+Inf"} 1

eval instant at 0 h
  {} {{schema:0 sum:1 count:1}}`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.commands[0]).toMatchObject({
      nativeHistogramNames: ['h'],
      nativeHistogramSeries: [{ __name__: 'h' }],
      series: [{ labels: { le: '1' } }],
    });
    expect(r.commands[1]).toMatchObject({ nativeHistogramNames: ['other'] });
    expect(r.commands[2]).toMatchObject({ nativeHistogram: true });
  });

  it('reports the line of a malformed command', () => {
    expect(parseTestFile('load 5m\n  up 1\n\nfrobnicate up')).toEqual({
      ok: false,
      line: 4,
      error: expect.stringContaining('invalid command'),
    });
    expect(parseTestFile('eval instant at 5x up')).toEqual({ ok: false, line: 1, error: expect.stringContaining('invalid timestamp') });
    expect(parseTestFile('eval instant at 0 up\n  up 1 2')).toEqual({
      ok: false,
      line: 2,
      error: expect.stringContaining('multiple values'),
    });
    expect(parseTestFile('eval range from 5m to 1m step 1m up')).toMatchObject({
      ok: false,
      error: expect.stringContaining('before start'),
    });
  });
});

describe('durations and scalars', () => {
  it('parses Prometheus durations', () => {
    expect(parseTestDuration('0')).toBe(0);
    expect(parseTestDuration('1h30m')).toBe(5_400_000);
    expect(parseTestDuration('1d')).toBe(86_400_000);
    expect(parseTestDuration('250ms')).toBe(250);
    expect(parseTestDuration('5')).toBeUndefined();
    expect(parseTestDuration('')).toBeUndefined();
  });

  it('parses scalar expectations as Go does', () => {
    expect(parseScalarLine('0x10')).toBe(16);
    expect(parseScalarLine('-Inf')).toBe(Number.NEGATIVE_INFINITY);
    expect(parseScalarLine('1e3')).toBe(1000);
    expect(parseScalarLine('NaN')).toBeNaN();
    expect(parseScalarLine('{} 1')).toBeUndefined();
  });
});
