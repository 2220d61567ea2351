// Credential signing keys. CREDENTIAL_SIGNING_KEY (an Ed25519 private JWK) wins; otherwise a key
// is generated on first use into data/credential-keys.json, readable only by its owner (0600).
// Retired keys stay in the file and in the JWKS, so certificates they signed still verify.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { z } from 'zod';
import { keyIdFor, type SigningKey } from './credential.ts';

const PrivateJwkSchema = z
  .object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string().min(40), d: z.string().min(40), kid: z.string().optional() })
  .loose();
const KeyFileSchema = z.object({ current: PrivateJwkSchema, retired: z.array(PrivateJwkSchema).default([]) });

export class SigningKeyError extends Error {
  override name = 'SigningKeyError';
}

export interface KeySet {
  current: SigningKey;
  /** Public keys by kid, current and retired (the JWKS). */
  publicKeys: Map<string, JWK>;
}

function publicPart(jwk: z.infer<typeof PrivateJwkSchema>): JWK {
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x };
}

async function toKeySet(current: z.infer<typeof PrivateJwkSchema>, retired: z.infer<typeof PrivateJwkSchema>[]): Promise<KeySet> {
  const publicKeys = new Map<string, JWK>();
  for (const jwk of [current, ...retired]) {
    const kid = jwk.kid ?? (await keyIdFor(publicPart(jwk)));
    publicKeys.set(kid, { ...publicPart(jwk), kid, alg: 'EdDSA', use: 'sig' });
  }
  const kid = current.kid ?? (await keyIdFor(publicPart(current)));
  return { current: { kid, privateJwk: { ...current, kid } }, publicKeys };
}

export async function loadKeySet(env: Record<string, string | undefined>, dataDir: string): Promise<KeySet> {
  const fromEnv = env['CREDENTIAL_SIGNING_KEY'];
  const file = path.join(dataDir, 'credential-keys.json');
  const stored = existsSync(file) ? KeyFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8'))) : null;
  if (stored && !stored.success) throw new SigningKeyError(`${file} is not a valid key file`);
  const retired = stored?.success ? [stored.data.current, ...stored.data.retired] : [];
  if (fromEnv) {
    let parsed: z.infer<typeof PrivateJwkSchema>;
    try {
      parsed = PrivateJwkSchema.parse(JSON.parse(fromEnv));
    } catch {
      throw new SigningKeyError('CREDENTIAL_SIGNING_KEY must be an Ed25519 private JWK: {"kty":"OKP","crv":"Ed25519","x":…,"d":…}');
    }
    // Keys from earlier files keep verifying old certificates.
    return toKeySet(
      parsed,
      retired.filter((k) => k.x !== parsed.x),
    );
  }
  if (stored?.success) return toKeySet(stored.data.current, stored.data.retired);
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk = PrivateJwkSchema.parse(await exportJWK(privateKey));
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify({ current: jwk, retired: [] }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return toKeySet(jwk, []);
}

/** A key set from the JSON of a key file (`{ current, retired }`), e.g. kept in the database. */
export async function keySetFromKeyFile(json: unknown): Promise<KeySet> {
  const parsed = KeyFileSchema.safeParse(json);
  if (!parsed.success) throw new SigningKeyError('the stored credential keys are not a valid key file');
  return toKeySet(parsed.data.current, parsed.data.retired);
}

/** A new key file's JSON text: one fresh Ed25519 key, nothing retired. */
export async function newKeyFileText(): Promise<string> {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk = PrivateJwkSchema.parse(await exportJWK(privateKey));
  return `${JSON.stringify({ current: jwk, retired: [] }, null, 2)}\n`;
}

/** Makes a new current key; the old one is kept as retired (still in the JWKS). */
export async function rotateKey(dataDir: string): Promise<void> {
  const file = path.join(dataDir, 'credential-keys.json');
  const stored = KeyFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk = PrivateJwkSchema.parse(await exportJWK(privateKey));
  writeFileSync(file, `${JSON.stringify({ current: jwk, retired: [stored.current, ...stored.retired] }, null, 2)}\n`, { mode: 0o600 });
}
