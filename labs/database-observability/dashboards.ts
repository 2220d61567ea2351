// The lab's dashboards as data, modelled on the ScyllaDB Monitoring Stack's Overview, Detailed,
// CQL Optimization and storage views, plus a history view (`offset 1d`, `offset 1w`). A panel is
// PromQL on the metrics the cluster simulator exports (ADR 018), so an instructor adds a panel by
// adding an entry here: the schema checks it, the Node test evaluates it on a simulated scenario,
// and the workbench draws it (src/scripts/workbench/dashboard-view.ts). See ADR 020.
//
// `$__rate_interval` is written as in Grafana and expanded before a query runs (expandPanelQuery):
// max(step + scrape interval, 4 × scrape interval), so a rate over a long zoomed-out range never
// falls between two scrapes. Coordinator histograms are in µs; the panels divide by 1000 for ms.
import { z } from 'zod';

export const PANEL_TYPES = ['timeseries', 'heatmap', 'stat'] as const;
export const PANEL_UNITS = ['ms', 'ops/s', 'ratio', 'percent', 'count', 'bytes', 'ms/s'] as const;
export type PanelUnit = (typeof PANEL_UNITS)[number];

const id = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, { error: 'an id is lower-case letters, digits and dashes, starting with a letter' })
  .max(48);

export const PanelQuerySchema = z.strictObject({
  /** PromQL; `$__rate_interval` is expanded before it runs. */
  expr: z.string().min(1).max(2_000),
  /** Legend of each series: text with `{{label}}` placeholders, e.g. `{{instance}} shard {{shard}}`. */
  legend: z.string().min(1).max(120),
});
export type PanelQuery = z.infer<typeof PanelQuerySchema>;

export const PanelSchema = z
  .strictObject({
    id,
    title: z.string().min(1).max(80),
    /** What the panel shows and how to read it: the renderer shows it, and it is the chart's description. */
    description: z.string().min(1).max(400),
    /** `timeseries`: a line per series; `heatmap`: a row per series (shards × time), coloured by value; `stat`: the value at the end of the range. */
    type: z.enum(PANEL_TYPES),
    unit: z.enum(PANEL_UNITS),
    queries: z.array(PanelQuerySchema).min(1).max(6),
    /** Where the values must lie (checked by the Node test; a heat map's colour scale and a graph's y axis start from it). */
    bounds: z.strictObject({ min: z.number(), max: z.number().optional() }).default({ min: 0 }),
    /** Queries (by index) that must never exceed another one's values, e.g. p50 ≤ p99: [lower, higher]. */
    ordered: z.array(z.tuple([z.int().nonnegative(), z.int().nonnegative()])).default([]),
  })
  .superRefine((panel, context) => {
    if (panel.type === 'heatmap' && panel.queries.length !== 1)
      context.addIssue({ code: 'custom', message: 'a heat map has exactly one query (its series are the rows)', path: ['queries'] });
    for (const [i, pair] of panel.ordered.entries())
      if (pair.some((q) => q >= panel.queries.length))
        context.addIssue({ code: 'custom', message: 'ordered names a query the panel does not have', path: ['ordered', i] });
  });
export type Panel = z.infer<typeof PanelSchema>;

export const DashboardSchema = z
  .strictObject({
    id,
    title: z.string().min(1).max(60),
    description: z.string().min(1).max(400),
    panels: z.array(PanelSchema).min(1).max(16),
  })
  .superRefine((dashboard, context) => {
    const seen = new Set<string>();
    for (const [i, panel] of dashboard.panels.entries()) {
      if (seen.has(panel.id))
        context.addIssue({ code: 'custom', message: `panel id ${panel.id} is used twice`, path: ['panels', i, 'id'] });
      seen.add(panel.id);
    }
  });
export type Dashboard = z.infer<typeof DashboardSchema>;

/** The scrape interval of the simulator's metrics. */
export const SCRAPE_MS = 15_000;

/** Grafana's `$__rate_interval` for a step: max(step + scrape, 4 × scrape), in whole seconds. */
export function rateInterval(stepMs: number, scrapeMs = SCRAPE_MS): string {
  return `${Math.ceil(Math.max(stepMs + scrapeMs, 4 * scrapeMs) / 1000)}s`;
}

/** A panel query as it runs for a range query with this step. */
export function expandPanelQuery(expr: string, stepMs: number): string {
  return expr.replaceAll('$__rate_interval', rateInterval(stepMs));
}

/** A series' legend: `{{label}}` replaced by the series' label (empty when it has none). */
export function formatLegend(template: string, labels: Record<string, string>): string {
  return template.replace(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g, (_match, name: string) => labels[name] ?? '');
}

// --- query builders (they keep the data readable; the data is still plain PromQL strings) ---------

const rate = (metric: string, by = '') => `sum${by ? ` by (${by})` : ''} (rate(${metric}[$__rate_interval]))`;
const quantileMs = (q: number, histogram: string, by = '', offset = '') =>
  `histogram_quantile(${q}, sum by (${by ? `${by}, ` : ''}le) (rate(${histogram}_bucket[$__rate_interval]${offset}))) / 1000`;
const READ_LAT = 'scylla_storage_proxy_coordinator_read_latency';
const WRITE_LAT = 'scylla_storage_proxy_coordinator_write_latency';
const hitRatio = (by = '', offset = '') => {
  const sum = (m: string) => `sum${by ? ` by (${by})` : ''} (rate(${m}[$__rate_interval]${offset}))`;
  return `${sum('scylla_cache_row_hits')} / (${sum('scylla_cache_row_hits')} + ${sum('scylla_cache_row_misses')})`;
};

const RAW_DASHBOARDS: z.input<typeof DashboardSchema>[] = [
  {
    id: 'overview',
    title: 'Overview',
    description:
      'Start here: the latency the coordinators and the clients see, throughput and errors. A latency rise on one node, or on all, says where to look next.',
    panels: [
      {
        id: 'read-latency-cluster',
        title: 'Read latency, cluster (coordinator)',
        description: 'p50, p95 and p99 of coordinator read latency, from the histograms of every node summed by bucket.',
        type: 'timeseries',
        unit: 'ms',
        queries: [
          { expr: quantileMs(0.5, READ_LAT), legend: 'p50' },
          { expr: quantileMs(0.95, READ_LAT), legend: 'p95' },
          { expr: quantileMs(0.99, READ_LAT), legend: 'p99' },
        ],
        ordered: [
          [0, 1],
          [1, 2],
        ],
      },
      {
        id: 'write-latency-cluster',
        title: 'Write latency, cluster (coordinator)',
        description: 'p50, p95 and p99 of coordinator write latency over all nodes.',
        type: 'timeseries',
        unit: 'ms',
        queries: [
          { expr: quantileMs(0.5, WRITE_LAT), legend: 'p50' },
          { expr: quantileMs(0.95, WRITE_LAT), legend: 'p95' },
          { expr: quantileMs(0.99, WRITE_LAT), legend: 'p99' },
        ],
        ordered: [
          [0, 1],
          [1, 2],
        ],
      },
      {
        id: 'read-p99-node',
        title: 'Read p99 per node',
        description:
          'Coordinator read p99 of each node, from its own histogram: one node above the others points at that node or its clients.',
        type: 'timeseries',
        unit: 'ms',
        queries: [{ expr: quantileMs(0.99, READ_LAT, 'instance'), legend: '{{instance}}' }],
      },
      {
        id: 'read-p99-summary',
        title: 'Read p99 per node (summary)',
        description: 'The p99 each node computes itself (the summary ScyllaDB exports for its dashboards), in ms.',
        type: 'timeseries',
        unit: 'ms',
        queries: [{ expr: `${READ_LAT}_summary{quantile="0.99"} / 1000`, legend: '{{instance}}' }],
      },
      {
        id: 'throughput',
        title: 'Throughput',
        description: 'CQL reads and inserted rows per second, over the whole cluster.',
        type: 'timeseries',
        unit: 'ops/s',
        queries: [
          { expr: rate('scylla_cql_reads'), legend: 'reads' },
          { expr: rate('scylla_cql_inserts'), legend: 'writes (rows)' },
        ],
      },
      {
        id: 'throughput-node',
        title: 'Requests per node',
        description: 'CQL reads and writes each node received as a coordinator: uneven bars mean uneven routing or a hot partition.',
        type: 'timeseries',
        unit: 'ops/s',
        queries: [{ expr: `${rate('scylla_cql_reads', 'instance')} + ${rate('scylla_cql_inserts', 'instance')}`, legend: '{{instance}}' }],
      },
      {
        id: 'timeouts',
        title: 'Coordinator timeouts',
        description: 'Reads and writes per second that exceeded the coordinator timeout.',
        type: 'timeseries',
        unit: 'ops/s',
        queries: [
          { expr: rate('scylla_storage_proxy_coordinator_read_timeouts'), legend: 'read timeouts' },
          { expr: rate('scylla_storage_proxy_coordinator_write_timeouts'), legend: 'write timeouts' },
        ],
      },
      {
        id: 'client-errors',
        title: 'Client errors and retries',
        description: 'What the application saw: client timeouts and busy connection pools per second, and the retries it sent.',
        type: 'timeseries',
        unit: 'ops/s',
        queries: [
          { expr: 'sum by (outcome) (rate(cql_client_requests_total{outcome!="ok"}[$__rate_interval]))', legend: '{{outcome}}' },
          { expr: rate('cql_client_retries_total'), legend: 'retries' },
        ],
      },
      {
        id: 'client-latency',
        title: 'Client-side p99',
        description:
          'p99 of request duration measured by the driver, per operation, of the requests answered before the client’s timeout (timeouts count under Client errors): coordinator latency plus the network.',
        type: 'timeseries',
        unit: 'ms',
        queries: [
          {
            expr: 'histogram_quantile(0.99, sum by (op, le) (rate(cql_client_request_duration_seconds_bucket[$__rate_interval]))) * 1000',
            legend: '{{op}}',
          },
        ],
      },
      {
        id: 'read-p99-now',
        title: 'Read p99 at the end of the range',
        description: 'Cluster coordinator read p99 at the last point shown.',
        type: 'stat',
        unit: 'ms',
        queries: [{ expr: quantileMs(0.99, READ_LAT), legend: 'p99' }],
      },
    ],
  },
  {
    id: 'detailed',
    title: 'Detailed (per shard)',
    description:
      'Every shard is its own CPU with its own queue: a single hot row of the heat map is one overloaded shard (a hot partition); a hot row for each shard of one node is a node problem.',
    panels: [
      {
        id: 'shard-load',
        title: 'Load per shard (replica reads + writes)',
        description:
          'Reads and writes each shard executed as a replica, per second. Rows are shards, time runs left to right; the colour key below gives the scale.',
        type: 'heatmap',
        unit: 'ops/s',
        queries: [
          {
            expr: 'sum by (instance, shard) (rate(scylla_database_total_reads[$__rate_interval]) + rate(scylla_database_total_writes[$__rate_interval]))',
            legend: '{{instance}} shard {{shard}}',
          },
        ],
      },
      {
        id: 'reactor-heatmap',
        title: 'Reactor utilisation per shard',
        description: 'How busy each shard’s reactor (CPU) was, in percent: statements plus compaction.',
        type: 'heatmap',
        unit: 'percent',
        bounds: { min: 0, max: 100 },
        queries: [{ expr: 'scylla_reactor_utilization', legend: '{{instance}} shard {{shard}}' }],
      },
      {
        id: 'reactor-node',
        title: 'Reactor utilisation, busiest shard per node',
        description: 'The busiest shard of each node: a node is as slow as its busiest shard for the partitions that shard owns.',
        type: 'timeseries',
        unit: 'percent',
        bounds: { min: 0, max: 100 },
        queries: [{ expr: 'max by (instance) (scylla_reactor_utilization)', legend: '{{instance}}' }],
      },
      {
        id: 'queue-length',
        title: 'Queued requests, longest shard queue per node',
        description: 'Time-average number of requests waiting for a shard’s reactor, the longest queue of each node.',
        type: 'timeseries',
        unit: 'count',
        queries: [{ expr: 'max by (instance) (scylla_scheduler_queue_length)', legend: '{{instance}}' }],
      },
      {
        id: 'coordinator-shard-reads',
        title: 'CQL reads per coordinator shard',
        description: 'Reads each shard received from clients as a coordinator: with a shard-aware driver this follows the owning shard.',
        type: 'heatmap',
        unit: 'ops/s',
        queries: [{ expr: 'rate(scylla_cql_reads[$__rate_interval])', legend: '{{instance}} shard {{shard}}' }],
      },
      {
        id: 'in-flight',
        title: 'Foreground reads and writes per node',
        description: 'Requests each coordinator was working on (time average): by Little’s law, throughput × latency.',
        type: 'timeseries',
        unit: 'count',
        queries: [
          { expr: 'scylla_storage_proxy_coordinator_foreground_reads', legend: '{{instance}} reads' },
          { expr: 'scylla_storage_proxy_coordinator_foreground_writes', legend: '{{instance}} writes' },
        ],
      },
    ],
  },
  {
    id: 'cql',
    title: 'CQL optimisation',
    description:
      'How the application uses CQL: unprepared statements, requests that miss the replicas, unpaged and filtering reads and reversed queries all cost the cluster more than they need to.',
    panels: [
      {
        id: 'unprepared-ratio',
        title: 'Unprepared statements',
        description:
          'Share of CQL messages sent as QUERY (parsed every time) instead of EXECUTE of a prepared statement. Should be near 0.',
        type: 'timeseries',
        unit: 'ratio',
        bounds: { min: 0, max: 1 },
        queries: [
          {
            expr: `${rate('scylla_transport_query_requests', 'instance')} / (${rate('scylla_transport_query_requests', 'instance')} + ${rate('scylla_transport_execute_requests', 'instance')})`,
            legend: '{{instance}}',
          },
        ],
      },
      {
        id: 'non-token-aware',
        title: 'Reads not sent to a replica',
        description:
          'Share of reads that arrived at a coordinator outside the partition’s replica set and had to be forwarded: a driver that is not token-aware, or unprepared statements. Should be near 0.',
        type: 'timeseries',
        unit: 'ratio',
        bounds: { min: 0, max: 1 },
        queries: [
          {
            expr: `${rate('scylla_storage_proxy_coordinator_reads_coordinator_outside_replica_set', 'instance')} / ${rate('scylla_cql_reads', 'instance')}`,
            legend: '{{instance}}',
          },
        ],
      },
      {
        id: 'cross-shard',
        title: 'Cross-shard operations',
        description: 'Replica requests that arrived on another shard than the one owning the data: a driver that is not shard-aware.',
        type: 'timeseries',
        unit: 'ops/s',
        queries: [{ expr: rate('scylla_storage_proxy_replica_cross_shard_ops', 'instance'), legend: '{{instance}}' }],
      },
      {
        id: 'unpaged',
        title: 'Unpaged reads',
        description: 'SELECTs without paging per second: each can return a whole partition (or scan) in one response.',
        type: 'timeseries',
        unit: 'ops/s',
        queries: [{ expr: rate('scylla_cql_unpaged_select_queries', 'instance'), legend: '{{instance}}' }],
      },
      {
        id: 'allow-filtering',
        title: 'ALLOW FILTERING reads',
        description: 'SELECTs with ALLOW FILTERING per second, and the rows they read to find what they return.',
        type: 'timeseries',
        unit: 'ops/s',
        queries: [
          { expr: rate('scylla_cql_select_allow_filtering'), legend: 'filtering reads' },
          { expr: rate('scylla_cql_filtered_rows_read_total'), legend: 'rows read by filtering' },
        ],
      },
      {
        id: 'filtered-share',
        title: 'Rows read for filtering, share of all rows read',
        description: 'Rows read only to be filtered out, relative to rows returned; above 1 the cluster reads more than it returns.',
        type: 'timeseries',
        unit: 'ratio',
        queries: [
          { expr: `${rate('scylla_cql_filtered_rows_read_total')} / ${rate('scylla_cql_rows_read')}`, legend: 'filtered / returned' },
        ],
      },
      {
        id: 'reverse',
        title: 'Reversed queries',
        description: 'SELECTs with ORDER BY opposite to the clustering order per second: costlier to read.',
        type: 'timeseries',
        unit: 'ops/s',
        queries: [{ expr: rate('scylla_cql_reverse_queries', 'instance'), legend: '{{instance}}' }],
      },
    ],
  },
  {
    id: 'storage',
    title: 'Storage',
    description:
      'The row cache, memtable flushes, compaction and tombstones: why a read went to disk, and what competes with queries for CPU and disk.',
    panels: [
      {
        id: 'cache-hit-ratio',
        title: 'Row cache hit ratio',
        description: 'Rows found in the row cache over rows read, per node: a drop sends reads to disk.',
        type: 'timeseries',
        unit: 'ratio',
        bounds: { min: 0, max: 1 },
        queries: [{ expr: hitRatio('instance'), legend: '{{instance}}' }],
      },
      {
        id: 'cache-misses-shard',
        title: 'Cache misses per shard',
        description: 'Rows not found in the cache, per shard, per second.',
        type: 'heatmap',
        unit: 'ops/s',
        queries: [{ expr: 'rate(scylla_cache_row_misses[$__rate_interval])', legend: '{{instance}} shard {{shard}}' }],
      },
      {
        id: 'compactions',
        title: 'Compactions running and pending',
        description: 'Compactions running (shards with a backlog) and pending per node.',
        type: 'timeseries',
        unit: 'count',
        queries: [
          { expr: 'scylla_compaction_manager_compactions', legend: '{{instance}} running' },
          { expr: 'scylla_compaction_manager_pending_compactions', legend: '{{instance}} pending' },
        ],
      },
      {
        id: 'compaction-backlog',
        title: 'Compaction backlog',
        description: 'Bytes still to compact per node; the backlog controller gives compaction more CPU shares as it grows.',
        type: 'timeseries',
        unit: 'bytes',
        queries: [{ expr: 'scylla_compaction_manager_backlog', legend: '{{instance}}' }],
      },
      {
        id: 'compaction-cpu',
        title: 'CPU share of compaction',
        description: 'Compaction’s share of the CPU time of the statement and compaction scheduling groups, per node.',
        type: 'timeseries',
        unit: 'ratio',
        bounds: { min: 0, max: 1 },
        queries: [
          {
            expr: 'sum by (instance) (rate(scylla_scheduler_runtime_ms{group="compaction"}[$__rate_interval])) / sum by (instance) (rate(scylla_scheduler_runtime_ms[$__rate_interval]))',
            legend: '{{instance}}',
          },
        ],
      },
      {
        id: 'sstables',
        title: 'Live sstables',
        description: 'Sstables per node: more of them means more disk reads per cache miss (read amplification).',
        type: 'timeseries',
        unit: 'count',
        queries: [{ expr: 'scylla_column_family_live_sstable', legend: '{{instance}}' }],
      },
      {
        id: 'flushes',
        title: 'Memtable flushes',
        description: 'Memtables flushed to new sstables per second, per node (headroom_ metric: ScyllaDB counts flushes per table).',
        type: 'timeseries',
        unit: 'ops/s',
        queries: [{ expr: 'rate(headroom_memtable_flushes_total[5m])', legend: '{{instance}}' }],
      },
      {
        id: 'tombstones',
        title: 'Tombstones read',
        description: 'Tombstones read per second, per node: each costs CPU without returning a row.',
        type: 'timeseries',
        unit: 'ops/s',
        queries: [{ expr: rate('scylla_cache_row_tombstone_reads', 'instance'), legend: '{{instance}}' }],
      },
    ],
  },
  {
    id: 'history',
    title: 'History',
    description:
      'Now next to yesterday (offset 1d) and the same time last week (offset 1w): a spike that comes back at the same hour every day is a schedule, not an accident.',
    panels: [
      {
        id: 'read-p99-history',
        title: 'Read p99: now, yesterday, last week',
        description: 'Cluster coordinator read p99 now, 24 hours earlier and 7 days earlier.',
        type: 'timeseries',
        unit: 'ms',
        queries: [
          { expr: quantileMs(0.99, READ_LAT), legend: 'now' },
          { expr: quantileMs(0.99, READ_LAT, '', ' offset 1d'), legend: 'yesterday (offset 1d)' },
          { expr: quantileMs(0.99, READ_LAT, '', ' offset 1w'), legend: 'last week (offset 1w)' },
        ],
      },
      {
        id: 'throughput-history',
        title: 'Reads per second: now, yesterday, last week',
        description: 'Cluster read throughput now and at the same time one day and one week earlier.',
        type: 'timeseries',
        unit: 'ops/s',
        queries: [
          { expr: 'sum(rate(scylla_cql_reads[$__rate_interval]))', legend: 'now' },
          { expr: 'sum(rate(scylla_cql_reads[$__rate_interval] offset 1d))', legend: 'yesterday (offset 1d)' },
          { expr: 'sum(rate(scylla_cql_reads[$__rate_interval] offset 1w))', legend: 'last week (offset 1w)' },
        ],
      },
      {
        id: 'reactor-history',
        title: 'Busiest shard: now and last week',
        description: 'Utilisation of the busiest shard in the cluster now and one week earlier, in percent.',
        type: 'timeseries',
        unit: 'percent',
        bounds: { min: 0, max: 100 },
        queries: [
          { expr: 'max(scylla_reactor_utilization)', legend: 'now' },
          { expr: 'max(scylla_reactor_utilization offset 1w)', legend: 'last week (offset 1w)' },
        ],
      },
      {
        id: 'cache-history',
        title: 'Cache hit ratio: now and last week',
        description: 'Cluster row cache hit ratio now and one week earlier.',
        type: 'timeseries',
        unit: 'ratio',
        bounds: { min: 0, max: 1 },
        queries: [
          { expr: hitRatio(), legend: 'now' },
          { expr: hitRatio('', ' offset 1w'), legend: 'last week (offset 1w)' },
        ],
      },
    ],
  },
];

export const DashboardsSchema = z.array(DashboardSchema).superRefine((dashboards, context) => {
  const seen = new Set<string>();
  for (const [i, d] of dashboards.entries()) {
    if (seen.has(d.id)) context.addIssue({ code: 'custom', message: `dashboard id ${d.id} is used twice`, path: [i, 'id'] });
    seen.add(d.id);
  }
});

/** The lab's dashboards, validated when the module loads (a bad entry fails every test and the build). */
export const DASHBOARDS: readonly Dashboard[] = DashboardsSchema.parse(RAW_DASHBOARDS);

export function findDashboard(dashboardId: string): Dashboard | undefined {
  return DASHBOARDS.find((d) => d.id === dashboardId);
}
