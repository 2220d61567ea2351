// Bodies of the exam endpoints, validated with zod before anything else happens. Browser code
// imports this file too, so it stays free of server and engine imports.
import { z } from 'zod';
import { QUERY_MAX_LENGTH } from './items.ts';

const Position = z.string().regex(/^[1-6]$/, 'must be an option number');

/** An answer as the browser sends it, per response kind. */
export const SubmittedAnswerSchema = z.union([
  z.object({ choice: Position }).strict(),
  z.object({ choices: z.array(Position).max(6) }).strict(),
  z.object({ value: z.number() }).strict(),
  z.object({ order: z.array(Position).min(1).max(6) }).strict(),
  z.object({ query: z.string().max(QUERY_MAX_LENGTH, `a query may have at most ${QUERY_MAX_LENGTH} characters`) }).strict(),
]);

export type SubmittedAnswer = z.infer<typeof SubmittedAnswerSchema>;

export const SaveBodySchema = z
  .object({
    /** null clears the answer. */
    answer: SubmittedAnswerSchema.nullable(),
    flagged: z.boolean().default(false),
    /** Increases with every change the browser makes; a lower or equal revision never overwrites. */
    revision: z.number().int().min(1).max(1_000_000),
  })
  .strict();

export type SaveBody = z.infer<typeof SaveBodySchema>;
