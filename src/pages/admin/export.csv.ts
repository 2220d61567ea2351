import type { APIRoute } from 'astro';
import { requireInstructor } from '../../features/auth/guards.ts';
import { attemptsCsv, parseAttemptFilters } from '../../features/exam/admin.server.ts';

export const prerender = false;

/** The attempts list as CSV, with the same filters (bad ones are ignored, as on the page). */
export const GET: APIRoute = async (context) => {
  const signedIn = await requireInstructor(context);
  if (signedIn instanceof Response) return signedIn;
  const { filters } = parseAttemptFilters(context.url.searchParams);
  const csv = await attemptsCsv(filters);
  const filename = `headroom-attempts-${new Date().toISOString().slice(0, 10)}.csv`;
  return new Response(csv, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'private, no-store',
    },
  });
};
