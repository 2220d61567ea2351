// Credential keys for a fleet (ADR 016). On PostgreSQL, several instances — possibly on several
// machines — must sign with one key and publish one JWKS, so without CREDENTIAL_SIGNING_KEY the
// generated key file lives in the database (AppSecret "credential-keys", the same JSON as
// data/credential-keys.json) instead of each machine's data folder. The first instance creates it —
// from its local key file if it has one, so certificates it signed before keep verifying — and a
// race between instances is settled by whichever row was written first.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { db } from '../../lib/server/db.server.ts';
import { type KeySet, keySetFromKeyFile, loadKeySet, newKeyFileText } from './keys.server.ts';

export const FLEET_KEYS_SECRET = 'credential-keys';

export async function loadFleetKeySet(dataDir: string): Promise<KeySet> {
  const existing = await db().appSecret.findUnique({ where: { name: FLEET_KEYS_SECRET }, select: { value: true } });
  if (!existing) {
    const localFile = path.join(dataDir, 'credential-keys.json');
    const value = existsSync(localFile) ? readFileSync(localFile, 'utf8') : await newKeyFileText();
    try {
      await db().appSecret.upsert({ where: { name: FLEET_KEYS_SECRET }, create: { name: FLEET_KEYS_SECRET, value }, update: {} });
    } catch (error) {
      if ((error as { code?: string }).code !== 'P2002') throw error;
    }
  }
  const stored = await db().appSecret.findUniqueOrThrow({ where: { name: FLEET_KEYS_SECRET }, select: { value: true } });
  return keySetFromKeyFile(JSON.parse(stored.value));
}

/**
 * CREDENTIAL_SIGNING_KEY set on a fleet (a rotation): that key signs, and the keys kept in the
 * database stay published as retired, so certificates signed before keep verifying.
 */
export async function loadFleetKeySetWithEnvKey(env: Record<string, string | undefined>, dataDir: string): Promise<KeySet> {
  const fromEnv = await loadKeySet(env, dataDir);
  const stored = await db().appSecret.findUnique({ where: { name: FLEET_KEYS_SECRET }, select: { value: true } });
  if (!stored) return fromEnv;
  const previous = await keySetFromKeyFile(JSON.parse(stored.value));
  for (const [kid, jwk] of previous.publicKeys) if (!fromEnv.publicKeys.has(kid)) fromEnv.publicKeys.set(kid, jwk);
  return fromEnv;
}
