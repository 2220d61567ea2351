// Starts the built site: resolves the database from DATABASE_URL, applies pending migrations
// (creating the SQLite file on first start), then hands over to Astro's standalone Node server.
// Any failure before listening is one clear line and exit code 1, never a stack trace.
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DatabaseUrlError, resolveDatabase } from '../src/lib/server/database-url.ts';
import { observeHttpRequest } from '../src/lib/server/metrics.server.ts';
import { parseMetricsToken } from '../src/lib/server/metrics-access.ts';
import { applyMigrations, DatabaseUnavailableError, MigrationError } from '../src/lib/server/migrate.server.ts';
import { sanitizeRequestTarget } from '../src/lib/server/request-target.ts';

const root = path.resolve(import.meta.dirname, '..');
// Exam content, the lab verification worker and the credential keys are found from HEADROOM_ROOT,
// like the database from `root`: the site works whatever folder it was started from.
process.env['HEADROOM_ROOT'] ??= root;
const entry = path.join(root, 'dist/server/entry.mjs');

function fail(message: string): never {
  console.error(`headroom: ${message}`);
  process.exit(1);
}

const metricsToken = parseMetricsToken(process.env['METRICS_TOKEN']);
if (!metricsToken.ok) fail(metricsToken.error);

if (!existsSync(entry)) fail('the site is not built yet: run `npm run build` first (or `npm start`, which builds)');

let target: ReturnType<typeof resolveDatabase>;
try {
  target = resolveDatabase(process.env, root);
} catch (error) {
  if (error instanceof DatabaseUrlError) fail(error.message);
  throw error;
}

try {
  const applied = await applyMigrations(target, root);
  const where = target.provider === 'sqlite' ? path.relative(root, target.file) : 'PostgreSQL';
  console.log(`headroom: database ${where} ready${applied.length > 0 ? ` (applied ${applied.join(', ')})` : ''}`);
} catch (error) {
  if (error instanceof DatabaseUnavailableError) fail(`${error.message} — check DATABASE_URL`);
  if (error instanceof MigrationError) fail(`database migration failed: ${error.message}`);
  fail(`cannot prepare the database named by DATABASE_URL: ${(error as Error).message}`);
}

const host = process.env['HOST'] ?? 'localhost';
const port = Number(process.env['PORT'] ?? 4321);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`PORT must be a whole number from 0 to 65535 (got "${process.env['PORT']}")`);
process.env['ASTRO_NODE_AUTOSTART'] = 'disabled';
process.env['ASTRO_TELEMETRY_DISABLED'] = '1';
const { handler } = (await import(pathToFileURL(entry).href)) as { handler: (req: IncomingMessage, res: ServerResponse) => void };

const server = createServer((req, res) => {
  req.url = sanitizeRequestTarget(req.url ?? '/');
  observeHttpRequest(req, res, () => handler(req, res));
});
server.on('error', (error: NodeJS.ErrnoException) => {
  fail(error.code === 'EADDRINUSE' ? `port ${port} is already in use: set PORT to another port` : error.message);
});
// Attempts whose time ran out are finalised when next touched, and by this sweep every minute.
const { finaliseExpiredAttempts } = await import('../src/features/exam/attempts.server.ts');
const sweep = setInterval(() => {
  finaliseExpiredAttempts().catch((error: unknown) => console.error(`headroom: exam sweep failed: ${(error as Error).message}`));
}, 60_000);
sweep.unref();

server.listen(port, host, () => {
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  console.log(`headroom: open http://${host}:${actualPort}/`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  });
}
