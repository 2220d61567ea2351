// The one Prisma client. Its provider follows DATABASE_URL: SQLite through libSQL by default,
// PostgreSQL through node-postgres. Both generated clients have the same models (a test checks
// the schemas), so the rest of the code sees one type.
import { PrismaLibSQL } from '@prisma/adapter-libsql';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as PostgresClient } from '../../generated/postgresql/client.ts';
import { PrismaClient as SqliteClient } from '../../generated/sqlite/client.ts';
import { type DatabaseTarget, resolveDatabase } from './database-url.ts';

export type Db = SqliteClient;

function createClient(target: DatabaseTarget): Db {
  if (target.provider === 'postgresql') {
    const client = new PostgresClient({ adapter: new PrismaPg({ connectionString: target.url, max: 10 }) });
    // Same models and query API; only the generated provider tag differs.
    return client as unknown as Db;
  }
  return new SqliteClient({ adapter: new PrismaLibSQL({ url: target.url }) });
}

const globalForDb = globalThis as unknown as { headroomDb?: { client: Db; target: DatabaseTarget } };

function instance(): { client: Db; target: DatabaseTarget } {
  if (!globalForDb.headroomDb) {
    const target = resolveDatabase(process.env);
    globalForDb.headroomDb = { client: createClient(target), target };
  }
  return globalForDb.headroomDb;
}

export function db(): Db {
  return instance().client;
}

export function databaseTarget(): DatabaseTarget {
  return instance().target;
}
