// The learner journey of issue 3 on PostgreSQL: the same built site, started with a postgres://
// DATABASE_URL on its own port.
import { expect, test } from '@playwright/test';
import { freshPostgres, type TestDatabase } from '../support/databases.ts';
import { type RunningServer, startServer } from '../support/server.ts';

let database: TestDatabase;
let server: RunningServer;

test.beforeAll(async () => {
  database = await freshPostgres();
  server = await startServer({ DATABASE_URL: database.url });
});

test.afterAll(async () => {
  await server.stop();
  await database.drop();
});

test('on PostgreSQL a learner signs up, completes a lesson, watches a session and resumes it', async ({ page }) => {
  await page.goto(`${server.url}/signup/`);
  await page.getByLabel('Full name').fill('Postgres Learner');
  await page.getByLabel('E-mail').fill(`pg-${Date.now()}@example.com`);
  await page.getByLabel('Password').fill('postgres passphrase ok');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Postgres Learner');

  await page.goto(`${server.url}/lessons/slos/01-prometheus-data-model/`);
  await page.getByRole('button', { name: 'Mark lesson as complete' }).click();
  await expect(page.getByText('You have completed this lesson.')).toBeVisible();

  await page.goto(`${server.url}/sessions/slos-with-prometheus-and-keptn/`);
  const video = page.locator('[data-session] video');
  await video.evaluate((v: HTMLVideoElement) => {
    v.muted = true;
    v.playbackRate = 2;
  });
  await page.locator('media-play-button').first().click();
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 15_000 }).toBeGreaterThan(12);
  const saved = page.waitForResponse((r) => r.url().includes('/api/progress/sessions/') && r.request().method() === 'POST' && r.ok());
  await page.locator('media-play-button').first().click();
  await saved;
  await page.reload();
  await expect(page.getByRole('status').filter({ hasText: 'Resuming where you stopped' })).toBeVisible();

  await page.goto(`${server.url}/dashboard/`);
  await expect(page.getByText('1 of 5 lessons')).toBeVisible();
  await expect(page.getByRole('link', { name: /^Resume “Measure, validate/ })).toBeVisible();
});
