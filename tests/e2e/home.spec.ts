// What a first visit shows: text where interpolated numbers keep their spaces on every page, and
// home page grids laid out for the number of things they hold.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

// Names in which letters and digits belong together: encodings, protocols, algorithms, tools. The
// check only looks at words of three or more lowercase letters, so "p99", "k6" and "ISO8601" never
// reach it; these are the longer ones running text may use ("wrk2" is Gil Tene's load generator).
const LETTERS_AND_DIGITS = new Set([
  'utf8',
  'http2',
  'http3',
  'sha256',
  'sha512',
  'base64',
  'ed25519',
  'ipv4',
  'ipv6',
  'int64',
  'float64',
  'wrk2',
]);

/**
 * Places where an interpolated number lost the space before or after it: "study18 lessons" (a word
 * of three or more lowercase letters, digits, a space and another word) or "18lessons".
 */
function findGluedNumbers(text: string): string[] {
  const hits: string[] = [];
  for (const match of text.matchAll(/\b([a-z]{3,}\d+) +[a-z]+/g)) if (!LETTERS_AND_DIGITS.has(match[1] ?? '')) hits.push(match[0]);
  for (const match of text.matchAll(/\b\d+[a-z]{3,}\b/g)) hits.push(match[0]);
  return hits;
}

/** The page's text as a reader sees it, without code (where `sha256sum` or `rate5m` are fine). */
async function readableText(page: Page): Promise<string> {
  await page.addStyleTag({ content: 'pre, code, kbd, samp { display: none !important; }' });
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point: innerText breaks lines between blocks and leaves out hidden code, textContent would glue them.
  return page.evaluate(() => document.body.innerText);
}

test('the glued-number check finds "study18 lessons" and lets p99, k6, ISO8601 and utf8 through', () => {
  expect(findGluedNumbers('Watch the sessions on demand, study18 lessons, practise in labs.')).toEqual(['study18 lessons']);
  expect(findGluedNumbers('There are 18lessons here.')).toEqual(['18lessons']);
  expect(findGluedNumbers('Watch them, study 18 lessons, then read p99 latency from k6 output.')).toEqual([]);
  expect(findGluedNumbers('Dates are ISO8601 strings, bodies are utf8 text, keys are ed25519 pairs; 5xx errors, 3rd step, 250ms.')).toEqual(
    [],
  );
});

test('the home page says how many lessons there are, with a space either side of the number', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByText(/sessions on demand, study \d+ lessons, practise/)).toBeVisible();
});

test('no built page, and no server-rendered page a learner sees, glues a word to a number', async ({ page, learner }) => {
  const root = path.resolve('dist/client');
  const files = (await readdir(root, { recursive: true })).filter((file) => file.endsWith('.html') && !file.startsWith('pagefind'));
  expect(files.length).toBeGreaterThan(20);
  const paths = files.map((file) => `/${file.replace(/(^|\/)index\.html$/, '$1').replace(/\.html$/, '')}`);
  paths.push('/dashboard/', '/exam/', '/account/', '/verify', '/signin/', '/signup/');
  const glued: string[] = [];
  for (const url of paths) {
    await page.goto(url);
    // The fixture's name and address end in random letters and digits ("Ada Tester 4kqz"): data, not glue.
    const text = (await readableText(page)).replaceAll(learner.name, 'Ada Tester').replaceAll(learner.email, 'ada@example.com');
    for (const hit of findGluedNumbers(text)) glued.push(`${url}: "${hit}"`);
  }
  expect(glued).toEqual([]);
});

test('at 1280 px the five certification steps share one row, and stack on a phone', async ({ page }) => {
  await page.goto('/');
  const steps = page.getByRole('region', { name: 'The certification path' }).getByRole('listitem');
  await expect(steps).toHaveCount(5);
  const wide = await Promise.all((await steps.all()).map((step) => step.boundingBox()));
  expect(new Set(wide.map((box) => Math.round(box?.y ?? -1))).size).toBe(1);
  await page.setViewportSize({ width: 390, height: 844 });
  const narrow = await Promise.all((await steps.all()).map((step) => step.boundingBox()));
  for (let i = 1; i < narrow.length; i++)
    expect(narrow[i]?.y ?? 0).toBeGreaterThan((narrow[i - 1]?.y ?? 0) + (narrow[i - 1]?.height ?? 0) - 1);
});

test('one, two or three lab cards fill one row in equal parts at 1280 px', async ({ page }) => {
  await page.goto('/');
  const list = page.getByRole('region', { name: 'Hands-on labs' }).getByRole('list');
  const layout = () =>
    list.evaluate((ul) => {
      const width = ul.getBoundingClientRect().width;
      const gap = Number.parseFloat(getComputedStyle(ul).columnGap) || 0;
      const cards = [...ul.children].map((li) => li.getBoundingClientRect());
      return { width, gap, tops: new Set(cards.map((c) => Math.round(c.top))).size, widths: cards.map((c) => c.width) };
    });
  const labs = await list.getByRole('listitem').count();
  expect(labs).toBeGreaterThan(0);
  for (let count = labs; count <= 3; count++) {
    // Today's site has fewer labs than it will: more cards are copies of the first.
    await list.evaluate((ul, n) => {
      while (ul.children.length < n) ul.append((ul.children[0] as HTMLElement).cloneNode(true));
    }, count);
    const { width, gap, tops, widths } = await layout();
    expect(tops, `${count} cards`).toBe(1);
    for (const cardWidth of widths) expect(cardWidth, `${count} cards`).toBeCloseTo((width - gap * (count - 1)) / count, 0);
  }
});
