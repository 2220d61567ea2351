// Certificates: issued once per passing attempt, looked up publicly by their unguessable id, and
// turned into a signed Open Badges 3.0 credential on request.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { LABS } from '../../../labs/registry.ts';
import { db } from '../../lib/server/db.server.ts';
import { buildCredential, type EvidenceEntry, signCredential, type Verification, verifyCredential } from './credential.ts';
import { type KeySet, loadKeySet } from './keys.server.ts';

export const CERTIFICATE_VALIDITY_YEARS = 2;

let keySet: Promise<KeySet> | undefined;
export function signingKeys(): Promise<KeySet> {
  keySet ??= loadKeySet(process.env, path.resolve(process.env['HEADROOM_ROOT'] ?? process.cwd(), 'data'));
  return keySet;
}

/** Issues the certificate of a passing attempt; a second call returns the same one. */
export async function issueCertificateFor(attemptId: string): Promise<string | null> {
  const existing = await db().certificate.findUnique({ where: { attemptId }, select: { id: true } });
  if (existing) return existing.id;
  const attempt = await db().examAttempt.findUnique({
    where: { id: attemptId },
    select: { userId: true, submittedAt: true, user: { select: { name: true } }, score: { select: { passed: true, reported: true } } },
  });
  if (!attempt?.score?.passed || !attempt.submittedAt) return null;
  const runs = await db().labRun.findMany({
    where: { userId: attempt.userId, passed: true, verified: true },
    orderBy: { submittedAt: 'desc' },
    select: { id: true, labId: true, taskId: true, submittedAt: true },
  });
  const evidence: EvidenceEntry[] = [];
  for (const lab of LABS) {
    for (const task of lab.tasks) {
      const run = runs.find((r) => r.labId === lab.id && r.taskId === task.id);
      if (run)
        evidence.push({
          id: `/labs/${lab.id}/#task-${task.id}`,
          name: `${lab.title}: ${task.title}`,
          description: `Passed and re-run by the server on ${run.submittedAt.toISOString().slice(0, 10)} (lab run ${run.id}).`,
        });
    }
  }
  evidence.push({
    id: '/exam/',
    name: 'Certification exam',
    description: `Passed with a reported score of ${attempt.score.reported} on ${attempt.submittedAt.toISOString().slice(0, 10)}.`,
  });
  const id = randomBytes(16).toString('hex');
  const issuedAt = attempt.submittedAt;
  const expiresAt = new Date(issuedAt);
  expiresAt.setUTCFullYear(expiresAt.getUTCFullYear() + CERTIFICATE_VALIDITY_YEARS);
  try {
    await db().certificate.create({
      data: { id, userId: attempt.userId, attemptId, name: attempt.user.name, issuedAt, expiresAt, evidence: JSON.stringify(evidence) },
    });
    return id;
  } catch (error) {
    // Two finalisers raced: the unique attemptId kept one certificate.
    if ((error as { code?: string }).code === 'P2002')
      return (await db().certificate.findUnique({ where: { attemptId }, select: { id: true } }))?.id ?? null;
    throw error;
  }
}

const ID = /^[0-9a-f]{32}$/;

export interface PublicCertificate {
  id: string;
  name: string;
  issuedAt: Date;
  expiresAt: Date;
  status: 'active' | 'revoked' | 'expired';
  revokedReason: string | null;
  evidence: EvidenceEntry[];
}

export async function findCertificate(id: string, now = new Date()): Promise<PublicCertificate | null> {
  if (!ID.test(id)) return null;
  const row = await db().certificate.findUnique({
    where: { id },
    select: { id: true, name: true, issuedAt: true, expiresAt: true, status: true, revokedReason: true, evidence: true },
  });
  if (!row) return null;
  const status = row.status === 'revoked' ? 'revoked' : row.expiresAt <= now ? 'expired' : 'active';
  return {
    id: row.id,
    name: row.name,
    issuedAt: row.issuedAt,
    expiresAt: row.expiresAt,
    status,
    revokedReason: row.revokedReason,
    evidence: JSON.parse(row.evidence) as EvidenceEntry[],
  };
}

function absoluteEvidence(evidence: EvidenceEntry[], siteUrl: string): EvidenceEntry[] {
  return evidence.map((e) => ({ ...e, id: new URL(e.id, siteUrl).toString() }));
}

export async function credentialJwt(id: string, siteUrl: string): Promise<string | null> {
  const certificate = await findCertificate(id);
  if (!certificate) return null;
  const credential = buildCredential({
    certificateId: id,
    siteUrl,
    learnerName: certificate.name,
    issuedAt: certificate.issuedAt,
    expiresAt: certificate.expiresAt,
    evidence: absoluteEvidence(certificate.evidence, siteUrl),
  });
  return signCredential(credential, (await signingKeys()).current);
}

/** Verifies a credential against our published keys and our records (revocation). */
export async function verifyWithHeadroom(input: string, now = new Date()): Promise<Verification> {
  const keys = await signingKeys();
  return verifyCredential(input, {
    keys: keys.publicKeys,
    now,
    status: async (credentialId) => {
      const id = /\/certificates\/([0-9a-f]{32})\/credential$/.exec(credentialId)?.[1];
      const row = id ? await db().certificate.findUnique({ where: { id }, select: { status: true, revokedReason: true } }) : null;
      return row ? { revoked: row.status === 'revoked', reason: row.revokedReason } : null;
    },
  });
}

export async function revokeCertificate(id: string, reason: string, now = new Date()): Promise<boolean> {
  const { count } = await db().certificate.updateMany({
    where: { id, status: 'active' },
    data: { status: 'revoked', revokedReason: reason.slice(0, 500), revokedAt: now },
  });
  return count === 1;
}
