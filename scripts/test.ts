// The whole suite, as CI runs it (`npm test`): lint, types, content, unit and integration tests
// (SQLite and PostgreSQL), a production build, then the browser tests in the system Chromium.
// Fails at once, with instructions, when Chromium is missing: browser tests are never skipped.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CHROMIUM_INSTALL_HINT, chromiumPath } from '../tests/support/chromium.ts';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name: string) => path.join(root, 'node_modules/.bin', name);

try {
  chromiumPath();
} catch {
  console.error(`npm test: ${CHROMIUM_INSTALL_HINT}`);
  process.exit(1);
}

mkdirSync(path.join(root, '.tmp'), { recursive: true });
const env = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' };

function step(name: string, command: string, args: string[], check?: (output: string) => string | undefined): void {
  console.log(`\n▶ ${name}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, env, stdio: check ? ['inherit', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8' });
  if (check) process.stdout.write(result.stdout ?? '');
  const problem = result.status !== 0 ? `exit code ${result.status ?? result.signal}` : check?.(result.stdout ?? '');
  if (problem) {
    console.error(`\n✗ ${name} failed (${problem})`);
    process.exit(1);
  }
  console.log(`✓ ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

step('lint (Biome)', bin('biome'), ['check', '--error-on-warnings', '.']);
step('types (astro check)', bin('astro'), ['check'], (out) =>
  /- 0 errors\s+- 0 warnings/.test(out) ? undefined : 'astro check reported errors or warnings',
);
step('Prisma schemas in sync', process.execPath, ['scripts/db-schema.ts', '--check']);
step('content rules', process.execPath, ['scripts/content-check.ts']);
step('session recordings match their scripts', process.execPath, ['scripts/media-build.ts', '--check']);
step('exam item bank and blueprint', process.execPath, ['scripts/exam-items-check.ts']);
step('unit and integration tests (Vitest)', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  '--outputFile=.tmp/vitest.json',
]);
step('production build', 'npm', ['run', 'build', '--silent']);
step('end-to-end tests (Playwright, system Chromium)', bin('playwright'), ['test']);

function counts(file: string, pick: (json: Record<string, unknown>) => [number, number]): [number, number] {
  const full = path.join(root, file);
  return existsSync(full) ? pick(JSON.parse(readFileSync(full, 'utf8')) as Record<string, unknown>) : [0, 0];
}
const [unitPassed, unitFailed] = counts('.tmp/vitest.json', (j) => [Number(j['numPassedTests']), Number(j['numFailedTests'])]);
const [e2ePassed, e2eFailed] = counts('.tmp/playwright.json', (j) => {
  const stats = j['stats'] as { expected: number; unexpected: number; flaky: number };
  return [stats.expected, stats.unexpected + stats.flaky];
});
console.log(`\nunit+integration: ${unitPassed} passed, e2e: ${e2ePassed} passed`);
console.log(`${unitPassed + e2ePassed} passed, ${unitFailed + e2eFailed} failed`);
