// Numeric helpers shared by functions and aggregations, with Go's semantics where JS differs.

/** Neumaier-compensated summation step, as Prometheus's kahanSumInc: returns [sum, compensation]. */
export function kahanStep(inc: number, sum: number, c: number, out: Float64Array, at: number): void {
  const t = sum + inc;
  if (!Number.isFinite(t)) c = 0;
  else if (Math.abs(sum) >= Math.abs(inc)) c += sum - t + inc;
  else c += inc - t + sum;
  out[at] = t;
  out[at + 1] = c;
}

/** Go's math.Pow special cases (JS returns NaN for 1**NaN and (-1)**±Inf). */
export function goPow(a: number, b: number): number {
  if (a === 1 || b === 0) return 1;
  if (a === -1 && (b === Number.POSITIVE_INFINITY || b === Number.NEGATIVE_INFINITY)) return 1;
  return a ** b;
}

/** Quantile of sorted-or-not values as Prometheus computes it (linear interpolation, rank q·(n−1)). */
export function quantileOf(q: number, values: number[]): number {
  if (values.length === 0 || Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  values.sort(byValueNaNFirst);
  const n = values.length;
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return (values[lower] as number) * (1 - weight) + (values[upper] as number) * weight;
}

function byValueNaNFirst(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
  if (Number.isNaN(b)) return 1;
  return a - b || 0;
}

/** Go's strconv.FormatFloat(v, 'f', -1, 64): shortest representation, never an exponent. */
export function formatFloatPlain(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  const text = String(v);
  if (!/e/i.test(text)) return text;
  const [mantissa, exponentText] = text.split(/e/i) as [string, string];
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const point =
    (mantissa.replace('-', '').indexOf('.') === -1 ? mantissa.replace('-', '').length : mantissa.replace('-', '').indexOf('.')) + exponent;
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${out}` : out;
}

/** Go's strconv.ParseFloat for label values such as `le` ("+Inf", "1e3", "0.5"); NaN when invalid. */
export function parseGoFloat(text: string): number {
  if (/^[+-]?(inf|infinity)$/i.test(text)) return text.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (/^[+-]?nan$/i.test(text)) return Number.NaN;
  if (/^[+-]?(\d[\d_]*(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) return Number(text.replaceAll('_', ''));
  if (/^[+-]?0x[0-9a-f]+$/i.test(text)) return Number.parseInt(text, 16);
  return Number.NaN;
}

/** Natural order for sort_by_label: runs of digits compare by number. */
export function naturalCompare(a: string, b: string): number {
  const ra = a.match(/\d+|\D+/g) ?? [];
  const rb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(ra.length, rb.length); i++) {
    const x = ra[i] as string;
    const y = rb[i] as string;
    if (x === y) continue;
    const dx = /^\d/.test(x);
    const dy = /^\d/.test(y);
    if (dx && dy) {
      const nx = x.replace(/^0+(?=\d)/, '');
      const ny = y.replace(/^0+(?=\d)/, '');
      if (nx.length !== ny.length) return nx.length - ny.length;
      if (nx !== ny) return nx < ny ? -1 : 1;
      return x.length - y.length;
    }
    return x < y ? -1 : 1;
  }
  return ra.length - rb.length;
}

/**
 * The mean as Prometheus 3 computes it for avg and avg_over_time: a compensated sum divided by the
 * count, switching to a compensated incremental mean only once the sum would overflow.
 */
export class MeanAccumulator {
  count = 0;
  sum = 0;
  c = 0;
  mean = 0;
  incremental = false;
  readonly #pair = new Float64Array(2);

  reset(): void {
    this.count = 0;
    this.sum = 0;
    this.c = 0;
    this.mean = 0;
    this.incremental = false;
  }

  add(x: number): void {
    this.count++;
    const pair = this.#pair;
    if (!this.incremental) {
      kahanStep(x, this.sum, this.c, pair, 0);
      const next = pair[0] as number;
      if (this.count === 1 || Number.isFinite(next) || Number.isNaN(next)) {
        this.sum = next;
        this.c = pair[1] as number;
        return;
      }
      this.incremental = true;
      this.mean = this.sum / (this.count - 1);
      this.c /= this.count - 1;
    }
    if (this.mean === Number.POSITIVE_INFINITY || this.mean === Number.NEGATIVE_INFINITY) {
      if ((x === Number.POSITIVE_INFINITY || x === Number.NEGATIVE_INFINITY) && this.mean > 0 === x > 0) return;
      if (Number.isFinite(x)) return;
    }
    const corrected = this.mean + this.c;
    kahanStep(x / this.count - corrected / this.count, this.mean, this.c, pair, 0);
    this.mean = pair[0] as number;
    this.c = pair[1] as number;
  }

  value(): number {
    return this.incremental ? this.mean + this.c : (this.sum + this.c) / this.count;
  }
}
