// The cluster task kind's runtime (ADR 019) on a tiny fixture lab: definitions are checked (option
// ids, remediation patches, focus), a patch deep-merges, runs are seeded and cached (two at most),
// the worker's query/telemetry/scenario answers work on a task's simulated cluster, a scenario over
// the limits is refused with the simulator's message, and outcomes parse with the workbench's schemas.
import { describe, expect, it } from 'vitest';
import { ScenarioReplySchema, TaskOutcomeViewSchema, WorkerReplySchema } from '../../../../src/features/labs/workbench-messages.ts';
import { type ClusterTask, defineLab, LabDefinitionError, mergeScenario } from '../definition.ts';
import { describeScenario, describeTelemetry, exploreQuery } from '../explore.ts';
import { WorkerRequestSchema } from '../messages.ts';
import { runTelemetryTask } from '../run-telemetry-task.ts';
import { CLUSTER_CACHE_SIZE, clearClusterRuns, clusterRun, hasClusterRun, mixSeed } from './cluster-runs.ts';

const MINUTE = 60_000;

function fixtureTask(overrides: Partial<ClusterTask> = {}): ClusterTask {
  return {
    kind: 'cluster',
    id: 'tiny',
    title: 'A tiny incident',
    goal: 'Find what is wrong with this two-node cluster.',
    starter: '# evidence query\n',
    hint: 'Look at the shards.',
    editorLabel: 'Evidence query',
    slo: {
      name: 'Reads within 10 ms',
      description: 'Reads answered within 10 ms, of all reads.',
      query:
        'sum(rate(cql_client_request_duration_seconds_bucket{op="read",le="0.01"}[2m])) / sum(rate(cql_client_requests_total{op="read"}[2m]))',
      objective: 0.99,
      comparison: '>=',
      unit: 'ratio',
    },
    scenario: {
      seed: 9,
      durationMs: 10 * MINUTE,
      requestsPerWindow: 16,
      topology: { nodes: 2, shardsPerNode: 2, vnodes: 4, replicationFactor: 2 },
      workload: { ratePerSecond: 1_000, partitions: 1_000 },
    },
    focus: { fromMs: 5 * MINUTE, toMs: 10 * MINUTE },
    triage: {
      question: 'Which signal do you look at first?',
      options: [
        { id: 'shards', label: 'Per shard' },
        { id: 'nodes', label: 'Per node' },
      ],
    },
    cause: {
      question: 'What is the root cause here?',
      options: [
        { id: 'none', label: 'Nothing' },
        { id: 'load', label: 'Too much load' },
      ],
    },
    remediations: [
      { id: 'keep', label: 'Change nothing', patch: {} },
      { id: 'slow-reads', label: 'Make reads 100 times costlier', patch: { storage: { readCpuMsPerRow: 3 } } },
      { id: 'two-shards', label: 'Four shards per node', patch: { topology: { shardsPerNode: 4 } } },
    ],
    grade: (input) => ({
      triage: { pass: input.choices.triage === 'shards', explanation: 'shards first' },
      cause: { pass: input.choices.cause === 'none', explanation: 'nothing is wrong' },
      evidence: { pass: input.evidence.result.ok, message: input.evidence.result.ok ? 'it ran' : 'it failed' },
      remediation: { pass: input.choices.remedy === 'keep', explanation: 'keep it' },
    }),
    ...overrides,
  };
}

function fixtureLab(task: ClusterTask = fixtureTask(), id = 'tiny-cluster') {
  return defineLab({
    id,
    title: 'Tiny cluster',
    version: 3,
    module: 'database-observability',
    summary: 'A two-node cluster for the runtime tests of the cluster kind.',
    objectives: ['Exercise the cluster task kind', 'Check the worker answers'],
    baseUrl: 'http://tiny.test',
    tasks: [task],
  });
}

const lab = fixtureLab();
const task = lab.tasks[0] as ClusterTask;
const choices = { triage: 'shards', cause: 'none', remedy: 'keep' };

describe('cluster task definitions', () => {
  it('accept a valid task and refuse duplicate option ids, invalid patches and a focus past the end', () => {
    expect(lab.tasks).toHaveLength(1);
    const refused = (overrides: Partial<ClusterTask>, message: RegExp) =>
      expect(() => fixtureLab(fixtureTask(overrides))).toThrow(
        expect.objectContaining({ name: LabDefinitionError.name, message: expect.stringMatching(message) }),
      );
    refused(
      {
        triage: {
          question: 'Which signal do you look at first?',
          options: [
            { id: 'a', label: 'One' },
            { id: 'a', label: 'Two' },
          ],
        },
      },
      /triage ids must be unique/,
    );
    refused(
      { remediations: [...task.remediations, { id: 'bad', label: 'No nodes', patch: { topology: { nodes: 0 } } }] },
      /remediation "bad"/,
    );
    refused(
      { remediations: [...task.remediations, { id: 'longer', label: 'Longer', patch: { durationMs: 20 * MINUTE } }] },
      /must not change durationMs/,
    );
    refused({ focus: { fromMs: 0, toMs: 20 * MINUTE } }, /focus.toMs is after the scenario ends/);
    refused({ remediations: [task.remediations[0] as ClusterTask['remediations'][number]] }, /remediations/);
  });

  it('deep-merges a patch: objects key by key, arrays and values replaced, the base untouched', () => {
    const base = { ...task.scenario, faults: [{ kind: 'slow-node' as const, node: 1, factor: 2, fromMs: 0, toMs: MINUTE }] };
    const merged = mergeScenario(base, { topology: { nodes: 3 }, faults: [] });
    expect(merged.topology).toEqual({ nodes: 3, shardsPerNode: 2, vnodes: 4, replicationFactor: 2 });
    expect(merged.faults).toEqual([]);
    expect(merged.workload).toEqual(base.workload);
    expect(base.topology.nodes).toBe(2);
    expect(base.faults).toHaveLength(1);
  });
});

describe('cluster runs', () => {
  it('mix the scenario seed with the run seed, apply the variant’s patch and repeat bit for bit', () => {
    clearClusterRuns();
    const a = clusterRun(lab, task, 'incident', 1);
    const b = clusterRun(lab, task, 'incident', 2);
    if (!a.ok || !b.ok) throw new Error('simulation failed');
    expect(a.run.scenario.seed).toBe(mixSeed(9, 1));
    expect(b.run.scenario.seed).not.toBe(a.run.scenario.seed);
    expect(b.run.digest).not.toBe(a.run.digest);
    const patched = clusterRun(lab, task, 'two-shards', 1);
    if (!patched.ok) throw new Error('simulation failed');
    expect(patched.run.scenario.topology.shardsPerNode).toBe(4);
    expect(patched.run.scenario.seed).toBe(a.run.scenario.seed);
    clearClusterRuns();
    const again = clusterRun(lab, task, 'incident', 1);
    expect(again.ok && again.run.digest).toBe(a.run.digest);
    expect(again.ok && again.cached).toBe(false);
  });

  it(`keep at most ${CLUSTER_CACHE_SIZE} runs, the most recently used`, () => {
    clearClusterRuns();
    clusterRun(lab, task, 'incident', 1);
    clusterRun(lab, task, 'keep', 1);
    expect(clusterRun(lab, task, 'incident', 1)).toMatchObject({ ok: true, cached: true });
    clusterRun(lab, task, 'slow-reads', 1);
    expect(hasClusterRun(lab, task, 'incident', 1)).toBe(true);
    expect(hasClusterRun(lab, task, 'keep', 1)).toBe(false);
    expect(hasClusterRun(lab, task, 'slow-reads', 1)).toBe(true);
  });

  it('refuse an unknown variant and a scenario over the limits with a clear message', () => {
    expect(clusterRun(lab, task, 'reboot', 1)).toEqual({ ok: false, error: 'task "tiny" has no remediation "reboot"' });
    const huge = fixtureLab(
      fixtureTask({
        scenario: {
          ...task.scenario,
          durationMs: 31 * 86_400_000,
          topology: { nodes: 32, shardsPerNode: 64, vnodes: 4, replicationFactor: 3 },
        },
        focus: { fromMs: 0, toMs: MINUTE },
      }),
      // Runs are cached by lab id and version (a lab bumps its version when a scenario changes).
      'huge-cluster',
    );
    const hugeTask = huge.tasks[0] as ClusterTask;
    const refused = clusterRun(huge, hugeTask, 'incident', 1);
    expect(refused.ok).toBe(false);
    expect(refused.ok ? '' : refused.error).toMatch(/samples, above the limit of 40,000,000/);
    const reply = describeScenario(huge, { type: 'scenario', labId: huge.id, taskId: 'tiny', variant: 'incident', seed: 1 });
    expect(ScenarioReplySchema.parse(reply)).toMatchObject({ ok: false, error: expect.stringMatching(/above the limit/) });
    const outcome = runTelemetryTask(huge, hugeTask, 'up', 1, null, { files: choices });
    expect(outcome.verdict).toMatchObject({ pass: false, message: expect.stringMatching(/could not be simulated.*above the limit/) });
  });
});

describe('the worker’s answers on a cluster task', () => {
  it('parse query, telemetry and scenario messages with the task and variant', () => {
    expect(WorkerRequestSchema.parse({ type: 'scenario', labId: 'x', taskId: 'tiny', seed: 1 })).toMatchObject({ variant: 'incident' });
    expect(
      WorkerRequestSchema.parse({ type: 'query', id: 1, labId: 'x', seed: 1, query: 'up', taskId: 'tiny', variant: 'keep' }),
    ).toMatchObject({
      taskId: 'tiny',
      variant: 'keep',
    });
    expect(WorkerRequestSchema.safeParse({ type: 'telemetry', labId: 'x', seed: 1, taskId: '' }).success).toBe(false);
  });

  it('answer instant queries at the focus end, range queries, and errors for an unknown task', () => {
    const instant = exploreQuery(lab, {
      type: 'query',
      id: 1,
      labId: lab.id,
      seed: 4,
      query: 'sum(scylla_reactor_utilization) >= 0',
      taskId: 'tiny',
    });
    expect(instant).toMatchObject({ ok: true, value: { resultType: 'vector' } });
    const start = task.scenario.startMs ?? Date.UTC(2026, 0, 5);
    if (instant.ok && instant.value.resultType === 'vector') expect(instant.value.result[0]?.t).toBe(start + task.focus.toMs);
    const range = exploreQuery(lab, {
      type: 'query',
      id: 2,
      labId: lab.id,
      seed: 4,
      query: 'rate(scylla_cql_reads[1m])',
      start: start + MINUTE,
      end: start + 10 * MINUTE,
      step: 15_000,
      taskId: 'tiny',
      variant: 'two-shards',
    });
    expect(range).toMatchObject({ ok: true, seriesCount: 8, value: { resultType: 'matrix' } });
    expect(exploreQuery(lab, { type: 'query', id: 3, labId: lab.id, seed: 4, query: 'up', taskId: 'nope' })).toEqual({
      ok: false,
      error: { kind: 'bad_data', message: 'lab "tiny-cluster" has no task "nope"' },
    });
    expect(exploreQuery(lab, { type: 'query', id: 4, labId: lab.id, seed: 4, query: 'rate(', taskId: 'tiny' })).toMatchObject({
      ok: false,
    });
  });

  it('describe the simulated metrics for completion, and the scenario’s span and size', () => {
    const description = describeTelemetry(lab, { type: 'telemetry', labId: lab.id, seed: 4, taskId: 'tiny' });
    const reply = WorkerReplySchema.parse({ type: 'telemetry', ...description });
    expect(reply.type).toBe('telemetry');
    expect(description.metrics.find((m) => m.name === 'scylla_reactor_utilization')).toMatchObject({ type: 'gauge' });
    expect(description.metrics.find((m) => m.name === 'scylla_storage_proxy_coordinator_read_latency')).toMatchObject({
      type: 'histogram',
    });
    expect(description.metrics.every((m) => m.help.length > 10)).toBe(true);
    expect(description.series.length).toBe(description.stats.series);
    const scenario = WorkerReplySchema.parse(
      describeScenario(lab, { type: 'scenario', labId: lab.id, taskId: 'tiny', variant: 'keep', seed: 4 }),
    );
    expect(scenario).toMatchObject({ type: 'scenario', ok: true, stepMs: 15_000, series: description.stats.series });
    expect(scenario.type === 'scenario' && scenario.ok ? scenario.end - scenario.start : 0).toBe(10 * MINUTE - 15_000);
  });
});

describe('a cluster task’s outcome', () => {
  it('parses with the workbench’s schema and passes only when all four parts pass', () => {
    const good = runTelemetryTask(lab, task, 'sum(rate(scylla_cql_reads[1m]))', 4, null, { files: choices });
    expect(TaskOutcomeViewSchema.parse(good)).toMatchObject({ kind: 'cluster' });
    expect(good.verdict.pass).toBe(true);
    const wrongRemedy = runTelemetryTask(lab, task, 'sum(rate(scylla_cql_reads[1m]))', 4, null, {
      files: { ...choices, remedy: 'two-shards' },
    });
    expect(wrongRemedy.verdict).toMatchObject({ pass: false, message: expect.stringMatching(/^Not yet \(remediation\)/) });
    const failing = runTelemetryTask(lab, task, 'rate(', 4, null, { files: choices });
    expect(failing.kind === 'cluster' && failing.evidence.outcome.ok).toBe(false);
    expect(failing.verdict.pass).toBe(false);
  });
});
