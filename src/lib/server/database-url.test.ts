import { describe, expect, it } from 'vitest';
import { DatabaseUrlError, resolveDatabase } from './database-url.ts';

describe('resolveDatabase', () => {
  it('defaults to a SQLite file under data/', () => {
    expect(resolveDatabase({}, '/srv/headroom')).toEqual({
      provider: 'sqlite',
      url: 'file:/srv/headroom/data/headroom.db',
      file: '/srv/headroom/data/headroom.db',
    });
    expect(resolveDatabase({ DATABASE_URL: '  ' }, '/srv').provider).toBe('sqlite');
  });

  it('selects PostgreSQL for postgres:// and postgresql:// URLs', () => {
    expect(resolveDatabase({ DATABASE_URL: 'postgres://u@localhost/db' }).provider).toBe('postgresql');
    expect(resolveDatabase({ DATABASE_URL: 'postgresql://u@localhost:5432/db' })).toEqual({
      provider: 'postgresql',
      url: 'postgresql://u@localhost:5432/db',
    });
  });

  it('resolves file: URLs relative to the project', () => {
    expect(resolveDatabase({ DATABASE_URL: 'file:./tmp/x.db' }, '/srv')).toMatchObject({ provider: 'sqlite', file: '/srv/tmp/x.db' });
  });

  it('rejects other schemes and empty files with a message naming DATABASE_URL', () => {
    expect(() => resolveDatabase({ DATABASE_URL: 'mysql://root@localhost/db' })).toThrow(DatabaseUrlError);
    expect(() => resolveDatabase({ DATABASE_URL: 'mysql://root@localhost/db' })).toThrow(/DATABASE_URL/);
    expect(() => resolveDatabase({ DATABASE_URL: 'file:' })).toThrow(/DATABASE_URL/);
    expect(() => resolveDatabase({ DATABASE_URL: 'postgres://[broken' })).toThrow(/DATABASE_URL/);
  });
});
