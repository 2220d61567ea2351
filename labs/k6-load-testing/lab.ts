// Lab for module 1: load testing a simulated web shop with k6 scripts. Four graded tasks: a smoke
// test, finding the breaking point, demonstrating coordinated omission, and a CI gate.
import { defineLab, type GradeInput, type Verdict } from '../runtime/lab/definition.ts';
import type { Service } from '../runtime/simulator/service.ts';
import { measureCapacity } from './capacity.ts';

const BASE_URL = 'http://shop.test';

/** The shop as it runs in production: a 16-worker app server in front of a 10-connection pool. */
export const healthyShop: Service = {
  name: 'shop (healthy build)',
  workers: 16,
  queueLimit: 200,
  queueTimeoutMs: 5_000,
  database: { connections: 10 },
  endpoints: [
    { method: 'GET', path: '/', serviceTime: { type: 'lognormal', median: 4, sigma: 0.3 }, responseBytes: 6_000 },
    {
      method: 'GET',
      path: '/api/products',
      serviceTime: { type: 'lognormal', median: 18, sigma: 0.5 },
      db: { calls: 1, serviceTime: { type: 'lognormal', median: 4, sigma: 0.4 } },
      responseBytes: 12_000,
    },
    {
      method: 'GET',
      path: '/api/products/:id',
      serviceTime: { type: 'lognormal', median: 10, sigma: 0.4 },
      db: { calls: 1, serviceTime: { type: 'lognormal', median: 3, sigma: 0.4 } },
      responseBytes: 2_500,
    },
    {
      method: 'POST',
      path: '/api/checkout',
      serviceTime: { type: 'lognormal', median: 45, sigma: 0.5 },
      db: { calls: 2, serviceTime: { type: 'lognormal', median: 8, sigma: 0.5 } },
      responseBytes: 800,
    },
  ],
  faults: [],
};

/** The same shop after a bad deploy: checkout's CPU time is 2.5× longer. */
export const regressedShop: Service = {
  ...healthyShop,
  name: 'shop (regressed build)',
  faults: [{ kind: 'regression', endpoint: '/api/checkout', factor: 2.5 }],
};

/** The shop with a 2-second stop-the-world pause (a long GC pause) 20 s into the test. */
export const stallingShop: Service = {
  ...healthyShop,
  name: 'shop (2 s stall at 20 s)',
  faults: [{ kind: 'pause', fromMs: 20_000, toMs: 22_000 }],
};

/** The product API alone, for the breakpoint task: 8 workers, exponential service, mean 40 ms. */
export const productApi: Service = {
  name: 'product API',
  workers: 8,
  queueLimit: 5_000,
  queueTimeoutMs: 30_000,
  endpoints: [{ method: 'GET', path: '/api/products', serviceTime: { type: 'exponential', mean: 40 }, responseBytes: 12_000 }],
  faults: [],
};

const SMOKE_STARTER = `import http from 'k6/http';
import { check, sleep } from 'k6';

export const options = {
  vus: 2,
  duration: '30s',
  thresholds: {
    // Add a threshold here, for example on http_req_duration or http_req_failed.
  },
};

export default function () {
  const res = http.get(\`\${__ENV.BASE_URL}/api/products\`);
  // Add a check that the status is 200.
  sleep(1);
}
`;

const BREAKPOINT_STARTER = `import http from 'k6/http';
import { check } from 'k6';

export const options = {
  scenarios: {
    breakpoint: {
      executor: 'ramping-arrival-rate',
      startRate: 20,
      timeUnit: '1s',
      preAllocatedVUs: 50,
      maxVUs: 500,
      stages: [
        { duration: '2m', target: 100 }, // raise the target until p95 goes past 300 ms
      ],
    },
  },
};

export default function () {
  const res = http.get(\`\${__ENV.BASE_URL}/api/products\`);
  check(res, { 'status is 200': (r) => r.status === 200 });
}
`;

const OMISSION_STARTER = `import http from 'k6/http';
import { sleep } from 'k6';

// The service stalls for 2 s, 20 s into the test. Measure it twice, at the same average load:
// once with a closed model (a fixed number of VUs) and once with an open model (a fixed arrival rate).
export const options = {
  scenarios: {
    closed: {
      executor: 'constant-vus',
      vus: 10,
      duration: '80s',
    },
    // Add an open-model scenario (constant-arrival-rate) that starts at the same time,
    // and tag or name it so you can tell the two apart.
  },
  thresholds: {
    'http_req_duration{scenario:closed}': ['p(99)>0'],
  },
};

export default function () {
  http.get(\`\${__ENV.BASE_URL}/api/products\`);
  sleep(0.5);
}
`;

const GATE_STARTER = `import http from 'k6/http';
import { check, sleep } from 'k6';

// This script runs twice: against the healthy build and against a build where checkout regressed.
// Write thresholds so that the healthy build passes (exit code 0) and the regressed build fails (99).
export const options = {
  vus: 10,
  duration: '1m',
  thresholds: {},
};

export default function () {
  const list = http.get(\`\${__ENV.BASE_URL}/api/products\`, { tags: { name: 'products' } });
  check(list, { 'products 200': (r) => r.status === 200 });
  const order = http.post(\`\${__ENV.BASE_URL}/api/checkout\`, JSON.stringify({ items: [1, 2] }), {
    headers: { 'Content-Type': 'application/json' },
    tags: { name: 'checkout' },
  });
  check(order, { 'checkout 200': (r) => r.status === 200 });
  sleep(1);
}
`;

const OMISSION_CHOICES = [
  'During the stall every closed-model VU was stuck waiting, so the requests that would have arrived then were never sent and their delay was never measured.',
  'The closed model sends fewer requests in total, so its percentiles come from a smaller sample and are less precise.',
  'The arrival-rate executor adds client-side overhead to each request, which inflates its latencies.',
  'The open model uses more VUs, and the extra VUs slow the service down.',
] as const;

function only(input: GradeInput) {
  const run = input.runs[0];
  if (!run) throw new Error('the task defines at least one run');
  return run.result;
}

function gradeSmoke(input: GradeInput): Verdict {
  const result = only(input);
  const checks = result.checks;
  if (checks.length === 0) return { pass: false, message: 'The script makes no check: add check(res, { ... }) on the response status.' };
  if (checks.some((c) => c.fails > 0))
    return { pass: false, message: 'A check failed during the smoke test; a smoke test must pass cleanly.' };
  if (result.thresholds.metrics.length === 0) return { pass: false, message: 'No threshold was defined: add one in options.thresholds.' };
  if (result.exitCode !== 0) return { pass: false, message: 'A threshold failed (k6 would exit with code 99). A smoke test should pass.' };
  const peakVus = Math.max(0, ...result.timeSeries.vus);
  if (peakVus > 5) return { pass: false, message: `A smoke test uses very few VUs (1–5); this one reached ${peakVus}.` };
  return { pass: true, message: `Smoke test passed: ${result.requests} requests, every check and threshold green.` };
}

function gradeBreakpoint(input: GradeInput): Verdict {
  const result = only(input);
  const scenario = result.scenarios.find((s) => s.executor === 'ramping-arrival-rate');
  if (!scenario)
    return {
      pass: false,
      message: 'Use the ramping-arrival-rate executor: an open model keeps raising the load even when the service slows down.',
    };
  const capacity = measureCapacity(productApi, 300);
  if ((scenario.maxRatePerSecond ?? 0) < capacity * 1.1) {
    return {
      pass: false,
      message: `The ramp stops at ${scenario.maxRatePerSecond} requests/s, which is not far enough to see p95 cross 300 ms. Raise the final target.`,
    };
  }
  const reported = Number(input.answer);
  if (!Number.isFinite(reported) || reported <= 0)
    return { pass: false, message: 'Report the highest arrival rate (requests per second) at which p95 stayed under 300 ms.' };
  const error = Math.abs(reported - capacity) / capacity;
  if (error > 0.1)
    return {
      pass: false,
      message: `${reported} requests/s is more than 10 % away from where p95 really crosses 300 ms. Look at the p95 chart against the request rate.`,
    };
  return { pass: true, message: `Right: p95 crosses 300 ms at about ${Math.round(capacity)} requests/s; you reported ${reported}.` };
}

function gradeOmission(input: GradeInput): Verdict {
  const result = only(input);
  const closed = result.scenarios.find((s) => s.executor === 'constant-vus' || s.executor === 'ramping-vus');
  const open = result.scenarios.find((s) => s.executor === 'constant-arrival-rate' || s.executor === 'ramping-arrival-rate');
  if (!closed || !open)
    return { pass: false, message: 'Run two scenarios together: a closed model (constant-vus) and an open model (constant-arrival-rate).' };
  if (closed.p99 === null || open.p99 === null) return { pass: false, message: 'Both scenarios must send requests.' };
  const ratio = closed.requests === 0 ? 0 : open.requests / closed.requests;
  if (ratio < 0.5 || ratio > 2)
    return { pass: false, message: 'Give both scenarios about the same average load, so their percentiles can be compared.' };
  if (open.p99 < 2 * closed.p99)
    return {
      pass: false,
      message: `The open model's p99 (${open.p99.toFixed(0)} ms) should be far above the closed model's (${closed.p99.toFixed(0)} ms) across the stall. Do both scenarios run through second 20–22?`,
    };
  if (input.answer !== OMISSION_CHOICES[0])
    return { pass: false, message: 'Your runs show the effect; now pick the explanation that matches it.' };
  return {
    pass: true,
    message: `Shown: across the same stall, p99 was ${closed.p99.toFixed(0)} ms with a closed model and ${open.p99.toFixed(0)} ms with an open one.`,
  };
}

function gradeGate(input: GradeInput): Verdict {
  const [healthy, regressed] = input.runs;
  if (!healthy || !regressed) return { pass: false, message: 'Both builds must be tested.' };
  if (healthy.result.thresholds.metrics.length === 0)
    return { pass: false, message: 'Define thresholds: they are what makes k6 exit with code 99.' };
  if (healthy.result.exitCode !== 0)
    return { pass: false, message: 'The healthy build fails your thresholds: the gate would block a good release. Loosen them.' };
  if (regressed.result.exitCode !== 99)
    return {
      pass: false,
      message: 'The regressed build passes your thresholds: the gate would let the regression through. Tighten the threshold on checkout.',
    };
  return { pass: true, message: 'The gate works: exit code 0 for the healthy build and 99 for the regressed one.' };
}

export default defineLab({
  id: 'k6-load-testing',
  title: 'Load testing a web shop with k6',
  version: 1,
  module: 'load-testing',
  summary:
    'Write k6 scripts against a simulated web shop: a smoke test, a breakpoint test, coordinated omission made visible, and a CI gate that catches a regressed build.',
  objectives: [
    'Write a smoke test with checks and thresholds',
    'Find a breaking point with an open-model ramp',
    'Show how a closed model hides a stall that an open model reveals',
    'Gate a build on thresholds so a regression fails with exit code 99',
  ],
  baseUrl: BASE_URL,
  tasks: [
    {
      kind: 'k6',
      id: 'smoke-test',
      title: 'A smoke test that passes',
      goal: "Run the product list with 1–5 VUs for a short time. Add a check that the status is 200 and at least one threshold (for example `http_req_failed: ['rate<0.01']`). Every check and threshold must pass.",
      starter: SMOKE_STARTER,
      hint: "Use check(res, { 'status is 200': (r) => r.status === 200 }) and a threshold such as http_req_duration: ['p(95)<300'].",
      runs: [{ label: 'healthy shop', service: healthyShop }],
      grade: gradeSmoke,
    },
    {
      kind: 'k6',
      id: 'breaking-point',
      title: 'Find the breaking point',
      goal: 'The product API has 8 workers. With the `ramping-arrival-rate` executor, raise the arrival rate until p95 latency goes past 300 ms, then report the highest arrival rate (requests per second) at which p95 was still under 300 ms. You pass within ±10 % of the true value.',
      starter: BREAKPOINT_STARTER,
      hint: 'Ramp slowly (a few requests per second more each 10 s) well past the point where latency climbs, then read the p95 and request-rate charts together.',
      runs: [{ label: 'product API', service: productApi }],
      answer: { kind: 'number', label: 'Highest arrival rate with p95 under 300 ms', unit: 'requests/s' },
      grade: gradeBreakpoint,
    },
    {
      kind: 'k6',
      id: 'coordinated-omission',
      title: 'Make coordinated omission visible',
      goal: 'The shop stalls for 2 seconds, 20 s into the test. Run a closed model (`constant-vus`) and an open model (`constant-arrival-rate`) at about the same average load, side by side, and compare their p99. Then pick the explanation for the difference.',
      starter: OMISSION_STARTER,
      hint: 'Ten VUs that each wait ~0.5 s between requests send about 20 requests/s; give the arrival-rate scenario a similar rate, the same duration, and enough preAllocatedVUs.',
      runs: [{ label: 'shop with a 2 s stall', service: stallingShop }],
      answer: { kind: 'choice', label: 'Why is the closed model’s p99 so much lower?', options: [...OMISSION_CHOICES] },
      grade: gradeOmission,
    },
    {
      kind: 'k6',
      id: 'ci-gate',
      title: 'A CI gate that catches a regression',
      goal: 'Your script runs twice: against the healthy build and against a build where checkout got 2.5× slower. Write thresholds so the healthy build passes (exit code 0) and the regressed build fails (exit code 99), as a CI job would.',
      starter: GATE_STARTER,
      hint: "Put a threshold on checkout alone with a tag filter, such as 'http_req_duration{name:checkout}': ['p(95)<200'], and check the healthy run's p95 for checkout to choose the limit.",
      runs: [
        { label: 'healthy build', service: healthyShop },
        { label: 'regressed build', service: regressedShop },
      ],
      grade: gradeGate,
    },
  ],
});
