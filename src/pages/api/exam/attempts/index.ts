import type { APIRoute } from 'astro';
import { startAttempt } from '../../../../features/exam/attempts.server.ts';
import { jsonError, methodNotAllowed } from '../../../../lib/server/http.ts';

export const prerender = false;

/** Starts an attempt: eligibility and attempt policy are checked here, on the server. */
export const POST: APIRoute = async ({ locals }) => {
  if (!locals.user) return jsonError(401, 'Sign in to take the exam.');
  const started = await startAttempt(locals.user.id);
  if (!started.ok)
    return Response.json({ error: started.error, retryAt: started.retryAt?.toISOString() ?? null }, { status: started.status });
  return Response.json({ attemptId: started.attemptId, url: `/exam/attempts/${started.attemptId}/` }, { status: 201 });
};

export const ALL = methodNotAllowed({ POST });
