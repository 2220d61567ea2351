import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';

const pages = [
  { name: 'home', path: '/' },
  { name: 'outline', path: '/lessons/' },
  { name: 'module', path: '/lessons/slos/' },
  { name: 'lesson', path: '/lessons/load-testing/04-percentiles-and-coordinated-omission/' },
  { name: 'glossary', path: '/glossary/' },
  { name: 'search results', path: '/search/?q=latency', ready: '#search-results li' },
  { name: '404', path: '/no-such-page' },
];

for (const scheme of ['light', 'dark'] as const) {
  for (const { name, path, ready } of pages) {
    test(`${name} page (${scheme}) has no serious or critical axe violations`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(path);
      if (ready) await page.locator(ready).first().waitFor();
      const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
      const blocking = results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      expect(blocking).toEqual([]);
    });
  }
}

test('the page can be used from the keyboard alone', async ({ page }) => {
  await page.goto('/lessons/');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();

  await page.goto('/');
  const search = page.getByRole('searchbox', { name: 'Search lessons' });
  for (let i = 0; i < 10 && !(await search.evaluate((el) => el === document.activeElement)); i += 1) await page.keyboard.press('Tab');
  await expect(search).toBeFocused();
  await page.keyboard.type('burn rate');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/search\/\?q=burn\+rate/);
  await page.locator('#search-results a').first().waitFor();
  await page.keyboard.press('Tab');
  for (let i = 0; i < 15 && !(await page.evaluate(() => document.activeElement?.closest('#search-results') !== null)); i += 1)
    await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/lessons\//);
});

test.describe('account and session pages', () => {
  for (const path of ['/signin/', '/signup/', '/forgot-password/', '/sessions/', '/sessions/roundtable/']) {
    test(`${path} has no serious or critical axe violations`, async ({ page }) => {
      await page.goto(path);
      const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
      const blocking = results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      expect(blocking).toEqual([]);
    });
  }
});

test.describe('signed-in pages', () => {
  for (const path of ['/dashboard/', '/account/']) {
    test(`${path} has no serious or critical axe violations`, async ({ browser, baseURL }) => {
      const { createLearner, signInContext } = await import('./fixtures.ts');
      const context = await browser.newContext();
      await signInContext(context, baseURL ?? '', await createLearner());
      const page = await context.newPage();
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
      const blocking = results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      expect(blocking).toEqual([]);
      await context.close();
    });
  }
});
