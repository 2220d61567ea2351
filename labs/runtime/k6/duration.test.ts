import { describe, expect, it } from 'vitest';
import { createRandom } from '../simulator/random.ts';
import { formatDuration, K6OptionError, parseDuration } from './duration.ts';

function seededRandom(seed: number): () => number {
  const random = createRandom(seed);
  return () => random.next();
}

describe('k6 durations', () => {
  it('parses the duration strings k6 accepts into milliseconds', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('.5s')).toBe(500);
    expect(parseDuration('1h30m15s')).toBe(5_415_000);
    expect(parseDuration('250us')).toBe(0.25);
    expect(parseDuration('250µs')).toBe(0.25);
    expect(parseDuration('1d12h')).toBe(129_600_000);
    expect(parseDuration('0')).toBe(0);
  });

  it('reads numbers, and strings without a unit, as milliseconds like k6', () => {
    expect(parseDuration(1500)).toBe(1500);
    expect(parseDuration('100')).toBe(100);
    expect(parseDuration('2.5')).toBe(2.5);
  });

  it('rejects malformed durations with a message that quotes them', () => {
    for (const bad of ['', '30 s', '30sec', '1.5d', 'abc', '1s30', 's', '-1s', '30S']) {
      expect(() => parseDuration(bad)).toThrow(K6OptionError);
      expect(() => parseDuration(bad)).toThrow(`"${bad}"`);
    }
    expect(() => parseDuration(Number.NaN)).toThrow(K6OptionError);
    expect(() => parseDuration(-5)).toThrow('cannot be negative');
    expect(() => parseDuration('30sec')).toThrow('"sec" is not a unit');
  });

  it('formats durations the way k6 prints them', () => {
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(1500)).toBe('1.5s');
    expect(formatDuration(30_000)).toBe('30s');
    expect(formatDuration(61_500)).toBe('1m1.5s');
    expect(formatDuration(7_200_000)).toBe('2h0m0s');
    expect(formatDuration(1.5)).toBe('1.5ms');
    expect(formatDuration(0.001)).toBe('1µs');
    expect(formatDuration(0.0005)).toBe('500ns');
    expect(formatDuration(0)).toBe('0s');
  });

  it('reads back every duration it formats', () => {
    const random = seededRandom(42);
    for (let i = 0; i < 1000; i++) {
      const ms = Math.floor(random() * 10 ** Math.floor(random() * 9));
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }
  });
});
