// What the exam pages receive from outside their own code: the attempt embedded in the page, the
// exam API's replies, and the save queue kept in localStorage. Each is parsed with zod first.
import { z } from 'zod';
import { PromqlEvaluationSchema } from '../../features/exam/items.ts';
import { SaveBodySchema, SubmittedAnswerSchema } from '../../features/exam/requests.ts';

const OptionSchema = z.object({
  /** The option's display position, '1'..'6'. */
  id: z.string(),
  /** Safe HTML, rendered on the server from the item's Markdown. */
  text: z.string(),
});

const ItemFields = {
  id: z.string().min(1),
  position: z.number().int().min(0),
  /** Safe HTML, rendered on the server from the item's Markdown. */
  stem: z.string(),
  /** Plain text (logs, dashboards, query output): shown as preformatted text, never as HTML. */
  exhibit: z.string().nullable(),
  answer: SubmittedAnswerSchema.nullable(),
  /** The last revision the server committed (0: never saved). */
  revision: z.number().int().min(0),
  flagged: z.boolean(),
};

/** One item as its candidate sees it: no key, no rationale (the server never sends them). */
export const CandidateItemSchema = z.discriminatedUnion('kind', [
  z.object({ ...ItemFields, kind: z.literal('single'), options: z.array(OptionSchema).min(1) }),
  z.object({ ...ItemFields, kind: z.literal('multiple'), options: z.array(OptionSchema).min(1) }),
  z.object({ ...ItemFields, kind: z.literal('ordering'), options: z.array(OptionSchema).min(1) }),
  z.object({ ...ItemFields, kind: z.literal('numeric'), unit: z.string() }),
  z.object({
    ...ItemFields,
    kind: z.literal('promql'),
    /** The label sets of the item's dataset (its values stay on the server). */
    series: z.array(z.string()),
    evaluation: PromqlEvaluationSchema,
  }),
]);

export const CandidateAttemptSchema = z.object({
  id: z.string().min(1),
  status: z.string(),
  startedAt: z.iso.datetime(),
  deadline: z.iso.datetime(),
  serverNow: z.iso.datetime(),
  graceSeconds: z.number().int().min(0),
  items: z.array(CandidateItemSchema).min(1),
});

export type CandidateItem = z.infer<typeof CandidateItemSchema>;
export type CandidateAttempt = z.infer<typeof CandidateAttemptSchema>;
export type Answer = z.infer<typeof SubmittedAnswerSchema>;
/** What one save sends, and what the queue keeps per item: the latest change only. */
export type QueuedSave = z.infer<typeof SaveBodySchema>;

export const QueueSchema = z.record(z.string(), SaveBodySchema);
export type Queue = z.infer<typeof QueueSchema>;

/** 2xx from PUT …/responses/<item>: 'stale' means the server already holds this or a newer revision. */
export const SaveReplySchema = z.object({
  status: z.enum(['saved', 'stale']),
  revision: z.number().int(),
  savedAt: z.string(),
  serverNow: z.iso.datetime(),
  /** promql items: the query's parse problem (null when it parses). */
  syntax: z.object({ message: z.string(), line: z.number().int().optional(), column: z.number().int().optional() }).nullable().optional(),
});

export type SyntaxNote = NonNullable<z.infer<typeof SaveReplySchema>['syntax']>;

export const SubmitReplySchema = z.object({ resultUrl: z.string().startsWith('/') });
const ErrorReplySchema = z.object({ error: z.string() });

/** The `{ error }` text of an API reply, or a fallback that says what went wrong. */
export function errorText(body: unknown, fallback: string): string {
  const parsed = ErrorReplySchema.safeParse(body);
  return parsed.success ? parsed.data.error : fallback;
}
