import type { APIContext } from 'astro';
import { describe, expect, test } from 'vitest';
import { allowedMethods, jsonError, methodNotAllowed, withStandardStatusText } from './http.ts';

const contextFor = (method: string) => ({ request: new Request('http://127.0.0.1/api/x', { method }) }) as unknown as APIContext;
const answer = () => Response.json({ ok: true });

describe('allowedMethods', () => {
  test('lists the exported methods, HEAD with GET, and OPTIONS, in a fixed order', () => {
    expect(allowedMethods({ POST: answer })).toEqual(['POST', 'OPTIONS']);
    expect(allowedMethods({ PUT: answer, GET: answer })).toEqual(['GET', 'HEAD', 'PUT', 'OPTIONS']);
  });
});

describe('methodNotAllowed', () => {
  test('answers another method with 405, an Allow header and the JSON error body', async () => {
    const response = await methodNotAllowed({ POST: answer })(contextFor('DELETE'));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST, OPTIONS');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ error: 'This address does not accept DELETE requests; use POST, OPTIONS.' });
  });

  test('answers OPTIONS with 204 and the Allow header', async () => {
    const response = await methodNotAllowed({ PUT: answer })(contextFor('OPTIONS'));
    expect(response.status).toBe(204);
    expect(response.headers.get('allow')).toBe('PUT, OPTIONS');
    expect(await response.text()).toBe('');
  });

  test('serves HEAD from GET without a body, as Astro would without an ALL export', async () => {
    const response = await methodNotAllowed({ GET: () => jsonError(401, 'Sign in first.') })(contextFor('HEAD'));
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.text()).toBe('');
  });

  test('refuses HEAD with 405 where there is no GET', async () => {
    const response = await methodNotAllowed({ POST: answer })(contextFor('HEAD'));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST, OPTIONS');
  });
});

describe('withStandardStatusText', () => {
  test('replaces the "OK" Astro gives every page with the reason phrase of its status', async () => {
    const fixed = withStandardStatusText(new Response('<p>Not valid</p>', { status: 422, statusText: 'OK', headers: { 'x-kept': '1' } }));
    expect(fixed.status).toBe(422);
    expect(fixed.statusText).toBe('Unprocessable Entity');
    expect(fixed.headers.get('x-kept')).toBe('1');
    expect(await fixed.text()).toBe('<p>Not valid</p>');
    expect(withStandardStatusText(new Response(null, { status: 413, statusText: 'OK' })).statusText).toBe('Payload Too Large');
    expect(withStandardStatusText(new Response(null, { status: 400, statusText: 'OK' })).statusText).toBe('Bad Request');
  });

  test('leaves a 200, and a reason phrase someone chose, as they are', () => {
    const ok = new Response('fine', { status: 200, statusText: 'OK' });
    expect(withStandardStatusText(ok)).toBe(ok);
    const chosen = new Response(null, { status: 508, statusText: 'Loop Detected' });
    expect(withStandardStatusText(chosen)).toBe(chosen);
  });
});
