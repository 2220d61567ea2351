// Renders public/og.png (1200×630), the link-preview image, with the system Chromium.
// Run after changing the brand: `node scripts/make-og-image.ts`. The PNG is committed.
import path from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from '../tests/support/chromium.ts';

const html = `<!doctype html><html><body style="margin:0;width:1200px;height:630px;display:flex;flex-direction:column;justify-content:center;padding:0 90px;box-sizing:border-box;background:#0f151b;color:#e6edf3;font-family:system-ui,sans-serif">
<div style="display:flex;align-items:center;gap:24px;font-size:44px;font-weight:700">
<svg width="72" height="72" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0f6b63"/><path d="M6 24h20M8 20l5-6 4 3 7-9" fill="none" stroke="#fff" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round"/></svg>Headroom</div>
<h1 style="font-size:68px;line-height:1.1;margin:40px 0 24px">Optimizing Distributed System Performance</h1>
<p style="font-size:32px;color:#a9b6c3;margin:0">Load testing · SLOs · database observability — a self-paced masterclass with a verifiable certificate</p>
</body></html>`;

const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
const page = await browser.newPage({ viewport: { width: 1200, height: 630 } });
await page.setContent(html);
await page.screenshot({ path: path.resolve(import.meta.dirname, '../public/og.png') });
await browser.close();
console.log('wrote public/og.png');
