// The /verify form: reads a pasted or uploaded credential (and, optionally, the e-mail address the
// holder gave), enforces the size limit, and verifies it against our keys and records.
import { verifyWithHeadroom } from './certificates.server.ts';
import { matchesRecipientEmail, type Verification } from './credential.ts';

export const MAX_CREDENTIAL_BYTES = 64 * 1024;

/** `submitted` is the checked text and e-mail address, shown again in the form so they can be corrected. */
export type VerifierOutcome =
  | { status: 200 | 422; verdict: Verification; emailMatches: boolean | null; submitted: { credential: string; email: string } }
  | { status: 400 | 413; problem: string };

const TOO_LARGE = 'That file is too large to be a credential (the limit is 64 KB).';

export async function checkSubmittedCredential(request: Request): Promise<VerifierOutcome> {
  // Multipart framing adds a little; anything far beyond the limit is refused before reading it.
  if (Number(request.headers.get('content-length') ?? '0') > MAX_CREDENTIAL_BYTES * 2) return { status: 413, problem: TOO_LARGE };
  let text = '';
  let email = '';
  try {
    const form = await request.formData();
    const file = form.get('file');
    const pasted = form.get('credential');
    const given = form.get('email');
    if (file instanceof File && file.size > MAX_CREDENTIAL_BYTES) return { status: 413, problem: TOO_LARGE };
    if (file instanceof File && file.size > 0) text = await file.text();
    if (text === '' && typeof pasted === 'string') text = pasted.slice(0, MAX_CREDENTIAL_BYTES + 1);
    if (typeof given === 'string') email = given.trim().slice(0, 254);
  } catch {
    return { status: 400, problem: 'The form could not be read. Paste the credential or choose the file again.' };
  }
  if (text.trim() === '') return { status: 400, problem: 'Paste a credential or choose a credential file.' };
  if (text.length > MAX_CREDENTIAL_BYTES) return { status: 413, problem: 'That is too large to be a credential (the limit is 64 KB).' };
  const verdict = await verifyWithHeadroom(text);
  const emailMatches = verdict.valid && email !== '' ? matchesRecipientEmail(verdict.credential, email) : null;
  return { status: verdict.valid ? 200 : 422, verdict, emailMatches, submitted: { credential: text, email } };
}
