// Every server-rendered response passes through the middleware, which gives a page's status its
// standard reason phrase: Astro renders pages with "OK" whatever status they set, so a 422 from
// /verify went out as "422 OK". (tests/e2e/api-methods.spec.ts checks it on the running server.)
import type { APIContext, MiddlewareNext } from 'astro';
import { expect, test, vi } from 'vitest';

vi.mock('astro:middleware', () => ({ defineMiddleware: (handler: unknown) => handler }));
const { onRequest } = await import('../../src/middleware.ts');

function signedOutRequest(): APIContext {
  return {
    isPrerendered: false,
    locals: {},
    cookies: { get: () => undefined },
    url: new URL('http://127.0.0.1/verify'),
    request: new Request('http://127.0.0.1/verify', { method: 'POST' }),
    routePattern: '/verify',
  } as unknown as APIContext;
}

async function respond(page: Response): Promise<Response> {
  const next: MiddlewareNext = async () => page;
  return (await onRequest(signedOutRequest(), next)) as Response;
}

test('a page that sets 4xx goes out with the reason phrase of that status, body and headers kept', async () => {
  for (const [status, phrase] of [
    [400, 'Bad Request'],
    [413, 'Payload Too Large'],
    [422, 'Unprocessable Entity'],
    [429, 'Too Many Requests'],
  ] as const) {
    const response = await respond(new Response('<h1>Verify</h1>', { status, statusText: 'OK', headers: { 'content-type': 'text/html' } }));
    expect(response.status).toBe(status);
    expect(response.statusText).toBe(phrase);
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(await response.text()).toBe('<h1>Verify</h1>');
  }
});

test('a 200 page and an endpoint’s own reason phrase pass unchanged', async () => {
  const page = new Response('fine', { status: 200, statusText: 'OK' });
  expect(await respond(page)).toBe(page);
  const endpoint = Response.json({ error: 'Sign in first.' }, { status: 401 });
  expect((await respond(endpoint)).statusText).toBe('');
});
