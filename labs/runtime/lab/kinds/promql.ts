// The runner of `promql` tasks: every query the learner wrote (the first editor, then each PromQL
// file) is evaluated as an instant query at the end of the telemetry; the grader sees the full
// results, the outcome carries a capped view of them.
import { instantQuery } from '../../promql/index.ts';
import type { QueryOptions, QueryResult, QueryValue } from '../../promql/types.ts';
import type { Telemetry } from '../../telemetry/spec.ts';
import type { ExtraFiles, PromqlTask, Verdict } from '../definition.ts';
import { encodeSample, type PromqlResult } from '../outcome.ts';
import { gradeSafely } from './grade-safely.ts';

/** At most this many series, and points per series, travel in an outcome. */
export const VIEW_SERIES_LIMIT = 50;
export const VIEW_POINTS_LIMIT = 500;

/** The queries of a promql task, by name: `main` for the first editor, then the PromQL files. */
export function taskQueries(task: PromqlTask, code: string, files: ExtraFiles): { name: string; query: string }[] {
  return [
    { name: 'main', query: code },
    ...(task.files ?? []).filter((f) => f.language === 'promql').map((f) => ({ name: f.name, query: files[f.name] ?? '' })),
  ];
}

/** An instant query that never throws: an empty text or an engine failure becomes an error result. */
export function evaluateInstant(telemetry: Telemetry, query: string, time: number, options: QueryOptions): QueryResult {
  if (query.trim() === '') return { ok: false, error: { kind: 'bad_data', message: 'the query is empty: write a PromQL expression' } };
  try {
    return instantQuery(telemetry.db, query, time, options);
  } catch (error) {
    return { ok: false, error: { kind: 'execution', message: `the query could not be evaluated: ${(error as Error).message}` } };
  }
}

export function viewOfValue(value: QueryValue): PromqlResult['queries'][number]['outcome'] & { ok: true } {
  switch (value.resultType) {
    case 'vector':
      return {
        ok: true,
        value: {
          resultType: 'vector',
          result: value.result.slice(0, VIEW_SERIES_LIMIT).map((s) => ({ metric: { ...s.metric }, t: s.t, v: encodeSample(s.v) })),
        },
        seriesCount: value.result.length,
        truncated: value.result.length > VIEW_SERIES_LIMIT,
        samples: 0,
      };
    case 'matrix': {
      const cut = value.result.length > VIEW_SERIES_LIMIT || value.result.some((s) => s.t.length > VIEW_POINTS_LIMIT);
      return {
        ok: true,
        value: {
          resultType: 'matrix',
          result: value.result.slice(0, VIEW_SERIES_LIMIT).map((s) => ({
            metric: { ...s.metric },
            t: s.t.slice(-VIEW_POINTS_LIMIT),
            v: s.v.slice(-VIEW_POINTS_LIMIT).map(encodeSample),
          })),
        },
        seriesCount: value.result.length,
        truncated: cut,
        samples: 0,
      };
    }
    case 'scalar':
      return {
        ok: true,
        value: { resultType: 'scalar', t: value.t, v: encodeSample(value.v) },
        seriesCount: 1,
        truncated: false,
        samples: 0,
      };
    case 'string':
      return { ok: true, value: { resultType: 'string', t: value.t, v: value.v }, seriesCount: 1, truncated: false, samples: 0 };
  }
}

export function viewOfResult(result: QueryResult): PromqlResult['queries'][number]['outcome'] {
  if (!result.ok) {
    const { kind, message, line, column } = result.error;
    return { ok: false, error: { kind, message, ...(line !== undefined ? { line } : {}), ...(column !== undefined ? { column } : {}) } };
  }
  return { ...viewOfValue(result.value), samples: result.stats.samples };
}

export function runPromqlTask(
  task: PromqlTask,
  telemetry: Telemetry,
  code: string,
  files: ExtraFiles,
  answer: string | null,
  options: QueryOptions,
): { promql: PromqlResult; verdict: Verdict } {
  const time = telemetry.end;
  const queries = taskQueries(task, code, files).map(({ name, query }) => ({
    name,
    query,
    result: evaluateInstant(telemetry, query, time, options),
  }));
  const verdict = gradeSafely(() => task.grade({ queries, answer, telemetry }));
  return { promql: { time, queries: queries.map(({ name, query, result }) => ({ name, query, outcome: viewOfResult(result) })) }, verdict };
}
