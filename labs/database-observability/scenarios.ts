// The incidents of the database observability lab (ADR 019): one small ScyllaDB-like cluster
// (4 nodes × 4 shards, RF 3, 20,000 requests/s) and, per task, the one thing that is wrong with
// it, the window where the incident shows, and the remediations a learner can pick. Each remedy
// is a patch of the scenario; the task re-runs the whole scenario with it. Exactly one remedy per
// incident fixes the cause (lab.test.ts re-runs every one of them for several seeds).
//
// The sizes keep a server re-verification (incident + remedy) around a second of CPU: 64
// requests simulated per 15 s window, 6 hours (2 days for the nightly batch, whose evidence is a
// comparison with the night before).
import type { ClusterScenarioInput } from '../runtime/cluster/schema.ts';
import type { ScenarioPatch } from '../runtime/lab/definition.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Monday 5 January 2026, 00:00 UTC: the batch job's 02:00 is a round time. */
export const START_MS = Date.UTC(2026, 0, 5);

/** The healthy cluster every incident starts from. */
export const BASE_SCENARIO = {
  seed: 1,
  startMs: START_MS,
  durationMs: 6 * HOUR,
  requestsPerWindow: 64,
  topology: { nodes: 4, shardsPerNode: 4, vnodes: 16, replicationFactor: 3 },
  workload: { ratePerSecond: 20_000, readFraction: 0.9, partitions: 50_000, rowsPerRead: 2 },
} satisfies ClusterScenarioInput;

/** Reads answered within 10 ms, of all reads sent (timeouts and pool rejections count as bad). */
export const READS_WITHIN_10MS =
  'sum(rate(cql_client_request_duration_seconds_bucket{op="read",le="0.01"}[5m])) / sum(rate(cql_client_requests_total{op="read"}[5m]))';

export const READ_SLO = {
  name: 'Reads within 10 ms',
  description: '99% of the application’s reads are answered within 10 ms, as its driver measures them (timeouts count as slow).',
  query: READS_WITHIN_10MS,
  objective: 0.99,
  comparison: '>=' as const,
  unit: 'ratio',
};

export interface IncidentSpec {
  scenario: ClusterScenarioInput;
  focus: { fromMs: number; toMs: number };
  remediations: { id: string; label: string; patch: ScenarioPatch }[];
  /** The remediation that fixes the cause. */
  right: string;
}

function scenario(seed: number, changes: Partial<ClusterScenarioInput>): ClusterScenarioInput {
  return {
    ...BASE_SCENARIO,
    ...changes,
    seed,
    workload: { ...BASE_SCENARIO.workload, ...(changes.workload ?? {}) },
  } as ClusterScenarioInput;
}

const LAST_HOUR = { fromMs: 5 * HOUR, toMs: 6 * HOUR };

// Remedies that are plausible for many latency incidents and fix none of these causes.
const SPECULATIVE_RETRY = {
  id: 'speculative-retry',
  label: 'Enable speculative retry at the 99th percentile on the table',
  patch: { speculativeRetry: { type: 'percentile', percentile: 99 } },
} as const;
const BIGGER_CACHE = {
  id: 'bigger-cache',
  label: 'Give each shard four times as much row cache',
  patch: { storage: { cacheRowsPerShard: 80_000 } },
} as const;
const LONGER_TIMEOUT = {
  id: 'longer-timeout',
  label: 'Raise the driver’s request timeout from 2 s to 5 s',
  patch: { client: { timeoutMs: 5_000 } },
} as const;
const ADD_NODES = {
  id: 'add-nodes',
  label: 'Add two nodes to the cluster',
  patch: { topology: { nodes: 6 } },
} as const;

/** One celebrity key: Zipf s = 2 puts about 60% of all reads on partition 0 and its three replica shards. */
export const HOT_PARTITION: IncidentSpec = {
  scenario: scenario(101, { workload: { ...BASE_SCENARIO.workload, ratePerSecond: 26_000, popularity: { type: 'zipf', s: 2 } } }),
  focus: LAST_HOUR,
  remediations: [
    {
      id: 'bucket-key',
      label: 'Add a bucket to the partition key so the hottest keys spread over many partitions',
      patch: { workload: { popularity: { type: 'zipf', s: 0.9 } } },
    },
    ADD_NODES,
    BIGGER_CACHE,
    SPECULATIVE_RETRY,
  ],
  right: 'bucket-key',
};

/** The node that is slowed down (a noisy neighbour on its host): 10.0.0.3. */
export const SLOW_NODE = 2;

/** From 03:00 one node does everything four times slower than its peers. */
export const OVERLOADED_NODE: IncidentSpec = {
  scenario: scenario(202, {
    faults: [{ kind: 'slow-node', node: SLOW_NODE, scope: 'all', factor: 4, fromMs: 3 * HOUR, toMs: 6 * HOUR }],
  }),
  focus: { fromMs: 4 * HOUR, toMs: 6 * HOUR },
  remediations: [
    { id: 'replace-node', label: 'Move the noisy neighbour off the slow node’s host (or replace the node)', patch: { faults: [] } },
    SPECULATIVE_RETRY,
    LONGER_TIMEOUT,
    { id: 'more-retries', label: 'Let the driver retry a timed-out request twice', patch: { client: { maxRetries: 2 } } },
  ],
  right: 'replace-node',
};

/** 80% of the statements are sent as plain QUERY text and parsed on every request. */
export const UNPREPARED_STATEMENTS: IncidentSpec = {
  scenario: scenario(303, {
    workload: { ...BASE_SCENARIO.workload, preparedFraction: 0.2 },
    storage: { parseCpuMs: 0.25 },
  }),
  focus: LAST_HOUR,
  remediations: [
    {
      id: 'prepare',
      label: 'Prepare the statements once and send EXECUTE with bound values',
      patch: { workload: { preparedFraction: 1 } },
    },
    SPECULATIVE_RETRY,
    BIGGER_CACHE,
    LONGER_TIMEOUT,
  ],
  right: 'prepare',
};

/** A write-heavy hour: small memtables flush often and compaction, given equal shares, takes half the CPU. */
export const COMPACTION_STORM: IncidentSpec = {
  scenario: scenario(404, {
    workload: { ...BASE_SCENARIO.workload, ratePerSecond: 32_000, readFraction: 0.5 },
    storage: { memtableMBPerShard: 8, compactionCpuMsPerMB: 30, compactionShares: 1_000 },
  }),
  focus: LAST_HOUR,
  remediations: [
    {
      id: 'cap-compaction',
      label: 'Cap compaction’s scheduler shares at 100 (compaction_static_shares)',
      patch: { storage: { compactionShares: 100 } },
    },
    BIGGER_CACHE,
    SPECULATIVE_RETRY,
    LONGER_TIMEOUT,
  ],
  right: 'cap-compaction',
};

/** 30% of the partitions carry 100 tombstones per live row (a queue-like table with deletes). */
export const TOMBSTONES: IncidentSpec = {
  scenario: scenario(505, { storage: { tombstonePartitions: 0.3, tombstonesPerRow: 100 } }),
  focus: LAST_HOUR,
  remediations: [
    {
      id: 'expire-not-delete',
      label: 'Stop deleting rows one by one: expire them with a TTL (TWCS) and lower gc_grace_seconds, then compact',
      patch: { storage: { tombstonePartitions: 0, tombstonesPerRow: 0 } },
    },
    BIGGER_CACHE,
    SPECULATIVE_RETRY,
    LONGER_TIMEOUT,
  ],
  right: 'expire-not-delete',
};

/** Every night at 02:00 an analytics job scans 2,000-row partitions unpaged for an hour. */
export const NIGHTLY_BATCH: IncidentSpec = {
  scenario: scenario(606, {
    durationMs: 2 * DAY,
    workload: {
      ...BASE_SCENARIO.workload,
      batch: { startHour: 2, durationMinutes: 60, ratePerSecond: 200, kind: 'scan', rows: 2_000, paged: false },
    },
  }),
  // The second night, so yesterday's 02:00 is in the data.
  focus: { fromMs: DAY + 2 * HOUR, toMs: DAY + 3 * HOUR },
  remediations: [
    {
      id: 'throttle-batch',
      label: 'Throttle the job to 5 paged requests per second (it runs longer, the cache keeps the hot rows)',
      patch: { workload: { batch: { ratePerSecond: 5, paged: true } } },
    },
    {
      id: 'page-batch',
      label: 'Page the job’s scans (100 rows a page) at the same request rate',
      patch: { workload: { batch: { paged: true } } },
    },
    BIGGER_CACHE,
    ADD_NODES,
  ],
  right: 'throttle-batch',
};

export const INCIDENTS = {
  'hot-partition': HOT_PARTITION,
  'overloaded-node': OVERLOADED_NODE,
  'unprepared-statements': UNPREPARED_STATEMENTS,
  'compaction-storm': COMPACTION_STORM,
  tombstones: TOMBSTONES,
  'nightly-batch': NIGHTLY_BATCH,
} as const;
