// Runs one lab task with the runner of its kind, then the task's grader: a k6 script once per run
// the task defines (same seed), PromQL queries, a rule file or a quality gate on the lab's
// telemetry (generated from the same seed). The browser worker, the server's verification worker
// and the tests all call this, so a result computed in Chromium and one computed in Node can be
// compared by digest.
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { type LoadTestResult, type Progress, runLoadTest } from '../engine/engine.ts';
import type { SandboxLimits } from '../sandbox/quickjs.ts';
import type { ExtraFiles, K6Task, Lab, Verdict } from './definition.ts';
import { canonical } from './digest.ts';
import type { ClusterRunResult, PromqlResult, QualityGateRunResult, RulesRunResult } from './outcome.ts';
import { runTelemetryTask } from './run-telemetry-task.ts';

export interface TaskRunOutcome {
  label: string;
  result: LoadTestResult;
}

export interface OutcomeCommon {
  labId: string;
  labVersion: number;
  taskId: string;
  seed: number;
  verdict: Verdict;
  /** SHA-256 of the results that matter for grading; equal in every engine for the same input. */
  digest: string;
}

export interface K6TaskOutcome extends OutcomeCommon {
  kind: 'k6';
  runs: TaskRunOutcome[];
}

export interface TelemetryOutcomeCommon extends OutcomeCommon {
  /** The telemetry's digest: the same seed gives the same series in every engine. */
  datasetDigest: string;
}

export interface PromqlTaskOutcome extends TelemetryOutcomeCommon {
  kind: 'promql';
  promql: PromqlResult;
}

export interface RulesTaskOutcome extends TelemetryOutcomeCommon {
  kind: 'rules';
  rules: RulesRunResult;
}

export interface QualityGateTaskOutcome extends TelemetryOutcomeCommon {
  kind: 'quality-gate';
  gate: QualityGateRunResult;
}

/** A cluster diagnosis (ADR 019): the four graded parts side by side, and the runs' digests. */
export interface ClusterTaskOutcome extends OutcomeCommon, ClusterRunResult {
  kind: 'cluster';
}

export type TaskOutcome = K6TaskOutcome | PromqlTaskOutcome | RulesTaskOutcome | QualityGateTaskOutcome | ClusterTaskOutcome;

export type TelemetryTaskOutcome = PromqlTaskOutcome | RulesTaskOutcome | QualityGateTaskOutcome | ClusterTaskOutcome;

export interface RunTaskOptions {
  limits?: Partial<SandboxLimits>;
  onProgress?: (runIndex: number, progress: Progress) => void;
  shouldStop?: () => boolean;
  /** The learner's texts besides `code` (a second query, the unit tests, the SLI file), by name. */
  files?: ExtraFiles;
  /** Wall-clock budget of one query (ms); the lab's default otherwise. */
  queryTimeoutMs?: number;
}

export class UnknownTaskError extends Error {
  override name = 'UnknownTaskError';
}

export async function runTask(
  lab: Lab,
  taskId: string,
  code: string,
  seed: number,
  answer: string | null,
  options: RunTaskOptions = {},
): Promise<TaskOutcome> {
  const task = lab.tasks.find((t) => t.id === taskId);
  if (!task) throw new UnknownTaskError(`lab "${lab.id}" has no task "${taskId}"`);
  if (task.kind === 'k6') return runK6Task(lab, task, code, seed, answer, options);
  return runTelemetryTask(lab, task, code, seed, answer, options);
}

async function runK6Task(
  lab: Lab,
  task: K6Task,
  script: string,
  seed: number,
  answer: string | null,
  options: RunTaskOptions,
): Promise<K6TaskOutcome> {
  const runs: TaskRunOutcome[] = [];
  for (const [index, run] of task.runs.entries()) {
    const result = await runLoadTest({
      script,
      service: run.service,
      seed,
      baseUrl: lab.baseUrl,
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.onProgress ? { onProgress: (p: Progress) => options.onProgress?.(index, p) } : {}),
      ...(options.shouldStop ? { shouldStop: options.shouldStop } : {}),
    });
    runs.push({ label: run.label, result });
    if (result.error) break;
  }
  const failed = runs.find((r) => r.result.error);
  const verdict: Verdict = failed?.result.error
    ? { pass: false, message: `The script did not run to the end (${failed.label}): ${failed.result.error.message}` }
    : task.grade({ script, runs, answer });
  return {
    kind: 'k6',
    labId: lab.id,
    labVersion: lab.version,
    taskId: task.id,
    seed,
    runs,
    verdict,
    digest: digestRuns(runs, verdict),
  };
}

/** A k6 task's digest: unchanged since the first stored LabRun, so those runs stay comparable. */
export function digestRuns(runs: TaskRunOutcome[], verdict: Verdict): string {
  const essentials = runs.map(({ label, result }) => ({
    label,
    exitCode: result.exitCode,
    error: result.error?.kind ?? null,
    requests: result.requests,
    iterations: result.iterations,
    dropped: result.droppedIterations,
    virtualDurationMs: result.virtualDurationMs,
    thresholds: result.thresholds,
    checks: result.checks,
    scenarios: result.scenarios,
    summary: result.summaryText,
  }));
  return encodeHexLowerCase(sha256(new TextEncoder().encode(canonical({ essentials, verdict }))));
}
