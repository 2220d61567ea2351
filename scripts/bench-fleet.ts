// `npm run bench:fleet`: a whole exam-morning journey — sign in, read a lesson, start the exam,
// autosave every few seconds, submit — from many simulated candidates at once, against (a) one
// instance on SQLite, (b) one on PostgreSQL, (c) three behind nginx on PostgreSQL; and, for the
// autosave step, a bare node:http server doing the same write through the same driver (the
// baseline, scripts/bench-exam-baseline.ts) at the same rate, in the same run. Candidates arrive
// over an arrival window (the cohort signing in), then keep autosaving for a steady window. Reports
// per setup and load level: throughput, p50/p99 per step, errors, autosave p99 during the arrival
// and in the steady state, and the largest level whose steady-state autosave p99 stays under
// 100 ms with no errors. Levels are tried in order and a setup stops at the first level that fails.
// Needs a build, PostgreSQL and nginx.
//   BENCH_LEVELS=50,100,200,400,800  BENCH_ARRIVAL_SECONDS=20  BENCH_STEADY_SECONDS=20
//   BENCH_SAVE_EVERY_MS=3000  npm run bench:fleet
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { signUp } from '../src/features/auth/accounts.server.ts';
import { db } from '../src/lib/server/db.server.ts';
import { freshPostgres, freshSqlite, type TestDatabase } from '../tests/support/databases.ts';
import { withDatabase } from '../tests/support/exam-candidates.ts';
import { makeExamEligible } from '../tests/support/exam-eligibility.ts';
import { startServer } from '../tests/support/server.ts';
import { startFleet } from './lib/fleet.ts';

const root = path.resolve(import.meta.dirname, '..');
const LEVELS = (process.env['BENCH_LEVELS'] ?? '50,100,200,400,800').split(',').map(Number);
const ARRIVAL_MS = Number(process.env['BENCH_ARRIVAL_SECONDS'] ?? 20) * 1000;
const STEADY_MS = Number(process.env['BENCH_STEADY_SECONDS'] ?? 20) * 1000;
const JOURNEY_MS = ARRIVAL_MS + STEADY_MS;
const SAVE_EVERY_MS = Number(process.env['BENCH_SAVE_EVERY_MS'] ?? 3000);
const P99_TARGET_MS = 100;
const STEPS = ['sign in', 'lesson', 'start exam', 'load exam', 'autosave', 'submit'] as const;
type Step = (typeof STEPS)[number];

interface Account {
  email: string;
  password: string;
}

async function seedAccounts(databaseUrl: string, count: number, prefix: string): Promise<Account[]> {
  return withDatabase(databaseUrl, async () => {
    const accounts: Account[] = [];
    for (let i = 0; i < count; i += 1) {
      const account = { email: `${prefix}-${i}@bench.example`, password: `bench passphrase ${i} ${prefix}` };
      const created = await signUp({ name: `Candidate ${i}`, ...account });
      if (!created.ok) throw new Error(JSON.stringify(created.errors));
      await makeExamEligible(created.value.userId);
      accounts.push(account);
    }
    await db().$disconnect();
    return accounts;
  });
}

class Recorder {
  latencies = new Map<Step, number[]>(STEPS.map((s) => [s, []]));
  errors = new Map<string, number>();
  requests = 0;
  /** Autosave latencies of saves started after every candidate has arrived. */
  steadyAutosave: number[] = [];
  async time<T>(step: Step, work: () => Promise<{ ok: boolean; status: number; value: T }>): Promise<T | null> {
    const started = performance.now();
    this.requests += 1;
    try {
      const { ok, status, value } = await work();
      this.latencies.get(step)?.push(performance.now() - started);
      if (!ok) this.errors.set(`${step} ${status}`, (this.errors.get(`${step} ${status}`) ?? 0) + 1);
      return ok ? value : null;
    } catch (error) {
      this.errors.set(`${step} ${(error as Error).message}`, (this.errors.get(`${step} ${(error as Error).message}`) ?? 0) + 1);
      return null;
    }
  }
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function journey(base: string, account: Account, recorder: Recorder, steadyFrom: number, until: number): Promise<void> {
  const cookie = await recorder.time('sign in', async () => {
    const r = await fetch(`${base}/signin/`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base },
      body: new URLSearchParams(account as unknown as Record<string, string>).toString(),
    });
    await r.arrayBuffer();
    const c =
      r.headers
        .getSetCookie()
        .find((h) => h.startsWith('headroom_session='))
        ?.split(';')[0] ?? '';
    return { ok: r.status === 303 && c !== '', status: r.status, value: c };
  });
  if (!cookie) return;
  const headers = { cookie, origin: base };
  await recorder.time('lesson', async () => {
    const r = await fetch(`${base}/lessons/load-testing/01-slis-slos-and-slas/`, { headers });
    await r.arrayBuffer();
    return { ok: r.ok, status: r.status, value: null };
  });
  const attemptId = await recorder.time('start exam', async () => {
    const r = await fetch(`${base}/api/exam/attempts`, { method: 'POST', headers });
    const body = (await r.json()) as { attemptId?: string };
    return { ok: r.status === 201, status: r.status, value: body.attemptId ?? '' };
  });
  if (!attemptId) return;
  const items = await recorder.time('load exam', async () => {
    const r = await fetch(`${base}/api/exam/attempts/${attemptId}`, { headers });
    const body = (await r.json()) as { items?: { id: string; kind: string }[] };
    return { ok: r.ok, status: r.status, value: (body.items ?? []).filter((i) => i.kind === 'single').map((i) => i.id) };
  });
  if (!items || items.length === 0) return;
  // Autosave every few seconds, each candidate at its own phase, until the journey ends.
  await new Promise((resolve) => setTimeout(resolve, Math.random() * SAVE_EVERY_MS));
  for (let revision = 1; Date.now() < until; revision += 1) {
    const item = items[revision % items.length] ?? '';
    const started = Date.now();
    const timed = performance.now();
    const saved = await recorder.time('autosave', async () => {
      const r = await fetch(`${base}/api/exam/attempts/${attemptId}/responses/${item}`, {
        method: 'PUT',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ answer: { choice: String((revision % 3) + 1) }, flagged: false, revision }),
      });
      await r.arrayBuffer();
      return { ok: r.ok, status: r.status, value: true };
    });
    if (saved && started >= steadyFrom) recorder.steadyAutosave.push(performance.now() - timed);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, SAVE_EVERY_MS - (Date.now() - started))));
  }
  await recorder.time('submit', async () => {
    const r = await fetch(`${base}/api/exam/attempts/${attemptId}/submit`, { method: 'POST', headers });
    await r.arrayBuffer();
    return { ok: r.ok, status: r.status, value: null };
  });
}

/** The bare node:http + driver baseline, autosaving at the rate `candidates` produce. */
async function baselineAutosave(databaseUrl: string, candidates: number): Promise<{ p50: number; p99: number }> {
  const attempts = await withDatabase(databaseUrl, async () => {
    const rows = await db().examAttempt.findMany({ select: { id: true, items: { select: { itemId: true }, take: 5 } }, take: candidates });
    await db().$disconnect();
    return rows;
  });
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'scripts/bench-exam-baseline.ts')], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      const match = /listening on (http:\/\/\S+)/.exec(chunk.toString());
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`baseline exited with ${code}`)));
  });
  const latencies: number[] = [];
  for (const [i, attempt] of attempts.slice(0, 20).entries()) {
    const r = await fetch(`${url}/x/${attempt.id}/${attempt.items[0]?.itemId ?? ''}`, {
      method: 'PUT',
      body: JSON.stringify({ answer: { choice: '1' }, revision: 500 + i }),
    });
    await r.arrayBuffer();
  }
  const until = Date.now() + Math.min(STEADY_MS, 15_000);
  await Promise.all(
    attempts.map(async (attempt, index) => {
      await new Promise((resolve) => setTimeout(resolve, (index / attempts.length) * SAVE_EVERY_MS));
      for (let revision = 1000; Date.now() < until; revision += 1) {
        const started = performance.now();
        const r = await fetch(`${url}/x/${attempt.id}/${attempt.items[revision % attempt.items.length]?.itemId ?? ''}`, {
          method: 'PUT',
          body: JSON.stringify({ answer: { choice: '1' }, revision }),
        });
        await r.arrayBuffer();
        latencies.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, SAVE_EVERY_MS - (performance.now() - started))));
      }
    }),
  );
  child.kill('SIGTERM');
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/** Loads every route chunk and JIT-warms the hot paths, on every instance behind `base`. */
async function warmUp(base: string, instances: number): Promise<void> {
  for (let i = 0; i < 12 * instances; i += 1) {
    for (const url of ['/healthz', '/lessons/load-testing/01-slis-slos-and-slas/', '/signin/', '/api/exam/attempts/none']) {
      const r = await fetch(`${base}${url}`, { redirect: 'manual' });
      await r.arrayBuffer();
    }
    const r = await fetch(`${base}/signin/`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base },
      body: `email=warm-up-${i}%40bench.example&password=not-a-password`,
    });
    await r.arrayBuffer();
  }
}

const fmt = (ms: number) => (Number.isFinite(ms) ? `${ms.toFixed(ms < 10 ? 1 : 0)} ms` : '—');

async function runSetup(name: string, makeDatabase: () => Promise<TestDatabase>, instances: number): Promise<void> {
  console.log(`\n${name}`);
  let held = 0;
  for (const level of LEVELS) {
    const database = await makeDatabase();
    const accounts = await seedAccounts(database.url, level, `${name.replace(/\W+/g, '-').toLowerCase()}-${level}`);
    const fleet = instances > 1 ? await startFleet({ size: instances, databaseUrl: database.url }) : null;
    const single = fleet ? null : await startServer({ DATABASE_URL: database.url });
    const base = fleet?.url ?? single?.url ?? '';
    await warmUp(base, instances);
    const recorder = new Recorder();
    const started = performance.now();
    // The steady state starts once the last candidate has had a save interval to get going.
    const steadyFrom = Date.now() + ARRIVAL_MS + SAVE_EVERY_MS;
    const until = Date.now() + JOURNEY_MS + SAVE_EVERY_MS;
    await Promise.all(
      accounts.map(async (account, i) => {
        // Candidates arrive spread over the arrival window, as a cohort logs in.
        await new Promise((resolve) => setTimeout(resolve, (i / accounts.length) * ARRIVAL_MS));
        await journey(base, account, recorder, steadyFrom, until);
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    await fleet?.stop();
    await single?.stop();
    const baseline = await baselineAutosave(database.url, level);
    await database.drop();
    const steadyP99 = percentile(recorder.steadyAutosave, 99);
    const errors = [...recorder.errors].map(([k, v]) => `${k}×${v}`).join(', ') || 'none';
    const holds = steadyP99 < P99_TARGET_MS && recorder.errors.size === 0;
    console.log(`  ${level} candidates: ${(recorder.requests / seconds).toFixed(0)} req/s over ${seconds.toFixed(0)} s, errors: ${errors}`);
    for (const step of STEPS) {
      const values = recorder.latencies.get(step) ?? [];
      console.log(
        `    ${step.padEnd(11)} n=${String(values.length).padStart(5)}  p50 ${fmt(percentile(values, 50)).padStart(8)}  p99 ${fmt(percentile(values, 99)).padStart(8)}`,
      );
    }
    console.log(
      `    autosave steady state (after all arrived) n=${recorder.steadyAutosave.length}  p50 ${fmt(percentile(recorder.steadyAutosave, 50))}  p99 ${fmt(steadyP99)}`,
    );
    console.log(
      `    autosave vs bare node:http + driver at the same rate: p50 ${fmt(baseline.p50)}, p99 ${fmt(baseline.p99)} → steady p99 ratio ${(steadyP99 / baseline.p99).toFixed(1)}×`,
    );
    if (!holds) break;
    held = level;
  }
  console.log(
    `  holds ${held > 0 ? `${held} concurrent candidates` : 'none of the levels'} with steady-state autosave p99 < ${P99_TARGET_MS} ms and no errors`,
  );
}

console.log(
  `bench:fleet — levels ${LEVELS.join(', ')} candidates arriving over ${ARRIVAL_MS / 1000} s, then ${STEADY_MS / 1000} s steady, an autosave every ${SAVE_EVERY_MS / 1000} s`,
);
await runSetup('(a) one instance, SQLite', async () => freshSqlite(), 1);
await runSetup('(b) one instance, PostgreSQL', freshPostgres, 1);
await runSetup('(c) three instances behind nginx, PostgreSQL', freshPostgres, 3);
