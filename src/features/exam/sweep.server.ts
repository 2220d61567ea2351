// The exam deadline sweep, once a minute for the whole fleet (ADR 016). Every instance's timer
// calls runDeadlineSweep; a lease row (a conditional update any database runs atomically) lets one
// of them through per minute, and on PostgreSQL a transaction-scoped advisory lock keeps two sweeps
// from overlapping however long one takes. Attempts are also finalised whenever next touched, so
// the sweep only tidies up attempts nobody opens again.
import { databaseTarget, db } from '../../lib/server/db.server.ts';
import { finaliseExpiredAttempts } from './attempts.server.ts';

/** The lease row, in the table of fixed-window counters (its count is the number of sweeps run). */
export const SWEEP_LEASE_KEY = 'lease:exam-deadline-sweep';
export const SWEEP_INTERVAL_MS = 60_000;
/** Timers drift: a sweep may start this much before a full interval has passed. */
const SLACK_MS = 5_000;
/** pg_advisory lock key: "HRSW" in ASCII, unlike Prisma's migration lock key. */
export const SWEEP_ADVISORY_LOCK_KEY = 0x48525357;

type Client = Pick<ReturnType<typeof db>, 'rateLimit'>;

async function claimLease(client: Client, now: Date): Promise<boolean> {
  try {
    await client.rateLimit.upsert({
      where: { key: SWEEP_LEASE_KEY },
      create: { key: SWEEP_LEASE_KEY, count: 0, windowStart: new Date(0) },
      update: {},
    });
  } catch (error) {
    // Another instance created the row at the same moment: it exists, which is all we need.
    if ((error as { code?: string }).code !== 'P2002') throw error;
  }
  const due = new Date(now.getTime() - SWEEP_INTERVAL_MS + SLACK_MS);
  const { count } = await client.rateLimit.updateMany({
    where: { key: SWEEP_LEASE_KEY, windowStart: { lte: due } },
    data: { windowStart: now, count: { increment: 1 } },
  });
  return count === 1;
}

export type SweepOutcome = { ran: true; finalised: number } | { ran: false; reason: 'not due' | 'another instance is sweeping' };

export async function runDeadlineSweep(now = new Date()): Promise<SweepOutcome> {
  if (databaseTarget().provider !== 'postgresql') {
    if (!(await claimLease(db(), now))) return { ran: false, reason: 'not due' };
    return { ran: true, finalised: await finaliseExpiredAttempts(now) };
  }
  return db().$transaction(
    async (tx) => {
      const [row] = await tx.$queryRawUnsafe<{ locked: boolean }[]>(
        'SELECT pg_try_advisory_xact_lock($1) AS locked',
        SWEEP_ADVISORY_LOCK_KEY,
      );
      if (!row?.locked) return { ran: false, reason: 'another instance is sweeping' } as const;
      if (!(await claimLease(tx, now))) return { ran: false, reason: 'not due' } as const;
      // The lock lives as long as this transaction; the sweep itself uses ordinary connections.
      return { ran: true, finalised: await finaliseExpiredAttempts(now) } as const;
    },
    { maxWait: 10_000, timeout: 5 * 60_000 },
  );
}
