import type { APIRoute } from 'astro';
import { readProgress } from '../../../features/progress/progress.server.ts';
import { jsonError, methodNotAllowed } from '../../../lib/server/http.ts';

export const prerender = false;

export const GET: APIRoute = async ({ locals }) => {
  if (!locals.user) return jsonError(401, 'Sign in to read saved progress.');
  return Response.json(await readProgress(locals.user.id), { headers: { 'cache-control': 'private, no-store' } });
};

export const ALL = methodNotAllowed({ GET });
