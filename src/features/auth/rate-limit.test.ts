import { describe, expect, it } from 'vitest';
import { currentCount, isBlocked, retryAfterSeconds, SIGN_IN_PER_ACCOUNT } from './rate-limit.ts';

const start = new Date('2026-11-27T10:00:00Z');
const later = (ms: number) => new Date(start.getTime() + ms);

describe('fixed-window rate limit', () => {
  it('blocks an account after 10 failures within 15 minutes', () => {
    expect(isBlocked({ count: 9, windowStart: start }, SIGN_IN_PER_ACCOUNT, later(60_000))).toBe(false);
    expect(isBlocked({ count: 10, windowStart: start }, SIGN_IN_PER_ACCOUNT, later(60_000))).toBe(true);
    expect(isBlocked(null, SIGN_IN_PER_ACCOUNT, start)).toBe(false);
  });

  it('forgets failures once the window has passed', () => {
    expect(currentCount({ count: 10, windowStart: start }, SIGN_IN_PER_ACCOUNT, later(15 * 60_000))).toBe(0);
    expect(isBlocked({ count: 10, windowStart: start }, SIGN_IN_PER_ACCOUNT, later(15 * 60_000))).toBe(false);
  });

  it('says how long to wait, rounded up to whole seconds', () => {
    expect(retryAfterSeconds({ count: 10, windowStart: start }, SIGN_IN_PER_ACCOUNT, later(60_000))).toBe(14 * 60);
    expect(retryAfterSeconds({ count: 10, windowStart: start }, SIGN_IN_PER_ACCOUNT, later(15 * 60_000 - 10))).toBe(1);
  });
});
