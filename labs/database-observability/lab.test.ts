// The database observability lab against its own claims (ADR 019), for several run seeds: every
// incident breaks the read SLO; re-running it with the right remediation makes the SLO hold and
// with every other one it does not; each task's reference evidence passes, and the plausible
// wrong queries (everything at once, the wrong signal, the wrong ratio, no history) fail with the
// message that explains them. Nothing here pins a simulated value or a digest: the simulator's
// random draws may change (ADR 018); the properties must not.
import { describe, expect, it } from 'vitest';
import { checkTaskInput } from '../runtime/lab/check-input.ts';
import type { ClusterTask } from '../runtime/lab/definition.ts';
import { sliOverFocus, sloHolds } from '../runtime/lab/kinds/cluster.ts';
import { clusterRun } from '../runtime/lab/kinds/cluster-runs.ts';
import type { ClusterTaskOutcome } from '../runtime/lab/run-task.ts';
import { runTelemetryTask } from '../runtime/lab/run-telemetry-task.ts';
import { instantQuery } from '../runtime/promql/index.ts';
import { replicaShardsOf } from './graders.ts';
import lab from './lab.ts';
import { INCIDENTS } from './scenarios.ts';

const SEEDS = [1, 2, 3];

interface Case {
  /** The right triage and cause option ids. */
  triage: string;
  cause: string;
  /** Evidence that passes. */
  evidence: string[];
  /** Evidence that fails, and what its message must say. */
  wrong: [string, RegExp][];
}

const CASES: Record<string, Case> = {
  'hot-partition': {
    triage: 'per-shard-load',
    cause: 'hot-partition',
    evidence: ['topk(3, sum by (instance, shard) (rate(scylla_database_total_reads[5m])))', 'topk(3, rate(scylla_cql_reads[5m]))'],
    wrong: [
      ['rate(scylla_database_total_reads[5m])', /returns 16 shards.*does not isolate/],
      ['sum by (instance) (rate(scylla_database_total_reads[5m]))', /without both instance and shard/],
      ['topk(3, sum by (instance, shard) (rate(scylla_database_total_writes[5m])) * 0 + 1)', /is not where the trouble is/],
    ],
  },
  'overloaded-node': {
    triage: 'per-node-latency',
    cause: 'slow-node',
    evidence: [
      'topk(1, histogram_quantile(0.5, sum by (instance, le) (rate(scylla_storage_proxy_coordinator_read_latency_bucket[5m]))))',
      'topk(1, avg by (instance) (scylla_scheduler_queue_length))',
    ],
    wrong: [
      [
        'histogram_quantile(0.5, sum by (instance, le) (rate(scylla_storage_proxy_coordinator_read_latency_bucket[5m])))',
        /returns 4 nodes/,
      ],
      ['bottomk(1, avg by (instance) (scylla_scheduler_queue_length))', /is not the node that is slow.*median/],
      ['sum(rate(scylla_cql_reads[5m]))', /without an instance label/],
    ],
  },
  'unprepared-statements': {
    triage: 'cql-optimisation',
    cause: 'unprepared',
    evidence: [
      'sum(rate(scylla_transport_query_requests[5m])) / (sum(rate(scylla_transport_query_requests[5m])) + sum(rate(scylla_transport_execute_requests[5m])))',
      'rate(scylla_transport_query_requests[5m]) / (rate(scylla_transport_query_requests[5m]) + rate(scylla_transport_execute_requests[5m]))',
    ],
    wrong: [
      ['sum(rate(scylla_transport_query_requests[5m])) / sum(rate(scylla_transport_execute_requests[5m]))', /QUERY per EXECUTE/],
      ['vector(0.8)', /does not use it/],
    ],
  },
  'compaction-storm': {
    triage: 'storage',
    cause: 'compaction',
    evidence: [
      'sum(rate(scylla_scheduler_runtime_ms{group="compaction"}[5m])) / sum(rate(scylla_scheduler_runtime_ms[5m]))',
      'sum by (instance) (rate(scylla_scheduler_runtime_ms{group="compaction"}[5m])) / sum by (instance) (rate(scylla_scheduler_runtime_ms[5m]))',
    ],
    wrong: [
      ['rate(scylla_scheduler_runtime_ms{group="compaction"}[5m])', /share of the CPU time is/],
      ['sum(rate(scylla_compaction_manager_completed_compactions[5m]))', /does not use it/],
    ],
  },
  tombstones: {
    triage: 'storage',
    cause: 'tombstones',
    evidence: ['sum(rate(scylla_cache_row_tombstone_reads[5m])) / sum(rate(scylla_cql_rows_read[5m]))'],
    wrong: [
      ['sum(rate(scylla_cache_row_tombstone_reads[5m]))', /tombstones read per row returned is/],
      ['sum(rate(scylla_cql_rows_read[5m]))', /does not use it/],
    ],
  },
  'nightly-batch': {
    triage: 'history',
    cause: 'batch-job',
    evidence: [
      'sum(rate(scylla_cache_row_misses[5m])) / sum(rate(scylla_cache_row_misses[5m] offset 1d))',
      'sum(rate(scylla_cql_rows_read[5m])) - sum(rate(scylla_cql_rows_read[5m] offset 1d))',
    ],
    wrong: [
      ['sum(rate(scylla_cache_row_misses[5m]))', /looks at now only/],
      ['sum(rate(scylla_cache_row_misses[5m])) / sum(rate(scylla_cache_row_misses[5m] offset 1h))', /does not land on the same time/],
      ['sum(rate(scylla_cache_row_misses[5m] offset 1d))', /reads only the past/],
      ['sum(rate(scylla_cache_row_misses[5m])) / sum(rate(scylla_cache_row_misses[5m] offset 1w))', /days of history/],
    ],
  },
};

const tasks = lab.tasks as ClusterTask[];

function submit(task: ClusterTask, seed: number, code: string, choices: { triage: string; cause: string; remedy: string }) {
  const outcome = runTelemetryTask(lab, task, code, seed, null, { files: choices });
  if (outcome.kind !== 'cluster') throw new Error('not a cluster outcome');
  return outcome as ClusterTaskOutcome;
}

describe('the database observability lab', () => {
  it('has six cluster tasks, each with its incident, one right remedy among 3–5, and the shared read SLO', () => {
    expect(tasks.map((t) => t.kind)).toEqual(Array(6).fill('cluster'));
    for (const task of tasks) {
      const spec = INCIDENTS[task.id as keyof typeof INCIDENTS];
      expect(spec, task.id).toBeDefined();
      expect(task.remediations.length).toBeGreaterThanOrEqual(3);
      expect(task.remediations.map((r) => r.id)).toContain(spec.right);
      expect(CASES[task.id]).toBeDefined();
      // Each case's right answers are options of the task (so the table above cannot drift).
      expect(task.triage.options.map((o) => o.id)).toContain(CASES[task.id]?.triage);
      expect(task.cause.options.map((o) => o.id)).toContain(CASES[task.id]?.cause);
    }
  });

  describe.each(tasks.map((t) => [t.id, t] as const))('%s', (_id, task) => {
    const spec = INCIDENTS[task.id as keyof typeof INCIDENTS];
    const c = CASES[task.id] as Case;

    it.each(SEEDS)(
      'breaks the SLO, holds it only with the right remedy, and grades the evidence by its result (seed %i)',
      (seed) => {
        const right = { triage: c.triage, cause: c.cause, remedy: spec.right };
        // The full diagnosis passes.
        const good = submit(task, seed, c.evidence[0] as string, right);
        expect(good.remediation.sloBefore).not.toBeNull();
        expect(sloHolds(task, good.remediation.sloBefore)).toBe(false);
        expect(good.remediation.sloHeld).toBe(true);
        expect(good.verdict, good.verdict.message).toMatchObject({ pass: true });
        expect([good.triage.pass, good.cause.pass, good.evidence.pass, good.remediation.pass]).toEqual([true, true, true, true]);
        for (const query of c.evidence.slice(1)) {
          const other = submit(task, seed, query, right);
          expect(other.evidence.pass, `${query}: ${other.evidence.message}`).toBe(true);
        }
        for (const [query, message] of c.wrong) {
          const wrong = submit(task, seed, query, right);
          expect(wrong.evidence.pass, query).toBe(false);
          expect(wrong.evidence.message).toMatch(message);
          expect(wrong.verdict.pass).toBe(false);
        }
        // Every other remedy re-runs the cluster and the SLO still breaks.
        const incident = clusterRun(lab, task, 'incident', seed);
        if (!incident.ok) throw new Error(incident.error);
        const start = incident.run.scenario.startMs + task.focus.fromMs;
        const end = incident.run.scenario.startMs + task.focus.toMs;
        for (const remedy of task.remediations.filter((r) => r.id !== spec.right)) {
          const run = clusterRun(lab, task, remedy.id, seed);
          if (!run.ok) throw new Error(run.error);
          const sli = sliOverFocus(run.run, task.slo.query, start, end, {});
          expect(sloHolds(task, sli), `${remedy.id}: SLI ${sli}`).toBe(false);
        }
      },
      120_000,
    );
  });

  it('explains a wrong triage, cause and remedy, and fails the task on any one of them', () => {
    const task = tasks.find((t) => t.id === 'hot-partition') as ClusterTask;
    const evidence = CASES['hot-partition']?.evidence[0] as string;
    const outcome = submit(task, 1, evidence, { triage: 'per-node-latency', cause: 'slow-node', remedy: 'add-nodes' });
    expect(outcome.verdict.pass).toBe(false);
    expect(outcome.verdict.message).toMatch(/^Not yet \(triage, cause, remediation\)/);
    expect(outcome.triage).toMatchObject({ chosen: 'per-node-latency', pass: false });
    expect(outcome.triage.explanation).toMatch(/per-node views average the hot shard/);
    expect(outcome.cause.explanation).toMatch(/A slow node shows as one instance/);
    expect(outcome.remediation).toMatchObject({ chosen: 'add-nodes', pass: false, sloHeld: false });
    expect(outcome.remediation.explanation).toMatch(/stays on its three replica shards/);
    expect(outcome.evidence.pass).toBe(true);
  });

  it('gives the same outcome and digest for the same submission, and another one for another seed', () => {
    const task = tasks.find((t) => t.id === 'tombstones') as ClusterTask;
    const choices = { triage: 'storage', cause: 'tombstones', remedy: 'bigger-cache' };
    const query = CASES['tombstones']?.evidence[0] as string;
    const first = submit(task, 5, query, choices);
    // Another seed in between evicts the cached runs, so the third run simulates again.
    const other = submit(task, 6, query, choices);
    const again = submit(task, 5, query, choices);
    expect(again.digest).toBe(first.digest);
    expect(again).toEqual(first);
    expect(other.digest).not.toBe(first.digest);
    expect(other.simulation.incident).not.toBe(first.simulation.incident);
  });

  it('puts the hot partition where the ring says, and measures the unprepared fraction the workload sends', () => {
    const hot = tasks.find((t) => t.id === 'hot-partition') as ClusterTask;
    for (const seed of [11, 12]) {
      const run = clusterRun(lab, hot, 'incident', seed);
      if (!run.ok) throw new Error(run.error);
      const replicas = replicaShardsOf(run.run.scenario, 0);
      const result = instantQuery(run.run.db, 'topk(3, rate(scylla_database_total_reads[5m]))', run.run.end);
      if (!result.ok || result.value.resultType !== 'vector') throw new Error('query failed');
      const top = result.value.result.map((s) => `${s.metric['instance']}/${s.metric['shard']}`).sort();
      expect(top).toEqual(replicas.map((r) => `${r.instance}/${r.shard}`).sort());
    }
    const unprepared = tasks.find((t) => t.id === 'unprepared-statements') as ClusterTask;
    const run = clusterRun(lab, unprepared, 'incident', 11);
    if (!run.ok) throw new Error(run.error);
    const ratio = instantQuery(
      run.run.db,
      'sum(increase(scylla_transport_query_requests[1h])) / (sum(increase(scylla_transport_query_requests[1h])) + sum(increase(scylla_transport_execute_requests[1h])))',
      run.run.end,
    );
    if (!ratio.ok || ratio.value.resultType !== 'vector') throw new Error('query failed');
    expect(ratio.value.result[0]?.v).toBeCloseTo(1 - (run.run.scenario.workload.preparedFraction ?? 1), 1);
  });

  it('refuses unknown option ids, missing choices and unparseable evidence before anything runs', () => {
    const task = tasks[0] as ClusterTask;
    expect(checkTaskInput(task, 'topk(3, up)', { triage: 'per-shard-load', cause: 'hot-partition', remedy: 'bucket-key' })).toEqual([]);
    const issues = checkTaskInput(task, 'topk(3, ', { triage: 'nope', cause: 'hot-partition', extra: 'x' });
    expect(issues.map((i) => i.path).sort()).toEqual(['code', 'files.extra', 'files.remedy', 'files.triage']);
    expect(issues.find((i) => i.path === 'files.triage')?.message).toMatch(/"nope" is not one of this task's options/);
    expect(issues.find((i) => i.path === 'files.remedy')?.message).toMatch(/choose one of: bucket-key/);
  });
});
