// The lab workbench in a real browser: scripts run in the lab's Web Worker (QuickJS compiled to
// WebAssembly), so only a browser can show the editor, the run, its progress and the verdicts.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

const LAB = '/labs/k6-load-testing/';
const SMOKE_TASK = 'A smoke test that passes';

const LONG_SCRIPT = `import http from 'k6/http';

export const options = { vus: 50, duration: '10m' };

export default function () {
  http.get('/api/products');
}
`;

const PASSING_SMOKE = `import http from 'k6/http';
import { check, sleep } from 'k6';

export const options = {
  vus: 2,
  duration: '30s',
  thresholds: { http_req_failed: ['rate<0.01'] },
};

export default function () {
  const res = http.get(\`\${__ENV.BASE_URL}/api/products\`);
  check(res, { 'status is 200': (r) => r.status === 200 });
  sleep(1);
}
`;

function editor(page: Page) {
  return page.getByRole('textbox', { name: `k6 script for task: ${SMOKE_TASK}` });
}

function checklistItem(page: Page, title: string) {
  return page.getByRole('complementary', { name: 'Your progress' }).getByRole('listitem').filter({ hasText: title });
}

/** Records every text the run status line shows, so a short run's progress is not missed. */
async function recordRunStatus(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const status = document.querySelector('[data-run-status]');
    const seen: string[] = [];
    (window as unknown as { runStatusSeen: string[] }).runStatusSeen = seen;
    if (status)
      new MutationObserver(() => seen.push(status.textContent ?? '')).observe(status, {
        childList: true,
        characterData: true,
        subtree: true,
      });
  });
  return () => page.evaluate(() => (window as unknown as { runStatusSeen: string[] }).runStatusSeen);
}

async function replaceScript(page: Page, script: string): Promise<void> {
  await editor(page).click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(script);
}

test.describe('anonymous learner', () => {
  test('runs the smoke-test starter: progress, summary, and a failing verdict with its hint', async ({ page }) => {
    await page.goto(LAB);
    await expect(page.getByRole('heading', { level: 1, name: 'Load testing a web shop with k6' })).toBeVisible();
    await expect(page.getByRole('tab', { name: SMOKE_TASK })).toHaveAttribute('aria-selected', 'true');
    await expect(editor(page)).toContainText('// Add a check that the status is 200.');
    await expect(page.getByRole('link', { name: 'Sign in to submit' })).toHaveAttribute('href', '/signin/?returnTo=/labs/k6-load-testing/');

    const statuses = await recordRunStatus(page);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(page.getByText(/^Finished: [\d.]+ s of virtual time in [\d.]+ s\.$/)).toBeVisible({ timeout: 20_000 });
    expect(await statuses()).toContain('Running against the healthy shop…');

    await expect(page.getByLabel('End-of-test summary: healthy shop')).toContainText('http_reqs');
    await expect(page.getByText('✗ Not passed yet.')).toBeVisible();
    const item = checklistItem(page, SMOKE_TASK);
    await expect(item).toContainText('Not passed yet');
    await expect(item).toContainText('The script makes no check');
    await expect(item).toContainText('Hint:');
    await expect(
      page.getByRole('img', { name: /^Request rate \(requests\/s\) over [\d.]+ s of virtual time\. healthy shop: from/ }),
    ).toBeVisible();
  });

  test('adds a check and a threshold in the editor, and the task passes locally', async ({ page }) => {
    await page.goto(LAB);
    await editor(page).getByText('// Add a check that the status is 200.').click();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.insertText("check(res, { 'status is 200': (r) => r.status === 200 });");
    await editor(page).getByText('// Add a threshold here').click();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.insertText("http_req_failed: ['rate<0.01'],");

    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(page.getByText('✓ Task passed locally.')).toBeVisible({ timeout: 20_000 });
    const item = checklistItem(page, SMOKE_TASK);
    await expect(item).toContainText('Passed locally');
    await expect(item).not.toContainText('Hint:');
    await expect(page.getByLabel('End-of-test summary: healthy shop')).toContainText('status is 200');

    // The script and the verdict survive a reload.
    await page.reload();
    await expect(editor(page)).toContainText("check(res, { 'status is 200'");
    await expect(checklistItem(page, SMOKE_TASK)).toContainText('Passed locally');
  });

  test('a syntax error is reported with its line and column', async ({ page }) => {
    await page.goto(LAB);
    await editor(page).click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.press('Enter');
    await page.keyboard.insertText('const = 1;');
    await expect(page.getByText(/^Syntax error at line \d+, column \d+: /)).toBeVisible({ timeout: 10_000 });
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+End');
    await page.keyboard.insertText('const fixed = 1;');
    await expect(page.getByText(/^Syntax error at line/)).toBeHidden({ timeout: 10_000 });
  });

  test('Stop ends a long run at once', async ({ page }) => {
    await page.goto(LAB);
    await replaceScript(page, LONG_SCRIPT);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(page.getByRole('button', { name: 'Stop' })).toBeEnabled();
    await expect(page.getByText('Running against the healthy shop…')).toBeVisible();
    // Live progress from the worker: virtual time, VUs, request rate and requests so far.
    await expect(page.getByRole('term').filter({ hasText: 'Virtual time' })).toBeVisible();
    await expect(
      page
        .getByRole('definition')
        .filter({ hasText: /^[1-9][\d,]*$/ })
        .first(),
    ).toBeVisible({ timeout: 10_000 });
    await expect(page.getByRole('definition').filter({ hasText: /^[1-9][\d,.]* \/s$/ })).toBeVisible();
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect(page.getByText('Stopped.', { exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeEnabled();
    await expect(page.getByRole('button', { name: 'Stop' })).toBeDisabled();
  });

  test('tasks are tabs that work from the keyboard, each with its own script and answer', async ({ page }) => {
    await page.goto(LAB);
    await page.getByRole('tab', { name: SMOKE_TASK }).focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('tab', { name: 'Find the breaking point' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('tab', { name: 'Find the breaking point' })).toBeFocused();
    await expect(page.getByRole('heading', { name: 'Task 2: Find the breaking point' })).toBeVisible();
    await expect(page.getByRole('spinbutton', { name: 'Highest arrival rate with p95 under 300 ms' })).toBeVisible();
    await expect(page.getByRole('textbox', { name: 'k6 script for task: Find the breaking point' })).toContainText('ramping-arrival-rate');
    await page.keyboard.press('End');
    await expect(page.getByRole('tab', { name: 'A CI gate that catches a regression' })).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByRole('spinbutton')).toHaveCount(0);
    await expect(page).toHaveURL(/#task-ci-gate$/);
  });

  test('reset asks first, then restores the starter script', async ({ page }) => {
    await page.goto(LAB);
    await replaceScript(page, LONG_SCRIPT);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Reset to starter' }).click();
    await expect(editor(page)).toContainText('// Add a check that the status is 200.');
    await page.reload();
    await expect(editor(page)).toContainText('// Add a check that the status is 200.');
  });

  for (const scheme of ['light', 'dark'] as const) {
    test(`the workbench with results has no serious axe violations (${scheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(LAB);
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      await expect(page.getByLabel('End-of-test summary: healthy shop')).toBeVisible({ timeout: 20_000 });
      const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
      const blocking = results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      expect(blocking).toEqual([]);
    });
  }
});

test('a signed-in learner submits a passing run and the server verifies it', async ({ page, learner }) => {
  expect(learner.userId).toBeTruthy();
  await page.goto(LAB);
  await expect(page.getByRole('button', { name: 'Submit for verification' })).toBeDisabled();
  await replaceScript(page, PASSING_SMOKE);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByText('✓ Task passed locally.')).toBeVisible({ timeout: 20_000 });
  await page.getByRole('button', { name: 'Submit for verification' }).click();
  await expect(page.getByText(/^✓ Verified by the server/)).toBeVisible({ timeout: 20_000 });
  await expect(checklistItem(page, SMOKE_TASK)).toContainText('Verified by the server');
});

test("a refused submission shows the server's reason", async ({ page, learner }) => {
  expect(learner.userId).toBeTruthy();
  const refusal = 'This lab changed (you ran version 1, the current one is 2). Reload the page, run your script again and resubmit.';
  await page.route('**/api/labs/k6-load-testing/submissions', (route) => route.fulfill({ status: 409, json: { error: refusal } }));
  await page.goto(LAB);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByText('✗ Not passed yet.')).toBeVisible({ timeout: 20_000 });
  await page.getByRole('button', { name: 'Submit for verification' }).click();
  await expect(page.getByText(`Not submitted: ${refusal}`)).toBeVisible();
  await expect(checklistItem(page, SMOKE_TASK)).not.toContainText('Verified by the server');
});
