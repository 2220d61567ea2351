// Fixed-window rate limits as pure arithmetic; the counters live in the database so every app
// instance shares them (rate-limit.server.ts).

export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

/** Sign-in failures: 10 per account and 100 per IP address in 15 minutes. */
export const SIGN_IN_PER_ACCOUNT: RateLimitRule = { limit: 10, windowMs: 15 * 60 * 1000 };
export const SIGN_IN_PER_IP: RateLimitRule = { limit: 100, windowMs: 15 * 60 * 1000 };
/** Password reset e-mails: 5 per address and 20 per IP address an hour. */
export const RESET_PER_ACCOUNT: RateLimitRule = { limit: 5, windowMs: 60 * 60 * 1000 };
export const RESET_PER_IP: RateLimitRule = { limit: 20, windowMs: 60 * 60 * 1000 };

export interface WindowState {
  count: number;
  windowStart: Date;
}

/** The count that applies now (0 once the window has passed). */
export function currentCount(state: WindowState | null, rule: RateLimitRule, now: Date): number {
  if (!state || now.getTime() >= state.windowStart.getTime() + rule.windowMs) return 0;
  return state.count;
}

export function retryAfterSeconds(state: WindowState, rule: RateLimitRule, now: Date): number {
  return Math.max(1, Math.ceil((state.windowStart.getTime() + rule.windowMs - now.getTime()) / 1000));
}

export function isBlocked(state: WindowState | null, rule: RateLimitRule, now: Date): boolean {
  return currentCount(state, rule, now) >= rule.limit;
}
