// The load-test engine: runs a learner's k6 script in the QuickJS sandbox against the simulated
// service, in virtual time, and produces k6's metrics, thresholds and end-of-test summary.
//
// Every VU has its own QuickJS context (k6 runs init code once per VU). VU code is synchronous,
// so a VU cannot be suspended in the middle of an iteration; instead the engine is a conservative
// discrete-event simulation with replay (ADR 009): a VU may send a request only when its virtual
// clock is the earliest pending action of all, so the simulator sees arrivals in time order. If it
// is not, the iteration is abandoned at that call and later re-run from its start, answering the
// calls it already made from a log; effects already emitted (metrics, checks, logs) are muted
// until the new call. Clock and randomness are rewound, so the replay is exact for scripts that
// keep no mutable state outside the iteration.

import { encodeHexLowerCase } from '@oslojs/encoding';
import type { QuickJSContext, QuickJSHandle } from 'quickjs-emscripten-core';
import { CookieJar, cookieHeader, parseSetCookie, type ResponseCookie, toResponseCookie } from '../http/cookies.ts';
import { digestHex } from '../http/hashes.ts';
import { type Header, type HttpRequest, headerValue, pathOf, resolveLocation, STATUS_TEXT } from '../http/message.ts';
import { parseDuration } from '../k6/duration.ts';
import { arrivalTimes, scenarioWindow, vuTarget } from '../k6/executors.ts';
import { type MetricInfo, MetricsRegistry, type Tags } from '../k6/metrics.ts';
import { applyOptionOverrides, type NormalizedOptions, normalizeOptions, type OptionOverrides } from '../k6/options.ts';
import { exitCode, renderSummary, type SummaryData, type SummaryInput, summaryData, textSummary } from '../k6/summary.ts';
import {
  checkAbortThresholds,
  evaluateThresholds,
  type ParsedThresholds,
  parseThresholds,
  THRESHOLD_CHECK_INTERVAL_MS,
  type ThresholdResults,
} from '../k6/thresholds.ts';
import {
  createSandbox,
  DEFAULT_LIMITS,
  describeError,
  type Sandbox,
  type SandboxLimits,
  type ScriptErrorInfo,
  type StringCall,
  stringCall,
  useSyncHostCalls,
} from '../sandbox/quickjs.ts';
import { type Random, restoreRandom } from '../simulator/random.ts';
import type { Service } from '../simulator/service.ts';
import { ServiceSimulator, type SimResponse } from '../simulator/simulator.ts';
import { DNS_FAILURE_MS, DNS_NO_SUCH_HOST, hostOf, type Target, TargetRouter } from '../targets/targets.ts';
import { MinHeap } from './heap.ts';
import { K6_MODULES, PRELUDE, resolveJslib } from './k6-modules.ts';
import { findUnsupported } from './unsupported.ts';
import { createVuRandom } from './vu-random.ts';

export const SCRIPT_FILE = 'script.js';
const MAX_LOG_LINES = 200;
const MAX_LOG_BYTES = 32 * 1024;
const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
const PROGRESS_EVERY_ITERATIONS = 500;
const PAUSE = '__headroom_vu_pause__';
const ABORT = '__headroom_test_abort__';
/**
 * Model 2: virtual time charged to an iteration that threw, or that otherwise advanced no virtual
 * time at all — the order of what k6 spends running a short iteration and formatting and logging
 * its exception — so such a VU does not loop at one instant.
 */
export const BARE_ITERATION_COST_MS = 1;

/** k6's exit codes (errext/exitcodes) for the ways a run can end. */
export const EXIT_CODES = {
  ok: 0,
  thresholdsFailed: 99,
  invalidConfig: 104,
  externalAbort: 105,
  scriptException: 107,
  scriptAborted: 108,
} as const;

/**
 * The behaviour of the simulated targets (ADR 017). 1: the lab's service answers every request by
 * path, whatever the host, and option errors exit 107 (lab version 1 was verified against this).
 * 2: targets are found by host name and option errors exit 104, as in k6.
 */
export type ServiceModel = 1 | 2;

/** One metric sample as k6's outputs see it; `time` is virtual ms since the test started. */
export interface MetricSample {
  metric: MetricInfo;
  /** The threshold expressions defined on the metric and its sub-metrics. */
  thresholds: string[];
  value: number;
  tags: Tags;
  time: number;
}

export interface LoadTestInput {
  script: string;
  service: Service;
  seed: number;
  /** Where the simulated service lives, for relative URLs and __ENV.BASE_URL. */
  baseUrl: string;
  env?: Record<string, string>;
  limits?: Partial<SandboxLimits>;
  onProgress?: (progress: Progress) => void;
  /** Polled between iterations: the learner pressed Stop. */
  shouldStop?: () => boolean;
  /** Defaults to 1, the model lab version 1 was verified against. */
  serviceModel?: ServiceModel;
  /** Options that win over the script's, as k6's command-line flags do. */
  optionOverrides?: OptionOverrides;
  /** Sees every sample as it is recorded (for `--out json`). */
  onSample?: (sample: MetricSample) => void;
  /** Model 2: more targets besides `service`, which is served at the host of `baseUrl`. */
  targets?: readonly Target[];
  /** The files open() may read (the lab's, or those next to the script on the command line); null when missing. */
  openFile?: (path: string) => Uint8Array | null;
}

/**
 * A simulated answer as the engine keeps it: a DNS failure has an error code and blocked time;
 * in model 2 the answer also has headers and a body.
 */
type EngineResponse = SimResponse & { errorCode?: number; blocked?: number; headers?: Header[]; body?: string };

const DEFAULT_MAX_REDIRECTS = 10;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** What k6 sends as User-Agent unless options.userAgent or a header says otherwise. */
export const DEFAULT_USER_AGENT = 'Grafana k6/2.3.0 (https://k6.io/; Headroom lab runtime)';

export interface Progress {
  virtualMs: number;
  vus: number;
  requests: number;
  requestsPerSecond: number;
}

export type RunErrorKind =
  | 'syntax'
  | 'options'
  | 'thresholds'
  | 'init'
  | 'setup'
  | 'teardown'
  | 'deadline'
  | 'memory'
  | 'stopped'
  /** The script called exec.test.abort(): the summary is kept and k6 exits 108. */
  | 'aborted';

export interface RunError {
  kind: RunErrorKind;
  message: string;
  line: number | null;
  column: number | null;
}

export interface TimeSeries {
  /** Bucket starts, seconds of virtual time. */
  t: number[];
  requestsPerSecond: number[];
  vus: number[];
  p95Ms: (number | null)[];
  errorsPerSecond: number[];
}

export interface ScenarioStats {
  name: string;
  executor: string;
  /** Highest target arrival rate for arrival-rate executors, per second; null otherwise. */
  maxRatePerSecond: number | null;
  requests: number;
  /** Latency of this scenario's requests (ms), exact percentiles; null without requests. */
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

export interface LoadTestResult {
  error: RunError | null;
  scenarios: ScenarioStats[];
  exitCode: number;
  summaryText: string;
  summary: SummaryData | null;
  thresholds: ThresholdResults;
  checks: { name: string; passes: number; fails: number }[];
  timeSeries: TimeSeries;
  console: string[];
  consoleTruncated: number;
  virtualDurationMs: number;
  requests: number;
  iterations: number;
  droppedIterations: number;
  /** Iterations cut short by the end of their scenario's graceful stop. */
  interruptedIterations: number;
  scriptErrors: number;
  /** Model 2: what the script's handleSummary() returned (file name or stdout/stderr → text); null without one. */
  summaryOutputs: Record<string, string> | null;
}

interface VuState {
  id: number;
  context: QuickJSContext;
  exports: QuickJSHandle;
  exec: QuickJSHandle | null;
  /** The guest's host.run wrapper, fetched once. */
  runner: QuickJSHandle | null;
  /** host.run(exec, data), the call that runs one iteration, prepared with the runner. */
  iterate: StringCall | null;
  /** The tags of this VU's last request and their id (the scenario is the VU's, so not kept). */
  lastRequestTags: {
    method: string;
    url: string;
    name: string;
    status: number;
    expected: boolean;
    group: string;
    tagsJson: string;
    id: number;
  } | null;
  /** setup()'s data as a handle in this VU's context, made once. */
  data: QuickJSHandle | null;
  random: Random;
  scenario: number;
  busy: boolean;
  stopAfterIteration: boolean;
  iterationsDone: number;
  // the iteration in progress
  iterStart: number;
  iterRandomState: number[] | null;
  log: EngineResponse[];
  replayIndex: number;
  clock: number;
  muted: boolean;
  paused: boolean;
  pauseAt: number;
  groups: { name: string; start: number }[];
  iteration: number;
  /** The iteration's number among all of its scenario's (exec.scenario.iterationInTest). */
  scenarioIteration: number;
  /** Virtual time at which the VU's last iteration ended. */
  freeAt: number;
  /** Model 2: the VU's cookies, cleared when each iteration (or its replay) starts, as k6 does. */
  jar: CookieJar;
  /** True while the script's init code runs (open() is only allowed then). */
  inInit: boolean;
  /** http.setResponseCallback(http.expectedStatuses(...)): the statuses that count as expected; null is k6's default, 200–399. */
  expectedStatuses: { min: number; max: number }[] | null;
}

type EventKind = { kind: 'vu'; vu: VuState } | { kind: 'arrival'; scenario: number } | { kind: 'ramp'; plan: number; t: number };

interface RampPlan {
  pool: VuState[];
  start: number;
  stagesEnd: number;
  scenario: number;
  running: number;
}

/** ramping-vus targets are re-read this often (virtual ms). */
const RAMP_STEP_MS = 100;
interface Event {
  time: number;
  seq: number;
  event: EventKind;
}

class RunAborted extends Error {
  readonly runError: RunError;
  constructor(runError: RunError) {
    super(runError.message);
    this.runError = runError;
  }
}

export async function runLoadTest(input: LoadTestInput): Promise<LoadTestResult> {
  const limits = { ...DEFAULT_LIMITS, ...input.limits };
  const sandbox = await createSandbox(limits, K6_MODULES, resolveJslib);
  const run = new Run(input, sandbox);
  try {
    return await run.execute();
  } finally {
    run.dispose();
    sandbox.dispose();
  }
}

class Run {
  private readonly registry = new MetricsRegistry();
  /** The built-in metrics every request adds a sample to, looked up once. */
  private readonly http = httpMetricHandles(this.registry);
  /** Model 1: one service answers every host. */
  private readonly simulator: ServiceSimulator | null;
  /** Model 2: targets by host name. */
  private readonly router: TargetRouter | null;
  private readonly heap = new MinHeap<Event>((a, b) => a.time - b.time || a.seq - b.seq);
  private seq = 0;
  private readonly vus: VuState[] = [];
  private readonly consoleLines: string[] = [];
  private consoleBytes = 0;
  private consoleDropped = 0;
  private options!: NormalizedOptions;
  private setupData: unknown = undefined;
  private offset = 0;
  private requestCount = 0;
  private iterationCount = 0;
  private dropped = 0;
  private interrupted = 0;
  private scriptErrors = 0;
  private readonly checkCounts = new Map<string, { passes: number; fails: number }>();
  // per-request series for charts (requests arrive in time order)
  private reqTimes = new Float64Array(1 << 16);
  private reqDurations = new Float64Array(1 << 16);
  private reqFailed = new Uint8Array(1 << 16);
  private reqScenario = new Uint8Array(1 << 16);
  private readonly vuChanges = new VuChanges();
  /** Live progress: changes not yet counted, by time, and the sum of those already counted. */
  private readonly liveChanges = new MinHeap<{ time: number; delta: number }>((a, b) => a.time - b.time);
  private liveActive = 0;
  private active = 0;
  private lastProgressAt = 0;
  private stopped = false;
  /** exec.test.abort() was called: host calls fail until teardown, and the loop ends. */
  private aborting = false;
  private abortMessage: string | null = null;
  private abortedByThreshold = false;
  private endTime = 0;
  private readonly customMetrics = new Map<string, string>();
  /** SharedArray contents by name, as JSON, built by the first VU. */
  private readonly sharedArrays = new Map<string, string>();
  private readonly groupPaths = new Set<string>();
  private readonly failedContexts: QuickJSContext[] = [];
  /** Interned tag-set ids by a cheap key: interning the same tags per request dominated the profile. */
  private readonly tagIds = new Map<string, number>();
  private readonly scenarioTagIds = new Map<number, number>();

  private readonly rampPlans: RampPlan[] = [];
  private readonly arrivals: { times: number[]; next: number }[] = [];

  private readonly input: LoadTestInput;
  private readonly sandbox: Sandbox;

  constructor(input: LoadTestInput, sandbox: Sandbox) {
    this.input = input;
    this.sandbox = sandbox;
    if ((input.serviceModel ?? 1) >= 2) {
      this.simulator = null;
      // `service` answers at the host of baseUrl unless a built-in target already claims that host.
      this.router = new TargetRouter(
        [{ hosts: [hostOf(input.baseUrl)], service: input.service }, ...(input.targets ?? [])].sort(
          (a, b) => Number(claims(b, input.baseUrl)) - Number(claims(a, input.baseUrl)),
        ),
        input.seed,
      );
    } else {
      this.simulator = new ServiceSimulator(input.service, input.seed);
      this.router = null;
    }
  }

  /** Frees every VU's context; QuickJS requires it before its runtime is freed. */
  dispose(): void {
    for (const vu of this.vus) {
      vu.iterate?.dispose();
      vu.exec?.dispose();
      vu.runner?.dispose();
      if (vu.data && vu.data !== vu.context.undefined) vu.data.dispose();
      if (vu.exports !== vu.context.undefined) vu.exports.dispose();
      vu.context.dispose();
    }
    for (const context of this.failedContexts) context.dispose();
  }

  async execute(): Promise<LoadTestResult> {
    try {
      const unsupported = findUnsupported(this.input.script, (name) => name in K6_MODULES || resolveJslib(name) !== undefined);
      if (unsupported) throw new RunAborted({ kind: 'init', message: unsupported.message, line: unsupported.line, column: null });
      const initVu = this.createVu(0, -1);
      const optionsHandle = initVu.context.getProp(initVu.exports, 'options');
      const scriptOptions = initVu.context.typeof(optionsHandle) === 'undefined' ? {} : initVu.context.dump(optionsHandle);
      optionsHandle.dispose();
      const rawOptions = this.input.optionOverrides ? applyOptionOverrides(scriptOptions, this.input.optionOverrides) : scriptOptions;
      const normalized = normalizeOptions(rawOptions);
      if (!normalized.ok) throw new RunAborted({ kind: 'options', message: normalized.error, line: null, column: null });
      this.options = normalized.value;
      const thresholds = parseThresholds(this.options.thresholds, this.registry.types());
      if (!thresholds.ok) throw new RunAborted({ kind: 'thresholds', message: thresholds.error, line: null, column: null });
      this.attachSampleSink();
      this.runSetup(initVu);
      if (!this.aborting) {
        this.schedule();
        this.loop(thresholds.value);
      }
      this.aborting = false;
      this.runTeardown(initVu);
      return this.finish(null, thresholds.value);
    } catch (error) {
      if (error instanceof RunAborted) return this.finish(error.runError, null);
      throw error;
    }
  }

  private attachSampleSink(): void {
    const sink = this.input.onSample;
    if (!sink) return;
    const thresholdsOf = new Map<string, string[]>();
    for (const [key, list] of Object.entries(this.options.thresholds)) {
      const metric = key.split('{', 1)[0] ?? key;
      thresholdsOf.set(metric, [...(thresholdsOf.get(metric) ?? []), ...list.map((t) => t.threshold)]);
    }
    const registry = this.registry;
    registry.onSample = (name, value, tagSet, time) => {
      const metric = registry.info(name);
      if (!metric) return;
      sink({ metric, thresholds: thresholdsOf.get(name) ?? [], value, tags: registry.tagsOf(tagSet), time: time - this.offset });
    };
  }

  // --- VUs ------------------------------------------------------------------------------------

  private createVu(id: number, scenario: number): VuState {
    const context = this.sandbox.runtime.newContext();
    useSyncHostCalls(context);
    const vu: VuState = {
      id,
      context,
      exports: context.undefined,
      exec: null,
      runner: null,
      iterate: null,
      lastRequestTags: null,
      data: null,
      random: createVuRandom(this.input.seed, id),
      scenario,
      busy: false,
      stopAfterIteration: false,
      iterationsDone: 0,
      iterStart: 0,
      iterRandomState: null,
      log: [],
      replayIndex: 0,
      clock: this.offset,
      muted: false,
      paused: false,
      pauseAt: 0,
      groups: [],
      iteration: 0,
      scenarioIteration: 0,
      freeAt: 0,
      jar: new CookieJar(),
      inInit: false,
      expectedStatuses: null,
    };
    this.installHost(vu);
    // Model 1 always pointed BASE_URL at the lab's service; model 2 lets `-e BASE_URL=…` win, as in k6.
    const env = toHandleJson(
      context,
      (this.input.serviceModel ?? 1) >= 2
        ? { BASE_URL: this.input.baseUrl, ...this.input.env }
        : { ...this.input.env, BASE_URL: this.input.baseUrl },
    );
    context.setProp(context.global, '__ENV', env);
    env.dispose();
    const vuNumber = context.newNumber(id);
    context.setProp(context.global, '__VU', vuNumber);
    vuNumber.dispose();
    const prelude = context.evalCode(PRELUDE, 'prelude.js', { type: 'global' });
    if (prelude.error) {
      prelude.error.dispose();
      throw new Error('the sandbox prelude failed');
    }
    prelude.value.dispose();
    vu.inInit = true;
    const result = context.evalCode(this.input.script, SCRIPT_FILE, { type: 'module' });
    vu.inInit = false;
    if (result.error) {
      const info = this.describe(vu, result.error);
      result.error.dispose();
      this.failedContexts.push(context);
      const kind: RunErrorKind = info.name === 'SyntaxError' ? 'syntax' : 'init';
      throw new RunAborted(this.sandboxError(kind, info));
    }
    vu.exports = result.value;
    this.vus.push(vu);
    return vu;
  }

  private describe(vu: VuState, handle: QuickJSHandle): ScriptErrorInfo {
    return describeError(vu.context, handle, SCRIPT_FILE);
  }

  private sandboxError(kind: RunErrorKind, info: ScriptErrorInfo): RunError {
    if (this.sandbox.deadlineExceeded() || (info.name === 'InternalError' && info.message === 'interrupted')) {
      return {
        kind: 'deadline',
        message:
          'The script ran past its time limit and was stopped. Look for a loop that never ends (for example while (true) {}) in the default function, setup() or init code.',
        line: info.line,
        column: info.column,
      };
    }
    if (info.message === 'out of memory') {
      return {
        kind: 'memory',
        message: 'The script used more memory than the lab allows and was stopped.',
        line: info.line,
        column: info.column,
      };
    }
    const where = info.line === null ? '' : ` (line ${info.line}, column ${info.column})`;
    return { kind, message: `${info.name}: ${info.message}${where}`, line: info.line, column: info.column };
  }

  private installHost(vu: VuState): void {
    const { context } = vu;
    const host = context.newObject();
    // Host functions take at most four arguments (missing ones are undefined) and may answer a
    // plain string, which useSyncHostCalls turns into a guest string without a handle.
    type Arg = QuickJSHandle; // undefined at run time when the guest passed fewer arguments
    const fn = (name: string, impl: (a: Arg, b: Arg, c: Arg, d: Arg) => QuickJSHandle | string | undefined) => {
      const handle = context.newFunction(name, ((a: Arg, b: Arg, c: Arg, d: Arg) => {
        if (vu.paused) return { error: context.newError({ name: 'Interrupted', message: PAUSE }) };
        if (this.aborting) return { error: context.newError({ name: 'Interrupted', message: ABORT }) };
        return impl(a, b, c, d);
      }) as unknown as Parameters<QuickJSContext['newFunction']>[1]);
      context.setProp(host, name, handle);
      handle.dispose();
    };
    // One string in (method, URL, params and body joined by \u0001) and one compact string out: crossing
    // the WebAssembly boundary dominates the cost of a request, so both are kept short.
    fn('request', (head, pending) => {
      this.takeChecks(vu, pending);
      // method \u0001 url \u0001 params \u0001 body (the body is the rest, whatever it holds)
      const text = context.getString(head);
      const a = text.indexOf('\u0001');
      const b = text.indexOf('\u0001', a + 1);
      const c = text.indexOf('\u0001', b + 1);
      if (a < 0 || b < 0 || c < 0) throw new Error('malformed request from k6/http');
      const answer = this.request(vu, text.slice(0, a), text.slice(a + 1, b), text.slice(c + 1), parseParams(text.slice(b + 1, c)));
      return answer === PAUSE ? context.newError({ name: 'Interrupted', message: PAUSE }) : answer;
    });
    fn('batch', (list, pending) => {
      this.takeChecks(vu, pending);
      const requests = JSON.parse(context.getString(list)) as { method: string; url: string; body: string; params: HttpParams }[];
      // k6 sends a batch in parallel: every request leaves at the same moment.
      const start = vu.clock;
      const answers: string[] = [];
      let end = start;
      for (const r of requests) {
        vu.clock = start;
        const answer = this.request(vu, r.method, r.url, r.body, {
          ...(r.params ?? {}),
          ...(r.params?.tags ? { tagsJson: JSON.stringify(r.params.tags) } : {}),
        });
        if (answer === PAUSE) return context.newError({ name: 'Interrupted', message: PAUSE });
        answers.push(answer);
        end = Math.max(end, vu.clock);
      }
      vu.clock = end;
      return context.newString(answers.join('\u0002'));
    });
    fn('sleep', (seconds, pending) => {
      this.takeChecks(vu, pending);
      vu.clock += context.getNumber(seconds) * 1000;
      return undefined;
    });
    fn('groupEnter', (name, pending) => {
      this.takeChecks(vu, pending);
      vu.groups.push({ name: context.getString(name), start: vu.clock });
      this.groupPaths.add(groupPath(vu));
      return undefined;
    });
    fn('groupLeave', (pending) => {
      this.takeChecks(vu, pending);
      const group = vu.groups.pop();
      if (group && !vu.muted)
        this.registry.add('group_duration', vu.clock - group.start, { group: `${groupPath(vu)}::${group.name}` }, vu.clock);
      return undefined;
    });
    fn('defineMetric', (type, name, isTime) => {
      const metricName = context.getString(name);
      const metricType = context.getString(type);
      const existing = this.customMetrics.get(metricName);
      if (existing !== undefined && existing !== metricType) return context.newError(`metric "${metricName}" is already a ${existing}`);
      if (existing === undefined) {
        try {
          this.registry.define(metricName, metricType as 'counter', context.dump(isTime) === true ? 'time' : 'default');
        } catch (error) {
          return context.newError((error as Error).message);
        }
        this.customMetrics.set(metricName, metricType);
      }
      return undefined;
    });
    fn('addMetric', (name, value, tags) => {
      if (!vu.muted)
        this.registry.add(
          context.getString(name),
          context.getNumber(value),
          { group: groupPath(vu), ...parseTags(context.getString(tags)) },
          vu.clock,
        );
      return undefined;
    });
    fn('now', () => context.newNumber(Math.floor(vu.clock)));
    fn('digest', (algorithm, dataHex, keyHex, keyed) => {
      try {
        return context.newString(
          digestHex(
            context.getString(algorithm),
            context.getString(dataHex),
            context.getNumber(keyed) === 1 ? context.getString(keyHex) : null,
          ),
        );
      } catch (error) {
        return context.newError((error as Error).message);
      }
    });
    fn('setExpected', (json) => {
      const ranges = JSON.parse(context.getString(json)) as { min: number; max: number }[] | null;
      vu.expectedStatuses = ranges;
      return undefined;
    });
    fn('sharedGet', (name) => context.newString(this.sharedArrays.get(context.getString(name)) ?? ''));
    fn('sharedSet', (name, json) => {
      this.sharedArrays.set(context.getString(name), context.getString(json));
      return undefined;
    });
    fn('open', (path, mode) => {
      const file = context.getString(path);
      if (!vu.inInit) return context.newError("open() can't be used outside the init context");
      const bytes = this.input.openFile?.(file) ?? null;
      if (bytes === null) return context.newError(`open(): no file '${file}' is available to the script`);
      return context.newString(context.getString(mode) === 'b' ? encodeHexLowerCase(bytes) : new TextDecoder().decode(bytes));
    });
    fn('textSummary', (data, options) => {
      try {
        const opts = JSON.parse(context.getString(options)) as { indent?: string; enableColors?: boolean };
        return context.newString(
          textSummary(JSON.parse(context.getString(data)) as SummaryData, {
            ...(typeof opts.indent === 'string' ? { indent: opts.indent } : {}),
            ...(typeof opts.enableColors === 'boolean' ? { enableColors: opts.enableColors } : {}),
          }),
        );
      } catch (error) {
        return context.newError(`textSummary(): ${(error as Error).message}`);
      }
    });
    fn('jarGet', (url) => {
      const out: Record<string, string[]> = {};
      for (const cookie of vu.jar.cookiesFor(context.getString(url), vu.clock))
        out[cookie.name] = [...(out[cookie.name] ?? []), cookie.value];
      return context.newString(JSON.stringify(out));
    });
    fn('jarSet', (url, name, value, optionsJson) => {
      const options = JSON.parse(context.getString(optionsJson)) as Record<string, unknown>;
      const attributes = [`${context.getString(name)}=${context.getString(value)}`];
      if (typeof options['domain'] === 'string') attributes.push(`Domain=${options['domain']}`);
      if (typeof options['path'] === 'string') attributes.push(`Path=${options['path']}`);
      if (typeof options['max_age'] === 'number') attributes.push(`Max-Age=${options['max_age']}`);
      if (typeof options['expires'] === 'string') attributes.push(`Expires=${options['expires']}`);
      if (options['secure'] === true) attributes.push('Secure');
      if (options['http_only'] === true) attributes.push('HttpOnly');
      const cookie = parseSetCookie(attributes.join('; '), context.getString(url), vu.clock);
      if (cookie === null) return context.newError(`the cookie's domain does not match ${context.getString(url)}`);
      // Set through the jar API: the path defaults to the URL's, not its directory.
      if (typeof options['path'] !== 'string') cookie.path = '/';
      vu.jar.store(cookie);
      return undefined;
    });
    fn('jarDelete', (url, name) => {
      const cookieName = context.getString(name);
      vu.jar.remove(context.getString(url), vu.clock, cookieName === '' ? undefined : cookieName);
      return undefined;
    });
    fn('execInfo', () => context.newString(JSON.stringify(this.execInfo(vu))));
    fn('abort', (message, pending) => {
      this.takeChecks(vu, pending);
      if (vu.muted) vu.muted = false;
      this.aborting = true;
      const text = context.typeof(message) === 'string' ? context.getString(message) : '';
      this.abortMessage = text === '' ? 'test aborted' : `test aborted: ${text}`;
      this.log(`[VU ${vu.id}] error: ${this.abortMessage}`);
      return context.newError({ name: 'Interrupted', message: ABORT });
    });
    fn('iteration', () => context.newNumber(vu.iteration));
    fn('random', () => context.newNumber(vu.random.next()));
    fn('log', (level, text) => {
      if (!vu.muted) this.log(`[VU ${vu.id}] ${context.getString(level)}: ${context.getString(text)}`);
      return undefined;
    });
    const model = context.newNumber(this.input.serviceModel ?? 1);
    context.setProp(host, 'model', model);
    model.dispose();
    context.setProp(context.global, '__k6', host);
    host.dispose();
  }

  /** Records checks the guest buffered (name \u0001 ok \u0001 tags, each ending in \u0002) at the VU's clock. */
  private takeChecks(vu: VuState, pending: QuickJSHandle | undefined): void {
    if (pending === undefined) return;
    const text = vu.context.getString(pending);
    if (text !== '') this.recordChecks(vu, text);
  }

  private recordChecks(vu: VuState, text: string): void {
    let from = 0;
    while (from < text.length) {
      const end = text.indexOf('\u0002', from);
      const a = text.indexOf('\u0001', from);
      const b = text.indexOf('\u0001', a + 1);
      const checkName = text.slice(from, a);
      const passed = text.charCodeAt(a + 1) === 49;
      const tagsJson = text.slice(b + 1, end);
      from = end + 1;
      if (vu.muted) continue;
      const counts = this.checkCounts.get(checkName) ?? { passes: 0, fails: 0 };
      if (passed) counts.passes += 1;
      else counts.fails += 1;
      this.checkCounts.set(checkName, counts);
      const key = `check\u0000${checkName}\u0000${groupPath(vu)}\u0000${tagsJson}`;
      let id = this.tagIds.get(key);
      if (id === undefined) {
        id = this.registry.internTags({ check: checkName, group: groupPath(vu), ...parseTags(tagsJson) });
        this.tagIds.set(key, id);
      }
      this.registry.add('checks', passed ? 1 : 0, id, vu.clock);
    }
  }

  /** Checks still buffered in the guest after code that did not end through host.run (setup, teardown, an exception). */
  private flushChecks(vu: VuState): void {
    const { context } = vu;
    const host = context.getProp(context.global, '__k6');
    const pending = context.getProp(host, 'pending');
    const text = context.typeof(pending) === 'string' ? context.getString(pending) : '';
    pending.dispose();
    if (text !== '') {
      const empty = context.newString('');
      context.setProp(host, 'pending', empty);
      empty.dispose();
      this.recordChecks(vu, text);
    }
    host.dispose();
  }

  private log(line: string): void {
    if (this.consoleLines.length >= MAX_LOG_LINES || this.consoleBytes + line.length > MAX_LOG_BYTES) {
      this.consoleDropped += 1;
      return;
    }
    const clipped = line.length > 2000 ? `${line.slice(0, 2000)}… (line cut at 2000 characters)` : line;
    this.consoleLines.push(clipped);
    this.consoleBytes += clipped.length;
  }

  // --- HTTP -----------------------------------------------------------------------------------

  /** Sends (or replays) one request; returns the compact response line, or PAUSE. */
  private request(vu: VuState, method: string, url: string, body: string, params: HttpParams): string {
    const absolute = url.startsWith('/') ? `${this.input.baseUrl}${url}` : url;
    if (this.router !== null) return this.requestWithContent(vu, method, absolute, body, params);
    const response = this.exchange(vu, { method, url: absolute, headers: [], body, now: vu.clock }, params);
    if (response === PAUSE) return PAUSE;
    // status|duration|waiting|sending|receiving|endpoint|discard|errorCode|blocked \u0003 url — decoded by k6/http.
    return `${this.responseLine(response, params)}\u0003${absolute}`;
  }

  private responseLine(response: EngineResponse, params: HttpParams): string {
    const discard = this.options.discardResponseBodies || params.responseType === 'none' ? 1 : 0;
    return `${response.status}|${response.duration}|${response.waiting}|${response.sending}|${response.receiving}|${response.endpoint ?? ''}|${discard}|${response.errorCode ?? ''}|${response.blocked ?? 0}`;
  }

  /**
   * Model 2: a request with headers, cookies and a body, following redirects as k6 does (up to
   * params.redirects or options.maxRedirects, 10 by default; each hop is a request of its own in
   * the metrics). Answers line, proto, headers, cookies and body, separated by \u0001.
   */
  private requestWithContent(vu: VuState, method: string, url: string, body: string, params: HttpParams): string {
    const maxRedirects = params.redirects ?? this.options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
    let current: HttpRequest = { method, url, headers: this.requestHeaders(vu, url, body, params), body, now: vu.clock };
    for (let hop = 0; ; hop += 1) {
      const response = this.exchange(vu, current, params);
      if (response === PAUSE) return PAUSE;
      const location = REDIRECT_STATUSES.has(response.status) ? headerValue(response.headers ?? [], 'location') : undefined;
      if (location === undefined || hop >= maxRedirects) {
        if (location !== undefined && maxRedirects > 0 && !vu.muted)
          this.log(
            `[VU ${vu.id}] warn: Stopped after ${hop} redirects and returned the redirection; pass { redirects: n } in request params or set global maxRedirects option`,
          );
        return this.encodeAnswer(vu, current.url, response, params);
      }
      const next = resolveLocation(current.url, location);
      const keepBody = response.status === 307 || response.status === 308;
      const nextMethod = keepBody || current.method === 'HEAD' ? current.method : 'GET';
      const nextBody = keepBody ? current.body : '';
      const headers = (params.headers ? Object.entries(params.headers) : []).filter(
        ([name]) => keepBody || !/^content-(type|length)$/i.test(name),
      );
      current = {
        method: nextMethod,
        url: next,
        headers: this.requestHeaders(vu, next, nextBody, { ...params, headers: Object.fromEntries(headers) }),
        body: nextBody,
        now: vu.clock,
      };
    }
  }

  /** The headers a request carries: the script's, Host, User-Agent, Cookie and the body's length. */
  private requestHeaders(vu: VuState, url: string, body: string, params: HttpParams): Header[] {
    const headers: Header[] = [['Host', hostOf(url)]];
    const given = params.headers ?? {};
    const has = (name: string) => Object.keys(given).some((key) => key.toLowerCase() === name);
    if (!has('user-agent')) headers.push(['User-Agent', this.options.userAgent ?? DEFAULT_USER_AGENT]);
    for (const [name, value] of Object.entries(given)) headers.push([name, String(value)]);
    // k6 turns credentials in the URL (http://user:pass@host/) into basic authentication.
    const userinfo = /^[a-z][a-z0-9+.-]*:\/\/([^/?#@]*)@/i.exec(url)?.[1];
    if (userinfo !== undefined && !has('authorization')) headers.push(['Authorization', `Basic ${btoa(decodeURIComponent(userinfo))}`]);
    if (body !== '' && !has('content-length')) headers.push(['Content-Length', String(utf8Length(body))]);
    const jarCookies = vu.jar.cookiesFor(url, vu.clock);
    const cookies: { name: string; value: string }[] = jarCookies.map((c) => ({ name: c.name, value: c.value }));
    for (const [name, spec] of Object.entries(params.cookies ?? {})) {
      const value = typeof spec === 'object' && spec !== null ? String(spec.value ?? '') : String(spec);
      const replace = typeof spec === 'object' && spec !== null && spec.replace === true;
      const existing = cookies.findIndex((c) => c.name === name);
      if (existing >= 0 && replace) cookies[existing] = { name, value };
      else if (existing < 0) cookies.push({ name, value });
    }
    if (cookies.length > 0 && !has('cookie')) headers.push(['Cookie', cookieHeader(cookies)]);
    return headers;
  }

  private encodeAnswer(vu: VuState, url: string, response: EngineResponse, params: HttpParams): string {
    const headers: Record<string, string> = {};
    for (const [name, value] of response.headers ?? []) {
      const key = canonicalHeaderName(name);
      headers[key] = headers[key] === undefined ? value : `${headers[key]}, ${value}`;
    }
    const cookies: Record<string, ResponseCookie[]> = {};
    for (const [name, value] of response.headers ?? []) {
      if (name.toLowerCase() !== 'set-cookie') continue;
      const cookie = parseSetCookie(value, url, vu.clock);
      if (cookie) cookies[cookie.name] = [...(cookies[cookie.name] ?? []), toResponseCookie(cookie, vu.clock)];
    }
    const proto = response.status === 0 ? '' : url.startsWith('https:') ? 'HTTP/2.0' : 'HTTP/1.1';
    return `${this.responseLine(response, params)}\u0003${url}\u0001${proto}\u0001${JSON.stringify(headers)}\u0001${JSON.stringify(cookies)}\u0001${response.body ?? ''}`;
  }

  /** One request on the wire, or its answer from the replay log; applies Set-Cookie to the VU's jar. */
  private exchange(vu: VuState, request: HttpRequest, params: HttpParams): EngineResponse | typeof PAUSE {
    const { method, url } = request;
    let response: EngineResponse;
    if (vu.replayIndex < vu.log.length) {
      response = vu.log[vu.replayIndex] as EngineResponse;
      vu.replayIndex += 1;
    } else {
      // Conservative order: send only if no other pending action is earlier (ties go ahead).
      const next = this.heap.peek();
      if (next && vu.clock > next.time) {
        vu.paused = true;
        vu.pauseAt = vu.clock;
        return PAUSE;
      }
      if (vu.clock >= this.scenarioHardEnd(vu)) {
        vu.paused = true;
        vu.pauseAt = Number.POSITIVE_INFINITY;
        return PAUSE;
      }
      vu.muted = false;
      request.now = vu.clock;
      response = this.send(vu, request);
      const timeout = params.timeout === undefined ? DEFAULT_REQUEST_TIMEOUT_MS : parseTimeout(params.timeout);
      if (response.duration > timeout)
        response = {
          ...response,
          status: 0,
          duration: timeout,
          end: response.arrival + timeout,
          waiting: timeout,
          receiving: 0,
          bodyBytes: 0,
          ...(response.headers ? { headers: [], body: '' } : {}),
        };
      vu.log.push(response);
      vu.replayIndex += 1;
      this.recordRequest(vu, method, url, params, response);
    }
    vu.clock = response.end;
    for (const [name, value] of response.headers ?? []) {
      if (name.toLowerCase() !== 'set-cookie') continue;
      const cookie = parseSetCookie(value, url, vu.clock);
      if (cookie) vu.jar.store(cookie);
    }
    return response;
  }

  private send(vu: VuState, request: HttpRequest): EngineResponse {
    const { method, url, body } = request;
    const bodyBytes = body.length;
    if (this.simulator !== null) return this.simulator.submit({ arrival: vu.clock, method, url, bodyBytes });
    const target = this.router?.route(url) ?? null;
    if (target === null) {
      this.log(`[VU ${vu.id}] warn: Request Failed error="${method} ${url}: lookup ${hostOf(url) || url}: no such host"`);
      return { ...dnsFailure(vu.clock), headers: [], body: '' };
    }
    if (target.responder === null) {
      const timed = target.simulator.submit({ arrival: vu.clock, method, url, bodyBytes });
      const invented = JSON.stringify({ endpoint: timed.endpoint, status: timed.status });
      return { ...timed, headers: [['Content-Type', 'application/json']], body: invented };
    }
    // One timing route per responder target; the responder decides status and content.
    const timed = target.simulator.submit({ arrival: vu.clock, method: 'GET', url: '/', bodyBytes });
    if (timed.status !== 200) {
      const text = STATUS_TEXT[timed.status] ?? '';
      return { ...timed, headers: [['Content-Type', 'text/plain; charset=utf-8']], body: text };
    }
    const answer = target.responder(request, () => target.random.next());
    const delay = answer.delayMs ?? 0;
    const receiving = timed.receiving * (answer.body.length / Math.max(1, timed.bodyBytes));
    const waiting = timed.waiting + delay;
    const duration = timed.sending + waiting + receiving;
    return {
      ...timed,
      status: answer.status,
      waiting,
      receiving,
      duration,
      end: timed.arrival + duration,
      bodyBytes: answer.body.length,
      endpoint: pathOf(url),
      headers: [...answer.headers, ['Content-Length', String(utf8Length(answer.body))]],
      body: answer.body,
    };
  }

  private recordRequest(vu: VuState, method: string, url: string, params: HttpParams, response: EngineResponse): void {
    const expected = isExpected(vu.expectedStatuses, response.status);
    const name = params.tags?.['name'] ?? url;
    const group = groupPath(vu);
    const at = response.end;
    const tagsJson = params.tagsJson ?? '';
    // Most scripts repeat one request: the VU's last tag set is compared before building a key.
    const last = vu.lastRequestTags;
    let id =
      last !== null &&
      last.url === url &&
      last.method === method &&
      last.name === name &&
      last.status === response.status &&
      last.expected === expected &&
      last.group === group &&
      last.tagsJson === tagsJson
        ? last.id
        : undefined;
    if (id === undefined) {
      const cacheKey = `${method}\u0000${url}\u0000${name}\u0000${response.status}\u0000${expected ? 1 : 0}\u0000${group}\u0000${vu.scenario}\u0000${tagsJson}`;
      id = this.tagIds.get(cacheKey);
      if (id === undefined) {
        id = this.registry.internTags({
          method,
          url,
          name,
          status: String(response.status),
          expected_response: String(expected),
          group,
          scenario: this.scenarioName(vu),
          ...(params.tags ?? {}),
        });
        this.tagIds.set(cacheKey, id);
      }
      vu.lastRequestTags = { method, url, name, status: response.status, expected, group, tagsJson, id };
    }
    const { registry, http } = this;
    const sent = response.errorCode === DNS_NO_SUCH_HOST.code;
    registry.addTo(http.reqs, 1, id, at);
    registry.addTo(http.duration, response.duration, id, at);
    registry.addTo(http.waiting, response.waiting, id, at);
    registry.addTo(http.sending, response.sending, id, at);
    registry.addTo(http.receiving, response.receiving, id, at);
    registry.addTo(http.blocked, response.blocked ?? 0, id, at);
    registry.addTo(http.connecting, 0, id, at);
    registry.addTo(http.tlsHandshaking, 0, id, at);
    registry.addTo(http.failed, expected ? 0 : 1, id, at);
    registry.addTo(http.dataSent, sent ? 0 : 200 + url.length, id, at);
    registry.addTo(http.dataReceived, sent ? 0 : response.bodyBytes + 150, id, at);
    if (this.requestCount === this.reqTimes.length) this.growSeries();
    this.reqTimes[this.requestCount] = response.arrival;
    this.reqDurations[this.requestCount] = response.duration;
    this.reqFailed[this.requestCount] = expected ? 0 : 1;
    this.reqScenario[this.requestCount] = Math.max(0, vu.scenario) & 0xff;
    this.requestCount += 1;
  }

  private growSeries(): void {
    this.reqTimes = grow(this.reqTimes, (n) => new Float64Array(n));
    this.reqDurations = grow(this.reqDurations, (n) => new Float64Array(n));
    this.reqFailed = grow(this.reqFailed, (n) => new Uint8Array(n));
    this.reqScenario = grow(this.reqScenario, (n) => new Uint8Array(n));
  }

  // --- scenarios --------------------------------------------------------------------------------

  private scenarioName(vu: VuState): string {
    return this.options.scenarios[vu.scenario]?.name ?? 'setup';
  }

  /** The interned `{ scenario }` tag set of the VU's scenario, made once per scenario. */
  private scenarioTags(vu: VuState): number {
    let id = this.scenarioTagIds.get(vu.scenario);
    if (id === undefined) {
      id = this.registry.internTags({ scenario: this.scenarioName(vu) });
      this.scenarioTagIds.set(vu.scenario, id);
    }
    return id;
  }

  private scenarioHardEnd(vu: VuState): number {
    const scenario = this.options.scenarios[vu.scenario];
    if (!scenario) return Number.POSITIVE_INFINITY;
    return this.offset + scenarioWindow(scenario).gracefulEnd;
  }

  private push(time: number, event: EventKind): void {
    this.seq += 1;
    this.heap.push({ time, seq: this.seq, event });
  }

  private setActive(time: number, delta: number): void {
    this.active += delta;
    this.vuChanges.record(time, delta);
    if (this.input.onProgress) this.liveChanges.push({ time, delta });
  }

  private schedule(): void {
    let nextId = 1;
    this.options.scenarios.forEach((scenario, index) => {
      const window = scenarioWindow(scenario);
      const start = this.offset + window.start;
      if (scenario.executor === 'constant-arrival-rate' || scenario.executor === 'ramping-arrival-rate') {
        for (let i = 0; i < scenario.preAllocatedVUs; i += 1) this.createVu(nextId++, index);
        this.arrivals[index] = { times: arrivalTimes(scenario).map((t) => this.offset + t), next: 0 };
        this.pushNextArrival(index);
        return;
      }
      if (scenario.executor === 'ramping-vus') {
        const stagesEnd = window.end - window.start;
        const maxTarget = Math.max(scenario.startVUs, ...scenario.stages.map((stage) => stage.target));
        const pool: VuState[] = [];
        for (let i = 0; i < maxTarget; i += 1) pool.push(this.createVu(nextId++, index));
        this.rampPlans.push({ pool, start, stagesEnd, scenario: index, running: 0 });
        this.push(start, { kind: 'ramp', plan: this.rampPlans.length - 1, t: 0 });
        return;
      }
      let vus = scenario.vus;
      if (scenario.executor === 'shared-iterations') {
        // Each VU takes one of the shared iterations as it starts; the rest are handed out as VUs free up.
        vus = Math.min(vus, scenario.iterations);
        this.sharedLeft.set(index, scenario.iterations - vus);
      }
      if (scenario.executor === 'per-vu-iterations' && scenario.iterations === 0) vus = 0;
      for (let i = 0; i < vus; i += 1) {
        const vu = this.createVu(nextId++, index);
        vu.busy = true;
        this.setActive(start, 1);
        this.startIteration(vu, start);
      }
    });
  }

  private readonly sharedLeft = new Map<number, number>();
  private readonly scenarioIterations = new Map<number, number>();

  private nextScenarioIteration(scenario: number): number {
    const next = this.scenarioIterations.get(scenario) ?? 0;
    this.scenarioIterations.set(scenario, next + 1);
    return next;
  }

  /** What k6/execution reports to this VU now. */
  private execInfo(vu: VuState): unknown {
    const scenario = this.options.scenarios[vu.scenario];
    const window = scenario ? scenarioWindow(scenario) : null;
    const elapsed = vu.clock - this.offset;
    return {
      vu: { idInTest: vu.id, idInInstance: vu.id, iterationInInstance: vu.iteration, iterationInScenario: vu.iteration },
      scenario: scenario
        ? {
            name: scenario.name,
            executor: scenario.executor,
            startTime: this.offset + (window?.start ?? 0),
            progress:
              window && window.end > window.start ? Math.min(1, Math.max(0, (elapsed - window.start) / (window.end - window.start))) : 0,
            iterationInInstance: vu.scenarioIteration,
            iterationInTest: vu.scenarioIteration,
          }
        : null,
      instance: {
        vusActive: this.active,
        vusInitialized: this.vus.length,
        iterationsCompleted: this.iterationCount,
        iterationsInterrupted: this.scriptErrors,
        currentTestRunDuration: Math.max(0, elapsed),
      },
    };
  }

  private pushNextArrival(scenario: number): void {
    const plan = this.arrivals[scenario];
    if (!plan || plan.next >= plan.times.length) return;
    this.push(plan.times[plan.next] as number, { kind: 'arrival', scenario });
    plan.next += 1;
  }

  private applyRamp(planIndex: number, t: number, time: number): void {
    const plan = this.rampPlans[planIndex];
    const scenario = plan ? this.options.scenarios[plan.scenario] : undefined;
    if (!plan || !scenario) return;
    if (scenario.executor !== 'ramping-vus' && scenario.executor !== 'constant-vus') return;
    const target = vuTarget(scenario, t);
    while (plan.running < target) {
      const vu = plan.pool[plan.running] as VuState;
      vu.stopAfterIteration = false;
      if (!vu.busy) {
        vu.busy = true;
        this.setActive(time, 1);
        this.startIteration(vu, time);
      }
      plan.running += 1;
    }
    while (plan.running > target) {
      plan.running -= 1;
      // Graceful ramp-down: the VU finishes its iteration, then stops.
      (plan.pool[plan.running] as VuState).stopAfterIteration = true;
    }
    if (t + RAMP_STEP_MS <= plan.stagesEnd) this.push(time + RAMP_STEP_MS, { kind: 'ramp', plan: planIndex, t: t + RAMP_STEP_MS });
  }

  private startIteration(vu: VuState, time: number): void {
    vu.scenarioIteration = this.nextScenarioIteration(vu.scenario);
    vu.iterStart = time;
    vu.clock = time;
    vu.log = [];
    vu.iterRandomState = null;
    this.push(time, { kind: 'vu', vu });
  }

  private canStartAnother(vu: VuState, time: number): boolean {
    const scenario = this.options.scenarios[vu.scenario];
    if (!scenario || vu.stopAfterIteration) return false;
    const window = scenarioWindow(scenario);
    if (time >= this.offset + window.end) return false;
    if (scenario.executor === 'per-vu-iterations') return vu.iterationsDone < scenario.iterations;
    if (scenario.executor === 'shared-iterations') {
      const left = this.sharedLeft.get(vu.scenario) ?? scenario.iterations;
      if (left <= 0) return false;
      this.sharedLeft.set(vu.scenario, left - 1);
      return true;
    }
    return scenario.executor === 'constant-vus' || scenario.executor === 'ramping-vus';
  }

  // --- the event loop ---------------------------------------------------------------------------

  private loop(thresholds: ParsedThresholds): void {
    let nextAbortCheck = this.offset + THRESHOLD_CHECK_INTERVAL_MS;
    for (let event = this.heap.pop(); event; event = this.heap.pop()) {
      if (event.time >= nextAbortCheck) {
        nextAbortCheck = event.time + THRESHOLD_CHECK_INTERVAL_MS;
        if (checkAbortThresholds(thresholds, this.registry, event.time - this.offset).abort) {
          this.abortedByThreshold = true;
          break;
        }
        if (this.input.shouldStop?.()) {
          this.stopped = true;
          break;
        }
      }
      this.endTime = Math.max(this.endTime, event.time);
      if (event.event.kind === 'arrival') {
        this.pushNextArrival(event.event.scenario);
        this.startArrival(event.event.scenario, event.time);
        if (this.aborting) break;
        continue;
      }
      if (event.event.kind === 'ramp') {
        this.applyRamp(event.event.plan, event.event.t, event.time);
        continue;
      }
      const vu = event.event.vu;
      if (!vu.busy) continue;
      this.runIteration(vu);
      if (this.aborting) break;
      this.progress(event.time);
    }
  }

  private startArrival(scenarioIndex: number, time: number): void {
    const scenario = this.options.scenarios[scenarioIndex];
    if (!scenario || (scenario.executor !== 'constant-arrival-rate' && scenario.executor !== 'ramping-arrival-rate')) return;
    // A VU is free once its last iteration has ended in virtual time, not when the engine finished running it.
    let vu = this.vus.find((v) => v.scenario === scenarioIndex && !v.busy && v.freeAt <= time);
    if (!vu) {
      const owned = this.vus.filter((v) => v.scenario === scenarioIndex).length;
      if (owned >= (scenario.maxVUs ?? scenario.preAllocatedVUs)) {
        this.dropped += 1;
        this.registry.add('dropped_iterations', 1, { scenario: scenario.name }, time);
        return;
      }
      vu = this.createVu(this.vus.length, scenarioIndex);
    }
    vu.busy = true;
    this.setActive(time, 1);
    vu.stopAfterIteration = true;
    vu.scenarioIteration = this.nextScenarioIteration(scenarioIndex);
    vu.iterStart = time;
    vu.clock = time;
    vu.log = [];
    vu.iterRandomState = null;
    this.runIteration(vu);
  }

  private runIteration(vu: VuState): void {
    const { context } = vu;
    // Rewind randomness so a replayed iteration draws the same numbers.
    if (vu.iterRandomState === null) vu.iterRandomState = vu.random.state();
    else vu.random = restoreRandom(vu.iterRandomState);
    vu.clock = vu.iterStart;
    vu.replayIndex = 0;
    vu.muted = vu.log.length > 0;
    vu.jar.clear();
    vu.paused = false;
    vu.groups = [];
    const scenario = this.options.scenarios[vu.scenario];
    const execName = scenario?.exec ?? 'default';
    if (!vu.exec) {
      const handle = context.getProp(vu.exports, execName);
      if (context.typeof(handle) !== 'function') {
        handle.dispose();
        throw new RunAborted({
          kind: 'init',
          message: `The script has no exported function "${execName}" to run.`,
          line: null,
          column: null,
        });
      }
      vu.exec = handle;
    }
    const exec = vu.exec;
    if (vu.data === null) vu.data = this.setupData === undefined ? context.undefined : toHandleJson(context, this.setupData);
    if (vu.runner === null) {
      const host = context.getProp(context.global, '__k6');
      vu.runner = context.getProp(host, 'run');
      host.dispose();
      vu.iterate = stringCall(context, vu.runner, [exec, vu.data]);
    }
    // One call runs the iteration and hands back the checks made after its last host call.
    const result = (vu.iterate as StringCall).call();
    if (result.error) {
      if (!vu.paused && !this.aborting) this.flushChecks(vu);
      const info = this.describe(vu, result.error);
      result.error.dispose();
      if (this.aborting) {
        this.finishIteration(vu, false);
        return;
      }
      if (!vu.paused) {
        if (this.sandbox.deadlineExceeded() || info.message === 'interrupted' || info.message === 'out of memory')
          throw new RunAborted(this.sandboxError('deadline', info));
        this.scriptErrors += 1;
        this.log(
          `[VU ${vu.id}] error: ${info.name}: ${info.message}${info.line === null ? '' : ` at line ${info.line}, column ${info.column}`}`,
        );
      }
    } else if (result.value !== '') this.recordChecks(vu, result.value);
    if (vu.paused) {
      if (Number.isFinite(vu.pauseAt)) {
        vu.paused = false;
        this.push(vu.pauseAt, { kind: 'vu', vu });
        return;
      }
      // Interrupted by the end of the scenario's graceful stop: the iteration does not count.
      vu.paused = false;
      this.interrupted += 1;
      this.finishIteration(vu, false);
      return;
    }
    if ((this.input.serviceModel ?? 1) < 2) {
      this.finishIteration(vu, !result.error);
      return;
    }
    // k6 counts an iteration that threw as a full one (only the executor's stop interrupts one).
    if (result.error || vu.clock === vu.iterStart) vu.clock += BARE_ITERATION_COST_MS;
    this.finishIteration(vu, true);
  }

  private finishIteration(vu: VuState, completed: boolean): void {
    const end = vu.clock;
    if (completed) {
      this.iterationCount += 1;
      const tags = this.scenarioTags(vu);
      this.registry.add('iterations', 1, tags, end);
      this.registry.add('iteration_duration', end - vu.iterStart, tags, end);
    }
    this.endTime = Math.max(this.endTime, end);
    vu.iterationsDone += 1;
    vu.iteration += 1;
    vu.log = [];
    vu.iterRandomState = null;
    if (this.canStartAnother(vu, end)) {
      this.startIteration(vu, end);
    } else {
      vu.busy = false;
      vu.freeAt = end;
      this.setActive(end, -1);
    }
  }

  /**
   * VUs running at a virtual time, for live progress. Changes arrive out of order (an iteration's
   * end is recorded when it is run), but progress is asked at non-decreasing times, so each change
   * is counted once when its time comes, instead of rescanning every change on each report.
   */
  private activeAt(time: number): number {
    for (let next = this.liveChanges.peek(); next !== undefined && next.time <= time; next = this.liveChanges.peek()) {
      this.liveActive += next.delta;
      this.liveChanges.pop();
    }
    return Math.max(0, this.liveActive);
  }

  private progress(virtualMs: number): void {
    if (!this.input.onProgress || this.iterationCount - this.lastProgressAt < PROGRESS_EVERY_ITERATIONS) return;
    this.lastProgressAt = this.iterationCount;
    const since = virtualMs - 1000;
    let recent = 0;
    for (let i = this.requestCount - 1; i >= 0 && (this.reqTimes[i] ?? 0) >= since; i -= 1) recent += 1;
    this.input.onProgress({
      virtualMs: virtualMs - this.offset,
      vus: this.activeAt(virtualMs),
      requests: this.requestCount,
      requestsPerSecond: recent,
    });
  }

  // --- setup, teardown, results -------------------------------------------------------------------

  private runSetup(vu: VuState): void {
    const setup = vu.context.getProp(vu.exports, 'setup');
    if (vu.context.typeof(setup) !== 'function') {
      setup.dispose();
      return;
    }
    vu.iterStart = 0;
    vu.clock = 0;
    vu.log = [];
    const result = vu.context.callFunction(setup, vu.context.undefined);
    setup.dispose();
    if (!this.aborting) this.flushChecks(vu);
    if (result.error) {
      const info = this.describe(vu, result.error);
      result.error.dispose();
      if (this.aborting) {
        this.offset = vu.clock;
        return;
      }
      throw new RunAborted(this.sandboxError('setup', info));
    }
    this.setupData = vu.context.typeof(result.value) === 'undefined' ? undefined : vu.context.dump(result.value);
    result.value.dispose();
    this.offset = vu.clock;
    vu.log = [];
  }

  private runTeardown(vu: VuState): void {
    const teardown = vu.context.getProp(vu.exports, 'teardown');
    if (vu.context.typeof(teardown) !== 'function') {
      teardown.dispose();
      return;
    }
    vu.clock = this.endTime;
    vu.log = [];
    vu.replayIndex = 0;
    vu.muted = false;
    const data = this.setupData === undefined ? vu.context.undefined : toHandleJson(vu.context, this.setupData);
    const result = vu.context.callFunction(teardown, vu.context.undefined, data);
    teardown.dispose();
    this.flushChecks(vu);
    if (data !== vu.context.undefined) data.dispose();
    if (result.error) {
      const info = this.describe(vu, result.error);
      result.error.dispose();
      throw new RunAborted(this.sandboxError('teardown', info));
    }
    result.value.dispose();
    this.endTime = Math.max(this.endTime, vu.clock);
  }

  private finish(error: RunError | null, thresholds: ParsedThresholds | null): LoadTestResult {
    const durationMs = Math.max(0, this.endTime - this.offset);
    this.vuChanges.settle();
    this.sampleVus();
    const results: ThresholdResults = thresholds ? evaluateThresholds(thresholds, this.registry, durationMs) : { ok: true, metrics: [] };
    let finalError: RunError | null =
      error ?? (this.stopped ? { kind: 'stopped', message: 'The test was stopped before the end.', line: null, column: null } : null);
    if (!error && this.abortMessage !== null) finalError = { kind: 'aborted', message: this.abortMessage, line: null, column: null };
    const checks = [...this.checkCounts.entries()].map(([name, c]) => ({ name, ...c }));
    const summaryInput: SummaryInput = {
      registry: this.registry,
      testRunDurationMs: durationMs,
      thresholdResults: results,
      groupPaths: [...this.groupPaths],
      summaryTrendStats: this.options?.summaryTrendStats ?? ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'],
      ...(this.options?.summaryTimeUnit ? { summaryTimeUnit: this.options.summaryTimeUnit } : {}),
    };
    const summary = error ? null : summaryData(summaryInput);
    const summaryText = error ? '' : renderSummary(summaryInput);
    const summaryOutputs = summary && (this.input.serviceModel ?? 1) >= 2 ? this.handleSummary(summary) : null;
    let code: number = exitCode(results);
    if (error) code = this.errorExitCode(error);
    else if (this.abortMessage !== null) code = EXIT_CODES.scriptAborted;
    else if (this.abortedByThreshold) code = EXIT_CODES.thresholdsFailed;
    return {
      error: finalError,
      scenarios: error ? [] : this.scenarioStats(),
      exitCode: code,
      summaryText,
      summary,
      thresholds: results,
      checks,
      timeSeries: this.timeSeries(durationMs),
      console: this.consoleLines,
      consoleTruncated: this.consoleDropped,
      virtualDurationMs: durationMs,
      requests: this.requestCount,
      iterations: this.iterationCount,
      droppedIterations: this.dropped,
      interruptedIterations: this.interrupted,
      scriptErrors: this.scriptErrors,
      summaryOutputs,
    };
  }

  /** Calls the script's handleSummary(data), as k6 does at the end; a failure is logged and the default summary stays. */
  private handleSummary(data: SummaryData): Record<string, string> | null {
    const vu = this.vus[0];
    if (!vu || vu.exports === vu.context.undefined) return null;
    const { context } = vu;
    const handler = context.getProp(vu.exports, 'handleSummary');
    if (context.typeof(handler) !== 'function') {
      handler.dispose();
      return null;
    }
    vu.muted = false;
    vu.paused = false;
    const argument = toHandleJson(context, data);
    const result = context.callFunction(handler, context.undefined, argument);
    handler.dispose();
    if (argument !== context.undefined) argument.dispose();
    if (result.error) {
      const info = this.describe(vu, result.error);
      result.error.dispose();
      this.log(`error: handleSummary() failed: ${info.name}: ${info.message}${info.line === null ? '' : ` at line ${info.line}`}`);
      return null;
    }
    const value = context.dump(result.value) as unknown;
    result.value.dispose();
    if (value === null || typeof value !== 'object') {
      this.log('error: handleSummary() must return an object of outputs (stdout, stderr or file names)');
      return null;
    }
    const outputs: Record<string, string> = {};
    for (const [key, text] of Object.entries(value as Record<string, unknown>))
      outputs[key] = typeof text === 'string' ? text : JSON.stringify(text);
    return outputs;
  }

  private errorExitCode(error: RunError): number {
    if (error.kind === 'deadline' || error.kind === 'memory') return EXIT_CODES.externalAbort;
    if ((this.input.serviceModel ?? 1) >= 2 && (error.kind === 'options' || error.kind === 'thresholds')) return EXIT_CODES.invalidConfig;
    return EXIT_CODES.scriptException;
  }

  private scenarioStats(): ScenarioStats[] {
    return this.options.scenarios.map((scenario, index) => {
      let count = 0;
      for (let i = 0; i < this.requestCount; i += 1) if (this.reqScenario[i] === index) count += 1;
      const durations = new Float64Array(count);
      for (let i = 0, j = 0; i < this.requestCount; i += 1) if (this.reqScenario[i] === index) durations[j++] = this.reqDurations[i] ?? 0;
      // Numeric order (durations are finite): the typed sort needs no comparator.
      durations.sort();
      const pick = (q: number) =>
        durations.length === 0
          ? null
          : (durations[Math.min(durations.length - 1, Math.max(0, Math.ceil(q * durations.length) - 1))] ?? null);
      let maxRate: number | null = null;
      if (scenario.executor === 'constant-arrival-rate') maxRate = (scenario.rate * 1000) / scenario.timeUnit;
      if (scenario.executor === 'ramping-arrival-rate')
        maxRate = (Math.max(scenario.startRate, ...scenario.stages.map((s) => s.target)) * 1000) / scenario.timeUnit;
      return {
        name: scenario.name,
        executor: scenario.executor,
        maxRatePerSecond: maxRate,
        requests: durations.length,
        p50: pick(0.5),
        p95: pick(0.95),
        p99: pick(0.99),
        max: durations.at(-1) ?? null,
      };
    });
  }

  private sampleVus(): void {
    const cursor = this.vuChanges.cursor();
    const end = this.endTime;
    for (let t = this.offset; t <= end; t += 1000) {
      const active = cursor.through(t);
      this.registry.add('vus', active, {}, t);
      this.registry.add('vus_max', Math.max(0, this.vus.length - 1), {}, t);
    }
  }

  private timeSeries(durationMs: number): TimeSeries {
    const buckets = Math.max(1, Math.ceil(durationMs / 1000));
    const series: TimeSeries = { t: [], requestsPerSecond: [], vus: [], p95Ms: [], errorsPerSecond: [] };
    let i = 0;
    const vuCursor = this.vuChanges.cursor();
    let active = 0;
    for (let b = 0; b < buckets; b += 1) {
      const from = this.offset + b * 1000;
      const to = from + 1000;
      const first = i;
      let errors = 0;
      while (i < this.requestCount && (this.reqTimes[i] ?? 0) < to) {
        errors += this.reqFailed[i] ?? 0;
        i += 1;
      }
      active = vuCursor.before(to);
      const durations = this.reqDurations.slice(first, i).sort();
      series.t.push(b);
      series.requestsPerSecond.push(durations.length);
      series.errorsPerSecond.push(errors);
      series.vus.push(active);
      series.p95Ms.push(
        durations.length === 0 ? null : (durations[Math.min(durations.length - 1, Math.ceil(0.95 * durations.length) - 1)] ?? null),
      );
    }
    return series;
  }
}

/**
 * VU starts (+1) and ends (−1) at virtual times, recorded as VUs are run, so out of time order.
 * Kept as two growing arrays of times (no object per change); `settle` sorts them once at the end,
 * and a cursor then counts the VUs active after every change up to a time, for times that never
 * decrease.
 */
class VuChanges {
  private starts = new Float64Array(1024);
  private ends = new Float64Array(1024);
  private startCount = 0;
  private endCount = 0;

  record(time: number, delta: number): void {
    if (delta === 1) {
      if (this.startCount === this.starts.length) this.starts = grow(this.starts, (n) => new Float64Array(n));
      this.starts[this.startCount++] = time;
    } else if (delta === -1) {
      if (this.endCount === this.ends.length) this.ends = grow(this.ends, (n) => new Float64Array(n));
      this.ends[this.endCount++] = time;
    } else throw new Error(`a VU change is +1 or -1, not ${delta}`);
  }

  settle(): void {
    this.starts.subarray(0, this.startCount).sort();
    this.ends.subarray(0, this.endCount).sort();
  }

  cursor(): { through(time: number): number; before(time: number): number } {
    let started = 0;
    let ended = 0;
    const advance = (inclusive: boolean, time: number) => {
      while (started < this.startCount && (inclusive ? (this.starts[started] ?? 0) <= time : (this.starts[started] ?? 0) < time))
        started += 1;
      while (ended < this.endCount && (inclusive ? (this.ends[ended] ?? 0) <= time : (this.ends[ended] ?? 0) < time)) ended += 1;
      return started - ended;
    };
    return { through: (time) => advance(true, time), before: (time) => advance(false, time) };
  }
}

/** A typed array twice as long with the old contents at its start. */
function grow<T extends Float64Array<ArrayBuffer> | Uint8Array<ArrayBuffer>>(old: T, make: (length: number) => T): T {
  const next = make(old.length * 2);
  next.set(old);
  return next;
}

/** The built-in metrics every request adds a sample to. */
function httpMetricHandles(registry: MetricsRegistry) {
  return {
    reqs: registry.handle('http_reqs'),
    duration: registry.handle('http_req_duration'),
    waiting: registry.handle('http_req_waiting'),
    sending: registry.handle('http_req_sending'),
    receiving: registry.handle('http_req_receiving'),
    blocked: registry.handle('http_req_blocked'),
    connecting: registry.handle('http_req_connecting'),
    tlsHandshaking: registry.handle('http_req_tls_handshaking'),
    failed: registry.handle('http_req_failed'),
    dataSent: registry.handle('data_sent'),
    dataReceived: registry.handle('data_received'),
  };
}

interface HttpParams {
  tags?: Record<string, string>;
  /** The tags as JSON, part of the tag-set cache key. */
  tagsJson?: string;
  timeout?: string | number;
  headers?: Record<string, string>;
  /** Model 2: cookies for this request, `name: value` or `name: { value, replace }`. */
  cookies?: Record<string, string | { value?: string; replace?: boolean }>;
  /** Model 2: redirects to follow for this request (overrides options.maxRedirects). */
  redirects?: number;
  /** 'none' drops the body, as k6 does. */
  responseType?: string;
}

/** Go's canonical header form, which k6 shows in res.headers: `content-type` → `Content-Type`. */
function canonicalHeaderName(name: string): string {
  return name
    .toLowerCase()
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('-');
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code < 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function isExpected(ranges: { min: number; max: number }[] | null, status: number): boolean {
  if (ranges === null) return status >= 200 && status < 400;
  return ranges.some((range) => status >= range.min && status <= range.max);
}

/** Whether a built-in target (one with a responder) serves the host of `url`. */
function claims(target: Target, url: string): boolean {
  return target.responder !== undefined && target.hosts.includes(hostOf(url));
}

/** What k6 gets for a host that does not resolve: status 0, error code 1101, nothing sent. */
function dnsFailure(arrival: number): EngineResponse {
  return {
    status: 0,
    arrival,
    end: arrival + DNS_FAILURE_MS,
    duration: 0,
    waiting: 0,
    receiving: 0,
    sending: 0,
    bodyBytes: 0,
    endpoint: null,
    errorCode: DNS_NO_SUCH_HOST.code,
    blocked: DNS_FAILURE_MS,
  };
}

function parseParams(json: string): HttpParams {
  if (json === '' || json === '{}') return {};
  const params = JSON.parse(json) as HttpParams;
  if (params.tags) params.tagsJson = JSON.stringify(params.tags);
  return params;
}

/** k6's `timeout` param: a duration string or milliseconds; an unreadable one keeps the default. */
function parseTimeout(value: string | number): number {
  try {
    return parseDuration(value);
  } catch {
    return DEFAULT_REQUEST_TIMEOUT_MS;
  }
}

function parseTags(json: string): Record<string, string> {
  const raw = JSON.parse(json) as Record<string, unknown>;
  const tags: Record<string, string> = {};
  for (const key of Object.keys(raw).sort()) tags[key] = String(raw[key]);
  return tags;
}

function groupPath(vu: VuState): string {
  return vu.groups.length === 0 ? '' : `::${vu.groups.map((g) => g.name).join('::')}`;
}

function toHandleJson(context: QuickJSContext, value: unknown): QuickJSHandle {
  const result = context.evalCode(`(${JSON.stringify(value ?? null)})`, 'data.js', { type: 'global' });
  if (result.error) {
    result.error.dispose();
    return context.undefined;
  }
  return result.value;
}
