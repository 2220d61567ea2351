import type { APIRoute } from 'astro';
import { credentialJwt } from '../../../features/certificates/certificates.server.ts';
import { jsonError } from '../../../lib/server/http.ts';

export const prerender = false;

/** The certificate as a signed Open Badges 3.0 credential (VC-JWT, EdDSA). */
export const GET: APIRoute = async ({ params, url }) => {
  const jwt = await credentialJwt(params['certificate'] ?? '', url.origin);
  if (!jwt) return jsonError(404, 'There is no certificate with this id.');
  return new Response(jwt, {
    headers: {
      'content-type': 'application/vc+jwt',
      'content-disposition': `attachment; filename="headroom-certificate-${params['certificate']}.jwt"`,
      'cache-control': 'no-store',
    },
  });
};
