// The server side of the lab runtime: a worker_threads entry point (run by Node directly, with
// type stripping) that re-runs one submitted task with the same code as the browser worker.
import { parentPort, workerData } from 'node:worker_threads';
import { findLab } from '../../registry.ts';
import { RunTaskMessageSchema } from '../lab/messages.ts';
import { runTask } from '../lab/run-task.ts';

const parsed = RunTaskMessageSchema.safeParse(workerData);
if (!parsed.success) {
  parentPort?.postMessage({ type: 'error', message: 'invalid verification request' });
} else {
  const { labId, taskId, code, seed, answer, files } = parsed.data;
  const lab = findLab(labId);
  if (!lab) parentPort?.postMessage({ type: 'error', message: `unknown lab "${labId}"` });
  else {
    try {
      // LAB_DEADLINE_MS: the wall-clock budget of one run (default 30 s), lower in tests.
      const deadlineMs = Number(process.env['LAB_DEADLINE_MS'] ?? 30_000);
      const outcome = await runTask(lab, taskId, code, seed, answer, { limits: { deadlineMs }, ...(files ? { files } : {}) });
      parentPort?.postMessage({ type: 'done', outcome });
    } catch (error) {
      parentPort?.postMessage({ type: 'error', message: (error as Error).message });
    }
  }
}
