// Charts of a finished run over virtual time: request rate, active VUs, p95 latency and errors per
// second, one chart per metric with one line per run (so a healthy and a regressed build can be
// compared). Drawn with uPlot on canvas, so each chart is also described in words (role="img" with
// an aria-label) and its data is in a table.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { RunResultView } from '../../features/labs/workbench-messages.ts';
import { el, uniqueId } from './dom.ts';

type Series = RunResultView['timeSeries'];
type MetricKey = Exclude<keyof Series, 't'>;

export interface ChartRun {
  label: string;
  series: Series;
}

interface Metric {
  key: MetricKey;
  title: string;
  unit: string;
  digits: number;
}

const METRICS: readonly Metric[] = [
  { key: 'requestsPerSecond', title: 'Request rate', unit: 'requests/s', digits: 1 },
  { key: 'vus', title: 'Active VUs', unit: 'VUs', digits: 0 },
  { key: 'p95Ms', title: 'p95 latency', unit: 'ms', digits: 0 },
  { key: 'errorsPerSecond', title: 'Errors', unit: 'errors/s', digits: 1 },
];

const CHART_HEIGHT = 190;
/** Solid, dashed, dotted: runs stay distinguishable without colour (as the lesson figures do). */
const DASHES: (number[] | undefined)[] = [undefined, [7, 4], [2, 3]];
const MAX_TABLE_ROWS = 600;

function format(value: number | null | undefined, digits: number): string {
  return value === null || value === undefined ? '–' : value.toFixed(digits);
}

function seconds(ms: number): string {
  return ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** "p95 latency (ms) over 60 s of virtual time. healthy build: from 12 to 48, average 20. …" */
export function describeChart(metric: Metric, runs: ChartRun[]): string {
  const span = Math.max(0, ...runs.map((run) => run.series.t.at(-1) ?? 0));
  const parts = runs.map((run) => {
    const raw: (number | null)[] = run.series[metric.key];
    const values = raw.filter((v): v is number => v !== null);
    if (values.length === 0) return `${run.label}: no data`;
    const average = values.reduce((a, b) => a + b, 0) / values.length;
    return `${run.label}: from ${format(Math.min(...values), metric.digits)} to ${format(Math.max(...values), metric.digits)}, average ${format(average, metric.digits)}`;
  });
  return `${metric.title} (${metric.unit}) over ${seconds(span * 1000)} of virtual time. ${parts.join('. ')}.`;
}

function dataTable(run: ChartRun): HTMLDetailsElement {
  const { series } = run;
  const rows = series.t
    .slice(0, MAX_TABLE_ROWS)
    .map((t, i) =>
      el(
        'tr',
        {},
        el('th', { scope: 'row' }, t.toFixed(t % 1 === 0 ? 0 : 1)),
        ...METRICS.map((m) => el('td', {}, format(series[m.key][i], m.digits))),
      ),
    );
  const cut = series.t.length - rows.length;
  return el(
    'details',
    { class: 'wb-chart-data' },
    el('summary', {}, `Chart data as a table: ${run.label}`),
    el(
      'div',
      { class: 'wb-table-scroll', tabindex: '0', role: 'region', 'aria-label': `Chart data: ${run.label}` },
      el(
        'table',
        {},
        el('caption', { class: 'visually-hidden' }, `Per-second metrics for ${run.label}`),
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            el('th', { scope: 'col' }, 'Virtual time (s)'),
            ...METRICS.map((m) => el('th', { scope: 'col' }, `${m.title} (${m.unit})`)),
          ),
        ),
        el('tbody', {}, ...rows),
      ),
    ),
    cut > 0 && el('p', { class: 'muted' }, `${cut} more rows not shown.`),
  );
}

interface Palette {
  fg: string;
  muted: string;
  border: string;
  series: string[];
}

function readPalette(): Palette {
  const style = getComputedStyle(document.documentElement);
  const value = (name: string) => style.getPropertyValue(name).trim();
  return {
    fg: value('--fg'),
    muted: value('--fg-muted'),
    border: value('--border'),
    series: [value('--series-a'), value('--series-b'), value('--series-c')],
  };
}

export class RunCharts {
  private plots: { plot: uPlot; target: HTMLElement }[] = [];
  private readonly resize = new ResizeObserver(() => this.fit());
  private readonly themeObserver = new MutationObserver(() => this.draw());
  private readonly schemeQuery = matchMedia('(prefers-color-scheme: dark)');
  private readonly onScheme = () => this.draw();
  private readonly targets: { metric: Metric; target: HTMLElement }[] = [];
  private readonly runs: ChartRun[];

  constructor(container: HTMLElement, runs: ChartRun[]) {
    this.runs = runs;
    const grid = el('div', { class: 'wb-charts' });
    for (const metric of METRICS) {
      const titleId = uniqueId('wb-chart');
      const target = el('div', { class: 'wb-chart-plot', role: 'img', 'aria-label': describeChart(metric, runs) });
      grid.append(
        el(
          'figure',
          { class: 'wb-chart', 'aria-labelledby': titleId },
          el('figcaption', { id: titleId }, `${metric.title} (${metric.unit})`),
          target,
        ),
      );
      this.targets.push({ metric, target });
    }
    container.append(grid, ...runs.map(dataTable));
    this.draw();
    this.resize.observe(grid);
    this.themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    this.schemeQuery.addEventListener('change', this.onScheme);
  }

  destroy(): void {
    this.resize.disconnect();
    this.themeObserver.disconnect();
    this.schemeQuery.removeEventListener('change', this.onScheme);
    for (const { plot } of this.plots) plot.destroy();
    this.plots = [];
  }

  /** (Re)draws every chart with the current theme's colours. */
  private draw(): void {
    for (const { plot } of this.plots) plot.destroy();
    const palette = readPalette();
    const syncKey = uniqueId('wb-sync');
    this.plots = this.targets.map(({ metric, target }) => {
      const data = uPlot.join(this.runs.map((run) => [run.series.t, run.series[metric.key]] as uPlot.AlignedData));
      const axis = {
        stroke: palette.fg,
        grid: { stroke: palette.border, width: 1 },
        ticks: { stroke: palette.border, width: 1 },
        font: '12px system-ui, sans-serif',
        labelFont: '12px system-ui, sans-serif',
      };
      const options: uPlot.Options = {
        width: Math.max(target.clientWidth, 240),
        height: CHART_HEIGHT,
        scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
        series: [
          { label: 'virtual time (s)', value: (_u, v) => format(v, 1) },
          ...this.runs.map((run, i) => ({
            label: run.label,
            stroke: palette.series[i] ?? palette.fg,
            width: 2,
            ...(DASHES[i] ? { dash: DASHES[i] } : {}),
            points: { show: run.series.t.length < 3 },
            value: (_u: uPlot, v: number | null) => format(v, metric.digits),
          })),
        ],
        axes: [
          { ...axis, label: 'virtual time (s)' },
          { ...axis, label: metric.unit, size: 52 },
        ],
        cursor: { sync: { key: syncKey }, drag: { x: false, y: false } },
        legend: { show: true },
      };
      target.replaceChildren();
      return { plot: new uPlot(options, data, target), target };
    });
  }

  private fit(): void {
    for (const { plot, target } of this.plots) {
      const width = Math.max(target.clientWidth, 240);
      if (Math.abs(plot.width - width) > 1) plot.setSize({ width, height: CHART_HEIGHT });
    }
  }
}
