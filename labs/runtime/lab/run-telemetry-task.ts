// Runs one task of a telemetry kind (promql, rules, quality-gate) on the lab's telemetry for the
// seed, or a cluster task on its simulated cluster (ADR 019). Separate from run-task.ts so that it loads without the k6 sandbox (QuickJS): the Chromium
// determinism test bundles exactly this code.
import type { ClusterTask, Lab, TelemetryTask } from './definition.ts';
import { digestOf } from './digest.ts';
import { runClusterTask } from './kinds/cluster.ts';
import { runPromqlTask } from './kinds/promql.ts';
import { runQualityGateTask } from './kinds/quality-gate.ts';
import { runRulesTask } from './kinds/rules.ts';
import { labTelemetry } from './kinds/telemetry-cache.ts';
import { LAB_MAX_SAMPLES, LAB_QUERY_TIMEOUT_MS } from './limits.ts';
import type { RunTaskOptions, TelemetryTaskOutcome } from './run-task.ts';

export function runTelemetryTask(
  lab: Lab,
  task: TelemetryTask | ClusterTask,
  code: string,
  seed: number,
  answer: string | null,
  options: Pick<RunTaskOptions, 'files' | 'queryTimeoutMs'> = {},
): TelemetryTaskOutcome {
  const taskId = task.id;
  const common = { labId: lab.id, labVersion: lab.version, taskId, seed };
  if (task.kind === 'cluster') {
    const queryOptions = { timeoutMs: options.queryTimeoutMs ?? LAB_QUERY_TIMEOUT_MS, maxSamples: LAB_MAX_SAMPLES };
    const { cluster, verdict } = runClusterTask(lab, task, code, options.files ?? {}, seed, queryOptions);
    return { ...common, kind: 'cluster', ...cluster, verdict, digest: digestOf({ kind: task.kind, ...cluster, verdict }) };
  }
  const telemetry = labTelemetry(lab, seed);
  const files = options.files ?? {};
  const queryOptions = { timeoutMs: options.queryTimeoutMs ?? LAB_QUERY_TIMEOUT_MS, maxSamples: LAB_MAX_SAMPLES };
  const datasetDigest = telemetry.digest;
  switch (task.kind) {
    case 'promql': {
      const { promql, verdict } = runPromqlTask(task, telemetry, code, files, answer, queryOptions);
      return {
        ...common,
        kind: 'promql',
        datasetDigest,
        promql,
        verdict,
        digest: digestOf({ kind: task.kind, datasetDigest, promql, verdict }),
      };
    }
    case 'rules': {
      const { rules, verdict } = runRulesTask(task, telemetry, code, files, answer, queryOptions);
      return {
        ...common,
        kind: 'rules',
        datasetDigest,
        rules,
        verdict,
        digest: digestOf({ kind: task.kind, datasetDigest, rules, verdict }),
      };
    }
    case 'quality-gate': {
      const { gate, verdict } = runQualityGateTask(task, telemetry, code, files, answer, queryOptions);
      return {
        ...common,
        kind: 'quality-gate',
        datasetDigest,
        gate,
        verdict,
        digest: digestOf({ kind: task.kind, datasetDigest, gate, verdict }),
      };
    }
  }
}
