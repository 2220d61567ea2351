// JSON request and response helpers for API routes: every failure is a 4xx with a readable
// `{ error, issues }` body, never a stack trace.
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
