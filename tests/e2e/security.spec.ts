import { createLearner, expect, test } from './fixtures.ts';

test('sign-in is throttled with 429 and Retry-After after 10 failures for an account', async ({ request, baseURL }) => {
  const learner = await createLearner();
  const attempt = (password: string) =>
    request.post('/signin/', { form: { email: learner.email, password }, headers: { origin: baseURL ?? '' }, maxRedirects: 0 });
  for (let i = 0; i < 10; i += 1) expect((await attempt('wrong password')).status()).toBe(401);
  const blocked = await attempt(learner.password);
  expect(blocked.status()).toBe(429);
  expect(Number(blocked.headers()['retry-after'])).toBeGreaterThan(0);
  expect(await blocked.text()).toContain('Too many failed sign-in attempts');
});

test('a cross-origin form POST is rejected (CSRF), a same-origin one is not', async ({ request, baseURL }) => {
  const learner = await createLearner();
  const forged = await request.post('/signin/', {
    form: { email: learner.email, password: learner.password },
    headers: { origin: 'https://evil.example' },
    maxRedirects: 0,
  });
  expect(forged.status()).toBe(403);
  const genuine = await request.post('/signin/', {
    form: { email: learner.email, password: learner.password },
    headers: { origin: baseURL ?? '' },
    maxRedirects: 0,
  });
  expect(genuine.status()).toBe(303);
});

test('malformed form bodies get a readable 4xx, never a 5xx', async ({ request, baseURL }) => {
  for (const path of ['/signin/', '/signup/', '/forgot-password/', '/reset-password/']) {
    for (const body of ['%%%', `email=${'a'.repeat(5000)}`, '\u0000\u0001', '']) {
      const response = await request.post(path, {
        data: body,
        headers: { origin: baseURL ?? '', 'content-type': 'application/x-www-form-urlencoded' },
        maxRedirects: 0,
      });
      expect(response.status(), `${path} ${body.slice(0, 10)}`).toBeGreaterThanOrEqual(400);
      expect(response.status(), `${path} ${body.slice(0, 10)}`).toBeLessThan(500);
    }
  }
});

test('progress endpoints validate their input and reject unknown ids with 404 JSON', async ({ page, learner }) => {
  expect(learner.email).toContain('@');
  await page.goto('/');
  const call = (path: string, method: string, body: string) =>
    page.evaluate(
      async ([p, m, b]) => {
        const r = await fetch(p ?? '', { method: m ?? 'POST', headers: { 'content-type': 'application/json' }, body: b ?? '' });
        return { status: r.status, body: await r.json() };
      },
      [path, method, body],
    );
  expect(await call('/api/progress/lessons/load-testing/99-nope', 'PUT', '{"completed":true,"at":1}')).toMatchObject({
    status: 404,
    body: { error: expect.stringContaining('no lesson') },
  });
  expect(await call('/api/progress/sessions/nope', 'POST', '{"position":1,"ranges":[],"at":1}')).toMatchObject({ status: 404 });
  expect(await call('/api/progress/lessons/load-testing/01-slis-slos-and-slas', 'PUT', '{not json')).toMatchObject({
    status: 400,
    body: { error: 'The request body is not valid JSON.' },
  });
  const invalid = await call('/api/progress/lessons/load-testing/01-slis-slos-and-slas', 'PUT', '{"completed":"yes","at":-1}');
  expect(invalid.status).toBe(400);
  expect(invalid.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['at', 'completed']);
  expect(await call('/api/progress/lessons/load-testing/01-slis-slos-and-slas', 'PUT', '{"completed":true,"at":1}')).toMatchObject({
    status: 200,
    body: { completed: true },
  });
});
