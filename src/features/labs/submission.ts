// The body of a lab submission from the browser.
import { z } from 'zod';
import { ExtraFilesSchema } from '../../../labs/runtime/lab/definition.ts';

export const SubmissionSchema = z
  .object({
    version: z.number().int().min(1),
    taskId: z.string().min(1).max(100),
    seed: z.number().int().min(0).max(0x7fffffff),
    token: z.string().regex(/^[0-9a-f]{64}$/, 'must be the token issued with the seed'),
    /** The k6 script, or the first editor's text (a query, a rule file, an slo.yaml). */
    code: z.string().min(1).max(100_000, 'the script is longer than 100,000 characters'),
    answer: z.string().max(1000).nullable(),
    digest: z.string().regex(/^[0-9a-f]{64}$/, 'must be the SHA-256 digest of the run'),
    /** The other editors' texts by file name (telemetry tasks: a second query, unit tests, the SLI file). */
    files: ExtraFilesSchema.optional(),
  })
  .strict();

export type Submission = z.infer<typeof SubmissionSchema>;

/** Per learner: at most 6 submissions a minute. */
export const SUBMISSIONS_PER_USER = { limit: 6, windowMs: 60_000 };

/** The largest submission body (three editors of telemetry tasks fit; a k6 script alone always did). */
export const SUBMISSION_MAX_BYTES = 320 * 1024;
