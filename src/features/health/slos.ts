// Headroom's own SLOs (ops/SLOS.md says why these targets). The one definition behind the
// Prometheus recording rules and alerts (scripts/slo-rules.ts writes ops/prometheus/rules/) and the
// instructor's /admin/health page, which evaluates the same SLIs from this process's metrics or
// from Prometheus. Pure: no framework, no prom-client.

/** A set of series: a metric name with equality (`labels`) and inequality (`exclude`) matchers. */
export interface Selector {
  metric: string;
  labels?: Readonly<Record<string, string>>;
  exclude?: Readonly<Record<string, string>>;
}

export interface SloDefinition {
  /** The `slo` label of the recorded series and alerts. */
  id: 'autosave-success' | 'autosave-latency' | 'page-availability' | 'verification-latency';
  title: string;
  /** What a good event is, in one sentence a learner of module 2 would write. */
  sli: string;
  /** Target share of good events over the window, e.g. 0.999. */
  objective: number;
  /** Events that count as good. */
  good: Selector;
  /** Every event that counts (good and bad); events outside it do not spend the budget. */
  total: Selector;
}

/** The SLO window: 30 days, rolling. */
export const SLO_WINDOW_DAYS = 30;

export const SLOS: readonly SloDefinition[] = [
  {
    id: 'autosave-success',
    title: 'Autosave success',
    sli: 'Share of autosaves that were committed and acknowledged, out of all autosaves the server did not refuse as invalid or late.',
    objective: 0.999,
    good: { metric: 'headroom_autosaves_total', labels: { outcome: 'acknowledged' } },
    total: { metric: 'headroom_autosaves_total', exclude: { outcome: 'rejected' } },
  },
  {
    id: 'autosave-latency',
    title: 'Autosave latency',
    sli: 'Share of acknowledged autosaves answered within 100 ms.',
    objective: 0.99,
    good: { metric: 'headroom_autosave_duration_seconds_bucket', labels: { outcome: 'acknowledged', le: '0.1' } },
    total: { metric: 'headroom_autosave_duration_seconds_count', labels: { outcome: 'acknowledged' } },
  },
  {
    id: 'page-availability',
    title: 'Page availability',
    sli: 'Share of HTTP requests (pages, assets and API, except /metrics) answered without a server error (5xx).',
    objective: 0.995,
    good: { metric: 'http_request_duration_seconds_count', exclude: { route: '/metrics', status_class: '5xx' } },
    total: { metric: 'http_request_duration_seconds_count', exclude: { route: '/metrics' } },
  },
  {
    id: 'verification-latency',
    title: 'Lab verification latency',
    sli: 'Share of lab submissions re-run by the server and answered within 60 s, queue wait included (refusals because the verifier is busy count as bad).',
    objective: 0.95,
    good: { metric: 'headroom_lab_verification_duration_seconds_bucket', labels: { outcome: 'completed', le: '60' } },
    total: { metric: 'headroom_lab_verification_duration_seconds_count' },
  },
];

/** The multiwindow, multi-burn-rate alerts of the SRE Workbook (ch. 5, table 5-8), for a 30-day SLO. */
export const BURN_RATE_ALERTS = [
  { severity: 'page', longWindow: '1h', shortWindow: '5m', burnRate: 14.4, budgetSpent: 0.02 },
  { severity: 'page', longWindow: '6h', shortWindow: '30m', burnRate: 6, budgetSpent: 0.05 },
  { severity: 'ticket', longWindow: '1d', shortWindow: '2h', burnRate: 3, budgetSpent: 0.1 },
  { severity: 'ticket', longWindow: '3d', shortWindow: '6h', burnRate: 1, budgetSpent: 0.1 },
] as const;

/** Every window a recording rule exists for. */
export const SLI_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;

export function errorBudget(slo: SloDefinition): number {
  return 1 - slo.objective;
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

export function selectorToPromQL(selector: Selector): string {
  const matchers = [
    ...Object.entries(selector.labels ?? {}).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`),
    ...Object.entries(selector.exclude ?? {}).map(([k, v]) => `${k}!="${escapeLabelValue(v)}"`),
  ];
  return matchers.length > 0 ? `${selector.metric}{${matchers.join(',')}}` : selector.metric;
}

/**
 * The SLI's error ratio over `window`: bad events ÷ all events, summed over every instance. Good
 * events that were never counted (no series yet) are 0, so a total outage still reads 1, not
 * "no data".
 */
export function errorRatioQuery(slo: SloDefinition, window: string): string {
  const total = `sum(rate(${selectorToPromQL(slo.total)}[${window}]))`;
  const good = `(sum(rate(${selectorToPromQL(slo.good)}[${window}])) or vector(0))`;
  return `(${total} - ${good}) / ${total}`;
}

/** Name of the recorded error ratio over `window` (level:metric:operations). */
export function errorRatioRecord(window: string): string {
  return `slo:sli_error:ratio_rate${window}`;
}

export interface SeriesValue {
  name: string;
  labels: Readonly<Record<string, string | number>>;
  value: number;
}

export function matches(selector: Selector, series: SeriesValue): boolean {
  if (series.name !== selector.metric) return false;
  for (const [k, v] of Object.entries(selector.labels ?? {})) if (String(series.labels[k] ?? '') !== v) return false;
  for (const [k, v] of Object.entries(selector.exclude ?? {})) if (String(series.labels[k] ?? '') === v) return false;
  return true;
}

export function sumMatching(selector: Selector, series: readonly SeriesValue[]): number {
  let sum = 0;
  for (const s of series) if (matches(selector, s)) sum += s.value;
  return sum;
}

export interface SliReading {
  /** Good ÷ total, or null with no events. */
  sli: number | null;
  /** Share of the error budget not spent: 1 − (error ratio ÷ budget); negative when overspent. */
  budgetLeft: number | null;
  events: number;
}

/** The SLI and budget left from good and total event counts over one window. */
export function readSli(slo: SloDefinition, good: number, total: number): SliReading {
  if (!(total > 0)) return { sli: null, budgetLeft: null, events: 0 };
  const sli = Math.min(1, Math.max(0, good / total));
  return { sli, budgetLeft: 1 - (1 - sli) / errorBudget(slo), events: total };
}

/** The SLI from counters since they started (one process's own registry). */
export function readSliFromCounters(slo: SloDefinition, series: readonly SeriesValue[]): SliReading {
  return readSli(slo, sumMatching(slo.good, series), sumMatching(slo.total, series));
}

/** A ratio as a percentage for people: 0.99953 → "99.95 %", null → "no data". */
export function formatPercent(value: number | null, digits = 2): string {
  if (value === null || !Number.isFinite(value)) return 'no data';
  return `${(value * 100).toFixed(digits).replace('-', '−')} %`;
}
