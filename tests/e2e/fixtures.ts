// Test fixtures: learners and sessions are created directly in the database the e2e server uses,
// so only the behaviour under test goes through the UI (Epic Stack's playwright-utils idea).
import { type BrowserContext, test as base } from '@playwright/test';
import { signUp } from '../../src/features/auth/accounts.server.ts';
import { createSession, SESSION_COOKIE, SIGNED_IN_HINT_COOKIE } from '../../src/features/auth/session.server.ts';
import { db } from '../../src/lib/server/db.server.ts';
import { withDbRetry } from '../../src/lib/server/db-retry.ts';

export interface Learner {
  userId: string;
  email: string;
  password: string;
  name: string;
}

export async function createLearner(role: 'learner' | 'instructor' = 'learner'): Promise<Learner> {
  const id = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const learner = { email: `e2e-${id}@example.com`, password: `e2e passphrase ${id}`, name: `Ada Tester ${id.slice(-4)}` };
  // The e2e server shares this SQLite file; a write that collides with it is retried.
  const created = await withDbRetry(() => signUp(learner));
  if (!created.ok) throw new Error(`fixture sign-up failed: ${JSON.stringify(created.errors)}`);
  if (role === 'instructor') await withDbRetry(() => db().user.update({ where: { id: created.value.userId }, data: { role } }));
  return { ...learner, userId: created.value.userId };
}

export async function signInContext(context: BrowserContext, baseURL: string, learner: Learner): Promise<void> {
  const { token, session } = await withDbRetry(() => createSession(learner.userId));
  const expires = Math.floor(session.expiresAt.getTime() / 1000);
  await context.addCookies([
    { name: SESSION_COOKIE, value: token, url: baseURL, httpOnly: true, sameSite: 'Lax', expires },
    { name: SIGNED_IN_HINT_COOKIE, value: '1', url: baseURL, sameSite: 'Lax', expires },
  ]);
}

export const test = base.extend<{ learner: Learner }>({
  learner: async ({ context, baseURL }, use) => {
    const learner = await createLearner();
    await signInContext(context, baseURL ?? '', learner);
    await use(learner);
    await withDbRetry(() => db().user.deleteMany({ where: { id: learner.userId } }));
  },
});

export { expect } from '@playwright/test';
