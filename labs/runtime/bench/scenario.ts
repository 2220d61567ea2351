// The benchmark scenario of issue 4: a 10-minute virtual test at 1,000 requests/s (600,000
// requests) with a typical script (http.get + check), against a service with room to spare.
import type { Service } from '../simulator/service.ts';

export const BENCH_SCRIPT = `import http from 'k6/http';
import { check } from 'k6';

export const options = {
  scenarios: {
    load: { executor: 'constant-arrival-rate', rate: 1000, timeUnit: '1s', duration: '10m', preAllocatedVUs: 100, maxVUs: 1000 },
  },
};

export default function () {
  const res = http.get('http://bench.test/api/items');
  check(res, { 'status is 200': (r) => r.status === 200 });
}
`;

export const BENCH_SERVICE: Service = {
  name: 'bench service',
  workers: 64,
  queueLimit: 10_000,
  queueTimeoutMs: 30_000,
  endpoints: [{ method: 'GET', path: '/api/items', serviceTime: { type: 'exponential', mean: 20 }, responseBytes: 2_000 }],
  faults: [],
};

export const BENCH_REQUESTS = 600_000;
