// The exported series: one Float64Array of values per series (one value per 15 s scrape), all
// sharing one timestamp array, loaded into a Tsdb at the end. Counters are cumulative; gauges are
// the value of the window just ended. Names follow ScyllaDB's where such a metric exists (ADR 018).
import type { Labels, Tsdb } from '../promql/index.ts';

/** Upper bounds (µs) of the coordinator latency histograms: powers of two, as ScyllaDB's are. */
export const LATENCY_BUCKETS_US: readonly number[] = Array.from({ length: 17 }, (_, i) => 2 ** (i + 7));
/** Upper bounds (s) of the client-side histograms. */
export const CLIENT_BUCKETS_S: readonly number[] = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
export const SUMMARY_QUANTILES: readonly number[] = [0.5, 0.95, 0.99];

/** Splits `name{group="x"}` into its name and extra labels. */
export function splitMetric(spec: string): { name: string; labels: Record<string, string> } {
  const brace = spec.indexOf('{');
  if (brace < 0) return { name: spec, labels: {} };
  const labels: Record<string, string> = {};
  for (const pair of spec.slice(brace + 1, -1).split(',')) {
    const [key, value] = pair.split('=');
    labels[key as string] = (value as string).slice(1, -1);
  }
  return { name: spec.slice(0, brace), labels };
}

export class SeriesTable {
  readonly labels: Labels[] = [];
  /** Each series' values: views into `store`, one window per element. */
  readonly values: Float64Array[] = [];
  /**
   * Every series' values in one allocation, series after series (`store[id * windows + w]`): one
   * buffer instead of hundreds of arrays (allocating 881 arrays of a week's scrapes cost more than
   * filling them), and the simulator writes a scrape without an array lookup per series.
   */
  readonly store: Float64Array;
  readonly windows: number;

  constructor(windows: number, series: number) {
    this.windows = windows;
    this.store = new Float64Array(windows * series);
  }

  /** Declares a series and returns its index. */
  add(labels: Labels): number {
    const id = this.labels.length;
    if ((id + 1) * this.windows > this.store.length) throw new RangeError('more series than the table was sized for');
    this.labels.push(labels);
    this.values.push(this.store.subarray(id * this.windows, (id + 1) * this.windows));
    return id;
  }

  /** Loads every series into `db`, sharing one timestamp array. */
  loadInto(db: Tsdb, timestamps: Float64Array): void {
    db.loadShared(
      timestamps,
      this.labels.map((labels, i) => ({ labels, values: this.values[i] as Float64Array })),
    );
  }
}

/** How many series a topology exports, known before anything is allocated (to refuse oversize runs). */
export function countSeries(nodes: number, shardsPerNode: number): number {
  return nodes * shardsPerNode * PER_SHARD_METRICS.length + nodes * perNodeSeries() + clientSeries();
}

/** Per shard: the signals whose imbalance across shards is what a learner looks for. */
export const PER_SHARD_METRICS = [
  'scylla_reactor_utilization',
  'scylla_scheduler_queue_length',
  'scylla_cql_reads',
  'scylla_cql_inserts',
  'scylla_database_total_reads',
  'scylla_database_total_writes',
  'scylla_cache_row_hits',
  'scylla_cache_row_misses',
] as const;

/** Per node (summed over its shards, to keep a week of 15 s scrapes within memory). */
export const PER_NODE_COUNTERS = [
  'scylla_storage_proxy_coordinator_reads_local_node',
  'scylla_storage_proxy_coordinator_reads_remote_node',
  'scylla_storage_proxy_coordinator_total_write_attempts_local_node',
  'scylla_storage_proxy_coordinator_total_write_attempts_remote_node',
  'scylla_storage_proxy_coordinator_reads_coordinator_outside_replica_set',
  'scylla_storage_proxy_coordinator_writes_coordinator_outside_replica_set',
  'scylla_storage_proxy_coordinator_read_timeouts',
  'scylla_storage_proxy_coordinator_write_timeouts',
  'scylla_storage_proxy_coordinator_speculative_digest_reads',
  'scylla_storage_proxy_coordinator_speculative_data_reads',
  'scylla_storage_proxy_replica_cross_shard_ops',
  'scylla_cql_unpaged_select_queries',
  'scylla_cql_reverse_queries',
  'scylla_cql_select_allow_filtering',
  'scylla_cql_filtered_rows_read_total',
  'scylla_cql_rows_read',
  'scylla_cql_batches',
  'scylla_transport_query_requests',
  'scylla_transport_execute_requests',
  'scylla_cache_row_tombstone_reads',
  'scylla_compaction_manager_completed_compactions',
  // Not a ScyllaDB name: ScyllaDB exposes flushes per table only (ADR 018).
  'headroom_memtable_flushes_total',
  'scylla_scheduler_runtime_ms{group="compaction"}',
  'scylla_scheduler_runtime_ms{group="statement"}',
] as const;

export const PER_NODE_GAUGES = [
  'scylla_storage_proxy_coordinator_foreground_reads',
  'scylla_storage_proxy_coordinator_foreground_writes',
  'scylla_compaction_manager_compactions',
  'scylla_compaction_manager_pending_compactions',
  'scylla_compaction_manager_backlog',
  'scylla_column_family_live_sstable',
] as const;

export function perNodeSeries(): number {
  const histograms = 2 * (LATENCY_BUCKETS_US.length + 1 + 2);
  const summaries = 2 * SUMMARY_QUANTILES.length;
  return PER_NODE_COUNTERS.length + PER_NODE_GAUGES.length + histograms + summaries;
}

export function clientSeries(): number {
  return 2 * (CLIENT_BUCKETS_S.length + 1 + 2) + 2 * 3 + 1;
}
