// Fills Astro.locals.user / locals.session from the session cookie on every server-rendered
// request. An expired, forged or malformed cookie means signed out, and the cookie is cleared.
// Every server-rendered response passes here, so here it gets its standard reason phrase.
import { defineMiddleware } from 'astro:middleware';
import type { APIContext, MiddlewareNext } from 'astro';
import { deleteSessionCookie, SESSION_COOKIE, setSessionCookie, validateSessionToken } from './features/auth/session.server.ts';
import { databaseUnavailableResponse, isDatabaseUnavailable } from './lib/server/db-unavailable.ts';
import { withStandardStatusText } from './lib/server/http.ts';
import { noteRoutePattern, recordHttpRequest } from './lib/server/metrics.server.ts';

export const onRequest = defineMiddleware(async (context, next) => {
  try {
    return await handle(context, next);
  } catch (error) {
    // The database is restarting or unreachable: a fast 503 the client retries, not a 500.
    if (isDatabaseUnavailable(error)) return databaseUnavailableResponse(context.request);
    throw error;
  }
});

async function handle(context: APIContext, next: MiddlewareNext): Promise<Response> {
  context.locals.user = null;
  context.locals.session = null;
  if (context.isPrerendered) return next();
  // The built server times every request itself (scripts/serve.ts); under `astro dev` we do.
  const timedHere = !noteRoutePattern(context.routePattern);
  const started = performance.now();
  const token = context.cookies.get(SESSION_COOKIE)?.value;
  if (token) {
    const { session, user } = await validateSessionToken(token);
    if (session) {
      context.locals.user = user;
      context.locals.session = session;
      // Sliding expiry: the cookie lives as long as the session can.
      setSessionCookie(context.cookies, context.url, token, session.expiresAt);
    } else {
      deleteSessionCookie(context.cookies, context.url);
    }
  }
  const response = withStandardStatusText(await next());
  if (context.locals.user) response.headers.set('cache-control', 'private, no-store');
  if (timedHere) recordHttpRequest(context.routePattern, context.request.method, response.status, (performance.now() - started) / 1000);
  return response;
}
