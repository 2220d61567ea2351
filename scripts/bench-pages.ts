// npm run bench:pages — builds the site, then weighs the home page, a typical lesson page and the
// heaviest page: HTML, CSS and JS bytes (raw and gzip; inline <script> counts as JS, inline
// <style> as CSS) and the number of requests a first visit makes. The baseline, measured in the
// same run, is the lesson's own content as bare HTML (what any site must ship for it), so the
// ratio is the cost of everything around the content. Budget (issue 2): lesson page ≤ 8 KB gzip JS
// and ≤ 30 KB gzip HTML+CSS.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const root = path.resolve(import.meta.dirname, '..');
const site = path.join(root, 'dist/client');

if (!process.argv.includes('--no-build')) {
  const build = spawnSync('npm', ['run', 'build', '--silent'], {
    cwd: root,
    stdio: 'ignore',
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
  });
  if (build.status !== 0) {
    console.error('bench:pages: the build failed; run `npm run build` to see why');
    process.exit(1);
  }
}

interface Weight {
  page: string;
  html: [number, number];
  css: [number, number];
  js: [number, number];
  requests: number;
}

const gz = (text: string | Buffer) => gzipSync(text).length;
const pair = (text: string | Buffer): [number, number] => [Buffer.byteLength(text), gz(text)];
const add = (a: [number, number], b: [number, number]): [number, number] => [a[0] + b[0], a[1] + b[1]];

function asset(url: string): Buffer {
  return readFileSync(path.join(site, url.split('?')[0] ?? url));
}

function weigh(page: string): Weight {
  const file = path.join(site, page.endsWith('/') ? `${page}index.html` : page);
  let html = readFileSync(file, 'utf8');
  let css: [number, number] = [0, 0];
  let js: [number, number] = [0, 0];
  let requests = 1;
  for (const m of html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)) css = add(css, pair(m[1] ?? ''));
  for (const m of html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)) js = add(js, pair(m[1] ?? ''));
  for (const m of html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)) {
    js = add(js, pair(asset(m[1] ?? '')));
    requests += 1;
  }
  for (const m of html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)) {
    css = add(css, pair(asset(m[1] ?? '')));
    requests += 1;
  }
  for (const m of html.matchAll(/<link[^>]*rel="(?:modulepreload|icon)"[^>]*href="([^"]+)"|<img[^>]*src="([^"]+)"/g)) {
    if (!(m[1] ?? m[2] ?? '').startsWith('data:')) requests += 1;
  }
  // Imports inside bundled modules are fetched too.
  for (const m of html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)) {
    for (const dep of asset(m[1] ?? '')
      .toString()
      .matchAll(/from\s*"(\.\/[^"]+\.js)"/g)) {
      js = add(js, pair(asset(path.posix.join(path.posix.dirname(m[1] ?? ''), dep[1] ?? ''))));
      requests += 1;
    }
  }
  html = html.replace(/<style[^>]*>[\s\S]*?<\/style>/g, '').replace(/<script[^>]*>[\s\S]*?<\/script>/g, '');
  return { page, html: pair(html), css, js, requests };
}

function allPages(dir = site): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'pagefind' ? [] : allPages(full);
    return name.endsWith('.html') ? [`/${path.relative(site, full).replace(/index\.html$/, '')}`] : [];
  });
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const pages = allPages();
const lessons = pages.filter((p) => /^\/lessons\/[^/]+\/\d\d-/.test(p)).map(weigh);
const byTotal = (w: Weight) => w.html[1] + w.css[1] + w.js[1];
const typical = [...lessons].sort((a, b) => byTotal(a) - byTotal(b))[Math.floor(lessons.length / 2)];
const heaviest = pages.map(weigh).sort((a, b) => byTotal(b) - byTotal(a))[0];
if (!typical || !heaviest) throw new Error('no lesson pages were built');

const lessonHtml = readFileSync(path.join(site, `${typical.page}index.html`), 'utf8');
const article = /<div class="prose">([\s\S]*?)<nav class="pager"/.exec(lessonHtml)?.[1] ?? '';
const baseline = pair(article);

const rows = [
  ['home', weigh('/')],
  ['typical lesson', typical],
  ['heaviest page', heaviest],
] as const;
console.log(`pages built: ${pages.length} (${lessons.length} lessons)\n`);
console.log(
  'page             path                                                      HTML raw/gzip      CSS raw/gzip       JS raw/gzip      requests',
);
for (const [label, w] of rows) {
  console.log(
    `${label.padEnd(16)} ${w.page.padEnd(57)} ${`${kb(w.html[0])}/${kb(w.html[1])}`.padEnd(18)} ${`${kb(w.css[0])}/${kb(w.css[1])}`.padEnd(18)} ${`${kb(w.js[0])}/${kb(w.js[1])}`.padEnd(16)} ${w.requests}`,
  );
}
const shipped = typical.html[1] + typical.css[1] + typical.js[1];
console.log(`\nbaseline (same run): the typical lesson's content alone as bare HTML = ${kb(baseline[0])} raw / ${kb(baseline[1])} gzip`);
console.log(`typical lesson ships ${kb(shipped)} gzip in all = ${(shipped / baseline[1]).toFixed(2)}× its bare content`);
console.log(
  `budget: JS ${kb(typical.js[1])} of 8 KB gzip (${typical.js[1] <= 8192 ? 'within' : 'OVER'}), HTML+CSS ${kb(typical.html[1] + typical.css[1])} of 30 KB gzip (${typical.html[1] + typical.css[1] <= 30 * 1024 ? 'within' : 'OVER'})`,
);
console.log('for scale (published, not measured here): Starlight 0.42 lesson page = 8.2 KB JS, 16.2 KB CSS, 6.6 KB HTML gzip');
