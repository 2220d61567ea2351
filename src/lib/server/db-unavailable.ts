// Telling "the database is unreachable right now" apart from a bug (ADR 016). During a PostgreSQL
// restart or failover every query fails at once with a connection error; answering those with a
// fast 503 and Retry-After (instead of a 500) tells browsers, nginx and k6 to come back, and the
// pools reconnect by themselves when the database returns.

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  // PostgreSQL: admin shutdown, crash shutdown, cannot connect now, connection failures.
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  // Prisma: can't reach the server, server closed the connection, pool timeout.
  'P1001',
  'P1002',
  'P1017',
  'P2024',
]);

const CONNECTION_MESSAGES =
  /Connection terminated|connect ECONNREFUSED|Can't reach database server|Server has closed the connection|timeout exceeded when trying to connect|the database system is (starting up|shutting down)|terminating connection/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 6; depth += 1) {
    const e = current as { code?: unknown; message?: unknown; cause?: unknown; originalCode?: unknown };
    if (typeof e.code === 'string' && CONNECTION_CODES.has(e.code)) return true;
    if (typeof e.originalCode === 'string' && CONNECTION_CODES.has(e.originalCode)) return true;
    if (typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message)) return true;
    current = e.cause;
  }
  return false;
}

export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** 503 with Retry-After: JSON for API calls, a short page for people. */
export function databaseUnavailableResponse(request: Request): Response {
  const headers = { 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS), 'cache-control': 'no-store' };
  const url = new URL(request.url);
  if (url.pathname.startsWith('/api/') || (request.headers.get('accept') ?? '').includes('application/json'))
    return Response.json(
      { error: `The database is unavailable for a moment: try again in ${DATABASE_RETRY_AFTER_SECONDS} s. Nothing you saved is lost.` },
      { status: 503, headers },
    );
  return new Response(
    `<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Back in a moment · Headroom</title><main style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem"><h1>Back in a moment</h1><p>Headroom cannot reach its database just now. Nothing you saved is lost; this page will work again in a few seconds.</p><p><a href="">Try again</a></p></main></html>`,
    { status: 503, headers: { ...headers, 'content-type': 'text/html; charset=utf-8' } },
  );
}
