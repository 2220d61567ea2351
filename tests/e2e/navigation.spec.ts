import { expect, test } from '@playwright/test';

test('a learner goes from the outline to a lesson and on to the next lesson', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Course outline' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Course outline' })).toBeVisible();

  const firstLesson = page.getByRole('main').getByRole('listitem').getByRole('link').first();
  const firstTitle = (await firstLesson.textContent())?.replace(/^\d+\.\s*/, '').trim() ?? '';
  await firstLesson.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(firstTitle);
  await expect(page.getByText(/\d+ min read/)).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'On this page' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Key takeaways' })).toBeVisible();

  const next = page.getByRole('link', { name: /^Next/ });
  const nextTitle = (await next.textContent())?.replace(/^Next/, '').trim() ?? '';
  await next.click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(nextTitle);
  await expect(
    page.getByRole('link', { name: new RegExp(`^Previous\\s*${firstTitle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }),
  ).toBeVisible();
});

test('code blocks are highlighted and have a working copy button', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/lessons/load-testing/03-workload-models/');
  const block = page.locator('pre.astro-code[data-language="js"]').first();
  await expect(block).toBeVisible();
  expect(await block.locator('span[style]').count()).toBeGreaterThan(3);
  await block.getByRole('button', { name: 'Copy code to clipboard' }).click();
  await expect(block.getByRole('button', { name: 'Copy code to clipboard' })).toHaveText('Copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain(((await block.locator('code').textContent()) ?? '').slice(0, 40));
});

test('a glossary link in a lesson leads to the term in the glossary', async ({ page }) => {
  await page.goto('/lessons/load-testing/01-slis-slos-and-slas/');
  const term = page.locator('article a.term').first();
  const href = (await term.getAttribute('href')) ?? '';
  expect(href).toMatch(/^\/glossary\/#[a-z0-9-]+$/);
  await expect(term).toHaveAttribute('title', /.{20,}/);
  await term.click();
  const id = href.split('#')[1] ?? '';
  await expect(page.locator(`dt[id="${id}"]`)).toBeInViewport();
});

test('unknown lessons and modules get the 404 page with status 404', async ({ page }) => {
  for (const path of ['/lessons/load-testing/99-no-such-lesson/', '/lessons/kubernetes/', '/no/such/page', '/lessons/%zz/']) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  }
});

test('malformed query strings are ignored', async ({ page }) => {
  const response = await page.goto('/lessons/?%zz=%%&utm=%E0%A4%A');
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('heading', { level: 1, name: 'Course outline' })).toBeVisible();
});

test('pages carry Open Graph metadata and the sitemap lists every lesson', async ({ page, request }) => {
  await page.goto('/lessons/slos/04-burn-rate-alerts/');
  await expect(page.locator('meta[property="og:type"]')).toHaveAttribute('content', 'article');
  await expect(page.locator('meta[property="og:title"]')).toHaveAttribute('content', /burn/i);
  await expect(page.locator('meta[property="og:image"]')).toHaveAttribute('content', /\/og\.png$/);
  const image = await request.get('/og.png');
  expect(image.headers()['content-type']).toBe('image/png');

  const index = await request.get('/sitemap-index.xml');
  expect(index.status()).toBe(200);
  const sitemap = await (await request.get('/sitemap-0.xml')).text();
  expect(sitemap).toContain('/lessons/slos/04-burn-rate-alerts/');
  expect(sitemap).not.toContain('/404');
});
