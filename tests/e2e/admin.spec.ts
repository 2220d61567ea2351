// The instructor area in a browser: who may open it, the attempts list and its CSV download, item
// statistics, and setting a time accommodation. Attempts and scores are written to the database
// directly; only the behaviour under test goes through the UI.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { db } from '../../src/lib/server/db.server.ts';
import { withDbRetry } from '../../src/lib/server/db-retry.ts';
import { createLearner, expect, type Learner, signInContext, test } from './fixtures.ts';

async function createScoredAttempt(learner: Learner, perItem: Record<string, number>, passed: boolean): Promise<string> {
  const id = randomUUID();
  const startedAt = new Date(Date.now() - 3_600_000);
  const submittedAt = new Date(startedAt.getTime() + 30 * 60_000);
  const credit = Object.values(perItem).reduce((a, b) => a + b, 0);
  const raw = credit / Math.max(1, Object.keys(perItem).length);
  await withDbRetry(() =>
    db().examAttempt.create({
      data: {
        id,
        userId: learner.userId,
        blueprintVersion: 1,
        formSeed: 1,
        startedAt,
        deadline: new Date(startedAt.getTime() + 45 * 60_000),
        submittedAt,
        status: 'submitted',
        score: {
          create: {
            raw,
            reported: Math.round(100 + 900 * raw),
            passed,
            perDomain: JSON.stringify({ 'database-observability': { credit, items: Object.keys(perItem).length } }),
            perItem: JSON.stringify(perItem),
            scoredAt: submittedAt,
          },
        },
      },
    }),
  );
  return id;
}

async function expectNoSeriousAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
  expect(blocking).toEqual([]);
}

test('a learner gets 403 in the instructor area and sees no Admin link; a visitor is sent to sign in', async ({
  page,
  learner,
  browser,
  baseURL,
}) => {
  const response = await page.goto('/admin/');
  expect(response?.status()).toBe(403);
  await expect(page.getByRole('heading', { level: 1, name: 'This page is for instructors' })).toBeVisible();
  await expect(page.getByText(`Your account (${learner.email}) cannot open this page.`)).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' })).toHaveCount(0);
  expect((await page.request.get('/admin/export.csv', { maxRedirects: 0 })).status()).toBe(403);
  const post = await page.request.post('/admin/accommodations/', {
    form: { email: learner.email, multiplier: '3' },
    headers: { origin: baseURL ?? '' },
    maxRedirects: 0,
  });
  expect(post.status()).toBe(403);
  expect(await db().user.findUnique({ where: { id: learner.userId }, select: { examTimeMultiplier: true } })).toEqual({
    examTimeMultiplier: 1,
  });

  const visitor = await browser.newContext();
  const anonymous = await visitor.newPage();
  await anonymous.goto('/admin/attempts/?status=expired');
  await expect(anonymous).toHaveURL(/\/signin\/\?returnTo=%2Fadmin%2Fattempts%2F%3Fstatus%3Dexpired$/);
  await visitor.close();
});

test('an instructor reviews attempts and item statistics, downloads the CSV and sets extra time', async ({ page, context, baseURL }) => {
  const instructor = await createLearner('instructor');
  const candidate = await createLearner();
  await signInContext(context, baseURL ?? '', instructor);
  // db-005 moves against the rest of every attempt, so its discrimination is negative: flagged.
  const attempts = [
    { perItem: { 'db-001': 1, 'db-003': 1, 'db-004': 1, 'db-005': 0 }, passed: true },
    { perItem: { 'db-001': 1, 'db-003': 1, 'db-004': 1, 'db-005': 0 }, passed: true },
    { perItem: { 'db-001': 0, 'db-003': 0, 'db-004': 0, 'db-005': 1 }, passed: false },
    { perItem: { 'db-001': 0, 'db-003': 0, 'db-004': 0, 'db-005': 1 }, passed: false },
  ];
  for (const a of attempts) await createScoredAttempt(candidate, a.perItem, a.passed);

  try {
    await page.goto('/dashboard/');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Instructor area' })).toBeVisible();

    await page.getByRole('link', { name: 'Exam attempts' }).click();
    await page.getByLabel('Learner e-mail contains').fill(candidate.email);
    await page.getByLabel('Result').selectOption('passed');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect(page).toHaveURL(/outcome=passed/);
    await expect(page.getByText('2 attempts match these filters.')).toBeVisible();
    const rows = page.getByRole('row').filter({ hasText: candidate.email });
    await expect(rows).toHaveCount(2);
    await expect(rows.first()).toContainText(candidate.name);
    await expect(rows.first()).toContainText('passed');
    await expectNoSeriousAxeViolations(page);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download as CSV' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^headroom-attempts-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await readFile((await download.path()) ?? '', 'utf8');
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'Attempt ID,Learner e-mail,Name,Started (UTC),Submitted (UTC),Status,Time multiplier,Raw,Reported,Passed,' +
        'load-testing (%),slos (%),database-observability (%),roundtable (%)',
    );
    expect(lines.filter((l) => l.includes(candidate.email))).toHaveLength(2);

    await page.goto('/admin/attempts/?status=finished');
    await expect(page.getByRole('status')).toContainText('Ignored the status filter “finished”');

    await page.goto('/admin/items/');
    await expect(page.getByRole('heading', { level: 1, name: 'Item statistics' })).toBeVisible();
    await expect(page.getByRole('row').filter({ hasText: 'db-005' })).toContainText('Review: low discrimination');
    await expect(page.getByRole('row').filter({ hasText: 'db-001' })).not.toContainText('Review: low discrimination');
    const detail = page.locator('details', { has: page.getByText('db-001 · database-observability') });
    await detail.locator('summary').click();
    await expect(detail.getByText('Key: b')).toBeVisible();
    await expect(detail.getByText('Rationale:')).toBeVisible();
    await expectNoSeriousAxeViolations(page);

    await page.goto('/admin/accommodations/');
    await page.getByLabel(/Learner.s e-mail/).fill(candidate.email);
    await page.getByLabel('Time multiplier').fill('5');
    await page.getByRole('button', { name: 'Set time multiplier' }).click();
    await expect(page.getByText('Use at most 3 (triple time).')).toBeVisible();
    await expect(page.getByLabel('Time multiplier')).toHaveAttribute('aria-invalid', 'true');

    for (const body of ['%%%', `email=${'a'.repeat(5000)}&multiplier=2`, '']) {
      const response = await page.request.post('/admin/accommodations/', {
        data: body,
        headers: { origin: baseURL ?? '', 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(response.status(), body.slice(0, 10)).toBe(422);
    }

    await page.getByLabel('Time multiplier').fill('1.5');
    await page.getByRole('button', { name: 'Set time multiplier' }).click();
    await expect(page.getByRole('status')).toContainText(`${candidate.name} (${candidate.email}) now has ×1.5 exam time`);
    await expect(page.getByRole('row').filter({ hasText: candidate.email })).toContainText('×1.5');
    const stored = await db().user.findUnique({ where: { id: candidate.userId }, select: { examTimeMultiplier: true } });
    expect(stored?.examTimeMultiplier).toBe(1.5);
  } finally {
    await withDbRetry(() => db().user.deleteMany({ where: { id: { in: [instructor.userId, candidate.userId] } } }));
  }
});

test('instructor forms answer malformed bodies and odd searches with a readable 4xx or a page, never a 5xx', async ({
  browser,
  baseURL,
}) => {
  const instructor = await createLearner('instructor');
  const context = await browser.newContext();
  await signInContext(context, baseURL ?? '', instructor);
  for (const path of ['/admin/certificates/', '/admin/accommodations/']) {
    for (const body of ['%%%', `certificate=${'a'.repeat(5000)}&reason=x`, 'email=&multiplier=NaN', '\u0000\u0001', '']) {
      const response = await context.request.post(`${baseURL}${path}`, {
        data: body,
        headers: { origin: baseURL ?? '', 'content-type': 'application/x-www-form-urlencoded' },
        maxRedirects: 0,
      });
      expect(response.status(), `${path} ${body.slice(0, 10)}`).toBe(422);
    }
  }
  for (const q of ['%', '_', '"><script>', 'a'.repeat(5000), '0123456789ABCDEF0123456789ABCDEF']) {
    const response = await context.request.get(`${baseURL}/admin/certificates/?q=${encodeURIComponent(q)}`);
    expect(response.status(), q.slice(0, 10)).toBe(200);
    // The search is echoed escaped (in the field and the heading), never as markup.
    const html = await response.text();
    expect(html).not.toContain('value=""><script>');
    expect(html).not.toContain('<script>”');
  }
  await context.close();
  await withDbRetry(() => db().user.deleteMany({ where: { id: instructor.userId } }));
});
