// Certificates: issued once per passing attempt, looked up publicly by their unguessable id, and
// turned into a signed Open Badges 3.0 credential on request.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { LABS } from '../../../labs/registry.ts';
import { databaseTarget, db } from '../../lib/server/db.server.ts';
import { metrics } from '../../lib/server/metrics.server.ts';
import { buildCredential, type EvidenceEntry, signCredential, type Verification, verifyCredential } from './credential.ts';
import { loadFleetKeySet, loadFleetKeySetWithEnvKey } from './fleet-keys.server.ts';
import { type KeySet, loadKeySet } from './keys.server.ts';

export const CERTIFICATE_VALIDITY_YEARS = 2;

let keySet: { database: string; keys: Promise<KeySet> } | undefined;
export function signingKeys(): Promise<KeySet> {
  const target = databaseTarget();
  if (keySet?.database !== target.url) {
    const dataDir = path.resolve(process.env['HEADROOM_ROOT'] ?? process.cwd(), 'data');
    // A fleet on PostgreSQL shares one generated key through the database; the key in the
    // environment, when set, signs everywhere and the database's stays published as retired.
    const keys =
      target.provider !== 'postgresql'
        ? loadKeySet(process.env, dataDir)
        : process.env['CREDENTIAL_SIGNING_KEY']
          ? loadFleetKeySetWithEnvKey(process.env, dataDir)
          : loadFleetKeySet(dataDir);
    keySet = { database: target.url, keys };
    // A failure (the database away) is not remembered: the next certificate tries again.
    keys.catch(() => {
      if (keySet?.keys === keys) keySet = undefined;
    });
  }
  return keySet.keys;
}

/** The public page of one lab run a certificate cites as evidence. */
export function evidencePath(certificateId: string, runId: string): string {
  return `/certificates/${certificateId}/evidence/${runId}`;
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
  const id = randomBytes(16).toString('hex');
  const evidence: EvidenceEntry[] = [];
  for (const lab of LABS) {
    for (const task of lab.tasks) {
      const run = runs.find((r) => r.labId === lab.id && r.taskId === task.id);
      if (run)
        evidence.push({
          id: evidencePath(id, run.id),
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
  const issuedAt = attempt.submittedAt;
  const expiresAt = new Date(issuedAt);
  expiresAt.setUTCFullYear(expiresAt.getUTCFullYear() + CERTIFICATE_VALIDITY_YEARS);
  try {
    await db().certificate.create({
      data: { id, userId: attempt.userId, attemptId, name: attempt.user.name, issuedAt, expiresAt, evidence: JSON.stringify(evidence) },
    });
    metrics().certificates.inc();
    return id;
  } catch (error) {
    // Two finalisers raced: the unique attemptId kept one certificate.
    if ((error as { code?: string }).code === 'P2002')
      return (await db().certificate.findUnique({ where: { attemptId }, select: { id: true } }))?.id ?? null;
    throw error;
  }
}

/** 128 random bits in hex. */
export const CERTIFICATE_ID = /^[0-9a-f]{32}$/;

export interface PublicCertificate {
  id: string;
  name: string;
  issuedAt: Date;
  expiresAt: Date;
  status: 'active' | 'revoked' | 'expired';
  revokedReason: string | null;
  evidence: EvidenceEntry[];
}

function statusOf(row: { status: string; expiresAt: Date }, now: Date): PublicCertificate['status'] {
  return row.status === 'revoked' ? 'revoked' : row.expiresAt <= now ? 'expired' : 'active';
}

const PUBLIC_FIELDS = { id: true, name: true, issuedAt: true, expiresAt: true, status: true, revokedReason: true, evidence: true } as const;

function toPublicCertificate(
  row: { id: string; name: string; issuedAt: Date; expiresAt: Date; status: string; revokedReason: string | null; evidence: string },
  now: Date,
): PublicCertificate {
  return {
    id: row.id,
    name: row.name,
    issuedAt: row.issuedAt,
    expiresAt: row.expiresAt,
    status: statusOf(row, now),
    revokedReason: row.revokedReason,
    evidence: JSON.parse(row.evidence) as EvidenceEntry[],
  };
}

export async function findCertificate(id: string, now = new Date()): Promise<PublicCertificate | null> {
  if (!CERTIFICATE_ID.test(id)) return null;
  const row = await db().certificate.findUnique({ where: { id }, select: PUBLIC_FIELDS });
  return row ? toPublicCertificate(row, now) : null;
}

function absoluteEvidence(evidence: EvidenceEntry[], siteUrl: string): EvidenceEntry[] {
  return evidence.map((e) => ({ ...e, id: new URL(e.id, siteUrl).toString() }));
}

export async function credentialJwt(id: string, siteUrl: string): Promise<string | null> {
  if (!CERTIFICATE_ID.test(id)) return null;
  // The e-mail is not on the public record; the credential carries it only hashed.
  const row = await db().certificate.findUnique({ where: { id }, select: { ...PUBLIC_FIELDS, user: { select: { email: true } } } });
  if (!row) return null;
  const certificate = toPublicCertificate(row, new Date());
  const credential = buildCredential({
    certificateId: id,
    siteUrl,
    learnerName: certificate.name,
    learnerEmail: row.user.email,
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

export async function revokeCertificate(id: string, reason: string, revokedBy: string | null = null, now = new Date()): Promise<boolean> {
  const { count } = await db().certificate.updateMany({
    where: { id, status: 'active' },
    data: { status: 'revoked', revokedReason: reason.slice(0, 500), revokedAt: now, revokedBy },
  });
  return count === 1;
}

export function verifyUrlFor(id: string, siteUrl: string): string {
  return new URL(`/verify/${id}`, siteUrl).toString();
}

export interface OwnCertificate {
  id: string;
  issuedAt: Date;
  expiresAt: Date;
  status: PublicCertificate['status'];
}

/** A learner's certificates, newest first, for the dashboard. */
export async function certificatesOf(userId: string, now = new Date()): Promise<OwnCertificate[]> {
  const rows = await db().certificate.findMany({
    where: { userId },
    orderBy: { issuedAt: 'desc' },
    select: { id: true, issuedAt: true, expiresAt: true, status: true },
  });
  return rows.map((row) => ({ ...row, status: statusOf(row, now) }));
}

export async function certificateIdForAttempt(attemptId: string): Promise<string | null> {
  return (await db().certificate.findUnique({ where: { attemptId }, select: { id: true } }))?.id ?? null;
}
