// A fleet on PostgreSQL signs certificates with one key, kept in the database: instances starting
// together agree on it, and a machine's existing key file becomes the fleet's key.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FLEET_KEYS_SECRET, loadFleetKeySet, loadFleetKeySetWithEnvKey } from '../../src/features/certificates/fleet-keys.server.ts';
import { loadKeySet, newKeyFileText } from '../../src/features/certificates/keys.server.ts';
import { db } from '../../src/lib/server/db.server.ts';
import { useFreshDatabase } from '../support/use-database.ts';

const emptyDir = () => mkdtempSync(path.join(tmpdir(), 'headroom-fleet-keys-'));

describe('fleet credential keys (postgresql)', () => {
  useFreshDatabase('postgresql');

  it('gives every instance the same key, however many create it at once', async () => {
    const sets = await Promise.all(Array.from({ length: 4 }, () => loadFleetKeySet(emptyDir())));
    const kids = new Set(sets.map((s) => s.current.kid));
    expect(kids.size).toBe(1);
    expect(await db().appSecret.count({ where: { name: FLEET_KEYS_SECRET } })).toBe(1);
    // A later instance reads it back.
    expect((await loadFleetKeySet(emptyDir())).current.kid).toBe(sets[0]?.current.kid);
  });

  it('starts the fleet from a machine key file that already signed certificates', async () => {
    await db().appSecret.deleteMany({ where: { name: FLEET_KEYS_SECRET } });
    const dir = emptyDir();
    writeFileSync(path.join(dir, 'credential-keys.json'), await newKeyFileText());
    const machine = await loadKeySet({}, dir);
    const fleet = await loadFleetKeySet(dir);
    expect(fleet.current.kid).toBe(machine.current.kid);
    expect((await loadFleetKeySet(emptyDir())).current.kid).toBe(machine.current.kid);
  });

  it('keeps publishing the fleet key as retired once CREDENTIAL_SIGNING_KEY takes over (rotation)', async () => {
    const before = await loadFleetKeySet(emptyDir());
    const next = JSON.parse(await newKeyFileText()) as { current: Record<string, string> };
    const rotated = await loadFleetKeySetWithEnvKey({ CREDENTIAL_SIGNING_KEY: JSON.stringify(next.current) }, emptyDir());
    expect(rotated.current.kid).not.toBe(before.current.kid);
    expect(rotated.publicKeys.has(before.current.kid)).toBe(true);
    expect(rotated.publicKeys.has(rotated.current.kid)).toBe(true);
  });

  it('refuses a corrupted stored key set with a clear error', async () => {
    await db().appSecret.update({ where: { name: FLEET_KEYS_SECRET }, data: { value: '{"current":{"kty":"RSA"}}' } });
    await expect(loadFleetKeySet(emptyDir())).rejects.toThrow('the stored credential keys are not a valid key file');
  });
});
