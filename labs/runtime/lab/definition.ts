// What a lab is: a zod-validated definition (id, title, version, module, objectives, tasks) whose
// tasks carry their starter script, the simulated service(s) each run targets, a hint, and a
// grader. Graders are code, so a lab is a TypeScript module in labs/<lab-id>/lab.ts; the data
// parts are validated here when the lab is loaded.
import { z } from 'zod';
import type { LoadTestResult } from '../engine/engine.ts';
import { ServiceSchema } from '../simulator/service.ts';

export const AnswerSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('number'), label: z.string().min(3), unit: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('choice'), label: z.string().min(3), options: z.array(z.string().min(3)).min(2).max(6) }).strict(),
]);

export const RunSpecSchema = z
  .object({
    /** Shown in the workbench, e.g. "healthy build". */
    label: z.string().min(2).max(60),
    /** The simulated service this run targets. */
    service: ServiceSchema,
  })
  .strict();

export const TaskDataSchema = z
  .object({
    /** Stable id, part of every stored LabRun. */
    id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
    title: z.string().min(3).max(80),
    /** Markdown: what to do and what counts as done. */
    goal: z.string().min(20),
    /** The script the editor starts with. */
    starter: z.string().min(10),
    /** Shown when the grader says "not yet". */
    hint: z.string().min(10),
    /** The script runs once per entry, with the same seed. */
    runs: z.array(RunSpecSchema).min(1).max(3),
    /** A value the learner reports from what they saw, if the task asks for one. */
    answer: AnswerSpecSchema.optional(),
  })
  .strict();

export const LabDataSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
    title: z.string().min(3).max(100),
    /** Bumped whenever tasks, services or graders change; older submissions are refused. */
    version: z.number().int().min(1),
    module: z.enum(['load-testing', 'slos', 'database-observability', 'roundtable']),
    summary: z.string().min(20).max(300),
    objectives: z.array(z.string().min(10)).min(2).max(8),
    /** Where relative URLs in scripts point, and __ENV.BASE_URL. */
    baseUrl: z.url(),
    tasks: z.array(TaskDataSchema).min(1).max(10),
  })
  .strict();

export type AnswerSpec = z.infer<typeof AnswerSpecSchema>;
export type TaskData = z.infer<typeof TaskDataSchema>;
export type LabData = z.infer<typeof LabDataSchema>;

export interface GradeInput {
  script: string;
  runs: { label: string; result: LoadTestResult }[];
  answer: string | null;
}

export interface Verdict {
  pass: boolean;
  /** One or two sentences the learner sees. */
  message: string;
}

export type Task = TaskData & { grade(input: GradeInput): Verdict };
export type Lab = Omit<LabData, 'tasks'> & { tasks: Task[] };

export class LabDefinitionError extends Error {
  override name = 'LabDefinitionError';
}

/** Validates a lab's data and keeps its graders. */
export function defineLab(lab: Lab): Lab {
  const parsed = LabDataSchema.safeParse({ ...lab, tasks: lab.tasks.map(({ grade: _grade, ...data }) => data) });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LabDefinitionError(`lab "${lab.id}": ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const ids = new Set(lab.tasks.map((t) => t.id));
  if (ids.size !== lab.tasks.length) throw new LabDefinitionError(`lab "${lab.id}": task ids must be unique`);
  return lab;
}
