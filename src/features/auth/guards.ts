// Guards are verbs that return what the route needs or redirect: a route reads top to bottom.
import type { APIContext, AstroGlobal } from 'astro';

type Context = Pick<APIContext, 'locals' | 'url' | 'redirect'> | Pick<AstroGlobal, 'locals' | 'url' | 'redirect'>;

export function signInUrl(returnTo: URL): string {
  return `/signin/?returnTo=${encodeURIComponent(returnTo.pathname + returnTo.search)}`;
}

/** The signed-in user, or a redirect to sign-in that returns here afterwards. */
export function requireUser(context: Context): { user: App.SessionUser; session: App.SessionInfo } | Response {
  const { user, session } = context.locals;
  if (!user || !session) return context.redirect(signInUrl(context.url), 303);
  return { user, session };
}

type InstructorContext =
  | Pick<APIContext, 'locals' | 'url' | 'redirect' | 'rewrite'>
  | Pick<AstroGlobal, 'locals' | 'url' | 'redirect' | 'rewrite'>;

/**
 * The signed-in instructor. Signed out: a redirect to sign-in that returns here. Signed in without
 * the role: the 403 page, rendered at this address (learners are told, not bounced around).
 */
export async function requireInstructor(
  context: InstructorContext,
): Promise<{ user: App.SessionUser; session: App.SessionInfo } | Response> {
  const signedIn = requireUser(context);
  if (signedIn instanceof Response) return signedIn;
  if (signedIn.user.role !== 'instructor') return context.rewrite('/403/');
  return signedIn;
}
