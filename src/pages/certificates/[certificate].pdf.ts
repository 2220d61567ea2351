import type { APIRoute } from 'astro';
import { certificateArtwork } from '../../features/certificates/artwork.server.ts';
import { artworkResponse } from '../../features/certificates/artwork-response.server.ts';

export const prerender = false;

/** The printable certificate: A4 landscape with the name, achievement, dates, id and a QR code. */
export const GET: APIRoute = async ({ params, url }) => {
  const id = params['certificate'] ?? '';
  return artworkResponse(await certificateArtwork(id, 'pdf', url.origin), id, 'pdf');
};
