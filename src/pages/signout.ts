import type { APIRoute } from 'astro';
import { deleteSessionCookie, invalidateSession } from '../features/auth/session.server.ts';

export const prerender = false;

export const POST: APIRoute = async ({ locals, cookies, url, redirect }) => {
  if (locals.session) await invalidateSession(locals.session.id);
  deleteSessionCookie(cookies, url);
  return redirect('/', 303);
};

export const GET: APIRoute = () =>
  Response.json({ error: 'Sign out with a POST request (the Sign out button).' }, { status: 405, headers: { allow: 'POST' } });
