// Injected faults as functions of virtual time: where pauses stretch work, and which factors slow
// the database or the CPU.
import type { Fault } from './service.ts';

/**
 * Stop-the-world pauses, merged into disjoint half-open windows [from, to) sorted by start. Inside a
 * window the service does nothing: no request is accepted, started or answered, and CPU work stops.
 */
export class PauseTimeline {
  readonly #from: Float64Array;
  readonly #to: Float64Array;
  readonly #count: number;

  constructor(faults: readonly Fault[]) {
    const windows: { from: number; to: number }[] = [];
    for (const fault of faults) if (fault.kind === 'pause') windows.push({ from: fault.fromMs, to: fault.toMs });
    // Array sort is stable in every engine, and merging makes the order of equal starts irrelevant.
    windows.sort((a, b) => a.from - b.from);
    const merged: { from: number; to: number }[] = [];
    for (const window of windows) {
      const last = merged[merged.length - 1];
      if (last !== undefined && window.from <= last.to) last.to = Math.max(last.to, window.to);
      else merged.push({ ...window });
    }
    this.#count = merged.length;
    this.#from = Float64Array.from(merged, (window) => window.from);
    this.#to = Float64Array.from(merged, (window) => window.to);
  }

  /** The first instant at or after `time` outside every pause. */
  firstActive(time: number): number {
    if (this.#count === 0) return time;
    const index = this.#firstEndingAfter(time);
    return index < this.#count && (this.#from[index] as number) <= time ? (this.#to[index] as number) : time;
  }

  /**
   * When `work` ms of CPU work started at `time` finishes, skipping pauses. Work that would end exactly
   * as a pause begins ends when it is over, since nothing completes inside a pause.
   */
  advance(time: number, work: number): number {
    if (this.#count === 0) return time + work;
    let now = time;
    let remaining = work;
    for (let index = this.#firstEndingAfter(now); index < this.#count; index++) {
      const from = this.#from[index] as number;
      if (from > now) {
        if (now + remaining < from) return now + remaining;
        remaining -= from - now;
      }
      now = this.#to[index] as number;
    }
    return now + remaining;
  }

  /** Binary search for the first window whose end is after `time`. */
  #firstEndingAfter(time: number): number {
    let low = 0;
    let high = this.#count;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.#to[middle] as number) <= time) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/** Slow-dependency windows: the factor for a DB call that starts at `time` (overlapping windows multiply). */
export class DependencySlowdown {
  readonly #windows: { from: number; to: number; factor: number }[] = [];

  constructor(faults: readonly Fault[]) {
    for (const fault of faults) {
      if (fault.kind === 'slow-dependency') this.#windows.push({ from: fault.fromMs, to: fault.toMs, factor: fault.factor });
    }
  }

  factorAt(time: number): number {
    let factor = 1;
    for (const window of this.#windows) if (time >= window.from && time < window.to) factor *= window.factor;
    return factor;
  }
}

/** The CPU factor from regressions for an endpoint path (all that name it or name none multiply). */
export function regressionFactor(faults: readonly Fault[], path: string): number {
  let factor = 1;
  for (const fault of faults) {
    if (fault.kind === 'regression' && (fault.endpoint === undefined || fault.endpoint === path)) factor *= fault.factor;
  }
  return factor;
}
