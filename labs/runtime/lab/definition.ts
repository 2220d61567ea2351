// What a lab is: a zod-validated definition (id, title, version, module, objectives, tasks). Every
// task has a *kind* — a k6 script, a PromQL query, a Prometheus rule file, an SLO quality gate —
// with its own runner (run-task.ts) and a grader written for that kind's result. Graders are code,
// so a lab is a TypeScript module in labs/<lab-id>/lab.ts; the data parts are validated here when
// the lab is loaded, one schema per kind, and the task types are inferred from them.
import { z } from 'zod';
import type { LoadTestResult } from '../engine/engine.ts';
import type { QueryResult } from '../promql/types.ts';
import { ServiceSchema } from '../simulator/service.ts';
import { type Telemetry, TelemetrySpecSchema } from '../telemetry/spec.ts';
import type { GateBuildResult, RulesRunResult } from './outcome.ts';

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

const TaskId = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);

/** What every kind of task has. */
const TaskCommon = {
  /** Stable id, part of every stored LabRun. */
  id: TaskId,
  title: z.string().min(3).max(80),
  /** Markdown: what to do and what counts as done. */
  goal: z.string().min(20),
  /** The text the (first) editor starts with: a script, a query, a rule file, an slo.yaml. */
  starter: z.string().min(10),
  /** Shown when the grader says "not yet". */
  hint: z.string().min(10),
  /** A value the learner reports from what they saw, if the task asks for one. */
  answer: AnswerSpecSchema.optional(),
};

/** An editor besides the first one: a second query, the promtool unit-test file, the SLI file. */
export const ExtraFileSchema = z
  .object({
    /** Key of the text in a submission's `files`, e.g. `p99` or `tests.yml`. */
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,39}$/),
    /** Shown above the editor. */
    label: z.string().min(3).max(100),
    /** How the workbench highlights and checks it. */
    language: z.enum(['promql', 'yaml']),
    starter: z.string(),
  })
  .strict();

/** The learner's texts besides the first one: at most three, each under 100,000 characters. */
export const ExtraFilesSchema = z
  .record(
    z.string().regex(/^[a-z0-9][a-z0-9._-]{0,39}$/, 'file names are lower-case letters, digits, ".", "_" and "-"'),
    z.string().max(100_000, 'a file is longer than 100,000 characters'),
  )
  .refine((files) => Object.keys(files).length <= 3, { error: 'at most three files besides the first editor' });

/** A k6 script, run against simulated services (ADR 009). */
export const K6TaskDataSchema = z
  .object({
    kind: z.literal('k6'),
    ...TaskCommon,
    /** The script runs once per entry, with the same seed. */
    runs: z.array(RunSpecSchema).min(1).max(3),
  })
  .strict();

/** Fields of the tasks that work on the lab's telemetry (ADR 015). */
const TelemetryTaskCommon = {
  ...TaskCommon,
  /** Label of the first editor, e.g. "Availability SLI over 28 days". */
  editorLabel: z.string().min(3).max(100),
  /** Further editors (another query, a unit-test file, the SLI file). */
  files: z.array(ExtraFileSchema).max(3).default([]),
};

/** PromQL queries, each evaluated as an instant query at the end of the lab's telemetry. */
export const PromqlTaskDataSchema = z.object({ kind: z.literal('promql'), ...TelemetryTaskCommon }).strict();

/** A Prometheus rule file evaluated over the whole telemetry, plus the learner's promtool unit tests. */
export const RulesTaskDataSchema = z
  .object({
    kind: z.literal('rules'),
    ...TelemetryTaskCommon,
    /** The name the unit-test file's `rule_files` uses for the first editor's text. */
    ruleFileName: z.string().regex(/^[a-z0-9][a-z0-9._-]*\.ya?ml$/),
    /** The extra file holding the promtool unit tests, if the task asks for them. */
    testFileName: z.string().optional(),
    /** Evaluation interval for groups that set none (Prometheus's global default is 1m). */
    defaultIntervalMs: z.number().int().min(15_000).max(600_000).default(60_000),
  })
  .strict();

/** One evaluation window of a quality gate: a build's time in production. */
export const GateBuildSchema = z
  .object({
    label: z.string().min(2).max(60),
    /** Window start and end, ms after the telemetry's first scrape. */
    fromMs: z.number().int().min(0),
    toMs: z.number().int().min(1),
    /** Whether the gate should pass this build (graders use it); baselines only feed `previous`. */
    role: z.enum(['baseline', 'good', 'regressed']),
  })
  .strict()
  .refine((b) => b.fromMs < b.toMs, { error: 'toMs must be after fromMs', path: ['toMs'] });

/** A Keptn-style slo.yaml (first editor) and its SLI file, evaluated build after build. */
export const QualityGateTaskDataSchema = z
  .object({
    kind: z.literal('quality-gate'),
    ...TelemetryTaskCommon,
    /** The extra file holding the SLI queries. */
    sliFileName: z.string(),
    /** Evaluated in this order; each later build compares with the earlier results. */
    builds: z.array(GateBuildSchema).min(2).max(5),
  })
  .strict();

export const TaskDataSchema = z.discriminatedUnion('kind', [
  K6TaskDataSchema,
  PromqlTaskDataSchema,
  RulesTaskDataSchema,
  QualityGateTaskDataSchema,
]);

export const LabDataSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
    title: z.string().min(3).max(100),
    /** Bumped whenever tasks, services, telemetry or graders change; older submissions are refused. */
    version: z.number().int().min(1),
    module: z.enum(['load-testing', 'slos', 'database-observability', 'roundtable']),
    summary: z.string().min(20).max(300),
    objectives: z.array(z.string().min(10)).min(2).max(8),
    /** Where relative URLs in scripts point, and __ENV.BASE_URL. */
    baseUrl: z.url(),
    /** The simulated telemetry the PromQL, rules and quality-gate tasks work on. */
    telemetry: TelemetrySpecSchema.optional(),
    tasks: z.array(TaskDataSchema).min(1).max(10),
  })
  .strict();

export type AnswerSpec = z.infer<typeof AnswerSpecSchema>;
export type ExtraFile = z.infer<typeof ExtraFileSchema>;
export type ExtraFiles = z.infer<typeof ExtraFilesSchema>;
export type TaskKind = z.infer<typeof TaskDataSchema>['kind'];
export type K6TaskData = z.infer<typeof K6TaskDataSchema>;
export type PromqlTaskData = z.input<typeof PromqlTaskDataSchema>;
export type RulesTaskData = z.input<typeof RulesTaskDataSchema>;
export type QualityGateTaskData = z.input<typeof QualityGateTaskDataSchema>;
export type TaskData = z.infer<typeof TaskDataSchema>;
export type LabData = z.infer<typeof LabDataSchema>;

/** A k6 task's grader input: the script and one load-test result per run. */
export interface GradeInput {
  script: string;
  runs: { label: string; result: LoadTestResult }[];
  answer: string | null;
}

/** A PromQL task's grader input: each query (first editor, then the extra files) and its result. */
export interface PromqlGradeInput {
  queries: { name: string; query: string; result: QueryResult }[];
  answer: string | null;
  telemetry: Telemetry;
}

export interface RulesGradeInput {
  result: RulesRunResult;
  answer: string | null;
  telemetry: Telemetry;
}

export interface QualityGateGradeInput {
  builds: GateBuildResult[];
  answer: string | null;
  telemetry: Telemetry;
}

export interface Verdict {
  pass: boolean;
  /** One or two sentences the learner sees. */
  message: string;
}

export type K6Task = K6TaskData & { grade(input: GradeInput): Verdict };
export type PromqlTask = PromqlTaskData & { grade(input: PromqlGradeInput): Verdict };
export type RulesTask = RulesTaskData & { grade(input: RulesGradeInput): Verdict };
export type QualityGateTask = QualityGateTaskData & { grade(input: QualityGateGradeInput): Verdict };
export type Task = K6Task | PromqlTask | RulesTask | QualityGateTask;
export type Lab = Omit<LabData, 'tasks' | 'telemetry'> & { telemetry?: z.input<typeof TelemetrySpecSchema>; tasks: Task[] };

export class LabDefinitionError extends Error {
  override name = 'LabDefinitionError';
}

/** Validates a lab's data and keeps its graders. */
export function defineLab<L extends Lab>(lab: L): L {
  const parsed = LabDataSchema.safeParse({ ...lab, tasks: lab.tasks.map(({ grade: _grade, ...data }) => data) });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LabDefinitionError(`lab "${lab.id}": ${issue?.path.join('.')}: ${issue?.message}`);
  }
  if (lab.telemetry === undefined && lab.tasks.some((t) => t.kind !== 'k6'))
    throw new LabDefinitionError(`lab "${lab.id}": a lab with promql, rules or quality-gate tasks needs telemetry`);
  const ids = new Set(lab.tasks.map((t) => t.id));
  if (ids.size !== lab.tasks.length) throw new LabDefinitionError(`lab "${lab.id}": task ids must be unique`);
  for (const task of lab.tasks) {
    if (task.kind === 'k6') continue;
    const names = (task.files ?? []).map((f) => f.name);
    if (new Set(names).size !== names.length) throw new LabDefinitionError(`lab "${lab.id}", task "${task.id}": file names must be unique`);
    if (task.kind === 'rules' && task.testFileName !== undefined && !names.includes(task.testFileName))
      throw new LabDefinitionError(`lab "${lab.id}", task "${task.id}": testFileName must name one of its files`);
    if (task.kind === 'quality-gate' && !names.includes(task.sliFileName))
      throw new LabDefinitionError(`lab "${lab.id}", task "${task.id}": sliFileName must name one of its files`);
  }
  return lab;
}

/** The task with this id, or undefined. */
export function findTask(lab: Lab, taskId: string): Task | undefined {
  return lab.tasks.find((t) => t.id === taskId);
}
