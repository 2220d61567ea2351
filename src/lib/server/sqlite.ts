// SQLite details shared by the migrator, the retry helper and the autosave store.

/** Prisma writes SQLite DateTime as RFC 3339 text with an explicit offset; comparisons are textual. */
export function sqliteTimestamp(date: Date): string {
  return date.toISOString().replace('Z', '+00:00');
}

/** SQLITE_BUSY: another connection holds the lock; safe to retry the whole statement or transaction. */
export function isSqliteBusy(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? '';
  return code.startsWith('SQLITE_BUSY') || /database is locked/i.test((error as Error).message ?? '');
}
