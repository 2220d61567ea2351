import { expect, test } from '@playwright/test';

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
    const { createLearner } = await import('./fixtures.ts');
    const { db } = await import('../../src/lib/server/db.server.ts');
    const { withDbRetry } = await import('../../src/lib/server/db-retry.ts');
    const { issueCertificateFor, revokeCertificate } = await import('../../src/features/certificates/certificates.server.ts');
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
