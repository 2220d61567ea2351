// Typed-array heaps and queues of times. The simulator does a few of these operations per request, so
// they avoid per-item objects (no garbage, and V8 keeps the arrays unboxed).

/** A binary min-heap of numbers that grows as needed. */
export class MinHeap {
  #items: Float64Array;
  #size = 0;

  constructor(capacity = 16) {
    this.#items = new Float64Array(Math.max(1, capacity));
  }

  /** A full heap of `count` equal values: a pool whose members are all free at `value`. */
  static filled(count: number, value: number): MinHeap {
    const heap = new MinHeap(count);
    heap.#items.fill(value, 0, count);
    heap.#size = count;
    return heap;
  }

  get size(): number {
    return this.#size;
  }

  /** The smallest value; Infinity when empty. */
  peek(): number {
    return this.#size > 0 ? (this.#items[0] as number) : Number.POSITIVE_INFINITY;
  }

  push(value: number): void {
    if (this.#size === this.#items.length) {
      const grown = new Float64Array(this.#items.length * 2);
      grown.set(this.#items);
      this.#items = grown;
    }
    const items = this.#items;
    let index = this.#size++;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const above = items[parent] as number;
      if (above <= value) break;
      items[index] = above;
      index = parent;
    }
    items[index] = value;
  }

  /** Removes and returns the smallest value; Infinity when empty. */
  pop(): number {
    if (this.#size === 0) return Number.POSITIVE_INFINITY;
    const top = this.#items[0] as number;
    const last = this.#items[--this.#size] as number;
    if (this.#size > 0) this.#siftDown(last);
    return top;
  }

  /** Replaces the smallest value (pop then push in one sift): a pool member taken and given a new free time. */
  replaceTop(value: number): void {
    if (this.#size === 0) this.push(value);
    else this.#siftDown(value);
  }

  /** Sum of `value - from` over all values, without changing the heap. */
  sumAbove(from: number): number {
    let sum = 0;
    for (let i = 0; i < this.#size; i++) sum += (this.#items[i] as number) - from;
    return sum;
  }

  /** The largest value (a linear scan); -Infinity when empty. */
  max(): number {
    let largest = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < this.#size; i++) largest = Math.max(largest, this.#items[i] as number);
    return largest;
  }

  #siftDown(value: number): void {
    const items = this.#items;
    const size = this.#size;
    let index = 0;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= size) break;
      let smallest = items[child] as number;
      const right = child + 1;
      if (right < size) {
        const other = items[right] as number;
        if (other < smallest) {
          child = right;
          smallest = other;
        }
      }
      if (smallest >= value) break;
      items[index] = smallest;
      index = child;
    }
    items[index] = value;
  }
}

/** A first-in, first-out queue of numbers (a growable ring buffer). */
export class FifoQueue {
  #items = new Float64Array(16);
  #head = 0;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  push(value: number): void {
    if (this.#size === this.#items.length) {
      // Capacity stays a power of two, so indices wrap with a mask.
      const grown = new Float64Array(this.#items.length * 2);
      const mask = this.#items.length - 1;
      for (let i = 0; i < this.#size; i++) grown[i] = this.#items[(this.#head + i) & mask] as number;
      this.#items = grown;
      this.#head = 0;
    }
    this.#items[(this.#head + this.#size) & (this.#items.length - 1)] = value;
    this.#size++;
  }

  /** Drops values from the front while they are at most `limit`; the caller keeps the queue sorted. */
  dropThrough(limit: number): void {
    const items = this.#items;
    const mask = items.length - 1;
    while (this.#size > 0 && (items[this.#head] as number) <= limit) {
      this.#head = (this.#head + 1) & mask;
      this.#size--;
    }
  }
}
