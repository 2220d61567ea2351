import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';

const lessonsDir = path.resolve(import.meta.dirname, '../../content/lessons');
const glossaryDir = path.resolve(import.meta.dirname, '../../content/glossary');

// Pagefind stems and matches loosely, so other pages may follow; the lesson must rank first.
/** A word found in exactly one lesson, and only in its body (not its title or description). */
function wordOnlyInOneLessonBody(): { word: string; url: string; title: string } {
  const lessons = readdirSync(lessonsDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.mdx'))
    .map((f) => {
      const source = readFileSync(path.join(lessonsDir, f), 'utf8');
      const [, frontmatter = '', body = ''] = source.split(/^---$/m);
      const prose = body
        .replace(/```[\s\S]*?```/g, ' ')
        .replace(/<svg[\s\S]*?<\/svg>/g, ' ')
        .replace(/<[^>]*>/g, ' ')
        .replace(/`[^`]*`/g, ' ');
      const title = /^title:\s*"?(.*?)"?\s*$/m.exec(frontmatter)?.[1] ?? '';
      return {
        id: f.replace(/\.mdx$/, ''),
        title,
        frontmatter: frontmatter.toLowerCase(),
        words: new Set(prose.toLowerCase().match(/\b[a-z]{9,}\b/g) ?? []),
      };
    });
  const glossary = readdirSync(glossaryDir)
    .map((f) => readFileSync(path.join(glossaryDir, f), 'utf8'))
    .join(' ')
    .toLowerCase();
  for (const lesson of lessons) {
    for (const word of [...lesson.words].sort()) {
      const elsewhere = lessons.some((other) => other !== lesson && (other.words.has(word) || other.frontmatter.includes(word)));
      if (!elsewhere && !lesson.frontmatter.includes(word) && !glossary.includes(word))
        return { word, url: `/lessons/${lesson.id}/`, title: lesson.title };
    }
  }
  throw new Error('no word appears in exactly one lesson body');
}

test('search finds a lesson by a word that appears only in its body', async ({ page }) => {
  const target = wordOnlyInOneLessonBody();
  await page.goto('/');
  await page.getByRole('searchbox', { name: 'Search lessons' }).fill(target.word);
  await page.getByRole('searchbox', { name: 'Search lessons' }).press('Enter');
  await expect(page).toHaveURL(new RegExp(`/search/\\?q=${target.word}`));
  await expect(page.getByRole('status')).toHaveText(/\d+ results? for/);
  const result = page.locator('#search-results').getByRole('link').first();
  await expect(result).toHaveText(target.title);
  await result.click();
  await expect(page).toHaveURL(new RegExp(`${target.url.replaceAll('/', '\\/')}`));
});

test('a search with no matches says so', async ({ page }) => {
  await page.goto('/search/?q=qqqq');
  await expect(page.getByRole('status')).toHaveText('No results for “qqqq”.');
});
