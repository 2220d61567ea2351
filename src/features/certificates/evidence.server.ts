// The public page of a lab run that a certificate cites as evidence: what the server re-ran and
// what it found (k6: thresholds, checks, counts; PromQL, rules and quality-gate tasks: what the
// evaluation found). Only runs the certificate cites are shown, and never the learner's script,
// query or files, so lab answers stay private.
import { z } from 'zod';
import { findLab } from '../../../labs/registry.ts';
import { db } from '../../lib/server/db.server.ts';
import { evidencePath, findCertificate, type PublicCertificate } from './certificates.server.ts';

// What the lab feature stores per run of a task (see storeLabRun); only the fields shown here.
const StoredRunSummarySchema = z.array(
  z.object({
    label: z.string(),
    exitCode: z.number(),
    requests: z.number(),
    iterations: z.number(),
    droppedIterations: z.number(),
    virtualDurationMs: z.number(),
    thresholds: z.object({
      ok: z.boolean(),
      metrics: z.array(
        z.object({
          metric: z.string(),
          ok: z.boolean(),
          thresholds: z.array(z.object({ expression: z.string(), ok: z.boolean(), actual: z.number().nullable() })),
        }),
      ),
    }),
    checks: z.array(z.object({ name: z.string(), passes: z.number(), fails: z.number() })),
  }),
);
export type RunSummary = z.infer<typeof StoredRunSummarySchema>[number];

// The summaries of the telemetry task kinds (see summarise in lab-runs.server.ts).
const StoredTelemetrySummarySchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('promql'),
    datasetDigest: z.string(),
    time: z.number(),
    queries: z.array(
      z.object({
        name: z.string(),
        ok: z.boolean(),
        resultType: z.string().optional(),
        seriesCount: z.number().optional(),
        error: z.string().optional(),
      }),
    ),
  }),
  z.object({
    kind: z.literal('rules'),
    datasetDigest: z.string(),
    precision: z.number().nullable(),
    incidents: z.array(
      z.object({
        name: z.string(),
        detections: z.array(z.object({ alert: z.string(), severity: z.string().nullable().optional(), detectionMs: z.number() })),
      }),
    ),
    falseFirings: z.number(),
    unitTests: z.object({ ok: z.boolean(), groups: z.number() }).nullable(),
  }),
  z.object({
    kind: z.literal('quality-gate'),
    datasetDigest: z.string(),
    builds: z.array(z.object({ label: z.string(), role: z.string(), result: z.string().nullable(), score: z.number().nullable() })),
  }),
  // A cluster diagnosis (ADR 019): the parts' passes and the SLO before and after the remediation;
  // the chosen options are answers and stay private like queries.
  z.object({
    kind: z.literal('cluster'),
    simulation: z.object({ incident: z.string(), remedy: z.string().nullable(), series: z.number(), samples: z.number() }),
    triage: z.object({ pass: z.boolean() }),
    cause: z.object({ pass: z.boolean() }),
    evidence: z.object({ pass: z.boolean() }),
    remediation: z.object({ pass: z.boolean(), sloBefore: z.number().nullable(), sloAfter: z.number().nullable(), sloHeld: z.boolean() }),
  }),
]);
export type TelemetrySummary = z.infer<typeof StoredTelemetrySummarySchema>;

export interface LabRunEvidence {
  certificate: PublicCertificate;
  runId: string;
  labTitle: string;
  taskTitle: string;
  labHref: string;
  submittedAt: Date;
  seed: number;
  serverDigest: string;
  message: string;
  /** The k6 runs (k6 tasks), else empty. */
  runs: RunSummary[];
  /** What the evaluation found (PromQL, rules, quality-gate and cluster tasks), else null. */
  evaluation: TelemetrySummary | null;
}

export async function findLabRunEvidence(certificateId: string, runId: string): Promise<LabRunEvidence | null> {
  const certificate = await findCertificate(certificateId);
  const path = evidencePath(certificateId, runId);
  if (!certificate?.evidence.some((e) => e.id === path)) return null;
  const run = await db().labRun.findUnique({
    where: { id: runId },
    select: {
      labId: true,
      taskId: true,
      seed: true,
      summary: true,
      message: true,
      serverDigest: true,
      submittedAt: true,
      passed: true,
      verified: true,
    },
  });
  if (!run?.passed || !run.verified) return null;
  const lab = findLab(run.labId);
  const task = lab?.tasks.find((t) => t.id === run.taskId);
  let stored: unknown;
  try {
    stored = JSON.parse(run.summary);
  } catch {
    stored = [];
  }
  const summary = StoredRunSummarySchema.safeParse(stored);
  const evaluation = StoredTelemetrySummarySchema.safeParse(stored);
  return {
    certificate,
    runId,
    labTitle: lab?.title ?? run.labId,
    taskTitle: task?.title ?? run.taskId,
    labHref: `/labs/${run.labId}/#task-${run.taskId}`,
    submittedAt: run.submittedAt,
    seed: run.seed,
    serverDigest: run.serverDigest,
    message: run.message,
    runs: summary.success ? summary.data : [],
    evaluation: evaluation.success ? evaluation.data : null,
  };
}
