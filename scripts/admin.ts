// Administration from the command line:
//   npm run admin -- grant <email> <learner|instructor>
// Uses the same DATABASE_URL as the server (and applies pending migrations first).
import { z } from 'zod';
import { DatabaseUrlError, resolveDatabase } from '../src/lib/server/database-url.ts';
import { db } from '../src/lib/server/db.server.ts';
import { applyMigrations, DatabaseUnavailableError } from '../src/lib/server/migrate.server.ts';

const USAGE = 'usage: npm run admin -- grant <email> <learner|instructor>';
const Grant = z.tuple([z.literal('grant'), z.email(), z.enum(['learner', 'instructor'])]);

function fail(message: string): never {
  console.error(`admin: ${message}`);
  process.exit(1);
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
