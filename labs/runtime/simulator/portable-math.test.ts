import { describe, expect, it } from 'vitest';
import { exp, log } from './portable-math.ts';
import { createRandom } from './random.ts';

/** Distance in units in the last place, for doubles of the same sign. */
function ulps(a: number, b: number): number {
  const view = new DataView(new ArrayBuffer(16));
  view.setFloat64(0, a);
  view.setFloat64(8, b);
  return Number(view.getBigInt64(0) - view.getBigInt64(8));
}

describe('portable log and exp', () => {
  it('return the pinned fdlibm results, the same in every engine', () => {
    // Shortest round-trip decimals, so toBe compares every bit.
    expect([0.3, 1e-300, 5e-324, 0.9999999, 123456.789, 2 ** -33].map(log)).toEqual([
      -1.2039728043259361, -690.7755278982137, -744.4400719213812, -1.0000000494736474e-7, 11.723646487185881, -22.873856958478196,
    ]);
    expect([0.3, -0.3, 2.5, -20, 700, -740, 1e-9, 1].map(exp)).toEqual([
      1.3498588075760032,
      0.7408182206817179,
      12.182493960703473,
      2.061153622438558e-9,
      1.0142320547350045e304,
      4.2e-322,
      1.000000001,
      Math.E,
    ]);
  });

  it('stay within one ulp of the engine over the ranges the simulator uses', () => {
    const random = createRandom(6);
    for (let i = 0; i < 100_000; i++) {
      const u = 1 - random.next();
      expect(Math.abs(ulps(log(u), Math.log(u)))).toBeLessThanOrEqual(1);
      const z = (random.next() - 0.5) * 40;
      expect(Math.abs(ulps(exp(z), Math.exp(z)))).toBeLessThanOrEqual(1);
    }
  });

  it('handle the edges of their domains', () => {
    expect(log(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(log(-1)).toBeNaN();
    expect(log(1)).toBe(0);
    expect(log(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(exp(0)).toBe(1);
    expect(exp(1000)).toBe(Number.POSITIVE_INFINITY);
    expect(exp(-1000)).toBe(0);
    expect(exp(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(exp(Number.NaN)).toBeNaN();
  });
});
