// The shape of a simulated ScyllaDB-like cluster scenario: topology, client driver, workload, storage
// and injected faults. Types come from these schemas, so a lab file, the simulator and the tests
// cannot disagree. Times are milliseconds; rates are per second of virtual time.
import { z } from 'zod';

const ms = (what: string) =>
  z.number({ error: `${what} must be a number of milliseconds` }).nonnegative({ error: `${what} must be zero or more milliseconds` });
const positiveMs = (what: string) =>
  z.number({ error: `${what} must be a number of milliseconds` }).positive({ error: `${what} must be more than 0 ms` });
const fraction = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .min(0, { error: `${what} must be at least 0` })
    .max(1, { error: `${what} must be at most 1` });
const count = (what: string, min: number, max: number) =>
  z
    .number({ error: `${what} must be a number` })
    .int({ error: `${what} must be a whole number` })
    .min(min, { error: `${what} must be at least ${min}` })
    .max(max, { error: `${what} must be at most ${max}` });
const rate = (what: string) => z.number({ error: `${what} must be a number` }).nonnegative({ error: `${what} must be zero or more` });

export const CONSISTENCY_LEVELS = ['ONE', 'QUORUM', 'ALL'] as const;
export type ConsistencyLevel = (typeof CONSISTENCY_LEVELS)[number];
const consistency = z.enum(CONSISTENCY_LEVELS, { error: `consistency must be one of ${CONSISTENCY_LEVELS.join(', ')}` });

/** Limits that keep a scenario inside a browser tab's time and memory (a larger one is refused). */
export const CLUSTER_LIMITS = {
  nodes: 32,
  shardsPerNode: 64,
  partitions: 1_048_576,
  /** Simulated days. */
  days: 31,
  /** Samples the exported TSDB may hold. */
  samples: 40_000_000,
  /** Requests simulated per 15 s window. */
  requestsPerWindow: 1_000_000,
} as const;

export const WINDOW_MS = 15_000;

export const TopologySchema = z.strictObject({
  /** Nodes in the (single) datacenter. */
  nodes: count('topology.nodes', 1, CLUSTER_LIMITS.nodes),
  /** Shards per node: one per core, each with its own queue, CPU and slice of every token range. */
  shardsPerNode: count('topology.shardsPerNode', 1, CLUSTER_LIMITS.shardsPerNode),
  /** Virtual nodes (tokens) per node on the ring. */
  vnodes: count('topology.vnodes', 1, 256).default(16),
  /** Copies of each partition (SimpleStrategy: the next RF distinct nodes clockwise). */
  replicationFactor: count('topology.replicationFactor', 1, 5).default(3),
});

export const SpeculativeRetrySchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('none') }),
    /** Send one more read after this long without CL responses (Scylla's `speculative_retry = '5ms'`). */
    z.strictObject({ type: z.literal('fixed'), ms: positiveMs('speculativeRetry.ms') }),
    /** After the table's read latency at this percentile (Scylla's `'99.0PERCENTILE'`), from the previous window. */
    z.strictObject({
      type: z.literal('percentile'),
      percentile: z.number().gt(0, { error: 'percentile must be above 0' }).lt(100, { error: 'percentile must be below 100' }),
    }),
  ],
  { error: "speculativeRetry.type must be one of 'none', 'fixed' or 'percentile'" },
);

export const ClientSchema = z.strictObject({
  /** Load-balancing policy: token-aware sends to a replica; round-robin to the next node, whatever the key. */
  routing: z
    .enum(['token-aware', 'round-robin'], { error: "client.routing must be 'token-aware' or 'round-robin'" })
    .default('token-aware'),
  /** A shard-aware driver opens a connection per shard and sends to the shard that owns the token. */
  shardAware: z.boolean().default(true),
  /** Requests in flight per node the pool allows (connections × streams); one more fails at once (busy pool). */
  maxInFlightPerNode: count('client.maxInFlightPerNode', 1, 1_000_000).default(2048),
  /** Client-side request timeout. */
  timeoutMs: positiveMs('client.timeoutMs').default(2_000),
  /** Retries after a client timeout (0: none); each retry is a new request, the original keeps running. */
  maxRetries: count('client.maxRetries', 0, 10).default(0),
  /** One-way network latency between client and node. */
  networkMs: ms('client.networkMs').default(0.2),
});

export const PopularitySchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('uniform') }),
    /** P(rank k) ∝ 1/k^s over the partitions; s around 1 is typical of user-facing keys. */
    z.strictObject({ type: z.literal('zipf'), s: z.number().min(0).max(4, { error: 'zipf s must be at most 4' }) }),
  ],
  { error: "popularity.type must be 'uniform' or 'zipf'" },
);

export const BatchJobSchema = z.strictObject({
  /** Hour of day (UTC) the job starts, every day. */
  startHour: z.number().min(0).lt(24),
  /** How long it runs. */
  durationMinutes: z.number().positive().max(1_440),
  /** Extra requests per second while it runs. */
  ratePerSecond: rate('batch.ratePerSecond'),
  /** Reads (full-partition scans) or writes. */
  kind: z.enum(['scan', 'write']),
  /** Rows each scan reads (or each write batch inserts). */
  rows: count('batch.rows', 1, 1_000_000).default(1_000),
  /** Paged scans read `pageRows` per request; unpaged ones read all rows in one request. */
  paged: z.boolean().default(true),
});

export const WorkloadSchema = z.strictObject({
  /** Client requests per second at a profile multiplier of 1. */
  ratePerSecond: rate('workload.ratePerSecond'),
  /** Fraction of requests that are reads; the rest are writes. */
  readFraction: fraction('workload.readFraction').default(0.8),
  readConsistency: consistency.default('QUORUM'),
  writeConsistency: consistency.default('QUORUM'),
  /** Distinct partition keys. */
  partitions: count('workload.partitions', 1, CLUSTER_LIMITS.partitions).default(100_000),
  popularity: PopularitySchema.default({ type: 'uniform' }),
  /** Bytes per row. */
  rowBytes: count('workload.rowBytes', 1, 16_777_216).default(1_000),
  /** Rows a point read returns. */
  rowsPerRead: count('workload.rowsPerRead', 1, 1_000_000).default(1),
  /** Fraction of statements sent prepared (EXECUTE); the rest are QUERY messages, parsed every time. */
  preparedFraction: fraction('workload.preparedFraction').default(1),
  /** Fraction of reads with ORDER BY reversed to the clustering order. */
  reverseFraction: fraction('workload.reverseFraction').default(0),
  /** Fraction of reads that use ALLOW FILTERING and read `filteredRows` rows to return `rowsPerRead`. */
  filteringFraction: fraction('workload.filteringFraction').default(0),
  filteredRows: count('workload.filteredRows', 1, 1_000_000).default(1_000),
  /** Rows per page for paged scans. */
  pageRows: count('workload.pageRows', 1, 100_000).default(100),
  /** Multiplier per UTC hour of day (24 values); absent means flat. */
  hourlyProfile: z.array(z.number().nonnegative()).length(24, { error: 'hourlyProfile must have 24 values, one per hour' }).optional(),
  /** A job run every day (e.g. the 02:00 batch). */
  batch: BatchJobSchema.optional(),
});

export const StorageSchema = z.strictObject({
  /** CPU a coordinator spends per request (parsing a prepared statement, routing, replying). */
  coordinatorCpuMs: positiveMs('storage.coordinatorCpuMs').default(0.02),
  /** Extra coordinator CPU to parse an unprepared statement. */
  parseCpuMs: ms('storage.parseCpuMs').default(0.08),
  /** Replica CPU per row read (from cache or after the disk read). */
  readCpuMsPerRow: positiveMs('storage.readCpuMsPerRow').default(0.03),
  /** Replica CPU per write (commitlog append + memtable insert). */
  writeCpuMs: positiveMs('storage.writeCpuMs').default(0.02),
  /** Cost of a reversed read relative to a forward one. */
  reverseCostFactor: z.number().min(1).default(2),
  /** Rows each shard's row cache holds. */
  cacheRowsPerShard: count('storage.cacheRowsPerShard', 0, 1e9).default(20_000),
  /** Time a cache miss waits for the node's disk, plus transfer at `diskMBps`. */
  diskAccessMs: ms('storage.diskAccessMs').default(0.15),
  /** The node's disk bandwidth, shared by reads, flushes and compaction. */
  diskMBps: z.number().positive().default(1_000),
  /** Memtable size per shard that triggers a flush to a new sstable. */
  memtableMBPerShard: z.number().positive().default(64),
  /** Compaction CPU per MB of backlog. */
  compactionCpuMsPerMB: z.number().positive().default(8),
  /** Scheduler shares of the statement group and (at full backlog) of the compaction group. */
  statementShares: count('storage.statementShares', 1, 10_000).default(1_000),
  compactionShares: count('storage.compactionShares', 1, 10_000).default(200),
  /** Sstables per shard beyond which each extra one adds a disk read to a cache miss (read amplification). */
  sstablesPerTier: count('storage.sstablesPerTier', 1, 1_000).default(4),
  /** Fraction of partitions carrying tombstones, and tombstones read per row read from them. */
  tombstonePartitions: fraction('storage.tombstonePartitions').default(0),
  tombstonesPerRow: rate('storage.tombstonesPerRow').default(0),
  /** CPU per tombstone read. */
  tombstoneCpuMs: ms('storage.tombstoneCpuMs').default(0.002),
  /** Partitions (by popularity rank, 0 the hottest) that are large, and their rows each. */
  largePartitions: z
    .strictObject({ ranks: z.array(count('rank', 0, CLUSTER_LIMITS.partitions - 1)).max(64), rows: count('rows', 1, 10_000_000) })
    .optional(),
});

export const NetworkSchema = z.strictObject({
  /** One-way latency between two nodes. */
  nodeToNodeMs: ms('network.nodeToNodeMs').default(0.1),
  /** Cost of a message between two shards of one node (submit_to). */
  crossShardMs: ms('network.crossShardMs').default(0.005),
});

export const FaultSchema = z
  .strictObject({
    /** A node whose work takes `factor` times longer inside the window (e.g. a noisy neighbour). */
    kind: z.literal('slow-node'),
    node: count('node', 0, CLUSTER_LIMITS.nodes - 1),
    /** `replica`: only its replica work (reads, writes, disk), e.g. a failing disk or a repair; `all`: its coordinator work too. */
    scope: z.enum(['all', 'replica'], { error: "scope must be 'all' or 'replica'" }).default('all'),
    factor: z.number().min(1),
    fromMs: ms('fromMs'),
    toMs: ms('toMs'),
  })
  .refine((f) => f.fromMs < f.toMs, { error: 'toMs must be after fromMs', path: ['toMs'] });

export const ClusterScenarioSchema = z
  .strictObject({
    /** Seed for every draw; the same seed gives the same metrics, bit for bit. */
    seed: z.int({ error: 'seed must be a safe whole number' }),
    /** Virtual start time (ms since the epoch, a multiple of 15 s). */
    startMs: z
      .number()
      .int()
      .nonnegative()
      .default(Date.UTC(2026, 0, 5)),
    /** Simulated duration, a multiple of 15 s. */
    durationMs: z.number().int().positive(),
    /** Requests simulated in each 15 s window; the rest of the window is counted, not simulated one by one. */
    requestsPerWindow: count('requestsPerWindow', 16, CLUSTER_LIMITS.requestsPerWindow).default(256),
    /**
     * Detail far from "now" (the scenario's end): windows ending more than `recentMs` before the end
     * simulate `requestsPerWindow` arrivals (default: the smaller of 64 and the top-level figure).
     * Time is proportional to the requests simulated, so a week costs a fraction of its full-detail
     * time; rates and utilisation stay unbiased but are noisier there (ADR 018). Set
     * `history.requestsPerWindow` to the top-level figure for full detail everywhere.
     */
    history: z
      .strictObject({
        recentMs: ms('history.recentMs').default(86_400_000),
        requestsPerWindow: count('history.requestsPerWindow', 16, CLUSTER_LIMITS.requestsPerWindow).optional(),
      })
      .default({ recentMs: 86_400_000 }),
    topology: TopologySchema,
    network: NetworkSchema.default({ nodeToNodeMs: 0.1, crossShardMs: 0.005 }),
    client: ClientSchema.default({
      routing: 'token-aware',
      shardAware: true,
      maxInFlightPerNode: 2048,
      timeoutMs: 2000,
      maxRetries: 0,
      networkMs: 0.2,
    }),
    /** Coordinator timeouts (Scylla's read_request_timeout_in_ms / write_request_timeout_in_ms). */
    readTimeoutMs: positiveMs('readTimeoutMs').default(5_000),
    writeTimeoutMs: positiveMs('writeTimeoutMs').default(2_000),
    speculativeRetry: SpeculativeRetrySchema.default({ type: 'none' }),
    workload: WorkloadSchema,
    storage: StorageSchema.default(StorageSchema.parse({})),
    faults: z.array(FaultSchema).max(64).default([]),
  })
  .superRefine((s, context) => {
    if (s.topology.replicationFactor > s.topology.nodes) {
      context.addIssue({
        code: 'custom',
        message: 'replicationFactor must not exceed the number of nodes',
        path: ['topology', 'replicationFactor'],
      });
    }
    if (s.startMs % WINDOW_MS !== 0)
      context.addIssue({ code: 'custom', message: 'startMs must be a multiple of 15000', path: ['startMs'] });
    if (s.durationMs % WINDOW_MS !== 0)
      context.addIssue({ code: 'custom', message: 'durationMs must be a multiple of 15000', path: ['durationMs'] });
    if (s.durationMs > CLUSTER_LIMITS.days * 86_400_000) {
      context.addIssue({ code: 'custom', message: `durationMs must be at most ${CLUSTER_LIMITS.days} days`, path: ['durationMs'] });
    }
    s.faults.forEach((fault, index) => {
      if (fault.node >= s.topology.nodes) {
        context.addIssue({
          code: 'custom',
          message: `fault names node ${fault.node}, but the cluster has ${s.topology.nodes}`,
          path: ['faults', index, 'node'],
        });
      }
    });
    for (const rank of s.storage.largePartitions?.ranks ?? []) {
      if (rank >= s.workload.partitions) {
        context.addIssue({
          code: 'custom',
          message: `large partition rank ${rank} is not below workload.partitions`,
          path: ['storage', 'largePartitions'],
        });
      }
    }
  });
export type ClusterScenario = z.infer<typeof ClusterScenarioSchema>;
export type ClusterScenarioInput = z.input<typeof ClusterScenarioSchema>;

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path
        .map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`))
        .join('')
        .replace(/^\./, '');
      return where === '' ? issue.message : `${where}: ${issue.message}`;
    })
    .join('\n');
}

export type ParseScenarioResult = { ok: true; scenario: ClusterScenario } | { ok: false; error: string };

/** Validates a scenario, e.g. one read from a lab file or sent to a worker. */
export function parseClusterScenario(input: unknown): ParseScenarioResult {
  const parsed = ClusterScenarioSchema.safeParse(input);
  return parsed.success ? { ok: true, scenario: parsed.data } : { ok: false, error: describeIssues(parsed.error) };
}
