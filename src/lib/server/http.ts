// JSON request and response helpers for API routes: every failure is a 4xx with a readable
// `{ error, issues }` body, never a stack trace.
import { STATUS_CODES } from 'node:http';
import type { APIRoute } from 'astro';
import type { z } from 'zod';

export const MAX_JSON_BYTES = 64 * 1024;

export function jsonError(
  status: number,
  error: string,
  issues?: { path: string; message: string }[],
  headers?: Record<string, string>,
): Response {
  return Response.json(issues ? { error, issues } : { error }, { status, headers: { 'cache-control': 'no-store', ...headers } });
}

export type BodyResult<T> = { ok: true; data: T } | { ok: false; response: Response };

/** Parses a JSON body (sent as application/json, or text/plain by navigator.sendBeacon). */
export async function readJsonBody<T>(request: Request, schema: z.ZodType<T>, maxBytes = MAX_JSON_BYTES): Promise<BodyResult<T>> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) return { ok: false, response: jsonError(413, `The request body is larger than ${maxBytes} bytes.`) };
  let text: string;
  try {
    text = await request.text();
  } catch {
    return { ok: false, response: jsonError(400, 'The request body could not be read.') };
  }
  if (Buffer.byteLength(text) > maxBytes)
    return { ok: false, response: jsonError(413, `The request body is larger than ${maxBytes} bytes.`) };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, response: jsonError(400, 'The request body is not valid JSON.') };
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
    return { ok: false, response: jsonError(400, 'The request body is not valid.', issues) };
  }
  return { ok: true, data: parsed.data };
}

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
type RouteHandlers = Partial<Record<(typeof HTTP_METHODS)[number], APIRoute>>;

/** The methods a route answers, as its `Allow` header lists them (HEAD comes with GET, as Astro serves it). */
export function allowedMethods(handlers: RouteHandlers): string[] {
  const allowed = new Set<string>(HTTP_METHODS.filter((method) => handlers[method] !== undefined));
  if (allowed.has('GET')) allowed.add('HEAD');
  allowed.add('OPTIONS');
  return HTTP_METHODS.filter((method) => allowed.has(method));
}

/**
 * A route's `ALL` export, given the handlers it does export: Astro calls it for every other method.
 * Without it Astro answers with the HTML 404 page and logs a router warning per request (anyone
 * could fill the log). OPTIONS gets 204 with `Allow`, anything else 405 with `Allow` and the usual
 * JSON body. Astro prefers `ALL` to its own HEAD-from-GET, so HEAD is served from GET here.
 */
export function methodNotAllowed(handlers: RouteHandlers): APIRoute {
  const allow = allowedMethods(handlers).join(', ');
  return async (context) => {
    const { method } = context.request;
    if (method === 'HEAD' && handlers.GET) {
      const response = await handlers.GET(context);
      return new Response(null, { status: response.status, statusText: response.statusText, headers: response.headers });
    }
    if (method === 'OPTIONS') return new Response(null, { status: 204, headers: { allow, 'cache-control': 'no-store' } });
    return jsonError(405, `This address does not accept ${method} requests; use ${allow}.`, undefined, { allow });
  };
}

/**
 * Astro renders every page with the reason phrase "OK" whatever status the page sets (its page
 * renderer starts from `statusText: "OK"`), and the Node adapter writes that phrase as is: a 422
 * goes out as "422 OK". Give such responses the standard phrase of their status.
 */
export function withStandardStatusText(response: Response): Response {
  if (response.status === 200 || response.statusText !== 'OK') return response;
  return new Response(response.body, {
    status: response.status,
    statusText: STATUS_CODES[response.status] ?? '',
    headers: response.headers,
  });
}
