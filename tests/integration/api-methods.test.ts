// Every route under src/pages/api answers a method it does not serve with 405, an Allow header
// naming what it does serve, and the JSON error body, through its `ALL` export. Astro calls `ALL`
// for any method without its own handler, so its router never logs a warning for such a request
// (tests/e2e/api-methods.spec.ts checks the running server's log).
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIContext, APIRoute } from 'astro';
import { describe, expect, test, vi } from 'vitest';

// The progress routes read the curriculum catalog from Astro's content collections.
vi.mock('astro:content', () => ({ getCollection: async () => [] }));

const apiDir = path.resolve(import.meta.dirname, '../../src/pages/api');
const routeFiles = (await readdir(apiDir, { recursive: true })).filter((file) => file.endsWith('.ts')).sort();
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

function contextFor(method: string): APIContext {
  const url = new URL('http://127.0.0.1/api/some/route');
  return { request: new Request(url, { method }), url, params: {}, locals: { user: null, session: null } } as unknown as APIContext;
}

test('the API has routes to check', () => {
  expect(routeFiles.length).toBeGreaterThanOrEqual(10);
});

describe.each(routeFiles)('src/pages/api/%s', (file) => {
  test('answers every method it does not serve with 405, Allow and a JSON error', async () => {
    const route = (await import(pathToFileURL(path.join(apiDir, file)).href)) as Record<string, APIRoute | undefined>;
    const served = METHODS.filter((method) => typeof route[method] === 'function');
    expect(served.length).toBeGreaterThan(0);
    const all = route['ALL'];
    expect(all, 'the route exports ALL = methodNotAllowed({ …its handlers })').toBeTypeOf('function');
    if (!all) return;
    const allow = [...served, ...(served.includes('GET') ? ['HEAD'] : []), 'OPTIONS'];
    for (const method of METHODS.filter((m) => !served.includes(m))) {
      const response = await all(contextFor(method));
      expect(response.status, method).toBe(405);
      expect(response.headers.get('allow')?.split(', ').sort(), method).toEqual([...allow].sort());
      expect(response.headers.get('content-type'), method).toMatch(/^application\/json/);
      const body = (await response.json()) as { error?: unknown };
      expect(body.error, method).toEqual(expect.stringContaining(`does not accept ${method} requests`));
    }
    const options = await all(contextFor('OPTIONS'));
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')?.split(', ').sort()).toEqual([...allow].sort());
  });
});
