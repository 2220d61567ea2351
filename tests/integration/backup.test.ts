// `npm run admin -- backup <file>` and `restore <file>` on both databases: a restore into an empty
// database finds every account, attempt, answer and certificate; anything else is refused clearly.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveResponse } from '../../src/features/exam/responses.server.ts';
import { db } from '../../src/lib/server/db.server.ts';
import { createCertificateFixture } from '../support/certificates.ts';
import { freshPostgres, freshSqlite, type TestDatabase } from '../support/databases.ts';
import { createExamCandidates, withDatabase } from '../support/exam-candidates.ts';
import { PROVIDERS } from '../support/use-database.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');

const admin = (databaseUrl: string, ...args: string[]) =>
  run(process.execPath, ['scripts/admin.ts', ...args], { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl } }).then(
    (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
  );

/** Every row the restore must bring back, in a stable order. */
async function snapshot(databaseUrl: string) {
  return withDatabase(databaseUrl, async () => ({
    users: await db().user.findMany({ orderBy: { id: 'asc' } }),
    sessions: await db().session.findMany({ orderBy: { id: 'asc' } }),
    attempts: await db().examAttempt.findMany({
      orderBy: { id: 'asc' },
      include: { items: { orderBy: { position: 'asc' } }, score: true },
    }),
    responses: await db().examResponse.findMany({ orderBy: [{ attemptId: 'asc' }, { itemId: 'asc' }] }),
    labRuns: await db().labRun.findMany({ orderBy: { id: 'asc' } }),
    certificates: await db().certificate.findMany({ orderBy: { id: 'asc' } }),
  }));
}

for (const provider of PROVIDERS) {
  describe(`backup and restore (${provider})`, () => {
    const fresh = () => (provider === 'sqlite' ? Promise.resolve(freshSqlite()) : freshPostgres());
    let source: TestDatabase;
    let target: TestDatabase;
    const dir = mkdtempSync(path.join(tmpdir(), 'headroom-backup-'));
    const file = path.join(dir, provider === 'sqlite' ? 'headroom.db' : 'headroom.dump');

    beforeAll(async () => {
      source = await fresh();
      target = await fresh();
      await withDatabase(source.url, async () => {
        const candidates = await createExamCandidates(2, `backup-${provider}`);
        for (const [i, c] of candidates.entries()) {
          const outcome = await saveResponse(
            {
              attemptId: c.attemptId,
              userId: c.userId,
              itemId: c.singleChoiceItems[0] ?? '',
              answer: { choice: String(i + 1) },
              flagged: i === 0,
              revision: 3,
            },
            5,
          );
          expect(outcome.status).toBe('saved');
        }
        await createCertificateFixture(`certified-${provider}@example.com`);
      });
    });

    afterAll(async () => {
      await source?.drop();
      await target?.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('restores into an empty database every account, session, attempt, answer, lab run and certificate', async () => {
      const backup = await admin(source.url, 'backup', file);
      expect(backup).toMatchObject({ code: 0, out: `admin: backed up the database to ${file}\n` });
      const restore = await admin(target.url, 'restore', file);
      expect(restore.err).toBe('');
      expect(restore).toMatchObject({ code: 0, out: `admin: restored ${file}\n` });
      const [before, after] = [await snapshot(source.url), await snapshot(target.url)];
      expect(after.users).toHaveLength(3);
      expect(after.responses).toHaveLength(2);
      expect(after.certificates).toHaveLength(1);
      expect(after.attempts.map((a) => a.items.length)).toEqual(before.attempts.map((a) => a.items.length));
      expect(after).toEqual(before);
    });

    it('refuses to restore over a database that has tables, or to overwrite a backup', async () => {
      const again = await admin(target.url, 'restore', file);
      expect(again).toMatchObject({
        code: 1,
        err: 'admin: restore needs an empty database: DATABASE_URL names one that already has tables\n',
      });
      const overwrite = await admin(source.url, 'backup', file);
      expect(overwrite).toMatchObject({ code: 1, err: `admin: ${file} already exists; choose a new file name\n` });
    });

    it('refuses a file that is not a backup for this database, with one line', async () => {
      const empty = await fresh();
      try {
        const junk = path.join(dir, 'notes.txt');
        writeFileSync(junk, 'not a backup');
        expect(await admin(empty.url, 'restore', junk)).toMatchObject({
          code: 1,
          err: `admin: ${junk} is not a Headroom backup (neither a SQLite file nor a pg_dump archive)\n`,
        });
        expect(await admin(empty.url, 'restore', path.join(dir, 'missing.db'))).toMatchObject({
          code: 1,
          err: `admin: ${path.join(dir, 'missing.db')} does not exist\n`,
        });
        // A backup made on the other kind of database (only its first bytes matter here).
        const foreign = path.join(dir, 'foreign-backup');
        writeFileSync(foreign, provider === 'sqlite' ? 'PGDMP\u0001\u000e\u0000' : 'SQLite format 3\u0000');
        const kind =
          provider === 'sqlite'
            ? 'a PostgreSQL backup, but DATABASE_URL names a SQLite'
            : 'a SQLite backup, but DATABASE_URL names a PostgreSQL';
        expect(await admin(empty.url, 'restore', foreign)).toMatchObject({ code: 1, err: `admin: ${foreign} is ${kind} database\n` });
      } finally {
        await empty.drop();
      }
    });
  });
}
