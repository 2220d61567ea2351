// Evaluating a Keptn-style quality gate, with the scoring rules of Keptn's lighthouse service:
// - each SLI's value is an instant PromQL query at the end of the evaluation window, after Keptn's
//   placeholder replacement ($<filter key>, $PROJECT, $STAGE, $SERVICE, $DEPLOYMENT, $LABEL.<key>,
//   $DURATION_SECONDS = the window length in whole seconds, e.g. "3600s");
// - an objective passes if ANY of its pass entries has ALL its criteria met; otherwise it is a
//   warning if any warning entry holds; otherwise it fails. Pass scores its weight, warning half,
//   fail zero. An objective without pass criteria is informational ("info") and not scored;
// - relative criteria (`<=+10%`, `<-5`, `>=-5%`) compare with the aggregate (avg, p50, p90, p95) of
//   the SLI's values in the previous evaluations chosen by `comparison`; with no previous value
//   they are met;
// - total score = achieved / achievable × 100; ≥ total_score.pass → pass, else ≥ warning →
//   warning, else fail; a failed key SLI fails the gate whatever the score.
import { instantQuery, type Tsdb } from '../index.ts';
import type { FileIssue } from '../rules/yaml-issues.ts';
import type { QueryOptions } from '../types.ts';
import type { Criterion, Objective, SliFile, SloFile } from './slo-file.ts';

export type GateResult = 'pass' | 'warning' | 'fail';
export type ObjectiveStatus = 'pass' | 'warning' | 'fail' | 'info';

/** What a previous evaluation contributes to relative criteria (a former QualityGateResult fits). */
export interface PreviousEvaluation {
  result: GateResult;
  /** SLI name → value (null when the query failed). */
  indicators: Readonly<Record<string, number | null>>;
  /** SLI name → that SLI's status then; with it, include_result_with_score also filters per SLI, as Keptn does. */
  indicatorStatus?: Readonly<Record<string, ObjectiveStatus>>;
}

export interface CriterionResult {
  text: string;
  met: boolean;
  /** The number the value was compared with (for relative criteria, derived from the comparison value). */
  target: number | null;
}

export interface ObjectiveResult {
  sli: string;
  displayName: string;
  value: number | null;
  /** Aggregate of the previous values used by relative criteria; null if there were none. */
  comparisonValue: number | null;
  status: ObjectiveStatus;
  score: number;
  weight: number;
  keySli: boolean;
  /** Warning criteria first, then pass criteria (Keptn's order). */
  criteria: CriterionResult[];
  /** Why the value is missing (query error, no such SLI, not exactly one value). */
  error?: string;
}

export interface QualityGateResult {
  result: GateResult;
  /** Achieved percentage of the achievable score, 0–100. */
  score: number;
  objectives: ObjectiveResult[];
  /** SLI values of this evaluation: pass them back in `previous` next time. */
  indicators: Record<string, number | null>;
  indicatorStatus: Record<string, ObjectiveStatus>;
  /** Whether a key SLI failed (the gate then fails whatever the score). */
  keySliFailed: boolean;
}

export interface QualityGateContext {
  project?: string;
  stage?: string;
  service?: string;
  deployment?: string;
  labels?: Readonly<Record<string, string>>;
}

export interface EvaluateQualityGateOptions {
  queryOptions?: QueryOptions;
  context?: QualityGateContext;
}

/** Keptn's placeholder replacement for one query (same order as its Prometheus SLI provider). */
export function replacePlaceholders(
  query: string,
  slo: SloFile,
  window: { start: number; end: number },
  context: QualityGateContext = {},
): string {
  let q = query;
  // Longer keys first, so `$svc_id` is not taken for `$svc` followed by "_id" (Keptn's map order is random).
  const filters = Object.entries(slo.filter).sort((a, b) => b[0].length - a[0].length);
  for (const [key, raw] of filters) {
    const value = raw.replace(/['"]/g, '');
    q = q.replaceAll(`$${key}`, value).replaceAll(`$${key.toUpperCase()}`, value);
  }
  q = q
    .replaceAll('$PROJECT', context.project ?? '')
    .replaceAll('$STAGE', context.stage ?? '')
    .replaceAll('$SERVICE', context.service ?? '')
    .replaceAll('$DEPLOYMENT', context.deployment ?? '');
  for (const [key, value] of Object.entries(context.labels ?? {})) q = q.replaceAll(`$LABEL.${key}`, value);
  const seconds = Math.ceil((window.end - window.start) / 1000);
  return q.replaceAll('$DURATION_SECONDS', `${seconds}s`);
}

function querySli(db: Tsdb, query: string, t: number, options: QueryOptions | undefined): { value: number } | { error: string } {
  const r = instantQuery(db, query, t, options);
  if (!r.ok) return { error: r.error.message };
  const v = r.value;
  if (v.resultType === 'scalar') return { value: v.v };
  if (v.resultType !== 'vector')
    return { error: `the query returns a ${v.resultType}; an SLI needs one value (an instant vector with one series, or a scalar)` };
  if (v.result.length === 0) return { error: 'the query returned no value' };
  if (v.result.length > 1) {
    return { error: `the query returned ${v.result.length} series; an SLI needs exactly one value — aggregate it, e.g. with sum(...)` };
  }
  return { value: (v.result[0] as { v: number }).v };
}

/** Keptn's percentile of previous values (position p·(n+1), linear between neighbours). */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const pos = p * (n + 1);
  if (pos < 1) return sorted[0] as number;
  if (pos >= n) return sorted[n - 1] as number;
  const lower = sorted[Math.floor(pos) - 1] as number;
  const upper = sorted[Math.floor(pos)] as number;
  return lower + (pos - Math.floor(pos)) * (upper - lower);
}

function aggregate(values: number[], fn: SloFile['comparison']['aggregateFunction']): number {
  switch (fn) {
    case 'avg':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'p50':
      return percentile(values, 0.5);
    case 'p90':
      return percentile(values, 0.9);
    case 'p95':
      return percentile(values, 0.95);
  }
}

function compare(measured: number, target: number, operator: Criterion['operator']): boolean {
  switch (operator) {
    case '<':
      return measured < target;
    case '<=':
      return measured <= target;
    case '=':
      return measured === target;
    case '>=':
      return measured >= target;
    case '>':
      return measured > target;
  }
}

function targetOf(c: Criterion, comparisonValue: number): number {
  if (c.percent) return (comparisonValue * (100 + (c.increase ? c.value : -c.value))) / 100;
  return c.increase ? comparisonValue + c.value : comparisonValue - c.value;
}

/** OR over entries of AND over criteria; every criterion is reported either way. */
function evaluateEntries(
  entries: Criterion[][],
  value: number | null,
  comparisonValue: number | null,
): { met: boolean; results: CriterionResult[] } {
  let met = false;
  const results: CriterionResult[] = [];
  for (const entry of entries) {
    let all = true;
    for (const c of entry) {
      let ok: boolean;
      let target: number | null;
      if (value === null) {
        ok = false;
        target = c.relative ? (comparisonValue === null ? null : targetOf(c, comparisonValue)) : c.value;
      } else if (!c.relative) {
        target = c.value;
        ok = compare(value, target, c.operator);
      } else if (comparisonValue === null) {
        // Keptn: with nothing to compare with, a relative criterion holds.
        target = null;
        ok = true;
      } else {
        target = targetOf(c, comparisonValue);
        ok = compare(value, target, c.operator);
      }
      if (!ok) all = false;
      results.push({ text: c.text, met: ok, target });
    }
    if (all) met = true;
  }
  return { met, results };
}

/** The previous values of one SLI that relative criteria compare with (most recent evaluations first). */
function comparisonValues(slo: SloFile, sli: string, previous: readonly PreviousEvaluation[]): number[] {
  const { includeResultWithScore: include, numberOfComparisonResults: count } = slo.comparison;
  const accepted = (r: ObjectiveStatus | GateResult | undefined) =>
    include === 'all' || r === undefined || (include === 'pass' ? r === 'pass' : r === 'pass' || r === 'warning');
  const chosen: PreviousEvaluation[] = [];
  for (let i = previous.length - 1; i >= 0 && chosen.length < count; i--) {
    const p = previous[i] as PreviousEvaluation;
    if (include === 'all' || accepted(p.result)) chosen.push(p);
  }
  const values: number[] = [];
  for (const p of chosen) {
    const v = p.indicators[sli];
    if (v === null || v === undefined || Number.isNaN(v)) continue;
    if (!accepted(p.indicatorStatus?.[sli])) continue;
    values.push(v);
  }
  return values;
}

/**
 * Evaluates `slo` with the SLI queries of `sli` over `window` (ms) against `db`. `previous` are
 * earlier results of the same gate, oldest first. Fails only on a bad window; per-SLI problems make
 * that objective fail with an `error`.
 */
export function evaluateQualityGate(
  db: Tsdb,
  slo: SloFile,
  sli: SliFile,
  window: { start: number; end: number },
  previous: readonly PreviousEvaluation[] = [],
  options: EvaluateQualityGateOptions = {},
): { ok: true; value: QualityGateResult } | { ok: false; errors: FileIssue[] } {
  if (!Number.isFinite(window.start) || !Number.isFinite(window.end) || window.end <= window.start) {
    return { ok: false, errors: [{ message: 'evaluation window: end must be after start', path: [] }] };
  }
  const values = new Map<string, { value: number } | { error: string }>();
  const measure = (name: string) => {
    let v = values.get(name);
    if (!v) {
      const query = sli.indicators[name];
      v =
        query === undefined
          ? {
              error: `no SLI named ${JSON.stringify(name)} in the SLI file (it defines ${Object.keys(sli.indicators).join(', ') || 'none'})`,
            }
          : querySli(db, replacePlaceholders(query, slo, window, options.context), window.end, options.queryOptions);
      values.set(name, v);
    }
    return v;
  };
  let achievable = 0;
  let achieved = 0;
  let keySliFailed = false;
  const objectives: ObjectiveResult[] = slo.objectives.map((o: Objective) => {
    const measured = measure(o.sli);
    const value = 'value' in measured ? measured.value : null;
    const prev = comparisonValues(slo, o.sli, previous);
    const comparisonValue = prev.length > 0 ? aggregate(prev, slo.comparison.aggregateFunction) : null;
    let status: ObjectiveStatus;
    let score = 0;
    let criteria: CriterionResult[] = [];
    if (o.pass.length === 0) {
      status = 'info';
    } else {
      achievable += o.weight;
      const pass = evaluateEntries(o.pass, value, comparisonValue);
      let warningResults: CriterionResult[] = [];
      if (pass.met) {
        status = 'pass';
        score = o.weight;
      } else {
        const warning = o.warning.length > 0 ? evaluateEntries(o.warning, value, comparisonValue) : { met: false, results: [] };
        warningResults = warning.results;
        if (warning.met) {
          status = 'warning';
          score = o.weight / 2;
        } else {
          status = 'fail';
          if (o.keySli) keySliFailed = true;
        }
      }
      criteria = [...warningResults, ...pass.results];
      achieved += score;
    }
    const result: ObjectiveResult = {
      sli: o.sli,
      displayName: o.displayName,
      value,
      comparisonValue,
      status,
      score,
      weight: o.weight,
      keySli: o.keySli,
      criteria,
    };
    if ('error' in measured) result.error = measured.error;
    return result;
  });
  let score: number;
  let result: GateResult;
  if (achievable === 0) {
    score = 100;
    result = 'pass';
  } else {
    score = (100 * achieved) / achievable;
    if (score >= slo.totalScore.pass && !keySliFailed) result = 'pass';
    else if (slo.totalScore.warning !== undefined && !keySliFailed && score >= slo.totalScore.warning) result = 'warning';
    else result = 'fail';
  }
  const indicators: Record<string, number | null> = {};
  const indicatorStatus: Record<string, ObjectiveStatus> = {};
  for (const o of objectives) {
    indicators[o.sli] = o.value;
    indicatorStatus[o.sli] = o.status;
  }
  return { ok: true, value: { result, score, objectives, indicators, indicatorStatus, keySliFailed } };
}
