// npm run bench:auth — what authentication costs per request.
//  1. Session validation (validateSessionToken: Prisma lookup + SHA-256 + constant-time compare),
//     median and p99 over many calls, on SQLite and PostgreSQL. Baseline in the same run: the same
//     primary-key lookup through the raw driver (@libsql/client / pg), without Prisma.
//  2. argon2id hashes per second with OWASP's parameters (19 MiB, t=2, p=1), one at a time and two
//     at once (this machine has two cores).
import { performance } from 'node:perf_hooks';
import { createClient } from '@libsql/client';
import pg from 'pg';
import { signUp } from '../src/features/auth/accounts.server.ts';
import { hashPassword } from '../src/features/auth/password.server.ts';
import { createSession, validateSessionToken, validateSessionTokenUncached } from '../src/features/auth/session.server.ts';
import { resolveDatabase } from '../src/lib/server/database-url.ts';
import { closeDb } from '../src/lib/server/db.server.ts';
import { applyMigrations } from '../src/lib/server/migrate.server.ts';
import { freshPostgres, freshSqlite, type TestDatabase } from '../tests/support/databases.ts';

const ITERATIONS = Number(process.env['BENCH_ITERATIONS'] ?? 3000);
const WARMUP = 200;

function stats(samples: number[]): { median: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { median: at(0.5), p99: at(0.99) };
}

async function time(fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < WARMUP; i += 1) await fn();
  const samples: number[] = [];
  for (let i = 0; i < ITERATIONS; i += 1) {
    const t = performance.now();
    await fn();
    samples.push((performance.now() - t) * 1000);
  }
  return samples;
}

const us = (n: number) => `${n.toFixed(0)} µs`;

async function benchProvider(name: string, database: TestDatabase): Promise<void> {
  await closeDb();
  process.env['DATABASE_URL'] = database.url;
  const target = resolveDatabase(process.env);
  await applyMigrations(target);
  const created = await signUp({ name: 'Bench', email: `bench-${Date.now()}@example.com`, password: 'benchmark passphrase' });
  if (!created.ok) throw new Error('sign-up failed');
  const { token, session } = await createSession(created.value.userId);

  const prisma = stats(await time(() => validateSessionTokenUncached(token)));
  const cached = stats(await time(() => validateSessionToken(token)));
  let raw: { median: number; p99: number };
  const sql =
    'SELECT s.id, s."secretHash", s."createdAt", s."lastUsedAt", u.id, u.email, u.name, u.role FROM "Session" s JOIN "User" u ON u.id = s."userId" WHERE s.id = ';
  if (target.provider === 'sqlite') {
    const client = createClient({ url: target.url });
    raw = stats(await time(() => client.execute({ sql: `${sql}?`, args: [session.id] })));
    client.close();
  } else {
    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    raw = stats(await time(() => client.query(`${sql}$1`, [session.id])));
    await client.end();
  }
  console.log(
    `${name.padEnd(11)} session validation (database read): median ${us(prisma.median)}, p99 ${us(prisma.p99)} | raw driver lookup (baseline): median ${us(raw.median)}, p99 ${us(raw.p99)} | ratio ${(prisma.median / raw.median).toFixed(1)}× (median)`,
  );
  console.log(
    `${''.padEnd(11)} session validation (cached, within 5 s): median ${cached.median.toFixed(1)} µs, p99 ${cached.p99.toFixed(1)} µs`,
  );
  await closeDb();
  await database.drop();
}

console.log(`session validation, ${ITERATIONS} sequential calls after ${WARMUP} warm-up`);
await benchProvider('SQLite', freshSqlite());
await benchProvider('PostgreSQL', await freshPostgres());

const HASHES = 20;
let t = performance.now();
for (let i = 0; i < HASHES; i += 1) await hashPassword(`password number ${i}`);
const serial = HASHES / ((performance.now() - t) / 1000);
t = performance.now();
await Promise.all(Array.from({ length: HASHES }, (_, i) => hashPassword(`password number ${i}`)));
const parallel = HASHES / ((performance.now() - t) / 1000);
console.log(
  `argon2id (m=19 MiB, t=2, p=1): ${serial.toFixed(1)} hashes/s one at a time (${(1000 / serial).toFixed(0)} ms each), ${parallel.toFixed(1)} hashes/s with ${HASHES} concurrent (${(parallel / serial).toFixed(2)}× the serial rate)`,
);
