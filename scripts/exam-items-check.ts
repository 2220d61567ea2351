// Validates exam items (and the blueprint) against the schemas and content rules.
//   node scripts/exam-items-check.ts [files…]
// A promql item's key must evaluate on its dataset, each `alsoRight` query must score 1 and each
// `wrongAnswers` query 0 (results, not text, are graded); without file arguments the blueprint is
// checked too, including that forms can be drawn from the bank.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { assembleExamForm } from '../src/features/exam/form.ts';
import { BlueprintSchema, type ExamItem, ItemSchema, itemProblems } from '../src/features/exam/items.ts';
import { gradePromqlAnswer, promqlItemProblems } from '../src/features/exam/promql-items.ts';

const root = path.resolve(import.meta.dirname, '..');
const dir = path.join(root, 'content/exam/items');
const requested = process.argv.slice(2).map((f) => path.resolve(f));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => path.join(dir, f))
  .filter((f) => requested.length === 0 || requested.includes(f));
let failures = 0;
const ids = new Map<string, string>();
const bank: ExamItem[] = [];

/** Problems of a promql item that need the engine: the key, the other right answers, the wrong ones. */
function evaluationProblems(item: ExamItem): string[] {
  if (item.type !== 'promql') return [];
  const problems = promqlItemProblems(item);
  if (problems.length > 0) return problems;
  for (const query of [item.key, ...item.alsoRight]) {
    const grade = gradePromqlAnswer(item, query);
    if (grade.credit !== 1) problems.push(`right answer \`${query}\` scores 0: ${grade.message}`);
  }
  for (const query of item.wrongAnswers) {
    const grade = gradePromqlAnswer(item, query);
    if (grade.credit !== 0) problems.push(`wrong answer \`${query}\` scores 1: its result equals the key's`);
  }
  return problems;
}
for (const file of files) {
  const rel = path.relative(root, file);
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    console.log(`✗ ${rel}: YAML does not parse: ${(error as Error).message}`);
    failures += 1;
    continue;
  }
  const parsed = ItemSchema.safeParse(data);
  if (!parsed.success) {
    console.log(`✗ ${rel}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(item)'}: ${i.message}`).join('; ')}`);
    failures += 1;
    continue;
  }
  const problems = [...itemProblems(parsed.data), ...evaluationProblems(parsed.data)];
  bank.push(parsed.data);
  if (path.basename(file, '.yaml') !== parsed.data.id) problems.push(`file name must be ${parsed.data.id}.yaml`);
  const previous = ids.get(parsed.data.id);
  if (previous) problems.push(`id also used by ${previous}`);
  ids.set(parsed.data.id, rel);
  if (problems.length > 0) failures += 1;
  console.log(problems.length === 0 ? `✓ ${rel} (${parsed.data.type}, ${parsed.data.difficulty})` : `✗ ${rel}: ${problems.join('; ')}`);
}
const blueprintFile = path.join(root, 'content/exam/blueprint.yaml');
if (requested.length === 0) {
  try {
    const blueprint = BlueprintSchema.parse(parseYaml(readFileSync(blueprintFile, 'utf8')));
    for (const seed of [1, 2, 3]) assembleExamForm(bank, blueprint, seed);
    console.log(`✓ content/exam/blueprint.yaml (version ${blueprint.version}; forms draw from the bank)`);
  } catch (error) {
    console.log(`✗ content/exam/blueprint.yaml: ${(error as Error).message}`);
    failures += 1;
  }
}
console.log(failures === 0 ? `exam items: ${files.length} checked, all good` : `exam items: ${failures} with problems`);
process.exitCode = failures === 0 ? 0 : 1;
