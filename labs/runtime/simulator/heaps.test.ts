import { describe, expect, it } from 'vitest';
import { FifoQueue, MinHeap } from './heaps.ts';
import { createRandom } from './random.ts';

describe('MinHeap', () => {
  it('pops values in ascending order as it grows', () => {
    const random = createRandom(8);
    const heap = new MinHeap(1);
    const values = Array.from({ length: 1_000 }, () => random.next());
    for (const value of values) heap.push(value);

    expect(heap.max()).toBe(Math.max(...values));
    const popped = Array.from({ length: values.length }, () => heap.pop());
    expect(popped).toEqual([...values].sort((a, b) => a - b));
    expect(heap.pop()).toBe(Number.POSITIVE_INFINITY);
  });

  it('keeps the smallest on top when it is replaced', () => {
    const heap = MinHeap.filled(3, 0);
    heap.replaceTop(5);
    heap.replaceTop(2);

    expect(heap.peek()).toBe(0);
    heap.replaceTop(7);
    expect([heap.pop(), heap.pop(), heap.pop()]).toEqual([2, 5, 7]);
  });
});

describe('FifoQueue', () => {
  it('drops values from the front up to a limit, across growth and wrap-around', () => {
    const queue = new FifoQueue();
    for (let i = 0; i < 10; i++) queue.push(i);
    queue.dropThrough(7);
    for (let i = 10; i < 40; i++) queue.push(i);

    expect(queue.size).toBe(32);
    queue.dropThrough(38.5);
    expect(queue.size).toBe(1);
    queue.dropThrough(100);
    expect(queue.size).toBe(0);
  });
});
