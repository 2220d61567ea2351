// The SLO lab is bit-identical in Chromium and Node: the telemetry generated in a Chromium Web
// Worker has the dataset digest Node computes, and every task's reference solution gives the same
// outcome digest there. The worker runs exactly the code the lab worker runs for telemetry tasks
// (run-telemetry-task.ts), bundled with esbuild. Generation time and size are printed, not asserted.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import type { ExtraFiles } from '../../labs/runtime/lab/definition.ts';
import { labTelemetry } from '../../labs/runtime/lab/kinds/telemetry-cache.ts';
import { runTask } from '../../labs/runtime/lab/run-task.ts';
import lab from '../../labs/slo-prometheus/lab.ts';
import { CHROMIUM_ARGS, chromiumPath } from '../support/chromium.ts';

const root = path.resolve(import.meta.dirname, '../..');
const fixture = (name: string) => readFileSync(path.join(root, 'labs/slo-prometheus/fixtures', name), 'utf8');
const SEED = 987_654_321;

interface Submission {
  taskId: string;
  code: string;
  files: ExtraFiles;
  answer: string | null;
}

interface WorkerReport {
  outcomes: { taskId: string; datasetDigest: string; digest: string; pass: boolean }[];
  stats: { series: number; samples: number; bytes: number; generationMs: number };
}

const WORKER_ENTRY = `
import lab from ${JSON.stringify(path.join(root, 'labs/slo-prometheus/lab.ts'))};
import { labTelemetry } from ${JSON.stringify(path.join(root, 'labs/runtime/lab/kinds/telemetry-cache.ts'))};
import { runTelemetryTask } from ${JSON.stringify(path.join(root, 'labs/runtime/lab/run-telemetry-task.ts'))};
self.onmessage = (event) => {
  const { submissions, seed } = event.data;
  const stats = labTelemetry(lab, seed).stats;
  const outcomes = submissions.map((s) => {
    const task = lab.tasks.find((t) => t.id === s.taskId);
    const o = runTelemetryTask(lab, task, s.code, seed, s.answer, { files: s.files, queryTimeoutMs: 120000 });
    return { taskId: o.taskId, datasetDigest: o.datasetDigest, digest: o.digest, pass: o.verdict.pass };
  });
  self.postMessage({ outcomes, stats });
};
`;

describe('the SLO lab in Chromium', () => {
  it('generates the same telemetry and the same outcomes in a Chromium worker as in Node', async () => {
    const submissions: Submission[] = [
      { taskId: 'availability-sli', code: fixture('availability-sli.promql'), files: {}, answer: null },
      {
        taskId: 'latency-sli',
        code: fixture('latency-sli.promql'),
        files: { p99: fixture('latency-p99.promql'), 'payments-p99': fixture('payments-p99.promql') },
        answer: null,
      },
      { taskId: 'error-budget', code: fixture('error-budget.promql'), files: { 'burn-rate': fixture('burn-rate.promql') }, answer: null },
      {
        taskId: 'burn-rate-alerts',
        code: fixture('burn-rate-alerts.rules.yml'),
        files: { 'tests.yml': fixture('burn-rate-alerts.test.yml') },
        answer: null,
      },
      { taskId: 'quality-gate', code: fixture('slo.yaml'), files: { 'sli.yaml': fixture('sli.yaml') }, answer: '0' },
    ];
    const node = [];
    for (const s of submissions) {
      const outcome = await runTask(lab, s.taskId, s.code, SEED, s.answer, { files: s.files, queryTimeoutMs: 120_000 });
      node.push({
        taskId: outcome.taskId,
        datasetDigest: 'datasetDigest' in outcome ? outcome.datasetDigest : '',
        digest: outcome.digest,
        pass: outcome.verdict.pass,
      });
    }
    const nodeStats = labTelemetry(lab, SEED).stats;

    const bundle = await build({
      stdin: { contents: WORKER_ENTRY, resolveDir: root, loader: 'ts' },
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    });
    const workerSource = (bundle.outputFiles[0] as { text: string }).text;
    const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
    let report: WorkerReport;
    try {
      const page = await browser.newPage();
      await page.route('http://lab.test/**', (route) =>
        route.request().url().endsWith('/worker.js')
          ? route.fulfill({ contentType: 'text/javascript', body: workerSource })
          : route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>lab</title>' }),
      );
      await page.goto('http://lab.test/');
      report = await page.evaluate(
        ({ submissions, seed }) =>
          new Promise<WorkerReport>((resolve, reject) => {
            const worker = new Worker('/worker.js');
            worker.onmessage = (event: MessageEvent<WorkerReport>) => resolve(event.data);
            worker.onerror = (event) => reject(new Error(event.message));
            worker.postMessage({ submissions, seed });
          }),
        { submissions, seed: SEED },
      );
    } finally {
      await browser.close();
    }
    console.info(
      `telemetry: ${report.stats.series} series, ${report.stats.samples.toLocaleString('en')} samples, ${(report.stats.bytes / 1048576).toFixed(0)} MiB; generated in ${report.stats.generationMs.toFixed(0)} ms in a Chromium worker, ${nodeStats.generationMs.toFixed(0)} ms in Node`,
    );
    expect(report.stats.samples).toBe(nodeStats.samples);
    expect(report.outcomes).toEqual(node);
    expect(node.filter((o) => o.taskId !== 'quality-gate').every((o) => o.pass)).toBe(true);
  }, 600_000);
});
