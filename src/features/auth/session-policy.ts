// How long a session lives (ADR 006): it ends after 10 days without use or 30 days after sign-in,
// whichever comes first. Last use is written at most once an hour to keep reads cheap.

export const SESSION_IDLE_TIMEOUT_MS = 10 * 24 * 60 * 60 * 1000;
export const SESSION_ABSOLUTE_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
export const SESSION_TOUCH_INTERVAL_MS = 60 * 60 * 1000;

export interface SessionTimes {
  createdAt: Date;
  lastUsedAt: Date;
}

export type SessionVerdict = { state: 'valid'; touch: boolean; expiresAt: Date } | { state: 'idle-expired' | 'absolute-expired' };

export function judgeSession(session: SessionTimes, now: Date): SessionVerdict {
  const absoluteEnd = session.createdAt.getTime() + SESSION_ABSOLUTE_LIFETIME_MS;
  if (now.getTime() >= absoluteEnd) return { state: 'absolute-expired' };
  if (now.getTime() >= session.lastUsedAt.getTime() + SESSION_IDLE_TIMEOUT_MS) return { state: 'idle-expired' };
  const touch = now.getTime() - session.lastUsedAt.getTime() >= SESSION_TOUCH_INTERVAL_MS;
  const lastUse = touch ? now.getTime() : session.lastUsedAt.getTime();
  return { state: 'valid', touch, expiresAt: new Date(Math.min(absoluteEnd, lastUse + SESSION_IDLE_TIMEOUT_MS)) };
}
