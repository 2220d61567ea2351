// The exam's item bank and blueprint: one schema per concept, types inferred from them. Items are
// YAML files in content/exam/items/; the blueprint is content/exam/blueprint.yaml.
import { z } from 'zod';
import { MODULE_SLUGS } from '../curriculum/schemas.ts';

const OptionId = z.enum(['a', 'b', 'c', 'd', 'e', 'f']);
export type OptionId = z.infer<typeof OptionId>;

export const OptionSchema = z
  .object({
    /** a..f, in order; candidates see the options shuffled, so ids never show. */
    id: OptionId,
    /** Markdown, one line. */
    text: z.string().min(1).max(400),
  })
  .strict();

export const NumericKeySchema = z
  .object({
    value: z.number(),
    /** Absolute: answers within value ± tolerance score. */
    tolerance: z.number().positive(),
    unit: z.string().min(1).max(30),
  })
  .strict();

const Common = {
  /** Stable id: lt-/slo-/db-/rt- and three digits; equals the file name. */
  id: z.string().regex(/^(lt|slo|db|rt)-\d{3}$/, 'must look like lt-001, slo-001, db-001 or rt-001'),
  /** The module (domain) the item measures. */
  domain: z.enum(MODULE_SLUGS),
  /** Bumped when the item's meaning or key changes. */
  version: z.number().int().min(1),
  /** The author's estimate, before statistics exist. */
  difficulty: z.enum(['easy', 'medium', 'hard']),
  /** Markdown question. */
  stem: z.string().min(20).max(2000),
  /** Why the key is right; never sent to candidates. */
  rationale: z.string().min(20).max(2000),
};

const Exhibit = z.string().min(10).max(4000);

const singleFields = { options: z.array(OptionSchema).min(3).max(6), key: OptionId };
const multipleFields = { options: z.array(OptionSchema).min(4).max(6), key: z.array(OptionId).min(2) };
const numericFields = { key: NumericKeySchema };
const orderingFields = { options: z.array(OptionSchema).min(3).max(6), key: z.array(OptionId).min(3) };

export const ItemSchema = z.union([
  z.object({ ...Common, type: z.literal('single'), ...singleFields }).strict(),
  z.object({ ...Common, type: z.literal('multiple'), ...multipleFields }).strict(),
  z.object({ ...Common, type: z.literal('numeric'), ...numericFields }).strict(),
  z.object({ ...Common, type: z.literal('ordering'), ...orderingFields }).strict(),
  z.object({ ...Common, type: z.literal('scenario'), exhibit: Exhibit, response: z.literal('single'), ...singleFields }).strict(),
  z.object({ ...Common, type: z.literal('scenario'), exhibit: Exhibit, response: z.literal('multiple'), ...multipleFields }).strict(),
  z.object({ ...Common, type: z.literal('scenario'), exhibit: Exhibit, response: z.literal('numeric'), ...numericFields }).strict(),
]);

export type ExamItem = z.infer<typeof ItemSchema>;

/** How the item is answered, whatever its presentation. */
export type ResponseKind = 'single' | 'multiple' | 'numeric' | 'ordering';

export function responseKind(item: ExamItem): ResponseKind {
  return item.type === 'scenario' ? item.response : item.type;
}

/** The content problems a schema cannot express; each names the item. */
export function itemProblems(item: ExamItem): string[] {
  const problems: string[] = [];
  const options = 'options' in item ? item.options : [];
  const ids = options.map((o) => o.id);
  const expectedIds = ['a', 'b', 'c', 'd', 'e', 'f'].slice(0, options.length);
  if (ids.join() !== expectedIds.join()) problems.push(`option ids must be ${expectedIds.join(', ')} in order`);
  const texts = options.map((o) => o.text.trim().toLowerCase());
  if (new Set(texts).size !== texts.length) problems.push('two options have the same text');
  if (texts.some((t) => /\b(all|none) of the above\b/.test(t))) problems.push('no "all/none of the above" options');
  const kind = responseKind(item);
  if (kind === 'single' && !ids.includes(item.key as OptionId)) problems.push(`key "${String(item.key)}" is not an option`);
  if (kind === 'multiple') {
    const key = item.key as OptionId[];
    if (key.some((k) => !ids.includes(k))) problems.push('a key is not an option');
    if (new Set(key).size !== key.length) problems.push('the key repeats an option');
    if (key.length >= options.length) problems.push('not every option may be correct');
    if (!/\(Select all that apply\.\)\s*$/.test(item.stem))
      problems.push('a multiple-response stem must end with "(Select all that apply.)"');
  }
  if (kind === 'ordering') {
    const key = item.key as OptionId[];
    if ([...key].sort().join() !== [...ids].sort().join()) problems.push('an ordering key must list every option exactly once');
  }
  if (kind === 'numeric') {
    const key = item.key as z.infer<typeof NumericKeySchema>;
    if (key.value !== 0 && key.tolerance > Math.abs(key.value) * 0.05) problems.push('numeric tolerance is more than 5 % of the value');
    if (!Number.isFinite(key.value)) problems.push('numeric key must be finite');
  }
  return problems;
}

export const BlueprintSchema = z
  .object({
    /** Bumped whenever the rules below change; attempts record the version they ran under. */
    version: z.number().int().min(1),
    /** The credential's name. */
    title: z.string().min(5),
    /** Items per domain in every form. */
    itemsPerDomain: z.record(z.enum(MODULE_SLUGS), z.number().int().min(0)),
    /** Time limit before any extra-time multiplier. */
    timeLimitMinutes: z.number().int().min(5).max(240),
    /** Saves up to this many seconds past the deadline are accepted (network latency). */
    graceSeconds: z.number().int().min(0).max(60),
    /** Reported score = round(min + (max - min) × raw proportion). */
    reportedScale: z.object({ min: z.number().int(), max: z.number().int() }).strict(),
    /** Reported score needed to pass. */
    passingScore: z.number().int(),
    attempts: z
      .object({
        /** At most this many attempts… */
        maxAttempts: z.number().int().min(1),
        /** …in any window of this many days… */
        windowDays: z.number().int().min(1),
        /** …and at least this long between two attempts. */
        cooldownHours: z.number().min(0),
      })
      .strict(),
    eligibility: z
      .object({
        /** Labs whose every task must have a server-verified pass. */
        labs: z.array(z.string()).default([]),
      })
      .strict(),
  })
  .strict();

export type Blueprint = z.infer<typeof BlueprintSchema>;

/** What a candidate's browser may see of an item: no key, no rationale (integrity rule). Stem and option text are escaped HTML. */
export type PublicItem =
  | { id: string; kind: 'single' | 'multiple' | 'ordering'; stem: string; exhibit: string | null; options: { id: string; text: string }[] }
  | { id: string; kind: 'numeric'; stem: string; exhibit: string | null; unit: string };
