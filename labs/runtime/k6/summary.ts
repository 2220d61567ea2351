// k6's end-of-test summary: the data object handed to handleSummary() and the classic text layout
// (k6's `--summary-mode=legacy`, the k6-summary jslib's textSummary), reproduced line for line.
import type { MetricContains, MetricsRegistry, MetricType, Tags } from './metrics.ts';
import { DEFAULT_SUMMARY_TREND_STATS } from './options.ts';
import type { ThresholdResults } from './thresholds.ts';

/** k6 exits with this code when thresholds fail (errext ThresholdsHaveFailed), also on abortOnFail. */
export const THRESHOLDS_FAILED_EXIT_CODE = 99;

export type SummaryTimeUnit = 's' | 'ms' | 'us';

export type SummaryCheck = { name: string; path: string; passes: number; fails: number };

/** A group as in `data.root_group` (k6 also adds an MD5 `id`, which the simulator leaves out). */
export type SummaryGroup = { name: string; path: string; groups: SummaryGroup[]; checks: SummaryCheck[] };

export type SummaryMetric = {
  type: MetricType;
  contains: MetricContains;
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
};

/** The `data` argument of handleSummary(). */
export type SummaryData = {
  root_group: SummaryGroup;
  options: { summaryTrendStats: string[]; summaryTimeUnit: string; noColor: boolean };
  state: { isStdOutTTY: boolean; isStdErrTTY: boolean; testRunDurationMs: number };
  metrics: Record<string, SummaryMetric>;
  setup_data?: unknown;
};

export type SummaryInput = {
  registry: MetricsRegistry;
  testRunDurationMs: number;
  /** The end-of-test threshold evaluation; its sub-metrics are shown under their parents. */
  thresholdResults?: ThresholdResults;
  /**
   * Group paths (`::outer::inner`) in the order VUs first entered them. Groups k6 saw but that
   * hold no checks only appear if listed here; the others are found from the `checks` samples.
   */
  groupPaths?: readonly string[];
  summaryTrendStats?: readonly string[];
  summaryTimeUnit?: SummaryTimeUnit;
  /** ANSI colours, as k6 uses on a terminal; off by default. */
  enableColors?: boolean;
  /** What setup() returned, passed through as `data.setup_data`. */
  setupData?: unknown;
};

// k6 creates this sub-metric itself (expected_response is a default system tag), so it shows up
// under http_req_duration without any threshold.
const EXPECTED_RESPONSE_SUBMETRIC = {
  key: 'http_req_duration{expected_response:true}',
  metric: 'http_req_duration',
  tags: { expected_response: 'true' },
};

const GROUP_SEPARATOR = '::';

type GroupIndex = { root: SummaryGroup; byPath: Map<string, SummaryGroup> };

function ensureGroup(index: GroupIndex, path: string): SummaryGroup {
  const known = index.byPath.get(path);
  if (known !== undefined) return known;
  const cut = path.lastIndexOf(GROUP_SEPARATOR);
  const parent = ensureGroup(index, cut <= 0 ? '' : path.slice(0, cut));
  const name = cut < 0 ? path : path.slice(cut + GROUP_SEPARATOR.length);
  const group: SummaryGroup = { name, path, groups: [], checks: [] };
  parent.groups.push(group);
  index.byPath.set(path, group);
  return group;
}

/** `data.root_group`: groups in first-entered order, checks in first-run order with their counts. */
function buildRootGroup(registry: MetricsRegistry, groupPaths: readonly string[]): SummaryGroup {
  const root: SummaryGroup = { name: '', path: '', groups: [], checks: [] };
  const index: GroupIndex = { root, byPath: new Map([['', root]]) };
  for (const path of groupPaths) ensureGroup(index, path);
  const checksByPath = new Map<string, SummaryCheck>();
  const checksByTagSet = new Map<number, SummaryCheck>();
  registry.forEachSample('checks', undefined, (value, _time, tagSet) => {
    let check = checksByTagSet.get(tagSet);
    if (check === undefined) {
      const tags = registry.tagsOf(tagSet);
      const groupPath = tags['group'] ?? '';
      const name = tags['check'] ?? '';
      const path = `${groupPath}${GROUP_SEPARATOR}${name}`;
      check = checksByPath.get(path);
      if (check === undefined) {
        check = { name, path, passes: 0, fails: 0 };
        checksByPath.set(path, check);
        ensureGroup(index, groupPath).checks.push(check);
      }
      checksByTagSet.set(tagSet, check);
    }
    if (value !== 0) check.passes++;
    else check.fails++;
  });
  return root;
}

function byOrdinal(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** handleSummary()'s `data`: every metric with samples or thresholds, keys in ordinal order. */
export function summaryData(input: SummaryInput): SummaryData {
  const { registry, testRunDurationMs } = input;
  const trendStats = [...(input.summaryTrendStats ?? DEFAULT_SUMMARY_TREND_STATS)];
  const shown = new Map<string, { metric: string; tags: Tags | undefined; thresholds?: Record<string, { ok: boolean }> }>();
  for (const name of registry.names()) if (registry.sampleCount(name) > 0) shown.set(name, { metric: name, tags: undefined });
  if (registry.sampleCount(EXPECTED_RESPONSE_SUBMETRIC.metric, EXPECTED_RESPONSE_SUBMETRIC.tags) > 0) {
    shown.set(EXPECTED_RESPONSE_SUBMETRIC.key, { metric: EXPECTED_RESPONSE_SUBMETRIC.metric, tags: EXPECTED_RESPONSE_SUBMETRIC.tags });
  }
  for (const outcome of input.thresholdResults?.metrics ?? []) {
    const thresholds: Record<string, { ok: boolean }> = {};
    for (const threshold of outcome.thresholds) thresholds[threshold.expression] = { ok: threshold.ok };
    const hasTags = Object.keys(outcome.tags).length > 0;
    shown.set(outcome.metric, { metric: outcome.parent, tags: hasTags ? outcome.tags : undefined, thresholds });
    // A threshold makes k6 show the parent metric too, even before it has samples.
    if (!shown.has(outcome.parent)) shown.set(outcome.parent, { metric: outcome.parent, tags: undefined });
  }

  const metrics: Record<string, SummaryMetric> = {};
  for (const key of [...shown.keys()].sort(byOrdinal)) {
    const entry = shown.get(key);
    const info = entry === undefined ? undefined : registry.info(entry.metric);
    if (entry === undefined || info === undefined) continue;
    metrics[key] = {
      type: info.type,
      contains: info.contains,
      values: registry.summaryValues(entry.metric, entry.tags, testRunDurationMs, trendStats),
      ...(entry.thresholds === undefined ? {} : { thresholds: entry.thresholds }),
    };
  }

  return {
    root_group: buildRootGroup(registry, input.groupPaths ?? []),
    options: { summaryTrendStats: trendStats, summaryTimeUnit: input.summaryTimeUnit ?? '', noColor: !(input.enableColors ?? false) },
    state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs },
    metrics,
    ...(input.setupData === undefined ? {} : { setup_data: input.setupData }),
  };
}

/** 0 when every threshold passed (or there were none), 99 when any failed, as k6. */
export function exitCode(thresholdResults: ThresholdResults | undefined): 0 | 99 {
  return thresholdResults === undefined || thresholdResults.ok ? 0 : THRESHOLDS_FAILED_EXIT_CODE;
}

// --- The classic text summary: a port of the k6-summary jslib's textSummary(). ---

const SUCCESS_MARK = '✓';
const FAIL_MARK = '✗';
const GROUP_PREFIX = '█';
const DETAILS_PREFIX = '↳';
const PALETTE = { faint: 2, red: 31, green: 32, cyan: 36 } as const;

type Decorate = (text: string, ...codes: number[]) => string;

/** Terminal width of a string: code points after NFKC, ANSI escape sequences excluded. */
function stringWidth(text: string): number {
  let inEscape = false;
  let inLongEscape = false;
  let width = 0;
  for (const char of text.normalize('NFKC')) {
    const code = char.charCodeAt(0);
    if (char === '\x1b') {
      inEscape = true;
    } else if (inEscape && char === '[') {
      inLongEscape = true;
    } else if (inEscape && inLongEscape && code >= 0x40 && code <= 0x7e) {
      inEscape = false;
      inLongEscape = false;
    } else if (inEscape && !inLongEscape && code >= 0x40 && code <= 0x5f) {
      inEscape = false;
    } else if (!inEscape && !inLongEscape) {
      width++;
    }
  }
  return width;
}

const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];

function humanizeBytes(bytes: number): string {
  if (bytes < 10) return `${bytes} B`;
  // The jslib takes floor(log(bytes)/log(1000)); comparing against exact powers gives the same
  // exponent without depending on how an engine rounds Math.log.
  let exponent = 0;
  while (exponent < BYTE_UNITS.length - 1 && bytes >= 1000 ** (exponent + 1)) exponent++;
  const value = Math.floor((bytes / 1000 ** exponent) * 10 + 0.5) / 10;
  return `${value.toFixed(value < 10 ? 1 : 0)} ${BYTE_UNITS[exponent]}`;
}

function toFixedNoTrailingZeros(value: number, precision: number): string {
  return String(Number.parseFloat(value.toFixed(precision)));
}

function toFixedNoTrailingZerosTrunc(value: number, precision: number): string {
  const scale = 10 ** precision;
  return toFixedNoTrailingZeros(Math.trunc(scale * value) / scale, precision);
}

function humanizeGenericDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 0.001) return `${Math.trunc(ms * 1_000_000)}ns`;
  if (ms < 1) return `${toFixedNoTrailingZerosTrunc(ms * 1000, 2)}µs`;
  if (ms < 1000) return `${toFixedNoTrailingZerosTrunc(ms, 2)}ms`;
  let result = `${toFixedNoTrailingZerosTrunc((ms % 60_000) / 1000, ms > 60_000 ? 0 : 2)}s`;
  let rest = Math.trunc(ms / 60_000);
  if (rest < 1) return result;
  result = `${rest % 60}m${result}`;
  rest = Math.trunc(rest / 60);
  if (rest < 1) return result;
  return `${rest}h${result}`;
}

const TIME_UNITS: Readonly<Record<SummaryTimeUnit, { unit: string; factor: number }>> = {
  s: { unit: 's', factor: 0.001 },
  ms: { unit: 'ms', factor: 1 },
  us: { unit: 'µs', factor: 1000 },
};

function humanizeDuration(ms: number, timeUnit: string): string {
  const fixed = timeUnit === 's' || timeUnit === 'ms' || timeUnit === 'us' ? TIME_UNITS[timeUnit] : undefined;
  return fixed === undefined ? humanizeGenericDuration(ms) : `${(ms * fixed.factor).toFixed(2)}${fixed.unit}`;
}

/** The jslib's humanizeValue: rates as truncated percentages, bytes, durations, plain numbers. */
export function humanizeValue(value: number, metric: Pick<SummaryMetric, 'type' | 'contains'>, timeUnit = ''): string {
  if (metric.type === 'rate') return `${(Math.trunc(value * 100 * 100) / 100).toFixed(2)}%`;
  switch (metric.contains) {
    case 'data':
      return humanizeBytes(value);
    case 'time':
      return humanizeDuration(value, timeUnit);
    default:
      return toFixedNoTrailingZeros(value, 6);
  }
}

function nonTrendColumns(metric: SummaryMetric, timeUnit: string): string[] {
  const value = (key: string): number => metric.values[key] ?? 0;
  switch (metric.type) {
    case 'counter':
      return [humanizeValue(value('count'), metric, timeUnit), `${humanizeValue(value('rate'), metric, timeUnit)}/s`];
    case 'gauge':
      return [
        humanizeValue(value('value'), metric, timeUnit),
        `min=${humanizeValue(value('min'), metric, timeUnit)}`,
        `max=${humanizeValue(value('max'), metric, timeUnit)}`,
      ];
    case 'rate':
      return [humanizeValue(value('rate'), metric, timeUnit), `${SUCCESS_MARK} ${value('passes')}`, `${FAIL_MARK} ${value('fails')}`];
    default:
      return ['[no data]'];
  }
}

// ICU root collation order of ASCII punctuation and symbols; goja's localeCompare (what k6's
// jslib sorts metric names with) follows it, and JS engines differ in their default locale.
const SYMBOL_ORDER = ' _-,;:!?.\'"()[]{}@*/\\&#%`^+<=>|~$';

function primaryWeight(char: string): number {
  const symbol = SYMBOL_ORDER.indexOf(char);
  if (symbol >= 0) return symbol;
  const code = char.toLowerCase().charCodeAt(0);
  if (code >= 48 && code <= 57) return 100 + code;
  if (code >= 97 && code <= 122) return 200 + code;
  return 1000 + (char.codePointAt(0) ?? 0);
}

/** Deterministic stand-in for the jslib's `localeCompare`: case-insensitive first, lowercase first on ties. */
function compareLikeLocale(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const difference = primaryWeight(a.charAt(i)) - primaryWeight(b.charAt(i));
    if (difference !== 0) return difference;
  }
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < length; i++) {
    const x = a.charAt(i);
    const y = b.charAt(i);
    if (x !== y) return x === x.toLowerCase() ? -1 : 1;
  }
  return 0;
}

/** Sorts by parent metric, keeping each metric's sub-metrics right after it. */
function compareMetricNames(a: string, b: string): number {
  const parentA = a.split('{', 1)[0] ?? a;
  const parentB = b.split('{', 1)[0] ?? b;
  return compareLikeLocale(parentA, parentB) || compareLikeLocale(a.slice(parentA.length), b.slice(parentB.length));
}

function displayName(name: string): string {
  const open = name.indexOf('{');
  return open >= 0 ? `{ ${name.slice(open + 1, -1)} }` : name;
}

function metricIndent(name: string): string {
  return name.includes('{') ? '  ' : '';
}

function summarizeCheck(indent: string, check: SummaryCheck, decorate: Decorate): string {
  if (check.fails === 0) return decorate(`${indent}${SUCCESS_MARK} ${check.name}`, PALETTE.green);
  const percent = Math.floor((100 * check.passes) / (check.passes + check.fails));
  return decorate(
    `${indent}${FAIL_MARK} ${check.name}\n${indent} ${DETAILS_PREFIX}  ${percent}% — ${SUCCESS_MARK} ${check.passes} / ${FAIL_MARK} ${check.fails}`,
    PALETTE.red,
  );
}

function summarizeGroup(indent: string, group: SummaryGroup, decorate: Decorate): string[] {
  const lines: string[] = [];
  let inner = indent;
  if (group.name !== '') {
    lines.push(`${indent}${GROUP_PREFIX} ${group.name}\n`);
    inner = `${indent}  `;
  }
  for (const check of group.checks) lines.push(summarizeCheck(inner, check, decorate));
  if (group.checks.length > 0) lines.push('');
  for (const child of group.groups) lines.push(...summarizeGroup(inner, child, decorate));
  return lines;
}

type TextOptions = { indent: string; summaryTrendStats: readonly string[]; summaryTimeUnit: string };

function summarizeMetrics(options: TextOptions, data: SummaryData, decorate: Decorate): string[] {
  const indent = `${options.indent}  `;
  const names = Object.keys(data.metrics).sort(compareMetricNames);
  const trendStats = options.summaryTrendStats;
  let nameWidth = 0;
  let valueWidth = 0;
  const extraWidths = [0, 0];
  const trendWidths = trendStats.map(() => 0);
  const trendColumns = new Map<string, string[]>();
  const nonTrend = new Map<string, string[]>();

  for (const name of names) {
    const metric = data.metrics[name];
    if (metric === undefined) continue;
    nameWidth = Math.max(nameWidth, stringWidth(metricIndent(name) + displayName(name)));
    if (metric.type === 'trend') {
      const columns = trendStats.map((stat, i) => {
        const value = metric.values[stat] ?? 0;
        const text = stat === 'count' ? String(value) : humanizeValue(value, metric, options.summaryTimeUnit);
        trendWidths[i] = Math.max(trendWidths[i] ?? 0, stringWidth(text));
        return text;
      });
      trendColumns.set(name, columns);
      continue;
    }
    const columns = nonTrendColumns(metric, options.summaryTimeUnit);
    nonTrend.set(name, columns);
    valueWidth = Math.max(valueWidth, stringWidth(columns[0] ?? ''));
    columns.slice(1).forEach((extra, i) => {
      extraWidths[i] = Math.max(extraWidths[i] ?? 0, stringWidth(extra));
    });
  }

  const renderData = (name: string): string => {
    const trend = trendColumns.get(name);
    if (trend !== undefined) {
      return trend
        .map((column, i) => `${trendStats[i]}=${decorate(column, PALETTE.cyan)}${' '.repeat((trendWidths[i] ?? 0) - stringWidth(column))}`)
        .join(' ');
    }
    const [value = '', ...extras] = nonTrend.get(name) ?? [];
    let text = decorate(value, PALETTE.cyan) + ' '.repeat(valueWidth - stringWidth(value));
    if (extras.length === 1) {
      text += ` ${decorate(extras[0] ?? '', PALETTE.cyan, PALETTE.faint)}`;
    } else if (extras.length > 1) {
      const parts = extras.map(
        (extra, i) => decorate(extra, PALETTE.cyan, PALETTE.faint) + ' '.repeat((extraWidths[i] ?? 0) - stringWidth(extra)),
      );
      text += ` ${parts.join(' ')}`;
    }
    return text;
  };

  return names.map((name) => {
    const thresholds = Object.values(data.metrics[name]?.thresholds ?? {});
    let mark = ' ';
    if (thresholds.length > 0) {
      mark = thresholds.every((threshold) => threshold.ok) ? decorate(SUCCESS_MARK, PALETTE.green) : decorate(FAIL_MARK, PALETTE.red);
    }
    const fmtIndent = metricIndent(name);
    const shownName = displayName(name);
    const dots = '.'.repeat(nameWidth - stringWidth(shownName) - stringWidth(fmtIndent) + 3);
    return `${indent}${fmtIndent}${mark} ${shownName}${decorate(`${dots}:`, PALETTE.faint)} ${renderData(name)}`;
  });
}

/**
 * The k6-summary jslib's `textSummary(data, options)`: checks by group, then one line per
 * metric with dotted leaders and ✓/✗ for metrics with thresholds.
 */
export function textSummary(data: SummaryData, options: { indent?: string; enableColors?: boolean } = {}): string {
  const enableColors = options.enableColors ?? !data.options.noColor;
  const decorate: Decorate = enableColors ? (text, ...codes) => `\x1b[${codes.join(';')}m${text}\x1b[0m` : (text) => text;
  const textOptions: TextOptions = {
    indent: options.indent ?? ' ',
    summaryTrendStats: data.options.summaryTrendStats,
    summaryTimeUnit: data.options.summaryTimeUnit,
  };
  const lines = [
    ...summarizeGroup(`${textOptions.indent}    `, data.root_group, decorate),
    ...summarizeMetrics(textOptions, data, decorate),
  ];
  return lines.join('\n');
}

/** What k6 prints to stdout at the end of a run (without handleSummary). */
export function renderSummary(input: SummaryInput): string {
  return `\n${textSummary(summaryData(input), { indent: ' ', enableColors: input.enableColors ?? false })}\n\n`;
}
