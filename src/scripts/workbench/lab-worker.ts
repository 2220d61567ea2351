// Starting the lab runtime's Web Worker. Vite bundles the worker (and the QuickJS WebAssembly it
// loads) from this exact `new Worker(new URL(...))` form.
import type { WorkerRequest } from '../../../labs/runtime/lab/messages.ts';
import { type WorkerReply, WorkerReplySchema } from '../../features/labs/workbench-messages.ts';

export function startLabWorker(): Worker {
  return new Worker(new URL('../../../labs/runtime/browser/lab-worker.ts', import.meta.url), { type: 'module', name: 'lab-runtime' });
}

export function postToWorker(worker: Worker, message: WorkerRequest): void {
  worker.postMessage(message);
}

/** A reply, or an `error` reply describing why the message did not parse. */
export function parseReply(data: unknown): WorkerReply {
  const parsed = WorkerReplySchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  return {
    type: 'error',
    message: `The lab runtime sent a message the page does not understand (${issue?.path.join('.') || 'message'}: ${issue?.message ?? 'invalid'}).`,
  };
}
