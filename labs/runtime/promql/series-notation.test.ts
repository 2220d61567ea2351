import { describe, expect, it } from 'vitest';
import { expandValues, parseSeriesLabels, parseSeriesLine, readQuotedString } from './series-notation.ts';

function values(text: string) {
  const r = expandValues(text);
  if (!r.ok) throw new Error(r.error);
  return r.values;
}

describe('expandValues', () => {
  it('expands start+step xN into N+1 values', () => {
    expect(values('1+2x3')).toEqual([1, 3, 5, 7]);
    expect(values('10-1x2')).toEqual([10, 9, 8]);
    expect(values('-1-1x2')).toEqual([-1, -2, -3]);
  });

  it('repeats a plain value xN as N+1 copies and keeps single numbers', () => {
    expect(values('4x2 7 1.5')).toEqual([4, 4, 4, 7, 1.5]);
  });

  it('reads _ as one gap and _xN as N gaps', () => {
    expect(values('1 _ 2 _x3 3')).toEqual([1, null, 2, null, null, null, 3]);
  });

  it('reads stale as a staleness marker', () => {
    expect(values('1 stale 2')).toEqual([1, 'stale', 2]);
  });

  it('reads Inf, -Inf and NaN in any case, and exponents', () => {
    const v = values('Inf -Inf NaN inf nan 1e3 2.5e-1');
    expect(v.slice(0, 2)).toEqual([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    expect(Number.isNaN(v[2])).toBe(true);
    expect(v[3]).toBe(Number.POSITIVE_INFINITY);
    expect(Number.isNaN(v[4])).toBe(true);
    expect(v.slice(5)).toEqual([1000, 0.25]);
  });

  it('adds the step repeatedly, giving the floating-point values Prometheus gives', () => {
    const v = values('0+0.1x3');
    let acc = 0;
    const expected = [0];
    for (let i = 0; i < 3; i += 1) {
      acc += 0.1;
      expected.push(acc);
    }
    expect(v).toEqual(expected);
    expect(v[3]).not.toBe(0.3);
  });

  it('treats 0x3 as zero repeated, not as a hexadecimal number', () => {
    expect(values('0x3')).toEqual([0, 0, 0, 0]);
  });

  it('rejects garbage, a step without a count, and huge expansions with a clear error', () => {
    expect(expandValues('1 abc')).toEqual({ ok: false, error: expect.stringContaining('"abc"') });
    expect(expandValues('1+2')).toEqual({ ok: false, error: expect.stringContaining('repetition count') });
    expect(expandValues('1+1x100000000')).toEqual({ ok: false, error: expect.stringContaining('exceeds') });
    expect(expandValues('1x5', { maxValues: 3 }).ok).toBe(false);
  });

  it('returns no values for empty text', () => {
    expect(values('   ')).toEqual([]);
  });
});

describe('parseSeriesLabels', () => {
  it('reads a metric name with labels', () => {
    expect(parseSeriesLabels('http_requests_total{job="api", code="200"}')).toEqual({
      ok: true,
      labels: { __name__: 'http_requests_total', job: 'api', code: '200' },
    });
  });

  it('reads a bare metric name, a name in braces and the quoted UTF-8 form', () => {
    expect(parseSeriesLabels('up')).toEqual({ ok: true, labels: { __name__: 'up' } });
    expect(parseSeriesLabels('{__name__="up", job="x"}')).toEqual({ ok: true, labels: { __name__: 'up', job: 'x' } });
    expect(parseSeriesLabels('{"my.metric", "a.b"="c"}')).toEqual({ ok: true, labels: { __name__: 'my.metric', 'a.b': 'c' } });
  });

  it('unescapes label values and drops empty ones', () => {
    expect(parseSeriesLabels(String.raw`m{a="x\"y\\z\n", b=""}`)).toEqual({ ok: true, labels: { __name__: 'm', a: 'x"y\\z\n' } });
    expect(parseSeriesLabels("m{a='single'}")).toEqual({ ok: true, labels: { __name__: 'm', a: 'single' } });
  });

  it('rejects unterminated strings, duplicate labels and trailing text', () => {
    expect(parseSeriesLabels('m{a="x}').ok).toBe(false);
    expect(parseSeriesLabels('m{a="x", a="y"}').ok).toBe(false);
    expect(parseSeriesLabels('m{a="x"} junk').ok).toBe(false);
    expect(parseSeriesLabels('m{a=x}').ok).toBe(false);
  });
});

describe('parseSeriesLine', () => {
  it('splits a load line into labels and expanded values', () => {
    expect(parseSeriesLine('  http_requests{job="api-server", instance="0"} 0+10x3 _ stale')).toEqual({
      ok: true,
      labels: { __name__: 'http_requests', job: 'api-server', instance: '0' },
      values: [0, 10, 20, 30, null, 'stale'],
    });
  });

  it('accepts the empty label set of an expected scalar-like result', () => {
    expect(parseSeriesLine('{} 83')).toEqual({ ok: true, labels: {}, values: [83] });
  });

  it('accepts a series with no values', () => {
    expect(parseSeriesLine('m{a="b"}')).toEqual({ ok: true, labels: { __name__: 'm', a: 'b' }, values: [] });
  });

  it('marks native-histogram samples as out of scope', () => {
    const r = parseSeriesLine('h {{schema:0 sum:5 count:4 buckets:[1 2 1]}}x3');
    expect(r).toMatchObject({ ok: false, nativeHistogram: true });
  });

  it('reports a value error with the offending item', () => {
    expect(parseSeriesLine('m 1 2 oops')).toEqual({ ok: false, error: expect.stringContaining('"oops"') });
  });
});

describe('readQuotedString', () => {
  it('reads Go escapes, raw strings and reports unterminated ones', () => {
    expect(readQuotedString(String.raw`"a\u00e9\x41\101" rest`)).toEqual({ value: 'aéAA', length: 17 });
    expect(readQuotedString('`raw\\n`')).toEqual({ value: 'raw\\n', length: 7 });
    expect(readQuotedString('"open')).toEqual({ error: 'unterminated quoted string' });
  });
});
