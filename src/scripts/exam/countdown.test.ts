import { describe, expect, it } from 'vitest';
import { announcementDue, formatRemaining, ServerClock } from './countdown.ts';

describe('ServerClock', () => {
  it('counts down on the server clock whatever the local clock says', () => {
    // The local clock is 10 minutes fast.
    const clock = new ServerClock(1_000_000, 1_600_000);
    expect(clock.remaining(1_060_000, 1_600_000)).toBe(60_000);
    expect(clock.remaining(1_060_000, 1_630_000)).toBe(30_000);
  });

  it('takes a reply timestamp as the midpoint of the request', () => {
    const clock = new ServerClock(0, 0);
    clock.observe(5_000, 1_000, 1_200);
    expect(clock.now(1_100)).toBe(5_000);
  });

  it('never reports negative time left', () => {
    expect(new ServerClock(0, 0).remaining(1_000, 5_000)).toBe(0);
  });
});

describe('formatRemaining', () => {
  it('shows minutes and seconds, rounding up so 0:00 means time is up', () => {
    expect(formatRemaining(45 * 60_000)).toBe('45:00');
    expect(formatRemaining(65_001)).toBe('1:06');
    expect(formatRemaining(999)).toBe('0:01');
    expect(formatRemaining(0)).toBe('0:00');
    expect(formatRemaining(-5)).toBe('0:00');
  });

  it('shows hours past an hour', () => {
    expect(formatRemaining(3_723_000)).toBe('1:02:03');
  });
});

describe('announcementDue', () => {
  it('announces each mark once, when it is crossed', () => {
    expect(announcementDue(600_500, 599_500)).toBe('10 minutes left.');
    expect(announcementDue(599_500, 598_500)).toBeNull();
    expect(announcementDue(300_200, 299_200)).toBe('5 minutes left.');
    expect(announcementDue(60_100, 59_100)).toMatch(/^1 minute left/);
  });

  it('announces only the smallest mark crossed after the tab slept', () => {
    expect(announcementDue(700_000, 200_000)).toBe('5 minutes left.');
  });
});
