// Accounts against a real database, on SQLite and on PostgreSQL.
import { describe, expect, it } from 'vitest';
import {
  changePassword,
  deleteAccount,
  RESET_LINK_INVALID,
  requestPasswordReset,
  resetPassword,
  SIGN_IN_FAILED,
  signIn,
  signUp,
} from '../../src/features/auth/accounts.server.ts';
import { createSession, invalidateSession, invalidateUserSessions, validateSessionToken } from '../../src/features/auth/session.server.ts';
import { SESSION_IDLE_TIMEOUT_MS, SESSION_TOUCH_INTERVAL_MS } from '../../src/features/auth/session-policy.ts';
import { recordLessonReport } from '../../src/features/progress/progress.server.ts';
import { db } from '../../src/lib/server/db.server.ts';
import { PROVIDERS, useFreshDatabase } from '../support/use-database.ts';

let counter = 0;
async function newUser(password = 'a perfectly fine passphrase') {
  counter += 1;
  const email = `learner${counter}-${Date.now()}@example.com`;
  const created = await signUp({ name: `Learner ${counter}`, email, password });
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
  return { email, password, userId: created.value.userId };
}

describe.each(process.env['ONLY'] ? [process.env['ONLY'] as 'sqlite'] : PROVIDERS)('accounts on %s', (provider) => {
  useFreshDatabase(provider);

  it('runs a session through creation, validation, sliding update and invalidation', async () => {
    const { userId } = await newUser();
    const t0 = new Date();
    const { token, session } = await createSession(userId, t0);
    expect((await validateSessionToken(token, t0)).user?.id).toBe(userId);

    const stored = await db().session.findUnique({ where: { id: session.id } });
    expect(stored?.secretHash).toHaveLength(32);
    expect(Buffer.from(stored?.secretHash ?? []).toString()).not.toContain(token.split('.')[1]);

    const later = new Date(t0.getTime() + SESSION_TOUCH_INTERVAL_MS + 1000);
    expect((await validateSessionToken(token, later)).session).not.toBeNull();
    expect((await db().session.findUnique({ where: { id: session.id } }))?.lastUsedAt.getTime()).toBe(later.getTime());

    await invalidateSession(session.id);
    expect((await validateSessionToken(token, later)).session).toBeNull();
  });

  it('treats tampered and idle-expired tokens as signed out and deletes expired sessions', async () => {
    const { userId } = await newUser();
    const t0 = new Date();
    const { token, session } = await createSession(userId, t0);
    const [id, secret = ''] = token.split('.');
    const tampered = `${id}.${secret.slice(0, -1)}${secret.endsWith('a') ? 'b' : 'a'}`;
    expect(await validateSessionToken(tampered, t0)).toEqual({ session: null, user: null });

    expect(await validateSessionToken(token, new Date(t0.getTime() + SESSION_IDLE_TIMEOUT_MS))).toEqual({ session: null, user: null });
    expect(await db().session.findUnique({ where: { id: session.id } })).toBeNull();
  });

  it('ends every other session on password change, and all of them on "sign out everywhere"', async () => {
    const { userId, password } = await newUser();
    const here = await createSession(userId);
    const elsewhere = await createSession(userId);
    expect(
      (await changePassword(userId, here.session.id, { currentPassword: 'wrong password!', newPassword: 'another long passphrase' })).ok,
    ).toBe(false);
    expect((await changePassword(userId, here.session.id, { currentPassword: password, newPassword: 'another long passphrase' })).ok).toBe(
      true,
    );
    expect((await validateSessionToken(here.token)).session).not.toBeNull();
    expect((await validateSessionToken(elsewhere.token)).session).toBeNull();

    await invalidateUserSessions(userId);
    expect((await validateSessionToken(here.token)).session).toBeNull();
  });

  it('throttles sign-in after 10 failures with the same answer for unknown e-mails', async () => {
    const { email, password } = await newUser();
    const unknown = await signIn({ email: `nobody-${Date.now()}@example.com`, password: 'whatever it is' }, '203.0.113.9');
    const wrong = await signIn({ email, password: 'not the password' }, '203.0.113.10');
    expect(unknown).toEqual({ ok: false, error: SIGN_IN_FAILED });
    expect(wrong).toEqual({ ok: false, error: SIGN_IN_FAILED });
    for (let i = 0; i < 9; i += 1) await signIn({ email, password: 'not the password' }, '203.0.113.10');
    const blocked = await signIn({ email, password }, '203.0.113.11');
    expect(blocked).toMatchObject({ ok: false, throttled: true });
    expect((blocked as { retryAfter: number }).retryAfter).toBeGreaterThan(800);
  });

  it('resets a password through a single-use link that expires after 30 minutes', async () => {
    const { email, userId } = await newUser();
    const session = await createSession(userId);
    await requestPasswordReset(email, '198.51.100.1', 'http://localhost:4321');
    const message = await db().outboxMessage.findFirst({ where: { to: email }, orderBy: { createdAt: 'desc' } });
    const token = /token=([a-z2-9]{26}\.[a-z2-9]{26})/.exec(message?.text ?? '')?.[1] ?? '';
    expect(token).not.toBe('');
    expect((await db().passwordResetToken.findFirst({ where: { userId } }))?.secretHash).toHaveLength(32);

    expect((await resetPassword(token, 'first new passphrase')).ok).toBe(true);
    expect((await signIn({ email, password: 'first new passphrase' }, '198.51.100.3')).ok).toBe(true);
    expect(await resetPassword(token, 'brand new passphrase')).toEqual({ ok: false, errors: { token: RESET_LINK_INVALID } });
    expect((await validateSessionToken(session.token)).session).toBeNull();

    await requestPasswordReset(email, '198.51.100.1', 'http://localhost:4321');
    const second = await db().outboxMessage.findFirst({ where: { to: email }, orderBy: { createdAt: 'desc' } });
    const late = /token=([a-z2-9.]+)/.exec(second?.text ?? '')?.[1] ?? '';
    expect((await resetPassword(late, 'brand new passphrase', new Date(Date.now() + 31 * 60 * 1000))).ok).toBe(false);
  });

  it('sends no mail for an unknown address but answers the same', async () => {
    const before = await db().outboxMessage.count();
    expect(await requestPasswordReset(`ghost-${Date.now()}@example.com`, '198.51.100.2', 'http://localhost')).toEqual({ throttled: false });
    expect(await db().outboxMessage.count()).toBe(before);
  });

  it('deletes an account with its sessions and progress', async () => {
    const { userId, password } = await newUser();
    await createSession(userId);
    await recordLessonReport(userId, 'load-testing/01-slis-slos-and-slas', { completed: true, at: Date.now() });
    expect((await deleteAccount(userId, 'wrong password')).ok).toBe(false);
    expect((await deleteAccount(userId, password)).ok).toBe(true);
    expect(await db().session.count({ where: { userId } })).toBe(0);
    expect(await db().lessonProgress.count({ where: { userId } })).toBe(0);
  });
});
