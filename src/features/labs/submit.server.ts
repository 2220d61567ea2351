// A lab submission from the browser, checked and verified: the body (zod), the lab version, the
// task's input (each kind's files load), the signed seed, the rate limit, then the server's re-run
// in a worker thread and the stored LabRun. Every refusal is a 4xx with `{ error, issues }`.
import { findLab } from '../../../labs/registry.ts';
import { checkTaskInput } from '../../../labs/runtime/lab/check-input.ts';
import { jsonError, readJsonBody } from '../../lib/server/http.ts';
import { checkLimit, recordHit } from '../auth/rate-limit.server.ts';
import { storeLabRun } from './lab-runs.server.ts';
import { seedIsGenuine } from './seed.server.ts';
import { SUBMISSION_MAX_BYTES, SUBMISSIONS_PER_USER, SubmissionSchema } from './submission.ts';
import { VerifierBusyError, verifySubmission } from './verify.server.ts';

/** Re-runs a submitted task on the server, grades it, and stores the LabRun. */
export async function submitLabRun(user: { id: string } | null, labParam: string | undefined, request: Request): Promise<Response> {
  if (!user) return jsonError(401, 'Sign in to submit a lab for verification.');
  const lab = findLab(labParam ?? '');
  if (!lab) return jsonError(404, `There is no lab "${(labParam ?? '').slice(0, 100)}".`);
  const body = await readJsonBody(request, SubmissionSchema, SUBMISSION_MAX_BYTES);
  if (!body.ok) return body.response;
  const submission = body.data;
  if (submission.version !== lab.version) {
    return jsonError(
      409,
      `This lab changed (you ran version ${submission.version}, the current one is ${lab.version}). Reload the page, run your script again and resubmit.`,
    );
  }
  const task = lab.tasks.find((t) => t.id === submission.taskId);
  if (!task) return jsonError(404, `Lab "${lab.id}" has no task "${submission.taskId}".`);
  const inputIssues = checkTaskInput(task, submission.code, submission.files ?? {});
  if (inputIssues.length > 0) {
    const first = inputIssues[0];
    return jsonError(
      422,
      `What you submitted does not load: ${first?.message ?? 'invalid'}. Fix it, run the task again and resubmit.`,
      inputIssues,
    );
  }
  if (!(await seedIsGenuine(user.id, lab.id, submission.taskId, submission.seed, submission.token))) {
    return jsonError(400, 'The run seed was not issued by the server for this task (was it changed?). Run the task again and resubmit.');
  }
  const key = `lab-submit:${user.id}`;
  const limit = await checkLimit(key, SUBMISSIONS_PER_USER);
  if (limit.blocked)
    return jsonError(429, 'Too many submissions: wait a minute before submitting again.', undefined, {
      'retry-after': String(limit.retryAfter),
    });
  await recordHit(key, SUBMISSIONS_PER_USER);

  const started = performance.now();
  let outcome: Awaited<ReturnType<typeof verifySubmission>>;
  try {
    outcome = await verifySubmission({
      labId: lab.id,
      taskId: submission.taskId,
      code: submission.code,
      seed: submission.seed,
      answer: submission.answer,
      ...(submission.files ? { files: submission.files } : {}),
    });
  } catch (error) {
    if (error instanceof VerifierBusyError)
      return jsonError(503, 'The lab verifier is busy: try again in a minute.', undefined, { 'retry-after': '30' });
    return jsonError(422, `The server could not re-run the script: ${(error as Error).message}`);
  }
  const verifyMs = Math.round(performance.now() - started);
  const verified = outcome.digest === submission.digest;
  const runId = await storeLabRun({
    userId: user.id,
    outcome,
    code: submission.code,
    answer: submission.answer,
    ...(submission.files ? { files: submission.files } : {}),
    clientDigest: submission.digest,
    verified,
    verifyMs,
  });
  if (!verified) {
    return jsonError(
      422,
      "The server's re-run of this script did not produce the result your browser reported, so it does not count. Run it again and resubmit without changing anything in between.",
    );
  }
  return Response.json({ runId, passed: outcome.verdict.pass, message: outcome.verdict.message, verified, verifyMs });
}
