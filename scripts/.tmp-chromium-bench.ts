import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from '../tests/support/chromium.ts';
import { startServer } from '../tests/support/server.ts';
const root = path.resolve(import.meta.dirname, '..');
const assets = path.join(root, 'dist/client/_astro');
const worker = existsSync(assets) ? readdirSync(assets).find((f) => /^lab-worker.*\.js$/.test(f)) : undefined;
const server = await startServer({ DATABASE_URL: `file:${path.join(os.tmpdir(), `headroom-bench-${Date.now()}.db`)}` });
const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
const page = await browser.newPage();
await page.goto(`${server.url}/`);
for (let i = 0; i < 3; i++) {
  const run = await page.evaluate(async (url) => {
    const w = new Worker(url, { type: 'module' });
    const r = await new Promise<{ ms: number; requests: number }>((resolve) => { w.onmessage = (e) => { if (e.data.type === 'bench-done') resolve(e.data); }; w.postMessage({ type: 'bench' }); });
    w.terminate();
    return r;
  }, `/_astro/${worker}`);
  console.log(`Chromium run ${i + 1}: ${(run.ms / 1000).toFixed(2)} s for ${run.requests}`);
}
await browser.close();
await server.stop();
