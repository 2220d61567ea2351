import { db } from '../../src/lib/server/db.server.ts';
import { withDbRetry } from '../../src/lib/server/db-retry.ts';
import { createLearner, expect, signInContext, test } from './fixtures.ts';

test('a new learner signs up, lands on the dashboard and can sign out', async ({ page }) => {
  const email = `signup-${Date.now()}@example.com`;
  await page.goto('/signup/');
  await page.getByLabel('Full name').fill('Grace Hopper');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText('Use at least 8 characters.')).toBeVisible();
  await expect(page.getByLabel('Password')).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('Password').fill('password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText(/too common/)).toBeVisible();

  await page.getByLabel('Password').fill('nobody guesses this one');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/dashboard\/$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome back, Grace Hopper' })).toBeVisible();

  const cookie = (await page.context().cookies()).find((c) => c.name === 'headroom_session');
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
  expect(cookie?.value).toMatch(/^[a-z2-9]{26}\.[a-z2-9]{26}$/);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/dashboard/');
  await expect(page).toHaveURL(/\/signin\/\?returnTo=%2Fdashboard%2F/);
});

test('sign-in shows one message for a wrong password and an unknown e-mail, then returns where you were', async ({ page }) => {
  const learner = await createLearner();
  await page.goto('/account/');
  await expect(page).toHaveURL(/\/signin\/\?returnTo=%2Faccount%2F/);
  await page.getByLabel('E-mail').fill(learner.email);
  await page.getByLabel('Password').fill('wrong password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  const message = await page.getByRole('alert').textContent();
  await page.getByLabel('E-mail').fill('nobody-here@example.com');
  await page.getByLabel('Password').fill('wrong password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText(message ?? '');

  await page.getByLabel('E-mail').fill(learner.email);
  await page.getByLabel('Password').fill(learner.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/account\/$/);
  await expect(page.getByText(`Signed in as ${learner.name}`)).toBeVisible();
});

test('"sign out of all devices" ends the session in another browser', async ({ browser, baseURL }) => {
  const learner = await createLearner();
  const laptop = await browser.newContext();
  const phone = await browser.newContext();
  await signInContext(laptop, baseURL ?? '', learner);
  await signInContext(phone, baseURL ?? '', learner);
  const phonePage = await phone.newPage();
  await phonePage.goto('/dashboard/');
  await expect(phonePage.getByRole('heading', { level: 1 })).toContainText(learner.name);

  const laptopPage = await laptop.newPage();
  await laptopPage.goto('/account/');
  await laptopPage.getByRole('button', { name: 'Sign out of all devices' }).click();
  await expect(laptopPage).toHaveURL(/\/signin\//);

  await phonePage.goto('/dashboard/');
  await expect(phonePage).toHaveURL(/\/signin\/\?returnTo=/);
  expect((await phone.cookies()).find((c) => c.name === 'headroom_session')).toBeUndefined();
  await laptop.close();
  await phone.close();
});

test('a forgotten password is reset through the e-mailed link, once', async ({ page, browser, baseURL }) => {
  const learner = await createLearner();
  await page.goto('/signin/');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.getByLabel('E-mail').fill(learner.email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByRole('status')).toContainText('If an account uses that address');

  // The outbox is for instructors on a production build.
  const instructor = await createLearner('instructor');
  const staff = await browser.newContext();
  await signInContext(staff, baseURL ?? '', instructor);
  const outbox = await staff.newPage();
  await outbox.goto('/dev/outbox/');
  const mail = outbox.getByRole('article', { name: `Message to ${learner.email}` });
  await expect(mail).toContainText('Reset your Headroom password');
  const link = /http\S+reset-password\/\?token=\S+/.exec((await mail.textContent()) ?? '')?.[0] ?? '';
  await staff.close();

  await page.goto(link);
  await page.getByLabel('New password').fill('my fresh new passphrase');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page).toHaveURL(/\/dashboard\/\?reset=1/);

  await page.goto(link);
  await expect(page.getByRole('alert')).toContainText('invalid, already used or expired');
});

test('learners cannot read the outbox of a production site', async ({ page, learner }) => {
  expect(learner.userId).not.toBe('');
  const response = await page.goto('/dev/outbox/');
  expect(response?.status()).toBe(403);
});

test('an expired or forged session cookie counts as signed out and is cleared', async ({ page, context, baseURL }) => {
  const learner = await createLearner();
  await signInContext(context, baseURL ?? '', learner);
  await withDbRetry(() =>
    db().session.updateMany({ where: { userId: learner.userId }, data: { lastUsedAt: new Date(Date.now() - 11 * 24 * 3600 * 1000) } }),
  );
  await page.goto('/dashboard/');
  await expect(page).toHaveURL(/\/signin\//);
  expect((await context.cookies()).some((c) => c.name === 'headroom_session')).toBe(false);

  await context.addCookies([{ name: 'headroom_session', value: 'forged.cookie', url: baseURL ?? '' }]);
  await page.goto('/account/');
  await expect(page).toHaveURL(/\/signin\//);
  expect((await context.cookies()).some((c) => c.name === 'headroom_session')).toBe(false);
});

test('the header offers "Sign in" to visitors and "Sign out" to learners, never both', async ({ page, context, baseURL }) => {
  await page.goto('/lessons/');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await expect(nav.getByRole('button', { name: 'Sign out' })).toBeHidden();
  await expect(nav.getByRole('link', { name: 'Dashboard' })).toBeHidden();

  await signInContext(context, baseURL ?? '', await createLearner());
  await page.reload();
  await expect(nav.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Dashboard' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Sign in' })).toBeHidden();
});
