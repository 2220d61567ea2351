// The browser side of the lab runtime: a Web Worker that runs a task (or checks syntax) and posts
// progress and the outcome. The page terminates the worker on Stop or when it overruns.
import { findLab } from '../../registry.ts';
import { BENCH_SCRIPT, BENCH_SERVICE } from '../bench/scenario.ts';
import { runLoadTest } from '../engine/engine.ts';
import { WorkerRequestSchema } from '../lab/messages.ts';
import { runTask } from '../lab/run-task.ts';
import { checkSyntax } from '../lab/syntax.ts';

const scope = self as unknown as { onmessage: ((event: MessageEvent) => void) | null; postMessage(message: unknown): void };

scope.onmessage = async (event: MessageEvent) => {
  const parsed = WorkerRequestSchema.safeParse(event.data);
  if (!parsed.success) {
    scope.postMessage({ type: 'error', message: `bad message: ${parsed.error.issues[0]?.message ?? 'invalid'}` });
    return;
  }
  const message = parsed.data;
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
      scope.postMessage({ type: 'error', message: `unknown lab "${message.labId}"` });
      return;
    }
    const outcome = await runTask(lab, message.taskId, message.code, message.seed, message.answer, {
      onProgress: (runIndex, progress) => scope.postMessage({ type: 'progress', runIndex, progress }),
    });
    scope.postMessage({ type: 'done', outcome });
  } catch (error) {
    scope.postMessage({ type: 'error', message: (error as Error).message });
  }
};
