// Administration from the command line:
//   npm run admin -- grant <email> <learner|instructor>
//   npm run admin -- backup <file>     (SQLite: VACUUM INTO; PostgreSQL: pg_dump, custom format)
//   npm run admin -- restore <file>    (into an empty database only; then migrates it)
// Uses the same DATABASE_URL as the server (and applies pending migrations first).
import path from 'node:path';
import { z } from 'zod';
import { BackupError, backupDatabase, restoreDatabase } from '../src/lib/server/backup.server.ts';
import { DatabaseUrlError, resolveDatabase } from '../src/lib/server/database-url.ts';
import { db } from '../src/lib/server/db.server.ts';
import { applyMigrations, DatabaseUnavailableError } from '../src/lib/server/migrate.server.ts';

const USAGE = 'usage: npm run admin -- grant <email> <learner|instructor> | backup <file> | restore <file>';
const Grant = z.tuple([z.literal('grant'), z.email(), z.enum(['learner', 'instructor'])]);
const Backup = z.tuple([z.enum(['backup', 'restore']), z.string().min(1)]);

function fail(message: string): never {
  console.error(`admin: ${message}`);
  process.exit(1);
}

const backup = Backup.safeParse(process.argv.slice(2));
if (backup.success) {
  const [command, file] = backup.data;
  try {
    const target = resolveDatabase(process.env);
    if (command === 'backup') {
      await applyMigrations(target);
      await backupDatabase(target, path.resolve(file));
      console.log(`admin: backed up the database to ${file}`);
    } else {
      await restoreDatabase(target, path.resolve(file));
      // A backup from an older release gets the migrations it predates.
      const applied = await applyMigrations(target);
      console.log(`admin: restored ${file}${applied.length > 0 ? ` (then applied ${applied.join(', ')})` : ''}`);
    }
  } catch (error) {
    if (error instanceof BackupError) fail(error.message);
    if (error instanceof DatabaseUrlError || error instanceof DatabaseUnavailableError) fail(`${error.message} — check DATABASE_URL`);
    throw error;
  }
  process.exit(0);
}

const args = Grant.safeParse(process.argv.slice(2));
if (!args.success) fail(USAGE);
const [, rawEmail, role] = args.data;
const email = rawEmail.trim().toLowerCase();

try {
  await applyMigrations(resolveDatabase(process.env));
} catch (error) {
  if (error instanceof DatabaseUrlError || error instanceof DatabaseUnavailableError) fail(`${error.message} — check DATABASE_URL`);
  throw error;
}
const { count } = await db().user.updateMany({ where: { email }, data: { role } });
await db().$disconnect();
if (count === 0) fail(`no account uses ${email}`);
console.log(`admin: ${email} is now ${role === 'instructor' ? 'an instructor' : 'a learner'}`);
