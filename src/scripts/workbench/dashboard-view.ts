// Draws one dashboard (labs/database-observability/dashboards.ts) from range queries: a grid of
// panels, each a uPlot graph (timeseries), a heat map (heatmap.ts) or the latest values (stat).
// Queries go through a `DashboardSource`, so the view does not know about the worker. Like the
// other workbench charts, each canvas is described in words (role="img" with an aria-label
// summary) and its data is one toggle away in a table; colours follow the theme, redrawn when it
// changes.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Dashboard, Panel } from '../../../labs/database-observability/dashboards.ts';
import {
  alignSeries,
  type DashboardSource,
  formatTick,
  formatValue,
  loadPanel,
  type PanelData,
  summarisePanel,
  type TimeRange,
} from './dashboard-data.ts';
import { el, uniqueId } from './dom.ts';
import { HeatmapChart } from './heatmap.ts';
import { formatTime, timeTick } from './query-format.ts';
import { palette } from './query-view.ts';

const GRAPH_HEIGHT = 200;
const MAX_TABLE_ROWS = 240;
const MAX_TABLE_COLUMNS = 48;
/** Solid for the first queries' series, dashed for an offset (history) query, so they read apart without colour. */
const DASHES: (number[] | undefined)[] = [undefined, [7, 4], [2, 3], [10, 3, 2, 3]];

interface Drawn {
  redraw(): void;
  destroy(): void;
}

export class DashboardView {
  private readonly container: HTMLElement;
  private readonly dashboard: Dashboard;
  private readonly source: DashboardSource;
  private drawn: Drawn[] = [];
  private generation = 0;
  private readonly themeObserver = new MutationObserver(() => this.redraw());
  private readonly schemeQuery = matchMedia('(prefers-color-scheme: dark)');
  private readonly onScheme = () => this.redraw();

  constructor(container: HTMLElement, dashboard: Dashboard, source: DashboardSource) {
    this.container = container;
    this.dashboard = dashboard;
    this.source = source;
    this.themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    this.schemeQuery.addEventListener('change', this.onScheme);
  }

  /** Loads and draws every panel over the range, panel by panel; a newer call supersedes an older one. */
  async show(range: TimeRange): Promise<{ panels: number; failed: number }> {
    const generation = ++this.generation;
    this.clear();
    const grid = el('div', { class: 'db-panels' });
    this.container.replaceChildren(el('p', { class: 'muted db-dashboard-help' }, this.dashboard.description), grid);
    const slots = this.dashboard.panels.map((panel) => {
      const slot = el('figure', {
        class: `db-panel db-panel-${panel.type}`,
        'data-panel': panel.id,
        'aria-labelledby': uniqueId('db-panel'),
      });
      const captionId = slot.getAttribute('aria-labelledby') as string;
      slot.append(
        el('figcaption', { id: captionId }, panel.title, ' ', el('span', { class: 'muted' }, `(${panel.unit})`)),
        el('p', { class: 'muted db-panel-description' }, panel.description),
        el('p', { class: 'muted', role: 'status' }, 'Loading…'),
      );
      grid.append(slot);
      return { panel, slot };
    });
    let failed = 0;
    for (const { panel, slot } of slots) {
      const data = await loadPanel(this.source, panel, range);
      if (generation !== this.generation) return { panels: 0, failed: 0 };
      if (data.series.length === 0) failed++;
      this.drawPanel(slot, panel, data);
    }
    return { panels: slots.length, failed };
  }

  destroy(): void {
    this.generation++;
    this.clear();
    this.themeObserver.disconnect();
    this.schemeQuery.removeEventListener('change', this.onScheme);
  }

  private clear(): void {
    for (const d of this.drawn) d.destroy();
    this.drawn = [];
  }

  private redraw(): void {
    for (const d of this.drawn) d.redraw();
  }

  private drawPanel(slot: HTMLElement, panel: Panel, data: PanelData): void {
    const status = slot.querySelector('[role="status"]');
    status?.remove();
    for (const error of data.errors)
      slot.append(el('p', { class: 'form-error', role: 'alert' }, `Query ${error.query + 1} failed: ${error.message}`));
    if (data.series.length === 0) {
      slot.append(el('p', { class: 'wb-query-empty' }, 'No data in this range.'));
      return;
    }
    if (data.empty.length > 0)
      slot.append(
        el(
          'p',
          { class: 'muted' },
          `No data in this range for ${data.empty.map((q) => panel.queries[q]?.legend ?? `query ${q + 1}`).join(' and ')}`,
          panel.queries.some((q, i) => data.empty.includes(i) && /\boffset\b/.test(q.expr)) ? ': the run is shorter than the offset.' : '.',
        ),
      );
    const target = el('div', { class: 'db-panel-plot', role: 'img', 'aria-label': summarisePanel(panel, data) });
    slot.append(target);
    if (panel.type === 'stat') this.drawStat(target, panel, data);
    else if (panel.type === 'heatmap') {
      const { times, rows } = alignSeries(data);
      const chart = new HeatmapChart(target, { panel, legends: data.series.map((s) => s.legend), times, rows });
      this.drawn.push({ redraw: () => chart.draw(), destroy: () => chart.destroy() });
    } else this.drawn.push(new PanelGraph(target, panel, data));
    if (data.truncated) slot.append(el('p', { class: 'muted' }, 'Only the first series are shown.'));
    slot.append(dataTable(panel, data));
  }

  private drawStat(target: HTMLElement, panel: Panel, data: PanelData): void {
    target.classList.add('db-stat');
    target.append(
      ...data.series.map((s) => {
        const last = [...s.v].reverse().find(Number.isFinite);
        return el(
          'p',
          { class: 'db-stat-value' },
          el('span', { class: 'db-stat-number' }, formatValue(last, panel.unit)),
          ' ',
          el('span', { class: 'muted' }, s.legend),
        );
      }),
      el('p', { class: 'muted' }, `at ${formatTime(data.end)}`),
    );
  }
}

function dataTable(panel: Panel, data: PanelData): HTMLElement {
  const { times, rows } = alignSeries(data);
  const columns = data.series.slice(0, MAX_TABLE_COLUMNS);
  const shownTimes = times.slice(0, MAX_TABLE_ROWS);
  const caption = `${panel.title}: data`;
  return el(
    'details',
    { class: 'wb-chart-data' },
    el('summary', {}, 'Panel data as a table'),
    el(
      'div',
      { class: 'wb-table-scroll', tabindex: '0', role: 'region', 'aria-label': caption },
      el(
        'table',
        { class: 'wb-query-table' },
        el('caption', { class: 'visually-hidden' }, caption),
        el(
          'thead',
          {},
          el('tr', {}, el('th', { scope: 'col' }, 'Time (UTC)'), ...columns.map((s) => el('th', { scope: 'col' }, s.legend))),
        ),
        el(
          'tbody',
          {},
          ...shownTimes.map((t, i) =>
            el(
              'tr',
              {},
              el('th', { scope: 'row' }, formatTime(t)),
              ...columns.map((_s, c) => el('td', {}, formatValue(rows[c]?.[i], panel.unit))),
            ),
          ),
        ),
      ),
    ),
    (times.length > shownTimes.length || data.series.length > columns.length) &&
      el('p', { class: 'muted' }, `The table shows the first ${shownTimes.length} times and ${columns.length} series.`),
  );
}

class PanelGraph implements Drawn {
  private plot: uPlot | null = null;
  private readonly target: HTMLElement;
  private readonly panel: Panel;
  private readonly data: uPlot.AlignedData;
  private readonly series: PanelData['series'];
  private readonly resize = new ResizeObserver(() => this.fit());

  constructor(target: HTMLElement, panel: Panel, data: PanelData) {
    this.target = target;
    this.panel = panel;
    this.series = data.series.slice(0, 24);
    const { times, rows } = alignSeries({ ...data, series: this.series });
    this.data = [times.map((t) => t / 1000), ...rows] as uPlot.AlignedData;
    this.redraw();
    this.resize.observe(target);
  }

  redraw(): void {
    this.plot?.destroy();
    const colours = palette();
    const unit = this.panel.unit;
    const axis = {
      stroke: colours.fg,
      grid: { stroke: colours.border, width: 1 },
      ticks: { stroke: colours.border, width: 1 },
      font: '12px system-ui, sans-serif',
    };
    const max = this.panel.bounds.max;
    const options: uPlot.Options = {
      width: Math.max(this.target.clientWidth, 260),
      height: GRAPH_HEIGHT,
      scales: {
        x: { time: true },
        y: {
          range: (_u, _min, dataMax) => {
            const low = this.panel.bounds.min;
            const high = dataMax > low ? dataMax * 1.1 : low + 1;
            return [low, max !== undefined ? Math.min(max, high) : high];
          },
        },
      },
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      series: [
        { label: 'time (UTC)' },
        ...this.series.map((s, i): uPlot.Series => {
          const dash = DASHES[s.query];
          return {
            label: s.legend,
            stroke: colours.colours[i] ?? colours.fg,
            width: 1.5,
            ...(dash ? { dash } : {}),
            spanGaps: false,
            value: (_u: uPlot, v: number | null) => formatValue(v, unit),
          };
        }),
      ],
      axes: [
        { ...axis, space: 70, values: (_u, splits, _axis, _space, increment) => splits.map((s) => timeTick(s, increment)) },
        { ...axis, size: 64, values: (_u, splits) => splits.map((v) => formatTick(v, unit)) },
      ],
      cursor: { drag: { x: true, y: false, setScale: true } },
      legend: { show: true, live: true },
    };
    this.target.replaceChildren();
    this.plot = new uPlot(options, this.data, this.target);
  }

  destroy(): void {
    this.resize.disconnect();
    this.plot?.destroy();
    this.plot = null;
  }

  private fit(): void {
    const width = Math.max(this.target.clientWidth, 260);
    if (this.plot && Math.abs(this.plot.width - width) > 1) this.plot.setSize({ width, height: GRAPH_HEIGHT });
  }
}
