import { describe, expect, it } from 'vitest';
import { isStaleMarker, STALE_NAN, Tsdb } from './tsdb.ts';

describe('Tsdb', () => {
  it('gives one id per label set, whatever the order of the labels, and ignores empty values', () => {
    const db = new Tsdb();
    const a = db.seriesId({ __name__: 'up', job: 'api', instance: '1' });
    const b = db.seriesId({ instance: '1', job: 'api', __name__: 'up', zone: '' });
    const c = db.seriesId({ __name__: 'up', job: 'api', instance: '2' });
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(db.seriesCount).toBe(2);
  });

  it('appends samples and rejects timestamps that do not increase or are not whole milliseconds', () => {
    const db = new Tsdb();
    const id = db.seriesId({ __name__: 'x' });
    db.append(id, 1000, 1);
    db.append(id, 2000, 2);
    expect(() => db.append(id, 2000, 3)).toThrow(/out of order/);
    expect(() => db.append(id, 1500, 3)).toThrow(/out of order/);
    expect(() => db.append(id, 2500.5, 3)).toThrow(/integer/);
    expect(() => db.append(99, 3000, 1)).toThrow(/unknown series/);
    expect(db.sampleCount).toBe(2);
  });

  it('grows its buffers past their initial capacity without losing samples', () => {
    const db = new Tsdb();
    const id = db.seriesId({ __name__: 'x' });
    for (let i = 0; i < 1000; i++) db.append(id, i * 15_000, i);
    const stored = db.series[id];
    expect(stored?.n).toBe(1000);
    expect(stored?.v[999]).toBe(999);
    expect(stored?.t[500]).toBe(500 * 15_000);
  });

  it('adopts loaded arrays (shared timestamps) and copies them before appending to one series', () => {
    const db = new Tsdb();
    const t = Float64Array.of(0, 15_000, 30_000);
    const a = db.load({ __name__: 'a' }, t, Float64Array.of(1, 2, 3));
    const b = db.load({ __name__: 'b' }, t, Float64Array.of(4, 5, 6));
    expect(db.series[a]?.t).toBe(t);
    expect(db.series[b]?.t).toBe(t);
    db.append(a, 45_000, 4);
    expect(t.length).toBe(3);
    expect(db.series[b]?.n).toBe(3);
    expect(db.series[a]?.n).toBe(4);
    expect(db.sampleCount).toBe(7);
  });

  it('refuses to load unsorted timestamps or arrays of different lengths', () => {
    const db = new Tsdb();
    expect(() => db.load({ __name__: 'a' }, Float64Array.of(0, 0), Float64Array.of(1, 2))).toThrow(/increasing/);
    expect(() => db.load({ __name__: 'a' }, Float64Array.of(0, 1), Float64Array.of(1))).toThrow(/length/);
  });

  it('loads many series over one shared timestamp array as load() does, checking the timestamps once', () => {
    const t = Float64Array.of(0, 15_000, 30_000);
    const series = [
      { labels: { __name__: 'a', instance: '1' }, values: Float64Array.of(1, 2, 3) },
      { labels: { __name__: 'a', instance: '2' }, values: Float64Array.of(4, STALE_NAN, 6) },
    ];
    const shared = new Tsdb();
    const ids = shared.loadShared(t, series);
    const single = new Tsdb();
    for (const { labels, values } of series) single.load(labels, t, values);
    expect(ids).toEqual([0, 1]);
    expect(shared.sampleCount).toBe(single.sampleCount);
    expect(shared.seriesLabels()).toEqual(single.seriesLabels());
    expect(shared.postings('instance', '2')).toEqual(single.postings('instance', '2'));
    for (const id of ids) {
      expect(shared.series[id]?.t).toBe(t);
      expect(shared.series[id]?.v).toBe(series[id]?.values);
      expect(shared.series[id]?.staleAt).toEqual(single.series[id]?.staleAt);
    }
    expect(shared.series[1]?.staleAt).toEqual([1]);
  });

  it('refuses a shared load with bad timestamps or a series of another length, and adds nothing then', () => {
    const db = new Tsdb();
    const values = Float64Array.of(1, 2);
    expect(() => db.loadShared(Float64Array.of(0, 0), [{ labels: { __name__: 'a' }, values }])).toThrow(/increasing/);
    expect(() => db.loadShared(Float64Array.of(0, 0.5), [{ labels: { __name__: 'a' }, values }])).toThrow(/integer/);
    expect(() =>
      db.loadShared(Float64Array.of(0, 1), [
        { labels: { __name__: 'a' }, values },
        { labels: { __name__: 'b' }, values: Float64Array.of(1) },
      ]),
    ).toThrow(/length/);
    expect(db.seriesCount).toBe(0);
  });

  it('lists label names and values sorted, for completion, and forgets everything on clear', () => {
    const db = new Tsdb();
    db.seriesId({ __name__: 'http_requests_total', route: '/b', code: '200' });
    db.seriesId({ __name__: 'http_requests_total', route: '/a', code: '500' });
    expect(db.labelNames()).toEqual(['__name__', 'code', 'route']);
    expect(db.labelValues('route')).toEqual(['/a', '/b']);
    expect(db.labelValues('missing')).toEqual([]);
    expect(db.seriesLabels()).toHaveLength(2);
    db.clear();
    expect(db.seriesCount).toBe(0);
    expect(db.labelNames()).toEqual([]);
  });

  it('records staleness markers by their bit pattern, not every NaN', () => {
    expect(isStaleMarker(STALE_NAN)).toBe(true);
    expect(isStaleMarker(Number.NaN)).toBe(false);
    expect(isStaleMarker(0)).toBe(false);
    const db = new Tsdb();
    const id = db.seriesId({ __name__: 'x' });
    db.append(id, 0, Number.NaN);
    db.append(id, 1000, STALE_NAN);
    expect(db.series[id]?.staleAt).toEqual([1]);
    const loaded = db.load({ __name__: 'y' }, Float64Array.of(0, 1), Float64Array.of(STALE_NAN, 1));
    expect(db.series[loaded]?.staleAt).toEqual([0]);
  });
});
