// Builds go to their own folder and `dist` is switched to them in one rename; `npm start` skips
// an up-to-date build; pruning never removes a build an instance still serves (ADR 016).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readlinkSync, realpathSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildFingerprint,
  currentBuild,
  instancesUsing,
  KEEP_PREVIOUS,
  markRunning,
  newBuildDir,
  pruneBuilds,
  switchBuild,
  writeBuildInfo,
} from '../../scripts/lib/builds.ts';

let root: string;

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'headroom-builds-'));
  mkdirSync(path.join(root, 'src/pages'), { recursive: true });
  writeFileSync(path.join(root, 'src/pages/index.astro'), '<h1>Home</h1>');
  writeFileSync(path.join(root, 'package-lock.json'), '{}');
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

function fakeBuild(marker: string): string {
  const { id, dir } = newBuildDir(root);
  mkdirSync(path.join(dir, 'server'), { recursive: true });
  writeFileSync(path.join(dir, 'server/entry.mjs'), `export const build = ${JSON.stringify(marker)};`);
  writeBuildInfo(dir, { id, fingerprint: marker, builtAt: new Date().toISOString() });
  return dir;
}

describe('build fingerprint', () => {
  it('is stable while nothing changes, and changes with any input, its time stamp or SITE_URL', () => {
    const first = buildFingerprint(root, {});
    expect(buildFingerprint(root, {})).toBe(first);
    expect(buildFingerprint(root, { SITE_URL: 'https://headroom.example' })).not.toBe(first);
    writeFileSync(path.join(root, 'src/pages/index.astro'), '<h1>Home!</h1>');
    const edited = buildFingerprint(root, {});
    expect(edited).not.toBe(first);
    utimesSync(path.join(root, 'package-lock.json'), new Date(), new Date(Date.now() + 5000));
    expect(buildFingerprint(root, {})).not.toBe(edited);
  });

  it('ignores what is not an input (data, test output, earlier builds)', () => {
    const before = buildFingerprint(root, {});
    mkdirSync(path.join(root, 'data'));
    writeFileSync(path.join(root, 'data/headroom.db'), 'x');
    fakeBuild('a');
    expect(buildFingerprint(root, {})).toBe(before);
  });
});

describe('switching builds', () => {
  it('points dist at the new build and leaves the previous one where it was', () => {
    const a = fakeBuild('a');
    switchBuild(root, a);
    expect(realpathSync(path.join(root, 'dist'))).toBe(realpathSync(a));
    expect(readlinkSync(path.join(root, 'dist'))).toBe(path.relative(root, a));
    const b = fakeBuild('b');
    switchBuild(root, b);
    expect(currentBuild(root)?.fingerprint).toBe('b');
    expect(existsSync(path.join(a, 'server/entry.mjs'))).toBe(true);
  });

  it('moves a dist folder from the old layout aside instead of deleting it', () => {
    mkdirSync(path.join(root, 'dist/server'), { recursive: true });
    writeFileSync(path.join(root, 'dist/server/entry.mjs'), '');
    expect(currentBuild(root)).toBeNull();
    switchBuild(root, fakeBuild('a'));
    expect(currentBuild(root)?.fingerprint).toBe('a');
    expect(pruneBuilds(root)).toEqual([]);
  });

  it('prunes all but the current and the newest previous builds, never one an instance serves', async () => {
    const served = fakeBuild('served');
    switchBuild(root, served);
    // An instance (a live child process) serves from this build.
    const instance = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    const markerDir = path.join(served, '.running');
    mkdirSync(markerDir, { recursive: true });
    writeFileSync(path.join(markerDir, String(instance.pid)), '');
    writeFileSync(path.join(markerDir, '999999999'), ''); // a crashed instance's marker: ignored
    try {
      expect(instancesUsing(served)).toEqual([instance.pid]);
      const later = [];
      for (let i = 0; i < KEEP_PREVIOUS + 3; i += 1) {
        const dir = fakeBuild(`b${i}`);
        utimesSync(dir, new Date(), new Date(Date.now() + (i + 1) * 1000));
        later.push(dir);
      }
      switchBuild(root, later.at(-1) as string);
      const removed = pruneBuilds(root);
      // Kept: the current (last), the KEEP_PREVIOUS before it, and the served one.
      expect(removed.sort()).toEqual(
        later
          .slice(0, later.length - 1 - KEEP_PREVIOUS)
          .map((d) => path.basename(d))
          .sort(),
      );
      expect(existsSync(served)).toBe(true);
    } finally {
      instance.kill('SIGKILL');
    }
  });

  it('marks a build as served by this process until the marker is removed', () => {
    const dir = fakeBuild('a');
    const unmark = markRunning(dir);
    expect(instancesUsing(dir)).toEqual([process.pid]);
    unmark();
    expect(instancesUsing(dir)).toEqual([]);
  });
});
