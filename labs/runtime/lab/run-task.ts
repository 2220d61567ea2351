// Runs one lab task: the learner's script once per run the task defines, with the same seed, then
// the task's grader. The browser worker, the server's verification worker and the tests all call
// this, so a result computed in Chromium and one computed in Node can be compared by digest.
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { type LoadTestResult, type Progress, runLoadTest } from '../engine/engine.ts';
import type { SandboxLimits } from '../sandbox/quickjs.ts';
import type { Lab, Verdict } from './definition.ts';

export interface TaskRunOutcome {
  label: string;
  result: LoadTestResult;
}

export interface TaskOutcome {
  labId: string;
  labVersion: number;
  taskId: string;
  seed: number;
  runs: TaskRunOutcome[];
  verdict: Verdict;
  /** SHA-256 of the results that matter for grading; equal in every engine for the same input. */
  digest: string;
}

export interface RunTaskOptions {
  limits?: Partial<SandboxLimits>;
  onProgress?: (runIndex: number, progress: Progress) => void;
  shouldStop?: () => boolean;
}

export class UnknownTaskError extends Error {
  override name = 'UnknownTaskError';
}

export async function runTask(
  lab: Lab,
  taskId: string,
  script: string,
  seed: number,
  answer: string | null,
  options: RunTaskOptions = {},
): Promise<TaskOutcome> {
  const task = lab.tasks.find((t) => t.id === taskId);
  if (!task) throw new UnknownTaskError(`lab "${lab.id}" has no task "${taskId}"`);
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
  return { labId: lab.id, labVersion: lab.version, taskId, seed, runs, verdict, digest: digestRuns(runs, verdict) };
}

/** Canonical JSON: keys sorted, so the digest does not depend on property order. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

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
