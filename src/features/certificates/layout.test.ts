import { describe, expect, it } from 'vitest';
import { layoutName } from './layout.ts';

// A monospaced measure: every character is 0.6 units wide at size 1.
const measure = (text: string) => text.length * 0.6;

describe('layoutName', () => {
  it('keeps a short name on one line at the largest size', () => {
    expect(layoutName('Ada Lovelace', measure, 600, 40, 20)).toEqual({ lines: ['Ada Lovelace'], size: 40 });
  });

  it('shrinks a longer name on one line while it stays readable', () => {
    const name = 'Grace Brewster Murray Hopper'; // 28 characters: 600 / 16.8 ≈ 35.7
    const layout = layoutName(name, measure, 600, 40, 20);
    expect(layout.lines).toEqual([name]);
    expect(layout.size).toBeCloseTo(600 / (28 * 0.6), 6);
  });

  it('splits a very long name into two balanced lines that both fit', () => {
    const name = 'Maximiliana Wilhelmina Konstantinopoulou-Featherstonehaugh von Hohenzollern-Sigmaringen';
    const layout = layoutName(name, measure, 600, 40, 20);
    expect(layout.lines).toHaveLength(2);
    expect(layout.lines.join(' ')).toBe(name);
    for (const line of layout.lines) expect(measure(line) * layout.size).toBeLessThanOrEqual(600 + 1e-9);
    // No other split at a space has a shorter longer line.
    const longest = Math.max(...layout.lines.map((line) => line.length));
    const words = name.split(' ');
    for (let i = 1; i < words.length; i += 1)
      expect(Math.max(words.slice(0, i).join(' ').length, words.slice(i).join(' ').length)).toBeGreaterThanOrEqual(longest);
  });

  it('shrinks a long name without spaces until it fits on one line', () => {
    const name = 'x'.repeat(120);
    const layout = layoutName(name, measure, 600, 40, 20);
    expect(layout.lines).toEqual([name]);
    expect(measure(name) * layout.size).toBeCloseTo(600, 6);
  });
});
