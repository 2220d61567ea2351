// Bodies of the exam endpoints, validated with zod before anything else happens.
import { z } from 'zod';
import { SubmittedAnswerSchema } from './public-item.ts';

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
