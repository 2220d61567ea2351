// Math.random inside a VU: the simulator's sfc32, seeded per run and VU; its state is saved and
// restored (restoreRandom) so a replayed iteration draws exactly the same numbers (ADR 009).
import { createSplitMix32, type Random, restoreRandom } from '../simulator/random.ts';

export function createVuRandom(runSeed: number, vuId: number): Random {
  const init = createSplitMix32((runSeed ^ Math.imul(vuId + 1, 0x9e3779b1)) >>> 0);
  const random = restoreRandom([init(), init(), init(), init()]);
  for (let i = 0; i < 12; i += 1) random.next();
  return random;
}
