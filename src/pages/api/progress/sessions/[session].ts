import type { APIRoute } from 'astro';
import { isDeletedAccount, recordSessionReport } from '../../../../features/progress/progress.server.ts';
import { SessionReportSchema } from '../../../../features/progress/progress.ts';
import { loadCatalog } from '../../../../lib/catalog.ts';
import { jsonError, methodNotAllowed, readJsonBody } from '../../../../lib/server/http.ts';

export const prerender = false;

/** POST (also from navigator.sendBeacon, as text/plain) a playback report. */
export const POST: APIRoute = async ({ locals, params, request }) => {
  if (!locals.user) return jsonError(401, 'Sign in to save progress.');
  const sessionId = params['session'] ?? '';
  const duration = (await loadCatalog()).sessions.get(sessionId);
  if (duration === undefined) return jsonError(404, `There is no session "${sessionId.slice(0, 120)}".`);
  const body = await readJsonBody(request, SessionReportSchema);
  if (!body.ok) return body.response;
  try {
    const stored = await recordSessionReport(locals.user.id, sessionId, duration, body.data);
    return Response.json({ position: stored.position, watched: stored.watched, at: stored.actedAt });
  } catch (error) {
    if (isDeletedAccount(error)) return jsonError(401, 'This account no longer exists.');
    throw error;
  }
};

export const ALL = methodNotAllowed({ POST });
