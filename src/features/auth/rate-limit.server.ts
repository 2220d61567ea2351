// Database-backed counters for the rate-limit rules in rate-limit.ts.
import { db } from '../../lib/server/db.server.ts';
import { currentCount, isBlocked, type RateLimitRule, retryAfterSeconds } from './rate-limit.ts';

export type LimitCheck = { blocked: false } | { blocked: true; retryAfter: number };

export async function checkLimit(key: string, rule: RateLimitRule, now = new Date()): Promise<LimitCheck> {
  const state = await db().rateLimit.findUnique({ where: { key }, select: { count: true, windowStart: true } });
  if (state && isBlocked(state, rule, now)) return { blocked: true, retryAfter: retryAfterSeconds(state, rule, now) };
  return { blocked: false };
}

/** Counts one event against `key`, starting a new window when the old one has passed. */
export async function recordHit(key: string, rule: RateLimitRule, now = new Date()): Promise<void> {
  await db().$transaction(async (tx) => {
    const state = await tx.rateLimit.findUnique({ where: { key }, select: { count: true, windowStart: true } });
    if (currentCount(state, rule, now) === 0) {
      await tx.rateLimit.upsert({ where: { key }, create: { key, count: 1, windowStart: now }, update: { count: 1, windowStart: now } });
    } else {
      await tx.rateLimit.update({ where: { key }, data: { count: { increment: 1 } } });
    }
  });
}

export async function clearLimit(key: string): Promise<void> {
  await db().rateLimit.deleteMany({ where: { key } });
}
