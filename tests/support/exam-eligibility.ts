// Makes a learner eligible for the exam the way passing the labs would: a server-verified passing
// LabRun for every task of every lab (tests, the crash test and the exam benchmark use it).
import { LABS } from '../../labs/registry.ts';
import { db } from '../../src/lib/server/db.server.ts';
import { withDbRetry } from '../../src/lib/server/db-retry.ts';

export async function makeExamEligible(userId: string): Promise<void> {
  const data = LABS.flatMap((lab) =>
    lab.tasks.map((task) => ({
      id: crypto.randomUUID(),
      userId,
      labId: lab.id,
      labVersion: lab.version,
      taskId: task.id,
      seed: 1,
      code: '',
      summary: '[]',
      message: 'verified pass (test fixture)',
      passed: true,
      verified: true,
      clientDigest: '',
      serverDigest: '',
      verifyMs: 0,
    })),
  );
  await withDbRetry(() => db().labRun.createMany({ data }));
}
