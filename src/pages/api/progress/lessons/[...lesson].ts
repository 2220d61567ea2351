import type { APIRoute } from 'astro';
import { isDeletedAccount, recordLessonReport } from '../../../../features/progress/progress.server.ts';
import { LessonReportSchema } from '../../../../features/progress/progress.ts';
import { loadCatalog } from '../../../../lib/catalog.ts';
import { jsonError, methodNotAllowed, readJsonBody } from '../../../../lib/server/http.ts';

export const prerender = false;

export const PUT: APIRoute = async ({ locals, params, request }) => {
  if (!locals.user) return jsonError(401, 'Sign in to save progress.');
  const lessonId = params['lesson'] ?? '';
  if (!(await loadCatalog()).lessons.has(lessonId)) return jsonError(404, `There is no lesson "${lessonId.slice(0, 120)}".`);
  const body = await readJsonBody(request, LessonReportSchema);
  if (!body.ok) return body.response;
  try {
    return Response.json(await recordLessonReport(locals.user.id, lessonId, body.data));
  } catch (error) {
    if (isDeletedAccount(error)) return jsonError(401, 'This account no longer exists.');
    throw error;
  }
};

export const ALL = methodNotAllowed({ PUT });
