import type { APIRoute } from 'astro';
import { attemptForCandidate } from '../../../../../features/exam/attempts.server.ts';
import { jsonError, methodNotAllowed } from '../../../../../lib/server/http.ts';

export const prerender = false;

/** The attempt as its candidate sees it: items without keys, saved answers, server time. */
export const GET: APIRoute = async ({ locals, params }) => {
  if (!locals.user) return jsonError(401, 'Sign in to continue your exam.');
  const view = await attemptForCandidate(params['attempt'] ?? '', locals.user.id);
  if (!view) return jsonError(404, 'There is no such attempt.');
  return Response.json(view, { headers: { 'cache-control': 'no-store' } });
};

export const ALL = methodNotAllowed({ GET });
