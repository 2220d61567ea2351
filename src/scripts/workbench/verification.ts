// What every telemetry-style workbench (the SLO lab's, the cluster lab's) does around the server:
// get a signed seed for a task (so a run can be verified), and submit a run and say what the
// server's re-run concluded. One place, so the wording and the 401 handling cannot drift apart.
import type { Submission } from '../../features/labs/submission.ts';
import { fetchSeed, submitRun } from './api.ts';
import type { Checklist } from './checklist.ts';

export function isSignedIn(): boolean {
  return document.documentElement.hasAttribute('data-signed-in');
}

export type SeedChoice = { seed: number; token: string | null };

/**
 * Signed in: the server's seed and token for the task (null when none could be had: the caller runs
 * locally with its own seed, and `status` says why). Signed out: null at once.
 */
export async function signedSeed(labId: string, taskId: string, labVersion: number, status: HTMLElement): Promise<SeedChoice | null> {
  if (!isSignedIn()) return null;
  const response = await fetchSeed(labId, taskId);
  if (response.ok) {
    if (response.value.version !== labVersion)
      status.textContent = `This lab was updated (version ${response.value.version}) after this page loaded: reload the page before you submit.`;
    return { seed: response.value.seed, token: response.value.token };
  }
  if (response.status === 401) {
    document.documentElement.removeAttribute('data-signed-in');
    status.textContent = 'Your session has ended: sign in again to submit. Runs are local only.';
  } else status.textContent = `No verifiable seed (${response.error}) Runs are local only.`;
  return null;
}

/** Submits a run; `status` gets the server's verdict (or why nothing was submitted). Resolves to whether it passed verified. */
export async function submitForVerification(
  labId: string,
  submission: Submission,
  status: HTMLElement,
  checklist: Checklist,
  what = 'your work',
): Promise<boolean> {
  status.className = '';
  status.textContent = `Submitting: the server is re-running ${what}…`;
  const response = await submitRun(labId, submission);
  if (!response.ok) {
    if (response.status === 401) document.documentElement.removeAttribute('data-signed-in');
    status.className = 'form-error';
    status.textContent = `Not submitted: ${response.error}`;
    return false;
  }
  const { passed, verified, message, verifyMs } = response.value;
  if (passed && verified) checklist.recordVerified(submission.taskId);
  status.className = passed && verified ? 'notice' : 'form-error';
  status.textContent =
    passed && verified
      ? `✓ Verified by the server (re-run in ${(verifyMs / 1000).toFixed(1)} s): ${message}`
      : `The server re-ran ${what}: not passed. ${message}`;
  return passed && verified;
}
