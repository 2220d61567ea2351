// Order statistics without sorting: the summaries need three quantiles of each node's latencies per
// window, and the speculative-retry threshold one, and a full sort of a window's samples (200,000 in
// the throughput bench) was most of the time spent closing a window. Selection (Hoare's, with a
// median-of-three pivot, after Numerical Recipes' `select`) finds the k-th smallest in linear
// expected time and returns exactly the element a sort would put at index k. No randomness, so the
// result and the permutation it leaves are the same in every engine.

/**
 * Reorders `a[lo..hi]` (inclusive) so that `a[k]` holds the value a sort would put there, everything
 * before it is ≤ and everything after ≥; returns `a[k]`. Values must not be NaN.
 */
export function selectKth(a: Float64Array, k: number, lo = 0, hi = a.length - 1): number {
  if (k < lo || k > hi) throw new RangeError(`k = ${k} is outside ${lo}..${hi}`);
  let left = lo;
  let right = hi;
  for (;;) {
    if (right <= left + 1) {
      if (right === left + 1 && (a[right] as number) < (a[left] as number)) swap(a, left, right);
      return a[k] as number;
    }
    const mid = (left + right) >>> 1;
    swap(a, mid, left + 1);
    // Median of three into a[left + 1]; a[left] ≤ pivot ≤ a[right] bound the scans below.
    if ((a[left] as number) > (a[right] as number)) swap(a, left, right);
    if ((a[left + 1] as number) > (a[right] as number)) swap(a, left + 1, right);
    if ((a[left] as number) > (a[left + 1] as number)) swap(a, left, left + 1);
    const pivot = a[left + 1] as number;
    let i = left + 1;
    let j = right;
    for (;;) {
      do i++;
      while ((a[i] as number) < pivot);
      do j--;
      while ((a[j] as number) > pivot);
      if (j < i) break;
      swap(a, i, j);
    }
    a[left + 1] = a[j] as number;
    a[j] = pivot;
    if (j >= k) right = j - 1;
    if (j <= k) left = i;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i] as number;
  a[i] = a[j] as number;
  a[j] = t;
}

/**
 * The values at the given ascending indices of `a` sorted, writing them to `out`; `a` is reordered.
 * Each selection searches only above the previous index.
 */
export function selectAscending(a: Float64Array, indices: readonly number[], out: Float64Array): void {
  let lo = 0;
  for (let q = 0; q < indices.length; q++) {
    const k = indices[q] as number;
    out[q] = selectKth(a, k, lo, a.length - 1);
    lo = k;
  }
}
