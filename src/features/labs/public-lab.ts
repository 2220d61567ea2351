// What the lab page hands to the browser: a lab without its graders, without the simulated
// services and without the telemetry's model (those stay in the worker bundle and on the server).
// The omission is in the schema, so the type the workbench uses cannot carry them. A cluster task's
// scenario and remediation patches do ship (the worker simulates them in the browser); which
// choices are right, the explanations and the evidence checks stay in the graders (ADR 019).
import { z } from 'zod';
import { ClusterScenarioSchema } from '../../../labs/runtime/cluster/schema.ts';
import {
  ClusterTaskDataSchema,
  K6TaskDataSchema,
  type Lab,
  LabDataSchema,
  PromqlTaskDataSchema,
  QualityGateTaskDataSchema,
  RulesTaskDataSchema,
  RunSpecSchema,
} from '../../../labs/runtime/lab/definition.ts';

/** Run labels only, in the order the worker runs them (telemetry tasks: one run, or one per build). */
const PublicRuns = z.array(RunSpecSchema.pick({ label: true })).min(1);

export const PublicTaskSchema = z.discriminatedUnion('kind', [
  K6TaskDataSchema.omit({ runs: true }).extend({ runs: PublicRuns }),
  PromqlTaskDataSchema.extend({ runs: PublicRuns }),
  RulesTaskDataSchema.omit({ defaultIntervalMs: true }).extend({ runs: PublicRuns }),
  QualityGateTaskDataSchema.omit({ builds: true }).extend({ runs: PublicRuns }),
  ClusterTaskDataSchema.extend({ runs: PublicRuns }),
]);

export const PublicLabSchema = LabDataSchema.pick({ id: true, title: true, version: true }).extend({
  tasks: z.array(PublicTaskSchema).min(1),
  /** The telemetry's time span and scrape interval, when the lab has telemetry. */
  telemetry: z.object({ start: z.number(), end: z.number(), scrapeIntervalMs: z.number() }).optional(),
});

export type PublicTask = z.infer<typeof PublicTaskSchema>;
export type PublicLab = z.infer<typeof PublicLabSchema>;

const TELEMETRY_RUN = [{ label: 'the shop’s telemetry' }];
const CLUSTER_RUNS = [{ label: 'the incident' }, { label: 'the re-run with your remediation' }];

function toPublicTask(task: Lab['tasks'][number]): PublicTask {
  const common = {
    id: task.id,
    title: task.title,
    goal: task.goal,
    starter: task.starter,
    hint: task.hint,
    ...(task.answer ? { answer: task.answer } : {}),
  };
  switch (task.kind) {
    case 'k6':
      return { kind: 'k6', ...common, runs: task.runs.map((run) => ({ label: run.label })) };
    case 'promql':
      return {
        kind: 'promql',
        ...common,
        editorLabel: task.editorLabel,
        files: (task.files ?? []).map((f) => ({ ...f })),
        runs: TELEMETRY_RUN,
      };
    case 'rules':
      return {
        kind: 'rules',
        ...common,
        editorLabel: task.editorLabel,
        files: (task.files ?? []).map((f) => ({ ...f })),
        ruleFileName: task.ruleFileName,
        ...(task.testFileName !== undefined ? { testFileName: task.testFileName } : {}),
        runs: TELEMETRY_RUN,
      };
    case 'quality-gate':
      return {
        kind: 'quality-gate',
        ...common,
        editorLabel: task.editorLabel,
        files: (task.files ?? []).map((f) => ({ ...f })),
        sliFileName: task.sliFileName,
        runs: task.builds.filter((b) => b.role !== 'baseline').map((b) => ({ label: b.label })),
      };
    case 'cluster':
      return {
        kind: 'cluster',
        ...common,
        editorLabel: task.editorLabel,
        slo: { ...task.slo, comparison: task.slo.comparison ?? '<=' },
        scenario: ClusterScenarioSchema.parse(structuredClone(task.scenario)),
        focus: { ...task.focus },
        triage: { question: task.triage.question, options: task.triage.options.map((o) => ({ ...o })) },
        cause: { question: task.cause.question, options: task.cause.options.map((o) => ({ ...o })) },
        remediations: task.remediations.map((r) => ({
          id: r.id,
          label: r.label,
          patch: structuredClone(r.patch) as Record<string, unknown>,
        })),
        runs: CLUSTER_RUNS,
      };
  }
}

/** Copies field by field, so a grader, a service or a telemetry model added later is never serialised. */
export function toPublicLab(lab: Lab): PublicLab {
  const telemetry = lab.telemetry;
  return {
    id: lab.id,
    title: lab.title,
    version: lab.version,
    tasks: lab.tasks.map(toPublicTask),
    ...(telemetry
      ? {
          telemetry: {
            start: telemetry.startMs,
            end: telemetry.startMs + telemetry.days * 86_400_000,
            scrapeIntervalMs: telemetry.scrapeIntervalMs ?? 15_000,
          },
        }
      : {}),
  };
}

/** JSON for a `<script type="application/json">`: `<` is escaped so no text can close the element. */
export function serializeForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
