// Sessions per the Lucia guide: create on every sign-in, validate per request, invalidate one or
// all. The cookie is HttpOnly, SameSite=Lax, Path=/ and Secure except on plain-HTTP loopback.
import type { AstroCookies } from 'astro';
import { db } from '../../lib/server/db.server.ts';
import { judgeSession } from './session-policy.ts';
import { newToken, parseToken, secretMatches } from './tokens.ts';

export const SESSION_COOKIE = 'headroom_session';
/** Not a credential: lets static pages' scripts know someone is signed in. */
export const SIGNED_IN_HINT_COOKIE = 'headroom_signed_in';

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: string;
}

export interface SessionInfo {
  id: string;
  userId: string;
  expiresAt: Date;
}

export type SessionValidation = { session: SessionInfo; user: SessionUser } | { session: null; user: null };

export async function createSession(userId: string, now = new Date()): Promise<{ token: string; session: SessionInfo }> {
  const { id, token, secretHash } = newToken();
  await db().session.create({ data: { id, secretHash, userId, createdAt: now, lastUsedAt: now } });
  const verdict = judgeSession({ createdAt: now, lastUsedAt: now }, now);
  const expiresAt = verdict.state === 'valid' ? verdict.expiresAt : now;
  return { token, session: { id, userId, expiresAt } };
}

/**
 * Validated sessions are remembered for a few seconds, so a burst of requests (exam autosaves)
 * costs one database read, not one each. Ending a session clears it here at once; another app
 * instance may still accept it for up to SESSION_CACHE_MS (ADR 006).
 */
export const SESSION_CACHE_MS = 5_000;
const validated = new Map<string, { result: { session: SessionInfo; user: SessionUser }; until: number }>();

/** Drops cached validations of a user's sessions (after a reset or an account deletion). */
export function forgetCachedSessions(userId: string): void {
  forgetCached((entry) => entry.user.id === userId);
}

function forgetCached(predicate: (entry: { session: SessionInfo; user: SessionUser }) => boolean): void {
  for (const [key, entry] of validated) if (predicate(entry.result)) validated.delete(key);
}

export async function validateSessionToken(token: string | undefined, now = new Date()): Promise<SessionValidation> {
  const parts = parseToken(token);
  if (!parts) return { session: null, user: null };
  const cached = token ? validated.get(token) : undefined;
  if (cached && cached.until > now.getTime() && cached.until > Date.now()) return cached.result;
  const result = await validateUncached(parts, now);
  if (result.session && token) {
    if (validated.size > 20_000) validated.clear();
    // Jittered, so sessions validated together do not all expire together.
    validated.set(token, { result, until: Math.min(now.getTime(), Date.now()) + SESSION_CACHE_MS * (0.5 + Math.random() / 2) });
  }
  return result;
}

/** Always reads the database (benchmarks; the request path uses validateSessionToken). */
export async function validateSessionTokenUncached(token: string | undefined, now = new Date()): Promise<SessionValidation> {
  const parts = parseToken(token);
  return parts ? validateUncached(parts, now) : { session: null, user: null };
}

async function validateUncached(parts: { id: string; secret: string }, now: Date): Promise<SessionValidation> {
  const row = await db().session.findUnique({
    where: { id: parts.id },
    select: {
      id: true,
      secretHash: true,
      createdAt: true,
      lastUsedAt: true,
      user: { select: { id: true, email: true, name: true, role: true } },
    },
  });
  if (!row || !secretMatches(parts.secret, row.secretHash)) return { session: null, user: null };
  const verdict = judgeSession(row, now);
  if (verdict.state !== 'valid') {
    await db().session.deleteMany({ where: { id: row.id } });
    return { session: null, user: null };
  }
  if (verdict.touch) await db().session.updateMany({ where: { id: row.id }, data: { lastUsedAt: now } });
  return { session: { id: row.id, userId: row.user.id, expiresAt: verdict.expiresAt }, user: row.user };
}

export async function invalidateSession(sessionId: string): Promise<void> {
  forgetCached((entry) => entry.session.id === sessionId);
  await db().session.deleteMany({ where: { id: sessionId } });
}

/** Ends every session of the user, except `keepSessionId` when given. */
export async function invalidateUserSessions(userId: string, keepSessionId?: string): Promise<void> {
  forgetCached((entry) => entry.user.id === userId && entry.session.id !== keepSessionId);
  await db().session.deleteMany({ where: { userId, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) } });
}

function secureCookies(url: URL): boolean {
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  return !(url.protocol === 'http:' && loopback);
}

export function setSessionCookie(cookies: AstroCookies, url: URL, token: string, expiresAt: Date): void {
  const secure = secureCookies(url);
  cookies.set(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', path: '/', secure, expires: expiresAt });
  cookies.set(SIGNED_IN_HINT_COOKIE, '1', { httpOnly: false, sameSite: 'lax', path: '/', secure, expires: expiresAt });
}

export function deleteSessionCookie(cookies: AstroCookies, url: URL): void {
  const secure = secureCookies(url);
  cookies.set(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', path: '/', secure, maxAge: 0 });
  cookies.set(SIGNED_IN_HINT_COOKIE, '', { httpOnly: false, sameSite: 'lax', path: '/', secure, maxAge: 0 });
}
