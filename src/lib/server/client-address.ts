// The client's address behind a reverse proxy (ADR 016). Only a peer listed in TRUST_PROXY may say
// who the client is, through X-Forwarded-For; the client is the right-most address in that header
// that is not itself a trusted proxy (entries to its left were written by the client and prove
// nothing). Without TRUST_PROXY the peer is the client, so per-IP rate limits and the loopback-only
// /metrics rule see the real address, not nginx's.

/** Addresses from TRUST_PROXY ("127.0.0.1,::1"); IPv4-mapped IPv6 forms are normalised. */
export function parseTrustedProxies(value: string | undefined): Set<string> {
  return new Set(
    (value ?? '')
      .split(',')
      .map((part) => normalise(part.trim()))
      .filter((part) => part !== ''),
  );
}

function normalise(address: string): string {
  return address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1').toLowerCase();
}

const ADDRESS = /^[0-9a-f.:]{2,45}$/i;

export function clientAddressBehindProxy(
  peer: string | undefined,
  forwardedFor: string | string[] | undefined,
  trusted: Set<string>,
): string | undefined {
  if (!peer || !trusted.has(normalise(peer)) || forwardedFor === undefined) return peer;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',')
    .map((hop) => hop.trim())
    .filter((hop) => hop !== '');
  for (let i = hops.length - 1; i >= 0; i -= 1) {
    const hop = normalise(hops[i] ?? '');
    if (!ADDRESS.test(hop)) return peer;
    if (!trusted.has(hop)) return hop;
  }
  return peer;
}
