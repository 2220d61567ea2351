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
