// Checks lessons and glossary terms against the schemas and editorial rules, without a full build.
//   npm run content:check                 every lesson and term
//   npm run content:check -- <files…>     only these files (the index still spans everything)
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { checkLesson, MIN_LESSONS_PER_MODULE } from '../src/features/curriculum/lesson-rules.ts';
import { GlossaryTermSchema, MODULE_SLUGS } from '../src/features/curriculum/schemas.ts';

const root = path.resolve(import.meta.dirname, '..');
const lessonsDir = path.join(root, 'content/lessons');
const glossaryDir = path.join(root, 'content/glossary');

const lessonFiles = readdirSync(lessonsDir, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.mdx'))
  .map((f) => path.join(lessonsDir, f));
const termFiles = readdirSync(glossaryDir)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => path.join(glossaryDir, f));
const termIds = new Set(termFiles.map((f) => path.basename(f, '.yaml')));
const lessonIds = new Set(lessonFiles.map((f) => path.relative(lessonsDir, f).replace(/\.mdx$/, '')));

const requested = process.argv.slice(2).map((f) => path.resolve(f));
const selected = (files: string[]) => (requested.length === 0 ? files : files.filter((f) => requested.includes(f)));
let failures = 0;

for (const file of selected(termFiles)) {
  const rel = path.relative(root, file);
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    console.log(`✗ ${rel}: YAML does not parse: ${(error as Error).message}`);
    failures += 1;
    continue;
  }
  const parsed = GlossaryTermSchema.safeParse(data);
  const problems = parsed.success
    ? parsed.data.seeAlso.filter((id) => !termIds.has(id)).map((id) => `seeAlso: unknown term "${id}"`)
    : parsed.error.issues.map((i) => `field "${i.path.join('.')}": ${i.message}`);
  if (problems.length > 0) failures += 1;
  console.log(problems.length === 0 ? `✓ ${rel}` : `✗ ${rel}: ${problems.join('; ')}`);
}

const figuresByModule = new Map<string, number>();
for (const file of selected(lessonFiles)) {
  const report = checkLesson(path.relative(root, file), readFileSync(file, 'utf8'), { termIds, lessonIds });
  const module = report.id.split('/')[0] ?? '';
  figuresByModule.set(module, (figuresByModule.get(module) ?? 0) + report.figureCount);
  const rel = path.relative(root, file);
  if (report.problems.length > 0) failures += 1;
  const figures = report.figureCount > 0 ? `, ${report.figureCount} figure(s)` : '';
  console.log(
    report.problems.length === 0
      ? `✓ ${rel} (${report.proseWords} words${figures})`
      : `✗ ${rel} (${report.proseWords} words): ${report.problems.join('; ')}`,
  );
}

if (requested.length === 0) {
  for (const module of MODULE_SLUGS) {
    const count = [...lessonIds].filter((id) => id.startsWith(`${module}/`)).length;
    if (count < MIN_LESSONS_PER_MODULE) {
      console.log(`✗ module ${module}: ${count} lessons (at least ${MIN_LESSONS_PER_MODULE})`);
      failures += 1;
    }
    if ((figuresByModule.get(module) ?? 0) === 0) {
      console.log(`✗ module ${module}: no <Figure> in any lesson`);
      failures += 1;
    }
  }
}
console.log(failures === 0 ? 'content check: all good' : `content check: ${failures} file(s) with problems`);
process.exitCode = failures === 0 ? 0 : 1;
