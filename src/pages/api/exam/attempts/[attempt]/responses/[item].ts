import type { APIRoute } from 'astro';
import { loadBank } from '../../../../../../features/exam/bank.server.ts';
import { SaveBodySchema } from '../../../../../../features/exam/requests.ts';
import { saveResponse } from '../../../../../../features/exam/responses.server.ts';
import { jsonError, methodNotAllowed, readJsonBody } from '../../../../../../lib/server/http.ts';
import { type AutosaveOutcome, recordAutosave } from '../../../../../../lib/server/metrics.server.ts';

export const prerender = false;

function outcomeOf(status: number): AutosaveOutcome {
  if (status < 300) return 'acknowledged';
  return status < 500 ? 'rejected' : 'failed';
}

/** Autosave: a 2xx means the answer is committed; every outcome is counted (ADR 016). */
export const PUT: APIRoute = async (context) => {
  const started = performance.now();
  let response: Response;
  try {
    response = await save(context);
  } catch {
    // The database failed or is unreachable: nothing was acknowledged, and the browser retries.
    response = jsonError(503, 'The answer could not be saved just now; it is kept in your browser and sent again.', undefined, {
      'retry-after': '2',
    });
  }
  recordAutosave(outcomeOf(response.status), (performance.now() - started) / 1000);
  return response;
};

async function save({ locals, params, request }: Parameters<APIRoute>[0]): Promise<Response> {
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
}

export const ALL = methodNotAllowed({ PUT });
