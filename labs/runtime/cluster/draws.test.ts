// The cluster simulator's fast draws against their distributions: the ziggurat's exponential against
// e^(−x) (mean, variance, survival function in the body, the wedges and the tail beyond R), and the
// Zipf alias table against the probabilities it was built from (exactly, column by column, and by
// sampling); selection against sorting.
import { describe, expect, it } from 'vitest';
import { createRandom } from '../simulator/random.ts';
import { aliasTable, zipfKeys } from './popularity.ts';
import { selectAscending, selectKth } from './select.ts';
import { exponentialDraw, standardExponential } from './ziggurat.ts';

describe('ziggurat exponential', () => {
  const n = 2_000_000;
  const random = createRandom(2026);
  const draws = new Float64Array(n);
  for (let i = 0; i < n; i++) draws[i] = standardExponential(random);

  it('has mean 1 and variance 1', () => {
    let sum = 0;
    let squares = 0;
    for (const x of draws) {
      sum += x;
      squares += x * x;
    }
    const mean = sum / n;
    // Standard error of the mean is 1/√n ≈ 0.0007: allow five of them.
    expect(Math.abs(mean - 1)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(squares / n - mean * mean - 1)).toBeLessThan(0.01);
  });

  it('follows P(X > t) = e^(−t) in the body, the wedges and the tail beyond the base layer (R ≈ 7.7)', () => {
    for (const t of [0.05, 0.3, 1, 2.5, 5, 7, 8.5]) {
      let above = 0;
      for (const x of draws) if (x > t) above++;
      const p = Math.exp(-t);
      const standardError = Math.sqrt((p * (1 - p)) / n);
      expect(Math.abs(above / n - p)).toBeLessThan(5 * standardError);
    }
    expect(Math.min(...draws.subarray(0, 1000))).toBeGreaterThanOrEqual(0);
  });

  it('scales by the mean and replays from the seed', () => {
    const a = createRandom(5);
    const b = createRandom(5);
    for (let i = 0; i < 1000; i++) expect(exponentialDraw(a, 3)).toBe(3 * standardExponential(b));
  });
});

describe('Zipf alias table', () => {
  it('reconstructs every probability it was built from', () => {
    const weights = Float64Array.from({ length: 5_000 }, (_, k) => 1 / (k + 1) ** 1.1);
    const total = weights.reduce((a, b) => a + b, 0);
    const { accept, alias } = aliasTable(weights, total);
    // Each column carries 1/n of the mass: accept[i] of it to i, the rest to alias[i].
    const mass = new Float64Array(weights.length);
    for (let i = 0; i < weights.length; i++) {
      mass[i] = (mass[i] as number) + (accept[i] as number) / weights.length;
      const other = alias[i] as number;
      mass[other] = (mass[other] as number) + (1 - (accept[i] as number)) / weights.length;
    }
    for (let k = 0; k < weights.length; k++) expect(mass[k]).toBeCloseTo((weights[k] as number) / total, 12);
  });

  it('draws ranks with their Zipf frequencies', () => {
    const keys = zipfKeys(10_000, 0.9);
    const random = createRandom(9);
    const n = 1_000_000;
    const counts = new Int32Array(10_000);
    for (let i = 0; i < n; i++) {
      const rank = keys.draw(random);
      counts[rank] = (counts[rank] as number) + 1;
    }
    for (const rank of [0, 1, 9, 99, 999]) {
      const p = keys.probability(rank);
      expect(Math.abs((counts[rank] as number) / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
    }
    // The cold half as a whole.
    let cold = 0;
    let coldP = 0;
    for (let k = 5_000; k < 10_000; k++) {
      cold += counts[k] as number;
      coldP += keys.probability(k);
    }
    expect(Math.abs(cold / n - coldP)).toBeLessThan(5 * Math.sqrt((coldP * (1 - coldP)) / n));
  });
});

describe('selection', () => {
  it('finds the element a sort puts at index k, with smaller ones before and larger after', () => {
    const random = createRandom(12);
    for (let trial = 0; trial < 500; trial++) {
      const n = 1 + Math.floor(random.next() * 400);
      // Half the trials with many ties.
      const ties = trial % 2 === 0;
      const a = Float64Array.from({ length: n }, () => (ties ? Math.floor(random.next() * 4) : random.next()));
      const sorted = a.slice().sort();
      const k = Math.floor(random.next() * n);
      const b = a.slice();
      expect(selectKth(b, k)).toBe(sorted[k]);
      for (let i = 0; i < k; i++) expect(b[i]).toBeLessThanOrEqual(b[k] as number);
      for (let i = k + 1; i < n; i++) expect(b[i]).toBeGreaterThanOrEqual(b[k] as number);
      expect(b.slice().sort()).toEqual(sorted);
      const indices = [0.5, 0.95, 0.99].map((q) => Math.min(n - 1, Math.floor(q * n)));
      const out = new Float64Array(3);
      selectAscending(a, indices, out);
      expect([...out]).toEqual(indices.map((i) => sorted[i]));
    }
  });

  it('refuses an index outside the range', () => {
    expect(() => selectKth(Float64Array.of(1, 2), 2)).toThrow(/outside/);
  });
});
