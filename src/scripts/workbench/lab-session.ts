// The SLO lab's worker: one long-lived lab Web Worker that keeps the generated telemetry (about
// 2 s to build) between messages, so exploring, completing and running tasks do not rebuild it.
// Requests go one at a time; Stop, or 60 s without a message, terminates the worker, and the next
// request starts a fresh one.
import type { WorkerRequest } from '../../../labs/runtime/lab/messages.ts';
import type { ScenarioReplyView, TaskOutcomeView, TelemetryDescriptionView } from '../../features/labs/workbench-messages.ts';
import { parseReply, postToWorker, startLabWorker } from './lab-worker.ts';
import type { QueryOutcomeView } from './query-view.ts';

/** Which cluster run a message is about (absent: the lab's telemetry). */
export interface ClusterTarget {
  taskId?: string;
  variant?: string;
}

export const SESSION_SILENCE_LIMIT_MS = 60_000;

type Reply = ReturnType<typeof parseReply>;

export type SessionResult<T> = { ok: true; value: T } | { ok: false; stopped: boolean; message: string };

interface Job {
  message: WorkerRequest;
  /** Whether this reply ends the job (other replies are progress or status). */
  accept(reply: Reply): boolean;
  resolve(result: SessionResult<Reply>): void;
}

export class LabSession {
  private worker: Worker | null = null;
  private current: Job | null = null;
  private readonly queue: Job[] = [];
  private watchdog: ReturnType<typeof setTimeout> | undefined;
  private nextId = 1;
  private readonly onStatus: (message: string) => void;

  constructor(onStatus: (message: string) => void) {
    this.onStatus = onStatus;
  }

  get busy(): boolean {
    return this.current !== null;
  }

  /** Names for completion: of the lab's telemetry, or (with a target) of a cluster task's simulated run. */
  async telemetry(labId: string, seed: number, target: ClusterTarget = {}): Promise<SessionResult<TelemetryDescriptionView>> {
    const result = await this.send({ type: 'telemetry', labId, seed, ...target }, (r) => r.type === 'telemetry');
    return result.ok && result.value.type === 'telemetry' ? { ok: true, value: result.value } : failure(result);
  }

  async query(
    message: { labId: string; seed: number; query: string } & ClusterTarget &
      ({ time?: number } | { start: number; end: number; step: number }),
  ): Promise<SessionResult<QueryOutcomeView>> {
    const id = this.nextId++;
    const result = await this.send(
      { type: 'query', id, ...message },
      (r) => (r.type === 'query-result' && r.id === id) || r.type === 'error',
    );
    return result.ok && result.value.type === 'query-result' ? { ok: true, value: result.value.outcome } : failure(result);
  }

  /** Simulates a cluster task's run (the incident or a remediation's) in the worker, or finds it cached. */
  async scenario(message: { labId: string; taskId: string; variant: string; seed: number }): Promise<SessionResult<ScenarioReplyView>> {
    const result = await this.send({ type: 'scenario', ...message }, (r) => r.type === 'scenario');
    return result.ok && result.value.type === 'scenario' ? { ok: true, value: result.value } : failure(result);
  }

  async run(message: Extract<WorkerRequest, { type: 'run' }>): Promise<SessionResult<TaskOutcomeView>> {
    const result = await this.send(message, (r) => r.type === 'done');
    return result.ok && result.value.type === 'done' ? { ok: true, value: result.value.outcome } : failure(result);
  }

  /** Terminates the worker: the job in progress and every queued one end as stopped. */
  stop(reason: string): void {
    const jobs = [...(this.current ? [this.current] : []), ...this.queue.splice(0)];
    this.current = null;
    this.terminate();
    for (const job of jobs) job.resolve({ ok: false, stopped: true, message: reason });
  }

  private send(message: WorkerRequest, accept: (reply: Reply) => boolean): Promise<SessionResult<Reply>> {
    return new Promise((resolve) => {
      this.queue.push({ message, accept, resolve });
      this.pump();
    });
  }

  private pump(): void {
    if (this.current || this.queue.length === 0) return;
    const job = this.queue.shift() as Job;
    this.current = job;
    postToWorker(this.ensureWorker(), job.message);
    this.armWatchdog();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = startLabWorker();
    worker.onmessage = (event: MessageEvent) => {
      if (this.worker !== worker) return;
      this.armWatchdog();
      const reply = parseReply(event.data);
      if (reply.type === 'status') {
        this.onStatus(reply.message);
        return;
      }
      const job = this.current;
      if (!job) return;
      if (reply.type === 'error' || job.accept(reply)) {
        this.current = null;
        clearTimeout(this.watchdog);
        job.resolve(reply.type === 'error' ? { ok: false, stopped: false, message: reply.message } : { ok: true, value: reply });
        this.pump();
      }
    };
    worker.onerror = (event: ErrorEvent) => {
      if (this.worker !== worker) return;
      event.preventDefault();
      this.stop(`the lab runtime stopped unexpectedly${event.message ? `: ${event.message}` : ''}`);
    };
    this.worker = worker;
    return worker;
  }

  private armWatchdog(): void {
    clearTimeout(this.watchdog);
    if (this.current) this.watchdog = setTimeout(() => this.stop('the lab runtime did not answer for 60 s'), SESSION_SILENCE_LIMIT_MS);
  }

  private terminate(): void {
    clearTimeout(this.watchdog);
    this.worker?.terminate();
    this.worker = null;
  }
}

function failure<T>(result: SessionResult<Reply>): SessionResult<T> {
  if (!result.ok) return result;
  return { ok: false, stopped: false, message: 'The lab runtime sent an unexpected reply.' };
}
