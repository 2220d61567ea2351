// The raw write path for autosaves (ADR 011). Prisma costs ~0.5 ms a query here; the hot path
// instead runs one prepared statement per save through the driver itself, many saves per
// transaction. SQLite: a dedicated libSQL connection with NO busy wait — libSQL waits
// synchronously, which would block the event loop while a Prisma transaction holding the write
// lock waits for that same loop; on SQLITE_BUSY we yield and retry instead. PostgreSQL: a pg pool.
import { type Client, createClient } from '@libsql/client';
import pg from 'pg';
import type { DatabaseTarget } from '../../lib/server/database-url.ts';
import { forgetPool, metrics, observePool } from '../../lib/server/metrics.server.ts';
import { isSqliteBusy, sqliteTimestamp } from '../../lib/server/sqlite.ts';

export interface SaveRow {
  attemptId: string;
  itemId: string;
  answer: string;
  flagged: boolean;
  revision: number;
  savedAt: Date;
  /** The attempt must have a deadline at or after this (now − grace). */
  notBefore: Date;
}

export interface ResponseStore {
  /** Writes the rows in one transaction; for each, whether it was written. */
  write(rows: readonly SaveRow[]): Promise<boolean[]>;
  close(): Promise<void>;
}

const SQLITE_UPSERT = `INSERT INTO "ExamResponse" ("attemptId", "itemId", "answer", "flagged", "revision", "savedAt")
SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM "ExamAttempt" WHERE "id" = ? AND "status" = 'in_progress' AND "deadline" >= ?)
ON CONFLICT ("attemptId", "itemId") DO UPDATE SET "answer" = excluded."answer", "flagged" = excluded."flagged", "revision" = excluded."revision", "savedAt" = excluded."savedAt"
WHERE excluded."revision" > "ExamResponse"."revision"`;

const POSTGRES_UPSERT = `INSERT INTO "ExamResponse" ("attemptId", "itemId", "answer", "flagged", "revision", "savedAt")
SELECT $1, $2, $3, $4, $5, $6 WHERE EXISTS (SELECT 1 FROM "ExamAttempt" WHERE "id" = $1 AND "status" = 'in_progress' AND "deadline" >= $7)
ON CONFLICT ("attemptId", "itemId") DO UPDATE SET "answer" = excluded."answer", "flagged" = excluded."flagged", "revision" = excluded."revision", "savedAt" = excluded."savedAt"
WHERE excluded."revision" > "ExamResponse"."revision"`;

function sqliteStore(url: string): ResponseStore {
  let client: Promise<Client> | undefined;
  const connection = () => {
    client ??= (async () => {
      const c = createClient({ url, timeout: 0 });
      // FULL: a committed save survives power loss, not only a process crash (ADR 011).
      await c.execute('PRAGMA synchronous = FULL');
      return c;
    })();
    return client;
  };
  return {
    async write(rows) {
      const statements = rows.map((r) => ({
        sql: SQLITE_UPSERT,
        args: [
          r.attemptId,
          r.itemId,
          r.answer,
          r.flagged ? 1 : 0,
          r.revision,
          sqliteTimestamp(r.savedAt),
          r.attemptId,
          sqliteTimestamp(r.notBefore),
        ],
      }));
      for (let attempt = 0; ; attempt += 1) {
        try {
          const results = await (await connection()).batch(statements, 'write');
          return results.map((r) => r.rowsAffected > 0);
        } catch (error) {
          if (!isSqliteBusy(error) || attempt >= 200) throw error;
          metrics().sqliteBusyRetries.inc();
          await new Promise((resolve) => setTimeout(resolve, Math.min(2 + attempt, 20)));
        }
      }
    },
    async close() {
      (await client)?.close();
      client = undefined;
    },
  };
}

function postgresStore(url: string): ResponseStore {
  const pool = new pg.Pool({ connectionString: url, max: 8, connectionTimeoutMillis: 5000 });
  // An idle connection the server dropped (a PostgreSQL restart, a terminated backend) is replaced
  // on the next save; unheard, the pool's 'error' event would end the process.
  pool.on('error', () => undefined);
  observePool('autosave', pool);
  return {
    async write(rows) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const written: boolean[] = [];
        for (const r of rows) {
          const result = await client.query(POSTGRES_UPSERT, [
            r.attemptId,
            r.itemId,
            r.answer,
            r.flagged,
            r.revision,
            r.savedAt,
            r.notBefore,
          ]);
          written.push((result.rowCount ?? 0) > 0);
        }
        await client.query('COMMIT');
        return written;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      forgetPool('autosave', pool);
      await pool.end();
    },
  };
}

export function createResponseStore(target: DatabaseTarget): ResponseStore {
  return target.provider === 'postgresql' ? postgresStore(target.url) : sqliteStore(target.url);
}
