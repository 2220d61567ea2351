// The process's Prometheus metrics (ADR 016), served at /metrics. One registry per process, kept on
// globalThis: scripts/serve.ts loads this file from source while the built site carries its own
// bundled copy, and both must count into the same series.
//
// Every label value is drawn from a closed set (route patterns of the built site, a fixed list of
// methods, status classes, outcomes), so no request can create a new series.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Served files the middleware never saw (prerendered pages, assets). */
export const STATIC_ROUTE = '(static)';
/** Requests that matched no route and no file. */
export const UNMATCHED_ROUTE = '(unmatched)';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export function methodLabel(method: string | undefined): string {
  const upper = (method ?? '').toUpperCase();
  return METHODS.has(upper) ? upper : 'other';
}

export function statusClass(status: number): string {
  return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'other';
}

/** Route patterns look like `/api/exam/attempts/[attempt]`; anything else is not a pattern. */
const ROUTE_PATTERN = /^\/[\w\-./[\]]{0,200}$/;

export function routeLabel(pattern: string | undefined, status: number): string {
  if (pattern && ROUTE_PATTERN.test(pattern) && pattern !== '/404') return pattern;
  return status === 404 ? UNMATCHED_ROUTE : STATIC_ROUTE;
}

const RATE_LIMITS = new Set(['signin:account', 'signin:ip', 'reset:account', 'reset:ip', 'lab-submit']);

/** The rule a rate-limit key belongs to (`signin:ip:10.0.0.1` → `signin:ip`), never the key itself. */
export function rateLimitLabel(key: string): string {
  for (const name of RATE_LIMITS) if (key.startsWith(`${name}:`)) return name;
  return 'other';
}

interface PoolLike {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options: { max?: number };
}

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const pools = new Map<string, PoolLike>();
  const metrics = {
    registry,
    pools,
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP requests by route pattern (never the raw URL), method and status class.',
      labelNames: ['route', 'method', 'status_class'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    autosaves: new Counter({
      name: 'headroom_autosaves_total',
      help: 'Exam autosaves by outcome: acknowledged (committed, 2xx), rejected (refused with a 4xx), failed (an error, 5xx).',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    autosaveDuration: new Histogram({
      name: 'headroom_autosave_duration_seconds',
      help: 'Time to answer an autosave, from the request reaching the route to the response, by outcome.',
      labelNames: ['outcome'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    autosavePending: new Gauge({
      name: 'headroom_autosave_pending_saves',
      help: 'Autosaves waiting for their group commit.',
      registers: [registry],
    }),
    autosaveBatch: new Histogram({
      name: 'headroom_autosave_batch_size',
      help: 'Saves committed together in one transaction (group commit).',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers: [registry],
    }),
    sqliteBusyRetries: new Counter({
      name: 'headroom_sqlite_busy_retries_total',
      help: 'Autosave batches retried because another connection held the SQLite write lock.',
      registers: [registry],
    }),
    verifyQueue: new Gauge({
      name: 'headroom_lab_verification_queue_length',
      help: 'Lab submissions waiting for a verification worker.',
      registers: [registry],
    }),
    verifyRunning: new Gauge({
      name: 'headroom_lab_verifications_running',
      help: 'Lab submissions being re-run now.',
      registers: [registry],
    }),
    verifyWait: new Histogram({
      name: 'headroom_lab_verification_wait_seconds',
      help: 'Time a lab submission waited in the queue before its re-run started.',
      buckets: [0.01, 0.1, 0.5, 1, 2, 5, 10, 20, 30, 60, 120],
      registers: [registry],
    }),
    verifyRun: new Histogram({
      name: 'headroom_lab_verification_run_seconds',
      help: 'Time the server took to re-run a lab submission, by outcome.',
      labelNames: ['outcome'] as const,
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 90],
      registers: [registry],
    }),
    verifyDuration: new Histogram({
      name: 'headroom_lab_verification_duration_seconds',
      help: 'Queue wait plus re-run of a lab submission (what the learner waits for), by outcome: completed, failed, busy (refused, queue full).',
      labelNames: ['outcome'] as const,
      buckets: [0.1, 0.5, 1, 2, 5, 10, 20, 30, 60, 90, 120],
      registers: [registry],
    }),
    certificates: new Counter({
      name: 'headroom_certificates_issued_total',
      help: 'Certificates issued (one per passing attempt).',
      registers: [registry],
    }),
    signIns: new Counter({
      name: 'headroom_sign_ins_total',
      help: 'Sign-in attempts by outcome: succeeded, failed (wrong e-mail or password), throttled (rate limit).',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    rateLimitRefusals: new Counter({
      name: 'headroom_rate_limit_refusals_total',
      help: 'Requests refused by a rate limit, by rule.',
      labelNames: ['limit'] as const,
      registers: [registry],
    }),
    poolConnections: new Gauge({
      name: 'headroom_db_pool_connections',
      help: 'PostgreSQL pool connections by pool and state (idle or busy).',
      labelNames: ['pool', 'state'] as const,
      registers: [registry],
      collect() {
        for (const [name, pool] of pools) {
          this.set({ pool: name, state: 'idle' }, pool.idleCount);
          this.set({ pool: name, state: 'busy' }, pool.totalCount - pool.idleCount);
        }
      },
    }),
    poolWaiting: new Gauge({
      name: 'headroom_db_pool_waiting_requests',
      help: 'Queries waiting for a free PostgreSQL pool connection, by pool.',
      labelNames: ['pool'] as const,
      registers: [registry],
      collect() {
        for (const [name, pool] of pools) this.set({ pool: name }, pool.waitingCount);
      },
    }),
    poolMax: new Gauge({
      name: 'headroom_db_pool_max_connections',
      help: 'Size limit of each PostgreSQL pool.',
      labelNames: ['pool'] as const,
      registers: [registry],
      collect() {
        for (const [name, pool] of pools) this.set({ pool: name }, pool.options.max ?? 10);
      },
    }),
  };
  // Every outcome exists from the first scrape, at 0: a counter that first appears already at 5 loses
  // those 5 in rate(), and an SLI whose good events never happened must read 0, not "no data".
  for (const outcome of ['acknowledged', 'rejected', 'failed']) {
    metrics.autosaves.labels(outcome).inc(0);
    metrics.autosaveDuration.zero({ outcome });
  }
  for (const outcome of ['completed', 'failed']) metrics.verifyRun.zero({ outcome });
  for (const outcome of ['completed', 'failed', 'busy']) metrics.verifyDuration.zero({ outcome });
  for (const outcome of ['succeeded', 'failed', 'throttled']) metrics.signIns.labels(outcome).inc(0);
  metrics.certificates.inc(0);
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;

interface RequestNote {
  route?: string;
}

const shared = globalThis as unknown as { headroomMetrics?: Metrics; headroomRequestNotes?: AsyncLocalStorage<RequestNote> };

export function metrics(): Metrics {
  shared.headroomMetrics ??= createMetrics();
  return shared.headroomMetrics;
}

function requestNotes(): AsyncLocalStorage<RequestNote> {
  shared.headroomRequestNotes ??= new AsyncLocalStorage<RequestNote>();
  return shared.headroomRequestNotes;
}

/** A PostgreSQL pool whose use shows in headroom_db_pool_* (`prisma`, `autosave`). */
export function observePool(name: 'prisma' | 'autosave', pool: PoolLike): void {
  metrics().pools.set(name, pool);
}

export function forgetPool(name: 'prisma' | 'autosave', pool: PoolLike): void {
  if (metrics().pools.get(name) === pool) metrics().pools.delete(name);
}

/**
 * Times one request at the Node server (scripts/serve.ts), static files included. The middleware
 * names the route pattern through noteRoutePattern while the request runs.
 */
export function observeHttpRequest(req: IncomingMessage, res: ServerResponse, handle: () => void): void {
  const started = performance.now();
  const note: RequestNote = {};
  res.once('finish', () => {
    const status = res.statusCode;
    metrics()
      .httpDuration.labels(routeLabel(note.route, status), methodLabel(req.method), statusClass(status))
      .observe((performance.now() - started) / 1000);
  });
  requestNotes().run(note, handle);
}

/**
 * Called by the middleware with Astro's route pattern. Returns false when no Node-level observer
 * is timing this request (the dev server), so the middleware times it itself.
 */
export function noteRoutePattern(pattern: string): boolean {
  const note = requestNotes().getStore();
  if (!note) return false;
  note.route = pattern;
  return true;
}

export function recordHttpRequest(route: string, method: string, status: number, seconds: number): void {
  metrics().httpDuration.labels(routeLabel(route, status), methodLabel(method), statusClass(status)).observe(seconds);
}

export type AutosaveOutcome = 'acknowledged' | 'rejected' | 'failed';

export function recordAutosave(outcome: AutosaveOutcome, seconds: number): void {
  const m = metrics();
  m.autosaves.labels(outcome).inc();
  m.autosaveDuration.labels(outcome).observe(seconds);
}

/** The exposition text and its content type. */
export async function renderMetrics(): Promise<{ body: string; contentType: string }> {
  const { registry } = metrics();
  return { body: await registry.metrics(), contentType: registry.contentType };
}
