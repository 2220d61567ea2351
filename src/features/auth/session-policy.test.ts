import { describe, expect, it } from 'vitest';
import { judgeSession, SESSION_ABSOLUTE_LIFETIME_MS, SESSION_IDLE_TIMEOUT_MS, SESSION_TOUCH_INTERVAL_MS } from './session-policy.ts';

const start = new Date('2026-11-01T00:00:00Z');
const at = (ms: number) => new Date(start.getTime() + ms);
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

describe('session lifetime', () => {
  it('is valid right after sign-in and does not rewrite last use within the hour', () => {
    expect(judgeSession({ createdAt: start, lastUsedAt: start }, at(10 * 60 * 1000))).toEqual({
      state: 'valid',
      touch: false,
      expiresAt: at(SESSION_IDLE_TIMEOUT_MS),
    });
  });

  it('slides: after an hour the last use is written and the idle deadline moves', () => {
    const verdict = judgeSession({ createdAt: start, lastUsedAt: start }, at(SESSION_TOUCH_INTERVAL_MS));
    expect(verdict).toEqual({ state: 'valid', touch: true, expiresAt: at(SESSION_TOUCH_INTERVAL_MS + SESSION_IDLE_TIMEOUT_MS) });
  });

  it('expires after 10 days without use', () => {
    expect(judgeSession({ createdAt: start, lastUsedAt: start }, at(10 * DAY)).state).toBe('idle-expired');
    expect(judgeSession({ createdAt: start, lastUsedAt: start }, at(10 * DAY - 1)).state).toBe('valid');
  });

  it('expires 30 days after sign-in however often it is used', () => {
    expect(judgeSession({ createdAt: start, lastUsedAt: at(30 * DAY - HOUR) }, at(SESSION_ABSOLUTE_LIFETIME_MS)).state).toBe(
      'absolute-expired',
    );
    const nearEnd = judgeSession({ createdAt: start, lastUsedAt: at(29 * DAY) }, at(29 * DAY + 2 * HOUR));
    expect(nearEnd).toMatchObject({ state: 'valid', expiresAt: at(SESSION_ABSOLUTE_LIFETIME_MS) });
  });
});
