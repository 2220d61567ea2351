import { describe, expect, it } from 'vitest';
import { erlangC, mm1MeanResponseTime, mmcMeanResponseTime } from './queueing.ts';
import { createRandom, exponential } from './random.ts';
import type { Distribution, ServiceInput } from './service.ts';
import { ServiceSchema } from './service.ts';
import { ServiceSimulator, type SimResponse } from './simulator.ts';

const constant = (value: number): Distribution => ({ type: 'constant', value });

function createSimulator(service: Partial<ServiceInput> & Pick<ServiceInput, 'endpoints'>, seed = 1): ServiceSimulator {
  return new ServiceSimulator(
    ServiceSchema.parse({ name: 'shop', workers: 4, queueLimit: 1_000_000, queueTimeoutMs: 1e12, ...service }),
    seed,
  );
}

function get(simulator: ServiceSimulator, arrival: number, url = '/'): SimResponse {
  return simulator.submit({ arrival, method: 'GET', url, bodyBytes: 0 });
}

/** Submits a Poisson stream (exponential inter-arrival times from its own generator). */
function submitPoisson(simulator: ServiceSimulator, ratePerMs: number, count: number, seed: number, url = '/'): SimResponse[] {
  const arrivals = createRandom(seed);
  const responses: SimResponse[] = [];
  let arrival = 0;
  for (let i = 0; i < count; i++) {
    arrival += exponential(arrivals, 1 / ratePerMs);
    responses.push(get(simulator, arrival, url));
  }
  return responses;
}

const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
const relativeError = (actual: number, expected: number) => Math.abs(actual / expected - 1);

describe('ServiceSimulator against queueing theory', () => {
  // 200,000 requests leave a standard error of about 1.4 % on the M/M/1 mean at ρ = 0.7 and 1.1 % on
  // M/M/4 at ρ = 0.75 (measured over 40 seeds), so 3 % is a real check, not a loose one.
  const requests = 200_000;
  const mu = 1;

  function simulateMmc(workers: number, utilisation: number) {
    const lambda = utilisation * workers * mu;
    const simulator = createSimulator({
      workers,
      endpoints: [{ method: 'GET', path: '/', serviceTime: { type: 'exponential', mean: 1 / mu }, responseBytes: 0 }],
    });
    const responses = submitPoisson(simulator, lambda, requests, 7);
    return { lambda, responses, stats: simulator.stats() };
  }

  it('matches the M/M/1 mean response time within 3 % and satisfies L = λW', () => {
    const { lambda, responses, stats } = simulateMmc(1, 0.7);
    const meanResponseTime = mean(responses.map((response) => response.duration));

    expect(relativeError(meanResponseTime, mm1MeanResponseTime(lambda, mu))).toBeLessThan(0.03);
    expect(relativeError(stats.queued / stats.served, erlangC(1, lambda, mu))).toBeLessThan(0.03);
    expect(relativeError(stats.meanNumberInSystem, lambda * meanResponseTime)).toBeLessThan(0.01);
  });

  it('matches the M/M/4 mean response time and the Erlang C probability of waiting within 3 %', () => {
    const { lambda, responses, stats } = simulateMmc(4, 0.75);
    const meanResponseTime = mean(responses.map((response) => response.duration));

    expect(relativeError(meanResponseTime, mmcMeanResponseTime(4, lambda, mu))).toBeLessThan(0.03);
    expect(relativeError(stats.queued / stats.served, erlangC(4, lambda, mu))).toBeLessThan(0.03);
  });

  it("satisfies Little's law for the whole system and for the wait queue", () => {
    const { lambda, responses, stats } = simulateMmc(4, 0.8);
    const meanResponseTime = mean(responses.map((response) => response.duration));

    expect(relativeError(stats.meanNumberInSystem, lambda * meanResponseTime)).toBeLessThan(0.01);
    expect(relativeError(stats.meanNumberWaiting, lambda * stats.meanQueueWait)).toBeLessThan(0.01);
    expect(stats.meanResponseTime).toBeCloseTo(meanResponseTime, 9);
    expect(relativeError(stats.workerUtilisation, 0.8)).toBeLessThan(0.01);
  });
});

describe('ServiceSimulator under overload', () => {
  const slowEndpoint = { method: 'GET' as const, path: '/', serviceTime: constant(10), responseBytes: 100 };

  it('fills the queue, then refuses with 503 at once', () => {
    const simulator = createSimulator({ workers: 2, queueLimit: 10, endpoints: [slowEndpoint] });
    // 0.5 requests/ms against a capacity of 0.2/ms.
    const responses = Array.from({ length: 200 }, (_, i) => get(simulator, 2 * i));
    const firstRefusal = responses.findIndex((response) => response.status === 503);

    expect(firstRefusal).toBeGreaterThanOrEqual(2 + 10);
    const refusals = responses.filter((response) => response.status === 503);
    expect(refusals.length).toBeGreaterThan(100);
    for (const refusal of refusals) expect(refusal.waiting).toBe(0);
    // At most 10 ahead in the queue, served 2 at a time: a wait of at most 5 services, then its own.
    for (const served of responses.filter((response) => response.status === 200)) expect(served.waiting).toBeLessThanOrEqual(60);
    expect(simulator.stats().refused).toBe(refusals.length);
  });

  it('caps the wait at queueTimeoutMs by shedding with 503', () => {
    const simulator = createSimulator({ workers: 2, queueTimeoutMs: 30, endpoints: [slowEndpoint] });
    const responses = Array.from({ length: 200 }, (_, i) => get(simulator, 2 * i));
    const shed = responses.filter((response) => response.status === 503);

    expect(shed.length).toBeGreaterThan(100);
    for (const response of shed) expect(response.waiting).toBe(30);
    for (const served of responses.filter((response) => response.status === 200)) expect(served.waiting).toBeLessThanOrEqual(30 + 10);
    expect(simulator.stats().shed).toBe(shed.length);
  });

  it('refuses at once when every worker is busy and queueLimit is 0', () => {
    const simulator = createSimulator({ workers: 1, queueLimit: 0, endpoints: [slowEndpoint] });

    expect(get(simulator, 0).status).toBe(200);
    expect(get(simulator, 5).status).toBe(503);
    expect(get(simulator, 10).status).toBe(200);
  });
});

describe('ServiceSimulator faults', () => {
  it('stretches work in progress by its overlap with a pause and starts nothing inside it', () => {
    const simulator = createSimulator({
      endpoints: [{ method: 'GET', path: '/', serviceTime: constant(10), responseBytes: 0 }],
      faults: [{ kind: 'pause', fromMs: 5, toMs: 8 }],
    });

    expect(get(simulator, 0).end).toBe(13);
    expect(get(simulator, 6).end).toBe(18);
    expect(get(simulator, 7, '/missing').waiting).toBeCloseTo(1.02, 9);
    expect(get(simulator, 20).duration).toBe(10);
  });

  it('multiplies CPU time by a regression factor, only on the endpoint it names', () => {
    const endpoints = [
      { method: 'GET' as const, path: '/a', serviceTime: { type: 'exponential' as const, mean: 1 }, responseBytes: 0 },
      { method: 'GET' as const, path: '/b', serviceTime: { type: 'exponential' as const, mean: 1 }, responseBytes: 0 },
    ];
    const meanLatency = (simulator: ServiceSimulator, url: string) =>
      mean(submitPoisson(simulator, 0.5, 20_000, 3, url).map((response) => response.duration));
    const baseline = meanLatency(createSimulator({ workers: 8, endpoints }), '/a');

    expect(
      meanLatency(createSimulator({ workers: 8, endpoints, faults: [{ kind: 'regression', factor: 3 }] }), '/a') / baseline,
    ).toBeCloseTo(3, 1);
    const onlyB = [{ kind: 'regression' as const, endpoint: '/b', factor: 3 }];
    expect(meanLatency(createSimulator({ workers: 8, endpoints, faults: onlyB }), '/a')).toBe(baseline);
  });

  it('slows only DB calls that start inside a slow-dependency window', () => {
    const simulator = createSimulator({
      database: { connections: 4 },
      endpoints: [
        { method: 'GET', path: '/cart', serviceTime: constant(1), db: { calls: 2, serviceTime: constant(5) }, responseBytes: 0 },
        { method: 'GET', path: '/static', serviceTime: constant(1), responseBytes: 0 },
      ],
      faults: [{ kind: 'slow-dependency', fromMs: 100, toMs: 200, factor: 4 }],
    });

    expect(get(simulator, 0, '/cart').waiting).toBe(11);
    // CPU to 151, first call 151–171, second call 171–191: both start in the window.
    expect(get(simulator, 150, '/cart').waiting).toBe(41);
    expect(get(simulator, 150, '/static').waiting).toBe(1);
    // The first call starts at 191 (slow, until 211); the second starts after the window.
    expect(get(simulator, 190, '/cart').waiting).toBe(26);
    expect(get(simulator, 300, '/cart').waiting).toBe(11);
  });
});

describe('ServiceSimulator requests and responses', () => {
  const shop = {
    database: { connections: 1 },
    endpoints: [
      { method: 'GET' as const, path: '/api/products/:id', serviceTime: constant(2), responseBytes: 250_000 },
      { method: 'GET' as const, path: '/api/products/featured', serviceTime: constant(1), responseBytes: 0 },
      { method: 'POST' as const, path: '/api/orders', serviceTime: constant(0), db: { serviceTime: constant(10) }, responseBytes: 0 },
    ],
  };

  it('routes on the path of absolute URLs, exact paths before patterns, and answers 404 otherwise', () => {
    const simulator = createSimulator(shop);
    const request = (method: string, url: string) => simulator.submit({ arrival: 0, method, url, bodyBytes: 0 });

    expect(request('GET', 'http://shop.test/api/products/3?x=1').endpoint).toBe('/api/products/:id');
    expect(request('get', '/api/products/featured/').endpoint).toBe('/api/products/featured');
    const missing = request('DELETE', '/api/products/3');
    expect(missing).toMatchObject({ status: 404, endpoint: null });
    expect(request('GET', 'https://shop.test').status).toBe(404);
  });

  it('splits the duration into sending, waiting and receiving from the bytes on a 1 Gbit/s link', () => {
    const simulator = createSimulator(shop);
    const response = simulator.submit({ arrival: 100, method: 'GET', url: '/api/products/1', bodyBytes: 125_000 });

    expect(response).toEqual({
      status: 200,
      arrival: 100,
      end: 105,
      duration: 5,
      waiting: 2,
      receiving: 2,
      sending: 1,
      bodyBytes: 250_000,
      endpoint: '/api/products/:id',
    });
  });

  it('makes DB calls wait for a free connection while holding their worker', () => {
    const simulator = createSimulator(shop);
    const order = () => simulator.submit({ arrival: 0, method: 'POST', url: '/api/orders', bodyBytes: 0 });

    expect(order().end).toBe(10);
    expect(order().end).toBe(20);
    const stats = simulator.stats();
    expect(stats.dbBusyTime).toBe(20);
    expect(stats.workerBusyTime).toBe(30);
  });

  it('answers about errorRate of served requests with 500', () => {
    const simulator = createSimulator({
      workers: 64,
      endpoints: [{ method: 'GET', path: '/', serviceTime: constant(1), responseBytes: 10, errorRate: 0.25 }],
    });
    const responses = Array.from({ length: 20_000 }, (_, i) => get(simulator, i));
    const errors = responses.filter((response) => response.status === 500).length;

    expect(errors / responses.length).toBeCloseTo(0.25, 1);
    expect(simulator.stats().statusCounts).toEqual([
      { status: 200, count: responses.length - errors },
      { status: 500, count: errors },
    ]);
  });

  it('gives identical responses for the same seed and different ones for another seed', () => {
    const service = {
      workers: 3,
      queueLimit: 20,
      queueTimeoutMs: 50,
      database: { connections: 2 },
      endpoints: [
        {
          method: 'GET' as const,
          path: '/a/:id',
          serviceTime: { type: 'lognormal' as const, median: 2, sigma: 0.8 },
          db: { calls: 2, serviceTime: { type: 'uniform' as const, min: 0.5, max: 3 } },
          responseBytes: 1_000,
          errorRate: 0.05,
        },
      ],
      faults: [
        { kind: 'pause' as const, fromMs: 500, toMs: 530 },
        { kind: 'slow-dependency' as const, fromMs: 800, toMs: 900, factor: 3 },
      ],
    };
    const run = (seed: number) => submitPoisson(createSimulator(service, seed), 1.2, 2_000, 11, '/a/7');

    expect(run(42)).toEqual(run(42));
    expect(run(43)).not.toEqual(run(42));
  });

  it('rejects requests submitted out of arrival order', () => {
    const simulator = createSimulator(shop);
    get(simulator, 10, '/api/products/1');

    expect(() => get(simulator, 9.5, '/api/products/1')).toThrow(/nondecreasing arrival order.*9\.5 ms after 10 ms/);
    expect(() => get(simulator, Number.NaN, '/api/products/1')).toThrow(/nondecreasing arrival order/);
  });

  it('refuses an invalid service definition with a readable message', () => {
    const invalid = {
      name: 'shop',
      workers: 0,
      queueLimit: 10,
      queueTimeoutMs: 100,
      endpoints: [{ method: 'GET', path: 'products', serviceTime: constant(1), responseBytes: 10 }],
      faults: [],
    };

    // @ts-expect-error -- the point is an invalid definition arriving at run time
    expect(() => new ServiceSimulator(invalid, 1)).toThrow(
      "The service definition is not valid:\nworkers: workers must be at least 1\nendpoints[0].path: endpoint path must start with '/' (got 'products')",
    );
  });
});
