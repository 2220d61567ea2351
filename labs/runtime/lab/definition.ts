// What a lab is: a zod-validated definition (id, title, version, module, objectives, tasks). Every
// task has a *kind* — a k6 script, a PromQL query, a Prometheus rule file, an SLO quality gate —
// with its own runner (run-task.ts) and a grader written for that kind's result. Graders are code,
// so a lab is a TypeScript module in labs/<lab-id>/lab.ts; the data parts are validated here when
// the lab is loaded, one schema per kind, and the task types are inferred from them.
import { z } from 'zod';
import { type ClusterScenario, type ClusterScenarioInput, ClusterScenarioSchema } from '../cluster/schema.ts';
import type { LoadTestResult } from '../engine/engine.ts';
import type { Tsdb } from '../promql/tsdb.ts';
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

/** One choice of a cluster task's triage or cause question; which one is right lives in the grader. */
export const ChoiceOptionSchema = z
  .object({
    id: TaskId,
    label: z.string().min(3).max(200),
  })
  .strict();

const ChoiceQuestionSchema = z
  .object({
    question: z.string().min(10).max(300),
    options: z.array(ChoiceOptionSchema).min(2).max(6),
  })
  .strict();

/**
 * A deep partial of a cluster scenario (objects merge key by key, arrays and values replace): what
 * a remediation changes. Checked as data here; defineLab checks that every merged scenario parses.
 */
export const ScenarioPatchSchema = z.record(z.string(), z.unknown());

export const RemediationSchema = z
  .object({
    id: TaskId,
    label: z.string().min(3).max(200),
    patch: ScenarioPatchSchema,
  })
  .strict();

/** The SLO that breaks in a cluster task's incident (ADR 019). */
export const ClusterSloSchema = z
  .object({
    /** e.g. "Read latency p99". */
    name: z.string().min(3).max(80),
    /** Markdown, one or two sentences: what the objective promises. */
    description: z.string().min(10).max(400),
    /** The SLI in PromQL, evaluated as a range query over the focus window (step 1 m) and averaged. */
    query: z.string().min(5).max(2000),
    objective: z.number(),
    /** `<=`: the SLI must stay at or below the objective (latency, error ratio); `>=`: at or above it. */
    comparison: z.enum(['<=', '>=']).default('<='),
    /** How the workbench prints the SLI, e.g. `s` or `%`. */
    unit: z.string().min(1).max(20),
  })
  .strict();

/**
 * A diagnosis on a simulated ScyllaDB-like cluster (ADR 019): triage (which signal first), the cause,
 * the evidence (a PromQL query graded by evaluating it on the incident's metrics against the
 * simulator's ground truth) and a remediation (the scenario re-runs with its patch).
 */
export const ClusterTaskDataSchema = z
  .object({
    kind: z.literal('cluster'),
    ...TaskCommon,
    /** Label of the evidence-query editor. */
    editorLabel: z.string().min(3).max(100),
    slo: ClusterSloSchema,
    /** The incident; its seed is mixed with the run's seed, so each run gets its own cluster. */
    scenario: ClusterScenarioSchema,
    /** Where the incident is, ms after the scenario's start; the evidence is evaluated at `toMs`. */
    focus: z
      .object({ fromMs: z.number().int().min(0), toMs: z.number().int().min(1) })
      .strict()
      .refine((f) => f.fromMs < f.toMs, { error: 'toMs must be after fromMs', path: ['toMs'] }),
    triage: ChoiceQuestionSchema,
    cause: ChoiceQuestionSchema,
    remediations: z.array(RemediationSchema).min(2).max(5),
  })
  .strict();

export const TaskDataSchema = z.discriminatedUnion('kind', [
  K6TaskDataSchema,
  PromqlTaskDataSchema,
  RulesTaskDataSchema,
  QualityGateTaskDataSchema,
  ClusterTaskDataSchema,
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
/** A deep partial: what a remediation's patch may set. */
export type DeepPartial<T> = T extends readonly (infer _U)[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;
export type ScenarioPatch = DeepPartial<ClusterScenarioInput>;
export type ClusterTaskData = Omit<z.input<typeof ClusterTaskDataSchema>, 'remediations' | 'scenario'> & {
  scenario: ClusterScenarioInput;
  remediations: { id: string; label: string; patch: ScenarioPatch }[];
};
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

/** The choices of a cluster task's submission (`files` of the submission). */
export interface ClusterChoices {
  triage: string;
  cause: string;
  remedy: string;
}

/** One simulated run of a cluster task: the incident, or the incident with a remediation's patch. */
export interface ClusterRun {
  /** The scenario as simulated (patched, seed mixed with the run seed, defaults filled in). */
  scenario: ClusterScenario;
  db: Tsdb;
  /** First and last scrape, epoch ms. */
  start: number;
  end: number;
  /** The simulator's digest of every exported value. */
  digest: string;
  series: number;
  samples: number;
}

/** A cluster task's grader input: the choices, the evidence query's result and the runs. */
export interface ClusterGradeInput {
  choices: ClusterChoices;
  /** The evidence query, evaluated as an instant query at the end of the focus window. */
  evidence: { query: string; result: QueryResult; time: number };
  incident: ClusterRun;
  /** The focus window, epoch ms. */
  focus: { start: number; end: number };
  /** The SLI averaged over the focus window, on the incident and on the remediation's re-run (null: no data). */
  slo: { before: number | null; after: number | null; heldBefore: boolean; heldAfter: boolean };
  runSeed: number;
}

/** What a cluster grader says about each part; the runner combines them into the verdict. */
export interface ClusterGrade {
  triage: { pass: boolean; explanation: string };
  cause: { pass: boolean; explanation: string };
  evidence: { pass: boolean; message: string };
  /** Whether the chosen remediation is the right one, and why; the task passes it only if the SLO held on the re-run too. */
  remediation: { pass: boolean; explanation: string };
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
export type ClusterTask = ClusterTaskData & { grade(input: ClusterGradeInput): ClusterGrade };
export type Task = K6Task | PromqlTask | RulesTask | QualityGateTask | ClusterTask;
/** The tasks that work on the lab's generated telemetry (not k6, not cluster). */
export type TelemetryTask = PromqlTask | RulesTask | QualityGateTask;
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
  if (lab.telemetry === undefined && lab.tasks.some((t) => t.kind !== 'k6' && t.kind !== 'cluster'))
    throw new LabDefinitionError(`lab "${lab.id}": a lab with promql, rules or quality-gate tasks needs telemetry`);
  const ids = new Set(lab.tasks.map((t) => t.id));
  if (ids.size !== lab.tasks.length) throw new LabDefinitionError(`lab "${lab.id}": task ids must be unique`);
  for (const task of lab.tasks) {
    if (task.kind === 'k6') continue;
    if (task.kind === 'cluster') {
      checkClusterTask(lab.id, task);
      continue;
    }
    const names = (task.files ?? []).map((f) => f.name);
    if (new Set(names).size !== names.length) throw new LabDefinitionError(`lab "${lab.id}", task "${task.id}": file names must be unique`);
    if (task.kind === 'rules' && task.testFileName !== undefined && !names.includes(task.testFileName))
      throw new LabDefinitionError(`lab "${lab.id}", task "${task.id}": testFileName must name one of its files`);
    if (task.kind === 'quality-gate' && !names.includes(task.sliFileName))
      throw new LabDefinitionError(`lab "${lab.id}", task "${task.id}": sliFileName must name one of its files`);
  }
  return lab;
}

function checkClusterTask(labId: string, task: ClusterTask): void {
  const fail = (message: string) => {
    throw new LabDefinitionError(`lab "${labId}", task "${task.id}": ${message}`);
  };
  for (const [name, options] of [
    ['triage', task.triage.options],
    ['cause', task.cause.options],
    ['remediations', task.remediations],
  ] as const) {
    if (new Set(options.map((o) => o.id)).size !== options.length) fail(`${name} ids must be unique`);
  }
  const duration = task.scenario.durationMs;
  if (task.focus.toMs > duration) fail('focus.toMs is after the scenario ends');
  for (const remedy of task.remediations) {
    const merged = ClusterScenarioSchema.safeParse(mergeScenario(task.scenario, remedy.patch));
    if (!merged.success) fail(`remediation "${remedy.id}" does not give a valid scenario: ${merged.error.issues[0]?.message}`);
    else if (merged.data.durationMs !== duration) fail(`remediation "${remedy.id}" must not change durationMs`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep-merges a remediation's patch into a scenario: objects key by key, arrays and values replace. */
export function mergeScenario(base: ClusterScenarioInput, patch: ScenarioPatch | Record<string, unknown>): ClusterScenarioInput {
  const merge = (a: unknown, b: unknown): unknown => {
    if (!isPlainObject(a) || !isPlainObject(b)) return b === undefined ? a : structuredClone(b);
    const out: Record<string, unknown> = { ...a };
    for (const [key, value] of Object.entries(b)) out[key] = merge(a[key], value);
    return out;
  };
  return merge(base, patch) as ClusterScenarioInput;
}

/** The task with this id, or undefined. */
export function findTask(lab: Lab, taskId: string): Task | undefined {
  return lab.tasks.find((t) => t.id === taskId);
}
