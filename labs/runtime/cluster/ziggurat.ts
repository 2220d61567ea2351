// Exponential draws by Marsaglia and Tsang's ziggurat ("The Ziggurat Method for Generating Random
// Variables", 2000): 256 layers of equal area under e^(−x); a draw picks a layer and a position in
// it, and in about 99 % of draws the point lies inside the layer's rectangle, so the draw costs one
// uniform, one compare and one multiply, where inversion (−ln U) costs a logarithm. The cluster
// simulator makes several exponential draws per request, and the portable logarithm was a tenth of
// its time. The layer index and the position come from separate bits of one 32-bit uniform (8 and
// 24), as Doornik recommends, so the two are independent. Tables are built with the project's
// portable exp/log and the draw uses only the four float operations, so every engine gives the
// same bits (ADR 018, Determinism).
import { exp, log } from '../simulator/portable-math.ts';
import type { Random } from '../simulator/random.ts';

/** Right edge of the base layer, and the area of each layer (Marsaglia and Tsang's constants for 256 layers). */
const R = 7.697117470131487;
const AREA = 3.949659822581572e-3;
const TWO_POW_24 = 16777216;
const TWO_POW_32 = 4294967296;

/** Per layer: the largest position (in 24-bit units) inside the rectangle, position scale, density at the layer's top. */
const inside = new Float64Array(256);
const scale = new Float64Array(256);
const density = new Float64Array(256);
{
  let x = R;
  let previous = R;
  const q = AREA / exp(-x);
  inside[0] = (x / q) * TWO_POW_24;
  inside[1] = 0;
  scale[0] = q / TWO_POW_24;
  scale[255] = x / TWO_POW_24;
  density[0] = 1;
  density[255] = exp(-x);
  for (let i = 254; i >= 1; i--) {
    x = -log(AREA / x + exp(-x));
    inside[i + 1] = (x / previous) * TWO_POW_24;
    previous = x;
    density[i] = exp(-x);
    scale[i] = x / TWO_POW_24;
  }
}

/** An exponential draw with mean 1. */
export function standardExponential(random: Random): number {
  for (;;) {
    // next() is a multiple of 2⁻³², so this is its 32-bit integer exactly.
    const bits = random.next() * TWO_POW_32;
    const layer = bits & 255;
    const position = bits >>> 8;
    const x = position * (scale[layer] as number);
    if (position < (inside[layer] as number)) return x;
    // The base layer's overhang is the tail beyond R: R plus an exponential (memorylessness).
    if (layer === 0) return R - log(1 - random.next());
    // The wedge between the rectangle and the curve: accept under e^(−x).
    const top = density[layer] as number;
    if (top + random.next() * ((density[layer - 1] as number) - top) < exp(-x)) return x;
  }
}

/** An exponential draw with the given mean. */
export function exponentialDraw(random: Random, mean: number): number {
  return mean * standardExponential(random);
}
