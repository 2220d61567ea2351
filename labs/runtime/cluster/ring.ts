// The token ring: each node owns `vnodes` tokens in a 32-bit token space; a partition's replicas are
// the first RF distinct nodes clockwise from its token (SimpleStrategy). ScyllaDB hashes keys with
// Murmur3 into a signed 64-bit space; a seeded 32-bit hash is enough here (the ring only needs an
// even, reproducible spread), and keeps every step in 32-bit integer arithmetic, identical in every
// engine. As in ScyllaDB, a token belongs to the same shard index on every node with the same shard
// count: the shard is the token's position scaled to the shard count.
import { createSplitMix32 } from '../simulator/random.ts';

const TWO_POW_32 = 4294967296;

/** fmix32 (MurmurHash3's finaliser) of a key mixed with a seed: the partitioner's hash. */
export function hashKey(key: number, seed: number): number {
  let z = (Math.imul(key ^ 0x5bd1e995, 0x9e3779b1) + seed) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** The shard of a node with `shards` shards that owns `token`. */
export function shardOfToken(token: number, shards: number): number {
  return Math.floor((token / TWO_POW_32) * shards);
}

export interface TokenRing {
  /** Sorted tokens and their owners. */
  tokens: Uint32Array;
  owners: Uint16Array;
  nodes: number;
  replicationFactor: number;
}

/** Builds the ring from a seed: node n's tokens come from its own split-mix stream. */
export function buildRing(nodes: number, vnodes: number, replicationFactor: number, seed: number): TokenRing {
  const pairs: [number, number][] = [];
  for (let node = 0; node < nodes; node++) {
    const next = createSplitMix32((seed ^ Math.imul(node + 1, 0x27d4eb2d)) | 0);
    for (let v = 0; v < vnodes; v++) pairs.push([next(), node]);
  }
  // Ties (vanishingly rare) are broken by node, so the order never depends on the sort's stability.
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return {
    tokens: Uint32Array.from(pairs, (p) => p[0]),
    owners: Uint16Array.from(pairs, (p) => p[1]),
    nodes,
    replicationFactor,
  };
}

/** Writes the replicas of `token` (RF distinct nodes clockwise, primary first) into `out` at `offset`. */
export function replicasOf(ring: TokenRing, token: number, out: Uint16Array, offset: number): void {
  const { tokens, owners, replicationFactor } = ring;
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((tokens[mid] as number) < token) lo = mid + 1;
    else hi = mid;
  }
  let found = 0;
  for (let step = 0; step < tokens.length && found < replicationFactor; step++) {
    const owner = owners[(lo + step) % tokens.length] as number;
    let seen = false;
    for (let i = 0; i < found; i++) if (out[offset + i] === owner) seen = true;
    if (!seen) out[offset + found++] = owner;
  }
}

/** Fraction of the token space each node owns as primary (for tests and for the ADR's balance note). */
export function primaryOwnership(ring: TokenRing): number[] {
  const share = new Array<number>(ring.nodes).fill(0);
  const n = ring.tokens.length;
  for (let i = 0; i < n; i++) {
    const previous = i === 0 ? (ring.tokens[n - 1] as number) - TWO_POW_32 : (ring.tokens[i - 1] as number);
    const owner = ring.owners[i] as number;
    share[owner] = (share[owner] as number) + ((ring.tokens[i] as number) - previous) / TWO_POW_32;
  }
  return share;
}
