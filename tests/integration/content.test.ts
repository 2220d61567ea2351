// The real curriculum meets the editorial rules, and invalid content stops the build with the
// file and the field named.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { checkLesson, MIN_LESSONS_PER_MODULE } from '../../src/features/curriculum/lesson-rules.ts';
import { GlossaryTermSchema, MODULE_SLUGS } from '../../src/features/curriculum/schemas.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const lessonsDir = path.join(root, 'content/lessons');
const glossaryDir = path.join(root, 'content/glossary');
const lessonFiles = readdirSync(lessonsDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.mdx'));
const termFiles = readdirSync(glossaryDir).filter((f) => f.endsWith('.yaml'));
const termIds = new Set(termFiles.map((f) => f.replace(/\.yaml$/, '')));
const lessonIds = new Set(lessonFiles.map((f) => f.replace(/\.mdx$/, '')));
const source = (id: string) => readFileSync(path.join(lessonsDir, `${id}.mdx`), 'utf8');
const moduleText = (module: string) =>
  [...lessonIds]
    .filter((id) => id.startsWith(`${module}/`))
    .map(source)
    .join('\n');

describe('the curriculum', () => {
  it('has at least four lessons per module and sixteen in all', () => {
    expect(lessonIds.size).toBeGreaterThanOrEqual(16);
    for (const module of MODULE_SLUGS) {
      expect([...lessonIds].filter((id) => id.startsWith(`${module}/`)).length, module).toBeGreaterThanOrEqual(MIN_LESSONS_PER_MODULE);
    }
  });

  it.each([...lessonIds].sort())('lesson %s meets every editorial rule', (id) => {
    const report = checkLesson(`content/lessons/${id}.mdx`, source(id), { termIds, lessonIds });
    expect(report.problems).toEqual([]);
  });

  it('has at least one figure in every module', () => {
    for (const module of MODULE_SLUGS) expect(moduleText(module), module).toContain('<Figure');
  });

  it('has a valid glossary whose cross-references resolve', () => {
    for (const file of termFiles) {
      const term = GlossaryTermSchema.parse(parseYaml(readFileSync(path.join(glossaryDir, file), 'utf8')));
      for (const id of term.seeAlso) expect(termIds.has(id), `${file} → ${id}`).toBe(true);
    }
  });

  it('covers the facts each module promises', () => {
    const m1 = moduleText('load-testing');
    for (const fact of [
      'dropped_iterations',
      'constant-arrival-rate',
      'constant-vus',
      'oordinated omission',
      'L = λW',
      'http_req_duration',
      'p(95)<300',
    ]) {
      expect(m1, fact).toContain(fact);
    }
    const m2 = moduleText('slos');
    for (const fact of [
      'histogram_quantile',
      'extrapolat',
      'interpolat',
      '43.2 minutes',
      '14.4',
      '5 m',
      '6 h',
      '30 m',
      '3 d',
      'total score',
    ]) {
      expect(m2, fact).toContain(fact);
    }
    const m3 = moduleText('database-observability');
    for (const fact of [
      'shard-per-core',
      'scylla_storage_proxy_coordinator_read_latency',
      'hot partition',
      'compaction',
      'cache hit ratio',
      // The technical review of issue 12: reads contact only CL replicas, writes all of them; the
      // replica-side latency next to the coordinator's; the lab linked from the lessons.
      'speculative retry',
      'digest',
      'scylla_column_family_read_latency',
      '/labs/database-observability/',
    ]) {
      expect(m3.toLowerCase(), fact).toContain(fact.toLowerCase());
    }
  });
});

describe('invalid content', () => {
  it('fails the build with a message naming the file and the field', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'headroom-content-'));
    try {
      for (const entry of ['astro.config.mjs', 'package.json', 'tsconfig.json', 'src', 'content'])
        cpSync(path.join(root, entry), path.join(dir, entry), { recursive: true });
      symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
      const bad = path.join(dir, 'content/lessons/slos/02-promql-essentials.mdx');
      writeFileSync(bad, readFileSync(bad, 'utf8').replace(/^duration: .*$/m, 'duration: "a while"'));
      const failure = await run(process.execPath, [path.join(root, 'node_modules/astro/bin/astro.mjs'), 'sync'], {
        cwd: dir,
        env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
      }).then(
        () => undefined,
        (error: { stdout: string; stderr: string; code: number }) => error,
      );
      expect(failure, 'astro sync should fail').toBeDefined();
      const output = `${failure?.stdout}\n${failure?.stderr}`;
      expect(output).toContain('slos/02-promql-essentials');
      expect(output).toMatch(/duration/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
