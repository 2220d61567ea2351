// The simulated runs of a cluster task (ADR 019): the incident, or the incident re-run with one
// remediation's patch, for a run seed. The scenario's own seed is mixed with the run seed, so every
// run of the lab gets its own cluster (ring, hot keys, draws) while both variants of one run share
// it and differ only by the patch. Runs are simulated once and kept: at most two Tsdbs (a run's
// incident and its remedy), since a small scenario still holds a few million samples.
import { hashKey } from '../../cluster/ring.ts';
import { parseClusterScenario } from '../../cluster/schema.ts';
import { simulateCluster } from '../../cluster/simulator.ts';
import { type ClusterRun, type ClusterTask, type Lab, mergeScenario } from '../definition.ts';
import { INCIDENT } from '../messages.ts';

/** Tsdbs kept at once. */
export const CLUSTER_CACHE_SIZE = 2;

/** The scenario's seed for a run: fmix32 of the run seed keyed by the scenario's seed. */
export function mixSeed(scenarioSeed: number, runSeed: number): number {
  return hashKey(runSeed, scenarioSeed | 0);
}

export type ClusterRunResult = { ok: true; run: ClusterRun; simulatedMs: number; cached: boolean } | { ok: false; error: string };

/** The scenario a variant simulates: the task's, patched by the remediation, with the mixed seed. */
export function scenarioForRun(
  task: ClusterTask,
  variant: string,
  runSeed: number,
): { ok: true; input: unknown } | { ok: false; error: string } {
  let input = task.scenario;
  if (variant !== INCIDENT) {
    const remedy = task.remediations.find((r) => r.id === variant);
    if (!remedy) return { ok: false, error: `task "${task.id}" has no remediation "${variant.slice(0, 100)}"` };
    input = mergeScenario(task.scenario, remedy.patch);
  }
  return { ok: true, input: { ...input, seed: mixSeed(task.scenario.seed, runSeed) } };
}

let cache: { key: string; run: ClusterRun; simulatedMs: number }[] = [];

function cacheKey(lab: Lab, task: ClusterTask, variant: string, seed: number): string {
  return `${lab.id}@${lab.version}/${task.id}/${variant}#${seed}`;
}

/** Whether this run is simulated already (else the worker says "Simulating the cluster…" first). */
export function hasClusterRun(lab: Lab, task: ClusterTask, variant: string, seed: number): boolean {
  const key = cacheKey(lab, task, variant, seed);
  return cache.some((entry) => entry.key === key);
}

/** Simulates (or takes from the cache) one variant of a cluster task for a run seed. */
export function clusterRun(lab: Lab, task: ClusterTask, variant: string, seed: number): ClusterRunResult {
  const key = cacheKey(lab, task, variant, seed);
  const hit = cache.find((entry) => entry.key === key);
  if (hit) {
    cache = [...cache.filter((entry) => entry !== hit), hit];
    return { ok: true, run: hit.run, simulatedMs: hit.simulatedMs, cached: true };
  }
  const scenario = scenarioForRun(task, variant, seed);
  if (!scenario.ok) return scenario;
  const parsed = parseClusterScenario(scenario.input);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  // Let the oldest run go before the next one is built.
  if (cache.length >= CLUSTER_CACHE_SIZE) cache = cache.slice(cache.length - CLUSTER_CACHE_SIZE + 1);
  const started = performance.now();
  const result = simulateCluster(parsed.scenario);
  const simulatedMs = performance.now() - started;
  if (!result.ok) return { ok: false, error: result.error };
  const { startMs, durationMs } = parsed.scenario;
  const run: ClusterRun = {
    scenario: parsed.scenario,
    db: result.db,
    start: startMs + 15_000,
    end: startMs + durationMs,
    digest: result.summary.digest,
    series: result.summary.series,
    samples: result.summary.samples,
  };
  cache.push({ key, run, simulatedMs });
  return { ok: true, run, simulatedMs, cached: false };
}

/** Drops every cached run (tests). */
export function clearClusterRuns(): void {
  cache = [];
}
