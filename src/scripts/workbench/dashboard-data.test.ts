// The dashboard renderer's data side through its source interface: panels loaded from a simulated
// cluster (the PromQL engine on the simulator's Tsdb stands for the worker), legends, a failing
// query beside a working one, the heat map's grid, scale and colours, and the words that describe
// a panel to a screen reader.
import { beforeAll, describe, expect, it } from 'vitest';
import { findDashboard, type Panel, PanelSchema } from '../../../labs/database-observability/dashboards.ts';
import { simulateCluster } from '../../../labs/runtime/cluster/simulator.ts';
import { encodeSample } from '../../../labs/runtime/lab/outcome.ts';
import { rangeQuery, type Tsdb } from '../../../labs/runtime/promql/index.ts';
import {
  alignSeries,
  type DashboardSource,
  formatTick,
  formatValue,
  heatColour,
  heatScale,
  loadPanel,
  panelStep,
  summarisePanel,
  timeRanges,
} from './dashboard-data.ts';

const START = Date.UTC(2026, 0, 5);
const HOUR = 3_600_000;
let db: Tsdb;
const asked: string[] = [];

const source: DashboardSource = {
  async rangeQuery(query, start, end, step) {
    asked.push(query);
    const result = rangeQuery(db, query, start, end, step);
    if (!result.ok) return { ok: true, value: { ok: false, error: { kind: result.error.kind, message: result.error.message } } };
    if (result.value.resultType !== 'matrix') return { ok: false, message: 'not a matrix' };
    const series = result.value.result.map((s) => ({ metric: { ...s.metric }, t: [...s.t], v: s.v.map(encodeSample) }));
    return {
      ok: true,
      value: { ok: true, value: { resultType: 'matrix', result: series }, seriesCount: series.length, truncated: false, samples: 0 },
    };
  },
};

const panel = (dashboard: string, id: string) => findDashboard(dashboard)?.panels.find((p) => p.id === id) as Panel;

beforeAll(() => {
  // A hot partition: Zipf popularity makes the shard owning the hottest keys the busiest.
  const result = simulateCluster({
    seed: 3,
    startMs: START,
    durationMs: 2 * HOUR,
    requestsPerWindow: 64,
    topology: { nodes: 3, shardsPerNode: 4, replicationFactor: 3 },
    workload: { ratePerSecond: 20_000, partitions: 10_000, popularity: { type: 'zipf', s: 1.3 } },
  });
  if (!result.ok) throw new Error(result.error);
  db = result.db;
});

describe('dashboard data', () => {
  it('offers the focus window first, then the last day and the whole run', () => {
    const ranges = timeRanges({ start: START, end: START + 3 * 86_400_000 }, { start: START + HOUR, end: START + 2 * HOUR });
    expect(ranges.map((r) => r.id)).toEqual(['focus', 'day', 'run']);
    expect(ranges[1]).toMatchObject({ start: START + 2 * 86_400_000 });
    // A run of a day or less: "last 24 hours" would be the whole run again.
    expect(
      timeRanges({ start: START, end: START + 6 * HOUR }, { start: START + 5 * HOUR, end: START + 6 * HOUR }).map((r) => r.id),
    ).toEqual(['focus', 'run']);
  });

  it('steps in whole scrapes, about 240 points a range', () => {
    expect(panelStep(HOUR)).toBe(15_000);
    expect(panelStep(7 * 86_400_000) % 15_000).toBe(0);
    expect((7 * 86_400_000) / panelStep(7 * 86_400_000)).toBeLessThanOrEqual(240);
  });

  it('loads a heat map of every shard, named by the legend, and finds the hottest shard in its summary', async () => {
    const heat = panel('detailed', 'reactor-heatmap');
    const data = await loadPanel(source, heat, { start: START + HOUR, end: START + 2 * HOUR });
    expect(data.errors).toEqual([]);
    expect(data.series).toHaveLength(12);
    expect(data.series[0]?.legend).toMatch(/^10\.0\.0\.\d shard \d$/);
    const { times, rows } = alignSeries(data);
    expect(times).toHaveLength(241);
    expect(rows.every((row) => row.length === times.length)).toBe(true);
    const peaks = rows.map((row) => Math.max(...row.map((v) => v ?? 0)));
    const hottest = data.series[peaks.indexOf(Math.max(...peaks))]?.legend as string;
    const summary = summarisePanel(heat, data);
    expect(summary).toContain(`Hottest: ${hottest} up to`);
    expect(heatScale(heat, rows)).toEqual({ min: 0, max: 100 });
  });

  it('expands $__rate_interval before asking, and keeps a working query beside a failing one', async () => {
    const broken = PanelSchema.parse({
      id: 'broken',
      title: 'Broken',
      description: 'one good query, one bad',
      type: 'timeseries',
      unit: 'ops/s',
      queries: [
        { expr: 'sum(rate(scylla_cql_reads[$__rate_interval]))', legend: 'reads' },
        { expr: 'sum(rate(scylla_cql_reads[5m]) by', legend: 'bad' },
      ],
    });
    asked.length = 0;
    const data = await loadPanel(source, broken, { start: START + HOUR, end: START + 2 * HOUR });
    expect(asked[0]).toBe('sum(rate(scylla_cql_reads[60s]))');
    expect(data.series.map((s) => s.legend)).toEqual(['reads']);
    expect(data.errors).toHaveLength(1);
    expect(data.errors[0]?.query).toBe(1);
    expect(data.empty).toEqual([]);
    expect(summarisePanel(broken, data)).toMatch(/^Graph of Broken from .* 1 series\. reads: from /);
  });

  it('notes a query that matched nothing, such as offset 1w on a two-hour run', async () => {
    const history = panel('history', 'throughput-history');
    const data = await loadPanel(source, history, { start: START + HOUR, end: START + 2 * HOUR });
    expect(data.series.map((s) => s.legend)).toEqual(['now']);
    expect(data.empty).toEqual([1, 2]);
    expect(data.errors).toEqual([]);
  });

  it('formats values for people', () => {
    expect(formatValue(0.4567, 'ratio')).toBe('45.7%');
    expect(formatValue(2_345_000_000, 'bytes')).toBe('2.35 GB');
    expect(formatValue(1.23456, 'ms')).toBe('1.23 ms');
    expect(formatValue(12_345, 'ops/s')).toBe('12,345/s');
    expect(formatValue(Number.NaN, 'ms')).toBe('–');
    expect(formatTick(8_500, 'ms')).toBe('8.5 s');
    expect(formatTick(20_000, 'ops/s')).toBe('20k/s');
    expect(formatTick(0.25, 'ratio')).toBe('25.0%');
    expect(formatTick(1_500_000_000, 'bytes')).toBe('1.5 GB');
  });

  it('colours the scale from a pale to a strong end in the light theme and the reverse in the dark', () => {
    const lightness = (colour: string) => {
      const [r, g, b] = (colour.match(/\d+/g) ?? []).map(Number) as [number, number, number];
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    expect(lightness(heatColour(0, false))).toBeGreaterThan(lightness(heatColour(1, false)));
    expect(lightness(heatColour(0, true))).toBeLessThan(lightness(heatColour(1, true)));
    expect(heatColour(-1, false)).toBe(heatColour(0, false));
    expect(heatColour(Number.NaN, true)).toBe(heatColour(0, true));
  });
});
