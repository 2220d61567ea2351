// Issue 13's fleet test: real nginx, real PostgreSQL, three instances started together. Sign in on
// one and use the session on another; an exam whose autosaves round-robin across instances
// survives SIGKILL of one mid-exam with no acknowledged save lost and issues exactly one
// certificate; sign-out-everywhere reaches every instance within the session cache's bound (5 s,
// ADR 011); a rolling restart fails no request.
import { expect, test } from '@playwright/test';
import { startFleet } from '../../scripts/lib/fleet.ts';
import { db } from '../../src/lib/server/db.server.ts';
import { freshPostgres } from '../support/databases.ts';
import { createExamCandidates, type ExamCandidate, withDatabase } from '../support/exam-candidates.ts';
import { parseExposition, sumOf } from '../support/exposition.ts';

const TOKEN = 'fleet-e2e-metrics-token';
const SESSION_CACHE_BOUND_MS = 5_000;

async function signIn(baseUrl: string, candidate: ExamCandidate): Promise<string> {
  const response = await fetch(`${baseUrl}/signin/`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: baseUrl },
    body: new URLSearchParams({ email: candidate.email, password: candidate.password }).toString(),
  });
  expect(response.status).toBe(303);
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('headroom_session='));
  return (cookie ?? '').split(';')[0] ?? '';
}

async function acknowledgedOn(instanceUrl: string): Promise<number> {
  const text = await (await fetch(`${instanceUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
  return sumOf(parseExposition(text), 'headroom_autosaves_total', { outcome: 'acknowledged' });
}

test('a fleet of three behind nginx loses no acknowledged save when one instance is killed mid-exam', async () => {
  test.setTimeout(240_000);
  const database = await freshPostgres();
  const fleet = await startFleet({ size: 3, databaseUrl: database.url, env: { METRICS_TOKEN: TOKEN, SHUTDOWN_GRACE_MS: '20000' } });
  const direct = (i: number) => fleet.instances[i]?.url ?? '';
  try {
    // Started together on an empty database, the three applied the migrations once between them.
    const applied = fleet.instances.filter((i) => i?.output().includes('(applied ')).length;
    expect(applied).toBe(1);
    const [candidate] = (await withDatabase(database.url, () => createExamCandidates(1, 'fleet'))) as [ExamCandidate];

    // 1. Sign in on instance 0, use the session on instance 2.
    const cookie = await signIn(direct(0), candidate);
    const view = await fetch(`${direct(2)}/api/exam/attempts/${candidate.attemptId}`, { headers: { cookie } });
    expect(view.status).toBe(200);

    // 2. Autosaves through nginx (round robin); instance 1 is killed with SIGKILL mid-exam.
    const acknowledged = new Map<string, number>();
    const statuses = new Map<number, number>();
    let revision = 0;
    let killedAfter = -1;
    const answers = candidate.rightAnswers;
    for (let n = 0; n < 600; n += 1) {
      const { itemId, answer } = answers[n % answers.length] ?? { itemId: '', answer: { choice: '1' } };
      revision += 1;
      let status = 0;
      try {
        const response = await fetch(`${fleet.url}/api/exam/attempts/${candidate.attemptId}/responses/${itemId}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json', cookie },
          body: JSON.stringify({ answer, flagged: false, revision }),
        });
        status = response.status;
        const body = (await response.json()) as { status?: string };
        if (status === 200 && body.status === 'saved') acknowledged.set(itemId, revision);
      } catch {
        status = -1;
      }
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (n === 200) {
        // Every instance took a share of the saves before the crash.
        for (let i = 0; i < 3; i += 1) expect(await acknowledgedOn(direct(i)), `instance ${i}`).toBeGreaterThan(0);
        killedAfter = acknowledged.size;
        await fleet.kill(1);
      }
    }
    expect(killedAfter).toBeGreaterThan(0);
    // nginx failed over: every save after the kill was answered too.
    expect(Object.fromEntries(statuses)).toEqual({ 200: 600 });
    const stored = await withDatabase(database.url, () =>
      db().examResponse.findMany({ where: { attemptId: candidate.attemptId }, select: { itemId: true, revision: true } }),
    );
    const storedRevision = new Map(stored.map((r) => [r.itemId, r.revision]));
    const lost = [...acknowledged].filter(([item, rev]) => (storedRevision.get(item) ?? 0) < rev);
    expect(lost).toEqual([]);
    expect(acknowledged.size).toBe(answers.length);

    // 3. Submit twice, through nginx and on another instance: one score, one certificate.
    await fleet.start(1);
    const submit = (url: string) =>
      fetch(`${url}/api/exam/attempts/${candidate.attemptId}/submit`, { method: 'POST', headers: { cookie, origin: url } });
    const [first, second] = await Promise.all([submit(fleet.url), submit(direct(2))]);
    expect([first.status, second.status]).toEqual([200, 200]);
    const certificates = await withDatabase(database.url, () => db().certificate.findMany({ where: { attemptId: candidate.attemptId } }));
    expect(certificates).toHaveLength(1);

    // 4. Sign out everywhere on instance 0: a second session, validated (cached) on all three
    // instances, is refused on each within the cache bound.
    const other = await signIn(direct(2), candidate);
    for (let i = 0; i < 3; i += 1)
      expect((await fetch(`${direct(i)}/api/exam/attempts/${candidate.attemptId}`, { headers: { cookie: other } })).status).toBe(200);
    const signOut = await fetch(`${direct(0)}/account/?intent=sign-out-everywhere`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, origin: direct(0), 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(signOut.status).toBe(303);
    const deadline = Date.now() + SESSION_CACHE_BOUND_MS + 2_000;
    const refused = new Set<number>();
    while (refused.size < 3 && Date.now() < deadline) {
      for (let i = 0; i < 3; i += 1) {
        const status = (await fetch(`${direct(i)}/api/exam/attempts/${candidate.attemptId}`, { headers: { cookie: other } })).status;
        if (status === 401) refused.add(i);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect([...refused].sort()).toEqual([0, 1, 2]);

    // 5. Rolling restart under a steady stream of page requests through nginx: none fails.
    let running = true;
    const failures: string[] = [];
    let served = 0;
    const paths = ['/healthz', '/', '/lessons/', '/signin/', '/issuer'];
    const load = (async () => {
      for (let n = 0; running && n < 20_000; n += 1) {
        try {
          const response = await fetch(`${fleet.url}${paths[n % paths.length]}`, { redirect: 'manual' });
          await response.arrayBuffer();
          if (response.status >= 400) failures.push(`${paths[n % paths.length]}: ${response.status}`);
          served += 1;
        } catch (error) {
          failures.push(`${paths[n % paths.length]}: ${(error as Error).message}`);
        }
      }
    })();
    for (let i = 0; i < 3; i += 1) await fleet.restart(i);
    running = false;
    await load;
    expect(failures).toEqual([]);
    expect(served).toBeGreaterThan(30);
    for (let i = 0; i < 3; i += 1) expect((await fetch(`${direct(i)}/healthz`)).status).toBe(200);
  } finally {
    await fleet.stop();
    await database.drop();
  }
});
