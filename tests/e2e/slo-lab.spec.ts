// The SLO lab in a real browser: PromQL runs in the lab's Web Worker on 30 days of generated
// telemetry, so only a browser can show the editor's completion, the result table, the uPlot graph,
// the alert bands, and a task going from a local pass to "verified by the server".
import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

const LAB = '/labs/slo-prometheus/';
const AVAILABILITY_TASK = 'An availability SLI over 28 days';
/** Generating the telemetry takes a few seconds on a busy two-core machine. */
const DATA_TIMEOUT = 45_000;

function explorer(page: Page) {
  return page.getByRole('textbox', { name: 'PromQL query to explore the telemetry' });
}

function taskEditor(page: Page, label: string, task: string) {
  return page.getByRole('textbox', { name: `${label} for task: ${task}` });
}

async function replaceText(page: Page, box: ReturnType<Page['getByRole']>, text: string): Promise<void> {
  await box.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(text);
}

async function telemetryReady(page: Page): Promise<void> {
  await expect(page.getByText(/series, [\d,]+ samples from 30 days of telemetry, ready\.$/)).toBeVisible({ timeout: DATA_TIMEOUT });
}

test.describe('anonymous learner', () => {
  test('explores the telemetry: completion of metric names, a result table, and a graph with a legend and zoom', async ({ page }) => {
    await page.goto(LAB);
    await expect(page.getByRole('tab', { name: AVAILABILITY_TASK })).toHaveAttribute('aria-selected', 'true');
    await telemetryReady(page);

    // Completion offers the lab's own metric names, from the worker's snapshot of the TSDB.
    await replaceText(page, explorer(page), 'http_req');
    await page.keyboard.press('Control+Space');
    await expect(page.getByRole('option', { name: /http_requests_total/ }).first()).toBeVisible();
    await page.keyboard.press('Escape');

    await replaceText(page, explorer(page), 'sum by (code) (rate(http_requests_total{job="shop"}[5m]))');
    await page.getByRole('button', { name: 'Table', exact: true }).click();
    const table = page.getByRole('region', { name: 'Query result: instant vector' });
    await expect(table).toBeVisible({ timeout: DATA_TIMEOUT });
    await expect(table.getByRole('row', { name: /\{code="200"\}/ })).toBeVisible();
    await expect(page.getByText(/^\d+ series, [\d,]+ samples read\.$/)).toBeVisible();

    await page.getByLabel('Graph range').selectOption({ label: 'last day' });
    await page.getByRole('button', { name: 'Graph', exact: true }).click();
    const graph = page.getByRole('figure', { name: /^Query graph: \d+ series over time/ });
    await expect(graph).toBeVisible({ timeout: DATA_TIMEOUT });
    await expect(graph.getByRole('img', { name: /^Graph of \d+ series\. \{code="200"\}: from / })).toBeVisible();
    await expect(graph.locator('.u-legend')).toContainText('{code="200"}');
    // Drag to zoom, then reset: the x scale changes and comes back.
    const plot = graph.locator('.u-over');
    await plot.scrollIntoViewIfNeeded();
    const box = await plot.boundingBox();
    if (!box) throw new Error('no plot area');
    const span = graph.getByText(/^Showing \d{4}-.* UTC to \d{4}-.* UTC\.$/);
    const xRange = () => span.textContent();
    const before = await xRange();
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect.poll(xRange).not.toBe(before);
    await graph.getByRole('button', { name: 'Reset zoom' }).click();
    await expect.poll(xRange).toBe(before);

    // A query that does not parse gets the engine's message with its position, not a crash.
    await replaceText(page, explorer(page), 'sum(rate(http_requests_total[5m])');
    await page.getByRole('button', { name: 'Table', exact: true }).click();
    await expect(page.getByRole('alert')).toContainText(/Query result: Line 1, column \d+: .*parse error/);

    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
    expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
  });

  test('a rules task shows alert states over the 30 days as bands, and the promtool-style test output', async ({ page }, testInfo) => {
    test.setTimeout(120_000);
    await page.goto(`${LAB}#task-burn-rate-alerts`);
    await expect(page.getByRole('tab', { name: /Multiwindow, multi-burn-rate alerts/ })).toHaveAttribute('aria-selected', 'true');
    await expect(taskEditor(page, 'rules.yml', 'Multiwindow, multi-burn-rate alerts with unit tests')).toBeVisible();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(page.getByText(/^Finished in [\d.]+ s\.$/)).toBeVisible({ timeout: 90_000 });
    await expect(page.getByRole('heading', { name: 'Alert states over the telemetry' })).toBeVisible();
    await expect(page.getByText('Seeded incidents', { exact: true })).toBeVisible();
    await expect(page.getByRole('img', { name: /: \d+ firing and \d+ pending periods; inactive otherwise\.$/ }).first()).toBeVisible();
    const detection = page.getByRole('region', { name: 'Detection of the seeded incidents' });
    await expect(detection.getByRole('row', { name: /^blip / })).toContainText(
      /silence\s*(✓ no alert, as it should be|✗ should have stayed silent: )/,
    );
    await expect(page.getByRole('heading', { name: /^Your unit tests: (SUCCESS|FAILED)$/ })).toBeVisible();
    await page.locator('[data-results]').screenshot({ path: testInfo.outputPath('slo-lab-rules.png') });
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

    // A rule file that does not parse: its problem is listed with the file and marked in the editor.
    const rules = taskEditor(page, 'rules.yml', 'Multiwindow, multi-burn-rate alerts with unit tests');
    await replaceText(
      page,
      rules,
      'groups:\n  - name: slo\n    rules:\n      - alert: Broken\n        expr: sum(rate(http_requests_total[5m])\n',
    );
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Problems in your files' })).toBeVisible({ timeout: 60_000 });
    await expect(page.getByRole('listitem').filter({ hasText: /^rules\.yml: Line 5, column \d+: / })).toBeVisible();
    await expect(page.locator('.cm-lintRange-error').first()).toBeVisible();
  });
});

test('a task with three queries shows a table for each, and the payment gateway’s histogram without +Inf gives NaN', async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  await page.goto(`${LAB}#task-latency-sli`);
  await expect(page.getByRole('textbox', { name: /for task: A latency SLI and the p99 from histogram buckets$/ })).toHaveCount(3);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByText(/^Finished in [\d.]+ s\.$/)).toBeVisible({ timeout: 90_000 });
  const output = page.locator('[data-output]');
  await expect(output.getByRole('heading', { level: 5 })).toHaveCount(3);
  const payments = output.getByRole('region', { name: /^The payment gateway’s p99 over the last hour \(seconds\): instant vector$/ });
  await expect(payments.getByRole('cell', { name: 'NaN' })).toBeVisible();
  await page.locator('[data-work]').screenshot({ path: testInfo.outputPath('slo-lab-latency.png') });
});

test('a quality-gate task shows each build’s objectives, criteria and total score', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const slo = await readFile('labs/slo-prometheus/fixtures/slo.yaml', 'utf8');
  const sli = await readFile('labs/slo-prometheus/fixtures/sli.yaml', 'utf8');
  const task = 'An SLO quality gate that stops a regressed build';
  await page.goto(`${LAB}#task-quality-gate`);
  await replaceText(page, taskEditor(page, 'slo.yaml', task), slo);
  await replaceText(page, taskEditor(page, 'sli.yaml (the SLI queries)', task), sli);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByText(/^Finished in [\d.]+ s\.$/)).toBeVisible({ timeout: 90_000 });
  const builds = page.locator('[data-output]').getByRole('heading', { level: 5 });
  // The baseline build, then the regressed and the good one: the reference gate fails exactly one.
  await expect(builds).toHaveCount(3);
  await expect(builds.first()).toContainText('(the baseline the others compare with)');
  await expect(builds.filter({ hasText: /✗ fail, total score [\d.]+ %$/ })).toHaveCount(1);
  await expect(builds.filter({ hasText: /✓ pass, total score [\d.]+ %$/ })).toHaveCount(2);
  const objectives = page.getByRole('region', { name: /^Objectives of / }).first();
  await expect(objectives.getByRole('columnheader', { name: 'Criteria' })).toBeVisible();
  await expect(objectives.getByRole('row')).not.toHaveCount(1);
  await page.locator('[data-results]').screenshot({ path: testInfo.outputPath('slo-lab-gate.png') });
});

test('a signed-in learner completes the availability task: passed locally, then verified by the server', async ({ page, learner }) => {
  test.setTimeout(120_000);
  expect(learner.userId).toBeTruthy();
  const solution = await readFile('labs/slo-prometheus/fixtures/availability-sli.promql', 'utf8');
  await page.goto(LAB);
  const editor = taskEditor(page, 'Availability SLI over the last 28 days', AVAILABILITY_TASK);
  await replaceText(page, editor, solution.trim());
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByText('✓ Task passed locally.')).toBeVisible({ timeout: 90_000 });
  await expect(page.getByRole('region', { name: /Availability SLI over the last 28 days: instant vector/ })).toBeVisible();
  const submit = page.getByRole('button', { name: 'Submit for verification' });
  await expect(submit).toBeEnabled();
  await submit.click();
  await expect(page.getByText(/^✓ Verified by the server/)).toBeVisible({ timeout: 60_000 });
  const item = page.getByRole('complementary', { name: 'Your progress' }).getByRole('listitem').filter({ hasText: AVAILABILITY_TASK });
  await expect(item).toContainText('Verified by the server');
});

for (const { name, width, height } of [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const)
  for (const scheme of ['light', 'dark'] as const)
    test(`the workbench fits a ${name} screen in the ${scheme} theme, with a table and a graph`, async ({ page }, testInfo) => {
      test.setTimeout(120_000);
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(LAB);
      await telemetryReady(page);
      await replaceText(page, explorer(page), 'sum by (route) (rate(http_requests_total{job="shop"}[5m]))');
      await page.getByRole('button', { name: 'Graph', exact: true }).click();
      await expect(page.getByRole('figure', { name: /^Query graph/ })).toBeVisible({ timeout: DATA_TIMEOUT });
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      await expect(page.getByText(/^Finished in [\d.]+ s\.$/)).toBeVisible({ timeout: 60_000 });
      const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(await overflow(), 'horizontal overflow in px').toBeLessThanOrEqual(0);
      const shot = await page.locator('[data-workbench]').screenshot({ path: testInfo.outputPath(`slo-lab-${name}-${scheme}.png`) });
      expect(shot.length).toBeGreaterThan(10_000);
      // The rules task's bands, tables and test output fit too.
      await page.getByRole('tab', { name: /Multiwindow, multi-burn-rate alerts/ }).click();
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      await expect(page.getByRole('heading', { name: 'Alert states over the telemetry' })).toBeVisible({ timeout: 60_000 });
      expect(await overflow(), 'horizontal overflow in px with the rules results').toBeLessThanOrEqual(0);
      await page.locator('[data-results]').screenshot({ path: testInfo.outputPath(`slo-lab-rules-${name}-${scheme}.png`) });
    });
