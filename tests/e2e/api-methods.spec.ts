// HTTP semantics a client sees: a wrong method on the API is a 405 that the server does not log,
// and every status goes out with its standard reason phrase.
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { startServer } from '../support/server.ts';

const wrongMethods: [method: string, path: string, allow: string][] = [
  ['DELETE', '/api/progress/merge', 'POST, OPTIONS'],
  ['GET', '/api/progress/merge', 'POST, OPTIONS'],
  ['PATCH', '/api/progress', 'GET, HEAD, OPTIONS'],
  ['POST', '/api/progress', 'GET, HEAD, OPTIONS'],
  ['GET', '/api/exam/attempts', 'POST, OPTIONS'],
  ['DELETE', '/api/exam/attempts/00000000-0000-0000-0000-000000000000', 'GET, HEAD, OPTIONS'],
  ['GET', '/api/exam/attempts/00000000-0000-0000-0000-000000000000/submit', 'POST, OPTIONS'],
  ['POST', '/api/exam/attempts/00000000-0000-0000-0000-000000000000/responses/item-1', 'PUT, OPTIONS'],
  ['GET', '/api/progress/lessons/slos/02-promql-essentials', 'PUT, OPTIONS'],
  ['PUT', '/api/progress/sessions/roundtable', 'POST, OPTIONS'],
  ['GET', '/api/labs/k6-load-testing/submissions', 'POST, OPTIONS'],
  ['DELETE', '/api/labs/k6-load-testing/seed', 'GET, HEAD, OPTIONS'],
];

test('wrong methods on /api/* get 405 with Allow and a JSON error, and the server log stays quiet', async ({ request }) => {
  const file = `.tmp/api-methods-${randomUUID()}.db`;
  const server = await startServer({ DATABASE_URL: `file:${file}` });
  try {
    const logAtStart = server.output();
    // As the site's own scripts send them (same origin), and as a script elsewhere would (JSON, no
    // Origin; the CSRF check refuses unsafe methods without either).
    const clients = [{ origin: server.url }, { 'content-type': 'application/json' }, { origin: server.url }];
    for (const headers of clients) {
      for (const [method, path, allow] of wrongMethods) {
        const response = await request.fetch(`${server.url}${path}`, { method, headers });
        expect(response.status(), `${method} ${path}`).toBe(405);
        expect(response.statusText(), `${method} ${path}`).toBe('Method Not Allowed');
        expect(response.headers()['allow'], `${method} ${path}`).toBe(allow);
        expect(response.headers()['content-type'], `${method} ${path}`).toMatch(/^application\/json/);
        expect(await response.json()).toEqual({ error: `This address does not accept ${method} requests; use ${allow}.` });
      }
    }
    const options = await request.fetch(`${server.url}/api/progress/merge`, { method: 'OPTIONS' });
    expect(options.status()).toBe(204);
    expect(options.headers()['allow']).toBe('POST, OPTIONS');
    // HEAD still works where GET does (a 401 here: nobody is signed in).
    const head = await request.fetch(`${server.url}/api/progress`, { method: 'HEAD' });
    expect(head.status()).toBe(401);
    // 36 wrong-method requests, not one line in the log.
    expect(server.output()).toBe(logAtStart);
  } finally {
    await server.stop();
    await rm(`${file}`, { force: true });
    await rm(`${file}-journal`, { force: true });
  }
});

test('pages that answer 4xx send the standard reason phrase, not "OK"', async ({ request, baseURL }) => {
  const origin = { origin: baseURL ?? '' };
  const notValid = await request.post('/verify', { multipart: { credential: 'not a credential' }, headers: origin });
  expect(notValid.status()).toBe(422);
  expect(notValid.statusText()).toBe('Unprocessable Entity');
  const empty = await request.post('/verify', { multipart: { credential: '' }, headers: origin });
  expect(empty.status()).toBe(400);
  expect(empty.statusText()).toBe('Bad Request');
  const fine = await request.get('/verify');
  expect(fine.status()).toBe(200);
  expect(fine.statusText()).toBe('OK');
});
