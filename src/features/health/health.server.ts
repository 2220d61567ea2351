// Liveness and readiness for load balancers and operators: the app answers, and so does its
// database, within a short deadline.
import { db } from '../../lib/server/db.server.ts';
import { isDraining } from '../../lib/server/lifecycle.server.ts';

export type HealthReport = { status: 'ok'; db: 'ok' } | { status: 'error'; db: 'unreachable' | 'timeout' } | { status: 'draining' };

const DB_DEADLINE_MS = 2000;

export async function checkHealth(): Promise<HealthReport> {
  // Shutting down: still answering in-flight work, but send new traffic elsewhere.
  if (isDraining()) return { status: 'draining' };
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), DB_DEADLINE_MS);
  });
  try {
    const outcome = await Promise.race([
      db()
        .$queryRawUnsafe('SELECT 1')
        .then(() => 'ok' as const),
      deadline,
    ]);
    return outcome === 'ok' ? { status: 'ok', db: 'ok' } : { status: 'error', db: 'timeout' };
  } catch {
    return { status: 'error', db: 'unreachable' };
  } finally {
    clearTimeout(timer);
  }
}
