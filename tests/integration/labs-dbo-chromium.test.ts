// The database observability lab is bit-identical in Chromium and Node: each incident simulated in
// a Chromium Web Worker exports the values Node's simulation exports (the simulator's digest), and
// a full diagnosis of every task — the evidence query, the remediation's re-run, the SLO on both —
// gives the same outcome digest there. The worker runs exactly the code the lab worker runs for
// cluster tasks (run-telemetry-task.ts), bundled with esbuild. Simulation times are printed, not
// asserted.
import path from 'node:path';
import { chromium } from '@playwright/test';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import lab from '../../labs/database-observability/lab.ts';
import { INCIDENTS } from '../../labs/database-observability/scenarios.ts';
import { runTelemetryTask } from '../../labs/runtime/lab/run-telemetry-task.ts';
import { CHROMIUM_ARGS, chromiumPath } from '../support/chromium.ts';

const root = path.resolve(import.meta.dirname, '../..');
const SEED = 424_242;

/** A right diagnosis per task; only the evidence query differs in kind from task to task. */
const SUBMISSIONS: { taskId: string; code: string; files: Record<string, string> }[] = [
  ['hot-partition', 'per-shard-load', 'hot-partition', 'topk(3, sum by (instance, shard) (rate(scylla_database_total_reads[5m])))'],
  ['overloaded-node', 'per-node-latency', 'slow-node', 'topk(1, avg by (instance) (scylla_scheduler_queue_length))'],
  [
    'unprepared-statements',
    'cql-optimisation',
    'unprepared',
    'sum(rate(scylla_transport_query_requests[5m])) / (sum(rate(scylla_transport_query_requests[5m])) + sum(rate(scylla_transport_execute_requests[5m])))',
  ],
  [
    'compaction-storm',
    'storage',
    'compaction',
    'sum(rate(scylla_scheduler_runtime_ms{group="compaction"}[5m])) / sum(rate(scylla_scheduler_runtime_ms[5m]))',
  ],
  ['tombstones', 'storage', 'tombstones', 'sum(rate(scylla_cache_row_tombstone_reads[5m])) / sum(rate(scylla_cql_rows_read[5m]))'],
  ['nightly-batch', 'history', 'batch-job', 'sum(rate(scylla_cache_row_misses[5m])) / sum(rate(scylla_cache_row_misses[5m] offset 1d))'],
].map(([taskId, triage, cause, code]) => ({
  taskId: taskId as string,
  code: code as string,
  files: { triage: triage as string, cause: cause as string, remedy: INCIDENTS[taskId as keyof typeof INCIDENTS].right },
}));

interface Report {
  taskId: string;
  digest: string;
  incident: string;
  remedy: string | null;
  pass: boolean;
  ms: number;
}

const WORKER_ENTRY = `
import lab from ${JSON.stringify(path.join(root, 'labs/database-observability/lab.ts'))};
import { runTelemetryTask } from ${JSON.stringify(path.join(root, 'labs/runtime/lab/run-telemetry-task.ts'))};
self.onmessage = (event) => {
  const { submissions, seed } = event.data;
  const reports = submissions.map((s) => {
    const task = lab.tasks.find((t) => t.id === s.taskId);
    const started = performance.now();
    const o = runTelemetryTask(lab, task, s.code, seed, null, { files: s.files });
    return { taskId: o.taskId, digest: o.digest, incident: o.simulation.incident, remedy: o.simulation.remedy, pass: o.verdict.pass, ms: performance.now() - started };
  });
  self.postMessage(reports);
};
`;

describe('the database observability lab in Chromium', () => {
  it('simulates the same incidents and grades the same diagnoses in a Chromium worker as in Node', async () => {
    const node: Report[] = SUBMISSIONS.map((s) => {
      const task = lab.tasks.find((t) => t.id === s.taskId);
      if (!task || task.kind !== 'cluster') throw new Error(`no cluster task ${s.taskId}`);
      const started = performance.now();
      const o = runTelemetryTask(lab, task, s.code, SEED, null, { files: s.files });
      if (o.kind !== 'cluster') throw new Error('not a cluster outcome');
      return {
        taskId: o.taskId,
        digest: o.digest,
        incident: o.simulation.incident,
        remedy: o.simulation.remedy,
        pass: o.verdict.pass,
        ms: performance.now() - started,
      };
    });
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
    let reports: Report[];
    try {
      const page = await browser.newPage();
      await page.route('http://lab.test/**', (route) =>
        route.request().url().endsWith('/worker.js')
          ? route.fulfill({ contentType: 'text/javascript', body: workerSource })
          : route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>lab</title>' }),
      );
      await page.goto('http://lab.test/');
      reports = await page.evaluate(
        ({ submissions, seed }) =>
          new Promise<Report[]>((resolve, reject) => {
            const worker = new Worker('/worker.js');
            worker.onmessage = (event: MessageEvent<Report[]>) => resolve(event.data);
            worker.onerror = (event) => reject(new Error(event.message));
            worker.postMessage({ submissions, seed });
          }),
        { submissions: SUBMISSIONS, seed: SEED },
      );
    } finally {
      await browser.close();
    }
    for (const [i, r] of reports.entries())
      console.info(
        `${r.taskId}: incident + remedy + grading ${r.ms.toFixed(0)} ms in a Chromium worker, ${node[i]?.ms.toFixed(0)} ms in Node`,
      );
    const strip = (list: Report[]) => list.map(({ ms: _ms, ...rest }) => rest);
    expect(strip(reports)).toEqual(strip(node));
    expect(node.every((o) => o.pass && o.remedy !== null)).toBe(true);
  }, 600_000);
});
