// Retrying writes that lost a race: a serialization failure on PostgreSQL, or SQLite's
// SQLITE_BUSY, which a deferred transaction gets at once (no waiting) when upgrading from read to
// write would deadlock with another connection. Both are safe to retry from the start.

import { isSqliteBusy } from './sqlite.ts';

const TRANSIENT_CODES = new Set(['P2034', 'P1008']);

export function isTransientDbError(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  const message = (error as Error).message ?? '';
  return TRANSIENT_CODES.has(code) || isSqliteBusy(error) || /Operation has timed out|could not serialize/i.test(message);
}

export async function withDbRetry<T>(work: () => Promise<T>, attempts = 6): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isTransientDbError(error)) throw error;
      const backoff = 10 * 2 ** attempt;
      await new Promise((resolve) => setTimeout(resolve, backoff / 2 + Math.random() * backoff));
    }
  }
}
