// The lab API from the browser: a signed seed for a verifiable run, and submissions.

import type { Submission } from '../../features/labs/submission.ts';
import {
  describeApiError,
  type SeedResponse,
  SeedResponseSchema,
  type SubmissionResult,
  SubmissionResultSchema,
} from '../../features/labs/workbench-messages.ts';

export type ApiResult<T> = { ok: true; value: T } | { ok: false; status: number; error: string };

async function call<T>(
  url: string,
  init: RequestInit,
  schema: { safeParse(data: unknown): { success: true; data: T } | { success: false } },
): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers: { accept: 'application/json', ...init.headers } });
  } catch {
    return { ok: false, status: 0, error: 'The server could not be reached. Check your connection and try again.' };
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) return { ok: false, status: response.status, error: describeApiError(response.status, body) };
  const parsed = schema.safeParse(body);
  if (!parsed.success) return { ok: false, status: response.status, error: 'The server sent an answer the page does not understand.' };
  return { ok: true, value: parsed.data };
}

export function fetchSeed(labId: string, taskId: string): Promise<ApiResult<SeedResponse>> {
  return call(`/api/labs/${encodeURIComponent(labId)}/seed?task=${encodeURIComponent(taskId)}`, { cache: 'no-store' }, SeedResponseSchema);
}

export function submitRun(labId: string, submission: Submission): Promise<ApiResult<SubmissionResult>> {
  return call(
    `/api/labs/${encodeURIComponent(labId)}/submissions`,
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(submission) },
    SubmissionResultSchema,
  );
}
