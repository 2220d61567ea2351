// Stored lab runs and what they mean for a learner: which tasks passed (server-verified only).
import type { K6TaskOutcome, TaskOutcome } from '../../../labs/runtime/lab/run-task.ts';
import { db } from '../../lib/server/db.server.ts';

export async function storeLabRun(input: {
  userId: string;
  outcome: TaskOutcome;
  code: string;
  answer: string | null;
  /** The other editors' texts of a telemetry task. */
  files?: Record<string, string>;
  clientDigest: string;
  verified: boolean;
  verifyMs: number;
}): Promise<string> {
  const id = crypto.randomUUID();
  const { outcome } = input;
  await db().labRun.create({
    data: {
      id,
      userId: input.userId,
      labId: outcome.labId,
      labVersion: outcome.labVersion,
      taskId: outcome.taskId,
      seed: outcome.seed,
      code: storedCode(input.code, input.files),
      answer: input.answer,
      summary: JSON.stringify(summarise(outcome)),
      message: outcome.verdict.message,
      passed: input.verified && outcome.verdict.pass,
      verified: input.verified,
      clientDigest: input.clientDigest,
      serverDigest: outcome.digest,
      verifyMs: input.verifyMs,
    },
  });
  return id;
}

/**
 * The code column: a k6 script as it was; a telemetry task's editors as JSON `{ code, files }`, so
 * a stored run can be re-run exactly (the column has held plain scripts since the first LabRun).
 */
function storedCode(code: string, files: Record<string, string> | undefined): string {
  return files && Object.keys(files).length > 0 ? JSON.stringify({ code, files }) : code;
}

/**
 * What a LabRun keeps of an outcome: for k6, the per-run figures the evidence page shows (the
 * shape stored since the first LabRun); for the telemetry kinds, an object naming its kind.
 */
export function summarise(outcome: TaskOutcome): unknown {
  switch (outcome.kind) {
    case 'k6':
      return summariseK6(outcome);
    case 'promql':
      return {
        kind: 'promql',
        datasetDigest: outcome.datasetDigest,
        time: outcome.promql.time,
        queries: outcome.promql.queries.map(({ name, outcome: result }) => ({
          name,
          ok: result.ok,
          ...(result.ok
            ? { resultType: result.value.resultType, seriesCount: result.seriesCount, samples: result.samples }
            : { error: result.error.message }),
        })),
      };
    case 'rules':
      return {
        kind: 'rules',
        datasetDigest: outcome.datasetDigest,
        precision: outcome.rules.precision,
        incidents: outcome.rules.incidents.map((i) => ({ name: i.name, detections: i.detections })),
        falseFirings: outcome.rules.falseFirings.length,
        unitTests: outcome.rules.unitTests ? { ok: outcome.rules.unitTests.ok, groups: outcome.rules.unitTests.groups.length } : null,
      };
    case 'quality-gate':
      return {
        kind: 'quality-gate',
        datasetDigest: outcome.datasetDigest,
        builds: outcome.gate.builds.map((b) => ({ label: b.label, role: b.role, result: b.result, score: b.score })),
      };
    case 'cluster':
      // The four graded parts and the SLO before/after; the evidence's value view stays out (the
      // run can be re-run exactly from the stored code, files and seed).
      return {
        kind: 'cluster',
        simulation: outcome.simulation,
        triage: { chosen: outcome.triage.chosen, pass: outcome.triage.pass },
        cause: { chosen: outcome.cause.chosen, pass: outcome.cause.pass },
        evidence: {
          pass: outcome.evidence.pass,
          time: outcome.evidence.time,
          ok: outcome.evidence.outcome.ok,
          ...(outcome.evidence.outcome.ok
            ? { resultType: outcome.evidence.outcome.value.resultType, seriesCount: outcome.evidence.outcome.seriesCount }
            : { error: outcome.evidence.outcome.error.message }),
        },
        remediation: {
          chosen: outcome.remediation.chosen,
          pass: outcome.remediation.pass,
          sloBefore: outcome.remediation.sloBefore,
          sloAfter: outcome.remediation.sloAfter,
          sloHeld: outcome.remediation.sloHeld,
        },
      };
  }
}

function summariseK6(outcome: K6TaskOutcome) {
  return outcome.runs.map(({ label, result }) => ({
    label,
    exitCode: result.exitCode,
    requests: result.requests,
    iterations: result.iterations,
    droppedIterations: result.droppedIterations,
    virtualDurationMs: result.virtualDurationMs,
    error: result.error,
    thresholds: result.thresholds,
    checks: result.checks,
    scenarios: result.scenarios,
  }));
}

/** Task ids with a server-verified pass, per lab, for the current lab versions. */
export async function passedTasks(userId: string, versions: ReadonlyMap<string, number>): Promise<Map<string, Set<string>>> {
  const rows = await db().labRun.findMany({
    where: { userId, passed: true, verified: true },
    select: { labId: true, labVersion: true, taskId: true },
  });
  const passed = new Map<string, Set<string>>();
  for (const row of rows) {
    if (versions.get(row.labId) !== row.labVersion) continue;
    const tasks = passed.get(row.labId) ?? new Set<string>();
    tasks.add(row.taskId);
    passed.set(row.labId, tasks);
  }
  return passed;
}
