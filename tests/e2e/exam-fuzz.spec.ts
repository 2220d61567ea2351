// Random and malformed input to every exam endpoint gets a 4xx with a readable error, never a 5xx
// (property test with fast-check).
import fc from 'fast-check';
import { startAttempt } from '../../src/features/exam/attempts.server.ts';
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
