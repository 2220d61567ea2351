// `npm run build`: builds the site and its search index into a new folder under .builds/, then
// points `dist` at it in one rename (ADR 016), so an instance already running keeps its own files.
// `--if-stale` (what `npm start` runs): does nothing when the current build has the sources'
// fingerprint.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { buildFingerprint, currentBuild, newBuildDir, pruneBuilds, switchBuild, writeBuildInfo } from './lib/builds.ts';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name: string) => path.join(root, 'node_modules/.bin', name);

const fingerprint = buildFingerprint(root);
const current = currentBuild(root);
if (process.argv.includes('--if-stale') && current?.fingerprint === fingerprint) {
  console.log(`headroom: the build is up to date (${current.id}, built ${current.builtAt})`);
  process.exit(0);
}

const { id, dir } = newBuildDir(root);
function run(command: string, args: string[]): void {
  // The tools' `#!/usr/bin/env node` must find this Node (24), not an older system one.
  const PATH = [path.dirname(process.execPath), path.join(root, 'node_modules/.bin'), process.env['PATH'] ?? ''].join(path.delimiter);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, PATH, ASTRO_TELEMETRY_DISABLED: '1' } });
  if (result.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    console.error(
      `headroom: build failed (${path.basename(command)} exited with ${result.status ?? result.signal}); the current build is unchanged`,
    );
    process.exit(1);
  }
}
run(bin('astro'), ['build', '--outDir', dir]);
run(bin('pagefind'), ['--site', path.join(dir, 'client'), '--output-subdir', 'pagefind']);
writeBuildInfo(dir, { id, fingerprint, builtAt: new Date().toISOString() });
switchBuild(root, dir);
const removed = pruneBuilds(root);
console.log(`headroom: built ${id}; dist now points at .builds/${id}${removed.length > 0 ? ` (removed ${removed.join(', ')})` : ''}`);
