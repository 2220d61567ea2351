// Autosave, the exam's hot path (ADR 011). A save is acknowledged only once committed. To serve
// hundreds of candidates on two cores it:
// - reads an attempt's fixed facts (owner, deadline, items and their option orders) from the
//   database once and keeps them in memory; they never change after the start;
// - writes with ONE statement that checks the attempt is still open and the deadline (plus grace)
//   not passed, inserts or updates the answer, and only overwrites an older revision;
// - group-commits: saves arriving together share one transaction (one fsync), flushed at once.
import { databaseTarget, db } from '../../lib/server/db.server.ts';
import { onShutdown } from '../../lib/server/lifecycle.server.ts';
import { metrics } from '../../lib/server/metrics.server.ts';
import { loadBank } from './bank.server.ts';
import type { ExamItem } from './items.ts';
import { querySyntaxProblem } from './promql-items.ts';
import { type SubmittedAnswer, toStoredAnswer } from './public-item.ts';
import { createResponseStore, type ResponseStore, type SaveRow } from './response-store.server.ts';

const MAX_BATCH = 256;

interface AttemptFacts {
  userId: string;
  deadline: number;
  items: Map<string, { optionOrder: string[]; item: ExamItem }>;
}

const factsCache = new Map<string, Promise<AttemptFacts | null>>();

function attemptFacts(attemptId: string): Promise<AttemptFacts | null> {
  let facts = factsCache.get(attemptId);
  if (!facts) {
    facts = (async () => {
      const attempt = await db().examAttempt.findUnique({
        where: { id: attemptId },
        select: { userId: true, deadline: true, items: { select: { itemId: true, optionOrder: true } } },
      });
      if (!attempt) return null;
      const bank = loadBank();
      const items = new Map<string, { optionOrder: string[]; item: ExamItem }>();
      for (const row of attempt.items) {
        const item = bank.byId.get(row.itemId);
        if (item) items.set(row.itemId, { optionOrder: JSON.parse(row.optionOrder) as string[], item });
      }
      return { userId: attempt.userId, deadline: attempt.deadline.getTime(), items };
    })();
    factsCache.set(attemptId, facts);
    // Unknown ids are not cached for long: a later start might create them.
    void facts.then((f) => {
      if (!f) factsCache.delete(attemptId);
    });
    if (factsCache.size > 50_000) factsCache.delete(factsCache.keys().next().value as string);
  }
  return facts;
}

/** A promql answer's parse problem (it says nothing about the hidden data), or null. */
export type SyntaxNote = { message: string; line?: number | undefined; column?: number | undefined } | null;

export type SaveOutcome =
  | { status: 'saved'; revision: number; savedAt: string; syntax?: SyntaxNote }
  | { status: 'stale'; revision: number; savedAt: string }
  | { status: 'closed'; message: string }
  | { status: 'not-found' }
  | { status: 'invalid'; message: string };

interface PendingSave extends SaveRow {
  resolve: (saved: boolean) => void;
  reject: (error: unknown) => void;
}

let queue: PendingSave[] = [];
let flushing = false;
let store: { key: string; store: ResponseStore } | undefined;

function responseStore(): ResponseStore {
  const target = databaseTarget();
  if (store?.key !== target.url) {
    store = { key: target.url, store: createResponseStore(target) };
    onShutdown('autosave', drainAutosaves, 10);
  }
  return store.store;
}

/** Commits every queued save, then closes the raw connection (SIGTERM, after in-flight requests). */
export async function drainAutosaves(): Promise<void> {
  while (flushing || queue.length > 0) {
    if (!flushing) await flush();
    else await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await store?.store.close();
  store = undefined;
}

async function flush(): Promise<void> {
  if (flushing) return;
  flushing = true;
  try {
    while (queue.length > 0) {
      const batch = queue.slice(0, MAX_BATCH);
      queue = queue.slice(batch.length);
      metrics().autosavePending.set(queue.length);
      metrics().autosaveBatch.observe(batch.length);
      try {
        // One transaction for the whole batch: one commit, one fsync, for every save in it.
        const written = await responseStore().write(batch);
        for (const [i, save] of batch.entries()) save.resolve(written[i] ?? false);
      } catch (error) {
        for (const save of batch) save.reject(error);
      }
    }
  } finally {
    flushing = false;
  }
}

function enqueue(save: SaveRow): Promise<boolean> {
  return new Promise((resolve, reject) => {
    queue.push({ ...save, resolve, reject });
    metrics().autosavePending.set(queue.length);
    if (!flushing) setImmediate(() => void flush());
  });
}

export async function saveResponse(
  input: { attemptId: string; userId: string; itemId: string; answer: SubmittedAnswer | null; flagged: boolean; revision: number },
  graceSeconds: number,
  now = new Date(),
): Promise<SaveOutcome> {
  const facts = await attemptFacts(input.attemptId);
  if (!facts || facts.userId !== input.userId) return { status: 'not-found' };
  const entry = facts.items.get(input.itemId);
  if (!entry) return { status: 'invalid', message: `Item "${input.itemId.slice(0, 40)}" is not part of this attempt.` };
  let stored = 'null';
  if (input.answer !== null) {
    const mapped = toStoredAnswer(entry.item, entry.optionOrder, input.answer);
    if (!mapped.ok) return { status: 'invalid', message: `That answer does not fit this item: ${mapped.error}.` };
    stored = JSON.stringify(mapped.answer);
  }
  const notBefore = new Date(now.getTime() - graceSeconds * 1000);
  if (facts.deadline < notBefore.getTime())
    return { status: 'closed', message: 'Time is up: the exam ended and this answer was not saved.' };
  const saved = await enqueue({
    attemptId: input.attemptId,
    itemId: input.itemId,
    answer: stored,
    flagged: input.flagged,
    revision: input.revision,
    savedAt: now,
    notBefore,
  });
  if (saved) {
    const query = input.answer !== null && 'query' in input.answer ? input.answer.query : null;
    const syntax = query === null ? {} : { syntax: querySyntaxProblem(query) };
    return { status: 'saved', revision: input.revision, savedAt: now.toISOString(), ...syntax };
  }
  // Not written: either a newer (or the same) revision is stored, or the attempt is closed.
  const [current, attempt] = await Promise.all([
    db().examResponse.findUnique({
      where: { attemptId_itemId: { attemptId: input.attemptId, itemId: input.itemId } },
      select: { revision: true, savedAt: true },
    }),
    db().examAttempt.findUnique({ where: { id: input.attemptId }, select: { status: true } }),
  ]);
  if (attempt?.status !== 'in_progress')
    return { status: 'closed', message: 'This attempt is over (submitted or out of time); the answer was not saved.' };
  if (current) return { status: 'stale', revision: current.revision, savedAt: current.savedAt.toISOString() };
  return { status: 'closed', message: 'Time is up: the exam ended and this answer was not saved.' };
}

/** Clears cached attempt facts and closes the raw connection (tests switching databases). */
export async function resetResponseStore(): Promise<void> {
  factsCache.clear();
  await store?.store.close();
  store = undefined;
}
