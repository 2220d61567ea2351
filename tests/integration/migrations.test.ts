// Startup migrations on both providers: applied once, recorded as Prisma records them, and
// compatible with Prisma's own `migrate status` and `migrate deploy`.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createClient } from '@libsql/client';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveDatabase } from '../../src/lib/server/database-url.ts';
import { applyMigrations, migrationsDirectory, readMigrations } from '../../src/lib/server/migrate.server.ts';
import { freshPostgres, freshSqlite, type TestDatabase } from '../support/databases.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const prismaCli = path.join(root, 'node_modules/prisma/build/index.js');

async function prisma(args: string[], databaseUrl: string): Promise<string> {
  const { stdout, stderr } = await run(process.execPath, [prismaCli, ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });
  return stdout + stderr;
}

async function recordedMigrations(url: string): Promise<{ name: string; checksum: string; steps: number; finished: boolean }[]> {
  const target = resolveDatabase({ DATABASE_URL: url });
  const sql = 'SELECT migration_name, checksum, applied_steps_count, finished_at FROM "_prisma_migrations" ORDER BY migration_name';
  type Row = { migration_name: string; checksum: string; applied_steps_count: number | bigint; finished_at: unknown };
  let rows: Row[];
  if (target.provider === 'sqlite') {
    const client = createClient({ url: target.url });
    rows = (await client.execute(sql)).rows as unknown as Row[];
    client.close();
  } else {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    rows = (await client.query<Row>(sql)).rows;
    await client.end();
  }
  return rows.map((r) => ({
    name: r.migration_name,
    checksum: r.checksum,
    steps: Number(r.applied_steps_count),
    finished: r.finished_at !== null,
  }));
}

const providers = [
  { name: 'SQLite', fresh: async () => freshSqlite() },
  { name: 'PostgreSQL', fresh: freshPostgres },
] as const;

describe.each(providers)('startup migrations on $name', ({ fresh }) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.drop();
    database = undefined;
  });

  it('applies every committed migration once and records it as Prisma does', async () => {
    database = await fresh();
    const target = resolveDatabase({ DATABASE_URL: database.url }, root);
    const committed = readMigrations(migrationsDirectory(target, root));
    expect(committed.length).toBeGreaterThan(0);

    expect(await applyMigrations(target, root)).toEqual(committed.map((m) => m.name));
    expect(await applyMigrations(target, root)).toEqual([]);

    const recorded = await recordedMigrations(database.url);
    expect(recorded).toEqual(committed.map((m) => ({ name: m.name, checksum: m.checksum, steps: 1, finished: true })));
    expect(recorded[0]?.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('applies each migration exactly once when several instances start together', async () => {
    database = await fresh();
    const target = resolveDatabase({ DATABASE_URL: database.url }, root);
    // Separate processes, as separate app instances would be.
    const script = `import { applyMigrations } from './src/lib/server/migrate.server.ts';
import { resolveDatabase } from './src/lib/server/database-url.ts';
console.log(JSON.stringify(await applyMigrations(resolveDatabase(process.env))));`;
    const outputs = await Promise.all(
      [1, 2, 3, 4].map(() =>
        run(process.execPath, ['--input-type=module', '-e', script], { cwd: root, env: { ...process.env, DATABASE_URL: database?.url } }),
      ),
    );
    const applied = outputs.flatMap((o) => JSON.parse(o.stdout) as string[]);
    const committed = readMigrations(migrationsDirectory(target, root)).map((m) => m.name);
    expect(applied.sort()).toEqual(committed.sort());
    expect((await recordedMigrations(database.url)).length).toBe(committed.length);
  });

  it("leaves the database in a state Prisma's migrate status and deploy accept", async () => {
    database = await fresh();
    await applyMigrations(resolveDatabase({ DATABASE_URL: database.url }, root), root);
    expect(await prisma(['migrate', 'status'], database.url)).toContain('Database schema is up to date!');
  });
});

describe('compatibility with prisma migrate deploy (SQLite)', () => {
  it('sees migrations applied by `prisma migrate deploy` as done, and the reverse', async () => {
    const deployedFirst = freshSqlite();
    const oursFirst = freshSqlite();
    try {
      expect(await prisma(['migrate', 'deploy'], deployedFirst.url)).toContain('successfully applied');
      expect(await applyMigrations(resolveDatabase({ DATABASE_URL: deployedFirst.url }, root), root)).toEqual([]);

      await applyMigrations(resolveDatabase({ DATABASE_URL: oursFirst.url }, root), root);
      expect(await prisma(['migrate', 'deploy'], oursFirst.url)).toContain('No pending migrations to apply');
    } finally {
      await deployedFirst.drop();
      await oursFirst.drop();
    }
  });
});

describe.each(providers)('later migrations on $name', ({ name, fresh }) => {
  it('keep every existing row (no table is dropped and recreated)', async () => {
    const database = await fresh();
    const partialRoot = mkdtempSync(path.join(tmpdir(), 'headroom-partial-'));
    try {
      const provider = name === 'SQLite' ? 'sqlite' : 'postgresql';
      const all = readdirSync(path.join(root, 'prisma', provider, 'migrations'), { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort();
      const firstTwo = all.slice(0, 2);
      for (const migration of firstTwo) {
        cpSync(
          path.join(root, 'prisma', provider, 'migrations', migration),
          path.join(partialRoot, 'prisma', provider, 'migrations', migration),
          { recursive: true },
        );
      }
      const target = resolveDatabase({ DATABASE_URL: database.url }, root);
      expect(await applyMigrations(target, partialRoot)).toEqual(firstTwo);
      const insert = [
        `INSERT INTO "User" (id, email, name, "passwordHash") VALUES ('u1', 'keep@example.com', 'Keep Me', 'x')`,
        `INSERT INTO "Session" (id, "secretHash", "userId") VALUES ('s1', ${provider === 'sqlite' ? "x'00'" : "'\\x00'::bytea"}, 'u1')`,
        `INSERT INTO "LessonProgress" ("userId", "lessonId", completed, "actedAt") VALUES ('u1', 'slos/01-prometheus-data-model', ${provider === 'sqlite' ? 1 : 'true'}, ${provider === 'sqlite' ? "'2026-11-27T10:00:00.000+00:00'" : 'now()'})`,
      ];
      const count = async (table: string): Promise<number> => {
        const sql = `SELECT count(*) AS n FROM "${table}"`;
        if (provider === 'sqlite') {
          const client = createClient({ url: database.url });
          const n = Number((await client.execute(sql)).rows[0]?.['n']);
          client.close();
          return n;
        }
        const client = new pg.Client({ connectionString: database.url });
        await client.connect();
        const n = Number((await client.query<{ n: string }>(sql)).rows[0]?.n);
        await client.end();
        return n;
      };
      if (provider === 'sqlite') {
        const client = createClient({ url: database.url });
        for (const sql of insert) await client.execute(sql);
        client.close();
      } else {
        const client = new pg.Client({ connectionString: database.url });
        await client.connect();
        for (const sql of insert) await client.query(sql);
        await client.end();
      }
      expect(await applyMigrations(target, root)).toEqual(all.slice(2));
      expect([await count('User'), await count('Session'), await count('LessonProgress')]).toEqual([1, 1, 1]);
    } finally {
      rmSync(partialRoot, { recursive: true, force: true });
      await database.drop();
    }
  });
});

describe('committed SQLite migrations', () => {
  it('never redefine a table (DROP TABLE would cascade-delete rows, foreign keys being on)', () => {
    const dir = path.join(root, 'prisma/sqlite/migrations');
    for (const migration of readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory())) {
      const sql = readFileSync(path.join(dir, migration.name, 'migration.sql'), 'utf8').replace(/^--.*$/gm, '');
      expect(sql, migration.name).not.toMatch(/DROP TABLE/i);
    }
  });
});
