import type { APIRoute } from 'astro';
import { certificateArtwork } from '../../features/certificates/artwork.server.ts';
import { artworkResponse } from '../../features/certificates/artwork-response.server.ts';

export const prerender = false;

/** The share image (1200×630, the Open Graph size) of a certificate. */
export const GET: APIRoute = async ({ params, url }) => {
  const id = params['certificate'] ?? '';
  return artworkResponse(await certificateArtwork(id, 'png', url.origin), id, 'png');
};
