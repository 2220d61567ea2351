// Who may read /metrics (ADR 016). With METRICS_TOKEN set, a scraper sends it as a bearer token;
// without it, only clients on this machine (loopback) are answered, so `npm run dev` and a local
// Prometheus work with no configuration and nothing is exposed to the network by default.
import { timingSafeEqual } from 'node:crypto';

export const METRICS_TOKEN_MIN_LENGTH = 16;

export type MetricsAccess = { ok: true } | { ok: false; status: 401 | 404; error: string };

/** The configured token, or an error message naming METRICS_TOKEN. */
export function parseMetricsToken(value: string | undefined): { ok: true; token: string | null } | { ok: false; error: string } {
  if (value === undefined || value === '') return { ok: true, token: null };
  if (value.length < METRICS_TOKEN_MIN_LENGTH || /\s/.test(value))
    return { ok: false, error: `METRICS_TOKEN must be at least ${METRICS_TOKEN_MIN_LENGTH} characters without spaces` };
  return { ok: true, token: value };
}

export function isLoopbackAddress(address: string): boolean {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address) || address === '::1' || /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/i.test(address);
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function authorizeMetrics(input: { token: string | null; authorization: string | null; clientAddress: string }): MetricsAccess {
  if (input.token === null) {
    if (isLoopbackAddress(input.clientAddress)) return { ok: true };
    return { ok: false, status: 404, error: 'Not found.' };
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(input.authorization ?? '');
  if (!match?.[1]) return { ok: false, status: 401, error: 'Send the metrics token as "Authorization: Bearer <METRICS_TOKEN>".' };
  if (!sameSecret(match[1], input.token)) return { ok: false, status: 401, error: 'That metrics token is not valid.' };
  return { ok: true };
}
