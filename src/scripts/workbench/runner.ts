// One run of a task in a fresh lab worker. The worker is terminated when the run ends, when the
// learner presses Stop, or when it has been silent too long (a script stuck in a loop).
import type { RunTaskMessage } from '../../../labs/runtime/lab/messages.ts';
import type { RunProgress, TaskOutcomeView } from '../../features/labs/workbench-messages.ts';
import { parseReply, postToWorker, startLabWorker } from './lab-worker.ts';

export const SILENCE_LIMIT_MS = 40_000;

export interface RunListener {
  onProgress(runIndex: number, progress: RunProgress): void;
  onDone(outcome: TaskOutcomeView): void;
  /** The runtime reported an error, or the worker crashed. */
  onFailure(message: string): void;
  /** Stopped by the learner or by the silence limit; `reason` is shown after "Stopped". */
  onStopped(reason: string | null): void;
}

export class TaskRun {
  private worker: Worker | null = null;
  private watchdog: ReturnType<typeof setTimeout> | undefined;
  private readonly listener: RunListener;

  constructor(listener: RunListener) {
    this.listener = listener;
  }

  get running(): boolean {
    return this.worker !== null;
  }

  start(message: RunTaskMessage): void {
    const worker = startLabWorker();
    this.worker = worker;
    worker.onmessage = (event: MessageEvent) => {
      if (this.worker !== worker) return;
      this.armWatchdog();
      const reply = parseReply(event.data);
      if (reply.type === 'progress') this.listener.onProgress(reply.runIndex, reply.progress);
      else if (reply.type === 'done') {
        this.end();
        this.listener.onDone(reply.outcome);
      } else if (reply.type === 'error') {
        this.end();
        this.listener.onFailure(reply.message);
      }
    };
    worker.onerror = (event: ErrorEvent) => {
      if (this.worker !== worker) return;
      event.preventDefault();
      this.end();
      this.listener.onFailure(`The lab runtime stopped unexpectedly${event.message ? `: ${event.message}` : ''}.`);
    };
    this.armWatchdog();
    postToWorker(worker, message);
  }

  /** Terminates the worker at once; `reason` null means the learner pressed Stop. */
  stop(reason: string | null = null): void {
    if (!this.worker) return;
    this.end();
    this.listener.onStopped(reason);
  }

  private armWatchdog(): void {
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => this.stop('the script ran too long'), SILENCE_LIMIT_MS);
  }

  private end(): void {
    clearTimeout(this.watchdog);
    this.worker?.terminate();
    this.worker = null;
  }
}

/** A seed for a run nobody will verify: 31 random bits (seeds are below 2^31 everywhere). */
export function randomSeed(): number {
  return (crypto.getRandomValues(new Uint32Array(1))[0] ?? 0) >>> 1;
}
