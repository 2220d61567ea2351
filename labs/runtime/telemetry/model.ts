// The statistical model of one scrape interval, derived from the simulator's service parameters:
// how many requests arrive (Poisson), how many fail (binomial), and how their latencies fall into
// histogram buckets (a multinomial over a log-normal fitted to the service-time model). Simulating
// 30 days request by request would take minutes; a draw per bucket per 15 s window takes seconds.
// Only IEEE-754 arithmetic and the portable log/exp are used, so every engine gives the same bits.
import { exp, log } from '../simulator/portable-math.ts';
import { type Random, standardNormalQuantile } from '../simulator/random.ts';
import type { Distribution, Endpoint } from '../simulator/service.ts';

const TWO_POW_32 = 4294967296;

/** A uniform draw in the open interval (0, 1), for quantile functions. */
function openUniform(random: Random): number {
  return random.next() + 1 / (2 * TWO_POW_32);
}

/** A standard normal draw (one uniform). */
export function normal(random: Random): number {
  return standardNormalQuantile(openUniform(random));
}

/** e^(−x) for x ≥ 0: a short Taylor series for the rare-event means that dominate, exp otherwise. */
function expNegative(x: number): number {
  if (x >= 0.25) return exp(-x);
  // Terms up to x^10/10!: the error is below 0.25^11/11! ≈ 6e-15.
  let term = 1;
  let sum = 1;
  for (let k = 1; k <= 10; k++) {
    term = (-term * x) / k;
    sum += term;
  }
  return sum;
}

/** A Poisson draw: inverse transform below a mean of 30, a rounded normal above (one uniform). */
export function poisson(random: Random, mean: number): number {
  if (!(mean > 0)) return 0;
  if (mean < 30) {
    const u = random.next();
    let k = 0;
    let p = expNegative(mean);
    let cdf = p;
    while (u > cdf && k < 400) {
      k += 1;
      p = (p * mean) / k;
      cdf += p;
    }
    return k;
  }
  return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(random)));
}

/** A binomial draw: Bernoulli trials for small n, Poisson for rare events, else a rounded normal. */
export function binomial(random: Random, n: number, p: number): number {
  if (n <= 0 || !(p > 0)) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - binomial(random, n, 1 - p);
  if (n <= 16) {
    let k = 0;
    for (let i = 0; i < n; i++) if (random.next() < p) k += 1;
    return k;
  }
  const mean = n * p;
  if (mean < 15) {
    return Math.min(n, poisson(random, mean));
  }
  return Math.min(n, Math.max(0, Math.round(mean + Math.sqrt(mean * (1 - p)) * normal(random))));
}

/** The complementary error function (Numerical Recipes' erfcc: fractional error below 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** The standard normal CDF Φ(z). */
export function standardNormalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** Mean and variance (ms, ms²) of a duration distribution of the service model. */
export function moments(distribution: Distribution): { mean: number; variance: number } {
  switch (distribution.type) {
    case 'constant':
      return { mean: distribution.value, variance: 0 };
    case 'exponential':
      return { mean: distribution.mean, variance: distribution.mean * distribution.mean };
    case 'lognormal': {
      const s2 = distribution.sigma * distribution.sigma;
      const m = distribution.median;
      return { mean: m * exp(s2 / 2), variance: m * m * exp(s2) * (exp(s2) - 1) };
    }
    case 'uniform': {
      const width = distribution.max - distribution.min;
      return { mean: (distribution.min + distribution.max) / 2, variance: (width * width) / 12 };
    }
  }
}

/**
 * An endpoint's latency at low utilisation: CPU time × `cpuFactor` plus its sequential DB calls,
 * moment-matched to one log-normal (Fenton–Wilkinson). Waiting for a worker is left out: at the
 * shop's utilisation the Erlang C probability of waiting is negligible (telemetry.test.ts checks).
 */
export interface LatencyModel {
  /** Mean and standard deviation, ms. */
  meanMs: number;
  sdMs: number;
  /** Mean CPU time per request, ms (for process_cpu_seconds_total). */
  cpuMs: number;
  /** Parameters of the fitted log-normal (of ms). */
  mu: number;
  sigma: number;
}

export function latencyModel(endpoint: Endpoint, cpuFactor: number): LatencyModel {
  const cpu = moments(endpoint.serviceTime);
  let mean = cpu.mean * cpuFactor;
  let variance = cpu.variance * cpuFactor * cpuFactor;
  if (endpoint.db) {
    const db = moments(endpoint.db.serviceTime);
    mean += db.mean * endpoint.db.calls;
    variance += db.variance * endpoint.db.calls;
  }
  const sigma2 = log(1 + variance / (mean * mean));
  return { meanMs: mean, sdMs: Math.sqrt(variance), cpuMs: cpu.mean * cpuFactor, mu: log(mean) - sigma2 / 2, sigma: Math.sqrt(sigma2) };
}

/** P(latency ≤ x ms) under the model. */
export function latencyCdf(model: LatencyModel, xMs: number): number {
  if (xMs <= 0) return 0;
  if (model.sigma < 1e-12) return xMs >= model.meanMs ? 1 : 0;
  return standardNormalCdf((log(xMs) - model.mu) / model.sigma);
}

/**
 * Per finite bucket bound, the probability that a request not counted by the buckets below falls
 * into this one: the conditional probabilities of the sequential binomial draws.
 */
export function conditionalBucketProbabilities(model: LatencyModel, boundsSeconds: readonly number[]): Float64Array {
  const out = new Float64Array(boundsSeconds.length);
  let below = 0;
  for (let i = 0; i < boundsSeconds.length; i++) {
    const cdf = latencyCdf(model, (boundsSeconds[i] as number) * 1000);
    const rest = 1 - below;
    out[i] = rest > 0 ? Math.min(1, Math.max(0, (cdf - below) / rest)) : 0;
    below = Math.max(below, cdf);
  }
  return out;
}

/** cos(2π·turns) from its Taylor series after reduction to [−½, ½] turn: no engine-dependent Math.cos. */
export function cosTurns(turns: number): number {
  const reduced = turns - Math.round(turns);
  const x = 2 * Math.PI * reduced;
  const x2 = x * x;
  let term = 1;
  let sum = 1;
  for (let k = 1; k <= 14; k++) {
    term = (-term * x2) / ((2 * k - 1) * (2 * k));
    sum += term;
  }
  return sum;
}
