// Steady-state results for Markovian queues, the reference the simulator is tested against and the
// numbers lessons quote. Rates are per millisecond, times in milliseconds. An unstable queue
// (utilisation ≥ 1) has no steady state: every arriving request eventually waits, and mean times
// grow without bound, so those cases return 1 and Infinity rather than throwing.

function requireRates(lambda: number, mu: number): void {
  if (!(Number.isFinite(lambda) && lambda >= 0)) throw new RangeError(`The arrival rate λ must be a finite number ≥ 0, got ${lambda}.`);
  if (!(Number.isFinite(mu) && mu > 0)) throw new RangeError(`The service rate μ must be a finite number > 0, got ${mu}.`);
}

function requireServers(c: number): void {
  if (!(Number.isInteger(c) && c >= 1)) throw new RangeError(`The number of servers c must be a whole number ≥ 1, got ${c}.`);
}

/** Mean response time (waiting + service) of an M/M/1 queue: 1 / (μ − λ). */
export function mm1MeanResponseTime(lambda: number, mu: number): number {
  requireRates(lambda, mu);
  return lambda < mu ? 1 / (mu - lambda) : Number.POSITIVE_INFINITY;
}

/** Erlang C: the probability that an arriving request waits for one of c servers in an M/M/c queue. */
export function erlangC(c: number, lambda: number, mu: number): number {
  requireServers(c);
  requireRates(lambda, mu);
  const load = lambda / mu;
  const utilisation = load / c;
  if (utilisation >= 1) return 1;
  // Erlang B by its recurrence, then C from B: stable for any c, unlike the factorial sums.
  let blocking = 1;
  for (let k = 1; k <= c; k++) blocking = (load * blocking) / (k + load * blocking);
  return blocking / (1 - utilisation * (1 - blocking));
}

/** Mean time an M/M/c request waits before service: C(c, λ/μ) / (cμ − λ). */
export function mmcMeanWaitingTime(c: number, lambda: number, mu: number): number {
  const probabilityOfWaiting = erlangC(c, lambda, mu);
  return lambda < c * mu ? probabilityOfWaiting / (c * mu - lambda) : Number.POSITIVE_INFINITY;
}

/** Mean response time of an M/M/c queue: mean waiting time + 1/μ. */
export function mmcMeanResponseTime(c: number, lambda: number, mu: number): number {
  return mmcMeanWaitingTime(c, lambda, mu) + 1 / mu;
}
