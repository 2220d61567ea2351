import type { APIRoute } from 'astro';
import { submitAttempt } from '../../../../../features/exam/attempts.server.ts';
import { jsonError, methodNotAllowed } from '../../../../../lib/server/http.ts';

export const prerender = false;

/** Submits (idempotent: a second submit changes nothing) and scores on the server. */
export const POST: APIRoute = async ({ locals, params }) => {
  if (!locals.user) return jsonError(401, 'Sign in to submit your exam.');
  const attemptId = params['attempt'] ?? '';
  const result = await submitAttempt(attemptId, locals.user.id);
  if (!result.ok) return jsonError(404, 'There is no such attempt.');
  return Response.json({ resultUrl: `/exam/attempts/${attemptId}/result/` });
};

export const ALL = methodNotAllowed({ POST });
