import type { APIRoute } from 'astro';
import { submitLabRun } from '../../../../features/labs/submit.server.ts';
import { methodNotAllowed } from '../../../../lib/server/http.ts';

export const prerender = false;

/** Re-runs a submitted task on the server, grades it, and stores the LabRun. */
export const POST: APIRoute = ({ locals, params, request }) => submitLabRun(locals.user, params['lab'], request);

export const ALL = methodNotAllowed({ POST });
