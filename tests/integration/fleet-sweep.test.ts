// The exam deadline sweep runs once a minute across the fleet, whatever the number of instances
// calling it, and never twice at once on PostgreSQL (advisory lock).
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { runDeadlineSweep, SWEEP_ADVISORY_LOCK_KEY, SWEEP_LEASE_KEY } from '../../src/features/exam/sweep.server.ts';
import { databaseTarget, db } from '../../src/lib/server/db.server.ts';
import { createExamCandidates } from '../support/exam-candidates.ts';
import { PROVIDERS, useFreshDatabase } from '../support/use-database.ts';

for (const provider of PROVIDERS) {
  describe(`deadline sweep (${provider})`, () => {
    useFreshDatabase(provider);

    it('lets one of several simultaneous callers through per minute and finalises expired attempts', async () => {
      const [candidate] = await createExamCandidates(1, `sweep-${provider}`);
      const attemptId = candidate?.attemptId ?? '';
      await db().examAttempt.update({ where: { id: attemptId }, data: { deadline: new Date(Date.now() - 3_600_000) } });

      const now = new Date();
      // Six instances whose timers fire together.
      const outcomes = await Promise.all(Array.from({ length: 6 }, () => runDeadlineSweep(now)));
      expect(outcomes.filter((o) => o.ran)).toEqual([{ ran: true, finalised: 1 }]);
      expect((await db().examAttempt.findUniqueOrThrow({ where: { id: attemptId }, select: { status: true } })).status).toBe('expired');

      // 30 s later: not due; a minute later: due again (and finds nothing left to do).
      expect(await runDeadlineSweep(new Date(now.getTime() + 30_000))).toEqual({ ran: false, reason: 'not due' });
      expect(await runDeadlineSweep(new Date(now.getTime() + 60_000))).toEqual({ ran: true, finalised: 0 });
      const lease = await db().rateLimit.findUniqueOrThrow({ where: { key: SWEEP_LEASE_KEY } });
      expect(lease.count).toBe(2);
    });

    if (provider === 'postgresql') {
      it('skips while another instance holds the sweep lock, even when the minute is due', async () => {
        const holder = new pg.Client({ connectionString: databaseTarget().url });
        await holder.connect();
        try {
          await holder.query('SELECT pg_advisory_lock($1)', [SWEEP_ADVISORY_LOCK_KEY]);
          expect(await runDeadlineSweep(new Date(Date.now() + 10 * 60_000))).toEqual({
            ran: false,
            reason: 'another instance is sweeping',
          });
          await holder.query('SELECT pg_advisory_unlock($1)', [SWEEP_ADVISORY_LOCK_KEY]);
          expect(await runDeadlineSweep(new Date(Date.now() + 10 * 60_000))).toMatchObject({ ran: true });
        } finally {
          await holder.end();
        }
      });
    }
  });
}
