// The one Prisma client. Its provider follows DATABASE_URL: SQLite through libSQL by default,
// PostgreSQL through node-postgres. Both generated clients have the same models (a test checks
// the schemas), so the rest of the code sees one type.
import type { TransactionMode } from '@libsql/client';
import { PrismaLibSQL } from '@prisma/adapter-libsql';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient as PostgresClient } from '../../generated/postgresql/client.ts';
import { PrismaClient as SqliteClient } from '../../generated/sqlite/client.ts';
import { type DatabaseTarget, resolveDatabase } from './database-url.ts';
import { onShutdown } from './lifecycle.server.ts';
import { forgetPool, observePool } from './metrics.server.ts';

export type Db = SqliteClient;

export const SQLITE_BUSY_TIMEOUT_MS = 5000;

function createClient(target: DatabaseTarget): Db {
  if (target.provider === 'postgresql') {
    // Our own pool, handed to the adapter, so /metrics can show its use.
    // A bounded connect: during a network partition requests fail (503) instead of hanging.
    const pool = new pg.Pool({ connectionString: target.url, max: 10, connectionTimeoutMillis: 5000 });
    observePool('prisma', pool);
    const client = new PostgresClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
    disposers.set(client, () => forgetPool('prisma', pool));
    // Same models and query API; only the generated provider tag differs.
    return client as unknown as Db;
  }
  // Wait up to 5 s for another process's write lock (the admin CLI, a second instance) instead of
  // failing at once with SQLITE_BUSY.
  // `timeout` (libSQL's busy timeout) is passed through to createClient at run time; the adapter's
  // Config type predates it.
  const config = { url: target.url, timeout: SQLITE_BUSY_TIMEOUT_MS } as ConstructorParameters<typeof PrismaLibSQL>[0];
  return new SqliteClient({ adapter: new ImmediateTransactionsLibSQL(config) });
}

/**
 * Prisma's libSQL adapter opens interactive transactions as DEFERRED. When such a transaction
 * reads and then writes while another process holds the write lock, SQLite refuses the upgrade at
 * once (no busy wait: it would deadlock), Prisma reports "Operation has timed out", and the
 * connection was left inside a read transaction on an old snapshot — the server then no longer saw
 * other processes' writes (new sessions got 401) until restarted. Starting every write-capable
 * transaction with BEGIN IMMEDIATE takes the write lock up front, where the busy timeout applies.
 */
class ImmediateTransactionsLibSQL extends PrismaLibSQL {
  override createClient(config: Parameters<PrismaLibSQL['createClient']>[0]): ReturnType<PrismaLibSQL['createClient']> {
    const client = super.createClient(config);
    const begin = client.transaction.bind(client);
    client.transaction = (mode?: TransactionMode) => begin(mode === 'read' ? 'read' : 'write');
    return client;
  }
}

const disposers = new WeakMap<object, () => void>();

const globalForDb = globalThis as unknown as { headroomDb?: { client: Db; target: DatabaseTarget } | undefined };

function instance(): { client: Db; target: DatabaseTarget } {
  if (!globalForDb.headroomDb) {
    const target = resolveDatabase(process.env);
    globalForDb.headroomDb = { client: createClient(target), target };
    // Last: after the autosave drain and anything else that still writes.
    onShutdown('database', closeDb, 100);
  }
  return globalForDb.headroomDb;
}

export function db(): Db {
  return instance().client;
}

export function databaseTarget(): DatabaseTarget {
  return instance().target;
}

/** Disconnects and forgets the client, so the next db() follows DATABASE_URL again (tests, shutdown). */
export async function closeDb(): Promise<void> {
  const current = globalForDb.headroomDb;
  globalForDb.headroomDb = undefined;
  if (current) disposers.get(current.client)?.();
  await current?.client.$disconnect();
}
