// The SLO lab's telemetry: the web shop of the k6 lab (the same service model) in production for
// 30 days, two instances behind a load balancer, scraped every 15 s, with four seeded incidents.
// Everything the lab's instructions say about the timeline is defined here.
import { healthyShop } from '../k6-load-testing/lab.ts';
import type { Service } from '../runtime/simulator/service.ts';
import type { TelemetrySpecInput } from '../runtime/telemetry/spec.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** 2026-11-01T00:00:00Z: the first scrape. The telemetry ends 30 days later, at the lab's "now". */
export const TELEMETRY_START = Date.UTC(2026, 10, 1);
export const TELEMETRY_DAYS = 30;
export const TELEMETRY_END = TELEMETRY_START + TELEMETRY_DAYS * DAY;

/** The shop in production: the k6 lab's healthy build, with the small error rate of a real service. */
export const productionShop: Service = {
  ...healthyShop,
  name: 'shop (production)',
  endpoints: healthyShop.endpoints.map((endpoint) => ({ ...endpoint, errorRate: 0.0002 })),
};

/** The seeded incidents, in offsets from the first scrape. */
export const INCIDENTS = {
  blip: { fromMs: 5 * DAY + 14 * HOUR, toMs: 5 * DAY + 14 * HOUR + 2 * 60_000 },
  regression: { fromMs: 12 * DAY + 12 * HOUR, toMs: 13 * DAY + 9 * HOUR },
  fastBurn: { fromMs: 18 * DAY + 9 * HOUR, toMs: 18 * DAY + 10 * HOUR },
  slowBurn: { fromMs: 26 * DAY + 12 * HOUR, toMs: TELEMETRY_DAYS * DAY },
} as const;

export const shopTelemetry: TelemetrySpecInput = {
  job: 'shop',
  service: productionShop,
  instances: ['shop-1:8080', 'shop-2:8080'],
  startMs: TELEMETRY_START,
  days: TELEMETRY_DAYS,
  scrapeIntervalMs: 15_000,
  traffic: {
    meanRatePerSecond: 40,
    dailySwing: 0.5,
    peakHourUtc: 19,
    mix: { '/': 0.35, '/api/products': 0.35, '/api/products/:id': 0.2, '/api/checkout': 0.1 },
    clientErrors: [{ route: '/api/products/:id', code: 404, ratio: 0.03 }],
  },
  buckets: [0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5],
  latencyThresholdSeconds: 0.3,
  incidents: [
    {
      kind: 'errors',
      name: 'blip',
      description: 'A two-minute blip: a quarter of all requests failed while a load balancer reloaded its configuration.',
      ...INCIDENTS.blip,
      errorRatio: 0.25,
      code: 500,
      expectedAlert: 'none',
    },
    {
      kind: 'regression',
      name: 'deploy-regression',
      description: 'Build 1.5.0 made checkout 2.5× slower on the CPU until build 1.5.1 fixed it the next morning.',
      ...INCIDENTS.regression,
      routes: ['/api/checkout'],
      factor: 2.5,
      version: '1.5.0',
    },
    {
      kind: 'errors',
      name: 'fast-burn',
      description: 'A database failover: for an hour 8 % of product requests failed (about 4.4 % of all requests, a burn rate of ~44).',
      ...INCIDENTS.fastBurn,
      routes: ['/api/products', '/api/products/:id'],
      errorRatio: 0.08,
      code: 500,
      expectedAlert: 'page',
    },
    {
      kind: 'errors',
      name: 'slow-burn',
      description: 'The payment provider started rate-limiting: 4 % of checkouts fail with 503 (a burn rate of ~4) until the end.',
      ...INCIDENTS.slowBurn,
      routes: ['/api/checkout'],
      errorRatio: 0.04,
      code: 503,
      expectedAlert: 'ticket',
    },
  ],
  legacyHistogram: {
    job: 'payment-gateway',
    instance: 'payments-1:9102',
    metric: 'payment_gateway_request_duration_seconds',
    ratePerSecond: 4,
    medianMs: 180,
    sigma: 0.5,
    buckets: [0.1, 0.25, 0.5, 1, 2.5],
  },
};
