// Stores learning progress. Each write applies the pure rules in progress.ts inside a
// transaction, so repeats are harmless and an older report never overwrites a newer one.
import { db } from '../../lib/server/db.server.ts';
import { withDbRetry } from '../../lib/server/db-retry.ts';
import {
  applySessionReport,
  type LessonReport,
  lessonReportWins,
  type MergeReport,
  type Range,
  type SessionReport,
  type StoredSessionProgress,
} from './progress.ts';

export interface ProgressSnapshot {
  lessons: Record<string, { completed: boolean; at: number }>;
  sessions: Record<string, { position: number; playedSeconds: number; watched: boolean; at: number }>;
}

/** The account was deleted while a request of its still-cached session was in flight: the write
 *  fails on the user's foreign key (Prisma P2003). Routes answer 401, as for a session that ended. */
export function isDeletedAccount(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2003';
}

export async function recordLessonReport(
  userId: string,
  lessonId: string,
  report: LessonReport,
  now = Date.now(),
): Promise<{ completed: boolean; at: number }> {
  return withDbRetry(() =>
    db().$transaction(
      async (tx) => {
        const stored = await tx.lessonProgress.findUnique({
          where: { userId_lessonId: { userId, lessonId } },
          select: { completed: true, actedAt: true },
        });
        if (!lessonReportWins(stored ? stored.actedAt.getTime() : null, report, now)) {
          return { completed: stored?.completed ?? false, at: stored?.actedAt.getTime() ?? 0 };
        }
        const actedAt = new Date(Math.min(report.at, now));
        await tx.lessonProgress.upsert({
          where: { userId_lessonId: { userId, lessonId } },
          create: { userId, lessonId, completed: report.completed, actedAt },
          update: { completed: report.completed, actedAt },
        });
        return { completed: report.completed, at: actedAt.getTime() };
      },
      { isolationLevel: 'Serializable' },
    ),
  );
}

export async function recordSessionReport(
  userId: string,
  sessionId: string,
  duration: number,
  report: SessionReport,
  now = Date.now(),
): Promise<StoredSessionProgress> {
  return withDbRetry(() =>
    db().$transaction(
      async (tx) => {
        const row = await tx.sessionProgress.findUnique({
          where: { userId_sessionId: { userId, sessionId } },
          select: { position: true, playedRanges: true, actedAt: true, watched: true },
        });
        const stored: StoredSessionProgress | null = row
          ? {
              position: row.position,
              ranges: JSON.parse(row.playedRanges) as Range[],
              actedAt: row.actedAt.getTime(),
              watched: row.watched,
            }
          : null;
        const next = applySessionReport(stored, report, duration, now);
        const data = {
          position: next.position,
          playedRanges: JSON.stringify(next.ranges),
          playedSeconds: next.ranges.reduce((t, [s, e]) => t + e - s, 0),
          watched: next.watched,
          actedAt: new Date(next.actedAt),
        };
        await tx.sessionProgress.upsert({
          where: { userId_sessionId: { userId, sessionId } },
          create: { userId, sessionId, ...data },
          update: data,
        });
        return next;
      },
      { isolationLevel: 'Serializable' },
    ),
  );
}

export async function readProgress(userId: string): Promise<ProgressSnapshot> {
  const [lessons, sessions] = await Promise.all([
    db().lessonProgress.findMany({ where: { userId }, select: { lessonId: true, completed: true, actedAt: true } }),
    db().sessionProgress.findMany({
      where: { userId },
      select: { sessionId: true, position: true, playedSeconds: true, watched: true, actedAt: true },
    }),
  ]);
  return {
    lessons: Object.fromEntries(lessons.map((l) => [l.lessonId, { completed: l.completed, at: l.actedAt.getTime() }])),
    sessions: Object.fromEntries(
      sessions.map((s) => [
        s.sessionId,
        { position: s.position, playedSeconds: s.playedSeconds, watched: s.watched, at: s.actedAt.getTime() },
      ]),
    ),
  };
}

/**
 * Folds progress kept in the browser before sign-in into the account. Unknown ids are skipped;
 * newer server data is never overwritten (the same ordering rules as live reports).
 */
export async function mergeProgress(
  userId: string,
  report: MergeReport,
  known: { lessons: ReadonlySet<string>; sessions: ReadonlyMap<string, number> },
): Promise<{ lessons: number; sessions: number }> {
  let lessons = 0;
  let sessions = 0;
  for (const { id, ...lesson } of report.lessons) {
    if (!known.lessons.has(id)) continue;
    await recordLessonReport(userId, id, lesson);
    lessons += 1;
  }
  for (const { id, ...session } of report.sessions) {
    const duration = known.sessions.get(id);
    if (duration === undefined) continue;
    await recordSessionReport(userId, id, duration, session);
    sessions += 1;
  }
  return { lessons, sessions };
}
