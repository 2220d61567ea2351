// The lab runtime in the browser is the same as on the server: bit-identical results in
// Chromium and Node, and the server accepts only genuine, matching submissions.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import lab from '../../labs/k6-load-testing/lab.ts';
import { LABS } from '../../labs/registry.ts';
import { runTask, type TaskOutcome } from '../../labs/runtime/lab/run-task.ts';
import { expect, test } from './fixtures.ts';

const root = path.resolve(import.meta.dirname, '../..');
const smoke = readFileSync(path.join(root, 'labs/k6-load-testing/fixtures/smoke-test.js'), 'utf8');
const workerAsset = () => {
  const file = readdirSync(path.join(root, 'dist/client/_astro')).find((f) => /^lab-worker.*\.js$/.test(f));
  if (!file) throw new Error('the lab worker was not built (npm run build)');
  return `/_astro/${file}`;
};

function runInBrowser(page: Page, message: Record<string, unknown>): Promise<TaskOutcome> {
  return page.evaluate(
    ([url, msg]) =>
      new Promise<TaskOutcome>((resolve, reject) => {
        const worker = new Worker(url as string, { type: 'module' });
        worker.onmessage = (event) => {
          if (event.data.type === 'done') resolve(event.data.outcome);
          if (event.data.type === 'error') reject(new Error(event.data.message));
        };
        worker.postMessage(msg);
      }),
    [workerAsset(), message] as const,
  );
}

test('a task gives a bit-identical result in Chromium and in Node', async ({ page }) => {
  await page.goto('/labs/k6-load-testing/');
  const message = {
    type: 'run',
    labId: lab.id,
    taskId: 'ci-gate',
    code: readFileSync(path.join(root, 'labs/k6-load-testing/fixtures/ci-gate.js'), 'utf8'),
    seed: 4242,
    answer: null,
  };
  const inBrowser = await runInBrowser(page, message);
  const inNode = await runTask(lab, 'ci-gate', message.code, 4242, null);
  expect(inBrowser.digest).toBe(inNode.digest);
  if (inBrowser.kind !== 'k6' || inNode.kind !== 'k6') throw new Error('the ci-gate task is a k6 task');
  expect(JSON.stringify(inBrowser.runs)).toBe(JSON.stringify(inNode.runs));
  expect(inBrowser.verdict).toEqual({ pass: true, message: expect.any(String) });
});

test('the server verifies a genuine submission and refuses tampered, stale or mismatched ones', async ({ page, learner }) => {
  expect(learner.userId).not.toBe('');
  await page.goto('/labs/k6-load-testing/');
  const api = (url: string, body: unknown, raw = false) =>
    page.evaluate(
      async ([u, b, r]) => {
        const response = await fetch(u as string, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: r ? (b as string) : JSON.stringify(b),
        });
        return { status: response.status, body: await response.json() };
      },
      [url, body, raw] as const,
    );
  const seedFor = () =>
    page.evaluate(
      async () =>
        (await (await fetch('/api/labs/k6-load-testing/seed?task=smoke-test')).json()) as { seed: number; token: string; version: number },
    );

  const issued = await seedFor();
  const outcome = await runInBrowser(page, {
    type: 'run',
    labId: lab.id,
    taskId: 'smoke-test',
    code: smoke,
    seed: issued.seed,
    answer: null,
  });
  const submission = {
    version: lab.version,
    taskId: 'smoke-test',
    seed: issued.seed,
    token: issued.token,
    code: smoke,
    answer: null,
    digest: outcome.digest,
  };
  const url = '/api/labs/k6-load-testing/submissions';

  expect(await api('/api/labs/no-such-lab/submissions', submission)).toMatchObject({ status: 404 });
  expect(await api(url, '{"version":', true)).toMatchObject({ status: 400, body: { error: 'The request body is not valid JSON.' } });
  expect(await api(url, { ...submission, version: lab.version + 1 })).toMatchObject({
    status: 409,
    body: { error: expect.stringContaining('This lab changed') },
  });
  expect(await api(url, { ...submission, seed: issued.seed + 1 })).toMatchObject({
    status: 400,
    body: { error: expect.stringContaining('not issued by the server') },
  });
  expect(await api(url, { ...submission, taskId: 'no-such-task' })).toMatchObject({ status: 404 });
  const mismatch = await api(url, { ...submission, digest: 'f'.repeat(64) });
  expect(mismatch).toMatchObject({ status: 422, body: { error: expect.stringContaining('did not produce the result') } });

  const accepted = await api(url, submission);
  expect(accepted).toMatchObject({ status: 200, body: { passed: true, verified: true } });

  await page.goto('/dashboard/');
  // Every registered lab's tasks count towards the checklist; this learner has verified one.
  const taskCount = LABS.reduce((n, l) => n + l.tasks.length, 0);
  await expect(page.getByText(`1 of ${taskCount} lab tasks passed and verified by the server`)).toBeVisible();
});

test('lab endpoints need a signed-in learner', async ({ request }) => {
  expect((await request.get('/api/labs/k6-load-testing/seed?task=smoke-test')).status()).toBe(401);
  const response = await request.post('/api/labs/k6-load-testing/submissions', { data: {}, headers: { origin: 'http://127.0.0.1:4329' } });
  expect(response.status()).toBe(401);
});
