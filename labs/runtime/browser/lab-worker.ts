// The browser side of the lab runtime: a Web Worker that runs a task (or checks syntax, or answers
// the workbench's exploratory queries on a lab's telemetry) and posts progress and the outcome.
// The page terminates the worker on Stop or when it overruns. Replies are described in
// src/features/labs/workbench-messages.ts (WorkerReplySchema).
import { findLab } from '../../registry.ts';
import { BENCH_SCRIPT, BENCH_SERVICE } from '../bench/scenario.ts';
import { runLoadTest } from '../engine/engine.ts';
import type { Lab } from '../lab/definition.ts';
import { describeScenario, describeTelemetry, exploreQuery } from '../lab/explore.ts';
import { hasClusterRun } from '../lab/kinds/cluster-runs.ts';
import { hasTelemetry } from '../lab/kinds/telemetry-cache.ts';
import { INCIDENT, type WorkerRequest, WorkerRequestSchema } from '../lab/messages.ts';
import { runTask } from '../lab/run-task.ts';
import { checkSyntax } from '../lab/syntax.ts';

const scope = self as unknown as { onmessage: ((event: MessageEvent) => void) | null; postMessage(message: unknown): void };

/** What the worker must do first for this message, if anything slow: generate telemetry or simulate a cluster. */
function slowStep(lab: Lab, message: Exclude<WorkerRequest, { type: 'bench' | 'check' }>): string | null {
  const task = message.taskId === undefined ? undefined : lab.tasks.find((t) => t.id === message.taskId);
  if (task?.kind === 'cluster') {
    const variant = message.type === 'run' ? INCIDENT : (message.variant ?? INCIDENT);
    return hasClusterRun(lab, task, variant, message.seed) ? null : 'Simulating the cluster…';
  }
  if (lab.telemetry && !hasTelemetry(lab, message.seed)) return `Generating ${lab.telemetry.days} days of telemetry…`;
  return null;
}

scope.onmessage = async (event: MessageEvent) => {
  const parsed = WorkerRequestSchema.safeParse(event.data);
  if (!parsed.success) {
    scope.postMessage({ type: 'error', message: `bad message: ${parsed.error.issues[0]?.message ?? 'invalid'}` });
    return;
  }
  const message = parsed.data;
  const id = 'id' in message ? message.id : undefined;
  try {
    if (message.type === 'bench') {
      const started = performance.now();
      const result = await runLoadTest({
        script: BENCH_SCRIPT,
        service: BENCH_SERVICE,
        seed: 1,
        baseUrl: 'http://bench.test',
        limits: { deadlineMs: 120_000 },
      });
      scope.postMessage({
        type: 'bench-done',
        ms: performance.now() - started,
        requests: result.requests,
        error: result.error?.message ?? null,
      });
      return;
    }
    if (message.type === 'check') {
      scope.postMessage({ type: 'syntax', problem: await checkSyntax(message.code) });
      return;
    }
    const lab = findLab(message.labId);
    if (!lab) {
      scope.postMessage({ type: 'error', message: `unknown lab "${message.labId}"`, ...(id !== undefined ? { id } : {}) });
      return;
    }
    const status = slowStep(lab, message);
    if (status) scope.postMessage({ type: 'status', message: status });
    if (message.type === 'scenario') {
      scope.postMessage(describeScenario(lab, message));
      return;
    }
    if (message.type === 'query') {
      scope.postMessage({ type: 'query-result', id: message.id, outcome: exploreQuery(lab, message) });
      return;
    }
    if (message.type === 'telemetry') {
      scope.postMessage({ type: 'telemetry', ...describeTelemetry(lab, message) });
      return;
    }
    const outcome = await runTask(lab, message.taskId, message.code, message.seed, message.answer, {
      ...(message.files ? { files: message.files } : {}),
      onProgress: (runIndex, progress) => scope.postMessage({ type: 'progress', runIndex, progress }),
    });
    scope.postMessage({ type: 'done', outcome });
  } catch (error) {
    scope.postMessage({ type: 'error', message: (error as Error).message, ...(id !== undefined ? { id } : {}) });
  }
};
