// SIGTERM (ADR 016): the instance stops taking new work, finishes what is in flight (lab
// re-runs, autosaves), commits every acknowledged save, closes the database and exits 0.
import { expect, test } from '@playwright/test';
import { db } from '../../src/lib/server/db.server.ts';
import { freshSqlite } from '../support/databases.ts';
import { createExamCandidates, type ExamCandidate, withDatabase } from '../support/exam-candidates.ts';
import { submitSmokeTest } from '../support/labs.ts';
import { startServer } from '../support/server.ts';

const TOKEN = 'graceful-shutdown-metrics-token';

test('SIGTERM finishes in-flight requests, keeps every acknowledged save and exits 0', async () => {
  test.setTimeout(120_000);
  const database = freshSqlite();
  const candidates = await withDatabase(database.url, () => createExamCandidates(3, 'shutdown'));
  const server = await startServer({ DATABASE_URL: database.url, METRICS_TOKEN: TOKEN, SHUTDOWN_GRACE_MS: '60000' });
  const exited = new Promise<number | null>((resolve) => server.process.once('exit', (code) => resolve(code)));
  try {
    // Three re-runs queued behind each other (one at a time): work that is still running at SIGTERM.
    const verifications = candidates.map(async (c) => {
      const response = await submitSmokeTest(server.url, c.cookie);
      await response.arrayBuffer();
      return { status: response.status, at: Date.now() };
    });

    const acknowledged = new Map<string, number>();
    let sent = 0;
    let running = true;
    const saving = candidates.map(async (c: ExamCandidate) => {
      for (let revision = 1; running && revision <= 5000; revision += 1) {
        const item = c.singleChoiceItems[revision % c.singleChoiceItems.length] ?? '';
        sent += 1;
        try {
          const response = await fetch(`${server.url}/api/exam/attempts/${c.attemptId}/responses/${item}`, {
            method: 'PUT',
            headers: { 'content-type': 'application/json', cookie: c.cookie },
            body: JSON.stringify({ answer: { choice: String((revision % 3) + 1) }, flagged: false, revision }),
          });
          const body = (await response.json()) as { status?: string };
          if (response.status === 200 && body.status === 'saved') acknowledged.set(`${c.attemptId}/${item}`, revision);
        } catch {
          return; // The server no longer accepts connections.
        }
      }
    });

    // SIGTERM once a re-run is under way and saves are flowing (bounded wait).
    const until = Date.now() + 60_000;
    for (;;) {
      const text = await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
      if (/^headroom_lab_verifications_running 1$/m.test(text) && acknowledged.size >= 3) break;
      if (Date.now() > until) throw new Error('no verification started within 60 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const signalledAt = Date.now();
    server.process.kill('SIGTERM');

    // New work is turned away: no connection, or (on a kept-alive one) 503 "draining".
    let turnedAway = false;
    try {
      const health = await fetch(`${server.url}/healthz`);
      turnedAway = health.status === 503 && ((await health.json()) as { status: string }).status === 'draining';
    } catch {
      turnedAway = true;
    }
    expect(turnedAway).toBe(true);

    const results = await Promise.all(verifications);
    running = false;
    await Promise.all(saving);
    expect(await exited).toBe(0);
    expect(server.output()).toMatch(/SIGTERM: stopping — \d+ request\(s\) in flight/);
    expect(server.output()).toContain('headroom: stopped');
    // Every re-run was answered, at least one of them after the signal.
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(results.some((r) => r.at > signalledAt)).toBe(true);
    expect(sent).toBeGreaterThan(acknowledged.size);

    const stored = await withDatabase(database.url, () =>
      db().examResponse.findMany({ select: { attemptId: true, itemId: true, revision: true } }),
    );
    const revisions = new Map(stored.map((r) => [`${r.attemptId}/${r.itemId}`, r.revision]));
    const lost = [...acknowledged].filter(([key, revision]) => (revisions.get(key) ?? 0) < revision);
    expect(lost).toEqual([]);
  } finally {
    await server.stop();
    await database.drop();
  }
});
