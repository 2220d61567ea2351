// bench:telemetry — generating the SLO lab's 30 days of telemetry (labs/runtime/telemetry), in
// Node and in a Chromium Web Worker, against a floor measured in the same run and the same place:
// filling the same number of Float64 samples with the same random generator (what any generator of
// this dataset must at least do). Prints the figures and ratios, the size, and whether both
// runtimes produced the same dataset digest.
import path from 'node:path';
import { chromium } from '@playwright/test';
import { build } from 'esbuild';
import { generateTelemetry } from '../labs/runtime/telemetry/generate.ts';
import { shopTelemetry } from '../labs/slo-prometheus/telemetry.ts';
import { CHROMIUM_ARGS, chromiumPath } from '../tests/support/chromium.ts';

const root = path.resolve(import.meta.dirname, '..');
const RUNS = 3;

interface Figures {
  generationMs: number[];
  floorMs: number[];
  digest: string;
  samples: number;
  bytes: number;
}

const WORKER = `
import { generateTelemetry } from ${JSON.stringify(path.join(root, 'labs/runtime/telemetry/generate.ts'))};
import { createRandom } from ${JSON.stringify(path.join(root, 'labs/runtime/simulator/random.ts'))};
import { shopTelemetry } from ${JSON.stringify(path.join(root, 'labs/slo-prometheus/telemetry.ts'))};
export function measure(runs) {
  const figures = { generationMs: [], floorMs: [], digest: '', samples: 0, bytes: 0 };
  for (let i = 0; i < runs; i++) {
    const t = generateTelemetry(shopTelemetry, 1);
    figures.generationMs.push(t.stats.generationMs);
    figures.digest = t.digest;
    figures.samples = t.stats.samples;
    figures.bytes = t.stats.bytes;
    const started = performance.now();
    const random = createRandom(1);
    const values = new Float64Array(t.stats.samples);
    for (let j = 0; j < values.length; j++) values[j] = random.next();
    figures.floorMs.push(performance.now() - started);
  }
  return figures;
}
if (typeof self !== 'undefined' && typeof window === 'undefined') self.onmessage = (e) => self.postMessage(measure(e.data));
`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function measureNode(): Promise<Figures> {
  const { createRandom } = await import('../labs/runtime/simulator/random.ts');
  const figures: Figures = { generationMs: [], floorMs: [], digest: '', samples: 0, bytes: 0 };
  for (let i = 0; i < RUNS; i++) {
    const t = generateTelemetry(shopTelemetry, 1);
    figures.generationMs.push(t.stats.generationMs);
    Object.assign(figures, { digest: t.digest, samples: t.stats.samples, bytes: t.stats.bytes });
    const started = performance.now();
    const random = createRandom(1);
    const values = new Float64Array(t.stats.samples);
    for (let j = 0; j < values.length; j++) values[j] = random.next();
    figures.floorMs.push(performance.now() - started);
  }
  return figures;
}

async function measureChromium(): Promise<Figures> {
  const bundle = await build({
    stdin: { contents: WORKER, resolveDir: root, loader: 'ts' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  const source = (bundle.outputFiles[0] as { text: string }).text;
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.route('http://bench.test/**', (route) =>
      route.request().url().endsWith('/worker.js')
        ? route.fulfill({ contentType: 'text/javascript', body: source })
        : route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>bench:telemetry</title>' }),
    );
    await page.goto('http://bench.test/');
    return await page.evaluate(
      (runs) =>
        new Promise<Figures>((resolve, reject) => {
          const worker = new Worker('/worker.js');
          worker.onmessage = (event: MessageEvent<Figures>) => resolve(event.data);
          worker.onerror = (event) => reject(new Error(event.message));
          worker.postMessage(runs);
        }),
      RUNS,
    );
  } finally {
    await browser.close();
  }
}

const node = await measureNode();
const browser = await measureChromium();
const ms = (v: number) => `${v.toFixed(0)} ms`;
console.log(`telemetry: ${node.samples.toLocaleString('en')} samples, ${(node.bytes / 1048576).toFixed(0)} MiB (target ≤ ~150 MB)`);
for (const [name, f] of [
  ['Node', node],
  ['Chromium worker', browser],
] as const) {
  const generation = median(f.generationMs);
  const floor = median(f.floorMs);
  console.log(
    `  ${name}: generation ${ms(generation)} (median of ${RUNS}; target ≤ ~3,000 ms in the browser), floor ${ms(floor)}, ratio ${(generation / floor).toFixed(1)}×`,
  );
}
console.log(
  `  Chromium/Node ${(median(browser.generationMs) / median(node.generationMs)).toFixed(2)}×; dataset digests ${node.digest === browser.digest ? 'identical' : 'DIFFER'}`,
);
