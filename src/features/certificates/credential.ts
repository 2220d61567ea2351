// Open Badges 3.0 credentials (W3C VC Data Model 2.0) secured as VC-JWTs signed with Ed25519
// (`alg: EdDSA`, `typ: vc+jwt`). Building, signing and verifying are here; keys and storage are
// server-side elsewhere. Verification runs its checks in the order OB 3.0 gives — structure,
// signature (with a known key), validity dates, then status — and reports the first failure.

import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { calculateJwkThumbprint, decodeProtectedHeader, importJWK, type JWK, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';

export const ACHIEVEMENT_NAME = 'Headroom Certified Performance Engineer';
export const ACHIEVEMENT_DESCRIPTION =
  'Load testing with k6, SLOs with Prometheus and SLO-based quality gates, and distributed database observability.';
export const CRITERIA_NARRATIVE = 'Passed the hands-on labs, verified by the server, and the timed certification exam.';

export interface EvidenceEntry {
  id: string;
  name: string;
  description: string;
}

export interface CredentialInput {
  certificateId: string;
  siteUrl: string;
  learnerName: string;
  /** Published only as a salted SHA-256 hash: an employer who knows the address can check it. */
  learnerEmail: string;
  issuedAt: Date;
  expiresAt: Date;
  evidence: EvidenceEntry[];
}

export const OpenBadgeCredentialSchema = z.object({
  '@context': z
    .array(z.string())
    .refine((c) => c[0] === 'https://www.w3.org/ns/credentials/v2', 'the first @context must be the VC 2.0 context'),
  id: z.url(),
  type: z
    .array(z.string())
    .refine(
      (t) => t.includes('VerifiableCredential') && t.includes('OpenBadgeCredential'),
      'type must include VerifiableCredential and OpenBadgeCredential',
    ),
  issuer: z.object({ id: z.url(), type: z.array(z.string()), name: z.string() }),
  validFrom: z.iso.datetime({ offset: true }),
  validUntil: z.iso.datetime({ offset: true }),
  name: z.string(),
  credentialSubject: z.object({
    type: z.array(z.string()),
    name: z.string().min(1),
    // OB 3.0: a subject without an `id` is identified by at least one IdentityObject.
    identifier: z
      .array(
        z.object({
          type: z.literal('IdentityObject'),
          identityHash: z.string(),
          identityType: z.string(),
          hashed: z.boolean(),
          salt: z.string().optional(),
        }),
      )
      .min(1),
    achievement: z.object({
      id: z.url(),
      type: z.array(z.string()),
      name: z.string(),
      description: z.string(),
      criteria: z.object({ narrative: z.string() }),
    }),
  }),
  credentialStatus: z.object({ id: z.url(), type: z.string() }),
  evidence: z.array(z.object({ id: z.url(), type: z.array(z.string()), name: z.string(), description: z.string() })),
});

export type OpenBadgeCredential = z.infer<typeof OpenBadgeCredentialSchema>;

/** OB 3.0's IdentityHash: "sha256$" and the hex SHA-256 of the plaintext followed by the salt. */
export function identityHash(plaintext: string, salt: string): string {
  return `sha256$${encodeHexLowerCase(sha256(new TextEncoder().encode(plaintext + salt)))}`;
}

/** Whether `email` is the address the credential's hashed e-mail identifier was made from. */
export function matchesRecipientEmail(credential: OpenBadgeCredential, email: string): boolean {
  return credential.credentialSubject.identifier.some(
    (id) => id.identityType === 'emailAddress' && id.hashed && id.identityHash === identityHash(email.trim().toLowerCase(), id.salt ?? ''),
  );
}

export function buildCredential(input: CredentialInput): OpenBadgeCredential {
  const site = input.siteUrl.replace(/\/$/, '');
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: `${site}/certificates/${input.certificateId}/credential`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: `${site}/issuer`, type: ['Profile'], name: 'Headroom' },
    validFrom: input.issuedAt.toISOString(),
    validUntil: input.expiresAt.toISOString(),
    name: ACHIEVEMENT_NAME,
    credentialSubject: {
      type: ['AchievementSubject'],
      name: input.learnerName,
      identifier: [
        {
          type: 'IdentityObject',
          identityType: 'emailAddress',
          hashed: true,
          // The certificate id is random and unique, so one address hashes differently on each credential.
          identityHash: identityHash(input.learnerEmail.toLowerCase(), input.certificateId),
          salt: input.certificateId,
        },
      ],
      achievement: {
        id: `${site}/achievements/certified-performance-engineer`,
        type: ['Achievement'],
        name: ACHIEVEMENT_NAME,
        description: ACHIEVEMENT_DESCRIPTION,
        criteria: { narrative: CRITERIA_NARRATIVE },
      },
    },
    credentialStatus: { id: `${site}/certificates/${input.certificateId}/status`, type: 'HeadroomStatusEndpoint' },
    evidence: input.evidence.map((e) => ({ id: e.id, type: ['Evidence'], name: e.name, description: e.description })),
  };
}

export interface SigningKey {
  kid: string;
  privateJwk: JWK;
}

// Importing a JWK costs more than an Ed25519 signature; key sets hold the same JWK objects for the
// life of the process, so each is imported once.
const importedKeys = new WeakMap<JWK, ReturnType<typeof importJWK>>();
function importKey(jwk: JWK): ReturnType<typeof importJWK> {
  let key = importedKeys.get(jwk);
  if (!key) {
    key = importJWK(jwk, 'EdDSA');
    importedKeys.set(jwk, key);
  }
  return key;
}

export async function signCredential(credential: OpenBadgeCredential, key: SigningKey): Promise<string> {
  const privateKey = await importKey(key.privateJwk);
  return new SignJWT({ ...credential } as unknown as JWTPayload)
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'vc+jwt' })
    .setIssuer(credential.issuer.id)
    .setJti(credential.id)
    .setIssuedAt(Math.floor(new Date(credential.validFrom).getTime() / 1000))
    .setNotBefore(Math.floor(new Date(credential.validFrom).getTime() / 1000))
    .setExpirationTime(Math.floor(new Date(credential.validUntil).getTime() / 1000))
    .sign(privateKey);
}

/** The checks a credential goes through, in the order they run; the first that fails is reported. */
export const VERIFICATION_STEPS = ['format', 'algorithm', 'key', 'signature', 'schema', 'dates', 'status'] as const;
export type VerificationStep = (typeof VERIFICATION_STEPS)[number];

export type Verification =
  | { valid: true; credential: OpenBadgeCredential; kid: string }
  | { valid: false; step: VerificationStep; reason: string; credential?: OpenBadgeCredential };

export interface VerifyOptions {
  /** Public keys by kid (current and retired). */
  keys: ReadonlyMap<string, JWK>;
  now: Date;
  /** Looks up revocation; null when the credential is not ours or unknown. */
  status: (credentialId: string) => Promise<{ revoked: boolean; reason: string | null } | null>;
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Accepts a compact VC-JWT, or JSON holding one (`{ "jwt": "…" }` or a JSON string). */
export function extractJwt(input: string): string | null {
  const text = input.trim();
  if (JWT_SHAPE.test(text)) return text;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'string' && JWT_SHAPE.test(parsed)) return parsed;
    if (parsed && typeof parsed === 'object' && typeof (parsed as { jwt?: unknown }).jwt === 'string') {
      const jwt = (parsed as { jwt: string }).jwt.trim();
      return JWT_SHAPE.test(jwt) ? jwt : null;
    }
  } catch {
    return null;
  }
  return null;
}

export async function verifyCredential(input: string, options: VerifyOptions): Promise<Verification> {
  const jwt = extractJwt(input);
  if (!jwt)
    return {
      valid: false,
      step: 'format',
      reason: 'This is not a Headroom credential: expected a VC-JWT (three base64url parts), or JSON holding one.',
    };
  let header: { alg?: string; kid?: string };
  try {
    header = decodeProtectedHeader(jwt);
  } catch {
    return { valid: false, step: 'format', reason: 'The credential header cannot be read.' };
  }
  if (header.alg !== 'EdDSA')
    return {
      valid: false,
      step: 'algorithm',
      reason: `The credential is signed with "${header.alg ?? 'none'}"; only EdDSA (Ed25519) signatures are accepted.`,
    };
  const jwk = header.kid ? options.keys.get(header.kid) : undefined;
  if (!jwk)
    return {
      valid: false,
      step: 'key',
      reason: `The credential names a signing key (kid "${header.kid ?? ''}") that Headroom has never published.`,
    };
  let payload: JWTPayload;
  try {
    // Dates are checked below, in their own step, so an expired credential says "expired".
    const verified = await jwtVerify(jwt, await importKey(jwk), {
      algorithms: ['EdDSA'],
      currentDate: new Date(0),
      clockTolerance: Number.MAX_SAFE_INTEGER,
    });
    payload = verified.payload;
  } catch {
    return {
      valid: false,
      step: 'signature',
      reason: 'The signature does not match: the credential was changed after it was issued, or was not signed by Headroom.',
    };
  }
  const parsed = OpenBadgeCredentialSchema.safeParse(payload);
  if (!parsed.success)
    return {
      valid: false,
      step: 'schema',
      reason: `The credential is not a valid Open Badges 3.0 credential (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}).`,
    };
  const credential = parsed.data;
  const now = options.now.getTime();
  if (new Date(credential.validFrom).getTime() > now)
    return { valid: false, step: 'dates', reason: 'The credential is not valid yet.', credential };
  if (new Date(credential.validUntil).getTime() <= now)
    return { valid: false, step: 'dates', reason: `The credential expired on ${credential.validUntil.slice(0, 10)}.`, credential };
  const status = await options.status(credential.id);
  if (!status) return { valid: false, step: 'status', reason: 'Headroom has no record of this credential.', credential };
  if (status.revoked)
    return { valid: false, step: 'status', reason: `The credential was revoked${status.reason ? `: ${status.reason}` : '.'}`, credential };
  return { valid: true, credential, kid: header.kid ?? '' };
}

/** The key id: the RFC 7638 thumbprint of the public key. */
export function keyIdFor(publicJwk: JWK): Promise<string> {
  return calculateJwkThumbprint({ kty: publicJwk.kty ?? 'OKP', crv: publicJwk.crv ?? 'Ed25519', x: publicJwk.x ?? '' });
}
