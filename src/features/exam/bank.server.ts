// The item bank and blueprint, read from content/exam once per process and validated. Items are
// kept with their keys here, on the server; only PublicItems (public-item.ts) leave it.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { type Blueprint, BlueprintSchema, type ExamItem, ItemSchema, itemProblems } from './items.ts';
import { promqlItemProblems } from './promql-items.ts';

export interface Bank {
  blueprint: Blueprint;
  items: ExamItem[];
  byId: ReadonlyMap<string, ExamItem>;
}

let cached: Bank | undefined;

function contentDir(): string {
  return path.resolve(process.env['HEADROOM_ROOT'] ?? process.cwd(), 'content/exam');
}

export function loadBank(dir = contentDir()): Bank {
  if (cached && dir === contentDir()) return cached;
  const blueprint = BlueprintSchema.parse(parseYaml(readFileSync(path.join(dir, 'blueprint.yaml'), 'utf8')));
  const items = readdirSync(path.join(dir, 'items'))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const parsed = ItemSchema.safeParse(parseYaml(readFileSync(path.join(dir, 'items', file), 'utf8')));
      if (!parsed.success)
        throw new Error(`content/exam/items/${file}: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
      const problems = [...itemProblems(parsed.data), ...(parsed.data.type === 'promql' ? promqlItemProblems(parsed.data) : [])];
      if (problems.length > 0) throw new Error(`content/exam/items/${file}: ${problems.join('; ')}`);
      return parsed.data;
    });
  const bank = { blueprint, items, byId: new Map(items.map((item) => [item.id, item])) };
  if (dir === contentDir()) cached = bank;
  return bank;
}
