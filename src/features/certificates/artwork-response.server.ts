// The HTTP answer for a certificate's PDF or PNG: the file, or a readable error.
import { jsonError } from '../../lib/server/http.ts';
import type { Artwork, ArtworkKind } from './artwork.server.ts';

const CONTENT_TYPES: Record<ArtworkKind, string> = { pdf: 'application/pdf', png: 'image/png' };

export function artworkResponse(artwork: Artwork, id: string, kind: ArtworkKind): Response {
  if (artwork.status === 'not-found') return jsonError(404, 'There is no certificate with this id.');
  if (artwork.status === 'revoked') return jsonError(410, `This certificate was revoked; see /verify/${id} for its status.`);
  return new Response(artwork.bytes as Uint8Array<ArrayBuffer>, {
    headers: {
      'content-type': CONTENT_TYPES[kind],
      'content-disposition': `${kind === 'pdf' ? 'attachment' : 'inline'}; filename="headroom-certificate-${id}.${kind}"`,
      // Short: a revoked certificate's file should stop circulating soon.
      'cache-control': 'public, max-age=300',
    },
  });
}
