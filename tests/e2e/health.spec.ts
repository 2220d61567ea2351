import { expect, test } from '@playwright/test';
import { freshPostgres } from '../support/databases.ts';
import { runServerToExit, startServer } from '../support/server.ts';

test('/healthz reports ok on the embedded SQLite default', async ({ request }) => {
  const response = await request.get('/healthz');
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok', db: 'ok' });
  expect(response.headers()['cache-control']).toBe('no-store');
});

test('/healthz reports ok on PostgreSQL, and 503 naming the database when it goes away', async ({ request }) => {
  const database = await freshPostgres();
  const server = await startServer({ DATABASE_URL: database.url });
  try {
    expect(server.output()).toContain('applied 20261127120000_init');
    const ok = await request.get(`${server.url}/healthz`);
    expect(ok.status()).toBe(200);
    expect(await ok.json()).toEqual({ status: 'ok', db: 'ok' });

    await database.drop();
    const down = await request.get(`${server.url}/healthz`);
    expect(down.status()).toBe(503);
    expect(await down.json()).toEqual({ status: 'error', db: 'unreachable' });
  } finally {
    await server.stop();
    await database.drop();
  }
});

test('a database that cannot be reached at start ends the process with one line naming DATABASE_URL', async () => {
  const result = await runServerToExit({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/headroom' });
  expect(result.code).toBe(1);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^headroom: cannot connect to PostgreSQL: .* — check DATABASE_URL$/);
  expect(result.stderr).not.toMatch(/\n\s+at /);
});

test('an unsupported DATABASE_URL is refused with one clear line', async () => {
  const result = await runServerToExit({ DATABASE_URL: 'mysql://root@localhost/headroom' });
  expect(result.code).toBe(1);
  expect(result.stderr.trim()).toBe('headroom: DATABASE_URL must start with postgres://, postgresql:// or file: (got "mysql:…")');
});
