// Every panel of every dashboard, evaluated as range queries on a simulated cluster: each query
// parses, returns data, and its values are sensible (within the panel's bounds, quantiles ordered,
// a legend per series). The scenario is small (3 nodes × 2 shards, a thin slice per window) but
// runs 8 days, so `offset 1w` has data, and exercises every feature a panel reads: unprepared,
// filtering and reversed reads, a nightly unpaged scan, tombstones, writes that flush and compact.
import { beforeAll, describe, expect, it } from 'vitest';
import { simulateCluster } from '../runtime/cluster/simulator.ts';
import { rangeQuery, type Tsdb } from '../runtime/promql/index.ts';
import { DASHBOARDS, DashboardSchema, expandPanelQuery, formatLegend, type Panel, PanelSchema, rateInterval } from './dashboards.ts';

const START = Date.UTC(2026, 0, 5);
const DAY = 86_400_000;
const END = START + 8 * DAY;

let db: Tsdb;

beforeAll(() => {
  const result = simulateCluster({
    seed: 7,
    startMs: START,
    durationMs: 8 * DAY,
    requestsPerWindow: 16,
    topology: { nodes: 3, shardsPerNode: 2, replicationFactor: 3 },
    workload: {
      ratePerSecond: 4_000,
      readFraction: 0.7,
      partitions: 50_000,
      popularity: { type: 'zipf', s: 1 },
      preparedFraction: 0.8,
      reverseFraction: 0.05,
      filteringFraction: 0.02,
      filteredRows: 50,
      batch: { startHour: 2, durationMinutes: 30, ratePerSecond: 50, kind: 'scan', rows: 500, paged: false },
    },
    storage: { tombstonePartitions: 0.1, tombstonesPerRow: 3, memtableMBPerShard: 1 },
  });
  if (!result.ok) throw new Error(result.error);
  db = result.db;
}, 120_000);

interface Evaluated {
  legend: string;
  t: number[];
  v: number[];
}

function evaluate(panel: Panel, start: number, end: number, step: number): Evaluated[][] {
  return panel.queries.map((query) => {
    const result = rangeQuery(db, expandPanelQuery(query.expr, step), start, end, step);
    if (!result.ok) throw new Error(`${panel.id}: ${query.expr}: ${result.error.message}`);
    if (result.value.resultType !== 'matrix') throw new Error(`${panel.id}: not a matrix`);
    return result.value.result.map((s) => ({ legend: formatLegend(query.legend, s.metric), t: s.t, v: s.v }));
  });
}

function checkPanel(panel: Panel, start: number, end: number, step: number): void {
  const results = evaluate(panel, start, end, step);
  const points = Math.floor((end - start) / step) + 1;
  for (const [q, series] of results.entries()) {
    const where = `${panel.id} query ${q}`;
    expect(series.length, `${where} returns series`).toBeGreaterThan(0);
    // One legend per series, so the renderer's legend and table tell them apart.
    expect(new Set(series.map((s) => s.legend)).size, `${where} legends are distinct`).toBe(series.length);
    for (const s of series) {
      expect(s.t.length, `${where} ${s.legend} has most points`).toBeGreaterThan(points * 0.9);
      const finite = s.v.filter(Number.isFinite);
      // A summary over a window with no observations is NaN (as in Prometheus); with 16 requests a
      // window a node now and then coordinates no read. Never infinite, and rarely NaN.
      expect(
        s.v.some((v) => v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY),
        `${where} ${s.legend} is finite`,
      ).toBe(false);
      expect(finite.length, `${where} ${s.legend} values are numbers`).toBeGreaterThanOrEqual(s.v.length * 0.95);
      expect(Math.min(...finite), `${where} ${s.legend} ≥ min`).toBeGreaterThanOrEqual(panel.bounds.min - 1e-9);
      if (panel.bounds.max !== undefined)
        expect(Math.max(...finite), `${where} ${s.legend} ≤ max`).toBeLessThanOrEqual(panel.bounds.max + 1e-9);
    }
  }
  for (const [low, high] of panel.ordered) {
    const lower = results[low]?.[0] as Evaluated;
    const higher = results[high]?.[0] as Evaluated;
    const at = new Map(higher.t.map((t, i) => [t, higher.v[i] as number]));
    let compared = 0;
    for (const [i, t] of lower.t.entries()) {
      const other = at.get(t);
      if (other === undefined) continue;
      compared++;
      expect(lower.v[i] as number, `${panel.id}: ${lower.legend} ≤ ${higher.legend} at ${new Date(t).toISOString()}`).toBeLessThanOrEqual(
        other + 1e-9,
      );
    }
    expect(compared).toBeGreaterThan(0);
  }
}

describe('dashboards on a simulated cluster', () => {
  for (const dashboard of DASHBOARDS) {
    for (const panel of dashboard.panels) {
      it(`${dashboard.id}/${panel.id}: last day at 5 min steps`, () => checkPanel(panel, END - DAY, END, 300_000));
      if (dashboard.id !== 'history')
        it(`${dashboard.id}/${panel.id}: a 1-hour focus window at 15 s steps`, () =>
          checkPanel(panel, END - 3 * 3_600_000, END - 2 * 3_600_000, 15_000));
    }
  }

  it('has the five dashboards of the Monitoring Stack views', () => {
    expect(DASHBOARDS.map((d) => d.id)).toEqual(['overview', 'detailed', 'cql', 'storage', 'history']);
    expect(DASHBOARDS.flatMap((d) => d.panels).some((p) => p.type === 'heatmap')).toBe(true);
    expect(DASHBOARDS.find((d) => d.id === 'history')?.panels.every((p) => p.queries.some((q) => /offset 1w/.test(q.expr)))).toBe(true);
  });

  it('shows the nightly unpaged scan at 02:00 and not at noon', () => {
    const panel = DASHBOARDS.find((d) => d.id === 'cql')?.panels.find((p) => p.id === 'unpaged') as Panel;
    const total = (t: number) => (evaluate(panel, t, t, 15_000)[0] ?? []).reduce((sum, s) => sum + (s.v[0] ?? 0), 0);
    const night = START + 7 * DAY + 2.25 * 3_600_000;
    expect(total(night)).toBeGreaterThan(0);
    expect(total(night + 10 * 3_600_000)).toBe(0);
  });

  it('sees the simulated hit ratio, cache misses, compactions and tombstones', () => {
    const storage = DASHBOARDS.find((d) => d.id === 'storage') as (typeof DASHBOARDS)[number];
    const last = (id: string) => {
      const panel = storage.panels.find((p) => p.id === id) as Panel;
      return (evaluate(panel, END - DAY, END, 300_000)[0] ?? []).flatMap((s) => s.v);
    };
    expect(Math.max(...last('tombstones'))).toBeGreaterThan(0);
    expect(Math.max(...last('flushes'))).toBeGreaterThan(0);
    expect(Math.max(...last('cache-misses-shard'))).toBeGreaterThan(0);
    const ratios = last('cache-hit-ratio');
    expect(Math.min(...ratios)).toBeLessThan(1);
  });
});

describe('dashboard schema and helpers', () => {
  const panel = { id: 'p', title: 'P', description: 'd', type: 'timeseries', unit: 'ms', queries: [{ expr: 'up', legend: 'x' }] };

  it('expands $__rate_interval as Grafana does', () => {
    expect(rateInterval(15_000)).toBe('60s');
    expect(rateInterval(300_000)).toBe('315s');
    expect(expandPanelQuery('rate(a[$__rate_interval]) + rate(b[$__rate_interval])', 60_000)).toBe('rate(a[75s]) + rate(b[75s])');
  });

  it('formats legends from labels', () => {
    expect(formatLegend('{{instance}} shard {{ shard }}', { instance: '10.0.0.1', shard: '3' })).toBe('10.0.0.1 shard 3');
    expect(formatLegend('{{missing}}!', {})).toBe('!');
  });

  it('refuses a heat map with two queries, an unknown ordered query and a duplicate panel id', () => {
    expect(PanelSchema.safeParse({ ...panel, type: 'heatmap', queries: [panel.queries[0], panel.queries[0]] }).success).toBe(false);
    expect(PanelSchema.safeParse({ ...panel, ordered: [[0, 1]] }).success).toBe(false);
    expect(PanelSchema.safeParse({ ...panel, type: 'gauge' }).success).toBe(false);
    const dup = DashboardSchema.safeParse({ id: 'd', title: 'D', description: 'x', panels: [panel, panel] });
    expect(dup.success).toBe(false);
    if (!dup.success) expect(dup.error.issues[0]?.message).toMatch(/used twice/);
    expect(PanelSchema.safeParse(panel).success).toBe(true);
  });
});
