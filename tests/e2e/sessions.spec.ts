import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

const SESSION = '/sessions/load-testing-with-k6/';

const video = (page: Page) => page.locator('[data-session] video');
const currentTime = (page: Page) => video(page).evaluate((v: HTMLVideoElement) => v.currentTime);

async function play(page: Page, rate = 2) {
  await video(page).evaluate((v: HTMLVideoElement, r) => {
    v.muted = true;
    v.playbackRate = r;
  }, rate);
  await page.locator('media-play-button').first().click();
  await expect.poll(() => video(page).evaluate((v: HTMLVideoElement) => !v.paused)).toBe(true);
}

test('the sessions page lists the four recordings', async ({ page }) => {
  await page.goto('/sessions/');
  await expect(page.locator('[data-session-id]')).toHaveCount(4);
  await page.getByRole('link', { name: /Grafana k6/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('k6');
});

test('a learner plays a session for about 20 seconds, reloads, and resumes near 20 seconds', async ({ page, learner }) => {
  expect(learner.userId).not.toBe('');
  await page.goto(SESSION);
  await play(page);
  await expect.poll(() => currentTime(page), { timeout: 20_000 }).toBeGreaterThan(20);
  const saved = page.waitForResponse(
    (r) => r.url().includes('/api/progress/sessions/') && r.request().method() === 'POST' && r.status() === 200,
  );
  await page.locator('media-play-button').first().click(); // pause → saves
  const stoppedAt = await currentTime(page);
  await saved;
  await page.reload();
  await expect(page.getByRole('status').filter({ hasText: 'Resuming where you stopped' })).toBeVisible();
  expect(Math.abs((await currentTime(page)) - stoppedAt)).toBeLessThan(1.5);
  // Start over seeks to the beginning and plays on: the position the seek lands on is read when it
  // lands, since by the time a poll runs on a busy machine the video has already moved on.
  await video(page).evaluate((v: HTMLVideoElement) => {
    (window as unknown as { landed: Promise<number> }).landed = new Promise((resolve) =>
      v.addEventListener('seeked', () => resolve(v.currentTime), { once: true }),
    );
  });
  await page.getByRole('button', { name: 'Start over' }).click();
  expect(await page.evaluate(() => (window as unknown as { landed: Promise<number> }).landed)).toBeLessThan(3);
  await expect(page.getByRole('status').filter({ hasText: 'Resuming where you stopped' })).toBeHidden();
});

test('a transcript click seeks, and the current cue is highlighted', async ({ page }) => {
  await page.goto(SESSION);
  const cue = page.locator('[data-cues] button').nth(12);
  const start = Number(await cue.getAttribute('data-start'));
  await cue.click();
  await expect.poll(() => currentTime(page)).toBeGreaterThanOrEqual(start - 0.2);
  await expect(cue).toHaveAttribute('aria-current', 'true');
});

test('captions are present, on by default and can be switched off', async ({ page }) => {
  await page.goto(SESSION);
  const tracks = () =>
    video(page).evaluate((v: HTMLVideoElement) => [...v.textTracks].map((t) => ({ kind: t.kind, lang: t.language, mode: t.mode })));
  await expect.poll(tracks).toContainEqual({ kind: 'captions', lang: 'en', mode: 'showing' });
  expect(await tracks()).toContainEqual(expect.objectContaining({ kind: 'chapters' }));
  await page.locator('media-captions-menu-button').click();
  await page.getByRole('menuitemradio', { name: /off/i }).click();
  await expect.poll(async () => (await tracks()).find((t) => t.kind === 'captions')?.mode).not.toBe('showing');
});

test('the transcript can be searched and downloaded, and ?t= deep links seek', async ({ page }) => {
  await page.goto(`${SESSION}?t=95`);
  await expect.poll(() => currentTime(page)).toBeGreaterThanOrEqual(94.5);
  await page.getByLabel('Search the transcript').fill('coordinated omission');
  await expect(page.locator('.transcript-status')).toHaveText(/\d+ lines? match/);
  const visible = page.locator('[data-cues] li:not([hidden])');
  expect(await visible.count()).toBeGreaterThan(0);
  await expect(visible.first().locator('mark')).toHaveText(/coordinated omission/i);
  const download = await page.request.get((await page.getByRole('link', { name: 'Download (.txt)' }).getAttribute('href')) ?? '');
  expect(download.status()).toBe(200);
  expect(await download.text()).toContain('Grafana k6');
});

test('chapter buttons seek to the chapter start', async ({ page }) => {
  await page.goto(SESSION);
  const chapter = page.locator('.chapters button').nth(2);
  const start = Number(await chapter.getAttribute('data-seek'));
  await chapter.click();
  await expect.poll(() => currentTime(page)).toBeGreaterThanOrEqual(start - 0.2);
});
