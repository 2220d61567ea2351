// Progress writes against a real database: idempotent, ordered, and safe under concurrency.
import { describe, expect, it } from 'vitest';
import { signUp } from '../../src/features/auth/accounts.server.ts';
import {
  isDeletedAccount,
  mergeProgress,
  readProgress,
  recordLessonReport,
  recordSessionReport,
} from '../../src/features/progress/progress.server.ts';
import { db } from '../../src/lib/server/db.server.ts';
import { PROVIDERS, useFreshDatabase } from '../support/use-database.ts';

const SESSION = 'load-testing-with-k6';
const DURATION = 300;

async function learner(): Promise<string> {
  const created = await signUp({
    name: 'Progress Tester',
    email: `p-${Date.now()}-${Math.random()}@example.com`,
    password: 'a perfectly fine passphrase',
  });
  if (!created.ok) throw new Error('sign-up failed');
  return created.value.userId;
}

describe.each(PROVIDERS)('progress on %s', (provider) => {
  useFreshDatabase(provider);

  it('recognises a report for an account deleted meanwhile, so the route answers 401 instead of 500', async () => {
    const userId = await learner();
    await db().user.delete({ where: { id: userId } });
    const failure = await recordSessionReport(userId, SESSION, DURATION, { position: 5, ranges: [[0, 5]], at: 1 }).catch((e: unknown) => e);
    expect(isDeletedAccount(failure)).toBe(true);
    expect(isDeletedAccount(new Error('something else'))).toBe(false);
  });

  it('keeps the newest position when an older report arrives late', async () => {
    const userId = await learner();
    await recordSessionReport(userId, SESSION, DURATION, { position: 120, ranges: [[0, 120]], at: 2_000 });
    await recordSessionReport(userId, SESSION, DURATION, { position: 30, ranges: [[0, 30]], at: 1_000 });
    expect((await readProgress(userId)).sessions[SESSION]).toMatchObject({ position: 120, playedSeconds: 120, watched: false, at: 2_000 });
  });

  it('does not count a drag to the end as watching, but counts 90 % of real playback', async () => {
    const userId = await learner();
    await recordSessionReport(userId, SESSION, DURATION, { position: 299, ranges: [[0, 10]], at: 1 });
    expect((await readProgress(userId)).sessions[SESSION]?.watched).toBe(false);
    await recordSessionReport(userId, SESSION, DURATION, {
      position: 299,
      ranges: [
        [10, 200],
        [200, 270],
      ],
      at: 2,
    });
    expect((await readProgress(userId)).sessions[SESSION]?.watched).toBe(true);
  });

  it('clamps a position beyond the end of the recording', async () => {
    const userId = await learner();
    await recordSessionReport(userId, SESSION, DURATION, { position: 9_999, ranges: [], at: 1 });
    expect((await readProgress(userId)).sessions[SESSION]?.position).toBe(DURATION);
  });

  it('loses no played range when reports arrive concurrently', async () => {
    const userId = await learner();
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        recordSessionReport(userId, SESSION, DURATION, { position: i * 20 + 20, ranges: [[i * 20, i * 20 + 20]], at: 1000 + i }),
      ),
    );
    expect((await readProgress(userId)).sessions[SESSION]).toMatchObject({ playedSeconds: 200, position: 200 });
  });

  it('applies lesson reports in the order the learner acted, whatever order they arrive in', async () => {
    const userId = await learner();
    const lesson = 'slos/01-prometheus-data-model';
    await recordLessonReport(userId, lesson, { completed: true, at: 5_000 });
    await recordLessonReport(userId, lesson, { completed: false, at: 4_000 });
    await recordLessonReport(userId, lesson, { completed: true, at: 5_000 });
    expect((await readProgress(userId)).lessons[lesson]).toEqual({ completed: true, at: 5_000 });
  });

  it('merges browser progress without overwriting newer account data and skips unknown ids', async () => {
    const userId = await learner();
    await recordLessonReport(userId, 'slos/02-promql-essentials', { completed: true, at: 9_000 });
    const merged = await mergeProgress(
      userId,
      {
        lessons: [
          { id: 'slos/02-promql-essentials', completed: false, at: 1_000 },
          { id: 'slos/03-sli-queries-and-error-budgets', completed: true, at: 2_000 },
          { id: 'nope/01-missing', completed: true, at: 2_000 },
        ],
        sessions: [
          { id: SESSION, position: 42, ranges: [[0, 42]], at: 3_000 },
          { id: 'ghost', position: 1, ranges: [], at: 1 },
        ],
      },
      {
        lessons: new Set(['slos/02-promql-essentials', 'slos/03-sli-queries-and-error-budgets']),
        sessions: new Map([[SESSION, DURATION]]),
      },
    );
    expect(merged).toEqual({ lessons: 2, sessions: 1 });
    const progress = await readProgress(userId);
    expect(progress.lessons['slos/02-promql-essentials']?.completed).toBe(true);
    expect(progress.lessons['slos/03-sli-queries-and-error-budgets']?.completed).toBe(true);
    expect(progress.sessions[SESSION]?.position).toBe(42);
  });
});
