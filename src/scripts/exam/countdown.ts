// The exam countdown runs on the server's clock, not the browser's: the offset between the two is
// measured when the page loads and refreshed from every save reply, so a wrong or changed system
// clock neither adds nor removes time. Pure (the current time is passed in).

/** Minutes-left marks announced to screen readers once each. */
export const ANNOUNCE_AT_MINUTES = [10, 5, 1] as const;

export class ServerClock {
  /** serverTime − localTime, in ms. */
  private offset: number;

  constructor(serverNow: number, localNow: number) {
    this.offset = serverNow - localNow;
  }

  /**
   * A server timestamp taken while a request was in flight: the server stamped it somewhere between
   * sending and receiving, so the midpoint is the best local estimate of when.
   */
  observe(serverNow: number, sentAt: number, receivedAt: number): void {
    if (!Number.isFinite(serverNow) || receivedAt < sentAt) return;
    this.offset = serverNow - (sentAt + receivedAt) / 2;
  }

  now(localNow: number): number {
    return localNow + this.offset;
  }

  remaining(deadline: number, localNow: number): number {
    return Math.max(0, deadline - this.now(localNow));
  }
}

/** 44:05, or 1:02:03 past an hour; whole seconds, rounded up so 0:00 means time is up. */
export function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${minutes}:${pad(seconds)}`;
}

/**
 * The announcement due when the countdown went from `before` to `after` ms remaining, if it crossed
 * one of the marks (only the smallest mark crossed is announced, e.g. after the tab slept).
 */
export function announcementDue(before: number, after: number): string | null {
  const crossed = ANNOUNCE_AT_MINUTES.filter((m) => before > m * 60_000 && after <= m * 60_000);
  const mark = crossed.at(-1);
  if (mark === undefined) return null;
  return mark === 1 ? '1 minute left. Your answers are saved as you go.' : `${mark} minutes left.`;
}
