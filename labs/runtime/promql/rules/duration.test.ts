import { describe, expect, it } from 'vitest';
import { formatPromDuration, parsePromDuration } from './duration.ts';

describe('Prometheus durations', () => {
  it('parses and prints durations as model.Duration does', () => {
    expect(parsePromDuration('1h30m')).toEqual({ ok: true, ms: 5_400_000 });
    expect(parsePromDuration('0')).toEqual({ ok: true, ms: 0 });
    expect(parsePromDuration('5x')).toEqual({ ok: false, error: 'not a valid duration string: "5x"' });
    expect(parsePromDuration('30m1h').ok).toBe(false);
    expect(formatPromDuration(0)).toBe('0s');
    expect(formatPromDuration(90_000)).toBe('1m30s');
    expect(formatPromDuration(90 * 86_400_000)).toBe('90d');
    expect(formatPromDuration(14 * 86_400_000)).toBe('2w');
    expect(formatPromDuration(1500)).toBe('1s500ms');
  });
});
