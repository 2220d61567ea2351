import { describe, expect, it } from 'vitest';
import { MigrationError, pendingMigrations } from './migrate.server.ts';

const migration = (name: string, checksum = `sum-${name}`) => ({ name, sql: 'SELECT 1;', checksum });
const row = (name: string, extra: Partial<{ checksum: string; finished_at: unknown; rolled_back_at: unknown }> = {}) => ({
  migration_name: name,
  checksum: `sum-${name}`,
  finished_at: '2026-11-27T12:00:00.000+00:00',
  rolled_back_at: null,
  ...extra,
});

describe('pendingMigrations', () => {
  it('returns the committed migrations not yet recorded, in order', () => {
    expect(pendingMigrations([migration('1_a'), migration('2_b'), migration('3_c')], [row('1_a')]).map((m) => m.name)).toEqual([
      '2_b',
      '3_c',
    ]);
    expect(pendingMigrations([migration('1_a')], [row('1_a')])).toEqual([]);
  });

  it('treats a rolled-back migration as pending', () => {
    expect(pendingMigrations([migration('1_a')], [row('1_a', { rolled_back_at: '2026-11-27' })]).map((m) => m.name)).toEqual(['1_a']);
  });

  it('refuses to continue after a failed migration', () => {
    expect(() => pendingMigrations([migration('1_a')], [row('1_a', { finished_at: null })])).toThrow(MigrationError);
  });

  it('refuses a migration that was edited after it was applied', () => {
    expect(() => pendingMigrations([migration('1_a', 'changed')], [row('1_a')])).toThrow(/checksum/);
  });
});
