// Account operations: sign up, sign in (throttled), change password, delete, and password reset
// by e-mailed link. Routes call these; they never touch Prisma themselves.
import { db } from '../../lib/server/db.server.ts';
import { withDbRetry } from '../../lib/server/db-retry.ts';
import { metrics } from '../../lib/server/metrics.server.ts';
import { getMailer } from '../mail/mailer.server.ts';
import type { FieldErrors } from './forms.ts';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password.server.ts';
import { checkLimit, clearLimit, recordHit } from './rate-limit.server.ts';
import { RESET_PER_ACCOUNT, RESET_PER_IP, SIGN_IN_PER_ACCOUNT, SIGN_IN_PER_IP } from './rate-limit.ts';
import { forgetCachedSessions, invalidateUserSessions } from './session.server.ts';
import { newToken, parseToken, secretMatches } from './tokens.ts';

export const RESET_TOKEN_LIFETIME_MS = 30 * 60 * 1000;
export const SIGN_IN_FAILED = 'That e-mail and password do not match an account.';

export type Outcome<T = undefined> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

export async function signUp(input: { name: string; email: string; password: string }): Promise<Outcome<{ userId: string }>> {
  const existing = await db().user.findUnique({ where: { email: input.email }, select: { id: true } });
  if (existing) return { ok: false, errors: { email: 'An account with this e-mail already exists. Sign in instead.' } };
  const id = crypto.randomUUID();
  const passwordHash = await hashPassword(input.password);
  try {
    await db().user.create({ data: { id, email: input.email, name: input.name, passwordHash } });
  } catch (error) {
    // A concurrent sign-up with the same e-mail won the unique constraint.
    if ((error as { code?: string }).code === 'P2002')
      return { ok: false, errors: { email: 'An account with this e-mail already exists. Sign in instead.' } };
    throw error;
  }
  return { ok: true, value: { userId: id } };
}

export type SignInResult = { ok: true; userId: string } | { ok: false; error: string } | { ok: false; throttled: true; retryAfter: number };

export async function signIn(input: { email: string; password: string }, ip: string): Promise<SignInResult> {
  const accountKey = `signin:account:${input.email}`;
  const ipKey = `signin:ip:${ip}`;
  for (const [key, rule] of [
    [accountKey, SIGN_IN_PER_ACCOUNT],
    [ipKey, SIGN_IN_PER_IP],
  ] as const) {
    const limit = await checkLimit(key, rule);
    if (limit.blocked) {
      metrics().signIns.labels('throttled').inc();
      return { ok: false, throttled: true, retryAfter: limit.retryAfter };
    }
  }
  const user = await db().user.findUnique({ where: { email: input.email }, select: { id: true, passwordHash: true } });
  // Unknown e-mails still pay for one argon2 verification, so timing does not reveal accounts.
  const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
  if (!user || !valid) {
    await recordHit(accountKey, SIGN_IN_PER_ACCOUNT);
    await recordHit(ipKey, SIGN_IN_PER_IP);
    metrics().signIns.labels('failed').inc();
    return { ok: false, error: SIGN_IN_FAILED };
  }
  await clearLimit(accountKey);
  metrics().signIns.labels('succeeded').inc();
  return { ok: true, userId: user.id };
}

export async function changePassword(
  userId: string,
  keepSessionId: string,
  input: { currentPassword: string; newPassword: string },
): Promise<Outcome> {
  const user = await db().user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
    return { ok: false, errors: { currentPassword: 'That is not your current password.' } };
  }
  await db().user.update({ where: { id: userId }, data: { passwordHash: await hashPassword(input.newPassword) } });
  await invalidateUserSessions(userId, keepSessionId);
  return { ok: true, value: undefined };
}

export async function deleteAccount(userId: string, password: string): Promise<Outcome> {
  const user = await db().user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  if (!user || !(await verifyPassword(user.passwordHash, password)))
    return { ok: false, errors: { password: 'That is not your password.' } };
  // Sessions, reset tokens and progress go with the user (ON DELETE CASCADE).
  forgetCachedSessions(userId);
  await db().user.delete({ where: { id: userId } });
  return { ok: true, value: undefined };
}

/** Always answers the same way, whether or not the address has an account. */
export async function requestPasswordReset(
  email: string,
  ip: string,
  origin: string,
): Promise<{ throttled: boolean; retryAfter?: number }> {
  for (const [key, rule] of [
    [`reset:account:${email}`, RESET_PER_ACCOUNT],
    [`reset:ip:${ip}`, RESET_PER_IP],
  ] as const) {
    const limit = await checkLimit(key, rule);
    if (limit.blocked) return { throttled: true, retryAfter: limit.retryAfter };
  }
  await recordHit(`reset:account:${email}`, RESET_PER_ACCOUNT);
  await recordHit(`reset:ip:${ip}`, RESET_PER_IP);
  const user = await db().user.findUnique({ where: { email }, select: { id: true, name: true } });
  if (!user) return { throttled: false };
  const { id, token, secretHash } = newToken();
  const now = new Date();
  await db().passwordResetToken.create({
    data: { id, secretHash, userId: user.id, createdAt: now, expiresAt: new Date(now.getTime() + RESET_TOKEN_LIFETIME_MS) },
  });
  const link = `${origin}/reset-password/?token=${token}`;
  await getMailer().send({
    to: email,
    subject: 'Reset your Headroom password',
    text: `Hello ${user.name},\n\nSomeone (hopefully you) asked to reset the password of your Headroom account.\nOpen this link within 30 minutes to choose a new password:\n\n${link}\n\nThe link works once. If you did not ask for this, ignore this message: your password stays as it is.\n\n— Headroom`,
  });
  return { throttled: false };
}

export const RESET_LINK_INVALID = 'This reset link is invalid, already used or expired. Ask for a new one.';

export async function resetPassword(token: string, password: string, now = new Date()): Promise<Outcome<{ userId: string }>> {
  const parts = parseToken(token);
  if (!parts) return { ok: false, errors: { token: RESET_LINK_INVALID } };
  const row = await db().passwordResetToken.findUnique({
    where: { id: parts.id },
    select: { secretHash: true, userId: true, expiresAt: true, usedAt: true },
  });
  if (!row || !secretMatches(parts.secret, row.secretHash) || row.usedAt !== null || row.expiresAt.getTime() <= now.getTime()) {
    return { ok: false, errors: { token: RESET_LINK_INVALID } };
  }
  const passwordHash = await hashPassword(password);
  const claimed = await withDbRetry(() =>
    db().$transaction(async (tx) => {
      // Single use even under concurrent submissions: only one update finds usedAt still null.
      const { count } = await tx.passwordResetToken.updateMany({ where: { id: parts.id, usedAt: null }, data: { usedAt: now } });
      if (count !== 1) return false;
      await tx.user.update({ where: { id: row.userId }, data: { passwordHash } });
      await tx.passwordResetToken.deleteMany({ where: { userId: row.userId, usedAt: null } });
      await tx.session.deleteMany({ where: { userId: row.userId } });
      return true;
    }),
  );
  if (!claimed) return { ok: false, errors: { token: RESET_LINK_INVALID } };
  forgetCachedSessions(row.userId);
  return { ok: true, value: { userId: row.userId } };
}

export async function peekResetToken(token: string, now = new Date()): Promise<boolean> {
  const parts = parseToken(token);
  if (!parts) return false;
  const row = await db().passwordResetToken.findUnique({
    where: { id: parts.id },
    select: { secretHash: true, expiresAt: true, usedAt: true },
  });
  return !!row && secretMatches(parts.secret, row.secretHash) && row.usedAt === null && row.expiresAt.getTime() > now.getTime();
}
