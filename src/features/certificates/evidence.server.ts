// The public page of a lab run that a certificate cites as evidence: what the server re-ran and
// what it found (thresholds, checks, counts). Only runs the certificate cites are shown, and never
// the learner's script, so lab answers stay private.
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
  runs: RunSummary[];
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
  };
}
