// What one query evaluation carries: the TSDB, the query's time range, and its bounds.

import { QueryError } from './errors.ts';
import type { Tsdb } from './tsdb.ts';

export const DEFAULT_LOOKBACK_MS = 5 * 60_000;
export const DEFAULT_MAX_SAMPLES = 50_000_000;
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Prometheus's default global evaluation interval: the subquery step of an instant query. */
export const DEFAULT_SUBQUERY_STEP_MS = 60_000;
/** Step slots (one per series per step) allocated at most, whatever maxSamples says: bounds memory. */
export const MAX_STEP_SLOTS = 20_000_000;

export class EvalContext {
  readonly db: Tsdb;
  readonly start: number;
  readonly end: number;
  /** The range query's step, or the default evaluation interval for instant queries. */
  readonly interval: number;
  readonly lookbackMs: number;
  readonly maxSamples: number;
  readonly #deadline: number;
  readonly #timeoutMs: number;
  readonly #now: () => number;
  #ticks = 0;
  readonly #constants = new Map<string, Float64Array>();
  readonly #constantArrays = new WeakSet<Float64Array>();
  readonly #memo = new WeakMap<object, Map<string, unknown>>();
  #slots = 0;
  /** Samples currently held (what maxSamples bounds). */
  current = 0;
  /** Samples loaded from the TSDB in total (the query's stats). */
  totalSamples = 0;

  constructor(
    db: Tsdb,
    start: number,
    end: number,
    interval: number,
    options: { lookbackMs: number; maxSamples: number; timeoutMs: number; now: () => number },
  ) {
    this.db = db;
    this.start = start;
    this.end = end;
    this.interval = interval;
    this.lookbackMs = options.lookbackMs;
    this.maxSamples = options.maxSamples;
    this.#timeoutMs = options.timeoutMs;
    this.#now = options.now;
    this.#deadline = options.now() + options.timeoutMs;
  }

  /** Counts `weight` units of work and checks the deadline every 16,384 of them (cheap in inner loops). */
  tick(weight = 1): void {
    this.#ticks += weight;
    if (this.#ticks < 16_384) return;
    this.#ticks = 0;
    this.checkDeadline();
  }

  checkDeadline(): void {
    if (this.#now() > this.#deadline) {
      throw new QueryError('timeout', `query timed out in query execution (limit ${this.#timeoutMs} ms)`);
    }
  }

  /** Accounts for `n` samples held in memory; throws past maxSamples. */
  charge(n: number): void {
    this.current += n;
    if (this.current > this.maxSamples) throw tooManySamples();
  }

  release(n: number): void {
    this.current = Math.max(0, this.current - n);
  }

  /**
   * A read-only array of `steps` copies of `value`, shared by every literal of that value (a rule's
   * `14.4 * 0.001` over 30 days would otherwise allocate 1.4 MB per literal).
   */
  constant(value: number, steps: number): Float64Array {
    const key = `${steps}:${Object.is(value, -0) ? '-0' : value}`;
    let array = this.#constants.get(key);
    if (!array) {
      array = new Float64Array(steps).fill(value);
      this.#constants.set(key, array);
      this.#constantArrays.add(array);
    }
    return array;
  }

  /**
   * A value derived from `owner` (e.g. a timestamp array shared by a scrape's series) and `key`,
   * computed once per query while `valid` holds for it.
   */
  memo<T>(owner: object, key: string, valid: (value: T) => boolean, compute: () => T): T {
    let byKey = this.#memo.get(owner);
    if (!byKey) {
      byKey = new Map();
      this.#memo.set(owner, byKey);
    }
    const cached = byKey.get(key) as T | undefined;
    if (cached !== undefined && valid(cached)) return cached;
    const value = compute();
    byKey.set(key, value);
    return value;
  }

  /** True for arrays from `constant()`: a scalar that is the same at every step. */
  isConstant(array: Float64Array): boolean {
    return this.#constantArrays.has(array);
  }

  /** Checks that a window of `n` samples can be held on top of what is held now. */
  checkWindow(n: number): void {
    if (this.current + n > this.maxSamples) throw tooManySamples();
  }

  /** Accounts for allocating `n` step slots (dense per-step arrays). */
  allocate(n: number): void {
    this.#slots += n;
    if (this.#slots > MAX_STEP_SLOTS) throw tooManySamples();
  }

  /** Step slots currently allocated. */
  get slots(): number {
    return this.#slots;
  }

  releaseSlots(n: number): void {
    this.#slots = Math.max(0, this.#slots - n);
  }
}

export function tooManySamples(): QueryError {
  return new QueryError('too_many_samples', 'query processing would load too many samples into memory in query execution');
}
