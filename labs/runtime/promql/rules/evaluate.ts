// Rule evaluation over a period, with Prometheus's semantics (rules/group.go, recording.go,
// alerting.go):
// - at each evaluation time of a group, its rules run in order; a recording rule's results are
//   written back into the TSDB (so later rules and queries see them), series that vanish get a
//   staleness marker; an alerting rule moves each label set inactive → pending → firing (`for`),
//   keeps it firing for `keep_firing_for` after the expression stops returning it, and writes
//   ALERTS{alertstate} and ALERTS_FOR_STATE series;
// - speed: each rule's expression is ONE range query over the whole period at the group interval
//   (every step of a range query is exactly an instant query), and the states are derived from the
//   matrix step by step. Recording rules are materialised in order before the rules after them run.
//   A rule that reads a series written by itself or by a later rule of the same evaluation (which
//   Prometheus would see one interval late), or that looks ahead in time (`@`, a negative offset),
//   makes that set of groups fall back to evaluating step by step with instant queries, which is
//   exact but slower. A range query that fails at execution
//   (e.g. many-to-many matching at some steps) is redone step by step for that rule only, so only
//   the failing steps count as failed evaluations, as in Prometheus.
import { instantQuery, rangeQuery, STALE_NAN, type Tsdb } from '../index.ts';
import type { Labels, MatrixSeries, QueryOptions } from '../types.ts';
import type { AlertingRule, RecordingRule, Rule, RuleFile, RuleGroup } from './rule-file.ts';
import { type AlertTemplate, parseAlertTemplate } from './template.ts';
import type { FileIssue } from './yaml-issues.ts';

export const DEFAULT_EVALUATION_INTERVAL_MS = 60_000;
/** More evaluation steps than this in one group is refused (30 days at 15 s is 172,800). */
export const MAX_EVALUATION_STEPS = 1_000_000;
const MAX_ERRORS_KEPT = 20;

export interface EvaluateRulesOptions {
  /** First evaluation time (ms). */
  start: number;
  /** Last evaluation time is the last start + k·interval ≤ end. */
  end: number;
  /** Interval of groups without `interval` (Prometheus's global evaluation_interval, default 1m). */
  defaultIntervalMs?: number;
  externalLabels?: Readonly<Record<string, string>>;
  externalUrl?: string;
  queryOptions?: QueryOptions;
  /** Write ALERTS / ALERTS_FOR_STATE into the TSDB (default true, as Prometheus does). */
  writeAlertSeries?: boolean;
  /**
   * Evaluate all groups together at this interval, in `groupOrder` then file order, at each time —
   * what `promtool test rules` does (it ignores group intervals).
   */
  lockstep?: { intervalMs: number; groupOrder?: readonly string[] };
  /** Times at which to record every active alert with its annotations (for unit tests). */
  snapshotTimes?: readonly number[];
  /** Evaluate step by step with instant queries even where one range query per rule would do. */
  stepByStep?: boolean;
}

export type AlertState = 'inactive' | 'pending' | 'firing';

/** A band of one state; `end` is the first evaluation in the next state (exclusive). */
export interface StateInterval {
  state: 'pending' | 'firing';
  start: number;
  end: number;
}

/** One activation of an alert: from pending to resolved (or still active at the end). */
export interface AlertEpisode {
  activeAt: number;
  /** When it went from pending to firing; null if it never fired. */
  firedAt: number | null;
  /** The evaluation at which it stopped being active; null if still active at the end. */
  resolvedAt: number | null;
  /** Value and annotations as of the last evaluation that returned it. */
  value: number;
  annotations: Labels;
}

export interface AlertInstance {
  /** alertname + the series' labels (without __name__) + the rule's labels. */
  labels: Labels;
  /** Annotations as of the last evaluation that returned it. */
  annotations: Labels;
  /** Every activation, pending-only ones included. */
  episodes: AlertEpisode[];
  /** The activations that reached firing. */
  firings: { activeAt: number; firedAt: number; resolvedAt: number | null }[];
  /** Pending and firing bands over time; gaps are inactive. */
  intervals: StateInterval[];
}

/** An alert as Prometheus lists it at one evaluation (`/alerts`, promtool's comparison). */
export interface ActiveAlert {
  labels: Labels;
  annotations: Labels;
  state: 'pending' | 'firing';
  activeAt: number;
  value: number;
}

export interface RuleError {
  t: number;
  message: string;
}

export interface RecordingRuleResult {
  kind: 'record';
  group: string;
  name: string;
  /** What was written (staleness markers left out). */
  series: MatrixSeries[];
  errors: RuleError[];
  errorCount: number;
}

export interface AlertingRuleResult {
  kind: 'alert';
  group: string;
  name: string;
  alerts: AlertInstance[];
  /** ALERTS{alertstate="pending"|"firing"} and ALERTS_FOR_STATE as written (markers left out). */
  alertsSeries: MatrixSeries[];
  forStateSeries: MatrixSeries[];
  /** Snapshot time → the active alerts then (only for `snapshotTimes`). */
  snapshots: Map<number, ActiveAlert[]>;
  errors: RuleError[];
  errorCount: number;
}

export type RuleResult = RecordingRuleResult | AlertingRuleResult;

export interface GroupEvaluation {
  name: string;
  intervalMs: number;
  /** First and last evaluation time and their count. */
  firstEvaluation: number;
  lastEvaluation: number;
  evaluations: number;
  /** True when this group had to be evaluated step by step (see the module comment). */
  stepByStep: boolean;
  rules: RuleResult[];
}

export interface RuleEvaluation {
  groups: GroupEvaluation[];
}

export type EvaluateRulesResult = { ok: true; value: RuleEvaluation } | { ok: false; errors: FileIssue[] };

// ---------------------------------------------------------------------------------------------

const SEP = '\u0000';

function labelsKey(labels: Labels): string {
  const names = Object.keys(labels).sort();
  let key = '';
  for (const name of names) key += `${name}${SEP}${labels[name]}${SEP}`;
  return key;
}

/** Prometheus's labels.Compare order (sorted names, then values). */
export function compareLabelSets(a: Labels, b: Labels): number {
  const an = Object.keys(a).sort();
  const bn = Object.keys(b).sort();
  for (let i = 0; i < Math.min(an.length, bn.length); i++) {
    const x = an[i] as string;
    const y = bn[i] as string;
    if (x !== y) return x < y ? -1 : 1;
    const xv = a[x] as string;
    const yv = b[y] as string;
    if (xv !== yv) return xv < yv ? -1 : 1;
  }
  return an.length - bn.length;
}

function sortedLabels(labels: Record<string, string>): Labels {
  const out: Record<string, string> = {};
  for (const name of Object.keys(labels).sort()) if (labels[name] !== '') out[name] = labels[name] as string;
  return out;
}

/** One step's input: a source series' index and its value. */
interface StepSample {
  src: number;
  v: number;
}

/** Where a rule's per-step input comes from. */
interface RuleInput {
  metrics: Labels[];
  /** Samples at step k, or an error message for a failed evaluation. */
  at(k: number): StepSample[] | string;
}

/** Output series of one rule with Prometheus's staleness handling across evaluations. */
class OutputWriter {
  private readonly db: Tsdb;
  private readonly immediate: boolean;
  // Staleness markers are kept as indices: a NaN stored in a plain array loses its payload in V8.
  private readonly series = new Map<
    string,
    {
      labels: Labels;
      id: number;
      t: number[];
      v: number[];
      stale: Set<number>;
      last: number;
      /** Written in bulk: the arrays to load (markers included) and the series without markers. */
      packed?: { t: Float64Array; v: Float64Array; clean: MatrixSeries };
    }
  >();
  private previous: string[] = [];
  private current: string[] = [];
  errors: string[] = [];

  constructor(db: Tsdb, immediate: boolean) {
    this.db = db;
    this.immediate = immediate;
  }

  private write(key: string, t: number, v: number, stale = false): void {
    const s = this.series.get(key);
    if (!s) return;
    if (this.immediate) {
      try {
        this.db.append(s.id, t, stale ? STALE_NAN : v);
      } catch (error) {
        this.errors.push(error instanceof Error ? error.message : String(error));
      }
    }
    if (stale) s.stale.add(s.t.length);
    s.t.push(t);
    s.v.push(v);
  }

  emit(key: string, labels: Labels, t: number, v: number): void {
    let s = this.series.get(key);
    if (!s) {
      s = { labels, id: this.immediate ? this.db.seriesId(labels) : -1, t: [], v: [], stale: new Set(), last: Number.NaN };
      this.series.set(key, s);
    }
    this.write(key, t, v);
    s.last = t;
    this.current.push(key);
  }

  /** Ends a successful evaluation at `t`: series written last time but not now get a marker. */
  finish(t: number): void {
    for (const key of this.previous) {
      const s = this.series.get(key);
      if (s && s.last !== t) this.write(key, t, Number.NaN, true);
    }
    this.previous = this.current;
    this.current = [];
  }

  /** A failed evaluation writes nothing and keeps the previous set for the next staleness check. */
  abandon(): void {
    this.current = [];
  }

  /**
   * Range mode, a whole output series at once: its samples on the evaluation grid, with a staleness
   * marker at the first evaluation after each run of samples (every evaluation succeeded).
   */
  bulk(key: string, labels: Labels, t: number[], v: number[], times: Times): void {
    const lastTime = timeAt(times, times.count - 1);
    const n = t.length;
    let markers = 0;
    for (let i = 0; i < n; i++) {
      const next = (t[i] as number) + times.interval;
      if (next <= lastTime && t[i + 1] !== next) markers++;
    }
    const pt = new Float64Array(n + markers);
    const pv = new Float64Array(n + markers);
    let j = 0;
    for (let i = 0; i < n; i++) {
      const ti = t[i] as number;
      pt[j] = ti;
      pv[j++] = v[i] as number;
      const next = ti + times.interval;
      if (next <= lastTime && t[i + 1] !== next) {
        pt[j] = next;
        pv[j++] = STALE_NAN;
      }
    }
    this.series.set(key, {
      labels,
      id: -1,
      t: [],
      v: [],
      stale: new Set(),
      last: Number.NaN,
      packed: { t: pt, v: pv, clean: { metric: labels, t, v } },
    });
  }

  /** Range mode: loads everything into the TSDB at once. */
  flush(): void {
    if (this.immediate) return;
    for (const s of this.series.values()) {
      if (s.packed) {
        try {
          this.db.load(s.labels, s.packed.t, s.packed.v);
        } catch (error) {
          this.errors.push(error instanceof Error ? error.message : String(error));
        }
        continue;
      }
      if (s.t.length === 0) continue;
      const v = Float64Array.from(s.v);
      for (const i of s.stale) v[i] = STALE_NAN;
      try {
        this.db.load(s.labels, Float64Array.from(s.t), v);
      } catch (error) {
        this.errors.push(error instanceof Error ? error.message : String(error));
      }
    }
  }

  /** The written series without staleness markers, sorted by labels. */
  matrix(filter?: (labels: Labels) => boolean): MatrixSeries[] {
    const out: MatrixSeries[] = [];
    for (const s of this.series.values()) {
      if (filter && !filter(s.labels)) continue;
      if (s.packed) {
        if (s.packed.clean.t.length > 0) out.push(s.packed.clean);
        continue;
      }
      const t: number[] = [];
      const v: number[] = [];
      for (let i = 0; i < s.t.length; i++) {
        if (s.stale.has(i)) continue;
        t.push(s.t[i] as number);
        v.push(s.v[i] as number);
      }
      if (t.length > 0) out.push({ metric: s.labels, t, v });
    }
    return out.sort((a, b) => compareLabelSets(a.metric, b.metric));
  }
}

interface Processor {
  readonly rule: Rule;
  readonly writer: OutputWriter;
  step(k: number, t: number, input: StepSample[] | string, metrics: Labels[]): void;
  result(group: string, times: Times): RuleResult;
  errors: RuleError[];
  errorCount: number;
}

interface Times {
  start: number;
  interval: number;
  count: number;
}

const timeAt = (times: Times, k: number) => times.start + k * times.interval;

function noteError(p: { errors: RuleError[]; errorCount: number }, t: number, message: string): void {
  p.errorCount++;
  if (p.errors.length < MAX_ERRORS_KEPT) p.errors.push({ t, message });
}

class RecordingProcessor implements Processor {
  readonly rule: RecordingRule;
  readonly writer: OutputWriter;
  private readonly limit: number;
  private readonly keys: (string | undefined)[] = [];
  private readonly outLabels: Labels[] = [];
  errors: RuleError[] = [];
  errorCount = 0;

  constructor(rule: RecordingRule, writer: OutputWriter, limit: number) {
    this.rule = rule;
    this.writer = writer;
    this.limit = limit;
  }

  private output(src: number, metrics: Labels[]): { key: string; labels: Labels } {
    let key = this.keys[src];
    if (key === undefined) {
      const labels: Record<string, string> = { ...(metrics[src] as Labels), __name__: this.rule.name };
      for (const [name, value] of Object.entries(this.rule.labels)) labels[name] = value;
      const out = sortedLabels(labels);
      key = labelsKey(out);
      this.keys[src] = key;
      this.outLabels[src] = out;
    }
    return { key, labels: this.outLabels[src] as Labels };
  }

  /**
   * The whole range at once when no evaluation can fail: no limit and distinct output label sets.
   * Same result as stepping (the property test checks it), without a loop over every step.
   */
  tryBulk(input: RuleInput, times: Times): boolean {
    if (!(input instanceof RangeInput) || this.limit > 0) return false;
    const outputs = input.series.map((_, i) => this.output(i, input.metrics));
    if (new Set(outputs.map((o) => o.key)).size !== outputs.length) return false;
    input.series.forEach((series, i) => {
      const o = outputs[i] as { key: string; labels: Labels };
      this.writer.bulk(o.key, o.labels, series.t, series.v, times);
    });
    return true;
  }

  step(_k: number, t: number, input: StepSample[] | string, metrics: Labels[]): void {
    if (typeof input === 'string') {
      noteError(this, t, input);
      this.writer.abandon();
      return;
    }
    if (this.limit > 0 && input.length > this.limit) {
      noteError(this, t, `exceeded limit of ${this.limit} with ${input.length} series`);
      this.writer.abandon();
      return;
    }
    const seen = new Set<string>();
    const outs: { key: string; labels: Labels; v: number }[] = [];
    for (const s of input) {
      const o = this.output(s.src, metrics);
      if (seen.has(o.key)) {
        noteError(this, t, 'vector contains metrics with the same labelset after applying rule labels');
        this.writer.abandon();
        return;
      }
      seen.add(o.key);
      outs.push({ ...o, v: s.v });
    }
    for (const o of outs) this.writer.emit(o.key, o.labels, t, o.v);
    this.writer.finish(t);
  }

  result(group: string): RecordingRuleResult {
    return { kind: 'record', group, name: this.rule.name, series: this.writer.matrix(), errors: this.errors, errorCount: this.errorCount };
  }
}

interface Active {
  labels: Labels;
  key: string;
  state: 'pending' | 'firing' | 'inactive';
  activeAtK: number;
  firedAtK: number;
  keepFiringSinceK: number;
  value: number;
  /** The last sample that returned it (for lazily expanded annotations). */
  lastSrc: number;
  lastMetric: Labels;
  episode: AlertEpisode;
}

class AlertProcessor implements Processor {
  readonly rule: AlertingRule;
  readonly writer: OutputWriter;
  private readonly limit: number;
  private readonly times: Times;
  private readonly labelTemplates: [string, AlertTemplate][];
  private readonly annotationTemplates: [string, AlertTemplate][];
  private readonly plainLabels: boolean;
  private readonly externalLabels: Readonly<Record<string, string>>;
  private readonly externalUrl: string;
  private readonly writeSeries: boolean;
  private readonly snapshotSteps: Map<number, number>;
  private readonly identities: ({ key: string; labels: Labels } | undefined)[] = [];
  private readonly active = new Map<string, Active>();
  private readonly instances = new Map<string, AlertInstance>();
  readonly snapshots = new Map<number, ActiveAlert[]>();
  errors: RuleError[] = [];
  errorCount = 0;

  constructor(
    rule: AlertingRule,
    writer: OutputWriter,
    limit: number,
    times: Times,
    options: {
      externalLabels: Readonly<Record<string, string>>;
      externalUrl: string;
      writeSeries: boolean;
      snapshotSteps: Map<number, number>;
    },
  ) {
    this.rule = rule;
    this.writer = writer;
    this.limit = limit;
    this.times = times;
    this.labelTemplates = Object.entries(rule.labels).map(([n, text]) => [n, parseAlertTemplate(text, rule.name)]);
    this.annotationTemplates = Object.entries(rule.annotations).map(([n, text]) => [n, parseAlertTemplate(text, rule.name)]);
    this.plainLabels = Object.values(rule.labels).every((text) => !text.includes('{{'));
    this.externalLabels = options.externalLabels;
    this.externalUrl = options.externalUrl;
    this.writeSeries = options.writeSeries;
    this.snapshotSteps = options.snapshotSteps;
  }

  private identity(metric: Labels, v: number): { key: string; labels: Labels } {
    const labels: Record<string, string> = { ...metric };
    delete labels['__name__'];
    const data = { labels: metric, externalLabels: this.externalLabels, externalURL: this.externalUrl, value: v };
    for (const [name, template] of this.labelTemplates) labels[name] = template.expand(data);
    labels['alertname'] = this.rule.name;
    const out = sortedLabels(labels);
    return { key: labelsKey(out), labels: out };
  }

  private annotations(a: Active): Labels {
    const data = { labels: a.lastMetric, externalLabels: this.externalLabels, externalURL: this.externalUrl, value: a.value };
    const out: Record<string, string> = {};
    for (const [name, template] of this.annotationTemplates) out[name] = template.expand(data);
    return sortedLabels(out);
  }

  private instance(a: Active): AlertInstance {
    let inst = this.instances.get(a.key);
    if (!inst) {
      inst = { labels: a.labels, annotations: {}, episodes: [], firings: [], intervals: [] };
      this.instances.set(a.key, inst);
    }
    return inst;
  }

  private close(a: Active, k: number): void {
    a.state = 'inactive';
    a.episode.resolvedAt = timeAt(this.times, k);
    a.episode.value = a.value;
    a.episode.annotations = this.annotations(a);
    this.active.delete(a.key);
  }

  step(k: number, t: number, input: StepSample[] | string, metrics: Labels[]): void {
    if (typeof input === 'string') {
      noteError(this, t, input);
      this.writer.abandon();
      return;
    }
    if (input.length === 0 && this.active.size === 0) {
      // Nothing returned and nothing active: the common quiet step.
      this.writer.finish(t);
      if (this.snapshotSteps.has(k)) this.snapshots.set(t, []);
      return;
    }
    // The alerts the expression returns now, by identity.
    const present = new Map<string, { labels: Labels; v: number; src: number }>();
    for (const s of input) {
      const metric = metrics[s.src] as Labels;
      let id: { key: string; labels: Labels };
      if (this.plainLabels) {
        id = this.identities[s.src] ?? this.identity(metric, s.v);
        this.identities[s.src] = id;
      } else {
        id = this.identity(metric, s.v);
      }
      if (present.has(id.key)) {
        noteError(this, t, 'vector contains metrics with the same labelset after applying alert labels');
        this.writer.abandon();
        return;
      }
      present.set(id.key, { labels: id.labels, v: s.v, src: s.src });
    }
    for (const [key, p] of present) {
      const a = this.active.get(key);
      if (a && a.state !== 'inactive') {
        a.value = p.v;
        a.lastSrc = p.src;
        a.lastMetric = metrics[p.src] as Labels;
        a.keepFiringSinceK = -1;
        continue;
      }
      const episode: AlertEpisode = { activeAt: t, firedAt: null, resolvedAt: null, value: p.v, annotations: {} };
      const created: Active = {
        labels: p.labels,
        key,
        state: 'pending',
        activeAtK: k,
        firedAtK: -1,
        keepFiringSinceK: -1,
        value: p.v,
        lastSrc: p.src,
        lastMetric: metrics[p.src] as Labels,
        episode,
      };
      this.active.set(key, created);
      this.instance(created).episodes.push(episode);
    }
    let count = 0;
    const output: Active[] = [];
    for (const a of [...this.active.values()]) {
      if (!present.has(a.key)) {
        let keepFiring = false;
        if (a.state === 'firing' && this.rule.keepFiringForMs > 0) {
          if (a.keepFiringSinceK < 0) a.keepFiringSinceK = k;
          if (t - timeAt(this.times, a.keepFiringSinceK) < this.rule.keepFiringForMs) keepFiring = true;
        }
        if (!keepFiring) {
          this.close(a, k);
          continue;
        }
      }
      count++;
      if (a.state === 'pending' && t - timeAt(this.times, a.activeAtK) >= this.rule.forMs) {
        a.state = 'firing';
        a.firedAtK = k;
        a.episode.firedAt = t;
      }
      if (this.writeSeries) output.push(a);
    }
    if (this.limit > 0 && count > this.limit) {
      for (const a of [...this.active.values()]) this.close(a, k);
      noteError(this, t, `exceeded limit of ${this.limit} with ${count} alerts`);
      this.writer.abandon();
      return;
    }
    for (const a of output) {
      const state = a.state as 'pending' | 'firing';
      this.writer.emit(`${a.key}${state}`, sortedLabels({ ...a.labels, __name__: 'ALERTS', alertstate: state }), t, 1);
      const activeAt = timeAt(this.times, a.activeAtK) / 1000;
      this.writer.emit(`${a.key}for`, sortedLabels({ ...a.labels, __name__: 'ALERTS_FOR_STATE' }), t, activeAt);
    }
    this.writer.finish(t);
    if (this.snapshotSteps.has(k)) {
      const list: ActiveAlert[] = [];
      for (const a of this.active.values()) {
        list.push({
          labels: a.labels,
          annotations: this.annotations(a),
          state: a.state as 'pending' | 'firing',
          activeAt: timeAt(this.times, a.activeAtK),
          value: a.value,
        });
      }
      this.snapshots.set(t, list);
    }
  }

  result(group: string): AlertingRuleResult {
    const end = timeAt(this.times, this.times.count - 1) + this.times.interval;
    for (const a of this.active.values()) {
      a.episode.value = a.value;
      a.episode.annotations = this.annotations(a);
    }
    const alerts = [...this.instances.values()].sort((x, y) => compareLabelSets(x.labels, y.labels));
    for (const inst of alerts) {
      inst.intervals = [];
      inst.firings = [];
      inst.annotations = inst.episodes[inst.episodes.length - 1]?.annotations ?? {};
      for (const e of inst.episodes) {
        if (e.firedAt !== null) inst.firings.push({ activeAt: e.activeAt, firedAt: e.firedAt, resolvedAt: e.resolvedAt });
        const stop = e.resolvedAt ?? end;
        const pendingEnd = e.firedAt ?? stop;
        if (pendingEnd > e.activeAt) inst.intervals.push({ state: 'pending', start: e.activeAt, end: pendingEnd });
        if (e.firedAt !== null) inst.intervals.push({ state: 'firing', start: e.firedAt, end: stop });
      }
    }
    return {
      kind: 'alert',
      group,
      name: this.rule.name,
      alerts,
      alertsSeries: this.writer.matrix((l) => l['__name__'] === 'ALERTS'),
      forStateSeries: this.writer.matrix((l) => l['__name__'] === 'ALERTS_FOR_STATE'),
      snapshots: this.snapshots,
      errors: this.errors,
      errorCount: this.errorCount,
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Inputs

function vectorOf(result: ReturnType<typeof instantQuery>): { metrics: Labels[]; values: number[] } | string {
  if (!result.ok) return result.error.message;
  const value = result.value;
  if (value.resultType === 'scalar') return { metrics: [{}], values: [value.v] };
  if (value.resultType !== 'vector') return 'rule result is not a vector or scalar';
  return { metrics: value.result.map((s) => s.metric), values: value.result.map((s) => s.v) };
}

/** Per-step input from instant queries (step mode, or a failed range query redone). */
class InstantInput implements RuleInput {
  readonly metrics: Labels[] = [];
  private readonly index = new Map<string, number>();
  private readonly db: Tsdb;
  private readonly expr: string;
  private readonly times: Times;
  private readonly options: QueryOptions | undefined;

  constructor(db: Tsdb, expr: string, times: Times, options: QueryOptions | undefined) {
    this.db = db;
    this.expr = expr;
    this.times = times;
    this.options = options;
  }

  at(k: number): StepSample[] | string {
    const r = instantQuery(this.db, this.expr, timeAt(this.times, k), this.options);
    if (!r.ok && (r.error.kind === 'timeout' || r.error.kind === 'too_many_samples')) throw new AbortEvaluation(r.error.message);
    const vec = vectorOf(r);
    if (typeof vec === 'string') return vec;
    return vec.metrics.map((m, i) => {
      const key = labelsKey(m);
      let src = this.index.get(key);
      if (src === undefined) {
        src = this.metrics.length;
        this.metrics.push(m);
        this.index.set(key, src);
      }
      return { src, v: vec.values[i] as number };
    });
  }
}

/** Per-step input sliced from one range query's matrix. */
class RangeInput implements RuleInput {
  readonly metrics: Labels[];
  readonly series: MatrixSeries[];
  private readonly pointers: Int32Array;
  private readonly times: Times;

  constructor(series: MatrixSeries[], times: Times) {
    this.series = series;
    this.metrics = series.map((s) => s.metric);
    this.pointers = new Int32Array(series.length);
    this.times = times;
  }

  at(k: number): StepSample[] {
    const t = timeAt(this.times, k);
    const out: StepSample[] = [];
    for (let i = 0; i < this.series.length; i++) {
      const s = this.series[i] as MatrixSeries;
      let p = this.pointers[i] as number;
      while (p < s.t.length && (s.t[p] as number) < t) p++;
      this.pointers[i] = p;
      if (p < s.t.length && s.t[p] === t) out.push({ src: i, v: s.v[p] as number });
    }
    return out;
  }
}

class AbortEvaluation extends Error {}

function rangeInput(db: Tsdb, expr: string, times: Times, options: QueryOptions | undefined): RuleInput {
  const last = timeAt(times, times.count - 1);
  const r = rangeQuery(db, expr, times.start, last, times.interval, { ...options, maxPointsPerSeries: times.count + 1 });
  if (r.ok && r.value.resultType === 'matrix') return new RangeInput(r.value.result, times);
  if (!r.ok && (r.error.kind === 'timeout' || r.error.kind === 'too_many_samples')) throw new AbortEvaluation(r.error.message);
  // Some steps fail (or the type is wrong): evaluate step by step so only those steps count as failed.
  return new InstantInput(db, expr, times, options);
}

// ---------------------------------------------------------------------------------------------
// Dependencies between rules

function readNames(expr: string): { names: Set<string>; anyName: boolean; future: boolean } {
  let code = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
  // A selector without a metric name (`{job="x"}`) or on __name__ may read any series.
  const anyName = /__name__/.test(code) || /(?:^|[^A-Za-z0-9_:\s])\s*\{/.test(code);
  // `@` and negative offsets look ahead in time, where a range query would see later results.
  const future = /@/.test(code) || /offset\s*-/.test(code);
  // Label matchers, grouping clauses and durations name no series.
  code = code
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, '[]');
  const names = new Set(code.match(/[A-Za-z_:][A-Za-z0-9_:]*/g) ?? []);
  return { names, anyName, future };
}

/** True if some rule reads what itself or a later rule (in this order) writes, or looks ahead in time. */
function hasForwardReference(rules: readonly Rule[], writeAlertSeries: boolean): boolean {
  const written = rules.map((r) => (r.kind === 'record' ? [r.name] : writeAlertSeries ? ['ALERTS', 'ALERTS_FOR_STATE'] : []));
  for (let i = 0; i < rules.length; i++) {
    const { names, anyName, future } = readNames((rules[i] as Rule).expr);
    if (future && written.some((w) => w.length > 0)) return true;
    for (let j = i; j < rules.length; j++) {
      const w = written[j] as string[];
      if (w.length > 0 && (anyName || w.some((n) => names.has(n)))) return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------

interface Unit {
  groups: RuleGroup[];
  times: Times;
}

/**
 * Evaluates a rule file over [start, end], writing recording-rule results (and ALERTS) into `db`.
 * Expects a file from parseRuleFile (validated). Fails only for bad options or when a query hits
 * the sample limit or deadline; per-evaluation failures are reported in each rule's `errors`.
 */
export function evaluateRules(db: Tsdb, ruleFile: RuleFile, options: EvaluateRulesOptions): EvaluateRulesResult {
  const { start, end } = options;
  if (!Number.isFinite(start) || !Number.isFinite(end) || end < start) {
    return { ok: false, errors: [{ message: 'evaluation period: end must not be before start', path: [] }] };
  }
  const defaultInterval = options.defaultIntervalMs ?? DEFAULT_EVALUATION_INTERVAL_MS;
  const writeAlertSeries = options.writeAlertSeries ?? true;
  const units: Unit[] = [];
  const makeTimes = (interval: number): Times | string => {
    if (!(interval > 0)) return `evaluation interval must be positive, got ${interval} ms`;
    const count = Math.floor((end - start) / interval) + 1;
    if (count > MAX_EVALUATION_STEPS)
      return `${count} evaluations exceed the limit of ${MAX_EVALUATION_STEPS}; shorten the period or lengthen the interval`;
    return { start, interval, count };
  };
  if (options.lockstep) {
    const order = options.lockstep.groupOrder ?? [];
    const rank = (g: RuleGroup) => {
      const i = order.indexOf(g.name);
      return i < 0 ? order.length : i;
    };
    const groups = ruleFile.groups.map((g, i) => ({ g, i })).sort((a, b) => rank(a.g) - rank(b.g) || a.i - b.i);
    const times = makeTimes(options.lockstep.intervalMs);
    if (typeof times === 'string') return { ok: false, errors: [{ message: times, path: [] }] };
    units.push({ groups: groups.map((x) => x.g), times });
  } else {
    for (const g of ruleFile.groups) {
      const times = makeTimes(g.intervalMs ?? defaultInterval);
      if (typeof times === 'string') return { ok: false, errors: [{ message: `group ${JSON.stringify(g.name)}: ${times}`, path: [] }] };
      units.push({ groups: [g], times });
    }
  }
  const groupResults: GroupEvaluation[] = [];
  try {
    for (const unit of units) groupResults.push(...evaluateUnit(db, unit, options, writeAlertSeries));
  } catch (error) {
    if (error instanceof AbortEvaluation)
      return { ok: false, errors: [{ message: `rule evaluation stopped: ${error.message}`, path: [] }] };
    throw error;
  }
  return { ok: true, value: { groups: groupResults } };
}

function evaluateUnit(db: Tsdb, unit: Unit, options: EvaluateRulesOptions, writeAlertSeries: boolean): GroupEvaluation[] {
  const { times } = unit;
  const rules = unit.groups.flatMap((g) => g.rules.map((rule) => ({ rule, group: g })));
  const stepByStep =
    options.stepByStep === true ||
    hasForwardReference(
      rules.map((r) => r.rule),
      writeAlertSeries,
    );
  const snapshotSteps = new Map<number, number>();
  for (const t of options.snapshotTimes ?? []) {
    const k = Math.floor((t - times.start) / times.interval);
    if (k >= 0 && k < times.count) snapshotSteps.set(k, t);
  }
  const processors: Processor[] = rules.map(({ rule, group }) => {
    const writer = new OutputWriter(db, stepByStep);
    return rule.kind === 'record'
      ? new RecordingProcessor(rule, writer, group.limit)
      : new AlertProcessor(rule, writer, group.limit, times, {
          externalLabels: options.externalLabels ?? {},
          externalUrl: options.externalUrl ?? '',
          writeSeries: writeAlertSeries,
          snapshotSteps,
        });
  });
  if (stepByStep) {
    const inputs = rules.map(({ rule }) => new InstantInput(db, rule.expr, times, options.queryOptions));
    for (let k = 0; k < times.count; k++) {
      const t = timeAt(times, k);
      processors.forEach((p, i) => {
        const input = inputs[i] as InstantInput;
        p.step(k, t, input.at(k), input.metrics);
      });
    }
  } else {
    processors.forEach((p) => {
      const input = rangeInput(db, p.rule.expr, times, options.queryOptions);
      if (!(p instanceof RecordingProcessor && p.tryBulk(input, times))) {
        for (let k = 0; k < times.count; k++) p.step(k, timeAt(times, k), input.at(k), input.metrics);
      }
      p.writer.flush();
    });
  }
  const byGroup = new Map<RuleGroup, RuleResult[]>();
  processors.forEach((p, i) => {
    const group = (rules[i] as { group: RuleGroup }).group;
    const result = p.result(group.name, times);
    for (const message of p.writer.errors.slice(0, MAX_ERRORS_KEPT)) noteError(result, timeAt(times, times.count - 1), message);
    const list = byGroup.get(group) ?? [];
    list.push(result);
    byGroup.set(group, list);
  });
  return unit.groups.map((g) => ({
    name: g.name,
    intervalMs: times.interval,
    firstEvaluation: times.start,
    lastEvaluation: timeAt(times, times.count - 1),
    evaluations: times.count,
    stepByStep,
    rules: byGroup.get(g) ?? [],
  }));
}

/** The alerts of `result` that were active at snapshot time `t` (sorted by labels). */
export function alertsAt(result: AlertingRuleResult, t: number): ActiveAlert[] {
  return [...(result.snapshots.get(t) ?? [])].sort((a, b) => compareLabelSets(a.labels, b.labels));
}
