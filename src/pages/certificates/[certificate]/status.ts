import type { APIRoute } from 'astro';
import { findCertificate } from '../../../features/certificates/certificates.server.ts';
import { jsonError } from '../../../lib/server/http.ts';

export const prerender = false;

/** The credentialStatus endpoint: whether the certificate is active, revoked (and why) or expired. */
export const GET: APIRoute = async ({ params }) => {
  const certificate = await findCertificate(params['certificate'] ?? '');
  if (!certificate) return jsonError(404, 'There is no certificate with this id.');
  return Response.json(
    { id: certificate.id, status: certificate.status, revokedReason: certificate.revokedReason },
    { headers: { 'cache-control': 'no-store' } },
  );
};
