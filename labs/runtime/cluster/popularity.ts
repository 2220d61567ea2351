// Partition-key popularity: which partition a request touches. Keys are popularity ranks (0 is the
// hottest); the ring scatters them, since a rank's token is a hash of the rank.

import { exp, log } from '../simulator/portable-math.ts';
import type { Random } from '../simulator/random.ts';

export interface KeyChooser {
  /** The probability of each rank (for tests and for the cache model). */
  probability(rank: number): number;
  /** A rank drawn from `random` (one or two uniforms). */
  draw(random: Random): number;
}

export function uniformKeys(partitions: number): KeyChooser {
  return {
    probability: () => 1 / partitions,
    draw: (random) => Math.floor(random.next() * partitions),
  };
}

/**
 * Zipf over `partitions` ranks with exponent s, drawn by Walker's alias method (Vose's construction):
 * one uniform picks a column, a second decides between the column's rank and its alias, so a draw
 * costs two table reads instead of a binary search over up to 2²⁰ ranks (a search touched ~20 cache
 * lines per request). The table is built with the four float operations in a fixed order, so it has
 * the same bits in every engine.
 */
export function zipfKeys(partitions: number, s: number): KeyChooser {
  const weights = new Float64Array(partitions);
  let total = 0;
  for (let k = 0; k < partitions; k++) {
    // (k + 1)^-s through portable exp/log, so the table has the same bits in every engine.
    const weight = exp(-s * log(k + 1));
    weights[k] = weight;
    total += weight;
  }
  const { accept, alias } = aliasTable(weights, total);
  // A column's threshold and alias side by side: one cache line per draw, not two.
  const columns = new Float64Array(2 * partitions);
  for (let i = 0; i < partitions; i++) {
    columns[2 * i] = accept[i] as number;
    columns[2 * i + 1] = alias[i] as number;
  }
  return {
    probability: (rank) => (weights[rank] as number) / total,
    draw(random) {
      const column = 2 * Math.floor(random.next() * partitions);
      return random.next() < (columns[column] as number) ? column >> 1 : (columns[column + 1] as number);
    },
  };
}

/** Vose's alias table for weights summing to `total`: column i keeps i with probability accept[i], else alias[i]. */
export function aliasTable(weights: Float64Array, total: number): { accept: Float64Array; alias: Int32Array } {
  const n = weights.length;
  const accept = new Float64Array(n);
  const alias = new Int32Array(n);
  const small = new Int32Array(n);
  const large = new Int32Array(n);
  let smallCount = 0;
  let largeCount = 0;
  // Scaled so that a column's full share is 1.
  for (let i = 0; i < n; i++) {
    const scaled = ((weights[i] as number) * n) / total;
    accept[i] = scaled;
    if (scaled < 1) small[smallCount++] = i;
    else large[largeCount++] = i;
  }
  while (smallCount > 0 && largeCount > 0) {
    const less = small[--smallCount] as number;
    const more = large[largeCount - 1] as number;
    alias[less] = more;
    // The large column gives the small one what it lacks.
    const left = (accept[more] as number) + (accept[less] as number) - 1;
    accept[more] = left;
    if (left < 1) {
      largeCount--;
      small[smallCount++] = more;
    }
  }
  // What remains is full up to rounding.
  while (largeCount > 0) accept[large[--largeCount] as number] = 1;
  while (smallCount > 0) accept[small[--smallCount] as number] = 1;
  return { accept, alias };
}
