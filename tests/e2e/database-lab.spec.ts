// The database observability lab in a real browser: the cluster is simulated in the lab's Web
// Worker, the dashboards are drawn from PromQL range queries on it (uPlot graphs and canvas heat
// maps), and a diagnosis goes triage → cause with an evidence query → remediation → graded in the
// worker → verified by the server. Only a browser shows the canvases, the worker and the
// submission together.
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { LABS } from '../../labs/registry.ts';
import { expect, test } from './fixtures.ts';

const LAB = '/labs/database-observability/';
const TASK = 'Some reads time out, most are fine';
/** Simulating the incident and its re-run on a busy two-core machine. */
const SIMULATION_TIMEOUT = 60_000;

function evidenceEditor(page: Page): Locator {
  return page.getByRole('textbox', { name: `Evidence: a query whose result shows the cause for task: ${TASK}` });
}

async function replaceText(page: Page, box: Locator, text: string): Promise<void> {
  await box.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(text);
}

async function clusterReady(page: Page): Promise<void> {
  await expect(page.getByText(/^Cluster simulated in [\d.]+ s: 6 hours, [\d,]+ series, [\d,]+ samples\./)).toBeVisible({
    timeout: SIMULATION_TIMEOUT,
  });
}

function panel(page: Page, id: string): Locator {
  return page.locator(`[data-panel="${id}"]`);
}

async function diagnose(page: Page, evidence: string): Promise<void> {
  await page.getByRole('radio', { name: /^Load and utilisation per shard/ }).check();
  await page.getByRole('radio', { name: /^A hot partition/ }).check();
  await page.getByRole('radio', { name: /^Add a bucket to the partition key/ }).check();
  await replaceText(page, evidenceEditor(page), evidence);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.getByText(/^Graded (in [\d.]+ s|\(both clusters were already simulated\))\.$/)).toBeVisible({
    timeout: SIMULATION_TIMEOUT,
  });
}

test('a signed-in learner diagnoses the hot partition from the dashboards and the server verifies it', async ({
  page,
  learner,
}, testInfo) => {
  test.setTimeout(180_000);
  expect(learner.userId).toBeTruthy();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${LAB}#task-hot-partition`);
  await expect(page.getByRole('tab', { name: new RegExp(TASK) })).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('[data-slo="hot-partition"]')).toContainText(/^Breaking SLO: Reads within 10 ms \(objective ≥ 99%\)/);
  await clusterReady(page);

  // The overview opens on the incident window: a latency graph drawn on canvas, described in words.
  const latency = panel(page, 'read-latency-cluster');
  await expect(
    latency.getByRole('img', { name: /^Graph of Read latency, cluster \(coordinator\) from .* 3 series\. p50: from / }),
  ).toBeVisible({
    timeout: SIMULATION_TIMEOUT,
  });
  await expect(latency.locator('canvas').first()).toBeVisible();

  // The per-shard view: a heat map of the 16 shards, and its data as a table with numbers in it.
  await page.getByRole('tab', { name: 'Detailed (per shard)' }).click();
  const heat = panel(page, 'shard-load');
  await expect(
    heat.getByRole('img', { name: /^Heat map of Load per shard .*, 16 rows .* Hottest: 10\.0\.0\.\d shard \d up to / }),
  ).toBeVisible({
    timeout: SIMULATION_TIMEOUT,
  });
  await expect(heat.locator('canvas.db-heatmap-canvas')).toBeVisible();
  await heat.getByText('Panel data as a table').click();
  const table = heat.getByRole('region', { name: /^Load per shard .*: data$/ });
  await expect(table.getByRole('columnheader', { name: '10.0.0.1 shard 0' })).toBeVisible();
  await expect(table.getByRole('row').nth(1).getByRole('cell').first()).toHaveText(/^[\d,.]+( M)?\/s$/);

  // A query that shows every shard's load does not isolate the cause: the grader says why.
  await diagnose(page, 'sum by (instance, shard) (rate(scylla_database_total_reads[5m]))');
  await expect(page.getByText('✗ Not passed yet.')).toBeVisible();
  const evidence = page.locator('[data-step="evidence"]');
  await expect(evidence).toContainText('✗ Evidence:');
  await expect(evidence).toContainText(/returns 16 shards: that shows the load, it does not isolate the cause/);
  await expect(page.locator('[data-step="triage"]')).toContainText('✓ Triage:');

  // Ranking the shards by replica reads isolates the hot partition's replicas; the bucketed key holds the SLO.
  await diagnose(page, 'topk(3, sum by (instance, shard) (rate(scylla_database_total_reads[5m])))');
  await expect(page.getByText('✓ Task passed locally.')).toBeVisible();
  await expect(evidence).toContainText(/✓ Evidence: Your query isolates /);
  await expect(page.locator('[data-slo-result]')).toContainText(/before, .* after the remediation .*: the SLO held\./);
  await page.locator('.db-diagnosis').screenshot({ path: testInfo.outputPath('database-lab-diagnosis.png') });

  // The dashboards of the re-run, next to the incident: the same heat map, now from the remediated cluster.
  await page
    .getByLabel('Showing')
    .selectOption({ label: 'After: Add a bucket to the partition key so the hottest keys spread over many partitions' });
  await expect(page.getByText('Showing the re-run with your remediation.')).toBeVisible({ timeout: SIMULATION_TIMEOUT });
  await expect(panel(page, 'shard-load').getByRole('img', { name: /^Heat map of Load per shard/ })).toBeVisible({
    timeout: SIMULATION_TIMEOUT,
  });

  const submit = page.getByRole('button', { name: 'Submit for verification' });
  await expect(submit).toBeEnabled();
  await submit.click();
  await expect(page.getByText(/^✓ Verified by the server/)).toBeVisible({ timeout: SIMULATION_TIMEOUT });
  const item = page.getByRole('complementary', { name: 'Your progress' }).getByRole('listitem').filter({ hasText: TASK });
  await expect(item).toContainText('Verified by the server');

  await page.goto('/dashboard/');
  const taskCount = LABS.reduce((n, l) => n + l.tasks.length, 0);
  await expect(page.getByText(`1 of ${taskCount} lab tasks passed and verified by the server`)).toBeVisible();
});

for (const scheme of ['light', 'dark'] as const)
  test(`the cluster workbench at 1280 px in the ${scheme} theme: dashboards drawn, no serious axe violations`, async ({
    page,
  }, testInfo) => {
    test.setTimeout(120_000);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${LAB}#task-hot-partition`);
    await clusterReady(page);
    await expect(panel(page, 'client-latency').getByRole('img')).toBeVisible({ timeout: SIMULATION_TIMEOUT });
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await overflow(), 'horizontal overflow in px').toBeLessThanOrEqual(0);
    await page.locator('.db-dashboards').screenshot({ path: testInfo.outputPath(`database-lab-overview-${scheme}.png`) });
    await page.getByRole('tab', { name: 'Detailed (per shard)' }).click();
    await expect(panel(page, 'in-flight').getByRole('img')).toBeVisible({ timeout: SIMULATION_TIMEOUT });
    await page.locator('.db-dashboards').screenshot({ path: testInfo.outputPath(`database-lab-detailed-${scheme}.png`) });
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });
