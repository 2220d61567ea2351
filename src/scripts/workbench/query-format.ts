// How the SLO workbench writes labels, samples, times and durations, like Prometheus's UI does.
// Pure: the views and their unit tests share it.
import type { SampleValue } from '../../../labs/runtime/lab/outcome.ts';

type Labels = Record<string, string>;

/** `http_requests_total{code="200", route="/cart"}`, labels sorted, like Prometheus's UI. */
export function formatLabels(metric: Labels): string {
  const { __name__: name = '', ...rest } = metric;
  const pairs = Object.keys(rest)
    .sort()
    .map((k) => `${k}=${JSON.stringify(rest[k])}`);
  return pairs.length === 0 ? name || '{}' : `${name}{${pairs.join(', ')}}`;
}

/** A sample as Prometheus prints it, up to 12 significant digits. */
export function formatSample(v: SampleValue): string {
  if (typeof v === 'string') return v;
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  return String(Number(v.toPrecision(12)));
}

export function formatTime(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.000Z$/, ' UTC')
    .replace(/Z$/, ' UTC');
}

export function describeError(error: { message: string; line?: number | undefined; column?: number | undefined }): string {
  return error.line !== undefined ? `Line ${error.line}, column ${error.column ?? 1}: ${error.message}` : error.message;
}

/** "2 h 5 min", "45 s": durations the way an on-call engineer says them. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

/** Points per graphed series: fine enough to see a blip, far below Prometheus's 11,000. */
export const GRAPH_POINTS = 360;

/** A step that gives about GRAPH_POINTS points, in whole scrape intervals. */
export function graphStep(rangeMs: number, scrapeIntervalMs: number): number {
  return Math.max(scrapeIntervalMs, Math.ceil(rangeMs / GRAPH_POINTS / scrapeIntervalMs) * scrapeIntervalMs);
}

/** A time-axis label in UTC, 24-hour: the date for day steps and at midnight, else the time. */
export function timeTick(seconds: number, incrementSeconds: number): string {
  const iso = new Date(seconds * 1000).toISOString();
  const time = iso.slice(11, 16);
  return incrementSeconds >= 86_400 || time === '00:00' ? iso.slice(5, 10) : time;
}
