// The results of the telemetry kinds of task (promql, rules, quality-gate) as they cross the worker
// boundary and reach the grader, the workbench and the LabRun summary. One schema per shape, types
// inferred; the workbench parses a worker's reply with these very schemas.
import { z } from 'zod';

/** JSON has no NaN or infinities: query values travel as numbers or as these strings. */
export const SampleValueSchema = z.union([z.number(), z.literal('NaN'), z.literal('+Inf'), z.literal('-Inf')]);
export type SampleValue = z.infer<typeof SampleValueSchema>;

export function encodeSample(v: number): SampleValue {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return v;
}

export function decodeSample(v: SampleValue): number {
  if (v === 'NaN') return Number.NaN;
  if (v === '+Inf') return Number.POSITIVE_INFINITY;
  if (v === '-Inf') return Number.NEGATIVE_INFINITY;
  return v;
}

const LabelsSchema = z.record(z.string(), z.string());

/** A problem in what the learner wrote: a query, a rule file, a test file, an slo.yaml. */
export const FileIssueSchema = z.object({
  /** Which editor: the first one is `main`, the others by their file name. */
  file: z.string(),
  message: z.string(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
});
export type FileIssue = z.infer<typeof FileIssueSchema>;

/** A query's value as the workbench shows it, capped (the grader sees the full result). */
export const QueryValueViewSchema = z.discriminatedUnion('resultType', [
  z.object({
    resultType: z.literal('vector'),
    result: z.array(z.object({ metric: LabelsSchema, t: z.number(), v: SampleValueSchema })),
  }),
  z.object({
    resultType: z.literal('matrix'),
    result: z.array(z.object({ metric: LabelsSchema, t: z.array(z.number()), v: z.array(SampleValueSchema) })),
  }),
  z.object({ resultType: z.literal('scalar'), t: z.number(), v: SampleValueSchema }),
  z.object({ resultType: z.literal('string'), t: z.number(), v: z.string() }),
]);

export const QueryErrorViewSchema = z.object({
  kind: z.string(),
  message: z.string(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
});

/** The outcome of one instant query: its value (first series and points only) or its error. */
export const QueryOutcomeSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    value: QueryValueViewSchema,
    /** Series in the full result, and whether the view was cut to the first ones. */
    seriesCount: z.number().int(),
    truncated: z.boolean(),
    samples: z.number().int(),
  }),
  z.object({ ok: z.literal(false), error: QueryErrorViewSchema }),
]);

export type QueryOutcome = z.infer<typeof QueryOutcomeSchema>;

export const PromqlResultSchema = z.object({
  /** Evaluation time of every query (the end of the telemetry), epoch ms. */
  time: z.number(),
  queries: z.array(z.object({ name: z.string(), query: z.string(), outcome: QueryOutcomeSchema })),
});
export type PromqlResult = z.infer<typeof PromqlResultSchema>;

const StateIntervalSchema = z.object({ state: z.enum(['pending', 'firing']), start: z.number(), end: z.number() });

export const AlertViewSchema = z.object({
  /** The rule's name (alertname). */
  name: z.string(),
  labels: LabelsSchema,
  annotations: LabelsSchema,
  /** Pending and firing bands; gaps are inactive. */
  intervals: z.array(StateIntervalSchema),
  firings: z.array(z.object({ activeAt: z.number(), firedAt: z.number(), resolvedAt: z.number().nullable() })),
});
export type AlertView = z.infer<typeof AlertViewSchema>;

/** How the alerts did against one seeded incident. */
export const IncidentDetectionSchema = z.object({
  name: z.string(),
  description: z.string(),
  start: z.number(),
  end: z.number(),
  /** What a good alerting setup does about it (page, ticket, stay silent), when the lab says. */
  expectedAlert: z.enum(['page', 'ticket', 'none']).nullable(),
  /** The first firing that overlapped the incident, per severity label (`page`, `ticket`, …). */
  detections: z.array(z.object({ alert: z.string(), severity: z.string().nullable(), firedAt: z.number(), detectionMs: z.number() })),
});

export const RulesResultSchema = z.object({
  /** Problems in the rule file or the test file (then nothing was evaluated, or no tests ran). */
  issues: z.array(FileIssueSchema),
  /** Evaluated range and the groups' intervals; null when the rule file did not load. */
  evaluation: z.object({ start: z.number(), end: z.number(), intervalsMs: z.array(z.number()) }).nullable(),
  alerts: z.array(AlertViewSchema),
  /** Alert instances beyond the ones listed (only the first 50 are kept). */
  alertsTruncated: z.number().int(),
  /** Errors while evaluating (first few), e.g. a template that failed. */
  evaluationErrors: z.array(z.string()),
  incidents: z.array(IncidentDetectionSchema),
  /** Firings that matched no incident worth alerting on (firing on a blip counts here). */
  falseFirings: z.array(
    z.object({ alert: z.string(), severity: z.string().nullable(), firedAt: z.number(), resolvedAt: z.number().nullable() }),
  ),
  /** True firings / all firings; null without firings. */
  precision: z.number().nullable(),
  /** The learner's promtool unit tests; null when the task has none or the rules did not load. */
  unitTests: z
    .object({
      ok: z.boolean(),
      output: z.string(),
      groups: z.array(
        z.object({
          name: z.string(),
          ok: z.boolean(),
          failures: z.array(z.string()),
          /** alert_rule_test and promql_expr_test entries the group evaluated. */
          alertCases: z.number().int(),
          exprCases: z.number().int(),
        }),
      ),
    })
    .nullable(),
});
export type RulesRunResult = z.infer<typeof RulesResultSchema>;

export const GateObjectiveSchema = z.object({
  sli: z.string(),
  displayName: z.string(),
  value: z.number().nullable(),
  comparisonValue: z.number().nullable(),
  status: z.enum(['pass', 'warning', 'fail', 'info']),
  score: z.number(),
  weight: z.number(),
  keySli: z.boolean(),
  criteria: z.array(z.object({ text: z.string(), met: z.boolean(), target: z.number().nullable() })),
  error: z.string().optional(),
});

export const GateBuildResultSchema = z.object({
  label: z.string(),
  role: z.enum(['baseline', 'good', 'regressed']),
  start: z.number(),
  end: z.number(),
  /** null when the files did not load or the evaluation failed (see `issues`). */
  result: z.enum(['pass', 'warning', 'fail']).nullable(),
  score: z.number().nullable(),
  objectives: z.array(GateObjectiveSchema),
  indicators: z.record(z.string(), z.number().nullable()),
  issues: z.array(FileIssueSchema),
});
export type GateBuildResult = z.infer<typeof GateBuildResultSchema>;

export const QualityGateResultSchema = z.object({ builds: z.array(GateBuildResultSchema) });
export type QualityGateRunResult = z.infer<typeof QualityGateResultSchema>;

/** A graded choice of a cluster task (triage, cause): what was chosen and the explanation shown after. */
export const ClusterChoiceResultSchema = z.object({ chosen: z.string(), pass: z.boolean(), explanation: z.string() });

/** A cluster task's result: the four graded parts (ADR 019); the task passes when all four do. */
export const ClusterResultSchema = z.object({
  triage: ClusterChoiceResultSchema,
  cause: ClusterChoiceResultSchema,
  evidence: z.object({
    query: z.string(),
    /** Evaluation time: the end of the focus window, epoch ms. */
    time: z.number(),
    outcome: QueryOutcomeSchema,
    pass: z.boolean(),
    message: z.string(),
  }),
  remediation: z.object({
    chosen: z.string(),
    /** The SLI averaged over the focus window, on the incident and on the re-run with the remedy (null: no data). */
    sloBefore: z.number().nullable(),
    sloAfter: z.number().nullable(),
    sloHeld: z.boolean(),
    pass: z.boolean(),
    explanation: z.string(),
  }),
  /** The simulator's digests of the two runs (the remedy's is null when it could not run). */
  simulation: z.object({
    incident: z.string(),
    remedy: z.string().nullable(),
    series: z.number().int(),
    samples: z.number().int(),
  }),
});
export type ClusterRunResult = z.infer<typeof ClusterResultSchema>;
