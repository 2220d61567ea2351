import { expect, test } from '@playwright/test';

const background = (page: import('@playwright/test').Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

test('the theme follows the system setting until the reader picks one', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/');
  expect(await background(page)).toBe('rgb(15, 21, 27)');
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await background(page)).toBe('rgb(255, 255, 255)');
});

test('the chosen theme persists across pages and reloads', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  expect(await background(page)).toBe('rgb(15, 21, 27)');
  await page.goto('/lessons/');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await background(page)).toBe('rgb(15, 21, 27)');
  await page.reload();
  expect(await background(page)).toBe('rgb(15, 21, 27)');
  await page.getByRole('button', { name: 'Switch to light theme' }).click();
  await page.reload();
  expect(await background(page)).toBe('rgb(255, 255, 255)');
});
