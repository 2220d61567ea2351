// The cluster simulator against queueing theory and against what ScyllaDB's request path implies.
// Every figure is read back through PromQL from the exported TSDB, so the metric export is checked too.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { instantQuery, rangeQuery, type Tsdb } from '../promql/index.ts';
import { uniformKeys, zipfKeys } from './popularity.ts';
import { buildRing, hashKey, primaryOwnership, replicasOf, shardOfToken } from './ring.ts';
import type { ClusterScenarioInput } from './schema.ts';
import { simulateCluster } from './simulator.ts';

const START = Date.UTC(2026, 0, 5);
const MINUTE = 60_000;

function run(scenario: Omit<ClusterScenarioInput, 'startMs'>): Tsdb {
  const result = simulateCluster({ startMs: START, ...scenario });
  if (!result.ok) throw new Error(result.error);
  return result.db;
}

/** The single value of an instant query at `t` (ms after the start). */
function scalar(db: Tsdb, query: string, t: number): number {
  const result = instantQuery(db, query, START + t);
  if (!result.ok) throw new Error(result.error.message);
  if (result.value.resultType !== 'vector' || result.value.result.length !== 1) {
    throw new Error(`${query} gave ${JSON.stringify(result.value).slice(0, 200)}`);
  }
  return result.value.result[0]?.v as number;
}

function vector(db: Tsdb, query: string, t: number): { metric: Record<string, string>; v: number }[] {
  const result = instantQuery(db, query, START + t);
  if (!result.ok || result.value.resultType !== 'vector') throw new Error(`${query} failed`);
  return result.value.result.map((s) => ({ metric: { ...s.metric }, v: s.v }));
}

describe('token ring', () => {
  it('gives every partition RF distinct replicas, primary first', () => {
    const ring = buildRing(6, 16, 3, 42);
    const out = new Uint16Array(3);
    for (let key = 0; key < 2_000; key++) {
      replicasOf(ring, hashKey(key, 42), out, 0);
      expect(new Set(out).size).toBe(3);
      for (const node of out) expect(node).toBeLessThan(6);
    }
  });

  it('spreads ownership more evenly with more vnodes', () => {
    const spread = (vnodes: number) => {
      const shares = primaryOwnership(buildRing(6, vnodes, 3, 7));
      expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      return Math.max(...shares) / Math.min(...shares);
    };
    expect(spread(256)).toBeLessThan(spread(1));
    expect(spread(256)).toBeLessThan(1.3);
  });

  it('maps a token to the same shard index on every node, covering every shard', () => {
    const seen = new Set<number>();
    for (let key = 0; key < 1_000; key++) seen.add(shardOfToken(hashKey(key, 1), 8));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(shardOfToken(0, 8)).toBe(0);
    expect(shardOfToken(4294967295, 8)).toBe(7);
  });
});

describe('key popularity', () => {
  it('draws Zipf ranks with P(k) ∝ 1/k^s', () => {
    const zipf = zipfKeys(1_000, 1);
    expect(zipf.probability(0) / zipf.probability(1)).toBeCloseTo(2, 9);
    expect(zipf.probability(0) / zipf.probability(9)).toBeCloseTo(10, 9);
    let total = 0;
    for (let k = 0; k < 1_000; k++) total += zipf.probability(k);
    expect(total).toBeCloseTo(1, 9);
    expect(uniformKeys(10).probability(3)).toBe(0.1);
  });
});

describe('queueing on the shards', () => {
  // RF 1, CL ONE, writes only, token- and shard-aware: each request is served by exactly one shard,
  // which does the coordinator's work and the replica's, so its offered load is known in closed form.
  const scenario = {
    seed: 3,
    durationMs: 5 * MINUTE,
    requestsPerWindow: 20_000,
    topology: { nodes: 3, shardsPerNode: 2, replicationFactor: 1 },
    workload: { ratePerSecond: 60_000, readFraction: 0, writeConsistency: 'ONE', partitions: 10_000 },
    storage: { coordinatorCpuMs: 0.01, writeCpuMs: 0.02, memtableMBPerShard: 1e6 },
  } as const;
  const db = run(scenario);

  it('reports each shard utilisation ρ = λ·E[S] from the partitions it owns', () => {
    const ring = buildRing(3, 16, 1, 3);
    const owner = new Uint16Array(1);
    const lambda = new Array<number>(6).fill(0);
    for (let key = 0; key < 10_000; key++) {
      const token = hashKey(key, 3);
      replicasOf(ring, token, owner, 0);
      const shard = (owner[0] as number) * 2 + shardOfToken(token, 2);
      lambda[shard] = (lambda[shard] as number) + 60_000 / 10_000 / 1000; // per ms
    }
    const measured = vector(db, 'avg_over_time(scylla_reactor_utilization[4m])', 5 * MINUTE);
    expect(measured).toHaveLength(6);
    for (const sample of measured) {
      const shard = (Number(sample.metric['instance']?.split('.')[3]) - 1) * 2 + Number(sample.metric['shard']);
      const rho = (lambda[shard] as number) * 0.03;
      expect(sample.v / 100).toBeGreaterThan(rho - 0.03);
      expect(sample.v / 100).toBeLessThan(rho + 0.03);
    }
  });

  it("obeys Little's law: mean requests in flight = arrival rate × mean time in the system", () => {
    const inFlight = scalar(db, 'sum(avg_over_time(scylla_storage_proxy_coordinator_foreground_writes[4m]))', 5 * MINUTE);
    const rate = scalar(db, 'sum(rate(scylla_storage_proxy_coordinator_write_latency_count[4m]))', 5 * MINUTE) / 1000;
    const meanMs =
      scalar(
        db,
        'sum(rate(scylla_storage_proxy_coordinator_write_latency_sum[4m])) / sum(rate(scylla_storage_proxy_coordinator_write_latency_count[4m]))',
        5 * MINUTE,
      ) / 1000;
    expect(inFlight).toBeGreaterThan(0.5);
    expect(inFlight / (rate * meanMs)).toBeGreaterThan(0.95);
    expect(inFlight / (rate * meanMs)).toBeLessThan(1.05);
  });

  it('grows the latency as the utilisation approaches 1', () => {
    const heavier = run({ ...scenario, workload: { ...scenario.workload, ratePerSecond: 150_000 } });
    const mean = (d: Tsdb) =>
      scalar(
        d,
        'sum(rate(scylla_storage_proxy_coordinator_write_latency_sum[4m])) / sum(rate(scylla_storage_proxy_coordinator_write_latency_count[4m]))',
        5 * MINUTE,
      );
    // ρ ≈ 0.3 → ≈ 0.75: the M/M/1 factor 1/(1 − ρ) grows 2.8×; two visits per request dilute it.
    expect(mean(heavier) / mean(db)).toBeGreaterThan(1.8);
  });
});

describe('routing', () => {
  const base = {
    seed: 5,
    durationMs: 3 * MINUTE,
    requestsPerWindow: 5_000,
    topology: { nodes: 6, shardsPerNode: 4, replicationFactor: 3 },
    network: { nodeToNodeMs: 1, crossShardMs: 0.05 },
    workload: { ratePerSecond: 5_000, readFraction: 1, readConsistency: 'ONE', partitions: 20_000 },
  } as const;
  const meanRead = (d: Tsdb) =>
    scalar(
      d,
      'sum(rate(scylla_storage_proxy_coordinator_read_latency_sum[2m])) / sum(rate(scylla_storage_proxy_coordinator_read_latency_count[2m]))',
      3 * MINUTE,
    ) / 1000;

  it('costs a round-robin driver one network round trip whenever the coordinator is not a replica', () => {
    const tokenAware = run(base);
    const roundRobin = run({ ...base, client: { routing: 'round-robin' } });
    const outside = scalar(
      roundRobin,
      'sum(rate(scylla_storage_proxy_coordinator_reads_coordinator_outside_replica_set[2m])) / sum(rate(scylla_cql_reads[2m]))',
      3 * MINUTE,
    );
    // RF 3 of 6 nodes: half the coordinators a round-robin driver picks are not replicas.
    expect(outside).toBeGreaterThan(0.45);
    expect(outside).toBeLessThan(0.55);
    expect(scalar(tokenAware, 'sum(rate(scylla_storage_proxy_coordinator_reads_coordinator_outside_replica_set[2m]))', 3 * MINUTE)).toBe(0);
    // Extra latency ≈ P(not a replica) × 2 × 1 ms, plus cross-shard hops of a shard-unaware pick.
    const extra = meanRead(roundRobin) - meanRead(tokenAware);
    expect(extra).toBeGreaterThan(0.9);
    expect(extra).toBeLessThan(1.2);
    expect(scalar(roundRobin, 'sum(rate(scylla_storage_proxy_coordinator_reads_remote_node[2m]))', 3 * MINUTE)).toBeGreaterThan(0);
  });

  it('sends a shard-unaware driver to the wrong shard (S−1)/S of the time, each a cross-shard hop', () => {
    const unaware = run({ ...base, client: { shardAware: false } });
    const crossShard = scalar(
      unaware,
      'sum(rate(scylla_storage_proxy_replica_cross_shard_ops[2m])) / sum(rate(scylla_cql_reads[2m]))',
      3 * MINUTE,
    );
    expect(crossShard).toBeGreaterThan(0.7);
    expect(crossShard).toBeLessThan(0.8);
  });

  it('routes unprepared statements round-robin even with a token-aware driver', () => {
    const unprepared = run({ ...base, workload: { ...base.workload, preparedFraction: 0 } });
    expect(scalar(unprepared, 'sum(rate(scylla_transport_query_requests[2m])) / sum(rate(scylla_cql_reads[2m]))', 3 * MINUTE)).toBeCloseTo(
      1,
      6,
    );
    expect(
      scalar(
        unprepared,
        'sum(rate(scylla_storage_proxy_coordinator_reads_coordinator_outside_replica_set[2m])) / sum(rate(scylla_cql_reads[2m]))',
        3 * MINUTE,
      ),
    ).toBeGreaterThan(0.4);
  });
});

describe('key skew', () => {
  it('concentrates a Zipf workload on the shards that own the hottest partitions, as the ring predicts', () => {
    const nodes = 6;
    const shards = 8;
    const partitions = 50_000;
    const scenario = (popularity: { type: 'uniform' } | { type: 'zipf'; s: number }) => ({
      seed: 9,
      durationMs: 2 * MINUTE,
      requestsPerWindow: 5_000,
      topology: { nodes, shardsPerNode: shards, replicationFactor: 3, vnodes: 64 },
      workload: { ratePerSecond: 20_000, readFraction: 1, partitions, popularity },
    });
    // Theory: a QUORUM read reaches 2 of its 3 replicas, each with probability 2/3, so a shard's
    // share of replica reads is (2/3)/2 × the popularity of the partitions whose replicas it is.
    const predicted = (probability: (rank: number) => number) => {
      const ring = buildRing(nodes, 64, 3, 9);
      const replicas = new Uint16Array(3);
      const share = new Array<number>(nodes * shards).fill(0);
      for (let k = 0; k < partitions; k++) {
        const token = hashKey(k, 9);
        replicasOf(ring, token, replicas, 0);
        for (const node of replicas) {
          const i = node * shards + shardOfToken(token, shards);
          share[i] = (share[i] as number) + probability(k) / 3;
        }
      }
      return Math.max(...share) * nodes * shards;
    };
    const imbalance = (d: Tsdb) =>
      scalar(d, 'max(rate(scylla_database_total_reads[1m])) / avg(rate(scylla_database_total_reads[1m]))', 2 * MINUTE);
    const uniform = run(scenario({ type: 'uniform' }));
    const zipf = run(scenario({ type: 'zipf', s: 1.1 }));
    const zipfTheory = predicted(zipfKeys(partitions, 1.1).probability);
    expect(zipfTheory).toBeGreaterThan(2);
    expect(imbalance(zipf) / zipfTheory).toBeGreaterThan(0.85);
    expect(imbalance(zipf) / zipfTheory).toBeLessThan(1.15);
    expect(imbalance(uniform) / predicted(uniformKeys(partitions).probability)).toBeGreaterThan(0.85);
    expect(imbalance(uniform) / predicted(uniformKeys(partitions).probability)).toBeLessThan(1.15);
    expect(imbalance(zipf)).toBeGreaterThan(imbalance(uniform) * 1.5);
    // The hottest shard is a replica of rank 0, at the shard index its token maps to.
    const hottest = vector(zipf, 'topk(1, rate(scylla_database_total_reads[1m]))', 2 * MINUTE)[0]?.metric;
    const ring = buildRing(nodes, 64, 3, 9);
    const replicas = new Uint16Array(3);
    replicasOf(ring, hashKey(0, 9), replicas, 0);
    expect([...replicas].map((n) => `10.0.0.${n + 1}`)).toContain(hottest?.['instance']);
    expect(hottest?.['shard']).toBe(String(shardOfToken(hashKey(0, 9), shards)));
  });
});

describe('consistency levels and one slow replica', () => {
  // 3 nodes, RF 3: every partition has the slow node among its replicas.
  const base = {
    seed: 11,
    durationMs: 2 * MINUTE,
    requestsPerWindow: 4_000,
    topology: { nodes: 3, shardsPerNode: 2, replicationFactor: 3 },
    workload: { ratePerSecond: 500, readFraction: 0.5, partitions: 10_000 },
    storage: { cacheRowsPerShard: 1e6 },
  } as const;
  // Its replica work (not its coordinator work) is 50× slower: ρ ≈ 0.25 on its shards, no overload.
  const slow = { faults: [{ kind: 'slow-node' as const, node: 0, scope: 'replica' as const, factor: 50, fromMs: 0, toMs: 2 * MINUTE }] };
  const mean = (d: Tsdb, op: 'read' | 'write') =>
    scalar(
      d,
      `sum(rate(scylla_storage_proxy_coordinator_${op}_latency_sum[1m])) / sum(rate(scylla_storage_proxy_coordinator_${op}_latency_count[1m]))`,
      2 * MINUTE,
    );
  const healthy = run(base);
  const degraded = run({ ...base, ...slow });

  it('hides a slow replica from QUORUM writes, which wait for the fastest two of three', () => {
    // What remains is coordinator work queued behind the slow replica work on node 0's reactors.
    expect(mean(degraded, 'write') / mean(healthy, 'write')).toBeLessThan(1.75);
  });

  it('does not hide it from QUORUM reads, which contact only two replicas', () => {
    expect(mean(degraded, 'read') / mean(healthy, 'read')).toBeGreaterThan(3);
    expect(mean(degraded, 'read') / mean(healthy, 'read')).toBeGreaterThan((2 * mean(degraded, 'write')) / mean(healthy, 'write'));
  });

  it('hides it again from reads once speculative retry sends a third read', () => {
    const speculative = run({ ...base, ...slow, speculativeRetry: { type: 'fixed', ms: 0.3 } });
    expect(mean(speculative, 'read')).toBeLessThan(mean(degraded, 'read') / 2);
    expect(
      scalar(
        speculative,
        'sum(rate(scylla_storage_proxy_coordinator_speculative_digest_reads[1m]) + rate(scylla_storage_proxy_coordinator_speculative_data_reads[1m]))',
        2 * MINUTE,
      ),
    ).toBeGreaterThan(0);
  });

  it('makes CL ALL writes as slow as the slowest replica', () => {
    const all = run({ ...base, ...slow, workload: { ...base.workload, writeConsistency: 'ALL' } });
    expect(mean(all, 'write') / mean(healthy, 'write')).toBeGreaterThan(3);
  });
});

describe('retry storms', () => {
  // ρ ≈ 0.75 on every shard; a node slows down 3× for two minutes, so its shards overload,
  // requests time out, and a driver that retries adds load to an already saturated cluster.
  const base = (maxRetries: number) => ({
    seed: 13,
    durationMs: 8 * MINUTE,
    requestsPerWindow: 3_000,
    topology: { nodes: 3, shardsPerNode: 2, replicationFactor: 3 },
    client: { timeoutMs: 200, maxRetries },
    workload: { ratePerSecond: 30_000, readFraction: 0.5, partitions: 10_000 },
    storage: { cacheRowsPerShard: 1e6, memtableMBPerShard: 1e6 },
    faults: [{ kind: 'slow-node' as const, node: 0, factor: 3, fromMs: 2 * MINUTE, toMs: 4 * MINUTE }],
  });

  it('amplifies the offered load when timed-out requests are retried', () => {
    const withRetries = run(base(3));
    const without = run(base(0));
    const offered = (d: Tsdb, t: number) => scalar(d, 'sum(rate(scylla_cql_reads[1m]) + rate(scylla_cql_inserts[1m]))', t);
    expect(offered(without, 4 * MINUTE) / 30_000).toBeLessThan(1.05);
    expect(offered(withRetries, 4 * MINUTE) / 30_000).toBeGreaterThan(1.5);
    expect(scalar(withRetries, 'sum(rate(cql_client_retries_total[1m]))', 4 * MINUTE)).toBeGreaterThan(1_000);
  });
});

describe('determinism and bounds', () => {
  const scenario = {
    seed: 17,
    durationMs: 2 * MINUTE,
    topology: { nodes: 3, shardsPerNode: 2 },
    workload: { ratePerSecond: 5_000, popularity: { type: 'zipf' as const, s: 1 } },
  };
  /** SHA-256 of every series' labels and every value at every scrape. */
  const digest = (d: Tsdb) => {
    const all = rangeQuery(d, '{__name__=~".+"}', START + 15_000, START + 2 * MINUTE, 15_000);
    if (!all.ok || all.value.resultType !== 'matrix') throw new Error('query failed');
    const hash = createHash('sha256');
    for (const s of all.value.result) hash.update(`${JSON.stringify(s.metric)}=${s.v.join(',')}`);
    return { hex: hash.digest('hex'), series: all.value.result.length };
  };

  it('gives the same metrics for the same seed and different ones for another seed', () => {
    const first = digest(run(scenario));
    expect(first.series).toBeGreaterThan(200);
    expect(digest(run(scenario))).toEqual(first);
    expect(digest(run({ ...scenario, seed: 18 })).hex).not.toBe(first.hex);
  });

  it('refuses a scenario whose export would exceed the sample limit, saying why', () => {
    const result = simulateCluster({ ...scenario, durationMs: 31 * 86_400_000, topology: { nodes: 32, shardsPerNode: 64 } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/samples, above the limit of 40,000,000/);
  });

  it('explains invalid input field by field', () => {
    const result = simulateCluster({
      seed: 1,
      durationMs: 1000,
      topology: { nodes: 2, shardsPerNode: 1, replicationFactor: 3 },
      workload: { ratePerSecond: -1 },
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatch(/durationMs must be a multiple of 15000/);
      expect(result.error).toMatch(/topology.replicationFactor: replicationFactor must not exceed the number of nodes/);
      expect(result.error).toMatch(/workload.ratePerSecond: workload.ratePerSecond must be zero or more/);
    }
  });
});

describe('history at fewer requests per window', () => {
  // Six hours, the last one at full detail (256 per window), the five before at 64: the history must
  // agree with a run at full detail everywhere, within sampling error, in the figures a learner
  // compares with `offset` (rates, latency, utilisation).
  const HOUR = 60 * MINUTE;
  const scenario = {
    seed: 31,
    durationMs: 6 * HOUR,
    topology: { nodes: 3, shardsPerNode: 4 },
    workload: { ratePerSecond: 20_000, partitions: 10_000, readFraction: 0.8 },
  };
  const result = simulateCluster({ startMs: START, ...scenario, history: { recentMs: HOUR } });
  const full = run({ ...scenario, history: { recentMs: HOUR, requestsPerWindow: 256 } });
  if (!result.ok) throw new Error(result.error);
  const reduced = result.db;

  it('simulates 64 requests per window before the last hour and 256 in it', () => {
    const expected = 5 * 240 * 64 + 240 * 256;
    expect(result.summary.simulatedRequests / expected).toBeGreaterThan(0.97);
    expect(result.summary.simulatedRequests / expected).toBeLessThan(1.03);
    expect(result.summary.windows).toBe(6 * 240);
  });

  it('gives the same rates, latency and shard utilisation in the history as at full detail', () => {
    const at = 4 * HOUR;
    const ratio = (query: string) => scalar(reduced, query, at) / scalar(full, query, at);
    // 2 h at 64 per window is ~30,000 requests: rates and means within ~1 %, p99 within a few %.
    const rate = ratio('sum(rate(scylla_cql_reads[2h]) + rate(scylla_cql_inserts[2h]))');
    expect(Math.abs(rate - 1)).toBeLessThan(0.03);
    const meanLatency = ratio(
      'sum(rate(scylla_storage_proxy_coordinator_read_latency_sum[2h])) / sum(rate(scylla_storage_proxy_coordinator_read_latency_count[2h]))',
    );
    expect(Math.abs(meanLatency - 1)).toBeLessThan(0.03);
    const p99 = ratio('histogram_quantile(0.99, sum by (le) (rate(scylla_storage_proxy_coordinator_read_latency_bucket[2h])))');
    expect(Math.abs(p99 - 1)).toBeLessThan(0.08);
    // Utilisation counts the work a slice's requests bring, so a shorter slice does not lower it.
    const utilisation = ratio('avg(avg_over_time(scylla_reactor_utilization[2h]))');
    expect(Math.abs(utilisation - 1)).toBeLessThan(0.04);
  });

  it('refuses a history detail below 16 requests per window, saying so', () => {
    const refused = simulateCluster({ ...scenario, history: { requestsPerWindow: 8 } });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error).toMatch(/history.requestsPerWindow: history.requestsPerWindow must be at least 16/);
  });
});

describe('storage', () => {
  const HOUR = 3_600_000;
  const base = {
    seed: 2,
    durationMs: 3 * HOUR,
    requestsPerWindow: 512,
    topology: { nodes: 3, shardsPerNode: 2 },
    workload: { ratePerSecond: 5_000, partitions: 50_000 },
    storage: { cacheRowsPerShard: 20_000 },
  };
  const hitRatio = 'sum(rate(scylla_cache_row_hits[5m])) / (sum(rate(scylla_cache_row_hits[5m])) + sum(rate(scylla_cache_row_misses[5m])))';
  const p99 = 'histogram_quantile(0.99, sum by (le) (rate(scylla_storage_proxy_coordinator_read_latency_bucket[5m])))';
  const meanRead =
    'sum(rate(scylla_storage_proxy_coordinator_read_latency_sum[5m])) / sum(rate(scylla_storage_proxy_coordinator_read_latency_count[5m]))';

  it('hits the row cache in proportion to the partitions it holds (uniform keys)', () => {
    const db = run({ ...base, durationMs: 10 * MINUTE });
    // 20,000 rows × 6 shards, each partition cached on its 3 replicas: 40,000 of 50,000 partitions.
    expect(scalar(db, hitRatio, 10 * MINUTE)).toBeCloseTo(0.8, 1);
  });

  it('shows a daily unpaged batch scan only while it runs: cache pushed out, disk saturated, then recovery', () => {
    const db = run({
      ...base,
      workload: {
        ...base.workload,
        batch: { startHour: 1, durationMinutes: 60, ratePerSecond: 500, kind: 'scan', rows: 1_000, paged: false },
      },
    });
    expect(scalar(db, 'sum(rate(scylla_cql_unpaged_select_queries[5m]))', 50 * MINUTE)).toBe(0);
    expect(scalar(db, 'sum(rate(scylla_cql_unpaged_select_queries[5m]))', 90 * MINUTE)).toBeGreaterThan(400);
    expect(scalar(db, hitRatio, 90 * MINUTE)).toBeLessThan(0.1);
    expect(scalar(db, p99, 90 * MINUTE)).toBeGreaterThan(10 * scalar(db, p99, 50 * MINUTE));
    expect(scalar(db, p99, 150 * MINUTE)).toBeLessThan(2 * scalar(db, p99, 50 * MINUTE));
  });

  it('lets compaction steal CPU from reads in proportion to its scheduler shares', () => {
    const writeHeavy = (compactionShares: number) =>
      run({
        ...base,
        durationMs: HOUR,
        workload: { ratePerSecond: 20_000, readFraction: 0.3, partitions: 50_000 },
        storage: { memtableMBPerShard: 16, compactionShares, statementShares: 200 },
      });
    const greedy = writeHeavy(1_000);
    const modest = writeHeavy(50);
    expect(scalar(greedy, 'sum(rate(scylla_scheduler_runtime_ms{group="compaction"}[5m]))', HOUR)).toBeGreaterThan(0);
    expect(scalar(greedy, meanRead, HOUR)).toBeGreaterThan(1.2 * scalar(modest, meanRead, HOUR));
  });

  it('makes reads of tombstone-heavy partitions slower and counts the tombstones read', () => {
    const clean = run({ ...base, durationMs: 10 * MINUTE });
    const tombstones = run({
      ...base,
      durationMs: 10 * MINUTE,
      storage: { ...base.storage, tombstonePartitions: 0.5, tombstonesPerRow: 100 },
    });
    expect(scalar(clean, 'sum(rate(scylla_cache_row_tombstone_reads[5m]))', 10 * MINUTE)).toBe(0);
    expect(scalar(tombstones, 'sum(rate(scylla_cache_row_tombstone_reads[5m]))', 10 * MINUTE)).toBeGreaterThan(100_000);
    expect(scalar(tombstones, meanRead, 10 * MINUTE)).toBeGreaterThan(1.3 * scalar(clean, meanRead, 10 * MINUTE));
  });
});

describe('client pool and the daily profile', () => {
  it('fails requests at once with busy_pool when the pool has no free stream for a node', () => {
    const db = run({
      seed: 21,
      durationMs: 2 * MINUTE,
      requestsPerWindow: 2_000,
      topology: { nodes: 3, shardsPerNode: 1 },
      client: { maxInFlightPerNode: 4 },
      // ρ ≈ 0.9 per shard keeps several requests in flight per node, often more than 4.
      workload: { ratePerSecond: 12_000, readFraction: 0, partitions: 1_000 },
      storage: { memtableMBPerShard: 1e6 },
    });
    expect(scalar(db, 'sum(rate(cql_client_requests_total{outcome="busy_pool"}[1m]))', 2 * MINUTE)).toBeGreaterThan(100);
    expect(scalar(db, 'sum(rate(cql_client_requests_total{outcome="ok"}[1m]))', 2 * MINUTE)).toBeGreaterThan(1_000);
  });

  it('repeats the hourly profile every day, so a day-ago offset lines up', () => {
    const hourlyProfile = Array.from({ length: 24 }, (_, h) => (h === 14 ? 2 : 1));
    const db = run({
      seed: 23,
      durationMs: 2 * 86_400_000,
      requestsPerWindow: 64,
      topology: { nodes: 3, shardsPerNode: 1 },
      workload: { ratePerSecond: 1_000, partitions: 1_000, hourlyProfile },
    });
    // Over 30 min (120 windows × 64 requests) a rate's sampling error is ~1.1 %, so the ratio of two
    // is within ±0.05 of 1 with ~3σ margin (over 5 min it was ~1.2σ: a pass depended on the seed).
    const rate = 'sum(rate(scylla_cql_reads[30m]) + rate(scylla_cql_inserts[30m]))';
    const day2At14 = 86_400_000 + 14.5 * 3_600_000;
    expect(scalar(db, rate, day2At14) / scalar(db, rate, day2At14 - 3_600_000)).toBeGreaterThan(1.8);
    expect(
      scalar(db, `${rate} / (sum(rate(scylla_cql_reads[30m] offset 1d) + rate(scylla_cql_inserts[30m] offset 1d)))`, day2At14),
    ).toBeCloseTo(1, 1);
  });

  it('derives a percentile speculative-retry threshold from the previous window', () => {
    const db = run({
      seed: 25,
      durationMs: 2 * MINUTE,
      requestsPerWindow: 2_000,
      topology: { nodes: 3, shardsPerNode: 2 },
      speculativeRetry: { type: 'percentile', percentile: 90 },
      workload: { ratePerSecond: 2_000, readFraction: 1, partitions: 10_000 },
    });
    // Reads slower than the previous window's p90 get a third replica: about a tenth of them.
    const share = scalar(
      db,
      'sum(rate(scylla_storage_proxy_coordinator_speculative_digest_reads[1m]) + rate(scylla_storage_proxy_coordinator_speculative_data_reads[1m])) / sum(rate(scylla_cql_reads[1m]))',
      2 * MINUTE,
    );
    expect(share).toBeGreaterThan(0.03);
    expect(share).toBeLessThan(0.2);
  });
});

describe('query shapes the CQL optimisation dashboard counts', () => {
  const base = {
    seed: 27,
    durationMs: 2 * MINUTE,
    requestsPerWindow: 2_000,
    topology: { nodes: 3, shardsPerNode: 2 },
    workload: { ratePerSecond: 2_000, readFraction: 1, partitions: 10_000 },
  };
  const meanRead =
    'sum(rate(scylla_storage_proxy_coordinator_read_latency_sum[1m])) / sum(rate(scylla_storage_proxy_coordinator_read_latency_count[1m]))';
  const plain = run(base);

  it('counts ALLOW FILTERING reads and the rows they read to return few, and charges for them', () => {
    const filtering = run({ ...base, workload: { ...base.workload, filteringFraction: 0.1, filteredRows: 500 } });
    const share = scalar(filtering, 'sum(rate(scylla_cql_select_allow_filtering[1m])) / sum(rate(scylla_cql_reads[1m]))', 2 * MINUTE);
    expect(share).toBeGreaterThan(0.07);
    expect(share).toBeLessThan(0.13);
    expect(
      scalar(
        filtering,
        'sum(rate(scylla_cql_filtered_rows_read_total[1m])) / sum(rate(scylla_cql_select_allow_filtering[1m]))',
        2 * MINUTE,
      ),
    ).toBeCloseTo(500, 6);
    expect(scalar(filtering, meanRead, 2 * MINUTE)).toBeGreaterThan(2 * scalar(plain, meanRead, 2 * MINUTE));
  });

  it('counts reversed reads and makes them cost more', () => {
    const reversed = run({
      ...base,
      workload: { ...base.workload, reverseFraction: 1 },
      storage: { reverseCostFactor: 4, readCpuMsPerRow: 0.2 },
    });
    const forward = run({ ...base, storage: { readCpuMsPerRow: 0.2 } });
    expect(scalar(reversed, 'sum(rate(scylla_cql_reverse_queries[1m])) / sum(rate(scylla_cql_reads[1m]))', 2 * MINUTE)).toBeCloseTo(1, 6);
    expect(scalar(reversed, meanRead, 2 * MINUTE)).toBeGreaterThan(1.5 * scalar(forward, meanRead, 2 * MINUTE));
  });

  it('reads large partitions past the cache, concentrating row misses on the shards that own them', () => {
    const large = run({
      ...base,
      storage: { largePartitions: { ranks: [0, 1, 2], rows: 2_000 } },
      workload: { ...base.workload, popularity: { type: 'zipf', s: 0.8 } },
    });
    expect(scalar(large, 'max(rate(scylla_cache_row_misses[1m]))', 2 * MINUTE)).toBeGreaterThan(
      10 * scalar(plain, 'max(rate(scylla_cache_row_misses[1m]))', 2 * MINUTE),
    );
    expect(scalar(large, 'sum(rate(scylla_cql_rows_read[1m])) / sum(rate(scylla_cql_reads[1m]))', 2 * MINUTE)).toBeGreaterThan(10);
  });
});
