// Exam candidates made directly in a database (an account, passed labs, an open attempt and a
// session), for tests and scripts that drive a running server over HTTP.
import { signUp } from '../../src/features/auth/accounts.server.ts';
import { createSession, SESSION_COOKIE } from '../../src/features/auth/session.server.ts';
import { startAttempt } from '../../src/features/exam/attempts.server.ts';
import { loadBank } from '../../src/features/exam/bank.server.ts';
import { type ExamItem, responseKind } from '../../src/features/exam/items.ts';
import { type SubmittedAnswer, toSubmittedAnswer } from '../../src/features/exam/public-item.ts';
import { resetResponseStore } from '../../src/features/exam/responses.server.ts';
import type { StoredAnswer } from '../../src/features/exam/scoring.ts';
import { resolveDatabase } from '../../src/lib/server/database-url.ts';
import { closeDb, db } from '../../src/lib/server/db.server.ts';
import { applyMigrations } from '../../src/lib/server/migrate.server.ts';
import { makeExamEligible } from './exam-eligibility.ts';

export interface ExamCandidate {
  userId: string;
  email: string;
  password: string;
  cookie: string;
  attemptId: string;
  /** Single-choice items of the attempt (their answers are `{ choice: "1" | "2" | … }`). */
  singleChoiceItems: string[];
  /** Every item of the attempt with the answer its key gives, as the browser would send it. */
  rightAnswers: { itemId: string; answer: SubmittedAnswer }[];
}

/** The answer an item's key gives, in the positions this attempt shows its options in. */
export function rightAnswer(item: ExamItem, optionOrder: string[]): SubmittedAnswer {
  const kind = responseKind(item);
  const stored: StoredAnswer =
    kind === 'single'
      ? { choice: item.key as string }
      : kind === 'multiple'
        ? { choices: item.key as string[] }
        : kind === 'ordering'
          ? { order: item.key as string[] }
          : kind === 'promql'
            ? { query: item.key as string }
            : { value: (item.key as { value: number }).value };
  return toSubmittedAnswer(stored, optionOrder);
}

/**
 * Runs `work` with the app's one Prisma client on `databaseUrl` (migrated first), then puts
 * DATABASE_URL and the client back as they were.
 */
export async function withDatabase<T>(databaseUrl: string, work: () => Promise<T>): Promise<T> {
  const previous = process.env['DATABASE_URL'];
  await resetResponseStore();
  await closeDb();
  process.env['DATABASE_URL'] = databaseUrl;
  try {
    await applyMigrations(resolveDatabase(process.env));
    return await work();
  } finally {
    await resetResponseStore();
    await closeDb();
    if (previous === undefined) delete process.env['DATABASE_URL'];
    else process.env['DATABASE_URL'] = previous;
  }
}

/** `count` candidates with an attempt in progress, in the database the Prisma client points at. */
export async function createExamCandidates(count: number, prefix: string): Promise<ExamCandidate[]> {
  const bank = loadBank();
  const candidates: ExamCandidate[] = [];
  for (let i = 0; i < count; i += 1) {
    const email = `${prefix}-${i}-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const password = `candidate passphrase ${i} ${prefix}`;
    const created = await signUp({ name: `Candidate ${i}`, email, password });
    if (!created.ok) throw new Error(`candidate sign-up failed: ${JSON.stringify(created.errors)}`);
    const userId = created.value.userId;
    await makeExamEligible(userId);
    const started = await startAttempt(userId);
    if (!started.ok) throw new Error(started.error);
    const items = await db().attemptItem.findMany({
      where: { attemptId: started.attemptId },
      orderBy: { position: 'asc' },
      select: { itemId: true, optionOrder: true },
    });
    const { token } = await createSession(userId);
    candidates.push({
      userId,
      email,
      password,
      cookie: `${SESSION_COOKIE}=${token}`,
      attemptId: started.attemptId,
      singleChoiceItems: items
        .map((row) => row.itemId)
        .filter((id) => {
          const item = bank.byId.get(id);
          return item !== undefined && responseKind(item) === 'single';
        }),
      rightAnswers: items.flatMap((row) => {
        const item = bank.byId.get(row.itemId);
        return item ? [{ itemId: row.itemId, answer: rightAnswer(item, JSON.parse(row.optionOrder) as string[]) }] : [];
      }),
    });
  }
  return candidates;
}

/** PUTs one autosave; the response status. */
export async function autosave(
  baseUrl: string,
  candidate: ExamCandidate,
  itemId: string,
  choice: string,
  revision: number,
): Promise<number> {
  const response = await fetch(`${baseUrl}/api/exam/attempts/${candidate.attemptId}/responses/${itemId}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', cookie: candidate.cookie },
    body: JSON.stringify({ answer: { choice }, flagged: false, revision }),
  });
  await response.arrayBuffer();
  return response.status;
}
