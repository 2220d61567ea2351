// A PostgreSQL outage under load (issue 13): while the database is away every request fails fast
// with 503 and Retry-After (never a 500 or a hang), no acknowledged save is lost, and the instance
// recovers by itself when the database returns. The outage is a TCP proxy dropping every
// connection and refusing new ones — what a restart does — so the shared server is left alone.
import { expect, test } from '@playwright/test';
import { db } from '../../src/lib/server/db.server.ts';
import { freshPostgres } from '../support/databases.ts';
import { createExamCandidates, type ExamCandidate, withDatabase } from '../support/exam-candidates.ts';
import { startServer } from '../support/server.ts';
import { startTcpProxy } from '../support/tcp-proxy.ts';

test('a database outage gives fast 503s with Retry-After, loses no acknowledged save, and heals itself', async () => {
  test.setTimeout(150_000);
  const database = await freshPostgres();
  const proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
  const viaProxy = new URL(database.url);
  viaProxy.port = String(proxy.port);
  const candidates = await withDatabase(database.url, () => createExamCandidates(3, 'outage'));
  const server = await startServer({ DATABASE_URL: viaProxy.toString() });
  const acknowledged = new Map<string, number>();
  const revisions = new Map<string, number>();
  const save = async (c: ExamCandidate, n: number) => {
    const item = c.singleChoiceItems[n % c.singleChoiceItems.length] ?? '';
    const revision = (revisions.get(c.attemptId) ?? 0) + 1;
    revisions.set(c.attemptId, revision);
    const response = await fetch(`${server.url}/api/exam/attempts/${c.attemptId}/responses/${item}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', cookie: c.cookie },
      body: JSON.stringify({ answer: { choice: String((n % 3) + 1) }, flagged: false, revision }),
    });
    const body = (await response.json()) as { status?: string; error?: string };
    if (response.status === 200 && body.status === 'saved') acknowledged.set(`${c.attemptId}/${item}`, revision);
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body };
  };
  try {
    // Before: saves and pages work.
    for (let n = 0; n < 20; n += 1) for (const c of candidates) expect((await save(c, n)).status).toBe(200);

    await proxy.down();
    const during: { what: string; status: number; retryAfter: string | null; ms: number }[] = [];
    // Long enough for the 5 s session cache to expire, so the middleware meets the outage too.
    for (let n = 0; n < 25 || during.at(-1)?.what !== 'page'; n += 1) {
      for (const c of candidates) {
        const started = performance.now();
        const result = await save(c, 100 + n);
        during.push({ what: 'autosave', status: result.status, retryAfter: result.retryAfter, ms: performance.now() - started });
      }
      const started = performance.now();
      const page = await fetch(`${server.url}/dashboard/`, { headers: { cookie: candidates[0]?.cookie ?? '' }, redirect: 'manual' });
      const text = await page.text();
      during.push({ what: 'page', status: page.status, retryAfter: page.headers.get('retry-after'), ms: performance.now() - started });
      if (page.status === 503) expect(text).toContain('Back in a moment');
      if (n > 200) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'error' });
    // Every answer during the outage: 503 with Retry-After; nothing else, never a 500.
    expect(new Set(during.map((d) => `${d.status} ${d.retryAfter ? 'retry-after' : 'none'}`))).toEqual(new Set(['503 retry-after']));
    expect(during.filter((d) => d.what === 'page').length).toBeGreaterThan(0);
    test.info().annotations.push({
      type: 'outage response time (ms, max / median)',
      description: `${Math.max(...during.map((d) => d.ms)).toFixed(0)} / ${during
        .map((d) => d.ms)
        .sort((a, b) => a - b)
        [Math.floor(during.length / 2)]?.toFixed(1)}`,
    });

    await proxy.up();
    // The pools reconnect by themselves (bounded wait).
    const until = Date.now() + 30_000;
    let recovered = false;
    for (let n = 0; !recovered && Date.now() < until; n += 1) {
      recovered = (await save(candidates[0] as ExamCandidate, 500 + n)).status === 200;
      if (!recovered) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(recovered).toBe(true);
    for (let n = 0; n < 10; n += 1) for (const c of candidates) expect((await save(c, 600 + n)).status).toBe(200);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    const stored = await withDatabase(database.url, () =>
      db().examResponse.findMany({ select: { attemptId: true, itemId: true, revision: true } }),
    );
    const storedRevision = new Map(stored.map((r) => [`${r.attemptId}/${r.itemId}`, r.revision]));
    expect([...acknowledged].filter(([key, rev]) => (storedRevision.get(key) ?? 0) < rev)).toEqual([]);
    expect(server.output()).not.toMatch(/Unhandled|ERR_/);
  } finally {
    await server.stop();
    await proxy.close();
    await database.drop();
  }
});
