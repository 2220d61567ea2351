import { createHash } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { base64url, exportJWK, generateKeyPair, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  buildCredential,
  matchesRecipientEmail,
  type OpenBadgeCredential,
  signCredential,
  type VerifyOptions,
  verifyCredential,
} from './credential.ts';
import { loadKeySet, rotateKey } from './keys.server.ts';

const issuedAt = new Date('2026-11-27T12:00:00Z');
const expiresAt = new Date('2028-11-27T12:00:00Z');
const now = new Date('2027-01-01T00:00:00Z');

async function fixture() {
  const keys = await loadKeySet({}, mkdtempSync(path.join(tmpdir(), 'headroom-keys-')));
  const credential = buildCredential({
    certificateId: 'c3f1a8d2e6b94d0f8a7e5c2b1d9e4f60',
    siteUrl: 'https://headroom.example',
    learnerName: 'Ada Lovelace',
    learnerEmail: 'Ada@Example.com',
    issuedAt,
    expiresAt,
    evidence: [
      { id: 'https://headroom.example/labs/k6-load-testing/', name: 'k6 lab', description: 'All four tasks verified by the server' },
    ],
  });
  const revoked = new Set<string>();
  const options: VerifyOptions = {
    keys: keys.publicKeys,
    now,
    status: async (id) => (id === credential.id ? { revoked: revoked.has(id), reason: revoked.has(id) ? 'issued in error' : null } : null),
  };
  return { keys, credential, options, revoked, jwt: await signCredential(credential, keys.current) };
}

/** Re-encodes the payload without re-signing: what a forger would do. */
function tamper(jwt: string, change: (c: OpenBadgeCredential & Record<string, unknown>) => void): string {
  const [header = '', payload = '', signature = ''] = jwt.split('.');
  const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload)));
  change(claims);
  return `${header}.${base64url.encode(JSON.stringify(claims))}.${signature}`;
}

describe('Open Badges 3.0 credentials as VC-JWT (EdDSA)', () => {
  it('verify after signing, with the issuer, achievement and evidence', async () => {
    const { jwt, options, keys } = await fixture();
    const result = await verifyCredential(jwt, options);
    expect(result).toMatchObject({
      valid: true,
      kid: keys.current.kid,
      credential: { credentialSubject: { name: 'Ada Lovelace' }, type: ['VerifiableCredential', 'OpenBadgeCredential'] },
    });
    expect(JSON.parse(new TextDecoder().decode(base64url.decode(jwt.split('.')[0] ?? '')))).toEqual({
      alg: 'EdDSA',
      kid: keys.current.kid,
      typ: 'vc+jwt',
    });
    expect(await verifyCredential(JSON.stringify({ jwt }), options)).toMatchObject({ valid: true });
  });

  it('identify the learner by a salted hash of the e-mail address, never the address itself', async () => {
    const { jwt, credential } = await fixture();
    const salt = 'c3f1a8d2e6b94d0f8a7e5c2b1d9e4f60';
    expect(credential.credentialSubject.identifier).toEqual([
      {
        type: 'IdentityObject',
        identityType: 'emailAddress',
        hashed: true,
        identityHash: `sha256$${createHash('sha256').update(`ada@example.com${salt}`).digest('hex')}`,
        salt,
      },
    ]);
    expect(new TextDecoder().decode(base64url.decode(jwt.split('.')[1] ?? ''))).not.toMatch(/ada@example\.com/i);
  });

  it('tell whether an e-mail address is the one the credential was issued to', async () => {
    const { credential } = await fixture();
    expect(matchesRecipientEmail(credential, ' ADA@example.com ')).toBe(true);
    expect(matchesRecipientEmail(credential, 'ada@example.org')).toBe(false);
    expect(matchesRecipientEmail(credential, '')).toBe(false);
  });

  it('fail when the name was changed', async () => {
    const { jwt, options } = await fixture();
    const forged = tamper(jwt, (c) => {
      c.credentialSubject.name = 'Mallory';
    });
    expect(await verifyCredential(forged, options)).toMatchObject({ valid: false, step: 'signature' });
  });

  it('fail when the dates were changed', async () => {
    const { jwt, options } = await fixture();
    const forged = tamper(jwt, (c) => {
      c.validUntil = '2099-01-01T00:00:00.000Z';
    });
    expect(await verifyCredential(forged, options)).toMatchObject({ valid: false, step: 'signature' });
  });

  it('fail when signed by another key under a known kid, or under an unknown kid', async () => {
    const { credential, options, keys } = await fixture();
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const otherJwk = (await exportJWK(privateKey)) as JWK;
    const impostor = await signCredential(credential, { kid: keys.current.kid, privateJwk: otherJwk });
    expect(await verifyCredential(impostor, options)).toMatchObject({ valid: false, step: 'signature' });
    const unknown = await signCredential(credential, { kid: 'not-a-headroom-key', privateJwk: otherJwk });
    expect(await verifyCredential(unknown, options)).toMatchObject({
      valid: false,
      step: 'key',
      reason: expect.stringContaining('never published'),
    });
  });

  it('fail when expired, and when revoked with the reason', async () => {
    const { jwt, options, revoked, credential } = await fixture();
    expect(await verifyCredential(jwt, { ...options, now: new Date('2029-01-01T00:00:00Z') })).toMatchObject({
      valid: false,
      step: 'dates',
      reason: expect.stringContaining('expired'),
    });
    revoked.add(credential.id);
    expect(await verifyCredential(jwt, options)).toMatchObject({
      valid: false,
      step: 'status',
      reason: 'The credential was revoked: issued in error',
    });
  });

  it('fail on malformed input and on alg "none"', async () => {
    const { jwt, options } = await fixture();
    for (const garbage of ['', '{not json', '{"jwt": 42}', 'a.b', '\u0000'.repeat(10)]) {
      expect(await verifyCredential(garbage, options)).toMatchObject({ valid: false, step: 'format' });
    }
    const [, payload = ''] = jwt.split('.');
    const none = `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'vc+jwt' }))}.${payload}.`;
    expect(await verifyCredential(none, options)).toMatchObject({
      valid: false,
      step: 'algorithm',
      reason: expect.stringContaining('"none"'),
    });
  });
});

describe('signing keys', () => {
  it('are generated once into a file only the owner can read, and reused', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'headroom-keys-'));
    const first = await loadKeySet({}, dir);
    expect(statSync(path.join(dir, 'credential-keys.json')).mode & 0o777).toBe(0o600);
    expect((await loadKeySet({}, dir)).current.kid).toBe(first.current.kid);
  });

  it('keep retired keys in the key set after a rotation, so old credentials still verify', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'headroom-keys-'));
    const before = await loadKeySet({}, dir);
    const { credential, options } = await fixture();
    const oldJwt = await signCredential(credential, before.current);
    await rotateKey(dir);
    const after = await loadKeySet({}, dir);
    expect(after.current.kid).not.toBe(before.current.kid);
    expect([...after.publicKeys.keys()]).toEqual(expect.arrayContaining([before.current.kid, after.current.kid]));
    expect(await verifyCredential(oldJwt, { ...options, keys: after.publicKeys })).toMatchObject({ valid: true });
    for (const jwk of after.publicKeys.values()) expect(jwk).not.toHaveProperty('d');
  });

  it('take CREDENTIAL_SIGNING_KEY when set, and explain a bad one', async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const jwk = await exportJWK(privateKey);
    const set = await loadKeySet(
      { CREDENTIAL_SIGNING_KEY: JSON.stringify({ ...jwk, kid: 'ops-2026' }) },
      mkdtempSync(path.join(tmpdir(), 'headroom-keys-')),
    );
    expect(set.current.kid).toBe('ops-2026');
    await expect(loadKeySet({ CREDENTIAL_SIGNING_KEY: '{"kty":"RSA"}' }, mkdtempSync(path.join(tmpdir(), 'k-')))).rejects.toThrow(
      /CREDENTIAL_SIGNING_KEY/,
    );
  });
});
