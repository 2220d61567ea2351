// `npm run admin -- grant <email> <role>` against a real database.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSqlite, type TestDatabase } from '../support/databases.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
let database: TestDatabase;

const admin = (...args: string[]) =>
  run(process.execPath, ['scripts/admin.ts', ...args], { cwd: root, env: { ...process.env, DATABASE_URL: database.url } }).then(
    (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
  );

describe('admin CLI', () => {
  beforeAll(async () => {
    database = freshSqlite();
    // The CLI applies migrations itself; the first call creates the schema.
    await admin('grant', 'nobody@example.com', 'instructor');
    const client = createClient({ url: database.url });
    await client.execute({
      sql: 'INSERT INTO "User" (id, email, name, "passwordHash") VALUES (?, ?, ?, ?)',
      args: ['u1', 'ada@example.com', 'Ada', 'x'],
    });
    client.close();
  });
  afterAll(async () => database.drop());

  it('grants the instructor role by e-mail', async () => {
    const result = await admin('grant', 'ADA@example.com', 'instructor');
    expect(result).toMatchObject({ code: 0, out: 'admin: ada@example.com is now an instructor\n' });
    const client = createClient({ url: database.url });
    expect((await client.execute('SELECT role FROM "User" WHERE email = \'ada@example.com\'')).rows[0]?.['role']).toBe('instructor');
    client.close();
  });

  it('explains an unknown account and bad usage in one line', async () => {
    expect(await admin('grant', 'ghost@example.com', 'instructor')).toMatchObject({
      code: 1,
      err: 'admin: no account uses ghost@example.com\n',
    });
    expect(await admin('grant', 'ada@example.com', 'emperor')).toMatchObject({
      code: 1,
      err: expect.stringContaining('usage: npm run admin -- grant'),
    });
    expect(await admin()).toMatchObject({ code: 1 });
  });
});
