// A real Prometheus scrapes a running instance under a bounded load and answers every SLI query
// of the SLO definitions with a sensible value (ADR 016, ops/SLOS.md).
import { expect, test } from '@playwright/test';
import { errorRatioQuery, SLOS } from '../../src/features/health/slos.ts';
import { db } from '../../src/lib/server/db.server.ts';
import { freshSqlite } from '../support/databases.ts';
import { autosave, createExamCandidates, type ExamCandidate, withDatabase } from '../support/exam-candidates.ts';
import { submitSmokeTest } from '../support/labs.ts';
import { freePort, startPrometheus } from '../support/prometheus-scrape.ts';
import { startServer } from '../support/server.ts';

const TOKEN = 'prometheus-e2e-metrics-token';
const CANDIDATES = 4;
const ROUNDS = 4;
const SAVES_PER_ROUND = 10;
const SAVES_EACH = ROUNDS * SAVES_PER_ROUND;
const PAGES = ['/', '/lessons/', '/healthz', '/glossary/', '/no/such/page/'];

async function submitLab(baseUrl: string, candidate: ExamCandidate): Promise<number> {
  const response = await submitSmokeTest(baseUrl, candidate.cookie);
  await response.arrayBuffer();
  return response.status;
}

test('Prometheus scraping an instance under load gives a sensible value for every SLI', async () => {
  test.setTimeout(150_000);
  const database = freshSqlite();
  const candidates = await withDatabase(database.url, async () => {
    const made = await createExamCandidates(CANDIDATES, 'prometheus');
    // The first candidate is also an instructor, to read /admin/health.
    await db().user.update({ where: { id: made[0]?.userId ?? '' }, data: { role: 'instructor' } });
    return made;
  });
  // Prometheus is told the instance's address before it starts, and the instance Prometheus's.
  const port = await freePort();
  const prometheus = await startPrometheus({ targets: [`127.0.0.1:${port}`], token: TOKEN });
  const server = await startServer({
    DATABASE_URL: database.url,
    METRICS_TOKEN: TOKEN,
    PORT: String(port),
    PROMETHEUS_URL: prometheus.url,
  });
  const waitFor = async (what: string, ok: () => Promise<boolean>) => {
    const until = Date.now() + 30_000;
    while (!(await ok())) {
      if (Date.now() > until) throw new Error(`Prometheus: ${what} within 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
  const scrapedAt = async () => Number((await prometheus.query('timestamp(up{job="headroom"})'))[0]?.value[1] ?? 0);
  try {
    // The load starts after a first scrape, as it would on a running fleet.
    await waitFor('a first scrape', async () => (await scrapedAt()) > 0);
    expect(await submitLab(server.url, candidates[0] as ExamCandidate)).toBe(200);
    let acknowledged = 0;
    let rejected = 0;
    // Four rounds with a scrape between them: a series first seen mid-load still has samples to
    // take a rate from (Prometheus cannot know what a counter held before its first scrape).
    for (let round = 0; round < ROUNDS; round += 1) {
      const before = await scrapedAt();
      await Promise.all(
        candidates.map(async (candidate) => {
          for (let n = round * SAVES_PER_ROUND + 1; n <= (round + 1) * SAVES_PER_ROUND; n += 1) {
            const item = candidate.singleChoiceItems[n % candidate.singleChoiceItems.length] ?? '';
            const status = await autosave(server.url, candidate, n % 10 === 0 ? 'not-an-item' : item, String((n % 3) + 1), n);
            if (status === 200) acknowledged += 1;
            else if (status === 400) rejected += 1;
            const page = await fetch(`${server.url}${PAGES[n % PAGES.length]}`);
            await page.arrayBuffer();
          }
        }),
      );
      await waitFor('a scrape after the round', async () => (await scrapedAt()) > before);
    }
    expect(acknowledged).toBe(CANDIDATES * SAVES_EACH * 0.9);
    expect(rejected).toBe(CANDIDATES * SAVES_EACH * 0.1);

    // A scrape that saw the whole load, then one more, so every rate has two samples after it.
    await waitFor('a scrape with every acknowledged save', async () => {
      const [sample] = await prometheus.query('sum(headroom_autosaves_total{outcome="acknowledged"})');
      return Number(sample?.value[1] ?? 0) === acknowledged;
    });
    const seenAt = await scrapedAt();
    await waitFor('the next scrape', async () => (await scrapedAt()) > seenAt);

    const [up] = await prometheus.query('up{job="headroom"}');
    expect(up?.value[1]).toBe('1');
    const readings = new Map<string, number>();
    for (const slo of SLOS) {
      const result = await prometheus.query(errorRatioQuery(slo, '5m'));
      expect(result, slo.id).toHaveLength(1);
      const value = Number(result[0]?.value[1]);
      expect(Number.isFinite(value), `${slo.id}: ${result[0]?.value[1]}`).toBe(true);
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(1);
      readings.set(slo.id, value);
    }
    test.info().annotations.push({ type: 'SLI error ratios over 5m', description: JSON.stringify(Object.fromEntries(readings)) });
    // Nothing failed: no autosave error, no server error, the one verification finished in time.
    expect(readings.get('autosave-success')).toBe(0);
    expect(readings.get('page-availability')).toBe(0);
    expect(readings.get('verification-latency')).toBe(0);

    // /admin/health reads the same SLIs from this Prometheus.
    const health = await fetch(`${server.url}/admin/health/`, { headers: { cookie: (candidates[0] as ExamCandidate).cookie } });
    expect(health.status).toBe(200);
    const html = await health.text();
    expect(html).toContain(`From Prometheus (<code>${prometheus.url}/</code>)`);
    expect(html).toMatch(/Autosave success[\s\S]*?<td class="number">99\.9 %<\/td>\s*<td class="number">100\.00 %<\/td>/);
    expect(html).toMatch(/Page availability[\s\S]*?<td class="number">99\.5 %<\/td>\s*<td class="number">100\.00 %<\/td>/);

    const rules = (await (await fetch(`${prometheus.url}/api/v1/rules`)).json()) as {
      data: { groups: { name: string; rules: { health: string; lastError?: string }[] }[] };
    };
    expect(rules.data.groups.map((g) => g.name).sort()).toEqual(['headroom-slo-alerts', 'headroom-slo-sli', 'headroom-slo-sli-window']);
    for (const group of rules.data.groups) for (const rule of group.rules) expect(rule.health, rule.lastError).not.toBe('err');
  } finally {
    await prometheus.stop();
    await server.stop();
    await database.drop();
  }
});
