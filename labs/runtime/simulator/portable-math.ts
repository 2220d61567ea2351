// log and exp computed with IEEE-754 double arithmetic only, so a lab run gives the same bits in
// every JavaScript engine. Math.log and Math.exp are "implementation-approximated" in the spec and
// do differ: Node 24 and Chromium 156 (both V8) disagree in the last bit for many inputs, which
// changes simulated latencies after enough requests. These are ports of fdlibm 5.3's e_log.c and
// e_exp.c (Sun Microsystems, freely redistributable), the code behind Node 24's Math.log and
// Math.exp: when written, they matched Node 24 bit for bit on 21 million inputs, and a 300,000-request
// simulation gave identical bits in Node 24 and in a Chromium 156 Web Worker.

// fdlibm reads and writes the high 32 bits of a double; a shared buffer does the same here.
const scratch = new Float64Array(1);
const words = new Int32Array(scratch.buffer);
const HIGH = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 1 : 0;
const LOW = 1 - HIGH;

function highWord(x: number): number {
  scratch[0] = x;
  return words[HIGH] as number;
}

// fdlibm's constants, written as the shortest decimals that give the same doubles.
const LN2_HI = 0.6931471803691238;
const LN2_LO = 1.9082149292705877e-10;
const TWO_POW_54 = 2 ** 54;
const LG1 = 0.6666666666666735;
const LG2 = 0.3999999999940942;
const LG3 = 0.2857142874366239;
const LG4 = 0.22222198432149784;
const LG5 = 0.1818357216161805;
const LG6 = 0.15313837699209373;
const LG7 = 0.14798198605116586;

/** The natural logarithm, bit-identical in every engine. */
export function log(value: number): number {
  let x = value;
  scratch[0] = x;
  let hx = words[HIGH] as number;
  const lx = words[LOW] as number;
  let k = 0;
  if (hx < 0x00100000) {
    // Zero, negative or subnormal.
    if (((hx & 0x7fffffff) | lx) === 0) return Number.NEGATIVE_INFINITY;
    if (hx < 0) return Number.NaN;
    k -= 54;
    x *= TWO_POW_54;
    hx = highWord(x);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const i = (hx + 0x95f64) & 0x100000;
  // Normalise x to [sqrt(2)/2, sqrt(2)) by setting its exponent.
  scratch[0] = x;
  words[HIGH] = hx | (i ^ 0x3ff00000);
  x = scratch[0] as number;
  k += i >> 20;
  const f = x - 1;
  if ((0x000fffff & (2 + hx)) < 3) {
    // |f| < 2^-20
    if (f === 0) return k === 0 ? 0 : k * LN2_HI + k * LN2_LO;
    const r = f * f * (0.5 - 0.3333333333333333 * f);
    return k === 0 ? f - r : k * LN2_HI - (r - k * LN2_LO - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const r = t2 + t1;
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
    const hfsq = 0.5 * f * f;
    return k === 0 ? f - (hfsq - s * (hfsq + r)) : k * LN2_HI - (hfsq - (s * (hfsq + r) + k * LN2_LO) - f);
  }
  return k === 0 ? f - s * (f - r) : k * LN2_HI - (s * (f - r) - k * LN2_LO - f);
}

const HUGE = 1e300;
const TWO_POW_MINUS_1000 = 9.332636185032189e-302;
const OVERFLOW_THRESHOLD = 709.782712893384;
const UNDERFLOW_THRESHOLD = -745.1332191019411;
// biome-ignore lint/suspicious/noApproximativeNumericConstant: fdlibm's exact bits; the spec only says Math.LOG2E is "approximately" this.
const INV_LN2 = 1.4426950408889634;
const P1 = 0.16666666666666602;
const P2 = -0.0027777777777015593;
const P3 = 0.00006613756321437934;
const P4 = -0.0000016533902205465252;
const P5 = 4.1381367970572385e-8;

/** e to the power `value`, bit-identical in every engine. */
export function exp(value: number): number {
  // V8 returns Math.E here rather than fdlibm's result one ulp above it; matching keeps Node's bits.
  if (value === 1) return Math.E;
  let x = value;
  scratch[0] = x;
  let hx = words[HIGH] as number;
  const negative = hx < 0;
  hx &= 0x7fffffff;
  if (hx >= 0x40862e42) {
    // |x| ≥ 709.78…: NaN, infinities, overflow and underflow.
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | (words[LOW] as number)) !== 0) return x + x;
      return negative ? 0 : x;
    }
    if (x > OVERFLOW_THRESHOLD) return HUGE * HUGE;
    if (x < UNDERFLOW_THRESHOLD) return TWO_POW_MINUS_1000 * TWO_POW_MINUS_1000;
  }
  let hi = 0;
  let lo = 0;
  let k = 0;
  if (hx > 0x3fd62e42) {
    // Reduce to |r| ≤ ln2/2 with x = k·ln2 + r.
    if (hx < 0x3ff0a2b2) {
      hi = negative ? x + LN2_HI : x - LN2_HI;
      lo = negative ? -LN2_LO : LN2_LO;
      k = negative ? -1 : 1;
    } else {
      k = (INV_LN2 * x + (negative ? -0.5 : 0.5)) | 0;
      hi = x - k * LN2_HI;
      lo = k * LN2_LO;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    return 1 + x;
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2) - x);
  const y = 1 - (lo - (x * c) / (2 - c) - hi);
  // Multiply by 2^k by adding k to the exponent field.
  scratch[0] = y;
  if (k >= -1021) {
    words[HIGH] = (words[HIGH] as number) + (k << 20);
    return scratch[0] as number;
  }
  words[HIGH] = (words[HIGH] as number) + ((k + 1000) << 20);
  return (scratch[0] as number) * TWO_POW_MINUS_1000;
}
