// k6 thresholds: parse `'p(95)<300'`-style expressions on metrics or tag-filtered sub-metrics,
// evaluate them at the end of the run, and decide mid-run whether an abortOnFail threshold stops
// the test. Unlike early k6 (grafana/k6#1526), a threshold on a metric that does not exist is an
// error, so a typo cannot make a failing test pass.
import { formatDuration, parseDuration } from './duration.ts';
import type { MetricsRegistry, MetricType, Tags } from './metrics.ts';
import type { ThresholdInput } from './options.ts';
import { didYouMean } from './suggest.ts';

/** k6 re-evaluates thresholds this often during a run (metrics engine `thresholdsRate`). */
export const THRESHOLD_CHECK_INTERVAL_MS = 2000;

export const THRESHOLD_OPERATORS = ['<=', '<', '>=', '>', '===', '==', '!='] as const;
export type ThresholdOperator = (typeof THRESHOLD_OPERATORS)[number];

export type AggregationMethod = 'count' | 'rate' | 'value' | 'avg' | 'min' | 'med' | 'max' | 'p';

/** k6's supportedAggregationMethods, in k6's order (used in error messages too). */
const METHODS_BY_TYPE: Readonly<Record<MetricType, readonly AggregationMethod[]>> = {
  counter: ['count', 'rate'],
  gauge: ['value'],
  rate: ['rate'],
  trend: ['avg', 'min', 'max', 'med', 'p'],
};

const KEYWORD_METHODS: readonly AggregationMethod[] = ['value', 'count', 'rate', 'avg', 'min', 'med', 'max'];

const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** One parsed expression, e.g. `p(95)<300`. */
export type ThresholdExpression = {
  /** The expression as the script wrote it; the key of k6's `thresholds` summary data. */
  source: string;
  method: AggregationMethod;
  /** For `p(N)`: N, between 0 and 100. */
  percentile?: number;
  operator: ThresholdOperator;
  value: number;
  abortOnFail: boolean;
  /** Minimum run time (ms) before a failure may abort the test. */
  delayAbortEval?: number;
};

/** All expressions on one metric or sub-metric key. */
export type MetricThresholds = {
  /** The key as written: `http_req_duration` or `http_req_duration{expected_response:true}`. */
  key: string;
  /** The metric the samples come from. */
  metric: string;
  /** The sub-metric's tag filter; empty for a whole metric. */
  tags: Tags;
  type: MetricType;
  expressions: ThresholdExpression[];
};

export type ParsedThresholds = MetricThresholds[];

export type ParseThresholdsResult = { ok: true; value: ParsedThresholds } | { ok: false; error: string };

/** The metrics a threshold may name: built-ins plus the script's custom metrics. */
export type KnownMetrics = ReadonlyMap<string, MetricType>;

type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** The stat key for an expression, as in handleSummary values (`p(95)`, `avg`, ...). */
export function aggregationKey(expression: Pick<ThresholdExpression, 'method' | 'percentile'>): string {
  return expression.method === 'p' ? `p(${expression.percentile ?? 0})` : expression.method;
}

/** k6's scanThresholdExpression: the first operator token found, in k6's token order. */
function scanExpression(source: string): Parsed<{ left: string; operator: ThresholdOperator; right: string }> {
  for (const operator of THRESHOLD_OPERATORS) {
    const at = source.indexOf(operator);
    if (at >= 0) {
      return { ok: true, value: { left: source.slice(0, at).trim(), operator, right: source.slice(at + operator.length).trim() } };
    }
  }
  return { ok: false, error: `it has no comparison operator (use one of ${THRESHOLD_OPERATORS.join(' ')})` };
}

function parseMethod(text: string): Parsed<{ method: AggregationMethod; percentile?: number }> {
  const keyword = KEYWORD_METHODS.find((method) => method === text);
  if (keyword !== undefined) return { ok: true, value: { method: keyword } };
  if (text.startsWith('p(') && text.endsWith(')')) {
    const inner = text.slice(2, -1);
    const percentile = Number(inner);
    if (!PLAIN_NUMBER.test(inner) || percentile < 0 || percentile > 100) {
      return { ok: false, error: `"${text}" is not a percentile; write p(N) with N between 0 and 100, like p(95) or p(99.9)` };
    }
    return { ok: true, value: { method: 'p', percentile } };
  }
  const hint = /^p\d/.test(text) ? ` (write p(${text.slice(1)}))` : '';
  return { ok: false, error: `"${text}" is not an aggregation (use count, rate, value, avg, min, med, max or p(N))${hint}` };
}

/** Parses one threshold expression such as `p(99.9)<=500` or `rate<0.01`. */
export function parseThresholdExpression(
  source: string,
): Parsed<Pick<ThresholdExpression, 'method' | 'percentile' | 'operator' | 'value'>> {
  const scanned = scanExpression(source);
  if (!scanned.ok) return scanned;
  const { left, operator, right } = scanned.value;
  const method = parseMethod(left);
  if (!method.ok) return method;
  if (!PLAIN_NUMBER.test(right)) return { ok: false, error: `"${right}" after ${operator} is not a number` };
  return { ok: true, value: { ...method.value, operator, value: Number(right) } };
}

/**
 * k6's ParseMetricName + AddSubmetric: `metric{key:value,key2:value2}`; keys and values are
 * trimmed and may be quoted.
 */
export function parseMetricKey(key: string): Parsed<{ metric: string; tags: Tags }> {
  const open = key.indexOf('{');
  const close = key.lastIndexOf('}');
  if (open < 0 && close < 0) return { ok: true, value: { metric: key, tags: {} } };
  if (open < 0 || close < 0) return { ok: false, error: 'it has unmatched opening/closing curly braces' };
  if (close !== key.length - 1 || close < open) return { ok: false, error: 'the closing curly brace must come last' };
  const inside = key.slice(open + 1, close).trim();
  if (inside === '') return { ok: false, error: 'the tag filter between the braces is empty' };
  const tags: Record<string, string> = {};
  for (const part of inside.split(',')) {
    const colon = part.indexOf(':');
    const tagKey = (colon < 0 ? part : part.slice(0, colon)).trim().replace(/^["']+|["']+$/g, '');
    const tagValue =
      colon < 0
        ? ''
        : part
            .slice(colon + 1)
            .trim()
            .replace(/^["']+|["']+$/g, '');
    if (tagKey === '' || tagValue === '') return { ok: false, error: `the tag filter "${part.trim()}" must look like key:value` };
    tags[tagKey] = tagValue;
  }
  return { ok: true, value: { metric: key.slice(0, open), tags } };
}

function parseDefinition(definition: ThresholdInput, type: MetricType): Parsed<ThresholdExpression> {
  const source = typeof definition === 'string' ? definition : definition.threshold;
  const parsed = parseThresholdExpression(source);
  if (!parsed.ok) return parsed;
  if (!METHODS_BY_TYPE[type].includes(parsed.value.method)) {
    const supported = METHODS_BY_TYPE[type].map((method) => (method === 'p' ? 'p(N)' : method)).join(', ');
    return { ok: false, error: `${aggregationKey(parsed.value)} cannot be used on a ${type} metric (use ${supported})` };
  }
  const expression: ThresholdExpression = { source, ...parsed.value, abortOnFail: false };
  if (typeof definition === 'string') return { ok: true, value: expression };
  expression.abortOnFail = definition.abortOnFail ?? false;
  if (definition.delayAbortEval !== undefined) {
    try {
      expression.delayAbortEval = parseDuration(definition.delayAbortEval);
    } catch (error) {
      return { ok: false, error: `delayAbortEval: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  return { ok: true, value: expression };
}

function parseMetricThresholds(key: string, definitions: readonly ThresholdInput[], known: KnownMetrics): Parsed<MetricThresholds> {
  const parsedKey = parseMetricKey(key);
  if (!parsedKey.ok) return { ok: false, error: `invalid threshold metric "${key}": ${parsedKey.error}` };
  const { metric, tags } = parsedKey.value;
  const type = known.get(metric);
  if (type === undefined) {
    return {
      ok: false,
      error: `threshold on unknown metric "${metric}": it is neither a k6 built-in metric nor defined by the script${didYouMean(metric, known.keys())}`,
    };
  }
  const expressions: ThresholdExpression[] = [];
  const problems: string[] = [];
  for (const definition of definitions) {
    const expression = parseDefinition(definition, type);
    if (expression.ok) expressions.push(expression.value);
    else
      problems.push(
        `invalid threshold "${typeof definition === 'string' ? definition : definition.threshold}" on "${key}": ${expression.error}`,
      );
  }
  if (problems.length > 0) return { ok: false, error: problems.join('; ') };
  return { ok: true, value: { key, metric, tags, type, expressions } };
}

/**
 * Parses the `thresholds` option (raw or normalised) against the metrics that exist once the
 * script's init code has run. Every problem is reported, one sentence each.
 */
export function parseThresholds(
  thresholds: Readonly<Record<string, readonly ThresholdInput[]>> | undefined,
  knownMetrics: KnownMetrics,
): ParseThresholdsResult {
  const parsed: MetricThresholds[] = [];
  const problems: string[] = [];
  for (const key of Object.keys(thresholds ?? {}).sort()) {
    const result = parseMetricThresholds(key, thresholds?.[key] ?? [], knownMetrics);
    if (result.ok) parsed.push(result.value);
    else problems.push(result.error);
  }
  return problems.length > 0 ? { ok: false, error: problems.join('; ') } : { ok: true, value: parsed };
}

/** The outcome of one expression; `actual` is null when k6 had nothing to compare (an empty rate). */
export type ThresholdOutcome = { expression: string; ok: boolean; actual: number | null; abortOnFail: boolean };

export type MetricThresholdOutcome = {
  /** The threshold key, e.g. `http_req_duration{expected_response:true}`. */
  metric: string;
  /** The metric the samples come from, and the sub-metric's tag filter. */
  parent: string;
  tags: Tags;
  ok: boolean;
  thresholds: ThresholdOutcome[];
};

export type ThresholdResults = { ok: boolean; metrics: MetricThresholdOutcome[] };

function compare(actual: number, operator: ThresholdOperator, expected: number): boolean {
  switch (operator) {
    case '>':
      return actual > expected;
    case '>=':
      return actual >= expected;
    case '<=':
      return actual <= expected;
    case '<':
      return actual < expected;
    case '==':
    case '===':
      return actual === expected;
    case '!=':
      return actual !== expected;
  }
}

/** k6's sink values for an expression; undefined when k6 leaves the key out (an empty rate). */
function aggregate(
  set: MetricThresholds,
  expression: ThresholdExpression,
  registry: MetricsRegistry,
  durationMs: number,
): number | undefined {
  const filter = Object.keys(set.tags).length > 0 ? set.tags : undefined;
  switch (set.type) {
    case 'counter': {
      const { count } = registry.counter(set.metric, filter, durationMs);
      // Unguarded like k6's Thresholds.Run: a zero duration gives Infinity or NaN.
      return expression.method === 'count' ? count : count / (durationMs / 1000);
    }
    case 'gauge':
      return registry.gauge(set.metric, filter).value;
    case 'rate': {
      const { total, rate } = registry.rate(set.metric, filter);
      return total > 0 ? rate : undefined;
    }
    case 'trend': {
      const stats = registry.trend(set.metric, filter);
      return expression.method === 'p' ? stats.percentile(expression.percentile ?? 0) : stats.stat(expression.method);
    }
  }
}

function evaluateSet(set: MetricThresholds, registry: MetricsRegistry, durationMs: number): MetricThresholdOutcome {
  const thresholds = set.expressions.map((expression): ThresholdOutcome => {
    const actual = aggregate(set, expression, registry, durationMs);
    return {
      expression: expression.source,
      ok: actual === undefined ? true : compare(actual, expression.operator, expression.value),
      actual: actual ?? null,
      abortOnFail: expression.abortOnFail,
    };
  });
  return { metric: set.key, parent: set.metric, tags: set.tags, ok: thresholds.every((outcome) => outcome.ok), thresholds };
}

/** End-of-test evaluation (k6 includes metrics without samples here). */
export function evaluateThresholds(parsed: ParsedThresholds, registry: MetricsRegistry, durationMs: number): ThresholdResults {
  const metrics = parsed.map((set) => evaluateSet(set, registry, durationMs));
  return { ok: metrics.every((metric) => metric.ok), metrics };
}

export type AbortDecision = { abort: boolean; breached: string[]; reason?: string };

/**
 * The periodic mid-run check (call it every THRESHOLD_CHECK_INTERVAL_MS of test time): abort when
 * a failing threshold has abortOnFail and its delayAbortEval, if any, is shorter than the time
 * elapsed. Metrics without samples yet are skipped, as k6 does during the run.
 */
export function checkAbortThresholds(parsed: ParsedThresholds, registry: MetricsRegistry, elapsedMs: number): AbortDecision {
  if (!parsed.some((set) => set.expressions.some((expression) => expression.abortOnFail))) return { abort: false, breached: [] };
  const breached: string[] = [];
  let abort = false;
  for (const set of parsed) {
    const filter = Object.keys(set.tags).length > 0 ? set.tags : undefined;
    if (registry.sampleCount(set.metric, filter) === 0) continue;
    const outcome = evaluateSet(set, registry, elapsedMs);
    if (outcome.ok) continue;
    breached.push(set.key);
    set.expressions.forEach((expression, index) => {
      if (outcome.thresholds[index]?.ok !== false || !expression.abortOnFail) return;
      if (expression.delayAbortEval === undefined || expression.delayAbortEval < elapsedMs) abort = true;
    });
  }
  breached.sort();
  if (!abort) return { abort, breached };
  return {
    abort,
    breached,
    reason: `thresholds on metrics '${breached.join(', ')}' were breached; at least one has abortOnFail enabled, stopping test prematurely after ${formatDuration(elapsedMs)}`,
  };
}
