// What a lab's telemetry is made of: the simulated service (the same model the k6 lab's simulator
// runs), its instances, traffic, histogram buckets and seeded incidents. A lab writes this as data;
// generate.ts turns it into Prometheus series, one statistically modelled 15 s scrape at a time.
import { z } from 'zod';
import type { Labels, Tsdb } from '../promql/index.ts';
import { ServiceSchema } from '../simulator/service.ts';

const msOffset = (what: string) =>
  z
    .number({ error: `${what} must be a number of milliseconds` })
    .int({ error: `${what} must be whole milliseconds` })
    .min(0, { error: `${what} must be zero or more` });

const RouteList = z.array(z.string().min(1)).min(1).optional();

/** A window of extra failures: requests to the routes answer `code` with probability `errorRatio`. */
const ErrorIncidentSchema = z
  .strictObject({
    kind: z.literal('errors'),
    /** Stable name, e.g. `fast-burn`; graders and the ground truth refer to it. */
    name: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
    /** One sentence for the learner (shown after grading). */
    description: z.string().min(10),
    /** Start and end, ms after the first scrape (end exclusive). */
    fromMs: msOffset('fromMs'),
    toMs: msOffset('toMs'),
    /** Endpoint paths as the service declares them; all when absent. */
    routes: RouteList,
    /** Fraction of the affected routes' requests that fail, on top of the baseline. */
    errorRatio: z.number().gt(0).max(1),
    /** The status code the failures get. */
    code: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)]).default(500),
    /** What a good alerting setup does about it: page, open a ticket, or stay silent (a blip). */
    expectedAlert: z.enum(['page', 'ticket', 'none']).optional(),
  })
  .refine((i) => i.fromMs < i.toMs, { error: 'toMs must be after fromMs', path: ['toMs'] });

/** A bad deploy: from `fromMs` the routes' CPU time is `factor` times longer; `toMs` is the rollback. */
const RegressionIncidentSchema = z
  .strictObject({
    kind: z.literal('regression'),
    name: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
    description: z.string().min(10),
    fromMs: msOffset('fromMs'),
    toMs: msOffset('toMs'),
    routes: RouteList,
    /** Multiplier on CPU service time, as the simulator's `regression` fault. */
    factor: z.number().gt(1).max(20),
    /** The build deployed at `fromMs`. */
    version: z.string().min(1),
    expectedAlert: z.enum(['page', 'ticket', 'none']).optional(),
  })
  .refine((i) => i.fromMs < i.toMs, { error: 'toMs must be after fromMs', path: ['toMs'] });

export const IncidentSchema = z.discriminatedUnion('kind', [ErrorIncidentSchema, RegressionIncidentSchema]);

/** A second, hand-instrumented job whose histogram has no `+Inf` bucket (a classic exporter bug). */
export const LegacyHistogramSchema = z.strictObject({
  job: z.string().min(1),
  instance: z.string().min(1),
  /** Metric base name; `_bucket`, `_sum` and `_count` are appended. */
  metric: z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/),
  /** Calls per second. */
  ratePerSecond: z.number().positive().max(1000),
  /** Median latency (ms) and log-normal sigma of the calls. */
  medianMs: z.number().positive(),
  sigma: z.number().positive().max(2),
  /** Finite bucket bounds in seconds; deliberately no `+Inf`. */
  buckets: z.array(z.number().positive()).min(2).max(12),
});

export const TelemetrySpecSchema = z
  .strictObject({
    /** The `job` label of the shop's scrape target. */
    job: z.string().min(1),
    /** The service model: endpoints (routes, latency, baseline error rate), workers, database. */
    service: ServiceSchema,
    /** `instance` labels, one scrape target each; traffic is split evenly between them. */
    instances: z.array(z.string().min(1)).min(1).max(4),
    /** Time of the first scrape, ms since the epoch (a whole number of scrape intervals). */
    startMs: z.number().int(),
    /** Length of the telemetry in days. */
    days: z.number().int().min(1).max(31),
    scrapeIntervalMs: z.number().int().min(1000).max(300_000).default(15_000),
    traffic: z.strictObject({
      /** Mean requests per second over a day, whole service (all instances). */
      meanRatePerSecond: z.number().positive().max(2000),
      /** Peak-to-mean swing of the daily cycle (0 = flat, 0.6 = peak 1.6× and trough 0.4× the mean). */
      dailySwing: z.number().min(0).max(0.9),
      /** Hour of the day (UTC) with the most traffic. */
      peakHourUtc: z.number().min(0).lt(24),
      /** Share of the requests per endpoint path; must name every endpoint, shares sum to 1. */
      mix: z.record(z.string(), z.number().positive()),
      /** Client errors per endpoint path (e.g. 404 for unknown product ids); they count as good. */
      clientErrors: z
        .array(z.strictObject({ route: z.string(), code: z.number().int().min(400).max(499), ratio: z.number().gt(0).lt(0.5) }))
        .default([]),
    }),
    /** Finite `le` bounds of http_request_duration_seconds in seconds; `+Inf` is always added. */
    buckets: z.array(z.number().positive()).min(2).max(20),
    /** The latency SLO's threshold in seconds; must be one of the buckets (truth counts use it). */
    latencyThresholdSeconds: z.number().positive().default(0.3),
    incidents: z.array(IncidentSchema).max(10).default([]),
    legacyHistogram: LegacyHistogramSchema.optional(),
  })
  .superRefine((spec, context) => {
    const paths = spec.service.endpoints.map((e) => e.path);
    const mixed = Object.keys(spec.traffic.mix).sort();
    if (mixed.join('\n') !== [...paths].sort().join('\n'))
      context.addIssue({
        code: 'custom',
        message: `traffic.mix must give a share to each of ${paths.join(', ')}`,
        path: ['traffic', 'mix'],
      });
    const total = Object.values(spec.traffic.mix).reduce((a, b) => a + b, 0);
    if (Math.abs(total - 1) > 1e-9)
      context.addIssue({ code: 'custom', message: 'traffic.mix shares must sum to 1', path: ['traffic', 'mix'] });
    for (const [index, b] of spec.buckets.entries())
      if (index > 0 && b <= (spec.buckets[index - 1] as number))
        context.addIssue({ code: 'custom', message: 'buckets must increase', path: ['buckets', index] });
    if (!spec.buckets.includes(spec.latencyThresholdSeconds))
      context.addIssue({
        code: 'custom',
        message: 'latencyThresholdSeconds must be one of the buckets',
        path: ['latencyThresholdSeconds'],
      });
    const lengthMs = spec.days * 86_400_000;
    for (const [index, incident] of spec.incidents.entries()) {
      if (incident.toMs > lengthMs)
        context.addIssue({ code: 'custom', message: 'incident ends after the telemetry', path: ['incidents', index, 'toMs'] });
      for (const route of incident.routes ?? [])
        if (!paths.includes(route))
          context.addIssue({ code: 'custom', message: `unknown route ${route}`, path: ['incidents', index, 'routes'] });
    }
    for (const [index, c] of spec.traffic.clientErrors.entries())
      if (!paths.includes(c.route))
        context.addIssue({ code: 'custom', message: `unknown route ${c.route}`, path: ['traffic', 'clientErrors', index, 'route'] });
    if (spec.startMs % spec.scrapeIntervalMs !== 0)
      context.addIssue({ code: 'custom', message: 'startMs must be a whole number of scrape intervals', path: ['startMs'] });
  });

export type TelemetrySpec = z.infer<typeof TelemetrySpecSchema>;
export type TelemetrySpecInput = z.input<typeof TelemetrySpecSchema>;
export type Incident = z.infer<typeof IncidentSchema>;

/** What an incident really did, measured on the generated counts (the graders' truth). */
export interface IncidentTruth {
  name: string;
  kind: Incident['kind'];
  description: string;
  /** Epoch ms. */
  start: number;
  end: number;
  routes: string[];
  /** What a good alerting setup does about it, when the spec says. */
  expectedAlert: 'page' | 'ticket' | 'none' | null;
  /** Requests to the whole service inside the window, and how many failed with 5xx. */
  requests: number;
  serverErrors: number;
  /** Requests slower than the latency threshold inside the window (all routes). */
  slowRequests: number;
}

/**
 * Per scrape interval, summed over every instance and route of the shop: the exact counts the
 * counters advanced by between the previous scrape and this one (index 0: since the start).
 */
export interface WindowTotals {
  requests: Float64Array;
  /** Responses with a 5xx status. */
  serverErrors: Float64Array;
  /** Requests within the latency threshold (what its `le` bucket counted, e.g. `le="0.3"`). */
  fast: Float64Array;
}

/** One generated series, as loaded into the Tsdb (arrays shared, never copied). */
export interface GeneratedSeries {
  labels: Labels;
  t: Float64Array;
  v: Float64Array;
}

/** A metric family's TYPE and HELP, as the exporter announces them (for completion). */
export interface MetricMetadata {
  name: string;
  type: 'counter' | 'gauge' | 'histogram';
  help: string;
}

export interface Telemetry {
  spec: TelemetrySpec;
  series: GeneratedSeries[];
  metadata: MetricMetadata[];
  seed: number;
  db: Tsdb;
  /** Scrape times, epoch ms (shared by every series of the shop's targets). */
  times: Float64Array;
  /** First and last scrape, epoch ms. */
  start: number;
  end: number;
  totals: WindowTotals;
  incidents: IncidentTruth[];
  /** Epoch ms of every process restart, per instance (counters reset there). */
  restarts: Record<string, number[]>;
  /** Hash of every series' labels and sample bits: equal in every engine for the same spec and seed. */
  digest: string;
  stats: { series: number; samples: number; bytes: number; generationMs: number };
}
