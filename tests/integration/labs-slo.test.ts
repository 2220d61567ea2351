// The SLO lab on the server: every task's reference solution re-run in a worker thread gives the
// browser's digest, submissions through the API are verified and stored on SQLite and PostgreSQL,
// and input that does not load is refused with a clear 4xx before anything runs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExtraFiles } from '../../labs/runtime/lab/definition.ts';
import { runTask } from '../../labs/runtime/lab/run-task.ts';
import { runRuleTests } from '../../labs/runtime/promql/rules/index.ts';
import lab from '../../labs/slo-prometheus/lab.ts';
import { signUp } from '../../src/features/auth/accounts.server.ts';
import { passedTasks } from '../../src/features/labs/lab-runs.server.ts';
import { issueSeed } from '../../src/features/labs/seed.server.ts';
import { submitLabRun } from '../../src/features/labs/submit.server.ts';
import { verifySubmission } from '../../src/features/labs/verify.server.ts';
import { db } from '../../src/lib/server/db.server.ts';
import { prometheusPaths } from '../support/prometheus.ts';
import { PROVIDERS, useFreshDatabase } from '../support/use-database.ts';

const fixture = (name: string) => readFileSync(path.resolve(import.meta.dirname, '../../labs/slo-prometheus/fixtures', name), 'utf8');

/** Each task's reference solution: the first editor, the other files, the reported answer. */
function referenceSolutions(): { taskId: string; code: string; files: ExtraFiles; answer: string | null }[] {
  return [
    { taskId: 'availability-sli', code: fixture('availability-sli.promql'), files: {}, answer: null },
    {
      taskId: 'latency-sli',
      code: fixture('latency-sli.promql'),
      files: { p99: fixture('latency-p99.promql'), 'payments-p99': fixture('payments-p99.promql') },
      answer: null,
    },
    { taskId: 'error-budget', code: fixture('error-budget.promql'), files: { 'burn-rate': fixture('burn-rate.promql') }, answer: null },
    {
      taskId: 'burn-rate-alerts',
      code: fixture('burn-rate-alerts.rules.yml'),
      files: { 'tests.yml': fixture('burn-rate-alerts.test.yml') },
      answer: null,
    },
    { taskId: 'quality-gate', code: fixture('slo.yaml'), files: { 'sli.yaml': fixture('sli.yaml') }, answer: null },
  ];
}

async function learner(): Promise<string> {
  const created = await signUp({
    name: 'SLO Tester',
    email: `slo-${Date.now()}-${Math.random()}@example.com`,
    password: 'a perfectly fine passphrase',
  });
  if (!created.ok) throw new Error('sign-up failed');
  return created.value.userId;
}

function post(body: unknown): Request {
  return new Request(`http://127.0.0.1/api/labs/${lab.id}/submissions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('SLO lab verification in a worker thread', () => {
  it('re-runs every task’s reference solution with the digest and the pass of the in-process run', async () => {
    const seed = 4242;
    for (const solution of referenceSolutions()) {
      let answer = solution.answer;
      if (solution.taskId === 'quality-gate') {
        const first = await runTask(lab, solution.taskId, solution.code, seed, null, { files: solution.files });
        if (first.kind !== 'quality-gate') throw new Error('not a gate outcome');
        answer = String(first.gate.builds.find((b) => b.role === 'regressed')?.score);
      }
      const local = await runTask(lab, solution.taskId, solution.code, seed, answer, { files: solution.files });
      expect(local.verdict.pass, `${solution.taskId}: ${local.verdict.message}`).toBe(true);
      const verified = await verifySubmission({
        labId: lab.id,
        taskId: solution.taskId,
        code: solution.code,
        seed,
        answer,
        files: solution.files,
      });
      expect(verified.digest, solution.taskId).toBe(local.digest);
      expect(verified.verdict).toEqual(local.verdict);
    }
  }, 600_000);

  it('stops a query that would load more samples than the lab allows, with a clear message', async () => {
    const outcome = await runTask(lab, 'availability-sli', 'max_over_time(http_requests_total[30d:1s])', 5, null);
    expect(outcome.verdict.pass).toBe(false);
    if (outcome.kind !== 'promql') throw new Error('not a promql outcome');
    const result = outcome.promql.queries[0]?.outcome;
    expect(result?.ok).toBe(false);
    expect(result?.ok === false ? result.error.kind : '').toBe('too_many_samples');
    expect(outcome.verdict.message).toMatch(/failed/);
  }, 120_000);
});

describe('the burn-rate task’s reference files under the real promtool', () => {
  it('pass promtool check rules and promtool test rules, and a broken test fails in both', () => {
    const { promtool } = prometheusPaths();
    const dir = mkdtempSync(path.join(tmpdir(), 'slo-lab-'));
    try {
      const rules = fixture('burn-rate-alerts.rules.yml');
      const tests = fixture('burn-rate-alerts.test.yml');
      const broken = tests.replace(/0\+5x180/, '0+500x180');
      writeFileSync(path.join(dir, 'rules.yml'), rules);
      writeFileSync(path.join(dir, 'tests.yml'), tests);
      writeFileSync(path.join(dir, 'broken.yml'), broken);
      const run = (...args: string[]) => spawnSync(promtool, args, { cwd: dir, encoding: 'utf8', timeout: 60_000 });
      expect(run('check', 'rules', 'rules.yml').status).toBe(0);
      expect(run('test', 'rules', 'tests.yml').status).toBe(0);
      expect(run('test', 'rules', 'broken.yml').status).toBe(1);
      expect(runRuleTests({ 'rules.yml': rules }, tests).ok).toBe(true);
      expect(runRuleTests({ 'rules.yml': rules }, broken).ok).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each(PROVIDERS)('SLO lab submissions on %s', (provider) => {
  useFreshDatabase(provider);

  it('verifies a submission, stores a verified passing LabRun and counts the task', async () => {
    const userId = await learner();
    const { seed, token } = await issueSeed(userId, lab.id, 'error-budget');
    const files = { 'burn-rate': fixture('burn-rate.promql') };
    const code = fixture('error-budget.promql');
    const local = await runTask(lab, 'error-budget', code, seed, null, { files });
    const response = await submitLabRun(
      { id: userId },
      lab.id,
      post({ version: lab.version, taskId: 'error-budget', seed, token, code, answer: null, digest: local.digest, files }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ passed: true, verified: true });
    const stored = await db().labRun.findFirst({
      where: { userId, taskId: 'error-budget' },
      select: { code: true, summary: true, serverDigest: true },
    });
    expect(JSON.parse(stored?.code ?? '{}')).toEqual({ code, files });
    expect(JSON.parse(stored?.summary ?? '{}')).toMatchObject({
      kind: 'promql',
      queries: [
        { name: 'main', ok: true },
        { name: 'burn-rate', ok: true },
      ],
    });
    expect(stored?.serverDigest).toBe(local.digest);
    expect([...((await passedTasks(userId, new Map([[lab.id, lab.version]]))).get(lab.id) ?? [])]).toEqual(['error-budget']);
  }, 180_000);

  it('refuses input that does not load with a 4xx naming the problem, before re-running anything', async () => {
    const userId = await learner();
    const { seed, token } = await issueSeed(userId, lab.id, 'availability-sli');
    const base = { version: lab.version, seed, token, answer: null, digest: '0'.repeat(64) };
    const cases: { body: Record<string, unknown>; status: number; error: RegExp; path?: string }[] = [
      {
        body: { taskId: 'availability-sli', code: 'sum(rate(http_requests_total[5m])' },
        status: 422,
        error: /does not load/,
        path: 'code',
      },
      {
        body: { taskId: 'availability-sli', code: `sum(${'x + '.repeat(3000)}x)` },
        status: 422,
        error: /at most 10,000 characters/,
        path: 'code',
      },
      { body: { taskId: 'availability-sli', code: 'x'.repeat(100_001) }, status: 400, error: /not valid/ },
      {
        body: { taskId: 'latency-sli', code: 'up', files: { p99: 'up', 'payments-p99': '' } },
        status: 422,
        error: /empty/,
        path: 'files.payments-p99',
      },
      {
        body: { taskId: 'availability-sli', code: 'up', files: { extra: 'up' } },
        status: 422,
        error: /no file "extra"/,
        path: 'files.extra',
      },
      {
        body: { taskId: 'burn-rate-alerts', code: 'groups:\n  - name: [oops', files: { 'tests.yml': 'tests: []' } },
        status: 422,
        error: /YAML/,
        path: 'code',
      },
      {
        body: {
          taskId: 'burn-rate-alerts',
          code: 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: sum(\n',
          files: { 'tests.yml': 'tests: []' },
        },
        status: 422,
        error: /does not load/,
        path: 'code',
      },
      {
        body: { taskId: 'burn-rate-alerts', code: fixture('burn-rate-alerts.rules.yml'), files: {} },
        status: 422,
        error: /unit tests/,
        path: 'files.tests.yml',
      },
      {
        body: { taskId: 'quality-gate', code: fixture('slo.yaml'), files: { 'sli.yaml': 'indicators: [' } },
        status: 422,
        error: /YAML/,
        path: 'files.sli.yaml',
      },
    ];
    for (const { body, status, error, path: issuePath } of cases) {
      const response = await submitLabRun({ id: userId }, lab.id, post({ ...base, ...body }));
      const json = (await response.json()) as { error: string; issues?: { path: string; message: string }[] };
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(json.error + JSON.stringify(json.issues ?? []), JSON.stringify(body).slice(0, 80)).toMatch(error);
      if (issuePath) expect(json.issues?.map((i) => i.path)).toContain(issuePath);
    }
    expect(await db().labRun.count({ where: { userId } })).toBe(0);
  }, 120_000);
});
