// `promql` exam items: the candidate writes a query, the server evaluates it and the key on the
// item's hidden dataset with the lab's engine, and credits the answer when the two *results* are
// equivalent (same series, values within a relative tolerance), never by comparing text.
// Server-side only in practice (the dataset and key are secrets), but pure: no Node APIs, so the
// item check script and unit tests use it directly.
import {
  instantQuery,
  parseQuery,
  type QueryResult,
  type QueryValue,
  rangeQuery,
  STALE_NAN,
  Tsdb,
} from '../../../labs/runtime/promql/index.ts';
import { parseSeriesLine } from '../../../labs/runtime/promql/series-notation.ts';
import type { Labels } from '../../../labs/runtime/promql/types.ts';
import { type PromqlEvaluation, type PromqlItem, QUERY_MAX_LENGTH } from './items.ts';

/** Bounds on one candidate query, like Prometheus's `--query.max-samples` and `--query.timeout`. */
export const EXAM_QUERY_LIMITS = { maxSamples: 1_000_000, timeoutMs: 2_000, maxLength: QUERY_MAX_LENGTH } as const;

export interface PromqlGrade {
  credit: 0 | 1;
  /** Why, in words an instructor (or the item check) can act on. Never shown to candidates during the exam. */
  message: string;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };

/** Milliseconds of a Prometheus duration such as `1h30m` (validated by the item schema). */
export function durationMs(text: string): number {
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) total += Number(amount) * (UNITS[unit ?? ''] ?? 0);
  return total;
}

function formatLabels(labels: Labels): string {
  const { __name__: name = '', ...rest } = labels;
  const pairs = Object.keys(rest)
    .sort()
    .map((k) => `${k}=${JSON.stringify(rest[k])}`);
  return pairs.length === 0 ? name : `${name}{${pairs.join(', ')}}`;
}

type Dataset = { ok: true; db: Tsdb; series: string[] } | { ok: false; problems: string[] };

function buildDataset(item: PromqlItem): Dataset {
  const interval = durationMs(item.dataset.interval);
  const db = new Tsdb();
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [index, line] of item.dataset.series.entries()) {
    const parsed = parseSeriesLine(line);
    if (!parsed.ok) {
      problems.push(`dataset.series.${index}: ${parsed.error}`);
      continue;
    }
    const name = formatLabels(parsed.labels);
    if (seen.has(name)) {
      problems.push(`dataset.series.${index}: ${name} appears twice`);
      continue;
    }
    seen.add(name);
    const t: number[] = [];
    const v: number[] = [];
    parsed.values.forEach((value, i) => {
      if (value === null) return;
      t.push(i * interval);
      v.push(value === 'stale' ? STALE_NAN : value);
    });
    if (t.length > 0) db.load(parsed.labels, Float64Array.from(t), Float64Array.from(v));
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, db, series: [...seen].sort() };
}

function evaluate(db: Tsdb, evaluation: PromqlEvaluation, query: string): QueryResult {
  const options = { maxSamples: EXAM_QUERY_LIMITS.maxSamples, timeoutMs: EXAM_QUERY_LIMITS.timeoutMs };
  try {
    return 'time' in evaluation
      ? instantQuery(db, query, durationMs(evaluation.time), options)
      : rangeQuery(db, query, durationMs(evaluation.start), durationMs(evaluation.end), durationMs(evaluation.step), options);
  } catch (error) {
    // The engine reports errors as values; a throw is a bug in it, and still must not become a 5xx.
    return { ok: false, error: { kind: 'execution', message: `internal error: ${(error as Error).message}` } };
  }
}

interface Prepared {
  dataset: Dataset;
  key: QueryResult | null;
}

const prepared = new Map<string, Prepared>();

function prepare(item: PromqlItem): Prepared {
  const id = `${item.id}@${item.version}`;
  let entry = prepared.get(id);
  if (!entry) {
    const dataset = buildDataset(item);
    entry = { dataset, key: dataset.ok ? evaluate(dataset.db, item.evaluation, item.key) : null };
    prepared.set(id, entry);
  }
  return entry;
}

/** The dataset's label sets, without values: what candidates may see. */
export function datasetSeries(item: PromqlItem): string[] {
  const { dataset } = prepare(item);
  return dataset.ok ? dataset.series : [];
}

/** Content problems of a promql item: a dataset that does not expand, a key that does not evaluate or returns nothing. */
export function promqlItemProblems(item: PromqlItem): string[] {
  const { dataset, key } = prepare(item);
  if (!dataset.ok) return dataset.problems;
  if (!key?.ok) return [`key does not evaluate: ${key?.error.message ?? 'no dataset'}`];
  const empty = (key.value.resultType === 'vector' || key.value.resultType === 'matrix') && key.value.result.length === 0;
  return empty ? ['key returns an empty result: every query that returns nothing would score'] : [];
}

/** Whether the key orders its result, so the candidate's order matters too. */
export function keyIsOrdered(key: string): boolean {
  return /^\s*sort(_desc|_by_label|_by_label_desc)?\s*\(/.test(key);
}

function sameNumber(a: number, b: number, tolerance: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b)) || Math.abs(a - b) < 1e-12;
}

interface Row {
  labels: string;
  t: number[];
  v: number[];
}

/** Every result as rows of (labels, points); a scalar is one row without labels, as is a label-less one-element vector. */
function rows(value: QueryValue): { kind: 'series' | 'string'; rows: Row[]; text?: string } {
  switch (value.resultType) {
    case 'scalar':
      return { kind: 'series', rows: [{ labels: '{}', t: [value.t], v: [value.v] }] };
    case 'string':
      return { kind: 'string', rows: [], text: value.v };
    case 'vector':
      return { kind: 'series', rows: value.result.map((s) => ({ labels: formatLabels(s.metric) || '{}', t: [s.t], v: [s.v] })) };
    case 'matrix':
      return { kind: 'series', rows: value.result.map((s) => ({ labels: formatLabels(s.metric) || '{}', t: s.t, v: s.v })) };
  }
}

export type Comparison = { equal: true } | { equal: false; reason: string };

/** Result equivalence: same series label sets, same timestamps, values within the relative tolerance. */
export function compareResults(expected: QueryValue, got: QueryValue, options: { tolerance: number; ordered: boolean }): Comparison {
  const want = rows(expected);
  const have = rows(got);
  if (want.kind === 'string' || have.kind === 'string')
    return want.kind === have.kind && want.text === have.text ? { equal: true } : { equal: false, reason: 'the string results differ' };
  const byLabels = (a: Row, b: Row) => (a.labels < b.labels ? -1 : a.labels > b.labels ? 1 : 0);
  const a = options.ordered ? want.rows : [...want.rows].sort(byLabels);
  const b = options.ordered ? have.rows : [...have.rows].sort(byLabels);
  if (a.length !== b.length) return { equal: false, reason: `${b.length} series where ${a.length} are expected` };
  for (const [i, row] of a.entries()) {
    const other = b[i] as Row;
    if (row.labels !== other.labels) {
      const missing = a.find((r) => !b.some((o) => o.labels === r.labels));
      return {
        equal: false,
        reason: options.ordered && !missing ? 'the series are in a different order' : `the series ${other.labels} is not expected`,
      };
    }
    if (row.t.length !== other.t.length || row.t.some((t, j) => t !== other.t[j]))
      return { equal: false, reason: `${row.labels} has points at other times` };
    const j = row.v.findIndex((v, k) => !sameNumber(v, other.v[k] as number, options.tolerance));
    if (j >= 0) return { equal: false, reason: `${row.labels} is ${other.v[j]} where ${row.v[j]} is expected` };
  }
  return { equal: true };
}

/** The parse/type problem of a query, with its position, or null: safe to show the candidate (says nothing about the data). */
export function querySyntaxProblem(query: string): { message: string; line?: number | undefined; column?: number | undefined } | null {
  if (query.length > EXAM_QUERY_LIMITS.maxLength) return { message: `the query is longer than ${EXAM_QUERY_LIMITS.maxLength} characters` };
  if (query.trim() === '') return null;
  const parsed = parseQuery(query);
  if (parsed.ok) return null;
  return { message: parsed.error.message, line: parsed.error.line, column: parsed.error.column };
}

const graded = new Map<string, PromqlGrade>();
const GRADE_CACHE_LIMIT = 5_000;

/**
 * Grades one answer. Memoised per item version and query text: the submission re-grades answers
 * graded just before it (outside its transaction), and candidates often write the same query.
 */
export function gradePromqlAnswer(item: PromqlItem, query: string): PromqlGrade {
  const cacheKey = `${item.id}@${item.version}\n${query}`;
  const hit = graded.get(cacheKey);
  if (hit) return hit;
  const grade = gradeUncached(item, query);
  if (graded.size >= GRADE_CACHE_LIMIT) graded.delete(graded.keys().next().value as string);
  graded.set(cacheKey, grade);
  return grade;
}

function gradeUncached(item: PromqlItem, query: string): PromqlGrade {
  if (query.trim() === '') return { credit: 0, message: 'no query was given' };
  if (query.length > EXAM_QUERY_LIMITS.maxLength)
    return { credit: 0, message: `the query is longer than ${EXAM_QUERY_LIMITS.maxLength} characters` };
  const { dataset, key } = prepare(item);
  if (!dataset.ok || !key?.ok) return { credit: 0, message: 'the item is broken: its key does not evaluate (run the exam item check)' };
  const result = evaluate(dataset.db, item.evaluation, query);
  if (!result.ok) {
    const where = result.error.line !== undefined ? ` (line ${result.error.line}, column ${result.error.column ?? 1})` : '';
    const reasons: Record<string, string> = {
      parse: 'the query does not parse',
      bad_data: 'the query is not valid',
      too_many_samples: `the query loads more than ${EXAM_QUERY_LIMITS.maxSamples.toLocaleString('en')} samples`,
      timeout: `the query ran longer than ${EXAM_QUERY_LIMITS.timeoutMs / 1000} s`,
      execution: 'the query fails when evaluated',
      unsupported: 'the query uses an unsupported feature',
    };
    return { credit: 0, message: `${reasons[result.error.kind] ?? 'the query fails'}: ${result.error.message}${where}` };
  }
  const comparison = compareResults(key.value, result.value, { tolerance: item.tolerance, ordered: keyIsOrdered(item.key) });
  return comparison.equal
    ? { credit: 1, message: 'the result matches the key’s result' }
    : { credit: 0, message: `the result differs: ${comparison.reason}` };
}
