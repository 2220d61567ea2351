// Math.random inside a VU: sfc32 seeded per run and VU, with a state that can be saved and
// restored so a replayed iteration draws exactly the same numbers (ADR 009).

export interface VuRandom {
  next(): number;
  state(): number[];
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function restoreVuRandom(state: readonly number[]): VuRandom {
  let [a = 0, b = 0, c = 0, d = 0] = state;
  return {
    next() {
      const t = (((a + b) >>> 0) + d) >>> 0;
      d = (d + 1) >>> 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) >>> 0;
      c = ((c << 21) | (c >>> 11)) >>> 0;
      c = (c + t) >>> 0;
      return t / 4294967296;
    },
    state: () => [a, b, c, d],
  };
}

export function createVuRandom(runSeed: number, vuId: number): VuRandom {
  const init = splitmix32((runSeed ^ Math.imul(vuId + 1, 0x9e3779b1)) >>> 0);
  const random = restoreVuRandom([init(), init(), init(), init()]);
  for (let i = 0; i < 12; i += 1) random.next();
  return random;
}
