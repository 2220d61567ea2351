import type { APIRoute } from 'astro';
import { findLab } from '../../../../../labs/registry.ts';
import { issueSeed } from '../../../../features/labs/seed.server.ts';
import { jsonError, methodNotAllowed } from '../../../../lib/server/http.ts';

export const prerender = false;

/** A signed seed for one run of a task; submissions must carry it. */
export const GET: APIRoute = async ({ locals, params, url }) => {
  if (!locals.user) return jsonError(401, 'Sign in to get a verifiable run.');
  const lab = findLab(params['lab'] ?? '');
  if (!lab) return jsonError(404, `There is no lab "${(params['lab'] ?? '').slice(0, 100)}".`);
  const taskId = url.searchParams.get('task') ?? '';
  if (!lab.tasks.some((t) => t.id === taskId)) return jsonError(404, `Lab "${lab.id}" has no task "${taskId.slice(0, 100)}".`);
  return Response.json(
    { ...(await issueSeed(locals.user.id, lab.id, taskId)), version: lab.version },
    { headers: { 'cache-control': 'no-store' } },
  );
};

export const ALL = methodNotAllowed({ GET });
