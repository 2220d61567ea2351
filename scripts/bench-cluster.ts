// npm run bench:cluster — the cluster simulator's speed (issue 12), figures and ratios from one run:
//  1. baseline: the web shop simulator's throughput (labs/runtime/simulator/bench.ts, M/M/8 at 80 %);
//  2. simulated cluster requests per second, request by request (6 nodes × 8 shards, RF 3, QUORUM,
//     80 % reads, Zipf keys), as a ratio to the baseline;
//  3. one 7-day scenario at 15 s scrapes on 6 nodes × 8 shards (40,320 windows, default detail: the
//     last day at 256 requests per window, the six before at 64): time in Node and in Chromium (the
//     simulator bundled with esbuild, run in a page), memory, samples exported, and whether both
//     engines produced the same digest of every value;
//  4. a floor for 3: allocating and writing as many Float64 samples as the week exports (the first
//     touch of that memory, which no simulator speed removes; on a shared VM it is far from free).
// BENCH_CLUSTER_DAYS shortens the scenario (default 7); BENCH_CLUSTER_NO_CHROMIUM=1 skips Chromium.
import path from 'node:path';
import { chromium } from '@playwright/test';
import { build } from 'esbuild';
import { simulateCluster } from '../labs/runtime/cluster/simulator.ts';
import { benchSimulator } from '../labs/runtime/simulator/bench.ts';
import { CHROMIUM_ARGS, chromiumPath } from '../tests/support/chromium.ts';

const root = path.resolve(import.meta.dirname, '..');
const DAYS = Number(process.env['BENCH_CLUSTER_DAYS'] ?? 7);
const MB = 1_048_576;

const topology = { nodes: 6, shardsPerNode: 8, replicationFactor: 3 };
const workload = {
  ratePerSecond: 60_000,
  readFraction: 0.8,
  partitions: 200_000,
  popularity: { type: 'zipf', s: 0.9 },
  hourlyProfile: [0.3, 0.25, 0.25, 0.25, 0.3, 0.4, 0.6, 0.8, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4],
  batch: { startHour: 2, durationMinutes: 30, ratePerSecond: 3_000, kind: 'scan', rows: 1_000, paged: false },
} as const;
const throughputScenario = { seed: 1, durationMs: 10 * 15_000, requestsPerWindow: 200_000, topology, workload };
const weekScenario = { seed: 7, durationMs: DAYS * 86_400_000, topology, workload };

function timeRun(scenario: unknown): { ms: number; cpuMs: number; result: ReturnType<typeof simulateCluster> } {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = simulateCluster(scenario);
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, result };
}

const mega = (n: number) => `${(n / 1e6).toFixed(2)} M`;

// 1. Baseline.
benchSimulator(200_000);
const baseline = benchSimulator(2_000_000);
console.log(`baseline: web shop simulator ${mega(baseline.perSecond)} requests/s (M/M/8 at 80 %, 2 M requests)`);

// 2. Request-level throughput.
timeRun({ ...throughputScenario, durationMs: 2 * 15_000 });
const throughput = timeRun(throughputScenario);
if (!throughput.result.ok) throw new Error(throughput.result.error);
const perSecond = throughput.result.summary.simulatedRequests / (throughput.ms / 1000);
console.log(
  `cluster simulator: ${mega(perSecond)} simulated requests/s request by request (${mega(throughput.result.summary.simulatedRequests)} requests, 6 × 8 shards, RF 3, QUORUM, 80 % reads, Zipf) = ${(perSecond / baseline.perSecond).toFixed(2)}× the baseline; goal ≥ 1 M/s`,
);

// 3. A week in Node.
globalThis.gc?.();
const before = process.memoryUsage();
const week = timeRun(weekScenario);
if (!week.result.ok) throw new Error(week.result.error);
const after = process.memoryUsage();
const { summary } = week.result;
console.log(
  `${DAYS}-day scenario (6 × 8 shards, ${summary.windows.toLocaleString('en-US')} windows of 15 s, ${summary.simulatedRequests.toLocaleString('en-US')} requests simulated standing for ${(summary.representedRequests / 1e9).toFixed(1)} G): Node ${(week.ms / 1000).toFixed(2)} s (CPU ${(week.cpuMs / 1000).toFixed(2)} s: on a shared machine the gap is time waiting for a core); ${summary.series} series, ${mega(summary.samples)} samples; memory +${((after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / MB).toFixed(0)} MiB (heap + array buffers, RSS ${(after.rss / MB).toFixed(0)} MiB); digest ${summary.digest}`,
);
console.log(`  ratio to the baseline: the week took as long as ${mega((week.ms / 1000) * baseline.perSecond)} web shop requests`);

// 4. The floor: first touch of the sample store (one Float64Array of every sample, written once).
{
  const started = performance.now();
  const store = new Float64Array(summary.samples);
  for (let i = 0; i < store.length; i += 512) store[i] = i;
  store.fill(1);
  const ms = performance.now() - started;
  console.log(
    `  floor: allocating and writing ${mega(summary.samples)} Float64 samples (${((summary.samples * 8) / MB).toFixed(0)} MiB) takes ${(ms / 1000).toFixed(2)} s here (${((100 * ms) / week.ms).toFixed(0)} % of the Node run)`,
  );
}

// 3'. The same week in Chromium.
if (process.env['BENCH_CLUSTER_NO_CHROMIUM'] !== '1') {
  const bundle = await build({
    stdin: {
      contents: `export { simulateCluster } from ${JSON.stringify(path.join(root, 'labs/runtime/cluster/simulator.ts'))};`,
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    globalName: 'ClusterBench',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  const bundleText = (bundle.outputFiles[0] as { text: string }).text;
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><title>bench:cluster</title>');
    await page.addScriptTag({ content: bundleText });
    const inPage = await page.evaluate((scenario) => {
      type Api = { simulateCluster: (s: unknown) => { ok: boolean; error?: string; summary?: { digest: string } } };
      const api = (globalThis as unknown as { ClusterBench: Api }).ClusterBench;
      const started = performance.now();
      const result = api.simulateCluster(scenario);
      return { ms: performance.now() - started, ok: result.ok, error: result.error, digest: result.summary?.digest };
    }, weekScenario);
    if (!inPage.ok) throw new Error(inPage.error);
    console.log(
      `  Chromium: ${(inPage.ms / 1000).toFixed(2)} s (goal ≤ 3 s${inPage.ms <= 3000 ? '' : ' — over the goal'}), ${(inPage.ms / week.ms).toFixed(2)}× Node; digest ${inPage.digest} — ${inPage.digest === summary.digest ? 'identical to Node' : 'DIFFERS from Node'}`,
    );
  } finally {
    await browser.close();
  }
}
