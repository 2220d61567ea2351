// Random and malformed input to every exam endpoint gets a 4xx with a readable error, never a 5xx
// (property test with fast-check).
import fc from 'fast-check';
import { startAttempt } from '../../src/features/exam/attempts.server.ts';
import { loadBank } from '../../src/features/exam/bank.server.ts';
import { db } from '../../src/lib/server/db.server.ts';
import { withDbRetry } from '../../src/lib/server/db-retry.ts';
import { makeExamEligible } from '../support/exam-eligibility.ts';
import { expect, test } from './fixtures.ts';

test('exam endpoints answer any body with a 4xx and a readable error, never a 5xx', async ({ page, learner }) => {
  test.setTimeout(120_000);
  await makeExamEligible(learner.userId);
  const started = await withDbRetry(() => startAttempt(learner.userId));
  if (!started.ok) throw new Error(started.error);
  const item = (await db().attemptItem.findFirst({ where: { attemptId: started.attemptId } }))?.itemId ?? 'x';
  await page.goto('/');
  const call = (method: string, url: string, body: string) =>
    page.evaluate(
      async ([m, u, b]) => {
        const response = await fetch(u ?? '', { method: m ?? 'PUT', headers: { 'content-type': 'application/json' }, body: b ?? '' });
        const text = await response.text();
        return { status: response.status, text };
      },
      [method, url, body] as const,
    );
  const json = fc.jsonValue().map((v) => JSON.stringify(v));
  const garbage = fc.oneof(
    json,
    fc.string(),
    fc.constant('{"answer":{"choice":"1"},"revision":1e309}'),
    fc.constant('{"answer":null,"revision":-1}'),
  );
  const targets = [
    ['PUT', `/api/exam/attempts/${started.attemptId}/responses/${item}`],
    ['PUT', `/api/exam/attempts/${started.attemptId}/responses/not-an-item`],
    ['PUT', '/api/exam/attempts/not-an-attempt/responses/x'],
    ['POST', '/api/exam/attempts/not-an-attempt/submit'],
  ] as const;
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...targets), garbage, async ([method, url], body) => {
      const { status, text } = await call(method, url, body);
      if (status === 200) return; // a body that happens to be a valid save
      expect(status, `${method} ${url} ${body.slice(0, 80)}`).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
      expect(JSON.parse(text)).toHaveProperty('error');
    }),
    { numRuns: 150 },
  );
});

test('a promql item saves any query text with its parse check, refuses one past 10,000 characters with a 400, and submitting grades them without a 5xx', async ({
  page,
  learner,
}) => {
  test.setTimeout(120_000);
  await makeExamEligible(learner.userId);
  const started = await withDbRetry(() => startAttempt(learner.userId));
  if (!started.ok) throw new Error(started.error);
  const rows = await db().attemptItem.findMany({ where: { attemptId: started.attemptId }, select: { itemId: true } });
  const bank = loadBank();
  const item = rows.find((r) => bank.byId.get(r.itemId)?.type === 'promql')?.itemId;
  if (!item) throw new Error('the form has no promql item');
  await page.goto('/');
  const save = (body: unknown) =>
    page.evaluate(
      async ([u, b]) => {
        const response = await fetch(u, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: b });
        return { status: response.status, body: (await response.json()) as unknown };
      },
      [`/api/exam/attempts/${started.attemptId}/responses/${item}`, JSON.stringify(body)] as const,
    );
  const tokens = fc.constantFrom(
    'sum(',
    'rate(',
    ')',
    '[5m]',
    '[1y:1ms]',
    '{',
    '}',
    'code=~"(5..)+"',
    'by (route)',
    '/',
    'http_requests_total',
    ' ',
  );
  const query = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.array(tokens, { maxLength: 30 }).map((t) => t.join('')),
  );
  let revision = 0;
  await fc.assert(
    fc.asyncProperty(query, async (text) => {
      revision += 1;
      const { status, body } = await save({ answer: { query: text }, revision });
      expect(status, text.slice(0, 80)).toBe(200);
      expect(body).toHaveProperty('syntax');
    }),
    { numRuns: 60 },
  );
  const tooLong = await save({ answer: { query: 'x'.repeat(10_001) }, revision: revision + 1 });
  expect(tooLong.status).toBe(400);
  expect(tooLong.body).toHaveProperty('error');
  const submitted = await page.evaluate(
    async (u) => (await fetch(u, { method: 'POST' })).status,
    `/api/exam/attempts/${started.attemptId}/submit`,
  );
  expect(submitted).toBeLessThan(400);
});
