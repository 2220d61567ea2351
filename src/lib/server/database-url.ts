// Which database Headroom talks to, decided once from DATABASE_URL. Pure: no I/O, so the Prisma
// config, the server and the tests share one rule.
import path from 'node:path';

export type DatabaseTarget = { provider: 'sqlite'; url: string; file: string } | { provider: 'postgresql'; url: string };

/** The embedded default: a SQLite file under data/, created on first start. */
export const DEFAULT_SQLITE_FILE = 'data/headroom.db';

export class DatabaseUrlError extends Error {
  override name = 'DatabaseUrlError';
}

/**
 * `postgres://` / `postgresql://` select PostgreSQL; `file:` (or no DATABASE_URL at all) selects
 * SQLite. Anything else is rejected with a message naming DATABASE_URL.
 */
export function resolveDatabase(env: Record<string, string | undefined>, cwd = process.cwd()): DatabaseTarget {
  const raw = env['DATABASE_URL']?.trim();
  if (!raw) {
    const file = path.resolve(cwd, DEFAULT_SQLITE_FILE);
    return { provider: 'sqlite', url: `file:${file}`, file };
  }
  if (/^postgres(ql)?:\/\//i.test(raw)) {
    try {
      new URL(raw);
    } catch {
      throw new DatabaseUrlError('DATABASE_URL is not a valid PostgreSQL URL (expected postgres://user@host:5432/db)');
    }
    return { provider: 'postgresql', url: raw };
  }
  if (raw.startsWith('file:')) {
    const rest = raw.slice('file:'.length);
    if (rest === '') throw new DatabaseUrlError('DATABASE_URL "file:" names no file (expected file:./data/headroom.db)');
    const file = path.resolve(cwd, rest);
    return { provider: 'sqlite', url: `file:${file}`, file };
  }
  throw new DatabaseUrlError(`DATABASE_URL must start with postgres://, postgresql:// or file: (got "${raw.split(':')[0]}:…")`);
}
