import { describe, expect, it } from 'vitest';
import { generateSecureRandomString, newToken, parseToken, RANDOM_STRING_LENGTH, secretMatches } from './tokens.ts';

describe('session tokens', () => {
  it('are "<id>.<secret>" with at least 120 bits of entropy in each part', () => {
    const { token, id, secret } = newToken();
    expect(token).toBe(`${id}.${secret}`);
    // 26 symbols from a 32-symbol alphabet: 26 × log2(32) = 130 bits.
    expect(RANDOM_STRING_LENGTH * Math.log2(32)).toBeGreaterThanOrEqual(120);
    expect(id).toMatch(/^[a-z2-9]{26}$/);
    expect(secret).toMatch(/^[a-z2-9]{26}$/);
  });

  it('never repeat', () => {
    const seen = new Set(Array.from({ length: 2000 }, () => generateSecureRandomString()));
    expect(seen.size).toBe(2000);
  });

  it('store only a SHA-256 hash of the secret and compare it exactly', () => {
    const { secret, secretHash } = newToken();
    expect(secretHash).toHaveLength(32);
    expect(secretMatches(secret, secretHash)).toBe(true);
    expect(secretMatches('x'.repeat(26), secretHash)).toBe(false);
    const flipped = secret.at(-1) === 'a' ? `${secret.slice(0, -1)}b` : `${secret.slice(0, -1)}a`;
    expect(secretMatches(flipped, secretHash)).toBe(false);
  });

  it('reject tampered, truncated and malformed tokens', () => {
    const { token } = newToken();
    expect(parseToken(token)).not.toBeNull();
    for (const bad of [
      undefined,
      '',
      token.slice(1),
      `${token}x`,
      token.replace('.', '-'),
      `${token.split('.')[0]}.${'A'.repeat(26)}`,
      `a.b.c`,
      'x'.repeat(4096),
    ]) {
      expect(parseToken(bad)).toBeNull();
    }
  });
});
