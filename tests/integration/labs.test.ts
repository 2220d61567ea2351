// Server-side lab verification: signed seeds, a re-run in a worker thread, stored LabRuns.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import lab from '../../labs/k6-load-testing/lab.ts';
import { runTask } from '../../labs/runtime/lab/run-task.ts';
import { signUp } from '../../src/features/auth/accounts.server.ts';
import { passedTasks, storeLabRun } from '../../src/features/labs/lab-runs.server.ts';
import { issueSeed, seedIsGenuine } from '../../src/features/labs/seed.server.ts';
import { verifySubmission } from '../../src/features/labs/verify.server.ts';
import { PROVIDERS, useFreshDatabase } from '../support/use-database.ts';

const smoke = readFileSync(path.resolve(import.meta.dirname, '../../labs/k6-load-testing/fixtures/smoke-test.js'), 'utf8');

async function learner(): Promise<string> {
  const created = await signUp({
    name: 'Lab Tester',
    email: `lab-${Date.now()}-${Math.random()}@example.com`,
    password: 'a perfectly fine passphrase',
  });
  if (!created.ok) throw new Error('sign-up failed');
  return created.value.userId;
}

describe('lab verification', () => {
  it('re-runs a submission in a worker thread with the same result as in-process', async () => {
    const local = await runTask(lab, 'smoke-test', smoke, 1234, null);
    const verified = await verifySubmission({ labId: lab.id, taskId: 'smoke-test', code: smoke, seed: 1234, answer: null });
    expect(verified.digest).toBe(local.digest);
    expect(verified.verdict).toEqual(local.verdict);
  });

  it('still verifies k6 submissions digested before tasks had kinds, with the same digests', async () => {
    // Computed with the lab runtime as it was before task kinds (commit 78f4b80): LabRuns stored
    // then keep matching a re-run now.
    const before = [
      { taskId: 'smoke-test', seed: 1234, digest: 'ec6426f3d070176068f2c3a404ce3bc62db237eca6131510817de930e328123c', pass: true },
      { taskId: 'ci-gate', seed: 77, digest: '3e99fbebbf7d2d98c785622a165ef4d788ea6928ed03f797c8857e516840b807', pass: true },
    ];
    for (const { taskId, seed, digest, pass } of before) {
      const code = readFileSync(path.resolve(import.meta.dirname, `../../labs/k6-load-testing/fixtures/${taskId}.js`), 'utf8');
      const outcome = await verifySubmission({ labId: lab.id, taskId, code, seed, answer: null });
      expect(outcome.digest, taskId).toBe(digest);
      expect(outcome.verdict.pass, taskId).toBe(pass);
    }
  }, 120_000);

  it('stops a script that loops forever and reports it instead of hanging', async () => {
    process.env['LAB_DEADLINE_MS'] = '2000';
    const outcome = await verifySubmission({
      labId: lab.id,
      taskId: 'smoke-test',
      code: `import http from 'k6/http';\nexport default function () { while (true) {} }`,
      seed: 1,
      answer: null,
    });
    expect(outcome.verdict.pass).toBe(false);
    expect(outcome.verdict.message).toContain('time limit');
    delete process.env['LAB_DEADLINE_MS'];
  });
});

describe.each(PROVIDERS)('lab runs and seeds on %s', (provider) => {
  useFreshDatabase(provider);

  it('accepts only seeds the server issued for that learner and task', async () => {
    const userId = await learner();
    const { seed, token } = await issueSeed(userId, lab.id, 'smoke-test');
    expect(await seedIsGenuine(userId, lab.id, 'smoke-test', seed, token)).toBe(true);
    expect(await seedIsGenuine(userId, lab.id, 'smoke-test', seed + 1, token)).toBe(false);
    expect(await seedIsGenuine(userId, lab.id, 'ci-gate', seed, token)).toBe(false);
    expect(await seedIsGenuine(await learner(), lab.id, 'smoke-test', seed, token)).toBe(false);
    expect(await seedIsGenuine(userId, lab.id, 'smoke-test', seed, 'zz')).toBe(false);
  });

  it('counts only verified passes of the current lab version', async () => {
    const userId = await learner();
    const outcome = await runTask(lab, 'smoke-test', smoke, 0x7fffffff, null);
    await storeLabRun({ userId, outcome, code: smoke, answer: null, clientDigest: 'x'.repeat(64), verified: false, verifyMs: 10 });
    expect((await passedTasks(userId, new Map([[lab.id, lab.version]]))).get(lab.id)).toBeUndefined();
    await storeLabRun({ userId, outcome, code: smoke, answer: null, clientDigest: outcome.digest, verified: true, verifyMs: 10 });
    expect([...((await passedTasks(userId, new Map([[lab.id, lab.version]]))).get(lab.id) ?? [])]).toEqual(['smoke-test']);
    expect((await passedTasks(userId, new Map([[lab.id, lab.version + 1]]))).get(lab.id)).toBeUndefined();
  });
});
