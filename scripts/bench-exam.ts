// npm run bench:exam — autosave under load: 500 simulated candidates saving answers concurrently
// against the built site (started as `npm start` starts it), on SQLite and on PostgreSQL. Baseline
// in the same run: a bare node:http server doing the same write through the same driver (Prisma +
// adapter), with no sign-in, validation or framework. Reports saves/s, p50/p99 and the ratio.
// Needs a build (npm run build). BENCH_SECONDS (default 10) sets each measurement's length.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { Agent, request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createSession } from '../src/features/auth/session.server.ts';
import { startAttempt } from '../src/features/exam/attempts.server.ts';
import { loadBank } from '../src/features/exam/bank.server.ts';
import { responseKind } from '../src/features/exam/items.ts';
import { resolveDatabase } from '../src/lib/server/database-url.ts';
import { closeDb, db } from '../src/lib/server/db.server.ts';
import { applyMigrations } from '../src/lib/server/migrate.server.ts';
import { freshPostgres } from '../tests/support/databases.ts';
import { makeExamEligible } from '../tests/support/exam-eligibility.ts';
import { startServer } from '../tests/support/server.ts';

const CANDIDATES = Number(process.env['BENCH_CANDIDATES'] ?? 500);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const root = path.resolve(import.meta.dirname, '..');
const bank = loadBank();

interface Candidate {
  cookie: string;
  attemptId: string;
  itemIds: string[];
  revision: number;
}

async function seed(databaseUrl: string): Promise<Candidate[]> {
  await closeDb();
  process.env['DATABASE_URL'] = databaseUrl;
  await applyMigrations(resolveDatabase(process.env, root), root);
  const candidates: Candidate[] = [];
  for (let i = 0; i < CANDIDATES; i += 1) {
    const userId = crypto.randomUUID();
    await db().user.create({ data: { id: userId, email: `bench-${i}@example.com`, name: `Candidate ${i}`, passwordHash: 'x' } });
    await makeExamEligible(userId);
    const started = await startAttempt(userId);
    if (!started.ok) throw new Error(started.error);
    const items = await db().attemptItem.findMany({ where: { attemptId: started.attemptId }, select: { itemId: true } });
    const { token } = await createSession(userId);
    // Single-choice items only, answered with option 1, keep the generator simple.
    const singles = items.filter((i) => {
      const item = bank.byId.get(i.itemId);
      return item !== undefined && responseKind(item) === 'single';
    });
    candidates.push({
      cookie: `headroom_session=${token}`,
      attemptId: started.attemptId,
      itemIds: singles.map((i) => i.itemId),
      revision: 0,
    });
  }
  await closeDb();
  return candidates;
}

function put(agent: Agent, base: URL, pathName: string, body: string, cookie: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        path: pathName,
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), cookie, origin: base.origin },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

type Mode = { kind: 'max' } | { kind: 'rate'; perSecond: number };

/**
 * max: every candidate saves again as soon as the last save returns (closed model) — throughput.
 * rate: the candidates together save at a fixed rate (open model), each on its own schedule, and
 * latency is measured from when a save was due, so a stall cannot hide (coordinated omission).
 */
async function load(
  baseUrl: string,
  candidates: Candidate[],
  route: (c: Candidate, item: string) => string,
  mode: Mode,
  seconds = SECONDS,
): Promise<{ perSecond: number; p50: number; p99: number; errors: number }> {
  const base = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: CANDIDATES });
  const latencies: number[] = [];
  let errors = 0;
  const statuses = new Map<number, number>();
  const start = performance.now();
  const until = start + seconds * 1000;
  const send = async (c: Candidate, n: number, due: number) => {
    c.revision += 1;
    const item = c.itemIds[n % c.itemIds.length] ?? '';
    const body = JSON.stringify({ answer: { choice: '1' }, flagged: false, revision: c.revision });
    const status = await put(agent, base, route(c, item), body, c.cookie).catch(() => 0);
    latencies.push(performance.now() - due);
    if (status !== 200) {
      errors += 1;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  };
  await Promise.all(
    candidates.map(async (c, index) => {
      if (mode.kind === 'max') {
        for (let n = index; performance.now() < until; n += 1) await send(c, n, performance.now());
        return;
      }
      const interval = (1000 * candidates.length) / mode.perSecond;
      const inflight: Promise<void>[] = [];
      for (let n = 0, due = start + (index / candidates.length) * interval; due < until; n += 1, due += interval) {
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        inflight.push(send(c, n + index, due));
      }
      await Promise.all(inflight);
    }),
  );
  agent.destroy();
  if (statuses.size > 0) console.log(`  non-200 answers by status: ${JSON.stringify(Object.fromEntries(statuses))}`);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { perSecond: latencies.length / seconds, p50: at(0.5), p99: at(0.99), errors };
}

function startBaseline(databaseUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [path.join(root, 'scripts/bench-exam-baseline.ts')], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      const match = /listening on (http:\/\/\S+)/.exec(chunk.toString());
      if (match?.[1]) resolve({ url: match[1], child });
    });
    child.once('exit', (code) => reject(new Error(`baseline exited with ${code}`)));
  });
}

const TARGET_RATE = Number(process.env['BENCH_RATE'] ?? 1500);

async function measure(name: string, databaseUrl: string): Promise<void> {
  const candidates = await seed(databaseUrl);
  const server = await startServer({ DATABASE_URL: databaseUrl });
  const route = (c: Candidate, item: string) => `/api/exam/attempts/${c.attemptId}/responses/${item}`;
  // Warm-up, not measured: JIT, caches, connections.
  await load(server.url, candidates, route, { kind: 'rate', perSecond: TARGET_RATE / 2 }, 2);
  const paced = await load(server.url, candidates, route, { kind: 'rate', perSecond: TARGET_RATE });
  const max = await load(server.url, candidates, route, { kind: 'max' });
  await server.stop();
  const baseline = await startBaseline(databaseUrl);
  const bareRoute = (c: Candidate, item: string) => `/save/${c.attemptId}/${item}`;
  await load(baseline.url, candidates, bareRoute, { kind: 'rate', perSecond: TARGET_RATE / 2 }, 2);
  const barePaced = await load(baseline.url, candidates, bareRoute, { kind: 'rate', perSecond: TARGET_RATE });
  const bare = await load(baseline.url, candidates, bareRoute, { kind: 'max' });
  baseline.child.kill('SIGTERM');
  const fmt = (r: Awaited<ReturnType<typeof load>>) =>
    `${Math.round(r.perSecond)} saves/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms${r.errors ? `, ${r.errors} errors` : ''}`;
  console.log(`${name}:`);
  console.log(
    `  throughput (closed loop)   Headroom ${fmt(max)} | baseline ${fmt(bare)} | ratio ${(max.perSecond / bare.perSecond).toFixed(2)}×`,
  );
  console.log(`  at ${TARGET_RATE} saves/s (open)    Headroom ${fmt(paced)} | baseline ${fmt(barePaced)}`);
}

console.log(`${CANDIDATES} concurrent candidates, ${SECONDS} s each, on ${os.availableParallelism()} cores`);
await measure('SQLite', `file:${path.join(mkdtempSync(path.join(os.tmpdir(), 'headroom-bench-exam-')), 'exam.db')}`);
const pg = await freshPostgres();
try {
  await measure('PostgreSQL', pg.url);
} finally {
  await closeDb();
  await pg.drop();
}
