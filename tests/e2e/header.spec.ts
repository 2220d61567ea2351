// The site header: one row on a desktop whoever is signed in, one compact row with a menu button on
// a phone, the same height signed in and out (so nothing moves when the learner's links appear),
// and the search box wide enough for its placeholder.
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from '@playwright/test';
import { createLearner, expect, signInContext, test } from './fixtures.ts';

type Visitor = 'signed out' | 'learner' | 'instructor';

async function openAs(browser: Browser, baseURL: string, visitor: Visitor, width: number): Promise<Page> {
  const context = await browser.newContext({ baseURL, viewport: { width, height: width < 600 ? 844 : 800 } });
  if (visitor !== 'signed out') await signInContext(context, baseURL, await createLearner(visitor));
  // Layout shifts from the very first paint, summed as the CLS score does.
  await context.addInitScript(() => {
    const w = window as unknown as { layoutShift: number };
    w.layoutShift = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[])
        if (!entry.hadRecentInput) w.layoutShift += entry.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
  return context.newPage();
}

/** How far apart the shown header controls are vertically, the header's height, and any overflow. */
function headerGeometry(page: Page) {
  return page.evaluate(() => {
    const header = document.querySelector('header') as HTMLElement;
    const bar = header.querySelector('.bar') as HTMLElement;
    const controls = [...header.querySelectorAll('a, button, input')].filter((e) => (e as HTMLElement).checkVisibility());
    const centres = controls.map((e) => {
      const box = e.getBoundingClientRect();
      return Math.round(box.top + box.height / 2);
    });
    return {
      height: header.getBoundingClientRect().height,
      mainTop: (document.querySelector('main') as HTMLElement).getBoundingClientRect().top,
      // Controls in one row are centred within a few pixels; a second row sits a whole row lower.
      rowSpread: Math.max(...centres) - Math.min(...centres),
      overflow: bar.scrollWidth - bar.clientWidth + (document.documentElement.scrollWidth - document.documentElement.clientWidth),
    };
  });
}

/**
 * How far the placeholder overflows the search box (≤ 0: shown in full). Measured by typing the
 * placeholder in: the field then scrolls exactly when the text does not fit beside the clear button.
 */
function placeholderOverflow(page: Page) {
  return page.getByRole('searchbox', { name: 'Search lessons' }).evaluate((input: HTMLInputElement) => {
    input.value = input.placeholder;
    const overflow = input.scrollWidth - input.clientWidth;
    input.value = '';
    return overflow;
  });
}

test('at 1280 px the header is one row signed out, signed in and as an instructor, always the same height', async ({
  browser,
  baseURL,
}) => {
  const heights: number[] = [];
  for (const visitor of ['signed out', 'learner', 'instructor'] as const) {
    const page = await openAs(browser, baseURL ?? '', visitor, 1280);
    // /account/ is rendered on the server, with the instructor's Admin link; / is prerendered.
    for (const path of visitor === 'signed out' ? ['/'] : ['/', '/account/']) {
      await page.goto(path);
      const nav = page.getByRole('navigation', { name: 'Main' });
      if (visitor === 'instructor' && path === '/account/') await expect(nav.getByRole('link', { name: 'Admin' })).toBeVisible();
      if (visitor !== 'signed out') await expect(nav.getByRole('link', { name: 'Dashboard' })).toBeVisible();
      await expect(page.getByRole('button', { name: 'Menu' })).toBeHidden();
      const geometry = await headerGeometry(page);
      expect(geometry.rowSpread, `${visitor} on ${path}`).toBeLessThan(12);
      expect(geometry.overflow, `${visitor} on ${path}`).toBeLessThanOrEqual(0);
      expect(await placeholderOverflow(page), `${visitor} on ${path}`).toBeLessThanOrEqual(0);
      heights.push(geometry.height);
    }
    await page.context().close();
  }
  expect(new Set(heights).size).toBe(1);
});

test('signed out, "Create account" sits beside "Sign in" and leads to the sign-up form', async ({ page }) => {
  await page.goto('/');
  const nav = page.getByRole('navigation', { name: 'Main' });
  const signIn = await nav.getByRole('link', { name: 'Sign in' }).boundingBox();
  const createAccount = await nav.getByRole('link', { name: 'Create account' }).boundingBox();
  expect(signIn && createAccount).toBeTruthy();
  if (!signIn || !createAccount) return;
  expect(Math.abs(signIn.y - createAccount.y)).toBeLessThan(4);
  expect(createAccount.x - (signIn.x + signIn.width)).toBeGreaterThan(0);
  expect(createAccount.x - (signIn.x + signIn.width)).toBeLessThan(32);
  await nav.getByRole('link', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/signup\/$/);
  await expect(page.getByRole('button', { name: 'Create account' })).toBeVisible();
});

test('on a 390 px phone the header is one compact row whose menu button opens and closes the navigation', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/lessons/');
  const geometry = await headerGeometry(page);
  expect(geometry.rowSpread).toBeLessThan(12);
  expect(geometry.height).toBeLessThan(70);
  expect(geometry.overflow).toBeLessThanOrEqual(0);

  const menu = page.getByRole('button', { name: 'Menu' });
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  const controlled = await menu.getAttribute('aria-controls');
  expect(controlled).toBeTruthy();
  await expect(page.locator(`[id="${controlled}"]`)).toBeHidden();
  await expect(nav.getByRole('link', { name: 'Course outline' })).toBeHidden();

  // Keyboard: Enter opens, Tab walks into the menu, Escape closes it and returns to the button.
  await menu.focus();
  await page.keyboard.press('Enter');
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await expect(page.locator(`[id="${controlled}"]`)).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Course outline' })).toHaveAttribute('aria-current', 'page');
  await page.keyboard.press('Tab');
  await expect(nav.getByRole('link', { name: 'Course outline' })).toBeFocused();
  await expect(nav.getByRole('link', { name: 'Create account' })).toBeVisible();
  expect(await placeholderOverflow(page)).toBeLessThanOrEqual(0);
  await page.keyboard.press('Escape');
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(menu).toBeFocused();
  await expect(nav.getByRole('link', { name: 'Course outline' })).toBeHidden();

  // A click outside the header closes it too; a link inside navigates.
  await menu.click();
  await expect(nav.getByRole('link', { name: 'Glossary' })).toBeVisible();
  await page.getByRole('heading', { level: 1 }).click();
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await menu.click();
  await nav.getByRole('link', { name: 'Glossary' }).click();
  await expect(page).toHaveURL(/\/glossary\/$/);
});

test('the learner’s links appear without moving anything, on a desktop and on a phone', async ({ browser, baseURL }) => {
  for (const width of [1280, 390]) {
    const tops: number[] = [];
    for (const visitor of ['signed out', 'learner'] as const) {
      const page = await openAs(browser, baseURL ?? '', visitor, width);
      // The home page is prerendered: the signed-in links are switched on in the browser.
      await page.goto('/');
      const nav = page.getByRole('navigation', { name: 'Main' });
      if (width === 390) await page.getByRole('button', { name: 'Menu' }).click();
      await expect(nav.getByRole('link', { name: visitor === 'learner' ? 'Dashboard' : 'Sign in' })).toBeVisible();
      if (width === 390) await page.getByRole('button', { name: 'Menu' }).click();
      const geometry = await headerGeometry(page);
      tops.push(geometry.mainTop);
      expect(await page.evaluate(() => (window as unknown as { layoutShift: number }).layoutShift), `${visitor} at ${width} px`).toBe(0);
      await page.context().close();
    }
    expect(tops[0], `main starts at the same height signed in and out at ${width} px`).toBe(tops[1]);
  }
});

for (const scheme of ['light', 'dark'] as const) {
  test(`the phone header with its menu open has no serious or critical axe violations (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/');
    await page.getByRole('button', { name: 'Menu' }).click();
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in' })).toBeVisible();
    const results = await new AxeBuilder({ page })
      .include('header')
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
      .analyze();
    const blocking = results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(blocking).toEqual([]);
  });
}
