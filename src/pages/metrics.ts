import type { APIRoute } from 'astro';
import { jsonError } from '../lib/server/http.ts';
import { renderMetrics } from '../lib/server/metrics.server.ts';
import { authorizeMetrics, parseMetricsToken } from '../lib/server/metrics-access.ts';

export const prerender = false;

/** Prometheus exposition of this process's metrics (ADR 016). */
export const GET: APIRoute = async ({ request, clientAddress }) => {
  const configured = parseMetricsToken(process.env['METRICS_TOKEN']);
  // serve.ts refuses to start with a bad token; this only guards other ways of running the build.
  if (!configured.ok) return jsonError(404, 'Not found.');
  const access = authorizeMetrics({ token: configured.token, authorization: request.headers.get('authorization'), clientAddress });
  if (!access.ok)
    return jsonError(access.status, access.error, undefined, access.status === 401 ? { 'www-authenticate': 'Bearer realm="metrics"' } : {});
  const { body, contentType } = await renderMetrics();
  return new Response(body, { headers: { 'content-type': contentType, 'cache-control': 'no-store' } });
};
