// Random identifiers and secrets for sessions and reset links, following the Lucia guide:
// human-safe base32 alphabet, 26 characters = 130 bits of entropy per part; only a SHA-256 hash
// of the secret is ever stored, and hashes are compared in constant time.
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';

const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
/** 26 characters × 5 bits = 130 bits. */
export const RANDOM_STRING_LENGTH = 26;

export function generateSecureRandomString(): string {
  const bytes = new Uint8Array(RANDOM_STRING_LENGTH);
  crypto.getRandomValues(bytes);
  let out = '';
  // 32 symbols: the low five bits of each byte are uniformly distributed.
  for (const byte of bytes) out += ALPHABET[byte & 31];
  return out;
}

export function hashSecret(secret: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(sha256(new TextEncoder().encode(secret)));
}

export function secretMatches(secret: string, storedHash: Uint8Array): boolean {
  return constantTimeEqual(hashSecret(secret), storedHash);
}

const TOKEN_PART = new RegExp(`^[${ALPHABET}]{${RANDOM_STRING_LENGTH}}$`);

/** Splits `<id>.<secret>`; anything else (forged, truncated, oversized) is rejected. */
export function parseToken(token: string | undefined): { id: string; secret: string } | null {
  if (!token || token.length !== RANDOM_STRING_LENGTH * 2 + 1) return null;
  const [id = '', secret = '', ...rest] = token.split('.');
  if (rest.length > 0 || !TOKEN_PART.test(id) || !TOKEN_PART.test(secret)) return null;
  return { id, secret };
}

export function newToken(): { id: string; secret: string; token: string; secretHash: Uint8Array<ArrayBuffer> } {
  const id = generateSecureRandomString();
  const secret = generateSecureRandomString();
  return { id, secret, token: `${id}.${secret}`, secretHash: hashSecret(secret) };
}
