// Drawing an exam form: items at random per domain from a seed, avoiding the items of the
// learner's previous attempt where the bank allows, with each item's options shuffled.
import type { ModuleSlug } from '../curriculum/schemas.ts';
import { type Blueprint, type ExamItem, responseKind } from './items.ts';
import { seededRandom, shuffle } from './random.ts';

export interface FormItem {
  itemId: string;
  itemVersion: number;
  domain: ModuleSlug;
  /** Option ids in display order; empty for numeric items. */
  optionOrder: string[];
}

export class BankTooSmallError extends Error {
  override name = 'BankTooSmallError';
}

export function assembleExamForm(
  bank: readonly ExamItem[],
  blueprint: Blueprint,
  seed: number,
  previousItemIds: ReadonlySet<string> = new Set(),
): FormItem[] {
  const random = seededRandom(seed);
  const form: FormItem[] = [];
  for (const [domain, count] of Object.entries(blueprint.itemsPerDomain) as [ModuleSlug, number][]) {
    const pool = bank.filter((item) => item.domain === domain).sort((a, b) => (a.id < b.id ? -1 : 1));
    if (pool.length < count) throw new BankTooSmallError(`the bank has ${pool.length} ${domain} items; the blueprint needs ${count}`);
    const fresh = shuffle(
      pool.filter((item) => !previousItemIds.has(item.id)),
      random,
    );
    const repeats = shuffle(
      pool.filter((item) => previousItemIds.has(item.id)),
      random,
    );
    for (const item of [...fresh, ...repeats].slice(0, count)) {
      const options = 'options' in item && responseKind(item) !== 'numeric' ? item.options.map((o) => o.id) : [];
      form.push({ itemId: item.id, itemVersion: item.version, domain, optionOrder: shuffle(options, random) });
    }
  }
  // Domains are interleaved, so position says nothing about the domain.
  return shuffle(form, random);
}
