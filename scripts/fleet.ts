// `npm run fleet [-- <instances>]`: a fleet to try locally (ADR 016) — N instances (default 3) of
// the built site on the PostgreSQL database named by DATABASE_URL, behind nginx on FLEET_PORT
// (default 8080) and the instances on the ports after it, all on 127.0.0.1. Builds first if the sources changed. Ctrl-C stops everything
// (instances drain first).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startFleet } from './lib/fleet.ts';

const root = path.resolve(import.meta.dirname, '..');
const size = Number(process.argv[2] ?? 3);
const port = Number(process.env['FLEET_PORT'] ?? 8080);
const databaseUrl = process.env['DATABASE_URL'] ?? '';

function fail(message: string): never {
  console.error(`fleet: ${message}`);
  process.exit(1);
}
if (!Number.isInteger(size) || size < 1 || size > 16) fail(`the number of instances must be 1 to 16 (got "${process.argv[2]}")`);
if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`FLEET_PORT must be a port number (got "${process.env['FLEET_PORT']}")`);
if (!/^postgres(ql)?:\/\//.test(databaseUrl))
  fail('set DATABASE_URL to a PostgreSQL database, e.g. DATABASE_URL=postgresql://postgres@127.0.0.1:5432/headroom npm run fleet');

const build = spawnSync(process.execPath, ['scripts/build.ts', '--if-stale'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(1);

let fleet: Awaited<ReturnType<typeof startFleet>>;
try {
  fleet = await startFleet({ size, databaseUrl, port, instancePorts: Array.from({ length: size }, (_, i) => port + 1 + i) });
} catch (error) {
  fail((error as Error).message);
}
console.log(`fleet: ${size} instance(s) on ports ${fleet.ports.join(', ')} (metrics: http://127.0.0.1:<port>/metrics)`);
console.log(`fleet: open ${fleet.url}/ (nginx, round robin)`);
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log('fleet: stopping');
    void fleet.stop().then(() => process.exit(0));
  });
}
