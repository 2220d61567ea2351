// Builds that never pull files from under a running instance (ADR 016). Each build goes to its own
// folder, `.builds/<id>/`; `dist` is a symlink switched to it atomically (rename over the old
// link) once it is complete. A running instance resolved the link at start and keeps loading its
// lazy route chunks from its own folder, which pruning never removes while an instance uses it.
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

export const BUILDS_DIR = '.builds';
export const CURRENT_LINK = 'dist';
const INFO_FILE = 'build-info.json';
const RUNNING_DIR = '.running';
/** Builds kept besides the current one (and any an instance still runs from). */
export const KEEP_PREVIOUS = 2;

/** What the build is made from: sources, content, configuration and the lockfile. */
export const BUILD_INPUTS = [
  'src',
  'content',
  'labs',
  'public',
  'prisma',
  'astro.config.mjs',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
];
const SKIP = new Set(['node_modules', '.astro', '.DS_Store']);

function walk(root: string, relative: string, out: string[]): void {
  const full = path.join(root, relative);
  if (!existsSync(full)) return;
  const stat = statSync(full);
  if (stat.isDirectory()) {
    for (const name of readdirSync(full).sort()) if (!SKIP.has(name)) walk(root, path.join(relative, name), out);
  } else {
    out.push(`${relative}\0${stat.size}\0${Math.trunc(stat.mtimeMs)}`);
  }
}

/**
 * A digest of every input's path, size and modification time, and of what else the build bakes in
 * (SITE_URL). Any edit, checkout or dependency change gives another fingerprint.
 */
export function buildFingerprint(root: string, env: NodeJS.ProcessEnv = process.env): string {
  const entries: string[] = [];
  for (const input of BUILD_INPUTS) walk(root, input, entries);
  const hash = createHash('sha256');
  hash.update(`SITE_URL=${env['SITE_URL'] ?? ''}\n`);
  for (const entry of entries) hash.update(`${entry}\n`);
  return hash.digest('hex');
}

export interface BuildInfo {
  id: string;
  fingerprint: string;
  builtAt: string;
}

/** The build `dist` points at, or null (never built, or a build from before this layout). */
export function currentBuild(root: string): BuildInfo | null {
  try {
    return JSON.parse(readFileSync(path.join(root, CURRENT_LINK, INFO_FILE), 'utf8')) as BuildInfo;
  } catch {
    return null;
  }
}

export function newBuildDir(root: string): { id: string; dir: string } {
  const id = `${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')}-${randomBytes(3).toString('hex')}`;
  const dir = path.join(root, BUILDS_DIR, id);
  mkdirSync(dir, { recursive: true });
  return { id, dir };
}

export function writeBuildInfo(dir: string, info: BuildInfo): void {
  writeFileSync(path.join(dir, INFO_FILE), `${JSON.stringify(info, null, 2)}\n`);
}

/** Points `dist` at `dir` in one rename; a `dist` folder from the old layout is moved aside first. */
export function switchBuild(root: string, dir: string): void {
  const link = path.join(root, CURRENT_LINK);
  let existing: ReturnType<typeof lstatSync> | undefined;
  try {
    existing = lstatSync(link);
  } catch {}
  if (existing && !existing.isSymbolicLink()) {
    mkdirSync(path.join(root, BUILDS_DIR), { recursive: true });
    renameSync(link, path.join(root, BUILDS_DIR, `legacy-${Date.now()}`));
  }
  const next = `${link}.next-${process.pid}`;
  rmSync(next, { force: true });
  symlinkSync(path.relative(root, dir), next, 'dir');
  renameSync(next, link);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Pids of live instances serving from `dir`. */
export function instancesUsing(dir: string): number[] {
  const running = path.join(dir, RUNNING_DIR);
  if (!existsSync(running)) return [];
  return readdirSync(running)
    .map(Number)
    .filter((pid) => Number.isInteger(pid) && pid > 0 && alive(pid));
}

/**
 * Marks `dir` as used by this process until it exits (serve.ts). Returns the marker's remover.
 */
export function markRunning(dir: string): () => void {
  const running = path.join(dir, RUNNING_DIR);
  mkdirSync(running, { recursive: true });
  const marker = path.join(running, String(process.pid));
  writeFileSync(marker, '');
  return () => {
    try {
      unlinkSync(marker);
    } catch {}
  };
}

/** Removes builds other than the current one, the newest KEEP_PREVIOUS, and any still in use. */
export function pruneBuilds(root: string): string[] {
  const buildsDir = path.join(root, BUILDS_DIR);
  if (!existsSync(buildsDir)) return [];
  let current = '';
  try {
    current = realpathSync(path.join(root, CURRENT_LINK));
  } catch {}
  const others = readdirSync(buildsDir)
    .map((name) => path.join(buildsDir, name))
    .filter((dir) => dir !== current && statSync(dir).isDirectory())
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  const removed: string[] = [];
  for (const dir of others.slice(KEEP_PREVIOUS)) {
    if (instancesUsing(dir).length > 0) continue;
    rmSync(dir, { recursive: true, force: true });
    removed.push(path.basename(dir));
  }
  return removed;
}
