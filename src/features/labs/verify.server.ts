// Server-side verification of lab submissions. Each submission is re-run in a worker_threads
// worker (the same runtime code as the browser), one at a time by default so the web server keeps
// a core on this 2-core machine; a bounded queue answers "busy" rather than growing without limit.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { TaskOutcome } from '../../../labs/runtime/lab/run-task.ts';
import { metrics } from '../../lib/server/metrics.server.ts';

/** Verifications running at once (LAB_VERIFY_CONCURRENCY, default 1: keep a core for the web server). */
function verifyConcurrency(): number {
  return Math.max(1, Number(process.env['LAB_VERIFY_CONCURRENCY'] ?? 1) || 1);
}
export const VERIFY_QUEUE_LIMIT = 16;
const VERIFY_TIMEOUT_MS = 90_000;
const WORKER_EXIT_GRACE_MS = 5_000;

export interface VerifyRequest {
  labId: string;
  taskId: string;
  code: string;
  seed: number;
  answer: string | null;
  /** The other editors' texts of a telemetry task, by file name. */
  files?: Record<string, string>;
}

export class VerifierBusyError extends Error {
  override name = 'VerifierBusyError';
}

let running = 0;
const waiting: (() => void)[] = [];

function workerFile(): string {
  return path.resolve(process.env['HEADROOM_ROOT'] ?? process.cwd(), 'labs/runtime/verify/worker.ts');
}

function runInWorker(request: VerifyRequest): Promise<TaskOutcome> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerFile(), {
      workerData: { type: 'run', ...request },
      // Typed arrays (a lab's telemetry, ~150 MB) live outside the old generation.
      resourceLimits: { maxOldGenerationSizeMb: 768 },
    });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error('verification took too long and was stopped'));
    }, VERIFY_TIMEOUT_MS);
    worker.once('message', (message: { type: 'done'; outcome: TaskOutcome } | { type: 'error'; message: string }) => {
      clearTimeout(timer);
      // The worker ends on its own after its one message. Terminating it at once raced its own exit
      // (a fork crashed with SIGTRAP in CI), so it is stopped only if it is still there later.
      const straggler = setTimeout(() => void worker.terminate(), WORKER_EXIT_GRACE_MS);
      straggler.unref();
      worker.once('exit', () => clearTimeout(straggler));
      if (message.type === 'done') resolve(message.outcome);
      else reject(new Error(message.message));
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** Queues a verification; throws VerifierBusyError when the queue is full. */
export async function verifySubmission(request: VerifyRequest): Promise<TaskOutcome> {
  const m = metrics();
  const queued = performance.now();
  if (running >= verifyConcurrency()) {
    if (waiting.length >= VERIFY_QUEUE_LIMIT) {
      m.verifyDuration.labels('busy').observe(0);
      throw new VerifierBusyError('the lab verifier is busy; try again in a minute');
    }
    await new Promise<void>((resume) => {
      waiting.push(resume);
      m.verifyQueue.set(waiting.length);
    });
  }
  running += 1;
  m.verifyRunning.set(running);
  const started = performance.now();
  m.verifyWait.observe((started - queued) / 1000);
  let outcome: 'completed' | 'failed' = 'failed';
  try {
    const result = await runInWorker(request);
    outcome = 'completed';
    return result;
  } finally {
    const finished = performance.now();
    m.verifyRun.labels(outcome).observe((finished - started) / 1000);
    m.verifyDuration.labels(outcome).observe((finished - queued) / 1000);
    running -= 1;
    waiting.shift()?.();
    m.verifyRunning.set(running);
    m.verifyQueue.set(waiting.length);
  }
}
