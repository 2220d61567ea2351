// Digests of task results: SHA-256 over canonical JSON (keys sorted), so the browser and the
// server agree on a result whatever the property order.
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';

/** Canonical JSON: keys sorted, so the digest does not depend on property order. */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

/** The digest of a telemetry task: its whole (JSON-safe) result, the dataset's digest and the verdict. */
export function digestOf(value: unknown): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(canonical(value))));
}
