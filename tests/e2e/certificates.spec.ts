// Certificates in a browser: the whole journey from passing the exam to a stranger verifying the
// certificate and an instructor revoking it, plus the public endpoints' answers to bad ids.
import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { findLab } from '../../labs/registry.ts';
import { issueCertificateFor, revokeCertificate } from '../../src/features/certificates/certificates.server.ts';
import { loadBank } from '../../src/features/exam/bank.server.ts';
import { db } from '../../src/lib/server/db.server.ts';
import { withDbRetry } from '../../src/lib/server/db-retry.ts';
import { rightAnswer } from '../support/exam-candidates.ts';
import { makeExamEligible } from '../support/exam-eligibility.ts';
import { createLearner, expect, signInContext, test } from './fixtures.ts';

test('an unknown certificate id gets a 404 page that says so plainly', async ({ page }) => {
  for (const id of ['0123456789abcdef0123456789abcdef', 'not-an-id']) {
    const response = await page.goto(`/verify/${id}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1, name: 'Certificate not found' })).toBeVisible();
  }
  expect((await page.request.get('/certificates/0123456789abcdef0123456789abcdef/credential')).status()).toBe(404);
});

test('the issuer profile and its public keys are published', async ({ request }) => {
  const jwks = await (await request.get('/.well-known/jwks.json')).json();
  expect(jwks.keys.length).toBeGreaterThan(0);
  expect(jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
  expect(jwks.keys[0]).not.toHaveProperty('d');
  const issuer = await (await request.get('/issuer')).json();
  expect(issuer).toMatchObject({ type: ['Profile'], name: 'Headroom' });
});

test.describe('a real certificate', () => {
  test('verifies on its page and in the verifier, and both say revoked once it is revoked', async ({ browser, baseURL }) => {
    const learner = await createLearner();
    const attemptId = crypto.randomUUID();
    const now = new Date();
    await withDbRetry(() =>
      db().examAttempt.create({
        data: {
          id: attemptId,
          userId: learner.userId,
          blueprintVersion: 1,
          formSeed: 1,
          startedAt: now,
          deadline: now,
          submittedAt: now,
          status: 'submitted',
          score: { create: { raw: 0.9, reported: 910, passed: true, perDomain: '{}', perItem: '{}', scoredAt: now } },
        },
      }),
    );
    const id = (await withDbRetry(() => issueCertificateFor(attemptId))) ?? '';
    expect(id).toMatch(/^[0-9a-f]{32}$/);

    // A stranger, without an account.
    const stranger = await browser.newContext();
    const anonymous = await stranger.newPage();
    await anonymous.goto(`${baseURL}/verify/${id}`);
    await expect(anonymous.getByRole('status')).toContainText('Valid');
    await expect(anonymous.getByText(learner.name)).toBeVisible();
    const jwt = await (await anonymous.request.get(`${baseURL}/certificates/${id}/credential`)).text();

    // Any VC-JWT verifier given our JWKS: here jose's, fetching the published key set over HTTP.
    const verified = await jwtVerify(jwt, createRemoteJWKSet(new URL('/.well-known/jwks.json', baseURL)), {
      algorithms: ['EdDSA'],
      typ: 'vc+jwt',
      issuer: `${baseURL}/issuer`,
    });
    expect(verified.protectedHeader.kid).toBeTruthy();
    expect(verified.payload).toMatchObject({
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      credentialSubject: { name: learner.name, achievement: { name: 'Headroom Certified Performance Engineer' } },
      credentialStatus: { id: `${baseURL}/certificates/${id}/status` },
    });

    await anonymous.goto(`${baseURL}/verify`);
    await anonymous.getByLabel('Credential', { exact: true }).fill(jwt);
    await anonymous.getByRole('button', { name: 'Verify' }).click();
    await expect(anonymous.getByRole('status')).toContainText(`Valid. Issued by Headroom to ${learner.name}`);

    const [header = '', payload = '', signature = ''] = jwt.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    claims.credentialSubject.name = 'Someone Else';
    await anonymous
      .getByLabel('Credential', { exact: true })
      .fill(`${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`);
    await anonymous.getByRole('button', { name: 'Verify' }).click();
    await expect(anonymous.getByRole('alert')).toContainText('failed at: signature');

    await anonymous.getByLabel('Credential', { exact: true }).fill('');
    await anonymous
      .getByLabel('…or a credential file')
      .setInputFiles({ name: 'credential.jwt', mimeType: 'text/plain', buffer: Buffer.from(jwt) });
    await anonymous.getByRole('button', { name: 'Verify' }).click();
    await expect(anonymous.getByRole('status')).toContainText('Valid.');

    await anonymous
      .getByLabel('…or a credential file')
      .setInputFiles({ name: 'huge.json', mimeType: 'application/json', buffer: Buffer.alloc(200 * 1024, 'a') });
    const tooBig = anonymous.waitForResponse((r) => r.url().endsWith('/verify') && r.request().method() === 'POST');
    await anonymous.getByRole('button', { name: 'Verify' }).click();
    expect((await tooBig).status()).toBe(413);
    await expect(anonymous.getByRole('alert')).toContainText('too large');

    await withDbRetry(() => revokeCertificate(id, 'issued in error'));
    await anonymous.goto(`${baseURL}/verify/${id}`);
    await expect(anonymous.getByRole('status')).toContainText('Revoked: issued in error');
    await anonymous.goto(`${baseURL}/verify`);
    await anonymous.getByLabel('Credential', { exact: true }).fill(jwt);
    await anonymous.getByRole('button', { name: 'Verify' }).click();
    await expect(anonymous.getByRole('alert')).toContainText('revoked: issued in error');
    await stranger.close();
  });
});

async function pdfText(bytes: Uint8Array): Promise<string> {
  const document = await getDocument({ data: bytes, useSystemFonts: false, isEvalSupported: false }).promise;
  const content = await (await document.getPage(1)).getTextContent();
  return content.items.map((item) => ('str' in item ? item.str : '')).join('\n');
}

async function expectNoSeriousAxeViolations(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const blocking = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
  expect(blocking, label).toEqual([]);
}

async function download(page: Page, link: Locator): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const filePath = await file.path();
  return { name: file.suggestedFilename(), bytes: await readFile(filePath) };
}

test('a learner passes the exam, prints the certificate, a stranger verifies it, and an instructor revokes it', async ({
  page,
  learner,
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  await makeExamEligible(learner.userId);

  // 1. Pass the exam: start it on the exam page, answer every question with its key through the
  //    page's own autosave endpoint, then submit through the page.
  await page.goto('/exam/');
  await page.getByRole('button', { name: 'Start the exam' }).click();
  await expect(page).toHaveURL(/\/exam\/attempts\/[^/]+\/(#question-1)?$/, { timeout: 15_000 });
  const attemptId = /\/exam\/attempts\/([^/]+)\//.exec(page.url())?.[1] ?? '';
  const bank = new Map(loadBank().items.map((item) => [item.id, item]));
  const form = await db().attemptItem.findMany({ where: { attemptId }, select: { itemId: true, optionOrder: true } });
  expect(form.length).toBeGreaterThan(0);
  const answers = form.map(({ itemId, optionOrder }) => {
    const item = bank.get(itemId);
    if (!item) throw new Error(`item ${itemId} is not in the bank`);
    return { itemId, answer: rightAnswer(item, JSON.parse(optionOrder) as string[]) };
  });
  const statuses = await page.evaluate(
    async ({ id, answers }) => {
      const out: number[] = [];
      for (const { itemId, answer } of answers) {
        const response = await fetch(`/api/exam/attempts/${id}/responses/${itemId}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ answer, flagged: false, revision: 1 }),
        });
        out.push(response.status);
      }
      return out;
    },
    { id: attemptId, answers },
  );
  expect(statuses.every((s) => s === 200)).toBe(true);
  await page.reload();
  await page.getByRole('button', { name: 'Submit exam' }).click();
  const dialog = page.getByRole('dialog', { name: 'Submit your exam?' });
  await expect(dialog).toContainText(`You answered ${form.length} of ${form.length} questions.`);
  await dialog.getByRole('button', { name: 'Submit now' }).click();
  await expect(page).toHaveURL(new RegExp(`/exam/attempts/${attemptId}/result/$`));
  await expect(page.getByText('Passed', { exact: true })).toBeVisible();

  // 2. The certificate page, from the result.
  await page.getByRole('link', { name: 'Your certificate' }).click();
  await expect(page).toHaveURL(/\/verify\/[0-9a-f]{32}$/);
  const certificateId = /\/verify\/([0-9a-f]{32})$/.exec(page.url())?.[1] ?? '';
  await expect(page.getByRole('status')).toContainText('Valid');
  await expect(page.getByText(learner.name)).toBeVisible();
  const verifyUrl = `${baseURL}/verify/${certificateId}`;
  await expect(page.getByRole('img', { name: `QR code linking to ${verifyUrl}` })).toBeVisible();
  const linkedIn = new URL((await page.getByRole('link', { name: /^Add to LinkedIn profile/ }).getAttribute('href')) ?? '');
  expect(linkedIn.searchParams.get('certId')).toBe(certificateId);
  expect(linkedIn.searchParams.get('certUrl')).toBe(verifyUrl);
  expect(await page.locator('meta[property="og:image"]').getAttribute('content')).toMatch(
    new RegExp(`/certificates/${certificateId}\\.png$`),
  );
  await expectNoSeriousAxeViolations(page, 'certificate page');

  // The evidence links lead to the server-verified lab runs, without the learner's script.
  const lab = findLab('k6-load-testing');
  const firstTask = lab?.tasks[0]?.title ?? '';
  await page.getByRole('link', { name: `${lab?.title}: ${firstTask}` }).click();
  await expect(page).toHaveURL(new RegExp(`/certificates/${certificateId}/evidence/[0-9a-f-]{36}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(firstTask);
  await expect(page.getByRole('status')).toContainText('the server re-ran the learner’s k6 script');
  await page.getByRole('link', { name: `Certificate of ${learner.name}` }).click();
  await expect(page).toHaveURL(/\/verify\/[0-9a-f]{32}$/);

  // 3. The printable PDF has the name and the id.
  const pdf = await download(page, page.getByRole('link', { name: 'Printable certificate (PDF)' }));
  expect(pdf.name).toBe(`headroom-certificate-${certificateId}.pdf`);
  const text = await pdfText(new Uint8Array(pdf.bytes));
  expect(text).toContain(learner.name);
  expect(text).toContain(certificateId);
  expect(text).toContain(verifyUrl);

  // 4. The credential, downloaded from the dashboard.
  await page.goto('/dashboard/');
  const certificates = page.getByRole('region', { name: 'Your certificate' });
  await expect(certificates.getByText(/Issued .* valid until/)).toBeVisible();
  const credential = await download(page, certificates.getByRole('link', { name: 'Download the signed credential (Open Badges 3.0)' }));
  expect(credential.name).toBe(`headroom-certificate-${certificateId}.jwt`);

  // 5. A stranger, with no account: the page says valid, and so does the verifier for the file.
  const strangerContext = await browser.newContext();
  const stranger = await strangerContext.newPage();
  await stranger.goto(verifyUrl);
  await expect(stranger.getByRole('status')).toContainText('Valid');
  await expect(stranger.getByText(learner.name)).toBeVisible();
  const upload = async (email = '') => {
    await stranger.goto(`${baseURL}/verify`);
    await stranger
      .getByLabel('…or a credential file')
      .setInputFiles({ name: credential.name, mimeType: 'application/vc+jwt', buffer: credential.bytes });
    await stranger.getByLabel('Holder’s e-mail address (optional)').fill(email);
    await stranger.getByRole('button', { name: 'Verify' }).click();
  };
  await upload(learner.email);
  await expect(stranger.getByRole('status')).toContainText(`Valid. Issued by Headroom to ${learner.name}`);
  await expect(stranger.getByRole('status')).toContainText('The e-mail address you entered is the one this credential was issued to.');

  // 6. An instructor revokes it on the certificates screen.
  const instructor = await createLearner('instructor');
  const instructorContext = await browser.newContext();
  await signInContext(instructorContext, baseURL ?? '', instructor);
  const admin = await instructorContext.newPage();
  await admin.goto(`${baseURL}/admin/certificates/?q=${encodeURIComponent(learner.email)}`);
  await expectNoSeriousAxeViolations(admin, 'instructor certificates screen');
  const row = admin.getByRole('row').filter({ hasText: learner.email });
  await row.getByText('Active — revoke…').click();
  await row.getByRole('button', { name: 'Revoke certificate' }).click();
  await expect(admin.getByRole('alert')).toHaveCount(0);
  await expect(admin.getByText('Give a reason of at least 3 characters; the verification page shows it.')).toBeVisible();
  const reasonField = admin
    .getByRole('row')
    .filter({ hasText: learner.email })
    .getByLabel(`Reason for revoking ${learner.name}’s certificate`);
  await reasonField.fill('exam taken by someone else');
  await admin.getByRole('row').filter({ hasText: learner.email }).getByRole('button', { name: 'Revoke certificate' }).click();
  await expect(admin.getByRole('status')).toHaveText(
    `The certificate of ${learner.name} is revoked. Its verification page and the verifier now say so.`,
  );
  await expect(admin.getByRole('row').filter({ hasText: learner.email })).toContainText(
    `by ${instructor.email}: exam taken by someone else`,
  );

  // Both now say revoked, at once; the PDF is withdrawn.
  await stranger.goto(verifyUrl);
  await expect(stranger.getByRole('status')).toContainText('Revoked: exam taken by someone else');
  await upload();
  await expect(stranger.getByRole('alert')).toContainText('revoked: exam taken by someone else');
  expect((await stranger.request.get(`${baseURL}/certificates/${certificateId}.pdf`)).status()).toBe(410);
  await strangerContext.close();
  await instructorContext.close();
  await withDbRetry(() => db().user.deleteMany({ where: { id: instructor.userId } }));
});

test('an unknown or malformed certificate id gets a readable 404 for the PDF and the PNG', async ({ request }) => {
  for (const path of ['/certificates/0123456789abcdef0123456789abcdef.pdf', '/certificates/nope.png', '/certificates/%00.pdf']) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(404);
  }
  const body = await (await request.get('/certificates/0123456789abcdef0123456789abcdef.pdf')).json();
  expect(body).toEqual({ error: 'There is no certificate with this id.' });
});

test('evidence a certificate does not cite gets a 404 page that says so', async ({ page }) => {
  const response = await page.goto('/certificates/0123456789abcdef0123456789abcdef/evidence/00000000-0000-0000-0000-000000000000');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1, name: 'Evidence not found' })).toBeVisible();
});
