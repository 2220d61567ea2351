// Validates exam items (and the blueprint) against the schemas and content rules.
//   node scripts/exam-items-check.ts [files…]
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { BlueprintSchema, ItemSchema, itemProblems } from '../src/features/exam/items.ts';

const root = path.resolve(import.meta.dirname, '..');
const dir = path.join(root, 'content/exam/items');
const requested = process.argv.slice(2).map((f) => path.resolve(f));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => path.join(dir, f))
  .filter((f) => requested.length === 0 || requested.includes(f));
let failures = 0;
const ids = new Map<string, string>();
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
  const problems = itemProblems(parsed.data);
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
    console.log(`✓ content/exam/blueprint.yaml (version ${blueprint.version})`);
  } catch (error) {
    console.log(`✗ content/exam/blueprint.yaml: ${(error as Error).message}`);
    failures += 1;
  }
}
console.log(failures === 0 ? `exam items: ${files.length} checked, all good` : `exam items: ${failures} with problems`);
process.exitCode = failures === 0 ? 0 : 1;
