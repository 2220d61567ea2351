// The body of a lab submission from the browser.
import { z } from 'zod';

export const SubmissionSchema = z
  .object({
    version: z.number().int().min(1),
    taskId: z.string().min(1).max(100),
    seed: z.number().int().min(0).max(0x7fffffff),
    token: z.string().regex(/^[0-9a-f]{64}$/, 'must be the token issued with the seed'),
    code: z.string().min(1).max(100_000, 'the script is longer than 100,000 characters'),
    answer: z.string().max(1000).nullable(),
    digest: z.string().regex(/^[0-9a-f]{64}$/, 'must be the SHA-256 digest of the run'),
  })
  .strict();

export type Submission = z.infer<typeof SubmissionSchema>;

/** Per learner: at most 6 submissions a minute. */
export const SUBMISSIONS_PER_USER = { limit: 6, windowMs: 60_000 };
