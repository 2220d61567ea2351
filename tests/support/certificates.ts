// A learner with a passed, scored attempt and its certificate, written straight to the database
// (integration tests and bench:certificates use it; issuing itself is tested through the exam).
import { randomBytes, randomUUID } from 'node:crypto';
import { db } from '../../src/lib/server/db.server.ts';

export interface CertificateFixture {
  id: string;
  userId: string;
  attemptId: string;
  name: string;
}

export async function createCertificateFixture(
  email: string,
  options: { issuedAt?: Date; expiresAt?: Date; name?: string } = {},
): Promise<CertificateFixture> {
  const name = options.name ?? 'Ada Lovelace';
  const issuedAt = options.issuedAt ?? new Date();
  const { userId, attemptId } = await createPassedAttempt(email, name, issuedAt);
  const id = randomBytes(16).toString('hex');
  const expiresAt = options.expiresAt ?? new Date(issuedAt.getTime() + 2 * 365 * 86_400_000);
  await db().certificate.create({ data: { id, userId, attemptId, name, issuedAt, expiresAt, evidence: '[]' } });
  return { id, userId, attemptId, name };
}

/** A learner whose submitted attempt scored a pass (no certificate yet). */
export async function createPassedAttempt(
  email: string,
  name = 'Ada Lovelace',
  submittedAt = new Date(),
): Promise<{ userId: string; attemptId: string }> {
  const userId = randomUUID();
  await db().user.create({ data: { id: userId, email, name, passwordHash: 'not a real hash' } });
  const attemptId = randomUUID();
  await db().examAttempt.create({
    data: {
      id: attemptId,
      userId,
      blueprintVersion: 1,
      formSeed: 1,
      startedAt: submittedAt,
      deadline: submittedAt,
      submittedAt,
      status: 'submitted',
      score: { create: { raw: 0.9, reported: 910, passed: true, perDomain: '{}', perItem: '{}', scoredAt: submittedAt } },
    },
  });
  return { userId, attemptId };
}
