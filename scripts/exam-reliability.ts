// The exam's crash test (issue 5): 200 candidates autosave concurrently against the built server;
// the server is killed with SIGKILL mid-run and restarted. Every save the server acknowledged must
// be in the database, and every attempt must resume with its original deadline.
//   node scripts/exam-reliability.ts [sqlite|postgresql]     (needs npm run build)
// Prints one JSON line with the counts and exits 1 if anything acknowledged was lost.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSession } from '../src/features/auth/session.server.ts';
import { startAttempt } from '../src/features/exam/attempts.server.ts';
import { loadBank } from '../src/features/exam/bank.server.ts';
import { responseKind } from '../src/features/exam/items.ts';
import { resolveDatabase } from '../src/lib/server/database-url.ts';
import { closeDb, db } from '../src/lib/server/db.server.ts';
import { applyMigrations } from '../src/lib/server/migrate.server.ts';
import { freshPostgres, type TestDatabase } from '../tests/support/databases.ts';
import { makeExamEligible } from '../tests/support/exam-eligibility.ts';
import { startServer } from '../tests/support/server.ts';

const CANDIDATES = Number(process.env['RELIABILITY_CANDIDATES'] ?? 200);
const root = path.resolve(import.meta.dirname, '..');
const provider = process.argv[2] === 'postgresql' ? 'postgresql' : 'sqlite';
const bank = loadBank();

let pg: TestDatabase | undefined;
if (provider === 'postgresql') pg = await freshPostgres();
const databaseUrl = pg ? pg.url : `file:${path.join(mkdtempSync(path.join(os.tmpdir(), 'headroom-crash-')), 'exam.db')}`;
process.env['DATABASE_URL'] = databaseUrl;
await applyMigrations(resolveDatabase(process.env, root), root);

interface Candidate {
  cookie: string;
  attemptId: string;
  deadline: number;
  items: string[];
  revision: number;
}
const candidates: Candidate[] = [];
for (let i = 0; i < CANDIDATES; i += 1) {
  const userId = crypto.randomUUID();
  await db().user.create({ data: { id: userId, email: `crash-${i}@example.com`, name: `Candidate ${i}`, passwordHash: 'x' } });
  await makeExamEligible(userId);
  const started = await startAttempt(userId);
  if (!started.ok) throw new Error(started.error);
  const attempt = await db().examAttempt.findUniqueOrThrow({
    where: { id: started.attemptId },
    select: { deadline: true, items: { select: { itemId: true } } },
  });
  const { token } = await createSession(userId);
  const singles = attempt.items
    .map((i) => i.itemId)
    .filter((id) => {
      const item = bank.byId.get(id);
      return item !== undefined && responseKind(item) === 'single';
    });
  candidates.push({
    cookie: `headroom_session=${token}`,
    attemptId: started.attemptId,
    deadline: attempt.deadline.getTime(),
    items: singles,
    revision: 0,
  });
}
await closeDb();

const KILL_AFTER_ACKS = 600;

/** Highest acknowledged revision per attempt and item. */
const acknowledged = new Map<string, { revision: number; choice: string }>();
let sent = 0;
let acked = 0;
let failed = 0;

let server = await startServer({ DATABASE_URL: databaseUrl });
let running = true;
const load = candidates.map(async (c, index) => {
  for (let n = index; running; n += 1) {
    c.revision += 1;
    const item = c.items[n % c.items.length] ?? '';
    const choice = String((n % 3) + 1);
    sent += 1;
    try {
      const response = await fetch(`${server.url}/api/exam/attempts/${c.attemptId}/responses/${item}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', cookie: c.cookie },
        body: JSON.stringify({ answer: { choice }, flagged: n % 5 === 0, revision: c.revision }),
      });
      const body = (await response.json()) as { status?: string };
      if (response.status === 200 && body.status === 'saved') {
        acked += 1;
        const key = `${c.attemptId}/${item}`;
        if ((acknowledged.get(key)?.revision ?? 0) < c.revision) acknowledged.set(key, { revision: c.revision, choice });
      }
    } catch {
      failed += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
});

// Kill mid-run once enough saves were acknowledged for the check to mean something (about 3 s on an
// idle machine); a starved machine gets up to 30 s to get there.
const loadStarted = Date.now();
while ((acked < KILL_AFTER_ACKS || Date.now() - loadStarted < 1000) && Date.now() - loadStarted < 30_000)
  await new Promise((resolve) => setTimeout(resolve, 50));
server.process.kill('SIGKILL');
const killedAt = acked;
await new Promise((resolve) => setTimeout(resolve, 500));
running = false;
await Promise.all(load);

server = await startServer({ DATABASE_URL: databaseUrl });
let lost = 0;
let wrongDeadline = 0;
try {
  for (const c of candidates) {
    const response = await fetch(`${server.url}/api/exam/attempts/${c.attemptId}`, { headers: { cookie: c.cookie } });
    const view = (await response.json()) as {
      status: string;
      deadline: string;
      serverNow: string;
      items: { id: string; revision: number }[];
    };
    if (view.status !== 'in_progress' || new Date(view.deadline).getTime() !== c.deadline) wrongDeadline += 1;
    const remaining = new Date(view.deadline).getTime() - new Date(view.serverNow).getTime();
    if (remaining <= 0 || remaining > bank.blueprint.timeLimitMinutes * 60_000) wrongDeadline += 1;
    for (const item of view.items) {
      const ack = acknowledged.get(`${c.attemptId}/${item.id}`);
      if (ack && item.revision < ack.revision) lost += 1;
    }
  }
} finally {
  await server.stop();
  await pg?.drop();
}

console.log(
  JSON.stringify({
    provider,
    candidates: CANDIDATES,
    sent,
    acknowledged: acked,
    acknowledgedBeforeKill: killedAt,
    failedDuringCrash: failed,
    lost,
    wrongDeadline,
  }),
);
process.exit(lost === 0 && wrongDeadline === 0 && acked > 0 ? 0 : 1);
