// The hash functions of k6/crypto, by k6's names, on the host side of the sandbox.
import type { HashAlgorithm } from '@oslojs/crypto/hash';
import { hmac } from '@oslojs/crypto/hmac';
import { SHA1 } from '@oslojs/crypto/sha1';
import { SHA224, SHA256, SHA384, SHA512, SHA512_224, SHA512_256 } from '@oslojs/crypto/sha2';
import { decodeHex, encodeHexLowerCase } from '@oslojs/encoding';
import { MD5 } from './md5.ts';

export const HASH_ALGORITHMS: Readonly<Record<string, HashAlgorithm>> = {
  md5: MD5,
  sha1: SHA1,
  sha224: SHA224,
  sha256: SHA256,
  sha384: SHA384,
  sha512: SHA512,
  sha512_224: SHA512_224,
  sha512_256: SHA512_256,
};

/** Hex digest of hex-encoded data; with a key, the HMAC. Throws for an algorithm k6 does not have here. */
export function digestHex(algorithm: string, dataHex: string, keyHex: string | null): string {
  const Algorithm = HASH_ALGORITHMS[algorithm];
  if (Algorithm === undefined)
    throw new Error(`unsupported hash algorithm '${algorithm}' (supported: ${Object.keys(HASH_ALGORITHMS).join(', ')})`);
  const data = decodeHex(dataHex);
  if (keyHex !== null) return encodeHexLowerCase(hmac(Algorithm, decodeHex(keyHex), data));
  const hash = new Algorithm();
  hash.update(data);
  return encodeHexLowerCase(hash.digest());
}
