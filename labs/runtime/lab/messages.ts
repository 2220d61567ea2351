// Messages that cross the worker boundary (browser Web Worker and Node worker_threads), parsed
// with zod on arrival: a worker never trusts what it is sent.
import { z } from 'zod';

export const RunTaskMessageSchema = z
  .object({
    type: z.literal('run'),
    labId: z.string().min(1).max(100),
    taskId: z.string().min(1).max(100),
    code: z.string().max(100_000, 'the script is longer than 100,000 characters'),
    seed: z.number().int().min(0).max(0x7fffffff),
    answer: z.string().max(1000).nullable(),
  })
  .strict();

export const CheckSyntaxMessageSchema = z.object({ type: z.literal('check'), code: z.string().max(100_000) }).strict();

/** Runs the standard benchmark scenario (npm run bench:labs measures the browser with it). */
export const BenchMessageSchema = z.object({ type: z.literal('bench') }).strict();

export const WorkerRequestSchema = z.discriminatedUnion('type', [RunTaskMessageSchema, CheckSyntaxMessageSchema, BenchMessageSchema]);

export type RunTaskMessage = z.infer<typeof RunTaskMessageSchema>;
export type WorkerRequest = z.infer<typeof WorkerRequestSchema>;
