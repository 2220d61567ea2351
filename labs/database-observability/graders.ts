// What the database observability lab's graders share (ADR 019). The evidence is graded by what the
// learner's query *returns* on the incident's metrics, checked against what the simulator knows:
// the replica shards the token ring gives the hot partition, the node the fault slowed, the
// fraction of statements sent unprepared, the CPU share compaction took, the tombstones read per
// row, and history (a comparison with the night before). A query that returns every shard or every
// node does not isolate anything and does not pass.
import { buildRing, hashKey, replicasOf, shardOfToken } from '../runtime/cluster/ring.ts';
import type { ClusterScenario } from '../runtime/cluster/schema.ts';
import type { ClusterGrade, ClusterGradeInput } from '../runtime/lab/definition.ts';
import type { Expr, VectorSelector } from '../runtime/promql/ast.ts';
import { instantQuery, parseQuery } from '../runtime/promql/index.ts';
import type { Labels, QueryResult } from '../runtime/promql/types.ts';

export type Check = { pass: boolean; message: string };

/** The instance label of node n, as the simulator exports it. */
export function instanceOf(node: number): string {
  return `10.0.0.${node + 1}`;
}

/** The replica shards (instance and shard) that own a partition key, from the scenario's ring. */
export function replicaShardsOf(scenario: ClusterScenario, key: number): { instance: string; shard: string }[] {
  const { nodes, vnodes, replicationFactor, shardsPerNode } = scenario.topology;
  const ring = buildRing(nodes, vnodes, replicationFactor, scenario.seed);
  const token = hashKey(key, scenario.seed | 0);
  const out = new Uint16Array(replicationFactor);
  replicasOf(ring, token, out, 0);
  const shard = String(shardOfToken(token, shardsPerNode));
  return [...out].map((node) => ({ instance: instanceOf(node), shard }));
}

/** Every vector selector in a query (with its offset), or null when it does not parse. */
export function selectorsOf(query: string): VectorSelector[] | null {
  const parsed = parseQuery(query);
  if (!parsed.ok) return null;
  const out: VectorSelector[] = [];
  const walk = (e: Expr): void => {
    switch (e.kind) {
      case 'vector_selector':
        out.push(e);
        return;
      case 'matrix_selector':
        out.push(e.selector);
        return;
      case 'subquery':
        walk(e.expr);
        return;
      case 'call':
        for (const a of e.args) walk(a);
        return;
      case 'aggregate':
        if (e.param) walk(e.param);
        walk(e.expr);
        return;
      case 'binary':
        walk(e.lhs);
        walk(e.rhs);
        return;
      case 'unary':
      case 'paren':
        walk(e.expr);
        return;
      default:
        return;
    }
  };
  walk(parsed.expr as Expr);
  return out;
}

/** Whether the query reads this metric somewhere. */
export function reads(query: string, metric: string): boolean {
  return (selectorsOf(query) ?? []).some((s) => s.name === metric || s.matchers.some((m) => m.name === '__name__' && m.value === metric));
}

type Samples = { ok: true; samples: { metric: Labels; v: number }[] } | { ok: false; message: string };

/** The learner's result as instant samples (a scalar is one sample without labels). */
export function samplesOf(result: QueryResult): Samples {
  if (!result.ok) return { ok: false, message: `Your query failed: ${result.error.message}.` };
  const value = result.value;
  if (value.resultType === 'scalar') return { ok: true, samples: [{ metric: {}, v: value.v }] };
  if (value.resultType === 'matrix')
    return { ok: false, message: 'Your query returns a range vector (raw samples over time): wrap it in rate() or avg_over_time().' };
  if (value.resultType === 'string') return { ok: false, message: 'Your query returns a string; evidence is a number per series.' };
  const samples = value.result.filter((s) => Number.isFinite(s.v)).map((s) => ({ metric: s.metric, v: s.v }));
  if (samples.length === 0)
    return {
      ok: false,
      message:
        'Your query returns nothing (or only NaN) at the end of the focus window: check the metric names and label matchers, and that a comparison does not filter everything out.',
    };
  return { ok: true, samples };
}

const show = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3));

/** Evidence that names the hot partition's replica shards and nothing else. */
export function isolatesShards(input: ClusterGradeInput, hot: { instance: string; shard: string }[]): Check {
  const got = samplesOf(input.evidence.result);
  if (!got.ok) return { pass: false, message: got.message };
  const unlabelled = got.samples.find((s) => s.metric['instance'] === undefined || s.metric['shard'] === undefined);
  if (unlabelled)
    return {
      pass: false,
      message:
        'Your result has series without both instance and shard labels, so it cannot point at a shard: keep them (aggregate by (instance, shard), or not at all).',
    };
  const rf = input.incident.scenario.topology.replicationFactor;
  if (got.samples.length > rf)
    return {
      pass: false,
      message: `Your query returns ${got.samples.length} shards: that shows the load, it does not isolate the cause. A partition lives on ${rf} replica shards; rank (topk) or filter (a comparison) so only the culprits remain.`,
    };
  const key = (s: { instance: string; shard: string }) => `${s.instance}/${s.shard}`;
  const truth = new Set(hot.map(key));
  const wrong = got.samples.filter(
    (s) => !truth.has(key({ instance: s.metric['instance'] as string, shard: s.metric['shard'] as string })),
  );
  if (wrong.length > 0) {
    const w = wrong[0]?.metric;
    return {
      pass: false,
      message: `Shard ${w?.['shard']} of ${w?.['instance']} is not where the trouble is. Rank the shards by the work they do as replicas (reads executed per second), not by a signal that is similar on every shard.`,
    };
  }
  return {
    pass: true,
    message: `Your query isolates ${got.samples.map((s) => `${s.metric['instance']} shard ${s.metric['shard']}`).join(', ')}: replicas of the hottest partition (the ring puts it on shard ${hot[0]?.shard} of ${hot.map((h) => h.instance).join(', ')}).`,
  };
}

/** Evidence that names one node (by its instance label) and no other. */
export function isolatesNode(input: ClusterGradeInput, instance: string, wrongNode: string): Check {
  const got = samplesOf(input.evidence.result);
  if (!got.ok) return { pass: false, message: got.message };
  if (got.samples.some((s) => s.metric['instance'] === undefined))
    return {
      pass: false,
      message: 'Your result has series without an instance label, so it cannot point at a node: aggregate by (instance).',
    };
  const nodes = new Set(got.samples.map((s) => s.metric['instance']));
  if (nodes.size > 1)
    return {
      pass: false,
      message: `Your query returns ${nodes.size} nodes: it shows them side by side but does not single one out. Rank (topk) or filter so only the slow node remains.`,
    };
  const [only] = [...nodes];
  if (only !== instance)
    return {
      pass: false,
      message: `${only} is not the node that is slow. ${wrongNode}`,
    };
  return { pass: true, message: `Your query singles out ${instance}, the node whose host slowed it down.` };
}

/** Evidence whose every value is within `tolerance` of the truth for its instance (or the cluster, without one). */
export function matchesRatio(
  input: ClusterGradeInput,
  options: {
    metric: string;
    what: string;
    truth: (instance: string | null) => number;
    tolerance: (truth: number) => number;
    hint: (value: number, truth: number) => string;
  },
): Check {
  if (!reads(input.evidence.query, options.metric))
    return { pass: false, message: `Evidence for this cause reads ${options.metric}: your query does not use it.` };
  const got = samplesOf(input.evidence.result);
  if (!got.ok) return { pass: false, message: got.message };
  for (const sample of got.samples) {
    const instance = sample.metric['instance'] ?? null;
    const truth = options.truth(instance);
    if (!(Math.abs(sample.v - truth) <= options.tolerance(truth)))
      return {
        pass: false,
        message: `Your query gives ${show(sample.v)}${instance ? ` for ${instance}` : ''}; ${options.what} is ${show(truth)} there. ${options.hint(sample.v, truth)}`,
      };
  }
  return {
    pass: true,
    message: `Your query measures ${options.what}: ${got.samples.map((s) => `${show(s.v)}${s.metric['instance'] ? ` (${s.metric['instance']})` : ''}`).join(', ')}.`,
  };
}

/** A reference query of the grader on the incident's data, per instance and for the whole cluster. */
export function referenceByInstance(input: ClusterGradeInput, byInstance: string, cluster: string): (instance: string | null) => number {
  const at = input.evidence.time;
  const perInstance = new Map<string, number>();
  const result = instantQuery(input.incident.db, byInstance, at);
  if (result.ok && result.value.resultType === 'vector')
    for (const s of result.value.result) perInstance.set(s.metric['instance'] ?? '', s.v);
  const whole = instantQuery(input.incident.db, cluster, at);
  const clusterValue = whole.ok && whole.value.resultType === 'vector' ? (whole.value.result[0]?.v ?? Number.NaN) : Number.NaN;
  return (instance) => (instance === null ? clusterValue : (perInstance.get(instance) ?? Number.NaN));
}

/** Evidence that compares with the same time on an earlier day (an offset of whole days). */
export function comparesWithHistory(input: ClusterGradeInput): Check {
  const selectors = selectorsOf(input.evidence.query) ?? [];
  const DAY = 86_400_000;
  const offsets = selectors.map((s) => s.offsetMs).filter((o) => o > 0);
  if (offsets.length === 0)
    return {
      pass: false,
      message:
        'Your query looks at now only. Whether this is new or happens every night is in the history: compare with the same time on an earlier day (offset 1d).',
    };
  if (!offsets.some((o) => o % DAY === 0))
    return {
      pass: false,
      message: `Your offset (${offsets.map((o) => `${o / 60_000} min`).join(', ')}) does not land on the same time of an earlier day: a daily job repeats every 24 h, so use offset 1d.`,
    };
  if (selectors.every((s) => s.offsetMs > 0))
    return {
      pass: false,
      message: 'Your query reads only the past: put now next to the same time yesterday (x / x offset 1d, or x - x offset 1d).',
    };
  const got = samplesOf(input.evidence.result);
  if (!got.ok) {
    const history = (input.focus.end - input.incident.scenario.startMs) / DAY;
    return {
      pass: false,
      message: `${got.message} The cluster has ${history.toFixed(2)} days of history before the end of the focus window: an offset beyond that finds no data.`,
    };
  }
  return {
    pass: true,
    message: 'Your query puts tonight next to the night before: the same pattern at the same time is a recurring job, not a new fault.',
  };
}

/** A question's options with a note per option; the explanation shown names the right answer. */
export interface Question {
  right: string;
  /** Why the right answer is right (shown after grading, whatever was chosen). */
  why: string;
  /** Per wrong option (by id), why not; optional. */
  notes?: Record<string, string>;
}

function explain(question: Question, chosen: string): { pass: boolean; explanation: string } {
  const pass = chosen === question.right;
  const note = pass ? '' : (question.notes?.[chosen] ?? '');
  return { pass, explanation: `${pass ? 'Right.' : 'Not this one.'} ${note ? `${note} ` : ''}${question.why}`.trim() };
}

/** A cluster task's grader: three choice questions and an evidence check. */
export function clusterGrader(parts: {
  triage: Question;
  cause: Question;
  remedy: Question;
  evidence: (input: ClusterGradeInput) => Check;
}): (input: ClusterGradeInput) => ClusterGrade {
  return (input) => {
    const evidence = parts.evidence(input);
    return {
      triage: explain(parts.triage, input.choices.triage),
      cause: explain(parts.cause, input.choices.cause),
      evidence: { pass: evidence.pass, message: evidence.message },
      remediation: explain(parts.remedy, input.choices.remedy),
    };
  };
}
