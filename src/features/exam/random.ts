// Drawing exam forms reproducibly from a seed, with the lab runtime's portable sfc32 generator.
import { createSplitMix32, restoreRandom } from '../../../labs/runtime/simulator/random.ts';

/** sfc32 seeded through splitmix32, without warm-up: the stream every stored form seed was drawn with. */
export function seededRandom(seed: number): () => number {
  const init = createSplitMix32(seed >>> 0);
  const random = restoreRandom([init(), init(), init(), init()]);
  return () => random.next();
}

/** Fisher–Yates with the given generator; returns a new array. */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
