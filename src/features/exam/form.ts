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
    const quotas = Object.entries(blueprint.itemsPerType[domain] ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
    // Typed quotas first (e.g. exactly 2 promql items), then the rest from the domain's other types.
    const draws: [ExamItem[], number][] = quotas.map(([type, n]) => [pool.filter((item) => item.type === type), n]);
    const typed = new Set(quotas.map(([type]) => type));
    draws.push([pool.filter((item) => !typed.has(item.type)), count - quotas.reduce((sum, [, n]) => sum + n, 0)]);
    if (pool.length < count) throw new BankTooSmallError(`the bank has ${pool.length} ${domain} items; the blueprint needs ${count}`);
    const chosen: ExamItem[] = [];
    for (const [candidates, n] of draws) {
      if (candidates.length < n)
        throw new BankTooSmallError(`the bank has ${candidates.length} eligible ${domain} items for a draw of ${n}`);
      chosen.push(...drawFresh(candidates, n, previousItemIds, random));
    }
    for (const item of chosen) {
      const options = 'options' in item && responseKind(item) !== 'numeric' ? item.options.map((o) => o.id) : [];
      form.push({ itemId: item.id, itemVersion: item.version, domain, optionOrder: shuffle(options, random) });
    }
  }
  // Domains are interleaved, so position says nothing about the domain.
  return shuffle(form, random);
}

/** n items, those not in the previous attempt first, in random order. */
function drawFresh(pool: readonly ExamItem[], n: number, previousItemIds: ReadonlySet<string>, random: () => number): ExamItem[] {
  const fresh = shuffle(
    pool.filter((item) => !previousItemIds.has(item.id)),
    random,
  );
  const repeats = shuffle(
    pool.filter((item) => previousItemIds.has(item.id)),
    random,
  );
  return [...fresh, ...repeats].slice(0, n);
}
