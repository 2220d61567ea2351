// Backups and restores of the whole database (`npm run admin -- backup|restore <file>`, ADR 016).
// SQLite: `VACUUM INTO`, a consistent copy taken while the server keeps running; restore copies it
// into place. PostgreSQL: `pg_dump` in its custom format and `pg_restore`. A restore only goes into
// an empty database — it never merges into or overwrites live data.
import { spawnSync } from 'node:child_process';
import { closeSync, constants, copyFileSync, existsSync, openSync, readSync, rmSync } from 'node:fs';
import { createClient } from '@libsql/client';
import pg from 'pg';
import type { DatabaseTarget } from './database-url.ts';

export class BackupError extends Error {
  override name = 'BackupError';
}

function header(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(16);
    const read = readSync(fd, buffer, 0, 16, 0);
    return buffer.subarray(0, read).toString('latin1');
  } finally {
    closeSync(fd);
  }
}

/** What a backup file holds, from its first bytes. */
export function backupKind(file: string): 'sqlite' | 'postgresql' | 'unknown' {
  const start = header(file);
  if (start.startsWith('SQLite format 3\0')) return 'sqlite';
  if (start.startsWith('PGDMP')) return 'postgresql';
  return 'unknown';
}

function runTool(tool: string, args: string[]): void {
  const result = spawnSync(tool, args, { encoding: 'utf8', timeout: 30 * 60_000 });
  if (result.error) throw new BackupError(`cannot run ${tool} (apt-get install postgresql-client): ${result.error.message}`);
  if (result.status !== 0)
    throw new BackupError(`${tool} failed: ${(result.stderr || result.stdout).trim().split('\n').slice(0, 3).join(' ')}`);
}

export async function backupDatabase(target: DatabaseTarget, file: string): Promise<void> {
  if (existsSync(file)) throw new BackupError(`${file} already exists; choose a new file name`);
  if (target.provider === 'sqlite') {
    const client = createClient({ url: target.url });
    try {
      await client.execute({ sql: 'VACUUM INTO ?', args: [file] });
    } catch (error) {
      rmSync(file, { force: true });
      throw new BackupError(`the SQLite backup failed: ${(error as Error).message}`);
    } finally {
      client.close();
    }
    return;
  }
  try {
    runTool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${file}`, target.url]);
  } catch (error) {
    rmSync(file, { force: true });
    throw error;
  }
}

async function userTables(target: DatabaseTarget): Promise<number> {
  if (target.provider === 'sqlite') {
    if (!existsSync(target.file)) return 0;
    const client = createClient({ url: target.url });
    try {
      const result = await client.execute("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
      return Number(result.rows[0]?.['n'] ?? 0);
    } finally {
      client.close();
    }
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    const result = await client.query<{ n: string }>("SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'");
    return Number(result.rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

export async function restoreDatabase(target: DatabaseTarget, file: string): Promise<void> {
  if (!existsSync(file)) throw new BackupError(`${file} does not exist`);
  const kind = backupKind(file);
  if (kind === 'unknown') throw new BackupError(`${file} is not a Headroom backup (neither a SQLite file nor a pg_dump archive)`);
  if (kind !== target.provider)
    throw new BackupError(
      `${file} is a ${kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'} backup, but DATABASE_URL names a ${target.provider === 'sqlite' ? 'SQLite' : 'PostgreSQL'} database`,
    );
  if ((await userTables(target)) > 0)
    throw new BackupError('restore needs an empty database: DATABASE_URL names one that already has tables');
  if (target.provider === 'sqlite') {
    // An empty file (no tables) may exist; nothing in it is lost.
    rmSync(target.file, { force: true });
    copyFileSync(file, target.file, constants.COPYFILE_EXCL);
    return;
  }
  runTool('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${target.url}`, file]);
}
