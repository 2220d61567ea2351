// The database observability lab on the server: a diagnosis re-run in a worker thread gives the
// browser's digest, submissions through the API are verified, stored (with the cluster summary)
// and counted on SQLite and PostgreSQL, and bad input — unknown option ids, a missing choice, an
// unparseable or oversized query — is refused with a 422 naming it before anything runs; a query
// that overruns the deadline is a failed verdict, never a 5xx.
import { describe, expect, it } from 'vitest';
import lab from '../../labs/database-observability/lab.ts';
import { INCIDENTS } from '../../labs/database-observability/scenarios.ts';
import type { ClusterTaskOutcome } from '../../labs/runtime/lab/run-task.ts';
import { runTask } from '../../labs/runtime/lab/run-task.ts';
import { signUp } from '../../src/features/auth/accounts.server.ts';
import { passedTasks } from '../../src/features/labs/lab-runs.server.ts';
import { issueSeed } from '../../src/features/labs/seed.server.ts';
import { submitLabRun } from '../../src/features/labs/submit.server.ts';
import { verifySubmission } from '../../src/features/labs/verify.server.ts';
import { db } from '../../src/lib/server/db.server.ts';
import { PROVIDERS, useFreshDatabase } from '../support/use-database.ts';

const HOT = {
  taskId: 'hot-partition',
  code: 'topk(3, sum by (instance, shard) (rate(scylla_database_total_reads[5m])))',
  files: { triage: 'per-shard-load', cause: 'hot-partition', remedy: INCIDENTS['hot-partition'].right },
};
const BATCH = {
  taskId: 'nightly-batch',
  code: 'sum(rate(scylla_cache_row_misses[5m])) / sum(rate(scylla_cache_row_misses[5m] offset 1d))',
  files: { triage: 'history', cause: 'batch-job', remedy: INCIDENTS['nightly-batch'].right },
};

async function learner(): Promise<string> {
  const created = await signUp({
    name: 'DBO Tester',
    email: `dbo-${Date.now()}-${Math.random()}@example.com`,
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

describe('database observability lab verification in a worker thread', () => {
  it('re-runs a diagnosis (incident and remedy) with the digest and the verdict of the in-process run', async () => {
    for (const [seed, submission] of [
      [77, HOT],
      [78, BATCH],
    ] as const) {
      const local = await runTask(lab, submission.taskId, submission.code, seed, null, { files: submission.files });
      expect(local.verdict.pass, local.verdict.message).toBe(true);
      const verified = await verifySubmission({ labId: lab.id, seed, answer: null, ...submission });
      expect(verified.digest).toBe(local.digest);
      expect(verified.verdict).toEqual(local.verdict);
    }
  }, 300_000);

  it('fails a query that overruns the deadline with the engine’s timeout, not an exception', async () => {
    // The whole Tsdb of the largest scenario (3.1 M samples) is below the lab's 20 M sample limit,
    // so on this lab it is the deadline that bounds a greedy query.
    // ~150 ms of evaluation (a quantile over 240 samples per shard, at 1,440 steps) against a 1 ms budget.
    const greedy = 'sum_over_time(quantile_over_time(0.5, scylla_cql_reads[1h])[6h:15s])';
    const slow = (await runTask(lab, 'hot-partition', greedy, 5, null, { files: HOT.files, queryTimeoutMs: 1 })) as ClusterTaskOutcome;
    expect(slow.evidence.outcome.ok === false ? slow.evidence.outcome.error.kind : '').toBe('timeout');
    expect(slow.evidence.pass).toBe(false);
    expect(slow.evidence.message).toMatch(/Your query failed/);
    expect(slow.verdict.pass).toBe(false);
  }, 120_000);
});

describe.each(PROVIDERS)('database observability lab submissions on %s', (provider) => {
  useFreshDatabase(provider);

  it('verifies a diagnosis, stores a verified passing LabRun with the cluster summary and counts the task', async () => {
    const userId = await learner();
    const { seed, token } = await issueSeed(userId, lab.id, HOT.taskId);
    const local = await runTask(lab, HOT.taskId, HOT.code, seed, null, { files: HOT.files });
    const response = await submitLabRun(
      { id: userId },
      lab.id,
      post({ version: lab.version, seed, token, answer: null, digest: local.digest, ...HOT }),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ passed: true, verified: true });
    const stored = await db().labRun.findFirst({ where: { userId, taskId: HOT.taskId }, select: { code: true, summary: true } });
    expect(JSON.parse(stored?.code ?? '{}')).toEqual({ code: HOT.code, files: HOT.files });
    expect(JSON.parse(stored?.summary ?? '{}')).toMatchObject({
      kind: 'cluster',
      triage: { chosen: 'per-shard-load', pass: true },
      cause: { chosen: 'hot-partition', pass: true },
      evidence: { pass: true, ok: true, resultType: 'vector', seriesCount: 3 },
      remediation: { chosen: HOT.files.remedy, pass: true, sloHeld: true },
    });
    expect([...((await passedTasks(userId, new Map([[lab.id, lab.version]]))).get(lab.id) ?? [])]).toEqual([HOT.taskId]);
  }, 180_000);

  it('refuses unknown options, missing choices and queries that do not load with a 422 naming them', async () => {
    const userId = await learner();
    const { seed, token } = await issueSeed(userId, lab.id, HOT.taskId);
    const base = { version: lab.version, seed, token, answer: null, digest: '0'.repeat(64), taskId: HOT.taskId };
    const cases: { body: Record<string, unknown>; status: number; error: RegExp; path?: string }[] = [
      { body: { code: HOT.code, files: { ...HOT.files, triage: 'gut-feeling' } }, status: 422, error: /not one of/, path: 'files.triage' },
      { body: { code: HOT.code, files: { ...HOT.files, remedy: 'reboot' } }, status: 422, error: /not one of/, path: 'files.remedy' },
      {
        body: { code: HOT.code, files: { triage: HOT.files.triage, remedy: HOT.files.remedy } },
        status: 422,
        error: /choose one/,
        path: 'files.cause',
      },
      { body: { code: HOT.code }, status: 422, error: /choose one/, path: 'files.triage' },
      { body: { code: 'topk(3, rate(scylla_cql_reads[5m])', files: HOT.files }, status: 422, error: /does not load/, path: 'code' },
      { body: { code: `sum(${'x + '.repeat(3000)}x)`, files: HOT.files }, status: 422, error: /at most 10,000 characters/, path: 'code' },
      {
        body: { code: HOT.code, files: { triage: HOT.files.triage, cause: HOT.files.cause, notes: 'hm' } },
        status: 422,
        error: /only triage, cause and remedy/,
        path: 'files.notes',
      },
      { body: { code: HOT.code, files: { ...HOT.files, notes: 'hm' } }, status: 400, error: /at most three files/ },
    ];
    for (const { body, status, error, path: issuePath } of cases) {
      const response = await submitLabRun({ id: userId }, lab.id, post({ ...base, ...body }));
      const json = (await response.json()) as { error: string; issues?: { path: string; message: string }[] };
      expect(response.status, `${JSON.stringify(body).slice(0, 200)}: ${json.error} ${JSON.stringify(json.issues)}`).toBe(status);
      expect(json.error + JSON.stringify(json.issues ?? []), JSON.stringify(body).slice(0, 80)).toMatch(error);
      if (issuePath) expect(json.issues?.map((i) => i.path)).toContain(issuePath);
    }
    expect(await db().labRun.count({ where: { userId } })).toBe(0);
  }, 120_000);
});
