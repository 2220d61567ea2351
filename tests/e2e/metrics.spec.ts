// /metrics on a running instance (ADR 016): real requests produce the expected series, random URLs
// never add series beyond the site's route patterns, and a wrong or missing token is a 401 JSON.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import fc from 'fast-check';
import { freshPostgres, type TestDatabase } from '../support/databases.ts';
import { autosave, createExamCandidates, type ExamCandidate, withDatabase } from '../support/exam-candidates.ts';
import { parseExposition, sumOf } from '../support/exposition.ts';
import { type RunningServer, startServer } from '../support/server.ts';

const TOKEN = 'metrics-token-for-the-e2e-test';
const root = path.resolve(import.meta.dirname, '../..');

let database: TestDatabase;
let server: RunningServer;
let candidate: ExamCandidate;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(90_000);
  database = await freshPostgres();
  [candidate] = (await withDatabase(database.url, () => createExamCandidates(1, 'metrics'))) as [ExamCandidate];
  server = await startServer({ DATABASE_URL: database.url, METRICS_TOKEN: TOKEN });
});

test.afterAll(async () => {
  await server?.stop();
  await database?.drop();
});

async function scrape(): Promise<string> {
  const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

function signInForm(email: string, password: string): Promise<Response> {
  return fetch(`${server.url}/signin/`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
    body: new URLSearchParams({ email, password }).toString(),
  });
}

test('requests produce series by route pattern, autosave outcome, sign-in outcome and pool', async () => {
  const item = candidate.singleChoiceItems[0] ?? '';
  expect(await autosave(server.url, candidate, item, '1', 1)).toBe(200);
  expect(await autosave(server.url, candidate, item, '2', 2)).toBe(200);
  expect(await autosave(server.url, candidate, 'no-such-item', '1', 1)).toBe(400);
  expect((await signInForm(candidate.email, 'not the password')).status).toBe(401);
  expect((await signInForm(candidate.email, candidate.password)).status).toBe(303);
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  expect((await fetch(`${server.url}/no/such/page-${candidate.attemptId}`)).status).toBe(404);
  expect((await fetch(`${server.url}/lessons/`)).status).toBe(200);

  const text = await scrape();
  const samples = parseExposition(text);
  const requests = (labels: Record<string, string>) => sumOf(samples, 'http_request_duration_seconds_count', labels);
  expect(requests({ route: '/api/exam/attempts/[attempt]/responses/[item]', method: 'PUT', status_class: '2xx' })).toBe(2);
  expect(requests({ route: '/api/exam/attempts/[attempt]/responses/[item]', method: 'PUT', status_class: '4xx' })).toBe(1);
  expect(requests({ route: '/signin', method: 'POST', status_class: '4xx' })).toBe(1);
  expect(requests({ route: '/healthz', method: 'GET', status_class: '2xx' })).toBe(1);
  expect(requests({ route: '(unmatched)', method: 'GET', status_class: '4xx' })).toBe(1);
  expect(requests({ route: '(static)', method: 'GET', status_class: '2xx' })).toBeGreaterThanOrEqual(1);
  // Raw URLs never become labels.
  expect(text).not.toContain(candidate.attemptId);

  expect(sumOf(samples, 'headroom_autosaves_total', { outcome: 'acknowledged' })).toBe(2);
  expect(sumOf(samples, 'headroom_autosaves_total', { outcome: 'rejected' })).toBe(1);
  expect(sumOf(samples, 'headroom_autosaves_total', { outcome: 'failed' })).toBe(0);
  expect(sumOf(samples, 'headroom_autosave_duration_seconds_count', { outcome: 'acknowledged' })).toBe(2);
  expect(sumOf(samples, 'headroom_autosave_batch_size_count')).toBe(2);
  expect(sumOf(samples, 'headroom_sign_ins_total', { outcome: 'failed' })).toBe(1);
  expect(sumOf(samples, 'headroom_sign_ins_total', { outcome: 'succeeded' })).toBe(1);
  expect(sumOf(samples, 'headroom_db_pool_max_connections', { pool: 'prisma' })).toBe(10);
  expect(sumOf(samples, 'headroom_db_pool_max_connections', { pool: 'autosave' })).toBe(8);
  expect(samples.some((s) => s.name === 'headroom_db_pool_connections' && s.labels['pool'] === 'prisma')).toBe(true);
  expect(sumOf(samples, 'headroom_lab_verification_queue_length')).toBe(0);
  expect(sumOf(samples, 'headroom_certificates_issued_total')).toBe(0);
  expect(sumOf(samples, 'process_cpu_seconds_total')).toBeGreaterThan(0);
});

test('a missing, malformed or wrong token gets a 401 JSON answer, never a 5xx', async () => {
  const missing = await fetch(`${server.url}/metrics`);
  expect(missing.status).toBe(401);
  expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
  expect(await missing.json()).toEqual({ error: expect.stringContaining('Authorization: Bearer') });
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        fc.string({ unit: 'grapheme-ascii', maxLength: 80 }),
        fc.string({ unit: 'grapheme-ascii', maxLength: 60 }).map((s) => `Bearer ${s}`),
        fc.constant(`Bearer ${TOKEN}0`),
        fc.constant(`Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`),
      ),
      async (authorization) => {
        // Printable ASCII only: fetch refuses control characters in a header before sending.
        const response = await fetch(`${server.url}/metrics`, { headers: { authorization } });
        expect(response.status).toBe(401);
        expect(response.headers.get('content-type')).toMatch(/^application\/json/);
        expect(typeof ((await response.json()) as { error: unknown }).error).toBe('string');
      },
    ),
    { numRuns: 60 },
  );
});

test('random URLs never add series beyond the route patterns of the site', async () => {
  test.setTimeout(90_000);
  const routeFiles = readdirSync(path.join(root, 'src/pages'), { recursive: true }).length;
  const paths = fc.sample(
    fc.tuple(
      fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'PROPFIND'),
      fc.oneof(
        fc.webPath(),
        fc.array(fc.string({ maxLength: 12 }), { maxLength: 5 }).map((parts) => `/${parts.map(encodeURIComponent).join('/')}`),
      ),
      fc.webQueryParameters(),
    ),
    { numRuns: 400, seed: 13 },
  );
  let seen = 0;
  for (let i = 0; i < paths.length; i += 8) {
    await Promise.all(
      paths.slice(i, i + 8).map(async ([method, pathname, query], j) => {
        // A marker unique to each request: it must never show up in /metrics.
        const url = `${server.url}${pathname.startsWith('/') ? '' : '/'}${pathname}/fz${i + j}q?${query}`;
        const response = await fetch(url, { method, redirect: 'manual', headers: { origin: server.url } });
        await response.arrayBuffer();
        expect(response.status).toBeLessThan(500);
        seen += 1;
      }),
    );
  }
  expect(seen).toBe(400);

  const text = await scrape();
  expect(text).not.toMatch(/fz\d+q/);
  const samples = parseExposition(text);
  const http = samples.filter((s) => s.name === 'http_request_duration_seconds_count');
  const routes = new Set(http.map((s) => s.labels['route']));
  // At most one label per page or endpoint file, plus (static) and (unmatched).
  expect(routes.size).toBeLessThanOrEqual(routeFiles + 2);
  for (const route of routes) expect(route).toMatch(/^(\/[\w\-./[\]]*|\(static\)|\(unmatched\))$/);
  const methods = new Set(http.map((s) => s.labels['method']));
  expect(methods.has('PROPFIND')).toBe(false);
  expect([...methods].every((m) => ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'other'].includes(m ?? ''))).toBe(true);
  // Bounded whatever was requested: routes × methods × status classes.
  expect(http.length).toBeLessThanOrEqual((routeFiles + 2) * 8 * 6);
});
