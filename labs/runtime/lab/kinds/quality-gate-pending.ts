// TEMPORARY stand-in for labs/runtime/promql/quality-gate/index.ts until it is committed.
import type { QueryOptions, Tsdb } from '../../promql/index.ts';

export interface PreviousEvaluation {
  result: 'pass' | 'warning' | 'fail';
  indicators: Record<string, number | null>;
}
type Failure = { ok: false; errors: { message: string; line?: number; column?: number }[] };
const pending: Failure = { ok: false, errors: [{ message: 'quality gates are not available yet' }] };
export function parseSloFile(_text: string): { ok: true; value: unknown } | Failure {
  return pending;
}
export function parseSliFile(_text: string): { ok: true; value: unknown } | Failure {
  return pending;
}
export function evaluateQualityGate(
  _db: Tsdb,
  _slo: unknown,
  _sli: unknown,
  _window: { start: number; end: number },
  _previous?: PreviousEvaluation[],
  _options?: { queryOptions?: QueryOptions },
):
  | {
      ok: true;
      value: {
        result: 'pass' | 'warning' | 'fail';
        score: number;
        indicators: Record<string, number | null>;
        objectives: {
          sli: string;
          displayName: string;
          value: number | null;
          comparisonValue: number | null;
          status: 'pass' | 'warning' | 'fail' | 'info';
          score: number;
          weight: number;
          keySli: boolean;
          criteria: { text: string; met: boolean; target: number | null }[];
          error?: string;
        }[];
      };
    }
  | Failure {
  return pending;
}
