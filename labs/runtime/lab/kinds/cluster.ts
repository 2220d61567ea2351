// The runner of `cluster` tasks (ADR 019). It simulates the incident for the run seed, evaluates the
// learner's evidence query as an instant query at the end of the focus window, re-runs the whole
// scenario with the chosen remediation's patch ("this cluster with the fix in place"), evaluates the
// task's SLI over the focus window on both runs, and hands everything to the task's grader. The
// task passes when triage, cause, evidence and remediation all pass; the remediation passes only
// when it is the right one *and* the re-run shows the SLO holding.
import { instantQuery, rangeQuery } from '../../promql/index.ts';
import type { QueryOptions, QueryResult } from '../../promql/types.ts';
import type { ClusterChoices, ClusterGrade, ClusterRun, ClusterTask, ExtraFiles, Lab, Verdict } from '../definition.ts';
import { INCIDENT } from '../messages.ts';
import type { ClusterRunResult as ClusterResult } from '../outcome.ts';
import { clusterRun } from './cluster-runs.ts';
import { viewOfResult } from './promql.ts';

/** The SLI is evaluated every minute over the focus window and averaged. */
export const SLO_STEP_MS = 60_000;

/** The names of a cluster submission's `files`. */
export const CLUSTER_CHOICE_FILES = ['triage', 'cause', 'remedy'] as const;

/** An instant query on a Tsdb that never throws; an empty text is an error result. */
export function evaluateEvidence(run: ClusterRun, query: string, time: number, options: QueryOptions): QueryResult {
  if (query.trim() === '') return { ok: false, error: { kind: 'bad_data', message: 'the query is empty: write a PromQL expression' } };
  try {
    return instantQuery(run.db, query, time, options);
  } catch (error) {
    return { ok: false, error: { kind: 'execution', message: `the query could not be evaluated: ${(error as Error).message}` } };
  }
}

/** The SLI averaged over the focus window (every finite point of every series), or null without data. */
export function sliOverFocus(run: ClusterRun, query: string, start: number, end: number, options: QueryOptions): number | null {
  let result: QueryResult;
  try {
    result = rangeQuery(run.db, query, start, end, SLO_STEP_MS, options);
  } catch {
    return null;
  }
  if (!result.ok) return null;
  const value = result.value;
  let sum = 0;
  let n = 0;
  if (value.resultType === 'matrix') {
    for (const series of value.result)
      for (const v of series.v) {
        if (Number.isFinite(v)) {
          sum += v;
          n++;
        }
      }
  } else if (value.resultType === 'scalar' && Number.isFinite(value.v)) {
    sum = value.v;
    n = 1;
  }
  return n === 0 ? null : sum / n;
}

export function sloHolds(task: ClusterTask, value: number | null): boolean {
  if (value === null) return false;
  return (task.slo.comparison ?? '<=') === '<=' ? value <= task.slo.objective : value >= task.slo.objective;
}

/** The choices of a submission's files; a missing one is the empty string (check-input refuses it first). */
export function choicesOf(files: ExtraFiles): ClusterChoices {
  return { triage: files['triage'] ?? '', cause: files['cause'] ?? '', remedy: files['remedy'] ?? '' };
}

function safeGrade(task: ClusterTask, grade: () => ClusterGrade): ClusterGrade {
  try {
    return grade();
  } catch (error) {
    const message = `The grader failed (${(error as Error).message}); this is a bug in the lab, please report it.`;
    const part = { pass: false, explanation: message };
    void task;
    return { triage: part, cause: part, evidence: { pass: false, message }, remediation: part };
  }
}

function combineVerdict(result: ClusterResult): Verdict {
  const failed: string[] = [];
  if (!result.triage.pass) failed.push('triage');
  if (!result.cause.pass) failed.push('cause');
  if (!result.evidence.pass) failed.push('evidence');
  if (!result.remediation.pass) failed.push('remediation');
  if (failed.length === 0)
    return {
      pass: true,
      message: 'Diagnosis complete: the right signal first, the cause with evidence, and a fix under which the SLO holds.',
    };
  const first = failed[0];
  const detail =
    first === 'evidence'
      ? result.evidence.message
      : first === 'remediation'
        ? result.remediation.explanation
        : first === 'triage'
          ? result.triage.explanation
          : result.cause.explanation;
  return { pass: false, message: `Not yet (${failed.join(', ')}): ${detail}` };
}

export interface ClusterTaskRun {
  cluster: ClusterResult;
  verdict: Verdict;
}

/** Runs a cluster task; a scenario that cannot be simulated is a failed verdict, never a throw. */
export function runClusterTask(
  lab: Lab,
  task: ClusterTask,
  code: string,
  files: ExtraFiles,
  seed: number,
  options: QueryOptions,
): ClusterTaskRun {
  const choices = choicesOf(files);
  const incident = clusterRun(lab, task, INCIDENT, seed);
  const empty = { chosen: '', pass: false, explanation: '' };
  if (!incident.ok) {
    const message = `The incident could not be simulated: ${incident.error}`;
    return {
      cluster: {
        triage: { ...empty, chosen: choices.triage },
        cause: { ...empty, chosen: choices.cause },
        evidence: { query: code, time: 0, outcome: { ok: false, error: { kind: 'execution', message } }, pass: false, message },
        remediation: { chosen: choices.remedy, sloBefore: null, sloAfter: null, sloHeld: false, pass: false, explanation: message },
        simulation: { incident: '', remedy: null, series: 0, samples: 0 },
      },
      verdict: { pass: false, message },
    };
  }
  const run = incident.run;
  const focus = { start: run.scenario.startMs + task.focus.fromMs, end: run.scenario.startMs + task.focus.toMs };
  const evidence = evaluateEvidence(run, code, focus.end, options);
  const sloBefore = sliOverFocus(run, task.slo.query, focus.start, focus.end, options);
  // The remedy's run comes second: the incident's Tsdb stays cached beside it (two at most).
  const known = task.remediations.some((r) => r.id === choices.remedy);
  const remedy = known ? clusterRun(lab, task, choices.remedy, seed) : null;
  const remedyRun = remedy?.ok ? remedy.run : null;
  const sloAfter = remedyRun ? sliOverFocus(remedyRun, task.slo.query, focus.start, focus.end, options) : null;
  const heldAfter = remedyRun !== null && sloHolds(task, sloAfter);
  const grade = safeGrade(task, () =>
    task.grade({
      choices,
      evidence: { query: code, result: evidence, time: focus.end },
      incident: run,
      focus,
      slo: { before: sloBefore, after: sloAfter, heldBefore: sloHolds(task, sloBefore), heldAfter },
      runSeed: seed,
    }),
  );
  let remediationExplanation = grade.remediation.explanation;
  if (!known) remediationExplanation = `There is no remediation "${choices.remedy.slice(0, 100)}" in this task.`;
  else if (remedy && !remedy.ok) remediationExplanation = `The re-run with this remediation could not be simulated: ${remedy.error}`;
  else if (grade.remediation.pass && !heldAfter)
    remediationExplanation = `${grade.remediation.explanation} But on the re-run the SLO still did not hold, so it does not count.`;
  const cluster: ClusterResult = {
    triage: { chosen: choices.triage, pass: grade.triage.pass, explanation: grade.triage.explanation },
    cause: { chosen: choices.cause, pass: grade.cause.pass, explanation: grade.cause.explanation },
    evidence: { query: code, time: focus.end, outcome: viewOfResult(evidence), pass: grade.evidence.pass, message: grade.evidence.message },
    remediation: {
      chosen: choices.remedy,
      sloBefore,
      sloAfter,
      sloHeld: heldAfter,
      pass: grade.remediation.pass && heldAfter,
      explanation: remediationExplanation,
    },
    simulation: { incident: run.digest, remedy: remedyRun?.digest ?? null, series: run.series, samples: run.samples },
  };
  return { cluster, verdict: combineVerdict(cluster) };
}
