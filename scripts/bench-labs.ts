// npm run bench:labs — the lab runtime's speed (issue 4), as figures and ratios measured in one run:
//  1. the simulator alone (requests per wall-clock second; target ≥ 1,000,000);
//  2. a 10-minute virtual test at 1,000 requests/s (600,000 requests, http.get + check) in Node and
//     in the system Chromium (target ≤ 10 s each), against the simulator alone for the same
//     requests as the baseline; the difference per iteration is the QuickJS cost;
//  3. the server's verification throughput: lab submissions verified per minute, workers in
//     parallel on this machine's cores.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { runPlainBaseline } from '../labs/runtime/bench/plain-v8.ts';
import { BENCH_REQUESTS, BENCH_SCRIPT, BENCH_SERVICE } from '../labs/runtime/bench/scenario.ts';
import { runLoadTest } from '../labs/runtime/engine/engine.ts';
import { benchSimulator } from '../labs/runtime/simulator/bench.ts';
import { ServiceSimulator } from '../labs/runtime/simulator/simulator.ts';
import { verifySubmission } from '../src/features/labs/verify.server.ts';
import { CHROMIUM_ARGS, chromiumPath } from '../tests/support/chromium.ts';
import { startServer } from '../tests/support/server.ts';

const root = path.resolve(import.meta.dirname, '..');

const simulator = benchSimulator(2_000_000);
console.log(
  `simulator alone: ${Math.round(simulator.perSecond).toLocaleString('en')} requests/s (${simulator.requests.toLocaleString('en')} requests in ${simulator.seconds.toFixed(2)} s)`,
);

// Baseline: the same 600,000 arrivals straight into the simulator, no script.
let t = performance.now();
const bare = new ServiceSimulator(BENCH_SERVICE, 1);
for (let i = 0; i < BENCH_REQUESTS; i += 1) bare.submit({ arrival: i, method: 'GET', url: 'http://bench.test/api/items', bodyBytes: 0 });
const baselineMs = performance.now() - t;

t = performance.now();
const result = await runLoadTest({
  script: BENCH_SCRIPT,
  service: BENCH_SERVICE,
  seed: 1,
  baseUrl: 'http://bench.test',
  limits: { deadlineMs: 300_000 },
});
const nodeMs = performance.now() - t;
if (result.error) throw new Error(result.error.message);
const perIterationUs = ((nodeMs - baselineMs) * 1000) / result.iterations;
console.log(
  `10-minute virtual test, ${result.requests.toLocaleString('en')} requests, Node: ${(nodeMs / 1000).toFixed(2)} s (target ≤ 10 s); baseline simulator alone: ${(baselineMs / 1000).toFixed(2)} s; ratio ${(nodeMs / baselineMs).toFixed(1)}×`,
);
console.log(`QuickJS and k6 API cost per iteration (http.get + check): ${perIterationUs.toFixed(1)} µs`);

// Plain-V8 baseline (issue 11): the same VU loop without a sandbox bounds what is possible.
const plain = runPlainBaseline(BENCH_REQUESTS);
console.log(
  `plain V8, no sandbox (bench only): ${(plain.ms / 1000).toFixed(2)} s, ${Math.round((plain.iterations / plain.ms) * 1000).toLocaleString('en')} iterations/s; sandboxed Node run ${Math.round((result.iterations / nodeMs) * 1000).toLocaleString('en')} iterations/s (target ≥ 50,000) = ${(nodeMs / plain.ms).toFixed(1)}× the plain-V8 time`,
);

// Chromium: the same scenario in the lab's Web Worker, served by the built site.
const assets = path.join(root, 'dist/client/_astro');
const worker = existsSync(assets) ? readdirSync(assets).find((f) => /^lab-worker.*\.js$/.test(f)) : undefined;
if (!worker) {
  console.log('Chromium: skipped — build the site first (npm run build) so the lab worker exists');
} else {
  const server = await startServer({ DATABASE_URL: `file:${path.join(os.tmpdir(), `headroom-bench-${Date.now()}.db`)}` });
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}/`);
    // Three runs, each in a fresh worker (as a learner's page starts one): this machine is shared,
    // so one run alone says little; the median is reported against the Node run.
    const runs: number[] = [];
    for (let round = 0; round < 3; round += 1) {
      const browserRun = await page.evaluate(async (url) => {
        const w = new Worker(url, { type: 'module' });
        const outcome = await new Promise<{ ms: number; requests: number; error: string | null }>((resolve) => {
          w.onmessage = (event) => {
            if (event.data.type === 'bench-done') resolve(event.data);
            if (event.data.type === 'error') resolve({ ms: Number.NaN, requests: 0, error: event.data.message });
          };
          w.postMessage({ type: 'bench' });
        });
        w.terminate();
        return outcome;
      }, `/_astro/${worker}`);
      if (browserRun.error) {
        console.log(`Chromium: error ${browserRun.error}`);
        break;
      }
      runs.push(browserRun.ms);
      console.log(
        `10-minute virtual test in Chromium (Web Worker), run ${round + 1}: ${(browserRun.ms / 1000).toFixed(2)} s for ${browserRun.requests.toLocaleString('en')} requests`,
      );
    }
    if (runs.length === 3) {
      const median = [...runs].sort((a, b) => a - b)[1] ?? Number.NaN;
      console.log(`Chromium median ${(median / 1000).toFixed(2)} s (target ≤ 10 s); ratio to Node ${(median / nodeMs).toFixed(2)}×`);
    }
  } finally {
    await browser.close();
    await server.stop();
  }
}

// Verification throughput: smoke-test submissions, as many at once as there are cores.
const smoke = readFileSync(path.join(root, 'labs/k6-load-testing/fixtures/smoke-test.js'), 'utf8');
const cores = os.availableParallelism();
const submissions = 8;
process.env['LAB_VERIFY_CONCURRENCY'] = String(cores);
t = performance.now();
await Promise.all(
  Array.from({ length: submissions }, (_, i) =>
    verifySubmission({ labId: 'k6-load-testing', taskId: 'smoke-test', code: smoke, seed: i, answer: null }),
  ),
);
const perMinute = (submissions / ((performance.now() - t) / 1000)) * 60;
console.log(
  `verification: ${perMinute.toFixed(0)} smoke-test submissions/min with ${cores} workers in parallel (each spawns a worker thread and re-runs the task)`,
);
