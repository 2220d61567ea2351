// Autosave for one attempt. Every change goes to localStorage first (the latest change per item),
// then to the server; it leaves the queue only when the server acknowledged that revision (a 2xx
// means committed). Network failures and 5xx replies are retried with backoff, and at once when
// the browser comes back online; a reload re-sends whatever is still queued.
import { retryDelay } from './answers.ts';
import { errorText, type Queue, type QueuedSave, QueueSchema, SaveReplySchema, type SyntaxNote } from './schemas.ts';

export type SaveState =
  | { kind: 'saved' }
  | { kind: 'saving'; waiting: number }
  | { kind: 'offline'; waiting: number }
  | { kind: 'retrying'; waiting: number }
  | { kind: 'signed-out'; waiting: number }
  | { kind: 'closed' };

export interface SaveQueueEvents {
  onState(state: SaveState): void;
  /** The server holds `revision` (or a newer one) of this item; `syntax` is a promql answer's parse check. */
  onCommitted(itemId: string, revision: number, syntax?: SyntaxNote | null): void;
  /** A server timestamp from a reply, with when the request left and the reply came back. */
  onServerTime(serverNow: number, sentAt: number, receivedAt: number): void;
  /** 409: the attempt is over (time is up, or it was submitted elsewhere). */
  onClosed(message: string): void;
  /** 400/404: this change can never be saved, so it was dropped. */
  onRejected(itemId: string, message: string): void;
}

export const queueKey = (attemptId: string) => `headroom-exam-${attemptId}-queue`;

/** The queue a previous page load left behind; anything unreadable counts as empty. */
export function readStoredQueue(attemptId: string): Queue {
  try {
    const parsed = QueueSchema.safeParse(JSON.parse(localStorage.getItem(queueKey(attemptId)) ?? '{}'));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

export class SaveQueue {
  private readonly attemptId: string;
  private readonly events: SaveQueueEvents;
  private readonly pending = new Map<string, QueuedSave>();
  private readonly inFlight = new Set<string>();
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private networkDown = false;
  private signedOut = false;
  private closed = false;
  private waiters: ((drained: boolean) => void)[] = [];

  constructor(attemptId: string, events: SaveQueueEvents) {
    this.attemptId = attemptId;
    this.events = events;
  }

  /** Takes over the changes still to send (from a previous page load) and starts sending. */
  start(carriedOver: ReadonlyMap<string, QueuedSave>): void {
    for (const [itemId, save] of carriedOver) this.pending.set(itemId, save);
    this.persist();
    window.addEventListener('online', () => this.retryNow());
    window.addEventListener('offline', () => {
      this.networkDown = true;
      this.report();
    });
    // Signed in again in another tab, or the laptop woke up: try at once.
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState !== 'visible') return;
      this.signedOut = false;
      this.retryNow();
    });
    this.report();
    this.flush();
  }

  /** Queues the latest state of an item and sends it. */
  put(itemId: string, save: QueuedSave): void {
    if (this.closed) return;
    this.pending.set(itemId, save);
    this.persist();
    this.report();
    void this.send(itemId);
  }

  get waiting(): number {
    return this.pending.size;
  }

  get needsSignIn(): boolean {
    return this.signedOut;
  }

  get offline(): boolean {
    return this.networkDown || !navigator.onLine;
  }

  /** Resolves true once nothing is waiting, false if that does not happen within `timeoutMs`. */
  drained(timeoutMs: number): Promise<boolean> {
    if (this.pending.size === 0) return Promise.resolve(true);
    if (this.closed || this.signedOut) return Promise.resolve(false);
    this.retryNow();
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(false), timeoutMs);
      const done = (drained: boolean) => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve(drained);
      };
      this.waiters.push(done);
    });
  }

  /** Forgets everything (the attempt is over). */
  clear(): void {
    this.closed = true;
    this.pending.clear();
    clearTimeout(this.retryTimer);
    try {
      localStorage.removeItem(queueKey(this.attemptId));
    } catch {
      // Storage disabled: nothing was kept.
    }
  }

  private retryNow(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.failures = 0;
    if (navigator.onLine) this.networkDown = false;
    this.report();
    this.flush();
  }

  private flush(): void {
    for (const itemId of this.pending.keys()) void this.send(itemId);
  }

  private async send(itemId: string): Promise<void> {
    const save = this.pending.get(itemId);
    if (!save || this.inFlight.has(itemId) || this.closed || this.signedOut) return;
    if (!navigator.onLine) {
      // The browser knows it is offline; the 'online' event resends.
      this.networkDown = true;
      this.report();
      return;
    }
    this.inFlight.add(itemId);
    this.report();
    const sentAt = Date.now();
    let response: Response;
    try {
      response = await fetch(`/api/exam/attempts/${encodeURIComponent(this.attemptId)}/responses/${encodeURIComponent(itemId)}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(save),
        cache: 'no-store',
      });
    } catch {
      this.inFlight.delete(itemId);
      this.networkDown = true;
      this.failed();
      return;
    }
    const receivedAt = Date.now();
    const body: unknown = await response.json().catch(() => null);
    this.inFlight.delete(itemId);
    if (response.ok) {
      this.networkDown = false;
      this.failures = 0;
      const reply = SaveReplySchema.safeParse(body);
      if (reply.success) this.events.onServerTime(Date.parse(reply.data.serverNow), sentAt, receivedAt);
      const committed = reply.success ? Math.max(reply.data.revision, save.revision) : save.revision;
      this.events.onCommitted(itemId, committed, reply.success && reply.data.status === 'saved' ? reply.data.syntax : undefined);
      const latest = this.pending.get(itemId);
      if (latest && latest.revision <= save.revision) {
        this.pending.delete(itemId);
        this.persist();
      }
      this.report();
      // A newer change arrived while this one was in flight.
      if (this.pending.has(itemId)) void this.send(itemId);
      return;
    }
    if (response.status === 409) {
      this.closed = true;
      this.report();
      this.events.onClosed(errorText(body, 'Time is up: the exam has ended.'));
      return;
    }
    if (response.status === 401) {
      this.signedOut = true;
      this.report();
      return;
    }
    if (response.status === 400 || response.status === 404 || response.status === 413) {
      this.pending.delete(itemId);
      this.persist();
      this.report();
      this.events.onRejected(itemId, errorText(body, 'This answer could not be saved.'));
      return;
    }
    this.failed();
  }

  /** 5xx, 429 or no network: keep the change and try again later. */
  private failed(): void {
    this.failures += 1;
    if (this.retryTimer === undefined) {
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        this.flush();
      }, retryDelay(this.failures));
    }
    this.report();
  }

  private persist(): void {
    try {
      if (this.pending.size === 0) localStorage.removeItem(queueKey(this.attemptId));
      else localStorage.setItem(queueKey(this.attemptId), JSON.stringify(Object.fromEntries(this.pending)));
    } catch {
      // Storage full or disabled: changes are still sent, only not kept across a reload.
    }
  }

  private state(): SaveState {
    const waiting = this.pending.size;
    if (this.closed) return { kind: 'closed' };
    if (this.signedOut) return { kind: 'signed-out', waiting };
    if (waiting === 0) return { kind: 'saved' };
    if (this.offline) return { kind: 'offline', waiting };
    if (this.failures > 0 && this.inFlight.size === 0) return { kind: 'retrying', waiting };
    return { kind: 'saving', waiting };
  }

  private report(): void {
    const state = this.state();
    this.events.onState(state);
    if (state.kind === 'saved') for (const waiter of [...this.waiters]) waiter(true);
    if (state.kind === 'closed' || state.kind === 'signed-out') for (const waiter of [...this.waiters]) waiter(false);
  }
}
