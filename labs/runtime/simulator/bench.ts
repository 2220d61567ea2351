// Throughput of the simulator alone, in simulated requests per wall-clock second. A script prints it;
// tests never assert on timings (ADR 005).
import { createRandom, exponential } from './random.ts';
import { ServiceSimulator } from './simulator.ts';

/** M/M/8 at 80 % utilisation: arrivals drawn here, exponential 1 ms service, no database. */
export function benchSimulator(requests = 2_000_000): { requests: number; seconds: number; perSecond: number } {
  const workers = 8;
  const simulator = new ServiceSimulator(
    {
      name: 'bench',
      workers,
      queueLimit: 1_000_000,
      queueTimeoutMs: 1e12,
      endpoints: [{ method: 'GET', path: '/products/:id', serviceTime: { type: 'exponential', mean: 1 }, responseBytes: 2_000 }],
      faults: [],
    },
    1,
  );
  const arrivals = createRandom(2);
  const meanInterarrival = 1 / (0.8 * workers);
  let arrival = 0;
  let checksum = 0;
  const started = performance.now();
  for (let i = 0; i < requests; i++) {
    arrival += exponential(arrivals, meanInterarrival);
    checksum += simulator.submit({ arrival, method: 'GET', url: 'http://shop.test/products/42?ref=bench', bodyBytes: 0 }).duration;
  }
  const seconds = (performance.now() - started) / 1000;
  // Using the result keeps the optimiser from dropping the loop body.
  if (!Number.isFinite(checksum)) throw new Error('The benchmark produced a non-finite total duration.');
  return { requests, seconds, perSecond: requests / seconds };
}
