// A seeded PRNG and the distributions the simulator draws from. Labs must give bit-identical runs in
// Chromium and Node, so everything here uses 32-bit integer arithmetic (Math.imul, |0, >>>), the
// four float operations, Math.sqrt (correctly rounded everywhere), and our own log and exp:
// Math.log and Math.exp differ between engines (see portable-math.ts).
import { exp, log } from './portable-math.ts';

/** A source of uniform numbers in [0, 1). */
export interface Random {
  /** The next uniform number in [0, 1), with 32 bits of resolution. */
  next(): number;
  /** The generator's four 32-bit state words, for logs and for comparing runs. */
  state(): number[];
}

const TWO_POW_32 = 4294967296;

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Chaotic generator, from PractRand): passes BigCrush, needs
 * only 32-bit adds, shifts and xors, and is several times faster in V8 than anything using BigInt.
 */
class Sfc32 implements Random {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(a: number, b: number, c: number, d: number) {
    this.#a = a | 0;
    this.#b = b | 0;
    this.#c = c | 0;
    this.#d = d | 0;
  }

  next(): number {
    const a = this.#a;
    const b = this.#b;
    const c = this.#c;
    const d = this.#d;
    const t = (((a + b) | 0) + d) | 0;
    this.#d = (d + 1) | 0;
    this.#a = b ^ (b >>> 9);
    this.#b = (c + (c << 3)) | 0;
    this.#c = (((c << 21) | (c >>> 11)) + t) | 0;
    return (t >>> 0) / TWO_POW_32;
  }

  state(): number[] {
    return [this.#a >>> 0, this.#b >>> 0, this.#c >>> 0, this.#d >>> 0];
  }
}

/**
 * splitmix32 (a Weyl sequence through MurmurHash3's fmix32 finalizer) spreads a seed over sfc32's
 * state, so nearby seeds give unrelated streams.
 */
export function createSplitMix32(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Creates a generator from any safe integer seed (negative seeds and seeds above 2³² included). */
export function createRandom(seed: number): Random {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`The random seed must be a safe integer, got ${seed}.`);
  // splitmix32's first output is a bijection of its seed, so distinct seeds give distinct states.
  const mixLow = createSplitMix32(seed >>> 0);
  const mixHigh = createSplitMix32(Math.floor(seed / TWO_POW_32) | 0);
  const random = new Sfc32(mixLow(), mixHigh(), mixLow(), mixHigh());
  // The usual warm-up for sfc32: the first outputs still correlate with the seed words.
  for (let i = 0; i < 12; i++) random.next();
  return random;
}

/** A generator resumed from four state words (as `state()` returns them), to replay draws exactly. */
export function restoreRandom(state: readonly number[]): Random {
  const [a = 0, b = 0, c = 0, d = 0] = state;
  return new Sfc32(a, b, c, d);
}

/** An exponential draw with the given mean (inverse transform, one uniform per draw). */
export function exponential(random: Random, mean: number): number {
  // 1 - u lies in (0, 1], so the logarithm is finite.
  return -mean * log(1 - random.next());
}

/** A uniform draw in [min, max). */
export function uniform(random: Random, min: number, max: number): number {
  return min + (max - min) * random.next();
}

/** A log-normal draw: median · e^(σ·Z) with Z standard normal (one uniform per draw). */
export function lognormal(random: Random, median: number, sigma: number): number {
  return median * exp(sigma * standardNormalQuantile(openUniform(random)));
}

/** Shifts [0, 1 − 2⁻³²] to the open interval [2⁻³³, 1 − 2⁻³³], symmetric about ½, for quantile functions. */
function openUniform(random: Random): number {
  return random.next() + 1 / (2 * TWO_POW_32);
}

// Acklam's rational approximation of the normal quantile (relative error below 1.15e-9). It needs
// one uniform per normal draw and no trigonometry, unlike Box–Muller, so every continuous
// distribution here consumes exactly one uniform and needs only log, exp and sqrt.
const A1 = -3.969683028665376e1;
const A2 = 2.209460984245205e2;
const A3 = -2.759285104469687e2;
const A4 = 1.38357751867269e2;
const A5 = -3.066479806614716e1;
const A6 = 2.506628277459239;
const B1 = -5.447609879822406e1;
const B2 = 1.615858368580409e2;
const B3 = -1.556989798598866e2;
const B4 = 6.680131188771972e1;
const B5 = -1.328068155288572e1;
const C1 = -7.784894002430293e-3;
const C2 = -3.223964580411365e-1;
const C3 = -2.400758277161838;
const C4 = -2.549732539343734;
const C5 = 4.374664141464968;
const C6 = 2.938163982698783;
const D1 = 7.784695709041462e-3;
const D2 = 3.224671290700398e-1;
const D3 = 2.445134137142996;
const D4 = 3.754408661907416;
const P_LOW = 0.02425;

/** The standard normal quantile Φ⁻¹(p) for p in (0, 1). */
export function standardNormalQuantile(p: number): number {
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * log(p));
    return (((((C1 * q + C2) * q + C3) * q + C4) * q + C5) * q + C6) / ((((D1 * q + D2) * q + D3) * q + D4) * q + 1);
  }
  if (p > 1 - P_LOW) {
    const q = Math.sqrt(-2 * log(1 - p));
    return -(((((C1 * q + C2) * q + C3) * q + C4) * q + C5) * q + C6) / ((((D1 * q + D2) * q + D3) * q + D4) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((A1 * r + A2) * r + A3) * r + A4) * r + A5) * r + A6) * q) / (((((B1 * r + B2) * r + B3) * r + B4) * r + B5) * r + 1);
}
