// The runner of `quality-gate` tasks: the learner's slo.yaml and SLI file are evaluated on each
// build's window of the telemetry, in order, every build comparing with the results before it
// (Keptn's relative criteria). The grader sees each build's result and score.
import { evaluateQualityGate, type PreviousEvaluation, parseSliFile, parseSloFile } from '../../promql/quality-gate/index.ts';
import type { QueryOptions } from '../../promql/types.ts';
import type { Telemetry } from '../../telemetry/spec.ts';
import type { ExtraFiles, QualityGateTask, Verdict } from '../definition.ts';
import type { FileIssue, GateBuildResult, QualityGateRunResult } from '../outcome.ts';
import { gradeSafely } from './grade-safely.ts';

function issuesOf(file: string, errors: { message: string; line?: number; column?: number }[]): FileIssue[] {
  return errors.map((e) => ({
    file,
    message: e.message,
    ...(e.line !== undefined ? { line: e.line } : {}),
    ...(e.column !== undefined ? { column: e.column } : {}),
  }));
}

export function runQualityGateTask(
  task: QualityGateTask,
  telemetry: Telemetry,
  code: string,
  files: ExtraFiles,
  answer: string | null,
  queryOptions: QueryOptions,
): { gate: QualityGateRunResult; verdict: Verdict } {
  const slo = parseSloFile(code);
  const sli = parseSliFile(files[task.sliFileName] ?? '');
  const fileIssues = [...(slo.ok ? [] : issuesOf('slo.yaml', slo.errors)), ...(sli.ok ? [] : issuesOf(task.sliFileName, sli.errors))];
  const previous: PreviousEvaluation[] = [];
  const builds: GateBuildResult[] = task.builds.map((build) => {
    const window = { start: telemetry.start + build.fromMs, end: telemetry.start + build.toMs };
    const base = { label: build.label, role: build.role, start: window.start, end: window.end };
    if (!slo.ok || !sli.ok) return { ...base, result: null, score: null, objectives: [], indicators: {}, issues: fileIssues };
    const evaluated = evaluateQualityGate(telemetry.db, slo.value, sli.value, window, [...previous], { queryOptions });
    if (!evaluated.ok)
      return { ...base, result: null, score: null, objectives: [], indicators: {}, issues: issuesOf('slo.yaml', evaluated.errors) };
    const value = evaluated.value;
    previous.push({ result: value.result, indicators: value.indicators, indicatorStatus: value.indicatorStatus });
    return {
      ...base,
      result: value.result,
      score: value.score,
      objectives: value.objectives.map((o) => ({
        sli: o.sli,
        displayName: o.displayName,
        value: o.value,
        comparisonValue: o.comparisonValue,
        status: o.status,
        score: o.score,
        weight: o.weight,
        keySli: o.keySli,
        criteria: o.criteria.map((c) => ({ text: c.text, met: c.met, target: c.target })),
        ...(o.error !== undefined ? { error: o.error } : {}),
      })),
      indicators: { ...value.indicators },
      issues: [],
    };
  });
  const gate = { builds };
  const verdict = gradeSafely(() => task.grade({ builds, answer, telemetry }));
  return { gate, verdict };
}
