// Stored lab runs and what they mean for a learner: which tasks passed (server-verified only).
import type { TaskOutcome } from '../../../labs/runtime/lab/run-task.ts';
import { db } from '../../lib/server/db.server.ts';

export async function storeLabRun(input: {
  userId: string;
  outcome: TaskOutcome;
  code: string;
  answer: string | null;
  clientDigest: string;
  verified: boolean;
  verifyMs: number;
}): Promise<string> {
  const id = crypto.randomUUID();
  const { outcome } = input;
  const summary = outcome.runs.map(({ label, result }) => ({
    label,
    exitCode: result.exitCode,
    requests: result.requests,
    iterations: result.iterations,
    droppedIterations: result.droppedIterations,
    virtualDurationMs: result.virtualDurationMs,
    error: result.error,
    thresholds: result.thresholds,
    checks: result.checks,
    scenarios: result.scenarios,
  }));
  await db().labRun.create({
    data: {
      id,
      userId: input.userId,
      labId: outcome.labId,
      labVersion: outcome.labVersion,
      taskId: outcome.taskId,
      seed: outcome.seed,
      code: input.code,
      answer: input.answer,
      summary: JSON.stringify(summary),
      message: outcome.verdict.message,
      passed: input.verified && outcome.verdict.pass,
      verified: input.verified,
      clientDigest: input.clientDigest,
      serverDigest: outcome.digest,
      verifyMs: input.verifyMs,
    },
  });
  return id;
}

/** Task ids with a server-verified pass, per lab, for the current lab versions. */
export async function passedTasks(userId: string, versions: ReadonlyMap<string, number>): Promise<Map<string, Set<string>>> {
  const rows = await db().labRun.findMany({
    where: { userId, passed: true, verified: true },
    select: { labId: true, labVersion: true, taskId: true },
  });
  const passed = new Map<string, Set<string>>();
  for (const row of rows) {
    if (versions.get(row.labId) !== row.labVersion) continue;
    const tasks = passed.get(row.labId) ?? new Set<string>();
    tasks.add(row.taskId);
    passed.set(row.labId, tasks);
  }
  return passed;
}
