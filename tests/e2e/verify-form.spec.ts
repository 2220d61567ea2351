// The verifier form after a failed check: what was pasted is still there, exactly and escaped, and
// the answer points at the step that failed.
import AxeBuilder from '@axe-core/playwright';
import { withDbRetry } from '../../src/lib/server/db-retry.ts';
import { createCertificateFixture } from '../support/certificates.ts';
import { expect, test } from './fixtures.ts';

test('a credential that fails its signature check stays in the form, with the failing step marked', async ({ page }) => {
  const certificate = await withDbRetry(() => createCertificateFixture(`verify-form-${crypto.randomUUID()}@example.com`));
  const jwt = await (await page.request.get(`/certificates/${certificate.id}/credential`)).text();
  const [header = '', payload = '', signature = ''] = jwt.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  claims.credentialSubject.name = 'Someone Else';
  const tampered = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;

  await page.goto('/verify');
  await page.getByLabel('Credential', { exact: true }).fill(tampered);
  await page.getByLabel('Holder’s e-mail address (optional)').fill('holder@example.com');
  const answer = page.waitForResponse((r) => r.url().endsWith('/verify') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Verify' }).click();
  expect((await answer).status()).toBe(422);

  const alert = page.getByRole('alert');
  await expect(alert).toContainText('failed at: signature');
  const steps = alert.getByRole('list', { name: 'Checks, in the order they ran' }).getByRole('listitem');
  await expect(steps).toHaveText([
    'format: passed',
    'signature algorithm: passed',
    'signing key: passed',
    'signature: failed',
    'Open Badges structure: not checked',
    'validity dates: not checked',
    'revocation status: not checked',
  ]);
  await expect(alert.locator('[aria-current="step"]')).toHaveText('signature: failed');

  const credential = page.getByLabel('Credential', { exact: true });
  await expect(credential).toHaveValue(tampered);
  await expect(credential).toHaveAttribute('aria-invalid', 'true');
  await expect(credential).toHaveAccessibleDescription(/failed at: signature/);
  await expect(page.getByLabel('Holder’s e-mail address (optional)')).toHaveValue('holder@example.com');
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

  // Corrected in place, the same form verifies it.
  await credential.fill(jwt);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('status')).toContainText(`Valid. Issued by Headroom to ${certificate.name}`);
  await expect(page.getByLabel('Credential', { exact: true })).toHaveValue(jwt);
});

test('markup pasted into the verifier comes back as text, never as markup', async ({ page }) => {
  const pasted = '</textarea><script>window.pwned = 1</script><img src="x" onerror="window.pwned = 2"> & "quotes"';
  await page.goto('/verify');
  await page.getByLabel('Credential', { exact: true }).fill(pasted);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('alert')).toContainText('failed at: format');
  await expect(page.getByRole('alert').locator('[aria-current="step"]')).toHaveText('format: failed');
  await expect(page.getByLabel('Credential', { exact: true })).toHaveValue(pasted);
  expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  await expect(page.locator('main img[src="x"]')).toHaveCount(0);
});
