// Lab for module 3: diagnose a ScyllaDB-like cluster from its metrics (issue 12, ADR 019). Six
// seeded incidents on the same small cluster; in each the same SLO breaks (reads within 10 ms) and
// the learner triages (which signal first), names the cause, cites a PromQL query as evidence —
// graded by evaluating it on the incident's metrics against what the simulator knows — and picks a
// remediation, with which the scenario re-runs: the task passes only if the SLO then holds.
import { type ClusterGradeInput, type ClusterTask, defineLab } from '../runtime/lab/definition.ts';
import {
  type Check,
  clusterGrader,
  comparesWithHistory,
  instanceOf,
  isolatesNode,
  isolatesShards,
  matchesRatio,
  type Question,
  referenceByInstance,
  replicaShardsOf,
} from './graders.ts';
import {
  COMPACTION_STORM,
  HOT_PARTITION,
  type IncidentSpec,
  NIGHTLY_BATCH,
  OVERLOADED_NODE,
  READ_SLO,
  SLOW_NODE,
  TOMBSTONES,
  UNPREPARED_STATEMENTS,
} from './scenarios.ts';

const TRIAGE_QUESTION = 'The read SLO is breaking. Which signal do you look at first?';
/** The same signals in every task: which one comes first depends on what the overview shows. */
const TRIAGE_OPTIONS = [
  { id: 'per-node-latency', label: 'Coordinator latency per node: is one node slower than its peers?' },
  { id: 'per-shard-load', label: 'Load and utilisation per shard: is the work spread evenly over the shards?' },
  { id: 'cql-optimisation', label: 'The CQL optimisation view: unprepared, non-token-aware, unpaged and ALLOW FILTERING statements' },
  { id: 'storage', label: 'Storage: cache hits and misses, compactions and their CPU, tombstones, sstables' },
  { id: 'history', label: 'History: the same panels at the same time yesterday (offset 1d)' },
];

const CAUSE_QUESTION = 'What is the root cause?';
const CAUSE_OPTIONS = [
  { id: 'hot-partition', label: 'A hot partition: a few keys get most of the requests' },
  { id: 'slow-node', label: 'One node is slow (its host, disk or a noisy neighbour)' },
  { id: 'unprepared', label: 'Statements are sent unprepared and parsed on every request' },
  { id: 'compaction', label: 'Compaction is taking CPU away from the queries' },
  { id: 'tombstones', label: 'Reads wade through tombstones' },
  { id: 'batch-job', label: 'A recurring batch job competes with the application' },
];

const CAUSE_NOTES: Record<string, string> = {
  'hot-partition': 'A hot partition shows as a few shards (the same shard index on RF nodes) far busier than the rest.',
  'slow-node': 'A slow node shows as one instance whose latency and queues stand out while the others are alike.',
  unprepared: 'Unprepared statements show as QUERY messages (scylla_transport_query_requests) next to few EXECUTEs.',
  compaction: 'Compaction shows as CPU time in the compaction scheduling group and a growing backlog.',
  tombstones: 'Tombstones show as scylla_cache_row_tombstone_reads high compared with the rows read.',
  'batch-job': 'A batch job shows at the same time every day: the history (offset 1d) has the same shape.',
};

function cause(right: string, why: string): Question {
  return { right, why, notes: Object.fromEntries(Object.entries(CAUSE_NOTES).filter(([id]) => id !== right)) };
}

/** The task data shared by the six incidents. */
function incidentTask(
  spec: IncidentSpec,
  parts: {
    id: string;
    title: string;
    goal: string;
    hint: string;
    triage: Question;
    cause: Question;
    remedy: Omit<Question, 'right'>;
    evidence: (input: ClusterGradeInput) => Check;
  },
): ClusterTask {
  return {
    kind: 'cluster',
    id: parts.id,
    title: parts.title,
    goal: parts.goal,
    starter: '# Evidence: a query whose result isolates the cause\n',
    hint: parts.hint,
    editorLabel: 'Evidence: a query whose result shows the cause',
    slo: READ_SLO,
    scenario: spec.scenario,
    focus: spec.focus,
    triage: { question: TRIAGE_QUESTION, options: TRIAGE_OPTIONS },
    cause: { question: CAUSE_QUESTION, options: CAUSE_OPTIONS },
    remediations: spec.remediations,
    grade: clusterGrader({
      triage: parts.triage,
      cause: parts.cause,
      remedy: { ...parts.remedy, right: spec.right },
      evidence: parts.evidence,
    }),
  };
}

const NOT_CAPACITY =
  'More of the same capacity does not help when the work is concentrated: the hot partition stays on its three replica shards.';

export const hotPartition = incidentTask(HOT_PARTITION, {
  id: 'hot-partition',
  title: 'Some reads time out, most are fine',
  goal: `Since the product launch, part of the application's reads time out while others are answered in a millisecond. The overview shows **every node about equally busy** and coordinator latency similar on all four nodes.

Triage, find the cause, cite a query whose result **isolates it** (evaluated at the end of the focus window), and pick the remediation. Your remediation re-runs the cluster: the task passes when the SLO holds with it.`,
  hint: 'When the nodes look alike, look one level down: the shards. Rank the shards by the reads they execute as replicas, and keep only the top ones (as many as the replication factor).',
  triage: {
    right: 'per-shard-load',
    why: 'With nodes alike but some requests failing, the imbalance is below the node: ScyllaDB is shard-per-core, and a partition lives on one shard of each of its replicas. The per-shard view shows it.',
    notes: {
      'per-node-latency': 'The overview already shows the nodes alike: per-node views average the hot shard with the idle ones.',
    },
  },
  cause: cause(
    'hot-partition',
    'One key gets most of the reads (Zipf s = 2: rank 0 alone is about 60%), so its three replica shards saturate while the other shards idle.',
  ),
  remedy: {
    why: `Spreading the hot key over several partitions (a bucket in the partition key) spreads its reads over many shards. ${NOT_CAPACITY}`,
    notes: {
      'add-nodes': NOT_CAPACITY,
      'bigger-cache': 'The hot partition is already in the cache: the shards are short of CPU, not of cache.',
      'speculative-retry':
        'Speculative retry sends one more read to the same overloaded replicas: it adds load where there is none to spare.',
    },
  },
  evidence: (input) => isolatesShards(input, replicaShardsOf(input.incident.scenario, 0)),
});

export const overloadedNode = incidentTask(OVERLOADED_NODE, {
  id: 'overloaded-node',
  title: 'Everything got slower at 03:00',
  goal: `At 03:00 the read SLO started to burn and it has not recovered. Nothing was deployed; the request rate and the statement mix are what they were the day before.

Triage, find the cause, cite a query that **singles out** what is wrong (evaluated at the end of the focus window), and pick the remediation.`,
  hint: 'Compare the nodes with each other and keep only the outlier (topk): the median coordinator latency per node (histogram_quantile(0.5, … by (instance, le))), or the queue length per node.',
  triage: {
    right: 'per-node-latency',
    why: 'A change that arrives with no change in the workload is usually one component: start with latency per node and see whether one stands out.',
  },
  cause: cause(
    'slow-node',
    'One node does its work four times slower (its host is shared with a noisy neighbour); every read that uses it as coordinator or as one of its two contacted replicas waits for it.',
  ),
  remedy: {
    why: 'The slow node has to stop being slow: move the neighbour off its host or replace the node. A QUORUM read contacts only two replicas, so a slow one among them is not hidden.',
    notes: {
      'speculative-retry':
        'Speculative retry helps reads whose replica is slow, but not those coordinated by the slow node, and it adds load to a cluster already short of it.',
      'longer-timeout': 'A longer timeout turns some failures into very slow successes: the SLO counts reads within 10 ms.',
      'more-retries': 'Retries after a timeout send more work to the same slow node: a retry storm.',
    },
  },
  evidence: (input) =>
    isolatesNode(
      input,
      instanceOf(SLOW_NODE),
      'The 99th percentile is high on every coordinator, since each one waits for the slow node as one of the replicas it contacts: compare the median latency per node, or the queue length per node, which only the slow node’s own work raises.',
    ),
});

export const unpreparedStatements = incidentTask(UNPREPARED_STATEMENTS, {
  id: 'unprepared-statements',
  title: 'CPU is high for this request rate',
  goal: `After the application moved to a new data-access library, reads miss the SLO on every node and every shard alike. The request rate is the same as last week, but the reactors are much busier.

Triage, find the cause, cite a query that **measures** it (evaluated at the end of the focus window), and pick the remediation.`,
  hint: 'Unprepared statements arrive as CQL QUERY messages, prepared ones as EXECUTE: compute the fraction of QUERY among all requests.',
  triage: {
    right: 'cql-optimisation',
    why: 'Even load on every shard, more CPU per request than before and no change in the request rate point at how the requests are sent: the CQL optimisation view.',
  },
  cause: cause(
    'unprepared',
    'About 80% of the statements are sent as QUERY text: each one is parsed on the coordinator, and without the prepared metadata the driver cannot route it token-aware.',
  ),
  remedy: {
    why: 'Preparing each statement once and sending EXECUTE with bound values removes the parsing and lets the driver route every request to a replica.',
    notes: {
      'speculative-retry': 'Speculative retry adds reads; the cluster is short of CPU because of parsing.',
      'bigger-cache': 'The data is already cached: the CPU goes into parsing statements, not into reading rows.',
      'longer-timeout': 'A longer timeout changes no latency: the SLO counts reads within 10 ms.',
    },
  },
  evidence: (input) =>
    matchesRatio(input, {
      metric: 'scylla_transport_query_requests',
      what: 'the fraction of requests sent unprepared',
      truth: referenceByInstance(
        input,
        `sum by (instance) (rate(scylla_transport_query_requests[5m])) / (sum by (instance) (rate(scylla_transport_query_requests[5m])) + sum by (instance) (rate(scylla_transport_execute_requests[5m])))`,
        `sum(rate(scylla_transport_query_requests[5m])) / (sum(rate(scylla_transport_query_requests[5m])) + sum(rate(scylla_transport_execute_requests[5m])))`,
      ),
      tolerance: () => 0.03,
      hint: (v, truth) =>
        Math.abs(v - truth / (1 - truth)) < Math.abs(v - truth)
          ? 'That is QUERY per EXECUTE; divide QUERY by all requests (QUERY + EXECUTE).'
          : 'Divide the rate of QUERY messages by the rate of all CQL requests (QUERY + EXECUTE), summed over the nodes or per node.',
    }),
});

export const compactionStorm = incidentTask(COMPACTION_STORM, {
  id: 'compaction-storm',
  title: 'Reads slow during heavy ingestion',
  goal: `A bulk import is writing at full speed; since it started, the application's reads miss the SLO on every node. The read rate has not changed.

Triage, find the cause, cite a query that **measures** it (evaluated at the end of the focus window), and pick the remediation.`,
  hint: 'ScyllaDB schedules statements and compaction as separate groups with their own CPU time (scylla_scheduler_runtime_ms{group=…}). What share of the CPU time is compaction’s?',
  triage: {
    right: 'storage',
    why: 'A write-heavy period that slows reads evenly points at what writes cause behind the scenes: flushes and compactions, in the storage view.',
  },
  cause: cause(
    'compaction',
    'Small memtables flush often; the backlog controller gives compaction as many shares as the statements, so it takes up to half the CPU and the reads queue behind it.',
  ),
  remedy: {
    why: 'Capping compaction’s shares leaves the statements most of the CPU; the backlog is then worked off in the idle time (at the cost of more sstables for a while).',
    notes: {
      'bigger-cache': 'The reads are CPU-bound behind compaction; more cache does not give them CPU.',
      'speculative-retry': 'Speculative retry adds reads to shards whose CPU compaction is using.',
      'longer-timeout': 'A longer timeout changes no latency: the SLO counts reads within 10 ms.',
    },
  },
  evidence: (input) =>
    matchesRatio(input, {
      metric: 'scylla_scheduler_runtime_ms',
      what: 'compaction’s share of the CPU time',
      truth: referenceByInstance(
        input,
        'sum by (instance) (rate(scylla_scheduler_runtime_ms{group="compaction"}[5m])) / sum by (instance) (rate(scylla_scheduler_runtime_ms[5m]))',
        'sum(rate(scylla_scheduler_runtime_ms{group="compaction"}[5m])) / sum(rate(scylla_scheduler_runtime_ms[5m]))',
      ),
      tolerance: () => 0.08,
      hint: () => 'Divide compaction’s CPU time rate by the rate of all groups (compaction + statement), per node or for the cluster.',
    }),
});

export const tombstones = incidentTask(TOMBSTONES, {
  id: 'tombstones',
  title: 'Reads slow, nothing else changed',
  goal: `The team moved a work-queue table into this cluster: rows are inserted, read and deleted one by one. Reads now miss the SLO on every node; the request rate, the statement mix and the cache hit ratio look normal.

Triage, find the cause, cite a query that **measures** it (evaluated at the end of the focus window), and pick the remediation.`,
  hint: 'A deleted row leaves a tombstone that reads must skip until compaction purges it after gc_grace_seconds. How many tombstones are read per row returned?',
  triage: {
    right: 'storage',
    why: 'Reads that cost more with the same rate, mix and cache point at what a read has to go through: storage, where tombstones are counted.',
  },
  cause: cause(
    'tombstones',
    'Three partitions in ten carry a hundred tombstones per live row: each read of them spends CPU skipping deleted rows.',
  ),
  remedy: {
    why: 'Letting rows expire with a TTL (time-window compaction drops whole expired sstables) and lowering gc_grace_seconds removes the tombstones from the read path; then the reads cost what they should.',
    notes: {
      'bigger-cache': 'Tombstones are read from the cache too: caching them does not make skipping them free.',
      'speculative-retry': 'Speculative retry sends another read that has to skip the same tombstones.',
      'longer-timeout': 'A longer timeout changes no latency: the SLO counts reads within 10 ms.',
    },
  },
  evidence: (input) =>
    matchesRatio(input, {
      metric: 'scylla_cache_row_tombstone_reads',
      what: 'tombstones read per row returned',
      truth: referenceByInstance(
        input,
        'sum by (instance) (rate(scylla_cache_row_tombstone_reads[5m])) / sum by (instance) (rate(scylla_cql_rows_read[5m]))',
        'sum(rate(scylla_cache_row_tombstone_reads[5m])) / sum(rate(scylla_cql_rows_read[5m]))',
      ),
      tolerance: (truth) => 0.25 * truth,
      hint: () => 'Divide the rate of tombstones read by the rate of rows read (scylla_cql_rows_read), per node or for the cluster.',
    }),
});

export const nightlyBatch = incidentTask(NIGHTLY_BATCH, {
  id: 'nightly-batch',
  title: 'Paged at 02:10',
  goal: `You are paged on Tuesday at 02:10: reads miss the SLO on every node. The on-call before you says it "sometimes happens at night" and nobody ever found anything by morning.

Triage, find the cause, cite a query whose result **shows it is not new** (evaluated at the end of the focus window, 03:00 on Tuesday), and pick the remediation.`,
  hint: 'Put now next to the same time yesterday: `x / x offset 1d` or `x - x offset 1d` for a signal the incident moves (cache misses, rows read, unpaged selects).',
  triage: {
    right: 'history',
    why: 'An incident at night that "sometimes happens" and is gone by morning asks first whether it recurs: the same panels a day earlier (offset 1d) answer that before anything else.',
  },
  cause: cause(
    'batch-job',
    'Every night at 02:00 an analytics job scans whole 2,000-row partitions unpaged for an hour: its rows push the hot rows out of the cache, and the reads go to disk.',
  ),
  remedy: {
    why: 'Throttling the job (few paged requests per second) keeps its footprint in the cache and on the disks small; it takes longer and finishes before the morning peak.',
    notes: {
      'page-batch': 'Paging alone at the same request rate still streams enough rows through the cache to push the hot ones out.',
      'bigger-cache': 'The job’s rows pass through whatever cache there is: more cache is pushed out just the same.',
      'add-nodes': 'More nodes get the same scan through their caches; the hot rows are still pushed out.',
    },
  },
  evidence: comparesWithHistory,
});

export default defineLab({
  id: 'database-observability',
  title: 'Diagnose a distributed database from its metrics',
  version: 1,
  module: 'database-observability',
  summary:
    'Six incidents on a simulated ScyllaDB cluster: triage by the SLO that breaks, find the root cause, prove it with a PromQL query, and fix it — the cluster re-runs with your remediation.',
  objectives: [
    'Triage an SLO breach from the overview down to the node, the shard or the statement mix',
    'Tell a hot partition, a slow node, unprepared statements, a compaction storm, tombstones and a nightly batch job apart by their metrics',
    'Write a PromQL query that isolates the cause, not one that shows everything',
    'Use historical metrics (offset) to recognise a recurring incident',
    'Choose the remediation that removes the cause, and verify that the SLO holds afterwards',
  ],
  baseUrl: 'http://cluster.lab.test',
  tasks: [hotPartition, overloadedNode, unpreparedStatements, compactionStorm, tombstones, nightlyBatch],
});
