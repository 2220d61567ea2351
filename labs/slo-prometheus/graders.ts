// What the SLO lab's graders share: reading a query's single value, the exact truth from the
// telemetry's per-window counts, and reference queries run on the same Tsdb. Grading looks only at
// values (the learner's results against the truth and against the values of known mistakes),
// never at the text of a query.
import { instantQuery } from '../runtime/promql/index.ts';
import type { QueryResult } from '../runtime/promql/types.ts';
import type { Telemetry } from '../runtime/telemetry/spec.ts';

export type SingleValue = { ok: true; value: number } | { ok: false; message: string };

/** The one number a query must return (a scalar or a one-series vector), or what is wrong instead. */
export function singleValue(result: QueryResult, what: string): SingleValue {
  if (!result.ok) return { ok: false, message: `Your ${what} query failed: ${result.error.message}.` };
  const value = result.value;
  if (value.resultType === 'scalar') return { ok: true, value: value.v };
  if (value.resultType === 'matrix')
    return {
      ok: false,
      message: `Your ${what} query returns a range vector (samples over time), not one value: wrap the selector in a function such as increase() or rate().`,
    };
  if (value.resultType === 'string') return { ok: false, message: `Your ${what} query returns a string; it must return a number.` };
  if (value.result.length === 0)
    return {
      ok: false,
      message: `Your ${what} query returns no series: check metric names, label matchers and the range (it is evaluated at the end of the 30 days).`,
    };
  if (value.result.length > 1) {
    const labels = Object.keys(value.result[0]?.metric ?? {}).filter((n) => n !== '__name__');
    return {
      ok: false,
      message: `Your ${what} query returns ${value.result.length} series (one per ${labels.join(', ') || 'label set'}), not one value: aggregate with sum() before dividing.`,
    };
  }
  return { ok: true, value: value.result[0]?.v ?? Number.NaN };
}

/** Evaluates a reference query at the end of the telemetry; the grader's own queries must work. */
export function reference(telemetry: Telemetry, query: string): number {
  const result = instantQuery(telemetry.db, query, telemetry.end);
  const single = singleValue(result, 'reference');
  if (!single.ok) throw new Error(`reference query failed: ${query}: ${single.message}`);
  return single.value;
}

/**
 * Exact sums of the per-window counts a range selector `[rangeMs]` at the end of the telemetry
 * sees: its samples lie in (end − range, end], so it spans range / interval − 1 scrape windows.
 */
export function lastWindows(telemetry: Telemetry, rangeMs: number): { requests: number; serverErrors: number; fast: number } {
  const { requests, serverErrors, fast } = telemetry.totals;
  const windows = Math.round(rangeMs / telemetry.spec.scrapeIntervalMs) - 1;
  let r = 0;
  let e = 0;
  let f = 0;
  for (let w = Math.max(1, requests.length - windows); w < requests.length; w++) {
    r += requests[w] as number;
    e += serverErrors[w] as number;
    f += fast[w] as number;
  }
  return { requests: r, serverErrors: e, fast: f };
}

export function near(a: number, b: number, absolute: number): boolean {
  return Number.isFinite(a) && Math.abs(a - b) <= absolute;
}

export function nearRelative(a: number, b: number, relative: number): boolean {
  return Number.isFinite(a) && Math.abs(a - b) <= relative * Math.abs(b);
}

/** A number for a message: enough digits to tell two SLIs apart. */
export function show(value: number, digits = 6): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  return Number(value.toPrecision(digits)).toString();
}

export function percent(value: number, digits = 3): string {
  return `${Number((value * 100).toPrecision(digits))} %`;
}

/** Minutes and hours for detection times. */
export function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return `${minutes} min`;
  return `${(minutes / 60).toFixed(1)} h`;
}
