// The breakpoint task's true answer: the highest constant arrival rate at which the service's p95
// stays under a latency target, found by bisection on the simulator itself (evenly spaced
// arrivals, as k6's arrival-rate executors start iterations). Deterministic, and cached.
import type { Service } from '../runtime/simulator/service.ts';
import { ServiceSimulator } from '../runtime/simulator/simulator.ts';

const WARMUP_MS = 60_000;
const MEASURE_MS = 60_000;
const cache = new Map<string, number>();

function p95At(service: Service, ratePerSecond: number): number {
  const simulator = new ServiceSimulator(service, 7);
  const path = service.endpoints[0]?.path ?? '/';
  const gap = 1000 / ratePerSecond;
  const durations: number[] = [];
  for (let t = 0; t < WARMUP_MS + MEASURE_MS; t += gap) {
    const response = simulator.submit({ arrival: t, method: 'GET', url: `http://service.test${path}`, bodyBytes: 0 });
    if (t >= WARMUP_MS) durations.push(response.status === 200 ? response.duration : Number.POSITIVE_INFINITY);
  }
  durations.sort((a, b) => a - b);
  return durations[Math.ceil(0.95 * durations.length) - 1] ?? Number.POSITIVE_INFINITY;
}

export function measureCapacity(service: Service, p95TargetMs: number): number {
  const key = `${JSON.stringify(service)}|${p95TargetMs}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  let low = 1;
  let high = 10_000;
  for (let i = 0; i < 30 && high - low > 0.1; i += 1) {
    const mid = (low + high) / 2;
    if (p95At(service, mid) < p95TargetMs) low = mid;
    else high = mid;
  }
  cache.set(key, low);
  return low;
}
