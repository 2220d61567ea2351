// The heat map drawer of the dashboards: one row per series (e.g. each shard of each node), time
// left to right, each cell coloured by its value on a sequential ramp (dashboard-data.ts), with
// row labels, a time axis, a colour key with its ends in text, and the value under the pointer.
// Drawn on a canvas at the device's pixel ratio; the canvas is aria-hidden, the figure around it
// carries the summary and the table (dashboard-view.ts).
import type { Panel } from '../../../labs/database-observability/dashboards.ts';
import { formatValue, heatColour, heatScale } from './dashboard-data.ts';
import { el } from './dom.ts';
import { formatTime, timeTick } from './query-format.ts';

const LABEL_WIDTH = 128;
const AXIS_HEIGHT = 22;
const MIN_ROW = 6;
const MAX_ROW = 18;
const MAX_HEIGHT = 320;

export function isDarkTheme(): boolean {
  const theme = document.documentElement.dataset['theme'];
  return theme === 'dark' || (theme !== 'light' && matchMedia('(prefers-color-scheme: dark)').matches);
}

export interface HeatmapInput {
  panel: Panel;
  legends: string[];
  times: number[];
  rows: (number | null)[][];
}

export class HeatmapChart {
  private readonly canvas: HTMLCanvasElement;
  private readonly readout: HTMLElement;
  private readonly key: HTMLElement;
  private readonly input: HeatmapInput;
  private readonly target: HTMLElement;
  private readonly resize = new ResizeObserver(() => this.draw());
  private width = 0;

  constructor(target: HTMLElement, input: HeatmapInput) {
    this.target = target;
    this.input = input;
    this.canvas = el('canvas', { class: 'db-heatmap-canvas', 'aria-hidden': 'true' });
    this.readout = el('p', { class: 'muted db-heatmap-readout', 'aria-hidden': 'true' }, ' ');
    this.key = el('div', { class: 'db-heatmap-key', 'aria-hidden': 'true' });
    target.replaceChildren(this.canvas, this.key, this.readout);
    this.canvas.addEventListener('pointermove', (event) => this.showValue(event));
    this.canvas.addEventListener('pointerleave', () => {
      this.readout.textContent = ' ';
    });
    this.draw();
    this.resize.observe(target);
  }

  destroy(): void {
    this.resize.disconnect();
  }

  private rowHeight(): number {
    const n = Math.max(1, this.input.rows.length);
    return Math.max(MIN_ROW, Math.min(MAX_ROW, Math.floor(MAX_HEIGHT / n)));
  }

  /** (Re)draws at the current width and theme. */
  draw(): void {
    const width = Math.max(this.target.clientWidth, 280);
    const { rows, times, legends, panel } = this.input;
    const rowHeight = this.rowHeight();
    const height = rows.length * rowHeight + AXIS_HEIGHT;
    this.width = width;
    const ratio = globalThis.devicePixelRatio || 1;
    this.canvas.width = Math.round(width * ratio);
    this.canvas.height = Math.round(height * ratio);
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    const context = this.canvas.getContext('2d');
    if (!context) return;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    const style = getComputedStyle(document.documentElement);
    const fg = style.getPropertyValue('--fg').trim() || '#000';
    const border = style.getPropertyValue('--border').trim() || '#888';
    const dark = isDarkTheme();
    const scale = heatScale(panel, rows);
    context.clearRect(0, 0, width, height);
    const plotWidth = width - LABEL_WIDTH;
    const cell = plotWidth / Math.max(1, times.length);
    context.font = `${Math.min(12, rowHeight)}px system-ui, sans-serif`;
    context.textBaseline = 'middle';
    // Label every row when they fit; otherwise every k-th, so labels never overlap.
    const labelEvery = Math.max(1, Math.ceil(12 / rowHeight));
    for (const [r, row] of rows.entries()) {
      const y = r * rowHeight;
      if (r % labelEvery === 0) {
        context.fillStyle = fg;
        context.fillText(legends[r] ?? '', 4, y + rowHeight / 2, LABEL_WIDTH - 8);
      }
      for (const [c, v] of row.entries()) {
        context.fillStyle = v === null ? border : heatColour((v - scale.min) / (scale.max - scale.min), dark);
        // Cells overlap by a fraction of a pixel so no seams show between them.
        context.fillRect(LABEL_WIDTH + c * cell, y, cell + 0.5, rowHeight - (rowHeight > 8 ? 1 : 0));
      }
    }
    // Time axis: about one tick per 110 px.
    context.fillStyle = fg;
    context.textBaseline = 'top';
    const ticks = Math.max(2, Math.floor(plotWidth / 110));
    const first = times[0] ?? 0;
    const last = times.at(-1) ?? first;
    const increment = (last - first) / 1000 / ticks;
    for (let i = 0; i <= ticks; i++) {
      const t = first + ((last - first) * i) / ticks;
      const x = LABEL_WIDTH + (plotWidth * i) / ticks;
      const text = timeTick(t / 1000, increment);
      const measured = context.measureText(text).width;
      context.fillText(text, Math.min(width - measured, Math.max(LABEL_WIDTH, x - measured / 2)), rows.length * rowHeight + 5);
    }
    this.drawKey(scale, dark);
  }

  private drawKey(scale: { min: number; max: number }, dark: boolean): void {
    const stops = Array.from({ length: 11 }, (_, i) => `${heatColour(i / 10, dark)} ${i * 10}%`).join(', ');
    const unit = this.input.panel.unit;
    this.key.replaceChildren(
      el('span', {}, formatValue(scale.min, unit)),
      el('span', { class: 'db-heatmap-ramp', style: `background: linear-gradient(to right, ${stops})` }),
      el('span', {}, formatValue(scale.max, unit)),
    );
  }

  private showValue(event: PointerEvent): void {
    const bounds = this.canvas.getBoundingClientRect();
    const x = event.clientX - bounds.left - LABEL_WIDTH;
    const r = Math.floor((event.clientY - bounds.top) / this.rowHeight());
    const { times, rows, legends, panel } = this.input;
    const c = Math.floor((x / (this.width - LABEL_WIDTH)) * times.length);
    const row = rows[r];
    if (x < 0 || !row || c < 0 || c >= times.length) {
      this.readout.textContent = ' ';
      return;
    }
    this.readout.textContent = `${legends[r]} at ${formatTime(times[c] as number)}: ${formatValue(row[c], panel.unit)}`;
  }
}
