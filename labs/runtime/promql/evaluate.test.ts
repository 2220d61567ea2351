import { describe, expect, it } from 'vitest';
import type { Labels, QueryResult, VectorSample } from './index.ts';
import { instantQuery, rangeQuery, STALE_NAN, Tsdb } from './index.ts';

const MIN = 60_000;

/** A TSDB with one sample per `intervalMs` per series, from t = 0; null leaves a gap. */
function tsdb(series: [Labels, (number | null)[]][], intervalMs = MIN): Tsdb {
  const db = new Tsdb();
  for (const [labels, values] of series) {
    const id = db.seriesId(labels);
    values.forEach((v, i) => {
      if (v !== null) db.append(id, i * intervalMs, v);
    });
  }
  return db;
}

function vector(result: QueryResult): VectorSample[] {
  if (!result.ok) throw new Error(`${result.error.kind}: ${result.error.message}`);
  if (result.value.resultType !== 'vector') throw new Error(`expected a vector, got ${result.value.resultType}`);
  return result.value.result;
}

function values(result: QueryResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of vector(result)) {
    out[
      Object.entries(s.metric)
        .map(([k, v]) => `${k}=${v}`)
        .join(',')
    ] = s.v;
  }
  return out;
}

function scalar(result: QueryResult): number {
  if (!result.ok || result.value.resultType !== 'scalar') throw new Error(JSON.stringify(result));
  return result.value.v;
}

const counter = (step: number, n: number) => Array.from({ length: n }, (_, i) => i * step);

describe('selectors', () => {
  const db = tsdb([[{ __name__: 'x' }, [1, 2]]]);

  it('looks back 5 minutes, left-open: a sample exactly 5 minutes old is not returned', () => {
    expect(values(instantQuery(db, 'x', MIN + 5 * MIN - 1))).toEqual({ '__name__=x': 2 });
    expect(values(instantQuery(db, 'x', MIN + 5 * MIN))).toEqual({});
    expect(values(instantQuery(db, 'x', MIN, { lookbackDeltaMs: 30_000 }))).toEqual({ '__name__=x': 2 });
    expect(values(instantQuery(db, 'x', MIN + 30_000, { lookbackDeltaMs: 30_000 }))).toEqual({});
  });

  it('hides a series from the staleness marker on, until its next sample', () => {
    const stale = new Tsdb();
    const id = stale.seriesId({ __name__: 'x' });
    stale.append(id, 0, 1);
    stale.append(id, MIN, STALE_NAN);
    stale.append(id, 2 * MIN, 3);
    expect(values(instantQuery(stale, 'x', 30_000))).toEqual({ '__name__=x': 1 });
    expect(values(instantQuery(stale, 'x', 90_000))).toEqual({});
    expect(values(instantQuery(stale, 'x', 2 * MIN))).toEqual({ '__name__=x': 3 });
    expect(values(instantQuery(stale, 'count_over_time(x[10m])', 2 * MIN))).toEqual({ '': 2 });
  });

  it('selects range vectors left-open, (t - range, t]', () => {
    const result = instantQuery(db, 'x[1m]', MIN);
    expect(result.ok && result.value).toEqual({
      resultType: 'matrix',
      result: [{ metric: { __name__: 'x' }, t: [MIN], v: [2] }],
    });
    expect(instantQuery(db, 'x[5m]', MIN)).toMatchObject({ ok: true, stats: { samples: 2 } });
    expect(instantQuery(db, 'x[5m]', MIN, { maxSamples: 1 })).toMatchObject({ ok: false, error: { kind: 'too_many_samples' } });
    expect(values(instantQuery(db, 'count_over_time(x[1m])', MIN))).toEqual({ '': 1 });
    expect(values(instantQuery(db, 'count_over_time(x[61s])', MIN))).toEqual({ '': 2 });
  });

  it('matches with = != =~ !~, fully anchored, treating a missing label as empty', () => {
    const many = tsdb([
      [{ __name__: 'r', code: '200' }, [1]],
      [{ __name__: 'r', code: '500' }, [2]],
      [{ __name__: 'r', code: '503' }, [3]],
      [{ __name__: 'r' }, [4]],
    ]);
    expect(Object.keys(values(instantQuery(many, 'r{code=~"5.."}', 0)))).toEqual(['__name__=r,code=500', '__name__=r,code=503']);
    expect(Object.keys(values(instantQuery(many, 'r{code=~"5"}', 0)))).toEqual([]);
    expect(Object.keys(values(instantQuery(many, 'r{code!~"5.*"}', 0)))).toEqual(['__name__=r', '__name__=r,code=200']);
    expect(Object.keys(values(instantQuery(many, 'r{code=""}', 0)))).toEqual(['__name__=r']);
    expect(Object.keys(values(instantQuery(many, 'r{code!="200"}', 0)))).toHaveLength(3);
    expect(Object.keys(values(instantQuery(many, '{__name__=~"r|s", code="200"}', 0)))).toEqual(['__name__=r,code=200']);
  });

  it('applies offset (also negative) and @ (also start() and end())', () => {
    const c = tsdb([[{ __name__: 'c' }, counter(10, 11)]]);
    expect(values(instantQuery(c, 'c offset 2m', 5 * MIN))).toEqual({ '__name__=c': 30 });
    expect(values(instantQuery(c, 'c offset -2m', 5 * MIN))).toEqual({ '__name__=c': 70 });
    expect(values(instantQuery(c, 'c @ 120', 10 * MIN))).toEqual({ '__name__=c': 20 });
    const range = rangeQuery(c, 'c @ end() - c @ start()', 2 * MIN, 6 * MIN, MIN);
    expect(range.ok && range.value.resultType === 'matrix' && range.value.result[0]?.v).toEqual([40, 40, 40, 40, 40]);
  });
});

describe('rate, increase and friends', () => {
  it('extrapolates increase() to the window boundaries as Prometheus does', () => {
    // Samples at 1..5 min (0 is outside the window (0, 5m]): 10..50, sampled over 4 min of a 5 min window.
    const db = tsdb([[{ __name__: 'c_total' }, counter(10, 6)]]);
    expect(values(instantQuery(db, 'increase(c_total[5m])', 5 * MIN))).toEqual({ '': 50 });
    expect(values(instantQuery(db, 'rate(c_total[5m])', 5 * MIN))['']).toBeCloseTo(50 / 300, 12);
  });

  it('does not extrapolate a counter below zero and adds the value before each reset', () => {
    const db = tsdb([[{ __name__: 'c_total' }, [0, 5, 10, 2, 7]]]);
    // 7 - 0 + 10 (the reset) = 17; the zero point is the first sample, so no extrapolation before it.
    expect(values(instantQuery(db, 'increase(c_total[5m])', 4 * MIN))).toEqual({ '': 17 });
    expect(values(instantQuery(db, 'resets(c_total[5m])', 4 * MIN))).toEqual({ '': 1 });
    expect(values(instantQuery(db, 'changes(c_total[5m])', 4 * MIN))).toEqual({ '': 4 });
  });

  it('extrapolates only half an interval when the series starts well inside the window', () => {
    // Samples at 8, 9, 10 min only; window (0, 10m]: 2 min sampled, start gap 8 min > 1.1 × 1 min.
    const db = tsdb([[{ __name__: 'g' }, [null, null, null, null, null, null, null, null, 5, 6, 7]]]);
    // delta: 2 over 2 min, extrapolated by 30 s at the start and 0 at the end: 2 × 150/120.
    expect(values(instantQuery(db, 'delta(g[10m])', 10 * MIN))['']).toBeCloseTo(2.5, 12);
  });

  it('computes irate and idelta from the last two samples, and deriv by least squares', () => {
    const db = tsdb([[{ __name__: 'c_total' }, [0, 10, 30, 5]]]);
    expect(values(instantQuery(db, 'irate(c_total[5m])', 3 * MIN))['']).toBeCloseTo(5 / 60, 12);
    expect(values(instantQuery(db, 'idelta(c_total[5m])', 3 * MIN))).toEqual({ '': -25 });
    const line = tsdb([[{ __name__: 'g' }, [1, 3, 5, 7]]]);
    expect(values(instantQuery(line, 'deriv(g[5m])', 3 * MIN))['']).toBeCloseTo(2 / 60, 12);
    expect(values(instantQuery(line, 'predict_linear(g[5m], 60)', 3 * MIN))['']).toBeCloseTo(9, 9);
  });

  it('predicts from the evaluation time, also when the range has an @ modifier', () => {
    const line = tsdb([[{ __name__: 'g' }, [0, 60, 120, 180]]]);
    // slope 1/s; with @ 180 the window is fixed, but "now" is the evaluation time.
    expect(values(instantQuery(line, 'predict_linear(g[5m] @ 180, 0)', 10 * MIN))['']).toBeCloseTo(600, 9);
    expect(values(instantQuery(line, 'predict_linear(g[5m] @ 180, 60)', 5 * MIN))['']).toBeCloseTo(360, 9);
  });

  it('needs two samples for a rate', () => {
    const db = tsdb([[{ __name__: 'c_total' }, [5]]]);
    expect(values(instantQuery(db, 'rate(c_total[5m])', 0))).toEqual({});
  });
});

describe('*_over_time', () => {
  const db = tsdb([[{ __name__: 'g', job: 'a' }, [3, 1, 4, 1, 5, 9, 2, 6]]]);
  const at = 7 * MIN;
  const over = (fn: string, arg = '') => values(instantQuery(db, `${fn}(${arg}g[10m])`, at))['job=a'];

  it('aggregates every sample in the window', () => {
    expect(over('avg_over_time')).toBeCloseTo(31 / 8, 12);
    expect(over('sum_over_time')).toBe(31);
    expect(over('min_over_time')).toBe(1);
    expect(over('max_over_time')).toBe(9);
    expect(over('count_over_time')).toBe(8);
    expect(over('present_over_time')).toBe(1);
    expect(over('quantile_over_time', '0.5, ')).toBe(3.5);
    expect(over('stdvar_over_time')).toBeCloseTo(6.609375, 12);
    expect(over('stddev_over_time')).toBeCloseTo(Math.sqrt(6.609375), 12);
    expect(over('mad_over_time')).toBe(2);
  });

  it('finds window extremes like a scan would: earliest of equals, NaN ignored unless all are NaN', () => {
    const raw = [3, 7, 7, Number.NaN, 2, 9, 9, 1, Number.NaN, Number.NaN, Number.NaN, 4, 4, 8, 0, 5, 5, 6];
    const g = tsdb([[{ __name__: 'g' }, raw]]);
    for (const [fn, pick] of [
      ['max_over_time', (a: number, b: number) => a > b],
      ['min_over_time', (a: number, b: number) => a < b],
    ] as const) {
      const range = rangeQuery(g, `${fn}(g[3m])`, 0, 17 * MIN, MIN);
      const stamps = rangeQuery(g, `ts_of_${fn}(g[3m])`, 0, 17 * MIN, MIN);
      if (!range.ok || range.value.resultType !== 'matrix' || !stamps.ok || stamps.value.resultType !== 'matrix') throw new Error(fn);
      const got = range.value.result[0]?.v ?? [];
      const gotT = stamps.value.result[0]?.v ?? [];
      raw.forEach((_, i) => {
        let best = Math.max(0, i - 2);
        for (let j = best + 1; j <= i; j++) if (pick(raw[j] as number, raw[best] as number) || Number.isNaN(raw[best] as number)) best = j;
        expect(Object.is(got[i], raw[best]) || (Number.isNaN(got[i] as number) && Number.isNaN(raw[best] as number)), `${fn} at ${i}`).toBe(
          true,
        );
        expect(gotT[i], `ts_of_${fn} at ${i}`).toBe((best * MIN) / 1000);
      });
    }
  });

  it('keeps the metric name for last_over_time, and drops it for the other _over_time functions', () => {
    expect(values(instantQuery(db, 'last_over_time(g[10m])', at))).toEqual({ '__name__=g,job=a': 6 });
    expect(Object.keys(values(instantQuery(db, 'max_over_time(g[10m])', at)))).toEqual(['job=a']);
  });

  it('reports absent_over_time with the equality matchers as labels', () => {
    expect(values(instantQuery(db, 'absent_over_time(nothing{job="x", a=~"b"}[5m])', at))).toEqual({ 'job=x': 1 });
    expect(values(instantQuery(db, 'absent_over_time(g[5m])', at))).toEqual({});
  });
});

describe('histogram_quantile', () => {
  const buckets = (counts: Record<string, number>) =>
    tsdb(Object.entries(counts).map(([le, v]) => [{ __name__: 'h_bucket', job: 'a', le }, [v]]));
  const q = (db: Tsdb, phi: string) => values(instantQuery(db, `histogram_quantile(${phi}, h_bucket)`, 0))['job=a'];
  const regular = buckets({ '0.1': 10, '0.5': 20, '1': 30, '+Inf': 40 });

  it('interpolates linearly inside the bucket holding the rank, from 0 in the lowest bucket', () => {
    expect(q(regular, '0.5')).toBeCloseTo(0.5, 12);
    expect(q(regular, '0.25')).toBeCloseTo(0.1, 12);
    expect(q(regular, '0.125')).toBeCloseTo(0.05, 12);
    expect(q(regular, '0.6')).toBeCloseTo(0.5 + 0.5 * 0.4, 12);
  });

  it('returns the second-highest bound when the rank falls into the +Inf bucket', () => {
    expect(q(regular, '0.9')).toBe(1);
  });

  it('returns NaN without a +Inf bucket, and ±Inf for φ outside [0, 1]', () => {
    expect(q(buckets({ '0.1': 10, '1': 20 }), '0.5')).toBeNaN();
    expect(q(regular, '1.5')).toBe(Number.POSITIVE_INFINITY);
    expect(q(regular, '-1')).toBe(Number.NEGATIVE_INFINITY);
    expect(q(regular, 'NaN')).toBeNaN();
  });

  it('makes non-monotonic buckets monotonic and merges equal bounds written differently', () => {
    expect(q(buckets({ '0.1': 10, '0.5': 5, '1': 30, '+Inf': 40 }), '0.25')).toBeCloseTo(0.1, 12);
    expect(q(buckets({ '1': 10, '1.0': 10, '+Inf': 40 }), '0.25')).toBeCloseTo(0.5, 12);
  });

  it('groups by every label but le and drops the metric name', () => {
    expect(Object.keys(values(instantQuery(regular, 'histogram_quantile(0.5, h_bucket)', 0)))).toEqual(['job=a']);
  });
});

describe('aggregations', () => {
  const db = tsdb([
    [{ __name__: 'r', job: 'api', instance: '1' }, [1]],
    [{ __name__: 'r', job: 'api', instance: '2' }, [3]],
    [{ __name__: 'r', job: 'web', instance: '1' }, [10]],
    [{ __name__: 'r', job: 'web', instance: '2' }, [10]],
  ]);
  const agg = (q: string) => values(instantQuery(db, q, 0));

  it('groups with by and without', () => {
    expect(agg('sum by (job) (r)')).toEqual({ 'job=api': 4, 'job=web': 20 });
    expect(agg('sum without (instance) (r)')).toEqual({ 'job=api': 4, 'job=web': 20 });
    expect(agg('sum(r)')).toEqual({ '': 24 });
    expect(agg('avg by (job) (r)')).toEqual({ 'job=api': 2, 'job=web': 10 });
    expect(agg('min by (job) (r)')).toEqual({ 'job=api': 1, 'job=web': 10 });
    expect(agg('max(r) by (job)')).toEqual({ 'job=api': 3, 'job=web': 10 });
    expect(agg('count by (instance) (r)')).toEqual({ 'instance=1': 2, 'instance=2': 2 });
    expect(agg('group by (job) (r)')).toEqual({ 'job=api': 1, 'job=web': 1 });
    expect(agg('stddev by (job) (r)')).toEqual({ 'job=api': 1, 'job=web': 0 });
    expect(agg('stdvar(r)')).toEqual({ '': 16.5 });
    expect(agg('quantile by (job) (0.5, r)')).toEqual({ 'job=api': 2, 'job=web': 10 });
    expect(agg('count_values("value", r)')).toEqual({ 'value=1': 1, 'value=3': 1, 'value=10': 2 });
  });

  it('averages values whose sum would overflow without overflowing, as Prometheus 3', () => {
    const big = tsdb([
      [{ __name__: 'd', i: '1' }, [-9.98e307]],
      [{ __name__: 'd', i: '2' }, [-9.98e307]],
      [{ __name__: 'd', i: '3' }, [9.98e307]],
      [{ __name__: 'd', i: '4' }, [9.98e307]],
    ]);
    expect(values(instantQuery(big, 'avg(d)', 0))).toEqual({ '': 0 });
    const inf = tsdb([
      [{ __name__: 'd', i: '1' }, [Number.POSITIVE_INFINITY]],
      [{ __name__: 'd', i: '2' }, [1]],
    ]);
    expect(values(instantQuery(inf, 'avg(d)', 0))).toEqual({ '': Number.POSITIVE_INFINITY });
    const series = tsdb([[{ __name__: 'd' }, [9.98e307, 9.98e307, -9.98e307, -9.98e307]]]);
    expect(values(instantQuery(series, 'avg_over_time(d[5m])', 3 * MIN))).toEqual({ '': 0 });
  });

  it('keeps topk/bottomk order and the selected series labels', () => {
    const top = vector(instantQuery(db, 'topk(3, r)', 0));
    expect(top.map((s) => s.v)).toEqual([10, 10, 3]);
    expect(top[2]?.metric).toEqual({ __name__: 'r', job: 'api', instance: '2' });
    expect(vector(instantQuery(db, 'bottomk by (job) (1, r)', 0)).map((s) => s.v)).toEqual([1, 10]);
    expect(vector(instantQuery(db, 'topk(0, r)', 0))).toEqual([]);
  });

  it('keeps the first k series of each group with limitk, and reports limit_ratio as unsupported', () => {
    expect(Object.keys(values(instantQuery(db, 'limitk by (job) (1, r)', 0)))).toEqual([
      '__name__=r,instance=1,job=api',
      '__name__=r,instance=1,job=web',
    ]);
    const result = instantQuery(db, 'limit_ratio(0.5, r)', 0);
    expect(result.ok === false && result.error.kind).toBe('unsupported');
  });
});

describe('binary operators', () => {
  const db = tsdb([
    [{ __name__: 'errors', job: 'api', code: '500' }, [2]],
    [{ __name__: 'errors', job: 'api', code: '503' }, [3]],
    [{ __name__: 'requests', job: 'api' }, [100]],
    [{ __name__: 'requests', job: 'web' }, [50]],
    [{ __name__: 'info', job: 'api', team: 'checkout' }, [1]],
  ]);
  const op = (q: string) => values(instantQuery(db, q, 0));

  it('does arithmetic between scalars with precedence and Go semantics', () => {
    expect(scalar(instantQuery(db, '2 * 3 ^ 2', 0))).toBe(18);
    expect(scalar(instantQuery(db, '2 ^ 3 ^ 2', 0))).toBe(512);
    expect(scalar(instantQuery(db, '-2 ^ 2', 0))).toBe(-4);
    expect(scalar(instantQuery(db, '7 % -3', 0))).toBe(1);
    expect(scalar(instantQuery(db, '1 ^ NaN', 0))).toBe(1);
    expect(scalar(instantQuery(db, '1 / 0', 0))).toBe(Number.POSITIVE_INFINITY);
    expect(scalar(instantQuery(db, '3 > bool 2', 0))).toBe(1);
    expect(scalar(instantQuery(db, '1 atan2 1', 0))).toBeCloseTo(Math.PI / 4, 12);
  });

  it('matches one-to-one on all labels but the name, or on/ignoring some', () => {
    expect(op('sum by (job) (errors) / requests')).toEqual({ 'job=api': 0.05 });
    expect(op('errors / ignoring(code) group_left requests')).toEqual({ 'code=500,job=api': 0.02, 'code=503,job=api': 0.03 });
    expect(op('errors * on(job) group_left(team) info')).toEqual({
      'code=500,job=api,team=checkout': 2,
      'code=503,job=api,team=checkout': 3,
    });
    expect(op('requests / on(job) group_right sum by (job) (errors)')).toEqual({ 'job=api': 20 });
  });

  it('filters with comparisons unless bool is given, keeping the name only when filtering', () => {
    expect(op('requests > 60')).toEqual({ '__name__=requests,job=api': 100 });
    expect(op('requests > bool 60')).toEqual({ 'job=api': 1, 'job=web': 0 });
    expect(op('60 < requests')).toEqual({ '__name__=requests,job=api': 100 });
    expect(op('requests == requests')).toEqual({ '__name__=requests,job=api': 100, '__name__=requests,job=web': 50 });
  });

  it('implements and, or, unless by label-set matching', () => {
    expect(Object.keys(op('requests and on(job) errors'))).toEqual(['__name__=requests,job=api']);
    expect(Object.keys(op('requests unless on(job) errors'))).toEqual(['__name__=requests,job=web']);
    expect(Object.keys(op('requests{job="api"} or on(job) requests'))).toEqual(['__name__=requests,job=api', '__name__=requests,job=web']);
  });

  it('fails like Prometheus when matching is many-to-many or not explicit', () => {
    const manyToMany = instantQuery(db, 'requests / on(job) errors', 0);
    expect(manyToMany).toMatchObject({
      ok: false,
      error: {
        kind: 'execution',
        message: expect.stringMatching(
          /^found duplicate series for the match group \{job="api"\} on the right hand-side of the operation: \[\{__name__="errors", code="503", job="api"\}, \{__name__="errors", code="500", job="api"\}\];many-to-many matching not allowed: matching labels must be unique on one side$/,
        ),
      },
    });
    const implicit = instantQuery(db, 'errors / on(job) requests', 0);
    expect(implicit).toMatchObject({
      ok: false,
      error: { message: 'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)' },
    });
  });

  it('drops the metric name in arithmetic and reports series that collide afterwards', () => {
    const collide = tsdb([
      [{ __name__: 'a', job: 'x' }, [1]],
      [{ __name__: 'b', job: 'x' }, [2]],
    ]);
    expect(instantQuery(collide, '{job="x"} * 2', 0)).toMatchObject({
      ok: false,
      error: { kind: 'execution', message: 'vector cannot contain metrics with the same labelset' },
    });
  });
});

describe('functions on instant vectors', () => {
  const db = tsdb([
    [{ __name__: 'g', instance: 'node1:9100', job: 'node' }, [-2.5]],
    [{ __name__: 'g', instance: 'node2:9100', job: 'node' }, [1.25]],
  ]);
  const f = (q: string, t = 0) => values(instantQuery(db, q, t));

  it('applies math functions and drops the name', () => {
    expect(f('abs(g)')).toEqual({ 'instance=node1:9100,job=node': 2.5, 'instance=node2:9100,job=node': 1.25 });
    expect(Object.values(f('ceil(g)'))).toEqual([-2, 2]);
    expect(Object.values(f('floor(g)'))).toEqual([-3, 1]);
    expect(Object.values(f('round(g)'))).toEqual([-2, 1]);
    expect(Object.values(f('round(g, 0.5)'))).toEqual([-2.5, 1.5]);
    expect(Object.values(f('clamp(g, -1, 1)'))).toEqual([-1, 1]);
    expect(Object.values(f('clamp(g, 1, -1)'))).toEqual([]);
    expect(Object.values(f('clamp_min(g, 0)'))).toEqual([0, 1.25]);
    expect(Object.values(f('clamp_max(g, 0)'))).toEqual([-2.5, 0]);
    expect(Object.values(f('sgn(g)'))).toEqual([-1, 1]);
    expect(Object.values(f('sqrt(g)'))[0]).toBeNaN();
    expect(Object.values(f('exp(ln(abs(g)))'))[1]).toBeCloseTo(1.25, 12);
    expect(Object.values(f('deg(pi() * abs(g) / abs(g))'))).toEqual([180, 180]);
  });

  it('rewrites labels with label_replace (anchored regex, $1 groups) and label_join', () => {
    expect(Object.keys(f('label_replace(g, "host", "$1", "instance", "(.*):.*")'))).toEqual([
      '__name__=g,host=node1,instance=node1:9100,job=node',
      '__name__=g,host=node2,instance=node2:9100,job=node',
    ]);
    expect(Object.keys(f('label_replace(g, "host", "$1", "instance", "node")'))).toHaveLength(2);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: ${1} is label_replace's group reference, not a JS template.
    expect(Object.keys(f('label_replace(g, "host", "${1}x", "instance", "(node1).*")'))[0]).toContain('host=node1x');
    expect(Object.keys(f('label_join(g, "both", "/", "job", "instance")'))[0]).toContain('both=node/node1:9100');
    expect(Object.keys(f('label_join(g, "job", ", ")'))).toEqual(['__name__=g,instance=node1:9100', '__name__=g,instance=node2:9100']);
    expect(instantQuery(db, 'label_replace(g, "a-b", "x", "job", ".*")', 0)).toMatchObject({ ok: false, error: { kind: 'bad_data' } });
  });

  it('gives time, timestamp, vector, scalar and the date functions in UTC', () => {
    const t = Date.UTC(2024, 1, 29, 13, 45, 0);
    expect(scalar(instantQuery(db, 'time()', t))).toBe(t / 1000);
    expect(scalar(instantQuery(db, 'scalar(g)', 0))).toBeNaN();
    expect(scalar(instantQuery(db, 'scalar(g{instance="node2:9100"})', 0))).toBe(1.25);
    expect(f('vector(3)')).toEqual({ '': 3 });
    expect(f('timestamp(g{instance="node2:9100"})', 90_000)).toEqual({ 'instance=node2:9100,job=node': 0 });
    expect(f('year()', t)).toEqual({ '': 2024 });
    expect(f('month()', t)).toEqual({ '': 2 });
    expect(f('day_of_month()', t)).toEqual({ '': 29 });
    expect(f('days_in_month()', t)).toEqual({ '': 29 });
    expect(f('day_of_week()', t)).toEqual({ '': 4 });
    expect(f('day_of_year()', t)).toEqual({ '': 60 });
    expect(f('hour()', t)).toEqual({ '': 13 });
    expect(f('minute()', t)).toEqual({ '': 45 });
  });

  it('reports absent() with the labels of its equality matchers', () => {
    expect(f('absent(nope{job="x", instance=~"y"})')).toEqual({ 'job=x': 1 });
    expect(f('absent(g)')).toEqual({});
  });

  it('sorts by value or by label when asked', () => {
    expect(vector(instantQuery(db, 'sort_desc(g)', 0)).map((s) => s.v)).toEqual([1.25, -2.5]);
    expect(vector(instantQuery(db, 'sort(g)', 0)).map((s) => s.v)).toEqual([-2.5, 1.25]);
    expect(vector(instantQuery(db, 'sort_by_label_desc(g, "instance")', 0)).map((s) => s.v)).toEqual([1.25, -2.5]);
  });
});

describe('subqueries and range queries', () => {
  const db = tsdb([[{ __name__: 'c_total' }, counter(60, 61)]]);

  it('evaluates a subquery at multiples of its step, by default 1 m for an instant query', () => {
    expect(values(instantQuery(db, 'count_over_time(c_total[10m:])', 30 * MIN))).toEqual({ '': 10 });
    expect(values(instantQuery(db, 'count_over_time(c_total[10m:2m])', 30 * MIN))).toEqual({ '': 5 });
    expect(values(instantQuery(db, 'max_over_time(rate(c_total[5m])[30m:5m])', 30 * MIN))['']).toBeCloseTo(1, 12);
  });

  it('gives at every step of a range query exactly what an instant query gives at that time', () => {
    const mixed = tsdb([
      [{ __name__: 'c_total', code: '200' }, counter(60, 61)],
      [{ __name__: 'c_total', code: '500' }, [0, 1, 1, 3, 0, 2, null, null, 5, 6, 7, 7, 7, 9, 0, 1]],
      [{ __name__: 'g', code: '200' }, [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9]],
    ]);
    const queries = [
      'sum by (code) (rate(c_total[5m]))',
      'increase(c_total[3m]) / ignoring(code) group_left sum(increase(c_total[3m]))',
      'max_over_time(g[4m]) - min_over_time(g[4m])',
      'avg_over_time(g[7m:2m])',
      'topk(1, g) or c_total',
      'c_total offset 3m > bool 4',
      'resets(c_total[10m]) + changes(g[10m])',
      'histogram_quantile(0.5, label_replace(c_total, "le", "+Inf", "", ""))',
    ];
    for (const query of queries) {
      const range = rangeQuery(mixed, query, 0, 20 * MIN, 30_000);
      if (!range.ok || range.value.resultType !== 'matrix') throw new Error(`${query}: ${JSON.stringify(range)}`);
      for (let t = 0; t <= 20 * MIN; t += 30_000) {
        const instant = vector(instantQuery(mixed, query, t))
          .map((s) => ({ metric: s.metric, v: s.v }))
          .sort((a, b) => JSON.stringify(a.metric).localeCompare(JSON.stringify(b.metric)));
        const fromRange = range.value.result
          .filter((s) => s.t.includes(t))
          .map((s) => ({ metric: s.metric, v: s.v[s.t.indexOf(t)] as number }))
          .sort((a, b) => JSON.stringify(a.metric).localeCompare(JSON.stringify(b.metric)));
        expect(fromRange, `${query} at ${t}`).toEqual(instant);
      }
    }
  });

  it('sums a range function by folding it series by series, with the same values as summing it whole', () => {
    const mixed = tsdb([
      [{ __name__: 'c_total', code: '200', job: 'a' }, counter(60, 40)],
      [{ __name__: 'c_total', code: '500', job: 'a' }, [0, 1, 1, 3, 0, 2, null, null, 5, 6, 7, 7, 7, 9, 0, 1]],
      [{ __name__: 'c_total', code: '200', job: 'b' }, counter(0.1, 40)],
    ]);
    for (const [fused, whole] of [
      ['sum by (job) (rate(c_total[5m]))', 'sum by (job) (rate(c_total[5m]) * 1)'],
      ['count without (code) (increase(c_total[3m]))', 'count without (code) (increase(c_total[3m]) * 1)'],
      ['sum(delta(c_total[10m]))', 'sum(delta(c_total[10m]) * 1)'],
    ]) {
      const a = rangeQuery(mixed, fused as string, 0, 40 * MIN, 45_000);
      const b = rangeQuery(mixed, whole as string, 0, 40 * MIN, 45_000);
      expect(a.ok && a.value, fused).toEqual(b.ok && b.value);
      expect(a.ok && a.value.resultType === 'matrix' && a.value.result.length).toBeGreaterThan(0);
    }
    const collide = tsdb([
      [{ __name__: 'a_total', job: 'x' }, counter(1, 10)],
      [{ __name__: 'b_total', job: 'x' }, counter(2, 10)],
    ]);
    expect(instantQuery(collide, 'sum(rate({job="x"}[5m]))', 9 * MIN)).toMatchObject({
      ok: false,
      error: { message: 'vector cannot contain metrics with the same labelset' },
    });
  });

  it('gives the same rates for series sharing one timestamp array as for series with their own', () => {
    const t = Float64Array.from({ length: 200 }, (_, i) => i * 15_000 + (i % 3) * 1000);
    const a = Float64Array.from({ length: 200 }, (_, i) => (i % 70) * 3);
    const b = Float64Array.from({ length: 200 }, (_, i) => i * i);
    const shared = new Tsdb();
    shared.load({ __name__: 'c_total', s: 'a' }, t, a);
    shared.load({ __name__: 'c_total', s: 'b' }, t, b);
    const separate = new Tsdb();
    separate.load({ __name__: 'c_total', s: 'a' }, t.slice(), a);
    separate.load({ __name__: 'c_total', s: 'b' }, t.slice(), b);
    for (const query of [
      'rate(c_total[2m])',
      'increase(c_total[5m] offset 1m)',
      'sum(delta(c_total[90s]))',
      'rate(c_total[2m]) - rate(c_total[3m])',
    ]) {
      const x = rangeQuery(shared, query, 0, 50 * MIN, 20_000);
      expect(x.ok && x.value.resultType === 'matrix' && x.value.result.length, query).toBeGreaterThan(0);
      expect(x, query).toEqual(rangeQuery(separate, query, 0, 50 * MIN, 20_000));
    }
  });

  it('returns scalars of a range query as one series without labels', () => {
    const result = rangeQuery(db, '1 + 1', 0, 2 * MIN, MIN);
    expect(result.ok && result.value).toEqual({
      resultType: 'matrix',
      result: [{ metric: {}, t: [0, MIN, 2 * MIN], v: [2, 2, 2] }],
    });
  });
});

describe('bounds and bad input', () => {
  const db = tsdb([[{ __name__: 'c_total' }, counter(1, 1000)]], 1000);

  it('stops a query that would hold more samples than maxSamples', () => {
    expect(instantQuery(db, 'sum_over_time(c_total[10m])', 999_000, { maxSamples: 100 })).toMatchObject({
      ok: false,
      error: { kind: 'too_many_samples', message: 'query processing would load too many samples into memory in query execution' },
    });
    expect(instantQuery(db, 'sum_over_time(c_total[10m])', 999_000, { maxSamples: 1000 }).ok).toBe(true);
  });

  it('bounds the samples held at once, as Prometheus does, not the samples touched in total', () => {
    const wide = tsdb(Array.from({ length: 10 }, (_, i): [Labels, number[]] => [{ __name__: 'w', i: String(i) }, [i]]));
    // Each sum releases its 10 inputs before the next is evaluated: at most 10 + 1 held.
    expect(instantQuery(wide, 'sum(w) + sum(w) + sum(w)', 0, { maxSamples: 12 }).ok).toBe(true);
    // Both operands (20 samples) are held while they are matched.
    expect(instantQuery(wide, 'w + w', 0, { maxSamples: 12 })).toMatchObject({ ok: false, error: { kind: 'too_many_samples' } });
  });

  it('stops a query past its deadline', () => {
    let clock = 0;
    const result = rangeQuery(db, 'sum_over_time(sum_over_time(c_total[5m:1s])[5m:1s])', 0, 999_000, 1000, {
      timeoutMs: 3,
      now: () => (clock += 1),
    });
    expect(result).toMatchObject({ ok: false, error: { kind: 'timeout' } });
  });

  it('refuses range queries of more than 11,000 points per series, and bad steps', () => {
    expect(rangeQuery(db, 'c_total', 0, 11_000_000, 1000)).toMatchObject({
      ok: false,
      error: { kind: 'bad_data', message: expect.stringMatching(/^exceeded maximum resolution of 11,000 points per timeseries/) },
    });
    expect(rangeQuery(db, 'c_total', 0, 1000, 0)).toMatchObject({ ok: false, error: { kind: 'bad_data' } });
    expect(rangeQuery(db, 'c_total', 1000, 0, 1)).toMatchObject({ ok: false, error: { kind: 'bad_data' } });
    expect(rangeQuery(db, 'c_total[5m]', 0, 1000, 1)).toMatchObject({
      ok: false,
      error: { message: 'invalid expression type "range vector" for range query, must be Scalar or instant Vector' },
    });
  });

  it('answers bad queries with an error, never by throwing', () => {
    for (const query of ['', ')', 'sum(', 'rate(c_total[5m]', '{a=~"("}', 'histogram_sum(c_total)', '"\\', 'x[0s]']) {
      const result = instantQuery(db, query, 0);
      expect(result.ok, query).toBe(false);
    }
    expect(instantQuery(db, 'c_total', Number.NaN)).toMatchObject({ ok: false, error: { kind: 'bad_data' } });
  });
});
