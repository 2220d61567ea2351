// A new build never pulls files from under a running instance (issue 13): builds land in their own
// folder and `dist` is switched to them, so an instance started before keeps loading its lazily
// loaded route chunks — here after three newer builds were switched in and old ones pruned.
import { cpSync, realpathSync, rmSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { currentBuild, instancesUsing, newBuildDir, pruneBuilds, switchBuild, writeBuildInfo } from '../../scripts/lib/builds.ts';
import { freshSqlite } from '../support/databases.ts';
import { startServer } from '../support/server.ts';

const root = path.resolve(import.meta.dirname, '../..');
// Routes whose chunks load on first use; none is requested before the switch.
const LAZY_ROUTES = ['/signout/', '/verify/', '/issuer', '/.well-known/jwks.json', '/certificates/0123456789abcdef0123456789abcdef/status'];

test('an instance keeps serving its own build after newer builds are switched in and pruned', async () => {
  test.setTimeout(90_000);
  const original = realpathSync(path.join(root, 'dist'));
  const info = currentBuild(root);
  expect(info, 'dist must be a build made by scripts/build.ts (npm run build)').not.toBeNull();
  const database = freshSqlite();
  const older = await startServer({ DATABASE_URL: database.url });
  const copies: string[] = [];
  try {
    expect((await fetch(`${older.url}/healthz`)).status).toBe(200);
    // Three deploys of the same sources, as `npm run build` would switch them in.
    for (let i = 0; i < 3; i += 1) {
      const { id, dir } = newBuildDir(root);
      cpSync(original, dir, { recursive: true, filter: (source) => !source.includes(`${path.sep}.running`) });
      writeBuildInfo(dir, { id, fingerprint: info?.fingerprint ?? '', builtAt: new Date().toISOString() });
      switchBuild(root, dir);
      copies.push(dir);
    }
    pruneBuilds(root);
    expect(realpathSync(path.join(root, 'dist'))).toBe(realpathSync(copies.at(-1) as string));

    for (const route of LAZY_ROUTES) {
      const response = await fetch(`${older.url}${route}`, { redirect: 'manual' });
      await response.arrayBuffer();
      expect(response.status, route).toBeLessThan(500);
    }
    // A new instance starts from the new build.
    const newer = await startServer({ DATABASE_URL: database.url });
    try {
      expect((await fetch(`${newer.url}/healthz`)).status).toBe(200);
    } finally {
      await newer.stop();
    }
  } finally {
    await older.stop();
    switchBuild(root, original);
    // A server another test started meanwhile may serve from a copy: leave those to a later prune.
    for (const dir of copies) if (instancesUsing(dir).length === 0) rmSync(dir, { recursive: true, force: true });
    await database.drop();
  }
});
