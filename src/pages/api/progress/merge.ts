import type { APIRoute } from 'astro';
import { mergeProgress } from '../../../features/progress/progress.server.ts';
import { MergeReportSchema } from '../../../features/progress/progress.ts';
import { loadCatalog } from '../../../lib/catalog.ts';
import { jsonError, methodNotAllowed, readJsonBody } from '../../../lib/server/http.ts';

export const prerender = false;

/** Folds progress kept in the browser before sign-in into the account. */
export const POST: APIRoute = async ({ locals, request }) => {
  if (!locals.user) return jsonError(401, 'Sign in to merge progress.');
  const body = await readJsonBody(request, MergeReportSchema);
  if (!body.ok) return body.response;
  const merged = await mergeProgress(locals.user.id, body.data, await loadCatalog());
  return Response.json({ merged });
};

export const ALL = methodNotAllowed({ POST });
