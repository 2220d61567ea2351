// The instructor's side of certificates: find one by the learner's e-mail or by its id, and revoke
// it with a reason that the public verification page and the verifier then show.
import { z } from 'zod';
import { db } from '../../lib/server/db.server.ts';
import { CERTIFICATE_ID, revokeCertificate } from './certificates.server.ts';

const LIST_LIMIT = 50;

export const RevokeForm = z.object({
  /** The certificate to revoke (its 32-character id). */
  certificate: z.string().trim().toLowerCase().regex(CERTIFICATE_ID, 'Choose a certificate to revoke.'),
  /** Shown publicly on the verification page and in the verifier's verdict. */
  reason: z
    .string({ error: 'Give a reason.' })
    .trim()
    .min(3, 'Give a reason of at least 3 characters; the verification page shows it.')
    .max(500, 'Use at most 500 characters.'),
});

export interface CertificateRow {
  id: string;
  name: string;
  email: string;
  issuedAt: Date;
  status: string;
  revokedReason: string | null;
  revokedAt: Date | null;
  revokedBy: string | null;
}

/** The newest certificates, or those of accounts whose e-mail contains `query`, or the one with that id. */
export async function listCertificates(query: string): Promise<CertificateRow[]> {
  const term = query.trim().toLowerCase().slice(0, 254);
  const rows = await db().certificate.findMany({
    where: CERTIFICATE_ID.test(term) ? { id: term } : term ? { user: { is: { email: { contains: term } } } } : {},
    orderBy: [{ issuedAt: 'desc' }, { id: 'asc' }],
    take: LIST_LIMIT,
    select: {
      id: true,
      name: true,
      issuedAt: true,
      status: true,
      revokedReason: true,
      revokedAt: true,
      revokedBy: true,
      user: { select: { email: true } },
    },
  });
  // LIKE treats % and _ as wildcards; keep only real substring matches.
  return rows
    .filter((row) => !term || CERTIFICATE_ID.test(term) || row.user.email.includes(term))
    .map(({ user, ...row }) => ({ ...row, email: user.email }));
}

export type RevokeResult = { ok: true; name: string } | { ok: false; error: string };

/** Revokes as the signed-in instructor, whose e-mail is recorded with the revocation. */
export async function revokeAsInstructor(input: z.infer<typeof RevokeForm>, instructorEmail: string): Promise<RevokeResult> {
  const certificate = await db().certificate.findUnique({ where: { id: input.certificate }, select: { name: true, status: true } });
  if (!certificate) return { ok: false, error: 'There is no certificate with this id.' };
  if (certificate.status === 'revoked') return { ok: false, error: `The certificate of ${certificate.name} is already revoked.` };
  // A concurrent revocation wins the race; this one then reports it as already revoked.
  if (!(await revokeCertificate(input.certificate, input.reason, instructorEmail)))
    return { ok: false, error: `The certificate of ${certificate.name} is already revoked.` };
  return { ok: true, name: certificate.name };
}
