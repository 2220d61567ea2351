// Applies the committed Prisma migrations at server start, for SQLite and PostgreSQL alike.
// `prisma migrate deploy` cannot be used on PostgreSQL through the JS engine (prisma/orm#27403),
// so this records each migration in Prisma's own `_prisma_migrations` table exactly as Prisma does
// (checksum = SHA-256 hex of migration.sql), keeping `prisma migrate status`/`deploy` compatible.
// A lock (BEGIN IMMEDIATE on SQLite, Prisma's own advisory lock key on PostgreSQL) makes several
// instances starting together apply each migration once.
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Client, createClient, type Transaction } from '@libsql/client';
import pg from 'pg';
import type { DatabaseTarget } from './database-url.ts';
import { isSqliteBusy, sqliteTimestamp } from './sqlite.ts';

/** The advisory lock key Prisma's schema engine takes on PostgreSQL. */
const PRISMA_ADVISORY_LOCK_KEY = 72707369;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export function readMigrations(directory: string): Migration[] {
  return readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(directory, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

export function migrationsDirectory(target: DatabaseTarget, root = process.cwd()): string {
  return path.join(root, 'prisma', target.provider, 'migrations');
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

/** Which committed migrations still need applying; throws on a failed or edited one. */
export function pendingMigrations(migrations: Migration[], applied: AppliedRow[]): Migration[] {
  const done = new Map<string, AppliedRow>();
  for (const row of applied) if (row.rolled_back_at === null) done.set(row.migration_name, row);
  for (const row of done.values()) {
    if (row.finished_at === null) {
      throw new MigrationError(
        `migration ${row.migration_name} failed earlier and is marked unfinished in _prisma_migrations; fix the database, then resolve it with \`prisma migrate resolve\``,
      );
    }
  }
  for (const migration of migrations) {
    const row = done.get(migration.name);
    if (row && row.checksum !== migration.checksum) {
      throw new MigrationError(`migration ${migration.name} was edited after it was applied (checksum mismatch)`);
    }
  }
  return migrations.filter((m) => !done.has(m.name));
}

const SQLITE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

const POSTGRES_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

const SELECT_APPLIED = 'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"';

const BUSY_RETRY_DEADLINE_MS = 30_000;

/**
 * BEGIN IMMEDIATE takes SQLite's write lock up front; another instance holding it makes this one
 * wait (libSQL opens a fresh connection per transaction, so busy_timeout does not apply here).
 */
async function beginWriteWithRetry(client: Client): Promise<Transaction> {
  const deadline = Date.now() + BUSY_RETRY_DEADLINE_MS;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await client.transaction('write');
    } catch (error) {
      if (!isSqliteBusy(error) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(25 * 2 ** attempt, 500)));
    }
  }
}

async function applySqlite(target: Extract<DatabaseTarget, { provider: 'sqlite' }>, migrations: Migration[]): Promise<string[]> {
  mkdirSync(path.dirname(target.file), { recursive: true });
  const client = createClient({ url: target.url, timeout: 5000 });
  try {
    try {
      // WAL lets readers and a writer proceed together; the setting persists in the file. It needs
      // @libsql/client ≥ 0.15 under the Prisma adapter (package.json overrides, ADR 002).
      await client.execute('PRAGMA journal_mode = WAL');
    } catch (error) {
      throw new DatabaseUnavailableError(`cannot open the SQLite database ${target.file}: ${(error as Error).message}`);
    }
    const tx = await beginWriteWithRetry(client);
    try {
      await tx.execute(SQLITE_TABLE);
      const applied = (await tx.execute(SELECT_APPLIED)).rows as unknown as AppliedRow[];
      const pending = pendingMigrations(migrations, applied);
      for (const migration of pending) {
        const startedAt = sqliteTimestamp(new Date());
        await tx.executeMultiple(migration.sql);
        await tx.execute({
          sql: 'INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count) VALUES (?, ?, ?, ?, NULL, NULL, ?, 1)',
          args: [randomUUID(), migration.checksum, sqliteTimestamp(new Date()), migration.name, startedAt],
        });
      }
      await tx.commit();
      return pending.map((m) => m.name);
    } finally {
      tx.close();
    }
  } finally {
    client.close();
  }
}

async function applyPostgres(target: Extract<DatabaseTarget, { provider: 'postgresql' }>, migrations: Migration[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: target.url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    const reason = (error as Error).message || (error as { code?: string }).code || 'connection failed';
    throw new DatabaseUnavailableError(`cannot connect to PostgreSQL: ${reason}`);
  }
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
    try {
      await client.query(POSTGRES_TABLE);
      const applied = (await client.query<AppliedRow>(SELECT_APPLIED)).rows;
      const pending = pendingMigrations(migrations, applied);
      for (const migration of pending) {
        const startedAt = new Date();
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query(
            'INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count) VALUES ($1, $2, now(), $3, NULL, NULL, $4, 1)',
            [randomUUID(), migration.checksum, migration.name, startedAt],
          );
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw new MigrationError(`migration ${migration.name} failed: ${(error as Error).message}`);
        }
      }
      return pending.map((m) => m.name);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}

/** Applies every pending committed migration; returns the names it applied. */
export async function applyMigrations(target: DatabaseTarget, root = process.cwd()): Promise<string[]> {
  const migrations = readMigrations(migrationsDirectory(target, root));
  return target.provider === 'postgresql' ? applyPostgres(target, migrations) : applySqlite(target, migrations);
}
