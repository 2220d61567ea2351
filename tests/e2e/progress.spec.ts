import { createLearner, expect, test } from './fixtures.ts';

const LESSON = '/lessons/load-testing/01-slis-slos-and-slas/';

test('a signed-in learner marks a lesson complete and sees it in the outline and on the dashboard', async ({ page, learner }) => {
  await page.goto(LESSON);
  await page.getByRole('button', { name: 'Mark lesson as complete' }).click();
  await expect(page.getByRole('button', { name: 'Mark as not complete' })).toBeVisible();
  await expect(page.getByText('You have completed this lesson.')).toBeVisible();

  await page.goto('/lessons/');
  await expect(page.locator('[data-lesson-id="load-testing/01-slis-slos-and-slas"]')).toContainText('completed');
  await page.goto('/dashboard/');
  await expect(page.getByText('1 of 5 lessons')).toBeVisible();
  await expect(page.getByRole('link', { name: /^Next lesson: Choosing/ })).toBeVisible();
  expect(learner.email).toContain('@');
});

test('anonymous progress is kept in the browser and merges into the account on sign-up', async ({ page }) => {
  await page.goto(LESSON);
  await page.getByRole('button', { name: 'Mark lesson as complete' }).click();
  await expect(page.getByText('You have completed this lesson.')).toBeVisible();
  await page.reload();
  await expect(page.getByRole('button', { name: 'Mark as not complete' })).toBeVisible();

  await page.goto('/signup/');
  await page.getByLabel('Full name').fill('Anon Merger');
  await page.getByLabel('E-mail').fill(`merge-${Date.now()}@example.com`);
  await page.getByLabel('Password').fill('merging is a fine idea');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/dashboard\//);
  await expect(page.getByText('1 of 5 lessons')).toBeVisible();
  expect(await page.evaluate(() => localStorage.getItem('headroom-progress-v1'))).toBeNull();
});

test('merging never overwrites newer progress saved in the account', async ({ page, context, baseURL }) => {
  const learner = await createLearner();
  await page.goto(LESSON);
  // Older, anonymous: "not complete" one hour ago.
  await page.evaluate(() =>
    localStorage.setItem(
      'headroom-progress-v1',
      JSON.stringify({ lessons: { 'load-testing/01-slis-slos-and-slas': { completed: false, at: Date.now() - 3_600_000 } }, sessions: {} }),
    ),
  );
  const { signInContext } = await import('./fixtures.ts');
  await signInContext(context, baseURL ?? '', learner);
  // Newer, in the account: completed now.
  await page.evaluate(() =>
    fetch('/api/progress/lessons/load-testing/01-slis-slos-and-slas', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ completed: true, at: Date.now() }),
    }),
  );
  await page.goto('/dashboard/');
  await expect(page.getByText('1 of 5 lessons')).toBeVisible();
  // The dashboard merges browser progress and reloads itself; read storage once that settled.
  await expect.poll(() => page.evaluate(() => localStorage.getItem('headroom-progress-v1')).catch(() => 'navigating')).toBeNull();
  await page.goto('/dashboard/');
  await expect(page.getByText('1 of 5 lessons')).toBeVisible();
});
