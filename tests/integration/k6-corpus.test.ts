// A corpus of k6 scripts in the style of k6's documentation and Grafana's training, written by us
// (tests/fixtures/k6-scripts), run through `npm run k6 -- run` as a learner would run them:
// exit codes, checks, summaries and the JSON output are k6's.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const fixtures = path.join(root, 'tests/fixtures/k6-scripts');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'headroom-k6-corpus-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface K6Run {
  code: number;
  stdout: string;
  stderr: string;
}

function k6(script: string, ...flags: string[]): Promise<K6Run> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      // The legacy layout keeps one line per metric, which the assertions read; the compact one has its own test.
      [
        'run',
        '--silent',
        'k6',
        '--',
        'run',
        path.join(fixtures, script),
        ...(flags.some((f) => f.startsWith('--summary-mode')) ? [] : ['--summary-mode=legacy']),
        ...flags,
      ],
      { cwd: root, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error && typeof error.code === 'number' ? error.code : error ? -1 : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The count after `name....: ` in the legacy summary, e.g. http_reqs or iterations. */
function summaryCount(stdout: string, metric: string): number {
  const line = stdout.split('\n').find((l) => l.trimStart().startsWith(`${metric}.`) || l.includes(` ${metric}.`));
  const match = line ? /:\s+(\d+)/.exec(line) : null;
  if (!match) throw new Error(`no ${metric} line in the summary:\n${stdout}`);
  return Number(match[1]);
}

describe('npm run k6 -- run', () => {
  it('runs a smoke test to the end with passing checks and thresholds, exiting 0', async () => {
    const run = await k6('smoke.js');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('✓ status is 200');
    expect(run.stdout).toMatch(/✓ http_req_duration\.+:/);
    expect(run.stdout).toMatch(/checks\.+: 100\.00%/);
    expect(summaryCount(run.stdout, 'iterations')).toBe(10);
  });

  it('exits 99 and names the metric when a threshold is crossed', async () => {
    const run = await k6('thresholds-fail.js');
    expect(run.code).toBe(99);
    expect(run.stdout).toMatch(/✗ http_req_duration\.+:/);
    expect(run.stderr).toContain("thresholds on metrics 'http_req_duration' have been crossed");
  });

  it('exits 107 with the line of an exception thrown in the init context', async () => {
    const run = await k6('init-error.js');
    expect(run.code).toBe(107);
    expect(run.stderr).toMatch(/line 4/);
    expect(run.stdout).not.toContain('http_reqs');
  });

  it('exits 108 after exec.test.abort(), with the summary of what ran before it', async () => {
    const run = await k6('abort.js');
    expect(run.code).toBe(108);
    expect(run.stderr).toContain('test aborted: enough data after three iterations');
    expect(summaryCount(run.stdout, 'http_reqs')).toBe(3);
  });

  it('exits 104 for an invalid configuration, suggesting the executor meant', async () => {
    const run = await k6('invalid-options.js');
    expect(run.code).toBe(104);
    expect(run.stderr).toContain('did you mean "constant-arrival-rate"');
  });

  it('lets -e, --vus and --iterations override the script', async () => {
    const run = await k6('env-and-flags.js', '-e', 'PRODUCT=7', '--vus', '3', '--iterations', '9');
    expect(run.code).toBe(0);
    expect(summaryCount(run.stdout, 'iterations')).toBe(9);
    expect(run.stdout).toContain('✓ VU id within --vus');
    const missing = await k6('env-and-flags.js', '--iterations=2');
    expect(missing.code).toBe(108);
    expect(missing.stderr).toContain('run with -e PRODUCT=<id>');
  });

  it('writes every sample as k6 JSON lines with --out json', async () => {
    const file = path.join(scratch, 'smoke.json');
    const run = await k6('smoke.js', '--out', `json=${file}`, '--summary-mode', 'disabled');
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('http_reqs');
    const lines = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    const metric = lines.find((l) => l.type === 'Metric' && l.metric === 'http_req_duration');
    expect(metric.data).toMatchObject({ name: 'http_req_duration', type: 'trend', contains: 'time', thresholds: ['p(95)<500'] });
    const points = lines.filter((l) => l.type === 'Point' && l.metric === 'http_reqs');
    expect(points).toHaveLength(10);
    expect(points[0].data.tags).toMatchObject({ method: 'GET', status: '200', scenario: 'default' });
    expect(points[0].data.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(lines.every((l) => l.type === 'Metric' || l.type === 'Point')).toBe(true);
  });

  it('answers a host no target serves like an unresolvable one, and a thrown iteration still costs virtual time', async () => {
    const run = await k6('unknown-host.js');
    expect(run.code).toBe(0);
    for (const check of ['status is 0', 'error code 1101', 'error names the lookup']) expect(run.stdout).toContain(`✓ ${check}`);
    expect(run.stderr).toContain('lookup api.unknown-shop.test: no such host');
    expect(run.stderr).toContain('cannot parse json due to an empty body at line 17');
    // Each iteration: a 2 ms failed lookup plus 1 ms for the exception, on 2 VUs for 5 s.
    expect(summaryCount(run.stdout, 'iterations')).toBe(3334);
    expect(run.stdout).toMatch(/http_req_failed\.+: 100\.00%/);
  });

  it.each([
    ['httpbin-requests.js', 16],
    ['httpbin-redirects-cookies.js', 9],
    ['httpbin-auth-delay.js', 6],
    ['encoding-crypto.js', 10],
    ['quickpizza-recommendations.js', 5],
    ['quickpizza-login-ratings.js', 9],
    ['quickpizza-csrf-login.js', 6],
    ['html-forms.js', 13],
  ])('runs %s against the built-in targets with every one of its %i checks passing', async (script, checks) => {
    const run = await k6(script);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    // Check lines are the marked lines without a metric's dotted leader.
    const checkLines = (mark: string) => lines.filter((line) => line.trimStart().startsWith(`${mark} `) && !/\.{3,}:/.test(line));
    expect(checkLines('✗')).toEqual([]);
    expect(checkLines('✓')).toHaveLength(checks);
    expect(run.stdout).toMatch(/✓ checks\.+: 100\.00%/);
  });

  it('reads test data with open() into a SharedArray and lets handleSummary() print and write the summary', async () => {
    const file = path.join(scratch, 'summary.json');
    const run = await k6('shared-data-summary.js', '-e', `SUMMARY_FILE=${file}`);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('CUSTOM SUMMARY');
    expect(run.stdout).toContain('✓ shared data is read-only');
    expect(run.stdout).toMatch(/iterations\.+: 8 /);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ checks: { rate: 1, passes: 24, fails: 0 }, iterations: 8 });
  });

  it('counts only unexpected statuses as failed requests after http.setResponseCallback()', async () => {
    const run = await k6('expected-statuses.js');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/✓ http_req_failed\.+: 0\.00%/);
    expect(summaryCount(run.stdout, 'http_reqs')).toBe(8);
  });

  it('stops before the start on a module the runtime lacks, naming the import and its line', async () => {
    const run = await k6('unsupported-module.js');
    expect(run.code).toBe(107);
    expect(run.stderr).toContain('line 4: import of "k6/ws": this k6 module is not available in the lab runtime');
  });

  it("prints k6's current compact summary by default: thresholds, then totals grouped by kind", async () => {
    const run = await k6('smoke.js', '--summary-mode', 'compact');
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toContain('█ THRESHOLDS');
    expect(out).toMatch(/✓ 'p\(95\)<500' p\(95\)=\d/);
    expect(out).toMatch(/✓ 'rate<0\.01' rate=0\.00%/);
    expect(out).toContain('█ TOTAL RESULTS');
    expect(out).toMatch(/checks_total\.+: 10 /);
    expect(out).toMatch(/checks_succeeded\.+: 100\.00% 10 out of 10/);
    expect(out).toMatch(/http_req_failed\.+: 0\.00% +0 out of 10/);
    expect(out.indexOf('    HTTP')).toBeLessThan(out.indexOf('    EXECUTION'));
    expect(out.indexOf('    EXECUTION')).toBeLessThan(out.indexOf('    NETWORK'));
    expect(out).not.toContain('http_req_blocked');
    const full = await k6('smoke.js', '--summary-mode', 'full');
    expect(full.stdout).toContain('http_req_blocked');
  });

  it('refuses an unknown flag with the usage text', async () => {
    const run = await k6('smoke.js', '--vu', '3');
    expect(run.code).toBe(255);
    expect(run.stderr).toContain('unknown flag: --vu');
    expect(run.stderr).toContain('Usage: npm run k6 -- run');
  });
});
