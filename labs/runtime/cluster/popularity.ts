// Partition-key popularity: which partition a request touches. Keys are popularity ranks (0 is the
// hottest); the ring scatters them, since a rank's token is a hash of the rank.

import { exp, log } from '../simulator/portable-math.ts';
import type { Random } from '../simulator/random.ts';

export interface KeyChooser {
  /** The probability of each rank (for tests and for the cache model). */
  probability(rank: number): number;
  /** A rank drawn with one uniform. */
  draw(random: Random): number;
}

export function uniformKeys(partitions: number): KeyChooser {
  return {
    probability: () => 1 / partitions,
    draw: (random) => Math.floor(random.next() * partitions),
  };
}

/** Zipf over `partitions` ranks with exponent s, by inversion of its cumulative table (binary search). */
export function zipfKeys(partitions: number, s: number): KeyChooser {
  const cumulative = new Float64Array(partitions);
  let total = 0;
  for (let k = 0; k < partitions; k++) {
    // (k + 1)^-s through portable exp/log, so the table has the same bits in every engine.
    total += exp(-s * log(k + 1));
    cumulative[k] = total;
  }
  for (let k = 0; k < partitions; k++) cumulative[k] = (cumulative[k] as number) / total;
  cumulative[partitions - 1] = 1;
  return {
    probability: (rank) => (cumulative[rank] as number) - (rank === 0 ? 0 : (cumulative[rank - 1] as number)),
    draw(random) {
      const u = random.next();
      let lo = 0;
      let hi = partitions - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if ((cumulative[mid] as number) <= u) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    },
  };
}
