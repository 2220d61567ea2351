// Starts the built site: resolves the database from DATABASE_URL, applies pending migrations
// (creating the SQLite file on first start), then hands over to Astro's standalone Node server.
// Any failure before listening is one clear line and exit code 1, never a stack trace.
import { existsSync, realpathSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { clientAddressBehindProxy, parseTrustedProxies } from '../src/lib/server/client-address.ts';
import { DatabaseUrlError, resolveDatabase } from '../src/lib/server/database-url.ts';
import { beginDraining, runShutdownHooks } from '../src/lib/server/lifecycle.server.ts';
import { observeHttpRequest } from '../src/lib/server/metrics.server.ts';
import { parseMetricsToken } from '../src/lib/server/metrics-access.ts';
import { applyMigrations, DatabaseUnavailableError, MigrationError } from '../src/lib/server/migrate.server.ts';
import { sanitizeRequestTarget } from '../src/lib/server/request-target.ts';
import { markRunning } from './lib/builds.ts';

const root = path.resolve(import.meta.dirname, '..');
// Exam content, the lab verification worker and the credential keys are found from HEADROOM_ROOT,
// like the database from `root`: the site works whatever folder it was started from.
process.env['HEADROOM_ROOT'] ??= root;

function fail(message: string): never {
  console.error(`headroom: ${message}`);
  process.exit(1);
}

const metricsToken = parseMetricsToken(process.env['METRICS_TOKEN']);
if (!metricsToken.ok) fail(metricsToken.error);

if (!existsSync(path.join(root, 'dist/server/entry.mjs')))
  fail('the site is not built yet: run `npm run build` first (or `npm start`, which builds)');
// The build this instance serves, resolved once: a later build switches `dist` to another folder
// and leaves this one (and the lazily loaded route chunks in it) alone while we run (ADR 016).
const buildDir = realpathSync(path.join(root, 'dist'));
const entry = path.join(buildDir, 'server/entry.mjs');
const unmarkRunning = markRunning(buildDir);
process.once('exit', unmarkRunning);

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

const graceMs = Number(process.env['SHUTDOWN_GRACE_MS'] ?? 30_000);
if (!Number.isInteger(graceMs) || graceMs < 0 || graceMs > 600_000)
  fail(`SHUTDOWN_GRACE_MS must be a whole number of milliseconds from 0 to 600000 (got "${process.env['SHUTDOWN_GRACE_MS']}")`);

const host = process.env['HOST'] ?? 'localhost';
const port = Number(process.env['PORT'] ?? 4321);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`PORT must be a whole number from 0 to 65535 (got "${process.env['PORT']}")`);
process.env['ASTRO_NODE_AUTOSTART'] = 'disabled';
process.env['ASTRO_TELEMETRY_DISABLED'] = '1';
const { handler } = (await import(pathToFileURL(entry).href)) as { handler: (req: IncomingMessage, res: ServerResponse) => void };

const trustedProxies = parseTrustedProxies(process.env['TRUST_PROXY']);
const proxyPeers = new WeakMap<Socket, string | undefined>();
let stopping = false;
let inFlight = 0;
const server = createServer((req, res) => {
  inFlight += 1;
  res.once('close', () => (inFlight -= 1));
  // Draining: answer, then close the connection, so keep-alive clients reconnect elsewhere.
  if (stopping) res.setHeader('connection', 'close');
  req.url = sanitizeRequestTarget(req.url ?? '/');
  if (trustedProxies.size > 0) {
    // Astro reads the client address from the socket; behind a trusted proxy it is the one the
    // proxy forwarded. Set per request: one kept-alive proxy connection carries many clients.
    if (!proxyPeers.has(req.socket)) proxyPeers.set(req.socket, req.socket.remoteAddress);
    const client = clientAddressBehindProxy(proxyPeers.get(req.socket), req.headers['x-forwarded-for'], trustedProxies);
    Object.defineProperty(req.socket, 'remoteAddress', { configurable: true, value: client });
  }
  observeHttpRequest(req, res, () => handler(req, res));
});
server.on('error', (error: NodeJS.ErrnoException) => {
  fail(error.code === 'EADDRINUSE' ? `port ${port} is already in use: set PORT to another port` : error.message);
});
// Attempts whose time ran out are finalised when next touched, and by a sweep once a minute for the
// whole fleet: every instance tries, one per minute gets through (sweep.server.ts).
const { runDeadlineSweep, SWEEP_INTERVAL_MS } = await import('../src/features/exam/sweep.server.ts');
const sweep = setInterval(() => {
  runDeadlineSweep().catch((error: unknown) => console.error(`headroom: exam sweep failed: ${(error as Error).message}`));
}, SWEEP_INTERVAL_MS);
sweep.unref();

server.listen(port, host, () => {
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  console.log(`headroom: open http://${host}:${actualPort}/`);
});
// Graceful shutdown (ADR 016): stop accepting, let in-flight requests finish (at most
// SHUTDOWN_GRACE_MS), commit queued autosaves, close the database, exit 0.
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  beginDraining();
  clearInterval(sweep);
  // A last resort, should a hook hang: never outlive the grace by more than 10 s.
  setTimeout(() => {
    console.error('headroom: shutdown did not finish in time; exiting');
    process.exit(1);
  }, graceMs + 10_000).unref();
  console.log(`headroom: ${signal}: stopping — ${inFlight} request(s) in flight, waiting at most ${graceMs / 1000} s`);
  const closed = new Promise<'closed'>((resolve) => server.close(() => resolve('closed')));
  // Keep-alive connections whose last response just ended are idle now: close them as they appear.
  const reaper = setInterval(() => server.closeIdleConnections(), 100);
  server.closeIdleConnections();
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    closed,
    new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs))),
  ]);
  clearTimeout(timer);
  clearInterval(reaper);
  if (outcome === 'timeout') {
    console.error(`headroom: ${inFlight} request(s) still running after ${graceMs / 1000} s; closing them`);
    server.closeAllConnections();
  }
  const failures = await runShutdownHooks();
  for (const failure of failures) console.error(`headroom: shutdown: ${failure.name} failed: ${failure.error}`);
  console.log('headroom: stopped');
  process.exit(failures.length > 0 ? 1 : 0);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown(signal));
