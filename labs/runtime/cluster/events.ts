// The event queue of the request-level core: a binary min-heap of times with two integer payloads
// per event, in typed arrays (no per-event objects). Equal times pop in an order fixed by the
// sequence of pushes and pops, so runs are reproducible.

export class EventHeap {
  #times = new Float64Array(1024);
  #a = new Int32Array(1024);
  #b = new Int32Array(1024);
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Time of the earliest event; Infinity when empty. */
  peekTime(): number {
    return this.#size > 0 ? (this.#times[0] as number) : Number.POSITIVE_INFINITY;
  }

  /** Payloads of the earliest event (valid until the next push or pop). */
  get topA(): number {
    return this.#a[0] as number;
  }

  get topB(): number {
    return this.#b[0] as number;
  }

  push(time: number, a: number, b: number): void {
    if (this.#size === this.#times.length) this.#grow();
    const times = this.#times;
    const as = this.#a;
    const bs = this.#b;
    let index = this.#size++;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const above = times[parent] as number;
      if (above <= time) break;
      times[index] = above;
      as[index] = as[parent] as number;
      bs[index] = bs[parent] as number;
      index = parent;
    }
    times[index] = time;
    as[index] = a;
    bs[index] = b;
  }

  /** Removes the earliest event (read it first with peekTime/topA/topB). */
  pop(): void {
    const size = --this.#size;
    if (size === 0) return;
    const times = this.#times;
    const as = this.#a;
    const bs = this.#b;
    const time = times[size] as number;
    const a = as[size] as number;
    const b = bs[size] as number;
    let index = 0;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= size) break;
      let smallest = times[child] as number;
      const right = child + 1;
      if (right < size && (times[right] as number) < smallest) {
        child = right;
        smallest = times[right] as number;
      }
      if (smallest >= time) break;
      times[index] = smallest;
      as[index] = as[child] as number;
      bs[index] = bs[child] as number;
      index = child;
    }
    times[index] = time;
    as[index] = a;
    bs[index] = b;
  }

  #grow(): void {
    const n = this.#times.length * 2;
    const times = new Float64Array(n);
    times.set(this.#times);
    const a = new Int32Array(n);
    a.set(this.#a);
    const b = new Int32Array(n);
    b.set(this.#b);
    this.#times = times;
    this.#a = a;
    this.#b = b;
  }
}
