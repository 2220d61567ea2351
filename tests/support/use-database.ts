// Points the app's one Prisma client at a fresh, migrated database for the current test file.
import { afterAll, beforeAll } from 'vitest';
import { resetResponseStore } from '../../src/features/exam/responses.server.ts';
import { resolveDatabase } from '../../src/lib/server/database-url.ts';
import { closeDb } from '../../src/lib/server/db.server.ts';
import { applyMigrations } from '../../src/lib/server/migrate.server.ts';
import { freshPostgres, freshSqlite, type TestDatabase } from './databases.ts';

export const PROVIDERS = ['sqlite', 'postgresql'] as const;

export function useFreshDatabase(provider: (typeof PROVIDERS)[number]): void {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = provider === 'sqlite' ? freshSqlite() : await freshPostgres();
    await resetResponseStore();
    await closeDb();
    process.env['DATABASE_URL'] = database.url;
    await applyMigrations(resolveDatabase(process.env));
  });
  afterAll(async () => {
    await resetResponseStore();
    await closeDb();
    await database?.drop();
  });
}
