// Metric metadata of the simulated cluster, for the workbench's editor completion: the type of
// each exported metric (from the simulator's catalogue in metrics.ts) and a one-line help text
// saying what it means in ScyllaDB (ADR 018 has the full table, with what the model leaves out).
import { PER_NODE_COUNTERS, PER_NODE_GAUGES, PER_SHARD_METRICS, splitMetric } from '../../cluster/metrics.ts';
import type { MetricMetadata } from '../../telemetry/spec.ts';

const HELP: Record<string, string> = {
  scylla_reactor_utilization: 'CPU busy percentage of the shard’s reactor (statements and compaction).',
  scylla_scheduler_queue_length: 'Requests waiting for the shard’s reactor (time average).',
  scylla_scheduler_runtime_ms: 'CPU time used by a scheduling group (statement, compaction), per node.',
  scylla_cql_reads: 'CQL SELECTs received by the shard as coordinator.',
  scylla_cql_inserts: 'Rows INSERTed through the shard as coordinator.',
  scylla_database_total_reads: 'Reads (data and digest) the shard executed as a replica.',
  scylla_database_total_writes: 'Writes the shard executed as a replica.',
  scylla_cache_row_hits: 'Rows found in the shard’s row cache.',
  scylla_cache_row_misses: 'Rows not found in the row cache (read from sstables on disk).',
  scylla_cache_row_tombstone_reads: 'Tombstones read while serving reads.',
  scylla_storage_proxy_coordinator_reads_local_node: 'Replica reads the coordinator sent to its own node.',
  scylla_storage_proxy_coordinator_reads_remote_node: 'Replica reads the coordinator sent to other nodes.',
  scylla_storage_proxy_coordinator_total_write_attempts_local_node: 'Replica writes the coordinator sent to its own node.',
  scylla_storage_proxy_coordinator_total_write_attempts_remote_node: 'Replica writes the coordinator sent to other nodes.',
  scylla_storage_proxy_coordinator_reads_coordinator_outside_replica_set:
    'Reads that arrived at a node that holds no replica of the key (not token-aware).',
  scylla_storage_proxy_coordinator_writes_coordinator_outside_replica_set:
    'Writes that arrived at a node that holds no replica of the key (not token-aware).',
  scylla_storage_proxy_coordinator_read_timeouts: 'Reads that exceeded the coordinator’s read timeout.',
  scylla_storage_proxy_coordinator_write_timeouts: 'Writes that exceeded the coordinator’s write timeout.',
  scylla_storage_proxy_coordinator_speculative_digest_reads: 'Extra digest reads sent by speculative retry.',
  scylla_storage_proxy_coordinator_speculative_data_reads: 'Extra data reads sent by speculative retry.',
  scylla_storage_proxy_replica_cross_shard_ops: 'Replica operations that arrived on another shard than the owner.',
  scylla_cql_unpaged_select_queries: 'SELECTs without paging.',
  scylla_cql_reverse_queries: 'SELECTs with a reversed clustering order.',
  scylla_cql_select_allow_filtering: 'SELECTs with ALLOW FILTERING.',
  scylla_cql_filtered_rows_read_total: 'Rows read by ALLOW FILTERING queries (most of them discarded).',
  scylla_cql_rows_read: 'Rows returned by SELECTs.',
  scylla_cql_batches: 'CQL BATCH statements.',
  scylla_transport_query_requests: 'CQL QUERY messages: unprepared statements, parsed every time.',
  scylla_transport_execute_requests: 'CQL EXECUTE messages: prepared statements.',
  scylla_compaction_manager_completed_compactions: 'Compactions completed.',
  headroom_memtable_flushes_total: 'Memtable flushes to new sstables (not a ScyllaDB name: it exports flushes per table).',
  scylla_storage_proxy_coordinator_foreground_reads: 'Reads the coordinator is working on.',
  scylla_storage_proxy_coordinator_foreground_writes: 'Writes the coordinator is working on.',
  scylla_compaction_manager_compactions: 'Compactions running.',
  scylla_compaction_manager_pending_compactions: 'Compactions waiting to run.',
  scylla_compaction_manager_backlog: 'Bytes the compaction backlog holds.',
  scylla_column_family_live_sstable: 'Live sstables (read amplification grows with them).',
  scylla_storage_proxy_coordinator_read_latency: 'Coordinator read latency, µs (histogram).',
  scylla_storage_proxy_coordinator_write_latency: 'Coordinator write latency, µs (histogram).',
  scylla_storage_proxy_coordinator_read_latency_summary: 'Coordinator read latency quantiles, µs.',
  scylla_storage_proxy_coordinator_write_latency_summary: 'Coordinator write latency quantiles, µs.',
  cql_client_request_duration_seconds: 'Request latency as the client driver saw it, s (histogram).',
  cql_client_requests_total: 'Client requests by op and outcome (ok, timeout, busy_pool).',
  cql_client_retries_total: 'Retries the client driver sent after a timeout.',
};

let memo: MetricMetadata[] | undefined;

/** Every metric the simulator exports, with its type and help, sorted by name. */
export function clusterMetadata(): MetricMetadata[] {
  if (memo) return memo.map((m) => ({ ...m }));
  const out = new Map<string, MetricMetadata>();
  const add = (name: string, type: MetricMetadata['type']) => out.set(name, { name, type, help: HELP[name] ?? '' });
  PER_SHARD_METRICS.forEach((name, i) => {
    add(name, i < 2 ? 'gauge' : 'counter');
  });
  for (const spec of PER_NODE_COUNTERS) add(splitMetric(spec).name, 'counter');
  for (const name of PER_NODE_GAUGES) add(name, 'gauge');
  add('scylla_storage_proxy_coordinator_read_latency', 'histogram');
  add('scylla_storage_proxy_coordinator_write_latency', 'histogram');
  add('scylla_storage_proxy_coordinator_read_latency_summary', 'gauge');
  add('scylla_storage_proxy_coordinator_write_latency_summary', 'gauge');
  add('cql_client_request_duration_seconds', 'histogram');
  add('cql_client_requests_total', 'counter');
  add('cql_client_retries_total', 'counter');
  memo = [...out.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return memo.map((m) => ({ ...m }));
}
