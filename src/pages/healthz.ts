import type { APIRoute } from 'astro';
import { checkHealth } from '../features/health/health.server.ts';

export const prerender = false;

export const GET: APIRoute = async () => {
  const report = await checkHealth();
  return Response.json(report, {
    status: report.status === 'ok' ? 200 : 503,
    headers: { 'cache-control': 'no-store' },
  });
};
