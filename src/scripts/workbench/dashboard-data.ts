// What a dashboard panel shows, without the DOM: the time ranges a learner picks from, the step
// of a range, each panel's queries expanded and run through a `source` (the lab worker in the page,
// the PromQL engine on a Tsdb in tests), their series named by the panel's legends, a summary in
// words for assistive technology, and the heat map's grid and colours. The renderer
// (dashboard-view.ts) draws what this computes.
import { expandPanelQuery, formatLegend, type Panel, type PanelUnit, SCRAPE_MS } from '../../../labs/database-observability/dashboards.ts';
import { decodeSample } from '../../../labs/runtime/lab/outcome.ts';
import { formatTime } from './query-format.ts';
import type { QueryOutcomeView } from './query-view.ts';

export type SourceResult = { ok: true; value: QueryOutcomeView } | { ok: false; message: string };

/** Where a dashboard's range queries go. */
export interface DashboardSource {
  rangeQuery(query: string, start: number, end: number, step: number): Promise<SourceResult>;
}

export interface TimeRange {
  id: 'focus' | 'run' | 'day';
  label: string;
  start: number;
  end: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The picker's choices: the incident's focus window (the default), the last 24 h of a longer run, the whole run. */
export function timeRanges(run: { start: number; end: number }, focus: { start: number; end: number }): TimeRange[] {
  return [
    { id: 'focus', label: 'Incident window', start: focus.start, end: focus.end },
    ...(run.end - run.start > DAY ? [{ id: 'day' as const, label: 'Last 24 hours', start: run.end - DAY, end: run.end }] : []),
    { id: 'run', label: 'Whole run', start: run.start, end: run.end },
  ];
}

/** Points per panel series: enough columns for a heat map, far below the engine's 11,000. */
export const PANEL_POINTS = 240;

/** A step giving about PANEL_POINTS points, in whole scrape intervals. */
export function panelStep(rangeMs: number): number {
  return Math.max(SCRAPE_MS, Math.ceil(rangeMs / PANEL_POINTS / SCRAPE_MS) * SCRAPE_MS);
}

export interface PanelSeries {
  legend: string;
  /** Which of the panel's queries gave it. */
  query: number;
  t: number[];
  /** NaN stays NaN (drawn as a gap). */
  v: number[];
}

export interface PanelData {
  series: PanelSeries[];
  /** Queries that failed, with the engine's message. */
  errors: { query: number; message: string }[];
  /** Queries that ran but matched no series (e.g. `offset 1w` on a run shorter than a week). */
  empty: number[];
  /** Series a query returned beyond what the worker sends back. */
  truncated: boolean;
  start: number;
  end: number;
  step: number;
}

/** Runs every query of a panel over a range; one failing query does not hide the others. */
export async function loadPanel(source: DashboardSource, panel: Panel, range: { start: number; end: number }): Promise<PanelData> {
  const step = panelStep(range.end - range.start);
  const data: PanelData = { series: [], errors: [], empty: [], truncated: false, start: range.start, end: range.end, step };
  for (const [index, query] of panel.queries.entries()) {
    const result = await source.rangeQuery(expandPanelQuery(query.expr, step), range.start, range.end, step);
    if (!result.ok) {
      data.errors.push({ query: index, message: result.message });
      continue;
    }
    const outcome = result.value;
    if (!outcome.ok) {
      data.errors.push({ query: index, message: outcome.error.message });
      continue;
    }
    if (outcome.truncated) data.truncated = true;
    if (outcome.value.resultType !== 'matrix') {
      data.errors.push({ query: index, message: `a range query gave a ${outcome.value.resultType}` });
      continue;
    }
    if (outcome.value.result.length === 0) data.empty.push(index);
    for (const s of outcome.value.result)
      data.series.push({ legend: formatLegend(query.legend, s.metric), query: index, t: s.t, v: s.v.map(decodeSample) });
  }
  return data;
}

const UNIT_SUFFIX: Record<PanelUnit, string> = {
  ms: ' ms',
  'ops/s': '/s',
  ratio: '',
  percent: '%',
  count: '',
  bytes: ' B',
  'ms/s': ' ms/s',
};

/** A value for people: three significant digits, a ratio as a percentage, bytes in MB/GB. */
export function formatValue(v: number | null | undefined, unit: PanelUnit): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (unit === 'ratio') return `${(v * 100).toPrecision(3)}%`;
  if (unit === 'bytes') {
    const units = ['B', 'kB', 'MB', 'GB', 'TB'];
    let value = v;
    let i = 0;
    while (Math.abs(value) >= 1000 && i < units.length - 1) {
      value /= 1000;
      i++;
    }
    return `${trim(value)} ${units[i]}`;
  }
  return `${trim(v)}${UNIT_SUFFIX[unit]}`;
}

/** A y-axis tick: short enough for the axis (8,500 ms → 8.5 s, 20,000/s → 20k/s, 0.25 ratio → 25%). */
export function formatTick(v: number, unit: PanelUnit): string {
  const abs = Math.abs(v);
  if (unit === 'ms' && abs >= 1000) return `${Number((v / 1000).toPrecision(3))} s`;
  if (unit === 'ratio' || unit === 'bytes') return formatValue(v, unit);
  const suffix = UNIT_SUFFIX[unit];
  if (abs >= 1e6) return `${Number((v / 1e6).toPrecision(3))}M${suffix}`;
  if (abs >= 1000) return `${Number((v / 1000).toPrecision(3))}k${suffix}`;
  return `${Number(v.toPrecision(3))}${suffix}`;
}

function trim(v: number): string {
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs >= 1e6) return `${(v / 1e6).toPrecision(3)} M`;
  if (abs >= 1000) return Math.round(v).toLocaleString('en');
  return String(Number(v.toPrecision(3)));
}

function finite(values: number[]): number[] {
  return values.filter(Number.isFinite);
}

/** "… from 0.41 ms to 2.3 ms, last 0.52 ms" for one series. */
function describeSeries(s: PanelSeries, unit: PanelUnit): string {
  const values = finite(s.v);
  if (values.length === 0) return `${s.legend}: no data`;
  return `${s.legend}: from ${formatValue(Math.min(...values), unit)} to ${formatValue(Math.max(...values), unit)}, last ${formatValue(values.at(-1), unit)}`;
}

/** The panel in words: its range and, per series (or for a heat map, its hottest rows), the values. */
export function summarisePanel(panel: Panel, data: PanelData): string {
  const span = `${formatTime(data.start)} to ${formatTime(data.end)}`;
  if (data.series.length === 0) return `${panel.title}: no data from ${span}.`;
  if (panel.type === 'heatmap') {
    const peaks = data.series
      .map((s) => {
        let best = Number.NEGATIVE_INFINITY;
        let at = 0;
        for (const [i, v] of s.v.entries())
          if (Number.isFinite(v) && v > best) {
            best = v;
            at = s.t[i] as number;
          }
        return { legend: s.legend, best, at };
      })
      .filter((p) => Number.isFinite(p.best))
      .sort((a, b) => b.best - a.best);
    const top = peaks
      .slice(0, 3)
      .map((p) => `${p.legend} up to ${formatValue(p.best, panel.unit)} at ${formatTime(p.at)}`)
      .join('; ');
    const rest = peaks[3];
    return `Heat map of ${panel.title}, ${data.series.length} rows (one per series) from ${span}. Hottest: ${top}${rest ? `; the others at most ${formatValue(rest.best, panel.unit)}` : ''}.`;
  }
  if (panel.type === 'stat')
    return `${panel.title} at ${formatTime(data.end)}: ${data.series.map((s) => `${s.legend} ${formatValue(finite(s.v).at(-1), panel.unit)}`).join(', ')}.`;
  const shown = data.series.slice(0, 8).map((s) => describeSeries(s, panel.unit));
  return `Graph of ${panel.title} from ${span}, ${data.series.length} series. ${shown.join('; ')}${data.series.length > 8 ? '; …' : ''}.`;
}

/** Every step time of a range, the columns of a heat map and the rows of a data table. */
export function stepTimes(data: Pick<PanelData, 'start' | 'end' | 'step'>): number[] {
  const out: number[] = [];
  for (let t = data.start; t <= data.end; t += data.step) out.push(t);
  return out;
}

/** Series aligned on the step times (null where a series has no point): rows of a heat map or table. */
export function alignSeries(data: PanelData): { times: number[]; rows: (number | null)[][] } {
  const times = stepTimes(data);
  const index = new Map(times.map((t, i) => [t, i]));
  const rows = data.series.map((s) => {
    const row: (number | null)[] = new Array(times.length).fill(null);
    for (const [i, t] of s.t.entries()) {
      const column = index.get(t);
      const v = s.v[i] as number;
      if (column !== undefined && Number.isFinite(v)) row[column] = v;
    }
    return row;
  });
  return { times, rows };
}

/** The colour scale's ends: the panel's bounds, or the data's largest value when it has no maximum. */
export function heatScale(panel: Panel, rows: (number | null)[][]): { min: number; max: number } {
  let max = Number.NEGATIVE_INFINITY;
  for (const row of rows) for (const v of row) if (v !== null && v > max) max = v;
  const min = panel.bounds.min;
  const top = panel.bounds.max ?? (max > min ? max : min + 1);
  return { min, max: top > min ? top : min + 1 };
}

// A sequential ramp from the background's end to a saturated end, so "more" reads as "stronger" in
// both themes: light runs pale yellow → orange → deep purple; dark runs deep blue → magenta → yellow.
const LIGHT_RAMP: [number, number, number][] = [
  [255, 247, 214],
  [253, 174, 97],
  [215, 48, 39],
  [84, 39, 143],
];
const DARK_RAMP: [number, number, number][] = [
  [22, 32, 68],
  [94, 46, 140],
  [205, 52, 116],
  [252, 222, 90],
];

/** The colour of a value at `fraction` (0..1) of the scale. */
export function heatColour(fraction: number, dark: boolean): string {
  const ramp = dark ? DARK_RAMP : LIGHT_RAMP;
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0)) * (ramp.length - 1);
  const i = Math.min(ramp.length - 2, Math.floor(f));
  const a = ramp[i] as [number, number, number];
  const b = ramp[i + 1] as [number, number, number];
  const mix = (k: 0 | 1 | 2) => Math.round(a[k] + (b[k] - a[k]) * (f - i));
  return `rgb(${mix(0)}, ${mix(1)}, ${mix(2)})`;
}
