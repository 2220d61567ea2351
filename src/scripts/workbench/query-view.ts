// A PromQL query's result in the SLO workbench: a table for instant results (vector, scalar,
// string), a uPlot graph for range results (one line per series, a legend with the value under the
// cursor, drag to zoom, buttons to zoom out and reset), and the error with its line and column.
// The canvas is invisible to assistive technology, so the graph has an aria-label summary and its
// data in a table.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { decodeSample, type SampleValue } from '../../../labs/runtime/lab/outcome.ts';
import { el, uniqueId } from './dom.ts';
import { describeError, formatLabels, formatSample, formatTime, timeTick } from './query-format.ts';

type Labels = Record<string, string>;

export type QueryValueView =
  | { resultType: 'vector'; result: { metric: Labels; t: number; v: SampleValue }[] }
  | { resultType: 'matrix'; result: { metric: Labels; t: number[]; v: SampleValue[] }[] }
  | { resultType: 'scalar'; t: number; v: SampleValue }
  | { resultType: 'string'; t: number; v: string };

export type QueryOutcomeView =
  | { ok: true; value: QueryValueView; seriesCount: number; truncated: boolean; samples: number }
  | { ok: false; error: { kind: string; message: string; line?: number | undefined; column?: number | undefined } };

/** The most lines one graph draws; the table lists them all. */
const MAX_GRAPH_SERIES = 24;
const GRAPH_HEIGHT = 260;
const MAX_TABLE_ROWS = 400;

function table(caption: string, head: string[], rows: string[][]): HTMLElement {
  return el(
    'div',
    { class: 'wb-table-scroll', tabindex: '0', role: 'region', 'aria-label': caption },
    el(
      'table',
      { class: 'wb-query-table' },
      el('caption', { class: 'visually-hidden' }, caption),
      el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h)))),
      el(
        'tbody',
        {},
        ...rows.map(([first, ...rest]) =>
          el('tr', {}, el('th', { scope: 'row' }, el('code', {}, first ?? '')), ...rest.map((c) => el('td', {}, c))),
        ),
      ),
    ),
  );
}

export interface QueryView {
  destroy(): void;
}

/** Renders an outcome into `container` (replacing what it held). */
export function renderQueryOutcome(container: HTMLElement, outcome: QueryOutcomeView, title: string): QueryView {
  container.replaceChildren();
  if (!outcome.ok) {
    container.append(el('p', { class: 'form-error wb-query-error', role: 'alert' }, `${title}: ${describeError(outcome.error)}`));
    return { destroy: () => undefined };
  }
  const { value } = outcome;
  const notes = el(
    'p',
    { class: 'muted wb-query-stats' },
    `${outcome.seriesCount} series, ${outcome.samples.toLocaleString('en')} samples read`,
    outcome.truncated ? '; only the first series are shown' : '',
    '.',
  );
  if (value.resultType === 'scalar' || value.resultType === 'string') {
    const shown = value.resultType === 'string' ? JSON.stringify(value.v) : formatSample(value.v);
    container.append(table(`${title}: result`, ['Result', 'Value'], [[value.resultType, shown]]), notes);
    return { destroy: () => undefined };
  }
  if (value.resultType === 'vector') {
    if (value.result.length === 0) container.append(el('p', { class: 'wb-query-empty' }, 'Empty result: no series matched at this time.'));
    else
      container.append(
        table(
          `${title}: instant vector`,
          ['Series', 'Value'],
          value.result.slice(0, MAX_TABLE_ROWS).map((s) => [formatLabels(s.metric), formatSample(s.v)]),
        ),
      );
    container.append(notes);
    return { destroy: () => undefined };
  }
  if (value.result.length === 0) {
    container.append(el('p', { class: 'wb-query-empty' }, 'Empty result: no series in this range.'), notes);
    return { destroy: () => undefined };
  }
  const graph = new RangeGraph(container, value.result, title);
  container.append(notes);
  return graph;
}

/** The theme's text and grid colours and one colour per graphed series (dashboards share them). */
export function palette(): { fg: string; border: string; colours: string[] } {
  const style = getComputedStyle(document.documentElement);
  const value = (name: string) => style.getPropertyValue(name).trim();
  // Light or dark background: the generated hues need the opposite lightness to stay readable.
  const theme = document.documentElement.dataset['theme'];
  const dark = theme === 'dark' || (theme !== 'light' && matchMedia('(prefers-color-scheme: dark)').matches);
  const base = [value('--series-a'), value('--series-b'), value('--series-c')];
  // Past the theme's three series colours, hues far from them (teal, amber, violet) and each other.
  const hues = [350, 120, 210, 30, 300, 75, 190, 250];
  const colours = Array.from(
    { length: MAX_GRAPH_SERIES },
    (_, i) => base[i] || `hsl(${(hues[(i - 3) % hues.length] ?? 0) + 9 * Math.floor((i - 3) / hues.length)} 75% ${dark ? 70 : 38}%)`,
  );
  return { fg: value('--fg'), border: value('--border'), colours };
}

class RangeGraph implements QueryView {
  private plot: uPlot | null = null;
  private readonly target: HTMLElement;
  /** The time span on screen, in words; follows every zoom. */
  private readonly span: HTMLElement;
  private readonly data: uPlot.AlignedData;
  private readonly names: string[];
  private readonly resize = new ResizeObserver(() => this.fit());
  private readonly themeObserver = new MutationObserver(() => this.draw());

  constructor(container: HTMLElement, series: { metric: Labels; t: number[]; v: SampleValue[] }[], title: string) {
    const drawn = series.slice(0, MAX_GRAPH_SERIES);
    this.names = drawn.map((s) => formatLabels(s.metric));
    // uPlot wants seconds on a time axis and one shared x array; gaps are nulls.
    this.data = uPlot.join(drawn.map((s) => [s.t.map((t) => t / 1000), s.v.map((v) => decodeSample(v))] as uPlot.AlignedData));
    const captionId = uniqueId('wb-graph');
    this.target = el('div', { class: 'wb-graph-plot', role: 'img', 'aria-label': this.summary(drawn) });
    this.span = el('p', { class: 'muted wb-graph-span', 'aria-live': 'polite' });
    const zoomOut = el('button', { type: 'button', class: 'secondary' }, 'Zoom out');
    const reset = el('button', { type: 'button', class: 'secondary' }, 'Reset zoom');
    zoomOut.addEventListener('click', () => this.zoomOut());
    reset.addEventListener('click', () => this.resetZoom());
    container.append(
      el(
        'figure',
        { class: 'wb-graph', 'aria-labelledby': captionId },
        el(
          'figcaption',
          { id: captionId },
          `${title}: ${series.length} series over time`,
          series.length > drawn.length ? ` (the first ${drawn.length} drawn)` : '',
        ),
        this.target,
        this.span,
        el(
          'p',
          { class: 'muted wb-graph-help' },
          'Drag across the graph to zoom in; the legend shows the values under the cursor. ',
          zoomOut,
          ' ',
          reset,
        ),
      ),
      this.dataTable(drawn, title),
    );
    this.draw();
    this.resize.observe(this.target);
    this.themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  }

  destroy(): void {
    this.resize.disconnect();
    this.themeObserver.disconnect();
    this.plot?.destroy();
    this.plot = null;
  }

  private summary(series: { metric: Labels; v: SampleValue[] }[]): string {
    const parts = series.slice(0, 6).map((s) => {
      const values = s.v.map(decodeSample).filter((v) => Number.isFinite(v));
      if (values.length === 0) return `${formatLabels(s.metric)}: no finite values`;
      return `${formatLabels(s.metric)}: from ${formatSample(Math.min(...values))} to ${formatSample(Math.max(...values))}`;
    });
    return `Graph of ${series.length} series. ${parts.join('; ')}${series.length > 6 ? '; …' : ''}.`;
  }

  private dataTable(series: { metric: Labels; t: number[]; v: SampleValue[] }[], title: string): HTMLElement {
    const rows: string[][] = [];
    for (const s of series)
      for (let i = 0; i < s.t.length && rows.length < MAX_TABLE_ROWS; i += 1)
        rows.push([formatLabels(s.metric), formatTime(s.t[i] as number), formatSample(s.v[i] as SampleValue)]);
    const total = series.reduce((sum, s) => sum + s.t.length, 0);
    return el(
      'details',
      { class: 'wb-chart-data' },
      el('summary', {}, 'Graph data as a table'),
      table(`${title}: range result`, ['Series', 'Time', 'Value'], rows),
      total > rows.length && el('p', { class: 'muted' }, `${total - rows.length} more points not shown.`),
    );
  }

  private draw(): void {
    this.plot?.destroy();
    const colours = palette();
    const axis = {
      stroke: colours.fg,
      grid: { stroke: colours.border, width: 1 },
      ticks: { stroke: colours.border, width: 1 },
      font: '12px system-ui, sans-serif',
    };
    const options: uPlot.Options = {
      width: Math.max(this.target.clientWidth, 260),
      height: GRAPH_HEIGHT,
      scales: { x: { time: true } },
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      series: [
        { label: 'time (UTC)' },
        ...this.names.map((name, i) => ({
          label: name,
          stroke: colours.colours[i] ?? colours.fg,
          width: 1.5,
          spanGaps: false,
          value: (_u: uPlot, v: number | null) => (v === null ? '–' : formatSample(v)),
        })),
      ],
      axes: [
        { ...axis, space: 70, values: (_u, splits, _axis, _space, increment) => splits.map((s) => timeTick(s, increment)) },
        { ...axis, size: 60 },
      ],
      cursor: { drag: { x: true, y: false, setScale: true } },
      legend: { show: true, live: true },
      hooks: { setScale: [(u, key) => key === 'x' && this.showSpan(u)], ready: [(u) => this.showSpan(u)] },
    };
    this.target.replaceChildren();
    this.plot = new uPlot(options, this.data, this.target);
    this.showSpan(this.plot);
  }

  private showSpan(plot: uPlot): void {
    // Before uPlot's first commit the scale is unset: the graph then shows all of the data.
    const xs = this.data[0];
    const scale = plot.scales['x'];
    const min = scale?.min ?? xs[0];
    const max = scale?.max ?? xs.at(-1);
    if (min === undefined || max === undefined) return;
    this.span.textContent = `Showing ${formatTime(Math.round(min) * 1000)} to ${formatTime(Math.round(max) * 1000)}.`;
  }

  private zoomOut(): void {
    const plot = this.plot;
    const xs = this.data[0];
    if (!plot || xs.length === 0) return;
    const { min = xs[0], max = xs.at(-1) } = plot.scales['x'] ?? {};
    if (min === undefined || max === undefined) return;
    const span = max - min;
    plot.setScale('x', { min: Math.max(xs[0] as number, min - span / 2), max: Math.min(xs.at(-1) as number, max + span / 2) });
  }

  private resetZoom(): void {
    const xs = this.data[0];
    if (this.plot && xs.length > 0) this.plot.setScale('x', { min: xs[0] as number, max: xs.at(-1) as number });
  }

  private fit(): void {
    const width = Math.max(this.target.clientWidth, 260);
    if (this.plot && Math.abs(this.plot.width - width) > 1) this.plot.setSize({ width, height: GRAPH_HEIGHT });
  }
}
