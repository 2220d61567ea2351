// /admin/health: instructors see each SLO with its SLI and budget left; learners get the 403 page.
import { createLearner, expect, signInContext, test } from './fixtures.ts';

test('an instructor sees every SLO with its objective, SLI and error budget left', async ({ browser, baseURL }) => {
  const instructor = await createLearner('instructor');
  const context = await browser.newContext();
  await signInContext(context, baseURL ?? '', instructor);
  const page = await context.newPage();
  await page.goto('/admin/');
  await page.getByRole('link', { name: 'Service health' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Service health' })).toBeVisible();
  await expect(page.getByRole('status')).toContainText("From this instance's own metrics since it started");
  const table = page.getByRole('table');
  for (const [slo, objective] of [
    ['Autosave success', '99.9 %'],
    ['Autosave latency', '99.0 %'],
    ['Page availability', '99.5 %'],
    ['Lab verification latency', '95.0 %'],
  ] as const) {
    const row = table.getByRole('row', { name: new RegExp(`^${slo}`) });
    await expect(row.getByRole('cell').first()).toHaveText(objective);
  }
  // This test's own requests were answered, so pages have events and a measured SLI.
  const pages = table.getByRole('row', { name: /^Page availability/ });
  await expect(pages.getByRole('cell').nth(1)).toHaveText(/^\d{1,3}\.\d\d %$/);
  await context.close();
});

test('a learner gets the 403 page at /admin/health, and a visitor is sent to sign in', async ({ page, learner, browser, baseURL }) => {
  expect(learner.userId).not.toBe('');
  const response = await page.goto('/admin/health/');
  expect(response?.status()).toBe(403);
  await expect(page.getByRole('table')).toHaveCount(0);
  const anonymous = await browser.newPage({ baseURL: baseURL ?? '' });
  await anonymous.goto('/admin/health/');
  await expect(anonymous).toHaveURL(/\/signin\/\?returnTo=%2Fadmin%2Fhealth%2F$/);
  await anonymous.close();
});
