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

/** The longest query a promql item accepts (Prometheus's UI has no limit; the engine's is this). */
export const QUERY_MAX_LENGTH = 10_000;

/** A Prometheus duration without fractions: `15s`, `5m`, `1h30m`, `500ms`. */
const PromDuration = z.string().regex(/^(\d+(ms|s|m|h|d|w|y))+$/, 'must be a Prometheus duration such as 15s, 5m or 1h30m');

export const PromqlDatasetSchema = z
  .object({
    /** Spacing of the samples on every line, as promqltest's `load <interval>`; the first sample is at time 0. */
    interval: PromDuration,
    /** One series per line in the expanding notation: `http_requests_total{code="200"} 0+60x40` (`_` a gap, `stale` a marker). */
    series: z.array(z.string().min(3).max(4000)).min(1).max(200),
  })
  .strict();

export const PromqlEvaluationSchema = z.union([
  /** An instant query at this time after the first sample. */
  z.object({ time: PromDuration }).strict(),
  /** A range query from start to end (inclusive) every step. */
  z.object({ start: PromDuration, end: PromDuration, step: PromDuration }).strict(),
]);

const promqlFields = {
  /** The hidden data the candidate's query and the key are evaluated on; never sent to candidates. */
  dataset: PromqlDatasetSchema,
  /** When (instant) or over what range the queries are evaluated; shown to candidates. */
  evaluation: PromqlEvaluationSchema,
  /** A query whose *result* is the right answer; answers are compared by result, never by text. */
  key: z.string().min(1).max(2000),
  /** Relative tolerance on each value (default 1e-6): floating-point order of operations may differ. */
  tolerance: z.number().positive().max(0.01).default(1e-6),
  /** Other right formulations: the item check proves each scores 1 (result, not text, is graded). */
  alsoRight: z.array(z.string().min(1).max(2000)).default([]),
  /** Plausible wrong queries (the mistakes the item tests): the item check proves each scores 0. */
  wrongAnswers: z.array(z.string().min(1).max(2000)).min(2),
};
const orderingFields = { options: z.array(OptionSchema).min(3).max(6), key: z.array(OptionId).min(3) };

export const ItemSchema = z.union([
  z.object({ ...Common, type: z.literal('single'), ...singleFields }).strict(),
  z.object({ ...Common, type: z.literal('multiple'), ...multipleFields }).strict(),
  z.object({ ...Common, type: z.literal('numeric'), ...numericFields }).strict(),
  z.object({ ...Common, type: z.literal('ordering'), ...orderingFields }).strict(),
  z.object({ ...Common, type: z.literal('promql'), ...promqlFields }).strict(),
  z.object({ ...Common, type: z.literal('scenario'), exhibit: Exhibit, response: z.literal('single'), ...singleFields }).strict(),
  z.object({ ...Common, type: z.literal('scenario'), exhibit: Exhibit, response: z.literal('multiple'), ...multipleFields }).strict(),
  z.object({ ...Common, type: z.literal('scenario'), exhibit: Exhibit, response: z.literal('numeric'), ...numericFields }).strict(),
]);

export type ExamItem = z.infer<typeof ItemSchema>;
export type PromqlItem = Extract<ExamItem, { type: 'promql' }>;
export type PromqlEvaluation = z.infer<typeof PromqlEvaluationSchema>;

/** The evaluation in words, for the candidate: "an instant query at 30m30s after the first sample". */
export function describeEvaluation(evaluation: PromqlEvaluation): string {
  return 'time' in evaluation
    ? `an instant query at ${evaluation.time} after the first sample`
    : `a range query from ${evaluation.start} to ${evaluation.end} after the first sample, every ${evaluation.step}`;
}

/** How the item is answered, whatever its presentation. */
export type ResponseKind = 'single' | 'multiple' | 'numeric' | 'ordering' | 'promql';

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

const ITEM_TYPES = ['single', 'multiple', 'numeric', 'ordering', 'scenario', 'promql'] as const;

export const BlueprintSchema = z
  .object({
    /** Bumped whenever the rules below change; attempts record the version they ran under. */
    version: z.number().int().min(1),
    /** The credential's name. */
    title: z.string().min(5),
    /** Items per domain in every form. */
    itemsPerDomain: z.record(z.enum(MODULE_SLUGS), z.number().int().min(0)),
    /** Of a domain's items, exactly this many of each listed type; the rest come from its other types. */
    itemsPerType: z.partialRecord(z.enum(MODULE_SLUGS), z.partialRecord(z.enum(ITEM_TYPES), z.number().int().min(0))).default({}),
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
  .strict()
  .superRefine((blueprint, context) => {
    for (const [domain, quotas] of Object.entries(blueprint.itemsPerType)) {
      const quota = Object.values(quotas).reduce((a, b) => a + b, 0);
      const count = blueprint.itemsPerDomain[domain as keyof typeof blueprint.itemsPerDomain] ?? 0;
      if (quota > count)
        context.addIssue({ code: 'custom', path: ['itemsPerType', domain], message: `${quota} typed items exceed the domain's ${count}` });
    }
  });

export type Blueprint = z.infer<typeof BlueprintSchema>;

/** What a candidate's browser may see of an item: no key, no rationale (integrity rule). Stem and option text are escaped HTML. */
export type PublicItem =
  | { id: string; kind: 'single' | 'multiple' | 'ordering'; stem: string; exhibit: string | null; options: { id: string; text: string }[] }
  | { id: string; kind: 'numeric'; stem: string; exhibit: string | null; unit: string }
  | {
      id: string;
      kind: 'promql';
      stem: string;
      exhibit: string | null;
      /** The label sets the hidden dataset holds (no values), as `/api/v1/series` would list them. */
      series: string[];
      /** When the query is evaluated, e.g. "an instant query at 30m". */
      evaluation: PromqlEvaluation;
    };
