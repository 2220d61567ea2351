// Fresh databases for tests: each call makes its own SQLite file or PostgreSQL database, so no
// two tests (or workers) share state. PostgreSQL comes from TEST_POSTGRES_URL (default: the local
// trust-auth server), and test databases are dropped afterwards.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

export const POSTGRES_ADMIN_URL = process.env['TEST_POSTGRES_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export function freshSqlite(): TestDatabase {
  const dir = mkdtempSync(path.join(tmpdir(), 'headroom-test-'));
  const file = path.join(dir, 'test.db');
  return { url: `file:${file}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

export async function freshPostgres(): Promise<TestDatabase> {
  const name = `headroom_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
