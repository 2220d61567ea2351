import type { APIRoute } from 'astro';
import { loadBank } from '../../../../../../features/exam/bank.server.ts';
import { SaveBodySchema } from '../../../../../../features/exam/requests.ts';
import { saveResponse } from '../../../../../../features/exam/responses.server.ts';
import { jsonError, methodNotAllowed, readJsonBody } from '../../../../../../lib/server/http.ts';

export const prerender = false;

/** Autosave: a 2xx means the answer is committed. */
export const PUT: APIRoute = async ({ locals, params, request }) => {
  if (!locals.user) return jsonError(401, 'Your session ended: sign in again; your saved answers are kept.');
  const body = await readJsonBody(request, SaveBodySchema, 16 * 1024);
  if (!body.ok) return body.response;
  const outcome = await saveResponse(
    {
      attemptId: params['attempt'] ?? '',
      userId: locals.user.id,
      itemId: params['item'] ?? '',
      answer: body.data.answer,
      flagged: body.data.flagged,
      revision: body.data.revision,
    },
    loadBank().blueprint.graceSeconds,
  );
  const serverNow = new Date().toISOString();
  switch (outcome.status) {
    case 'saved':
    case 'stale':
      return Response.json({ ...outcome, serverNow }, { headers: { 'cache-control': 'no-store' } });
    case 'closed':
      return jsonError(409, outcome.message);
    case 'not-found':
      return jsonError(404, 'There is no such attempt.');
    case 'invalid':
      return jsonError(400, outcome.message);
  }
};

export const ALL = methodNotAllowed({ PUT });
