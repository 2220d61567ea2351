import { expect, test } from '@playwright/test';

const paths = [
  '/',
  '/lessons/',
  '/lessons/slos/02-promql-essentials/',
  '/glossary/',
  '/search/?q=slo',
  '/nope',
  '/sessions/',
  '/sessions/load-testing-with-k6/',
  '/signin/',
  '/signup/',
];

test('every page type fits a 360 px wide screen without sideways scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  for (const path of paths) {
    await page.goto(path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, path).toBeLessThanOrEqual(0);
  }
});

test('pages make no requests to other hosts', async ({ page, baseURL }) => {
  const origin = new URL(baseURL ?? '').origin;
  const foreign: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol !== 'data:' && url.origin !== origin) foreign.push(request.url());
  });
  for (const path of paths) await page.goto(path, { waitUntil: 'networkidle' });
  expect(foreign).toEqual([]);
});
