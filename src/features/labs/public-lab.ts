// What the lab page hands to the browser: a lab without its graders and without the simulated
// services (those stay in the worker bundle and on the server). The omission is in the schema,
// so the type the workbench uses cannot carry them.
import { z } from 'zod';
import { type Lab, LabDataSchema, RunSpecSchema, TaskDataSchema } from '../../../labs/runtime/lab/definition.ts';

export const PublicTaskSchema = TaskDataSchema.omit({ runs: true }).extend({
  /** Run labels only, in the order the worker runs them. */
  runs: z.array(RunSpecSchema.pick({ label: true })).min(1),
});

export const PublicLabSchema = LabDataSchema.pick({ id: true, title: true, version: true }).extend({
  tasks: z.array(PublicTaskSchema).min(1),
});

export type PublicTask = z.infer<typeof PublicTaskSchema>;
export type PublicLab = z.infer<typeof PublicLabSchema>;

/** Copies field by field, so a grader or a service added to a task later is never serialised. */
export function toPublicLab(lab: Lab): PublicLab {
  return {
    id: lab.id,
    title: lab.title,
    version: lab.version,
    tasks: lab.tasks.map((task) => ({
      id: task.id,
      title: task.title,
      goal: task.goal,
      starter: task.starter,
      hint: task.hint,
      runs: task.runs.map((run) => ({ label: run.label })),
      ...(task.answer ? { answer: task.answer } : {}),
    })),
  };
}

/** JSON for a `<script type="application/json">`: `<` is escaped so no text can close the element. */
export function serializeForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
