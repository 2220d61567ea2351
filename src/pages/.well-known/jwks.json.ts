import type { APIRoute } from 'astro';
import { signingKeys } from '../../features/certificates/certificates.server.ts';

export const prerender = false;

/** Public keys that sign Headroom credentials, current and retired, for any VC-JWT verifier. */
export const GET: APIRoute = async () => {
  const keys = await signingKeys();
  return Response.json({ keys: [...keys.publicKeys.values()] }, { headers: { 'cache-control': 'public, max-age=300' } });
};
