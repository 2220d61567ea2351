// The cluster simulator. Each 15 s window of virtual time is simulated request by request over a
// slice at its start (`requestsPerWindow` requests at the window's arrival rate), and the window's
// counters are that slice scaled to 15 s. Queue state carries over from slice to slice, so the slices
// chain into one long run of the queueing system; a shard whose offered work exceeds its CPU keeps
// the backlog the skipped part of the window would have added. Nothing is a canned curve: latency is
// queueing at per-shard reactors and per-node disks, and every remediation acts on the inputs.
//
// Request path (ScyllaDB's): client → coordinator shard (the connection's shard) → replica shards
// (local by submit_to, remote over the network) → responses → coordinator answers at the consistency
// level → client. Writes go to all RF replicas and wait for CL of them; reads contact only CL replicas
// (one data, the rest digests), so a slow contacted replica is not hidden unless speculative retry
// sends one more read.
import { type Labels, Tsdb } from '../promql/index.ts';
import { createRandom, type Random } from '../simulator/random.ts';
import { EventHeap } from './events.ts';
import {
  CLIENT_BUCKETS_S,
  countSeries,
  LATENCY_BUCKETS_US,
  PER_NODE_COUNTERS,
  PER_NODE_GAUGES,
  PER_SHARD_METRICS,
  SeriesTable,
  SUMMARY_QUANTILES,
  splitMetric,
} from './metrics.ts';
import { type KeyChooser, uniformKeys, zipfKeys } from './popularity.ts';
import { buildRing, hashKey, replicasOf, shardOfToken } from './ring.ts';
import { CLUSTER_LIMITS, type ClusterScenario, type ConsistencyLevel, parseClusterScenario, WINDOW_MS } from './schema.ts';
import { selectAscending, selectKth } from './select.ts';
import { exponentialDraw as exponential } from './ziggurat.ts';

// Event kinds, packed with the request slot into one integer: slot * 8 + kind.
const COORDINATOR = 0;
const REPLICA = 1;
const DISK = 2;
/** The request's answer at its consistency level: one event per request, not one per replica response. */
const COMPLETE = 3;
const SPECULATE = 4;

// Request flags.
const READ = 1;
const UNPREPARED = 2;
const REVERSED = 4;
const FILTERING = 8;
const UNPAGED = 16;
const BATCH = 32;
const TOMBSTONED = 64;
const TOMBSTONE_BIT = 0x8000;

const COMPACTION_MS = PER_NODE_COUNTERS.indexOf('scylla_scheduler_runtime_ms{group="compaction"}');
const FLUSHES = PER_NODE_COUNTERS.indexOf('headroom_memtable_flushes_total');
const COMPLETED = PER_NODE_COUNTERS.indexOf('scylla_compaction_manager_completed_compactions');

/** Backlog a shard may carry between windows (beyond it every request has long timed out anyway). */
const MAX_BACKLOG_MS = 60_000;

export interface ClusterSummary {
  windows: number;
  /** Requests simulated one by one (the slices). */
  simulatedRequests: number;
  /** Requests the run stands for (the slices scaled to their windows). */
  representedRequests: number;
  series: number;
  samples: number;
  /** FNV-1a (32-bit, word-wise) over every exported value's bits, scrape by scrape in series order: equal runs give equal digests. */
  digest: string;
}

export type SimulateResult = { ok: true; db: Tsdb; summary: ClusterSummary } | { ok: false; error: string };

function inc(values: Float64Array, index: number, amount: number): void {
  values[index] = (values[index] as number) + amount;
}

function needed(level: ConsistencyLevel, rf: number): number {
  if (level === 'ONE') return 1;
  if (level === 'ALL') return rf;
  return Math.floor(rf / 2) + 1;
}

/** Validates a scenario, refuses one beyond the limits, and simulates it into a fresh Tsdb. */
export function simulateCluster(input: unknown): SimulateResult {
  const parsed = parseClusterScenario(input);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const scenario = parsed.scenario;
  const windows = scenario.durationMs / WINDOW_MS;
  const series = countSeries(scenario.topology.nodes, scenario.topology.shardsPerNode);
  const samples = series * windows;
  if (samples > CLUSTER_LIMITS.samples) {
    return {
      ok: false,
      error: `This scenario would export ${series} series × ${windows} scrapes = ${samples.toLocaleString('en-US')} samples, above the limit of ${CLUSTER_LIMITS.samples.toLocaleString('en-US')}: shorten durationMs or use fewer nodes or shards.`,
    };
  }
  const simulator = new ClusterSimulator(scenario);
  for (let w = 0; w < windows; w++) simulator.runWindow(w);
  const db = new Tsdb();
  simulator.exportTo(db);
  return {
    ok: true,
    db,
    summary: {
      windows,
      simulatedRequests: simulator.simulatedRequests,
      representedRequests: Math.round(simulator.representedRequests),
      series,
      samples,
      digest: simulator.digest(),
    },
  };
}

export class ClusterSimulator {
  readonly scenario: ClusterScenario;
  simulatedRequests = 0;
  representedRequests = 0;

  readonly #random: Random;
  readonly #keys: KeyChooser;
  readonly #batchKeys: KeyChooser;
  readonly #nodes: number;
  readonly #shards: number;
  readonly #rf: number;
  /** Replicas of each partition (RF per partition, primary first) and its shard index. */
  /** Per partition, in one cache line: its RF replicas, then its shard with bit 15 set when it carries tombstones. */
  readonly #keyInfo: Uint16Array;
  readonly #largeRows = new Map<number, number>();

  // Per shard (node * shards + shard).
  readonly #free: Float64Array;
  /** Work (ms) each shard carried into the current window from earlier ones. */
  readonly #carried: Float64Array;
  readonly #waiting: Float64Array;
  readonly #offered: Float64Array;
  readonly #slowdown: Float64Array;
  readonly #memtableMB: Float64Array;
  readonly #backlogMB: Float64Array;
  readonly #sstables: Float64Array;
  readonly #compactionShare: Float64Array;
  /** Fraction of the window's CPU compaction used, and the statements' demand (busy fraction) last window. */
  readonly #compactionCpu: Float64Array;
  readonly #lastDemand: Float64Array;
  // Per node.
  readonly #diskFree: Float64Array;
  readonly #diskOffered: Float64Array;
  readonly #diskMsPerMB: Float64Array;
  readonly #inFlight: Int32Array;
  /** Slow-node factors on replica work, and on coordinator work. */
  readonly #faultFactor: Float64Array;
  readonly #coordinatorFactor: Float64Array;
  #roundRobin = 0;
  /** Client retries to send in the next window, by attempt number (index 1 = first retry). */
  readonly #retries: Float64Array;
  /** Timed-out attempts of this window that will be retried, by the retry's attempt number. */
  readonly #nextRetries: Float64Array;
  /** Coordinator read latency (ms) at the speculative-retry percentile in the previous window. */
  #speculativeMs = Number.POSITIVE_INFINITY;

  // Requests of the current slice.
  #capacity = 0;
  #start = new Float64Array(0);
  #coordinatorArrival = new Float64Array(0);
  #key = new Int32Array(0);
  #shardOf = new Uint16Array(0);
  #flags = new Int32Array(0);
  #rows = new Int32Array(0);
  #attempt = new Int8Array(0);
  #coordinator = new Int32Array(0);
  #order = new Uint16Array(0);
  #sent = new Int8Array(0);
  #responses = new Int8Array(0);
  /** Per request, the `needed` earliest replica response times known so far, ascending (RF slots). */
  #earliest = new Float64Array(0);
  /** Per request, the time of its latest COMPLETE event (Infinity: none yet). */
  #completeAt = new Float64Array(0);
  #needed = new Int8Array(0);
  #done = new Uint8Array(0);
  readonly #heap = new EventHeap();
  /** In flight per coordinator node and op (reads, writes) and when that last changed, for the time average. */
  readonly #lastChange: Float64Array;
  readonly #current: Int32Array;

  // Accumulators of the current window, scaled to it when exported.
  readonly #shardCounters: Float64Array[];
  readonly #nodeCounters: Float64Array[];
  readonly #inFlightArea: Float64Array[];
  readonly #histograms: Float64Array[];
  #latencySamples: Float64Array[];
  readonly #latencySampleCount: Int32Array;
  readonly #clientHistograms: Float64Array[];
  readonly #clientOutcomes: Float64Array;

  // Exported series.
  readonly #table: SeriesTable;
  readonly #shardSeries: Int32Array[];
  readonly #nodeCounterSeries: Int32Array[];
  readonly #nodeGaugeSeries: Int32Array[];
  readonly #histogramSeries: Int32Array[];
  readonly #summarySeries: Int32Array[];
  readonly #clientHistogramSeries: Int32Array[];
  readonly #clientOutcomeSeries: Int32Array;
  readonly #cumulative: Float64Array;
  /** The value store as 32-bit words, and the running FNV-1a digest over the scrapes so far. */
  readonly #storeWords: Uint32Array;
  #hash = 0x811c9dc5;

  constructor(scenario: ClusterScenario) {
    this.scenario = scenario;
    const { nodes, shardsPerNode, vnodes, replicationFactor } = scenario.topology;
    this.#nodes = nodes;
    this.#shards = shardsPerNode;
    this.#rf = replicationFactor;
    this.#random = createRandom(scenario.seed);
    const { workload, storage } = scenario;
    const partitions = workload.partitions;
    this.#keys = workload.popularity.type === 'zipf' ? zipfKeys(partitions, workload.popularity.s) : uniformKeys(partitions);
    this.#batchKeys = uniformKeys(partitions);

    const ring = buildRing(nodes, vnodes, replicationFactor, scenario.seed);
    const stride = replicationFactor + 1;
    this.#keyInfo = new Uint16Array(partitions * stride);
    const ringSeed = scenario.seed | 0;
    const tombstoneCut = storage.tombstonePartitions * 4294967296;
    for (let k = 0; k < partitions; k++) {
      const token = hashKey(k, ringSeed);
      replicasOf(ring, token, this.#keyInfo, k * stride);
      const tombstoned = hashKey(k, ringSeed ^ 0x7f4a7c15) < tombstoneCut ? TOMBSTONE_BIT : 0;
      this.#keyInfo[k * stride + replicationFactor] = shardOfToken(token, shardsPerNode) | tombstoned;
    }
    for (const rank of storage.largePartitions?.ranks ?? []) this.#largeRows.set(rank, storage.largePartitions?.rows ?? 1);

    const totalShards = nodes * shardsPerNode;
    this.#free = new Float64Array(totalShards);
    this.#carried = new Float64Array(totalShards);
    this.#waiting = new Float64Array(totalShards);
    this.#offered = new Float64Array(totalShards);
    this.#slowdown = new Float64Array(totalShards).fill(1);
    this.#memtableMB = new Float64Array(totalShards);
    this.#backlogMB = new Float64Array(totalShards);
    this.#sstables = new Float64Array(totalShards).fill(storage.sstablesPerTier);
    this.#compactionShare = new Float64Array(totalShards);
    this.#compactionCpu = new Float64Array(totalShards);
    this.#lastDemand = new Float64Array(totalShards);
    this.#diskFree = new Float64Array(nodes);
    this.#diskOffered = new Float64Array(nodes);
    this.#diskMsPerMB = new Float64Array(nodes).fill(1000 / storage.diskMBps);
    this.#inFlight = new Int32Array(nodes);
    this.#lastChange = new Float64Array(2 * nodes);
    this.#current = new Int32Array(2 * nodes);
    this.#faultFactor = new Float64Array(nodes).fill(1);
    this.#coordinatorFactor = new Float64Array(nodes).fill(1);
    this.#retries = new Float64Array(scenario.client.maxRetries + 1);
    this.#nextRetries = new Float64Array(scenario.client.maxRetries + 1);

    this.#shardCounters = PER_SHARD_METRICS.map(() => new Float64Array(totalShards));
    this.#nodeCounters = PER_NODE_COUNTERS.map(() => new Float64Array(nodes));
    this.#inFlightArea = [new Float64Array(nodes), new Float64Array(nodes)];
    const bucketCount = LATENCY_BUCKETS_US.length + 1;
    this.#histograms = Array.from({ length: 2 * nodes }, () => new Float64Array(bucketCount + 1));
    this.#latencySamples = Array.from({ length: 2 * nodes }, () => new Float64Array(256));
    this.#latencySampleCount = new Int32Array(2 * nodes);
    this.#clientHistograms = [new Float64Array(CLIENT_BUCKETS_S.length + 2), new Float64Array(CLIENT_BUCKETS_S.length + 2)];
    this.#clientOutcomes = new Float64Array(7);

    const windows = scenario.durationMs / WINDOW_MS;
    const table = new SeriesTable(windows, countSeries(nodes, shardsPerNode));
    this.#table = table;
    const instance = (n: number) => `10.0.0.${n + 1}`;
    this.#shardSeries = PER_SHARD_METRICS.map((name) => {
      const ids = new Int32Array(totalShards);
      for (let n = 0; n < nodes; n++) {
        for (let s = 0; s < shardsPerNode; s++)
          ids[n * shardsPerNode + s] = table.add({ __name__: name, instance: instance(n), shard: String(s) });
      }
      return ids;
    });
    const perNode = (spec: string) => {
      const { name, labels } = splitMetric(spec);
      return Int32Array.from({ length: nodes }, (_, n) => table.add({ __name__: name, ...labels, instance: instance(n) }));
    };
    this.#nodeCounterSeries = PER_NODE_COUNTERS.map(perNode);
    this.#nodeGaugeSeries = PER_NODE_GAUGES.map(perNode);
    this.#histogramSeries = [];
    this.#summarySeries = [];
    for (const op of ['read', 'write']) {
      const base = `scylla_storage_proxy_coordinator_${op}_latency`;
      for (let n = 0; n < nodes; n++) {
        const ids = new Int32Array(bucketCount + 2);
        LATENCY_BUCKETS_US.forEach((le, i) => {
          ids[i] = table.add({ __name__: `${base}_bucket`, instance: instance(n), le: String(le) });
        });
        ids[bucketCount - 1] = table.add({ __name__: `${base}_bucket`, instance: instance(n), le: '+Inf' });
        ids[bucketCount] = table.add({ __name__: `${base}_sum`, instance: instance(n) });
        ids[bucketCount + 1] = table.add({ __name__: `${base}_count`, instance: instance(n) });
        this.#histogramSeries.push(ids);
        this.#summarySeries.push(
          Int32Array.from(SUMMARY_QUANTILES, (q) => table.add({ __name__: `${base}_summary`, instance: instance(n), quantile: String(q) })),
        );
      }
    }
    this.#clientHistogramSeries = ['read', 'write'].map((op) => {
      const ids = new Int32Array(CLIENT_BUCKETS_S.length + 3);
      CLIENT_BUCKETS_S.forEach((le, i) => {
        ids[i] = table.add({ __name__: 'cql_client_request_duration_seconds_bucket', op, le: String(le) });
      });
      ids[CLIENT_BUCKETS_S.length] = table.add({ __name__: 'cql_client_request_duration_seconds_bucket', op, le: '+Inf' });
      ids[CLIENT_BUCKETS_S.length + 1] = table.add({ __name__: 'cql_client_request_duration_seconds_sum', op });
      ids[CLIENT_BUCKETS_S.length + 2] = table.add({ __name__: 'cql_client_request_duration_seconds_count', op });
      return ids;
    });
    const outcomes: Labels[] = [];
    for (const op of ['read', 'write']) for (const outcome of ['ok', 'timeout', 'busy_pool']) outcomes.push({ op, outcome });
    this.#clientOutcomeSeries = Int32Array.from(
      [...outcomes.map((labels) => ({ __name__: 'cql_client_requests_total', ...labels })), { __name__: 'cql_client_retries_total' }],
      (labels) => table.add(labels),
    );
    if (table.labels.length !== countSeries(nodes, shardsPerNode)) throw new Error('series count drifted from countSeries()');
    this.#cumulative = new Float64Array(table.labels.length);
    this.#storeWords = new Uint32Array(table.store.buffer, table.store.byteOffset, table.store.length * 2);
  }

  /** Simulates window `w` and records its scrape. */
  runWindow(w: number): void {
    const scenario = this.scenario;
    const { workload } = scenario;
    const windowStart = scenario.startMs + w * WINDOW_MS;
    const hour = Math.floor((windowStart % 86_400_000) / 3_600_000);
    const minuteOfDay = (windowStart % 86_400_000) / 60_000;
    const baseRate = workload.ratePerSecond * (workload.hourlyProfile?.[hour] ?? 1);
    const batch = workload.batch;
    const batchActive = batch !== undefined && (minuteOfDay - batch.startHour * 60 + 1_440) % 1_440 < batch.durationMinutes;
    const batchRate = batchActive ? (batch?.ratePerSecond ?? 0) : 0;
    let retryRate = 0;
    for (let a = 1; a < this.#retries.length; a++) retryRate += this.#retries[a] as number;
    const totalRate = baseRate + batchRate + retryRate;

    this.#resetWindow();
    this.#prepareShards(windowStart);
    // The slice: long enough for requestsPerWindow arrivals, at most the window.
    const requests = this.requestsInWindow(w);
    const sliceMs = totalRate > 0 ? Math.min(WINDOW_MS, (requests / totalRate) * 1000) : WINDOW_MS;
    const scale = WINDOW_MS / sliceMs;
    const expected = (totalRate * sliceMs) / 1000;
    this.#ensureCapacity(Math.ceil(expected * 1.5 + 64));
    const simulated = this.#simulateSlice(windowStart, sliceMs, totalRate, baseRate, batchRate);
    this.simulatedRequests += simulated;
    this.representedRequests += simulated * scale;
    this.#finishWindow(w, windowStart, sliceMs, scale);
    this.#hashScrape(w);
  }

  /** Arrivals simulated in window `w`: full detail near the end, `history.requestsPerWindow` before. */
  requestsInWindow(w: number): number {
    const { durationMs, requestsPerWindow, history } = this.scenario;
    const windowEnd = (w + 1) * WINDOW_MS;
    if (durationMs - windowEnd < history.recentMs) return requestsPerWindow;
    return history.requestsPerWindow ?? Math.min(64, requestsPerWindow);
  }

  #prepareShards(windowStart: number): void {
    const { storage } = this.scenario;
    const nodes = this.#nodes;
    const shards = this.#shards;
    this.#faultFactor.fill(1);
    this.#coordinatorFactor.fill(1);
    for (const fault of this.scenario.faults) {
      const at = windowStart - this.scenario.startMs;
      if (at >= fault.fromMs && at < fault.toMs) {
        this.#faultFactor[fault.node] = (this.#faultFactor[fault.node] as number) * fault.factor;
        if (fault.scope === 'all') this.#coordinatorFactor[fault.node] = (this.#coordinatorFactor[fault.node] as number) * fault.factor;
      }
    }
    for (let i = 0; i < nodes * shards; i++) this.#carried[i] = Math.max(0, (this.#free[i] as number) - windowStart);
    for (let n = 0; n < nodes; n++) {
      let compactionMBps = 0;
      for (let s = 0; s < shards; s++) {
        const i = n * shards + s;
        // ScyllaDB's backlog controller: compaction's shares grow with its normalised backlog.
        const backlog = this.#backlogMB[i] as number;
        const normalised = Math.min(1, backlog / storage.memtableMBPerShard);
        const shares = storage.compactionShares * normalised;
        const share = backlog > 0 ? shares / (shares + storage.statementShares) : 0;
        this.#compactionShare[i] = share;
        this.#slowdown[i] = (this.#faultFactor[n] as number) / (1 - share);
        // Compaction also runs in idle time: its CPU is its share, or what statements left over.
        const idle = Math.max(0, 1 - Math.min(1, this.#lastDemand[i] as number));
        const cpuMs = Math.max(share, idle * (backlog > 0 ? 1 : 0)) * WINDOW_MS;
        const drained = Math.min(backlog, cpuMs / storage.compactionCpuMsPerMB);
        this.#backlogMB[i] = backlog - drained;
        this.#compactionCpu[i] = (drained * storage.compactionCpuMsPerMB) / WINDOW_MS;
        compactionMBps += drained / (WINDOW_MS / 1000);
        // Sstables not yet compacted: the backlog in flushed-memtable units, above the steady tier.
        this.#sstables[i] = storage.sstablesPerTier + Math.ceil((this.#backlogMB[i] as number) / storage.memtableMBPerShard);
        inc(this.#nodeCounters[COMPLETED] as Float64Array, n, drained / storage.memtableMBPerShard);
        inc(this.#nodeCounters[COMPACTION_MS] as Float64Array, n, drained * storage.compactionCpuMsPerMB);
      }
      // Compaction reads and writes what it merges: that bandwidth is not there for reads.
      const left = Math.max(storage.diskMBps * 0.1, storage.diskMBps - 2 * compactionMBps);
      this.#diskMsPerMB[n] = 1000 / left;
    }
  }

  #ensureCapacity(n: number): void {
    if (n <= this.#capacity) return;
    const rf = this.#rf;
    this.#capacity = n;
    this.#start = new Float64Array(n);
    this.#coordinatorArrival = new Float64Array(n);
    this.#key = new Int32Array(n);
    this.#shardOf = new Uint16Array(n);
    this.#flags = new Int32Array(n);
    this.#rows = new Int32Array(n);
    this.#attempt = new Int8Array(n);
    this.#coordinator = new Int32Array(n);
    this.#order = new Uint16Array(n * rf);
    this.#sent = new Int8Array(n);
    this.#responses = new Int8Array(n);
    this.#earliest = new Float64Array(n * rf);
    this.#completeAt = new Float64Array(n);
    this.#needed = new Int8Array(n);
    this.#done = new Uint8Array(n);
  }

  #resetWindow(): void {
    for (const c of this.#shardCounters) c.fill(0);
    for (const c of this.#nodeCounters) c.fill(0);
    for (const c of this.#inFlightArea) c.fill(0);
    for (const h of this.#histograms) h.fill(0);
    this.#latencySampleCount.fill(0);
    for (const h of this.#clientHistograms) h.fill(0);
    this.#clientOutcomes.fill(0);
    this.#nextRetries.fill(0);
    this.#waiting.fill(0);
    this.#offered.fill(0);
    this.#diskOffered.fill(0);
  }

  /** Runs one slice starting at `t0`; returns the number of requests it simulated. */
  #simulateSlice(t0: number, sliceMs: number, totalRate: number, baseRate: number, batchRate: number): number {
    const scenario = this.scenario;
    const { workload, storage, client, network } = scenario;
    const random = this.#random;
    const heap = this.#heap;
    const nodes = this.#nodes;
    const shards = this.#shards;
    const rf = this.#rf;
    const free = this.#free;
    const waiting = this.#waiting;
    const offered = this.#offered;
    const slowdown = this.#slowdown;
    const diskFree = this.#diskFree;
    const diskMsPerMB = this.#diskMsPerMB;
    const faultFactor = this.#faultFactor;
    const memtableMB = this.#memtableMB;
    const coordinatorFactor = this.#coordinatorFactor;
    const keyInfo = this.#keyInfo;
    const stride = rf + 1;
    const shardOf = this.#shardOf;
    const start = this.#start;
    const coordinatorArrival = this.#coordinatorArrival;
    const keyOf = this.#key;
    const flagsOf = this.#flags;
    const rowsOf = this.#rows;
    const attemptOf = this.#attempt;
    const coordinatorOf = this.#coordinator;
    const order = this.#order;
    const sent = this.#sent;
    const responses = this.#responses;
    const earliest = this.#earliest;
    const completeAt = this.#completeAt;
    const neededOf = this.#needed;
    const done = this.#done;
    const inFlight = this.#inFlight;
    const sc = this.#shardCounters;
    const nc = this.#nodeCounters;
    const area = this.#inFlightArea;
    const sliceEnd = t0 + sliceMs;
    const readsNeeded = needed(workload.readConsistency, rf);
    const writesNeeded = needed(workload.writeConsistency, rf);
    const clientNet = client.networkMs;
    const timeout = client.timeoutMs;
    const speculative =
      scenario.speculativeRetry.type === 'fixed'
        ? scenario.speculativeRetry.ms
        : scenario.speculativeRetry.type === 'percentile'
          ? this.#speculativeMs
          : Number.POSITIVE_INFINITY;
    const cachedRanks = this.#cachedRanks(batchRate);
    const rowMB = workload.rowBytes / 1_048_576;
    const scale = WINDOW_MS / sliceMs;
    const meanInterarrival = totalRate > 0 ? 1000 / totalRate : Number.POSITIVE_INFINITY;
    const batch = workload.batch;

    // Index constants into the counter tables.
    const iCqlReads = 2;
    const iCqlInserts = 3;
    const iDbReads = 4;
    const iDbWrites = 5;
    const iHits = 6;
    const iMisses = 7;
    const cReadsLocal = 0;
    const cReadsRemote = 1;
    const cWritesLocal = 2;
    const cWritesRemote = 3;
    const cReadsOutside = 4;
    const cWritesOutside = 5;
    const cReadTimeouts = 6;
    const cWriteTimeouts = 7;
    const cSpecDigest = 8;
    const cSpecData = 9;
    const cCrossShard = 10;
    const cUnpaged = 11;
    const cReverse = 12;
    const cFiltering = 13;
    const cFilteredRows = 14;
    const cRowsRead = 15;
    const cBatches = 16;
    const cQuery = 17;
    const cExecute = 18;
    const cTombstones = 19;

    // In-flight requests per coordinator node, integrated over the slice (reads, writes).
    const lastChange = this.#lastChange.fill(t0);
    const current = this.#current.fill(0);
    const changeInFlight = (node: number, op: number, t: number, delta: number) => {
      const j = op * nodes + node;
      const until = Math.min(t, sliceEnd);
      const from = lastChange[j] as number;
      if (until > from) {
        inc(area[op] as Float64Array, node, (current[j] as number) * (until - from));
        lastChange[j] = until;
      }
      current[j] = (current[j] as number) + delta;
    };

    /** One unit of CPU work at shard i arriving at t: FIFO on the shard's reactor (Lindley). */
    const serve = (i: number, t: number, cost: number): number => {
      const begin = Math.max(t, free[i] as number);
      const end = begin + cost;
      free[i] = end;
      offered[i] = (offered[i] as number) + cost;
      // The whole wait, also past the slice's end: Σ waits / slice = mean queue length (Little).
      waiting[i] = (waiting[i] as number) + (begin - t);
      return end;
    };

    const hop = (fromNode: number, fromShard: number, toNode: number, toShard: number): number =>
      fromNode !== toNode ? network.nodeToNodeMs : fromShard !== toShard ? network.crossShardMs : 0;

    /**
     * A replica's response to `slot` will reach the coordinator at `at`. The request completes at the
     * `needed`-th earliest response; instead of one heap event per response, the coordinator keeps
     * the earliest ones known and schedules one COMPLETE event at the current candidate, again only
     * when a later-known but earlier response moves the candidate forward. A response becomes known
     * when its replica (or disk) work is simulated, which is never later than the response itself,
     * so the first COMPLETE event to pop is the true completion, as if each response were an event.
     */
    const respond = (slot: number, at: number) => {
      if (done[slot] === 1) return;
      const need = neededOf[slot] as number;
      const got = responses[slot] as number;
      responses[slot] = got + 1;
      const base = slot * rf;
      // Insertion into the ascending list of the `need` earliest.
      let k = Math.min(got, need);
      if (k === need && at >= (earliest[base + need - 1] as number)) return;
      if (k === need) k--;
      while (k > 0 && (earliest[base + k - 1] as number) > at) {
        earliest[base + k] = earliest[base + k - 1] as number;
        k--;
      }
      earliest[base + k] = at;
      if (got + 1 >= need) {
        const candidate = earliest[base + need - 1] as number;
        if (candidate < (completeAt[slot] as number)) {
          completeAt[slot] = candidate;
          heap.push(candidate, slot * 8 + COMPLETE, 0);
        }
      }
    };

    /** A replica's work for one request arriving at its shard at t. */
    const atReplica = (slot: number, position: number, t: number) => {
      const flags = flagsOf[slot] as number;
      const key = keyOf[slot] as number;
      const coordinator = coordinatorOf[slot] as number;
      const cNode = (coordinator / shards) | 0;
      const node = order[slot * rf + position] as number;
      const i = node * shards + (shardOf[slot] as number);
      const rows = rowsOf[slot] as number;
      if (flags & READ) {
        let cpu = storage.readCpuMsPerRow * rows;
        if (flags & FILTERING) cpu += storage.readCpuMsPerRow * workload.filteredRows;
        if (flags & REVERSED) cpu *= storage.reverseCostFactor;
        const tombstones = flags & TOMBSTONED ? storage.tombstonesPerRow * rows : 0;
        cpu += tombstones * storage.tombstoneCpuMs;
        inc(nc[cTombstones] as Float64Array, node, tombstones);
        const end = serve(i, t, exponential(random, cpu) * (slowdown[i] as number));
        inc(sc[iDbReads] as Float64Array, i, 1);
        // Large partitions and filtering scans never fit the cache; hot small ones do.
        const cached = key < cachedRanks && rows <= 64 && (flags & FILTERING) === 0;
        const readRows = rows + (flags & FILTERING ? workload.filteredRows : 0);
        if (cached) {
          inc(sc[iHits] as Float64Array, i, readRows);
          const back = hop(node, shardOf[slot] as number, cNode, coordinator - cNode * shards);
          respond(slot, end + back);
        } else {
          inc(sc[iMisses] as Float64Array, i, readRows);
          heap.push(end, slot * 8 + DISK, position);
        }
      } else {
        const end = serve(i, t, exponential(random, storage.writeCpuMs * rows) * (slowdown[i] as number));
        inc(sc[iDbWrites] as Float64Array, i, 1);
        memtableMB[i] = (memtableMB[i] as number) + rows * rowMB * scale;
        const back = hop(node, shardOf[slot] as number, cNode, coordinator - cNode * shards);
        respond(slot, end + back);
      }
    };

    const sendToReplica = (slot: number, position: number, t: number, speculativeSend: boolean) => {
      const node = order[slot * rf + position] as number;
      const coordinator = coordinatorOf[slot] as number;
      const cNode = (coordinator / shards) | 0;
      const cShard = coordinator - cNode * shards;
      const owner = shardOf[slot] as number;
      const d = hop(cNode, cShard, node, owner);
      if (node === cNode && cShard !== owner) inc(nc[cCrossShard] as Float64Array, node, 1);
      const local = node === cNode;
      if ((flagsOf[slot] as number) & READ) {
        if (speculativeSend) inc(nc[position === 0 ? cSpecData : cSpecDigest] as Float64Array, cNode, 1);
        inc(nc[local ? cReadsLocal : cReadsRemote] as Float64Array, cNode, 1);
      } else {
        inc(nc[local ? cWritesLocal : cWritesRemote] as Float64Array, cNode, 1);
      }
      // On the coordinator's own shard the replica work is a continuation of the coordinator's
      // (Seastar runs a local call in the same task), so it runs now instead of being queued.
      if (node === cNode && cShard === owner) atReplica(slot, position, t);
      else heap.push(t + d, slot * 8 + REPLICA, position);
    };

    let slots = 0;
    let nextArrival = t0 + exponential(random, meanInterarrival);
    const capacity = this.#capacity;
    const retryWeights = this.#retries;
    const readFraction = workload.readFraction;
    const reverseFraction = workload.reverseFraction;
    const filteringFraction = workload.filteringFraction;
    const preparedFraction = workload.preparedFraction;
    const largeRows = this.#largeRows;
    const hasLarge = largeRows.size > 0;
    const keys = this.#keys;

    for (;;) {
      const heapTime = heap.peekTime();
      if (nextArrival < sliceEnd && nextArrival <= heapTime && slots < capacity) {
        // A client request.
        const t = nextArrival;
        nextArrival = t + exponential(random, meanInterarrival);
        const u = random.next() * totalRate;
        let flags = 0;
        let key: number;
        let rows: number;
        let attempt = 0;
        if (u < batchRate && batch !== undefined) {
          flags = BATCH | (batch.kind === 'scan' ? READ : 0) | (batch.kind === 'scan' && !batch.paged ? UNPAGED : 0);
          key = this.#batchKeys.draw(random);
          rows = batch.kind === 'scan' && batch.paged ? Math.min(batch.rows, workload.pageRows) : batch.rows;
        } else {
          if (u >= batchRate + baseRate) {
            // A retry: its attempt number in proportion to the retries pending by attempt.
            let r = u - batchRate - baseRate;
            attempt = 1;
            while (attempt < retryWeights.length - 1 && r >= (retryWeights[attempt] as number)) {
              r -= retryWeights[attempt] as number;
              attempt++;
            }
          }
          key = keys.draw(random);
          const isRead = random.next() < readFraction;
          rows = 1;
          if (isRead) {
            flags |= READ;
            rows = workload.rowsPerRead;
            // Draw only for features the workload uses, so a plain workload costs no extra uniforms.
            if (reverseFraction > 0 && random.next() < reverseFraction) flags |= REVERSED;
            if (filteringFraction > 0 && random.next() < filteringFraction) flags |= FILTERING;
          }
          if (hasLarge && isRead) rows = Math.max(rows, largeRows.get(key) ?? 0);
        }
        if (preparedFraction < 1 && random.next() >= preparedFraction) flags |= UNPREPARED;
        // Routing: the driver computes the token only for prepared statements (it needs the
        // partition-key metadata the PREPARE reply carries).
        const tokenAware = client.routing === 'token-aware' && (flags & UNPREPARED) === 0;
        let cNode: number;
        let cShard: number;
        if (tokenAware) {
          cNode = keyInfo[key * stride + Math.floor(random.next() * rf)] as number;
          cShard = client.shardAware ? (keyInfo[key * stride + rf] as number) & 0x7fff : Math.floor(random.next() * shards);
        } else {
          cNode = this.#roundRobin++ % nodes;
          cShard = Math.floor(random.next() * shards);
        }
        const op = flags & READ ? 0 : 1;
        if ((inFlight[cNode] as number) >= client.maxInFlightPerNode) {
          inc(this.#clientOutcomes, op * 3 + 2, 1);
          continue;
        }
        inFlight[cNode] = (inFlight[cNode] as number) + 1;
        const slot = slots++;
        const info = keyInfo[key * stride + rf] as number;
        if (info & TOMBSTONE_BIT) flags |= TOMBSTONED;
        shardOf[slot] = info & 0x7fff;
        start[slot] = t;
        keyOf[slot] = key;
        flagsOf[slot] = flags;
        rowsOf[slot] = rows;
        attemptOf[slot] = attempt;
        coordinatorOf[slot] = cNode * shards + cShard;
        sent[slot] = 0;
        responses[slot] = 0;
        completeAt[slot] = Number.POSITIVE_INFINITY;
        done[slot] = 0;
        heap.push(t + clientNet, slot * 8 + COORDINATOR, 0);
        continue;
      }
      if (heap.size === 0) {
        if (nextArrival < sliceEnd && slots < capacity) continue;
        break;
      }
      const t = heapTime;
      const packed = heap.topA;
      const position = heap.topB;
      heap.pop();
      const slot = packed >> 3;
      const kind = packed & 7;
      const flags = flagsOf[slot] as number;
      const key = keyOf[slot] as number;
      const coordinator = coordinatorOf[slot] as number;
      const cNode = (coordinator / shards) | 0;
      if (kind === COORDINATOR) {
        coordinatorArrival[slot] = t;
        const op = flags & READ ? 0 : 1;
        changeInFlight(cNode, op, t, 1);
        let cost = storage.coordinatorCpuMs;
        if (flags & UNPREPARED) cost += storage.parseCpuMs;
        const ready = serve(
          coordinator,
          t,
          (exponential(random, cost) * (slowdown[coordinator] as number) * (coordinatorFactor[cNode] as number)) /
            (faultFactor[cNode] as number),
        );
        // Replica order: the coordinator itself first when it is one (the snitch prefers the local
        // node), then the others clockwise from a random one.
        const base = key * stride;
        let isReplica = false;
        for (let r = 0; r < rf; r++) if (keyInfo[base + r] === cNode) isReplica = true;
        let filled = 0;
        if (isReplica) order[slot * rf + filled++] = cNode;
        const offset = Math.floor(random.next() * rf);
        for (let r = 0; r < rf; r++) {
          const node = keyInfo[base + ((r + offset) % rf)] as number;
          if (node !== cNode) order[slot * rf + filled++] = node;
        }
        const cShardCounters = coordinator;
        if (flags & READ) {
          inc(sc[iCqlReads] as Float64Array, cShardCounters, 1);
          if (!isReplica) inc(nc[cReadsOutside] as Float64Array, cNode, 1);
          if (flags & UNPAGED) inc(nc[cUnpaged] as Float64Array, cNode, 1);
          if (flags & REVERSED) inc(nc[cReverse] as Float64Array, cNode, 1);
          if (flags & FILTERING) {
            inc(nc[cFiltering] as Float64Array, cNode, 1);
            inc(nc[cFilteredRows] as Float64Array, cNode, workload.filteredRows);
          }
          inc(nc[cRowsRead] as Float64Array, cNode, rowsOf[slot] as number);
          neededOf[slot] = readsNeeded;
        } else {
          inc(sc[iCqlInserts] as Float64Array, cShardCounters, rowsOf[slot] as number);
          if (!isReplica) inc(nc[cWritesOutside] as Float64Array, cNode, 1);
          if (flags & BATCH) inc(nc[cBatches] as Float64Array, cNode, 1);
          neededOf[slot] = writesNeeded;
        }
        inc(nc[flags & UNPREPARED ? cQuery : cExecute] as Float64Array, cNode, 1);
        const contacts = flags & READ ? readsNeeded : rf;
        for (let p = 0; p < contacts; p++) sendToReplica(slot, p, ready, false);
        sent[slot] = contacts;
        if (flags & READ && contacts < rf && speculative < Number.POSITIVE_INFINITY)
          heap.push(ready + speculative, slot * 8 + SPECULATE, 0);
      } else if (kind === REPLICA) {
        atReplica(slot, position, t);
      } else if (kind === DISK) {
        const node = order[slot * rf + position] as number;
        const i = node * shards + (shardOf[slot] as number);
        const rows = rowsOf[slot] as number;
        const readRows = rows + (flags & FILTERING ? workload.filteredRows : 0);
        // Each sstable tier beyond the first costs one more read (read amplification).
        const lookups = (this.#sstables[i] as number) / storage.sstablesPerTier;
        const cost =
          (exponential(random, storage.diskAccessMs * lookups) + readRows * rowMB * (diskMsPerMB[node] as number)) *
          (faultFactor[node] as number);
        const begin = Math.max(t, diskFree[node] as number);
        const end = begin + cost;
        diskFree[node] = end;
        this.#diskOffered[node] = (this.#diskOffered[node] as number) + cost;
        const back = hop(node, shardOf[slot] as number, cNode, coordinator - cNode * shards);
        respond(slot, end + back);
      } else if (kind === COMPLETE) {
        if (done[slot] === 1) continue;
        done[slot] = 1;
        const op = flags & READ ? 0 : 1;
        changeInFlight(cNode, op, t, -1);
        inFlight[cNode] = (inFlight[cNode] as number) - 1;
        const coordinatorMs = t - (coordinatorArrival[slot] as number);
        this.#recordCoordinatorLatency(op, cNode, coordinatorMs);
        if (coordinatorMs > (op === 0 ? scenario.readTimeoutMs : scenario.writeTimeoutMs)) {
          inc(nc[op === 0 ? cReadTimeouts : cWriteTimeouts] as Float64Array, cNode, 1);
        }
        const clientMs = t + clientNet - (start[slot] as number);
        if (clientMs > timeout) {
          inc(this.#clientOutcomes, op * 3 + 1, 1);
          const attempt = attemptOf[slot] as number;
          if (attempt < client.maxRetries) {
            inc(this.#clientOutcomes, 6, 1);
            this.#nextRetries[attempt + 1] = (this.#nextRetries[attempt + 1] as number) + 1;
          }
        } else {
          inc(this.#clientOutcomes, op * 3, 1);
          this.#recordClientLatency(op, clientMs);
        }
      } else if (kind === SPECULATE) {
        if (done[slot] === 1 || (sent[slot] as number) >= rf) continue;
        sendToReplica(slot, sent[slot] as number, t, true);
        sent[slot] = (sent[slot] as number) + 1;
      }
    }
    // Requests still open at the slice's end were counted to the end of the slice.
    for (let j = 0; j < 2 * nodes; j++) {
      const from = lastChange[j] as number;
      if (sliceEnd > from) inc(area[j < nodes ? 0 : 1] as Float64Array, j % nodes, (current[j] as number) * (sliceEnd - from));
    }
    return slots;
  }

  #cachedRanks(batchRate: number): number {
    const { storage, workload } = this.scenario;
    const totalShards = this.#nodes * this.#shards;
    const capacity = storage.cacheRowsPerShard * totalShards;
    // Each partition is cached on the replicas that read it; a batch scan's rows pass through the
    // cache and push hot rows out in proportion to what it inserts per window.
    const rowsPerPartition = workload.rowsPerRead;
    let ranks = capacity / (this.#rf * rowsPerPartition);
    const batch = workload.batch;
    if (batchRate > 0 && batch !== undefined && batch.kind === 'scan') {
      const inserted =
        (batchRate * (WINDOW_MS / 1000) * Math.min(batch.rows, batch.paged ? workload.pageRows : batch.rows) * this.#rf) /
        Math.max(1, capacity);
      ranks *= 1 - Math.min(0.9, inserted);
    }
    return Math.floor(ranks);
  }

  #recordCoordinatorLatency(op: number, node: number, ms: number): void {
    const histogram = this.#histograms[op * this.#nodes + node] as Float64Array;
    const us = ms * 1000;
    let b = 0;
    while (b < LATENCY_BUCKETS_US.length && us > (LATENCY_BUCKETS_US[b] as number)) b++;
    histogram[b] = (histogram[b] as number) + 1;
    histogram[LATENCY_BUCKETS_US.length + 1] = (histogram[LATENCY_BUCKETS_US.length + 1] as number) + us;
    const h = op * this.#nodes + node;
    let samples = this.#latencySamples[h] as Float64Array;
    const n = this.#latencySampleCount[h] as number;
    if (n === samples.length) {
      const grown = new Float64Array(n * 2);
      grown.set(samples);
      this.#latencySamples[h] = grown;
      samples = grown;
    }
    samples[n] = us;
    this.#latencySampleCount[h] = n + 1;
  }

  #recordClientLatency(op: number, ms: number): void {
    const histogram = this.#clientHistograms[op] as Float64Array;
    const s = ms / 1000;
    let b = 0;
    while (b < CLIENT_BUCKETS_S.length && s > (CLIENT_BUCKETS_S[b] as number)) b++;
    histogram[b] = (histogram[b] as number) + 1;
    histogram[CLIENT_BUCKETS_S.length + 1] = (histogram[CLIENT_BUCKETS_S.length + 1] as number) + s;
  }

  #finishWindow(w: number, windowStart: number, sliceMs: number, scale: number): void {
    const { storage } = this.scenario;
    const table = this.#table;
    const cumulative = this.#cumulative;
    const nodes = this.#nodes;
    const shards = this.#shards;
    const totalShards = nodes * shards;
    const sliceEnd = windowStart + sliceMs;
    const nextStart = windowStart + WINDOW_MS;
    const gap = WINDOW_MS - sliceMs;
    const store = table.store;
    const windows = table.windows;
    const counter = (id: number, increment: number) => {
      const value = (cumulative[id] as number) + increment;
      cumulative[id] = value;
      store[id * windows + w] = value;
    };
    const gauge = (id: number, value: number) => {
      store[id * windows + w] = value;
    };

    // Shards: utilisation (statements' busy time plus compaction's share), queue, carry-over.
    const utilSeries = this.#shardSeries[0] as Int32Array;
    const queueSeries = this.#shardSeries[1] as Int32Array;
    const statementMs = PER_NODE_COUNTERS.indexOf('scylla_scheduler_runtime_ms{group="statement"}');
    for (let i = 0; i < totalShards; i++) {
      // Busy fraction over the window: the work carried in plus the slice's work at the slice's rate
      // (its demand). Counting the work the slice's requests bring, wherever it falls, rather than the
      // busy time inside the slice, keeps the figure independent of the slice's length: a short slice
      // would otherwise lose the work its last requests do after it ends.
      const statementBusy = Math.min(1, (this.#carried[i] as number) / WINDOW_MS + (this.#offered[i] as number) / sliceMs);
      // Statement service times were stretched by 1/(1 − share) to leave compaction its share; the
      // reactor's utilisation counts both groups' CPU once.
      const share = this.#compactionShare[i] as number;
      const utilisation = Math.min(1, statementBusy * (1 - share) + (this.#compactionCpu[i] as number));
      gauge(utilSeries[i] as number, 100 * utilisation);
      gauge(queueSeries[i] as number, (this.#waiting[i] as number) / sliceMs);
      inc(this.#nodeCounters[statementMs] as Float64Array, (i / shards) | 0, statementBusy * (1 - share) * WINDOW_MS);
      // The queue left at the slice's end, plus what the skipped part of the window adds when the
      // shard is overloaded; the next slice starts from it.
      const demand = (this.#offered[i] as number) / sliceMs;
      this.#lastDemand[i] = demand;
      // Over the skipped part of the window the backlog grows at (demand − 1) or drains at (1 − demand).
      const backlog = Math.max(0, Math.max(0, (this.#free[i] as number) - sliceEnd) + (demand - 1) * gap);
      this.#free[i] = nextStart + Math.min(MAX_BACKLOG_MS, backlog);
      // Memtable flushes feed the compaction backlog.
      const memtable = this.#memtableMB[i] as number;
      if (memtable >= storage.memtableMBPerShard) {
        const flushes = Math.floor(memtable / storage.memtableMBPerShard);
        this.#memtableMB[i] = memtable - flushes * storage.memtableMBPerShard;
        this.#backlogMB[i] = (this.#backlogMB[i] as number) + flushes * storage.memtableMBPerShard;
        this.#sstables[i] = storage.sstablesPerTier + Math.ceil((this.#backlogMB[i] as number) / storage.memtableMBPerShard);
        inc(this.#nodeCounters[FLUSHES] as Float64Array, (i / shards) | 0, flushes);
      }
    }
    for (let n = 0; n < nodes; n++) {
      const demand = (this.#diskOffered[n] as number) / sliceMs;
      const backlog = Math.max(0, Math.max(0, (this.#diskFree[n] as number) - sliceEnd) + (demand - 1) * gap);
      this.#diskFree[n] = nextStart + Math.min(MAX_BACKLOG_MS, backlog);
    }
    for (let m = 2; m < PER_SHARD_METRICS.length; m++) {
      const ids = this.#shardSeries[m] as Int32Array;
      const values = this.#shardCounters[m] as Float64Array;
      for (let i = 0; i < totalShards; i++) counter(ids[i] as number, (values[i] as number) * scale);
    }
    PER_NODE_COUNTERS.forEach((_, m) => {
      const ids = this.#nodeCounterSeries[m] as Int32Array;
      const values = this.#nodeCounters[m] as Float64Array;
      // Storage and scheduler counters are already per window; request counters are per slice.
      const factor = m === COMPACTION_MS || m === statementMs || m === FLUSHES || m === COMPLETED ? 1 : scale;
      for (let n = 0; n < nodes; n++) counter(ids[n] as number, (values[n] as number) * factor);
    });
    // Gauges per node: in flight (time average over the slice), compaction state.
    const [foregroundReads, foregroundWrites, compactions, pending, backlogGauge, live] = this.#nodeGaugeSeries as Int32Array[];
    for (let n = 0; n < nodes; n++) {
      gauge((foregroundReads as Int32Array)[n] as number, ((this.#inFlightArea[0] as Float64Array)[n] as number) / sliceMs);
      gauge((foregroundWrites as Int32Array)[n] as number, ((this.#inFlightArea[1] as Float64Array)[n] as number) / sliceMs);
      let running = 0;
      let backlogMB = 0;
      let sstables = 0;
      for (let s = 0; s < shards; s++) {
        const i = n * shards + s;
        if ((this.#backlogMB[i] as number) > 0) running++;
        backlogMB += this.#backlogMB[i] as number;
        sstables += this.#sstables[i] as number;
      }
      gauge((compactions as Int32Array)[n] as number, running);
      gauge((pending as Int32Array)[n] as number, Math.ceil(backlogMB / storage.memtableMBPerShard));
      gauge((backlogGauge as Int32Array)[n] as number, backlogMB * 1_048_576);
      gauge((live as Int32Array)[n] as number, Math.round(sstables));
    }
    // Coordinator histograms and summaries.
    const bucketCount = LATENCY_BUCKETS_US.length + 1;
    const speculativeSamples: Float64Array[] = [];
    const quantiles = new Float64Array(SUMMARY_QUANTILES.length);
    for (let h = 0; h < 2 * nodes; h++) {
      const ids = this.#histogramSeries[h] as Int32Array;
      const histogram = this.#histograms[h] as Float64Array;
      let running = 0;
      for (let b = 0; b < bucketCount; b++) {
        // Buckets are cumulative in le (each holds everything at or below its bound) and in time.
        running += (histogram[b] as number) * scale;
        counter(ids[b] as number, running);
      }
      counter(ids[bucketCount] as number, (histogram[bucketCount] as number) * scale);
      counter(ids[bucketCount + 1] as number, running);
      // The sample at index ⌊q·n⌋ of the sorted samples, found by selection (no full sort).
      const samples = (this.#latencySamples[h] as Float64Array).subarray(0, this.#latencySampleCount[h] as number);
      if (h < nodes) speculativeSamples.push(samples);
      const summary = this.#summarySeries[h] as Int32Array;
      const n = samples.length;
      if (n === 0) {
        for (let k = 0; k < SUMMARY_QUANTILES.length; k++) gauge(summary[k] as number, Number.NaN);
      } else {
        const indices = SUMMARY_QUANTILES.map((q) => Math.min(n - 1, Math.floor(q * n)));
        selectAscending(samples, indices, quantiles);
        for (let k = 0; k < SUMMARY_QUANTILES.length; k++) gauge(summary[k] as number, quantiles[k] as number);
      }
    }
    if (this.scenario.speculativeRetry.type === 'percentile') {
      const total = speculativeSamples.reduce((sum, s) => sum + s.length, 0);
      if (total > 0) {
        const all = new Float64Array(total);
        let at = 0;
        for (const s of speculativeSamples) {
          all.set(s, at);
          at += s.length;
        }
        const q = this.scenario.speculativeRetry.percentile / 100;
        this.#speculativeMs = selectKth(all, Math.min(total - 1, Math.floor(q * total))) / 1000;
      }
    }
    // Client side.
    for (let op = 0; op < 2; op++) {
      const ids = this.#clientHistogramSeries[op] as Int32Array;
      const histogram = this.#clientHistograms[op] as Float64Array;
      let running = 0;
      for (let b = 0; b <= CLIENT_BUCKETS_S.length; b++) {
        running += (histogram[b] as number) * scale;
        counter(ids[b] as number, running);
      }
      counter(ids[CLIENT_BUCKETS_S.length + 1] as number, (histogram[CLIENT_BUCKETS_S.length + 1] as number) * scale);
      counter(ids[CLIENT_BUCKETS_S.length + 2] as number, running);
    }
    for (let k = 0; k < 7; k++) counter(this.#clientOutcomeSeries[k] as number, (this.#clientOutcomes[k] as number) * scale);
    // Retries reach the next window as extra arrival rate (per second), by attempt: a driver retries
    // a timed-out request at once, and the timeout is shorter than a window.
    for (let a = 0; a < this.#retries.length; a++) this.#retries[a] = ((this.#nextRetries[a] as number) * scale) / (WINDOW_MS / 1000);
  }

  /** The digest of every scrape so far (see `#hashScrape`). */
  digest(): string {
    return (this.#hash >>> 0).toString(16).padStart(8, '0');
  }

  /**
   * FNV-1a over the 32-bit words of scrape `w`'s values, in series order, folded into the running
   * hash as each window ends: the values are still in cache, where a pass over a week's 285 MB at
   * the end cost a second read of all of it. Word-wise rather than byte-wise (four times fewer
   * steps); the digest only has to tell equal runs apart, across engines.
   */
  #hashScrape(w: number): void {
    const words = this.#storeWords;
    const windows = this.#table.windows;
    const series = this.#table.labels.length;
    let hash = this.#hash;
    for (let id = 0; id < series; id++) {
      const at = 2 * (id * windows + w);
      hash = Math.imul(hash ^ (words[at] as number), 0x01000193);
      hash = Math.imul(hash ^ (words[at + 1] as number), 0x01000193);
    }
    this.#hash = hash;
  }

  /** Loads the scrapes into `db` (timestamps at each window's end). */
  exportTo(db: Tsdb): void {
    const windows = this.scenario.durationMs / WINDOW_MS;
    const timestamps = new Float64Array(windows);
    for (let w = 0; w < windows; w++) timestamps[w] = this.scenario.startMs + (w + 1) * WINDOW_MS;
    this.#table.loadInto(db, timestamps);
  }
}
