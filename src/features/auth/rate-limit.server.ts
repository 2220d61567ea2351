// Database-backed counters for the rate-limit rules in rate-limit.ts.
import { db } from '../../lib/server/db.server.ts';
import { withDbRetry } from '../../lib/server/db-retry.ts';
import { metrics, rateLimitLabel } from '../../lib/server/metrics.server.ts';
import { isBlocked, type RateLimitRule, retryAfterSeconds } from './rate-limit.ts';

export type LimitCheck = { blocked: false } | { blocked: true; retryAfter: number };

export async function checkLimit(key: string, rule: RateLimitRule, now = new Date()): Promise<LimitCheck> {
  const state = await db().rateLimit.findUnique({ where: { key }, select: { count: true, windowStart: true } });
  if (state && isBlocked(state, rule, now)) {
    metrics().rateLimitRefusals.labels(rateLimitLabel(key)).inc();
    return { blocked: true, retryAfter: retryAfterSeconds(state, rule, now) };
  }
  return { blocked: false };
}

/**
 * Counts one event against `key`, starting a new window when the old one has passed. Two
 * single-statement writes (no interactive transaction), each atomic on both databases.
 */
export async function recordHit(key: string, rule: RateLimitRule, now = new Date()): Promise<void> {
  const expiredBefore = new Date(now.getTime() - rule.windowMs);
  await withDbRetry(async () => {
    await db().rateLimit.updateMany({ where: { key, windowStart: { lte: expiredBefore } }, data: { count: 0, windowStart: now } });
    await db().rateLimit.upsert({ where: { key }, create: { key, count: 1, windowStart: now }, update: { count: { increment: 1 } } });
  });
}

export async function clearLimit(key: string): Promise<void> {
  await db().rateLimit.deleteMany({ where: { key } });
}
