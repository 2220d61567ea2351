import { describe, expect, it } from 'vitest';
import { formatClock, parseDeepLinkTime } from './clock.ts';

describe('player clock', () => {
  it('formats seconds as a player shows them', () => {
    expect(formatClock(0)).toBe('0:00');
    expect(formatClock(75.9)).toBe('1:15');
    expect(formatClock(3725)).toBe('1:02:05');
  });

  it('reads ?t= deep links in seconds or clock time and clamps them to the video', () => {
    expect(parseDeepLinkTime('123', 300)).toBe(123);
    expect(parseDeepLinkTime('2:03', 300)).toBe(123);
    expect(parseDeepLinkTime('45s', 300)).toBe(45);
    expect(parseDeepLinkTime('9999', 300)).toBe(299);
  });

  it('ignores malformed deep links', () => {
    for (const bad of [null, '', 'abc', '-5', '1e9', '1:2:3:4', '12.5.6']) expect(parseDeepLinkTime(bad, 300)).toBeUndefined();
  });
});
