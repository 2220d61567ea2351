// The shape of a simulated service: what a lab author writes and what the simulator runs. Types are
// inferred from these schemas, so a lab file, the simulator and the tests cannot disagree.
import { z } from 'zod';

const durationMs = (what: string) =>
  z.number({ error: `${what} must be a number of milliseconds` }).nonnegative({ error: `${what} must be zero or more milliseconds` });
const positiveMs = (what: string) =>
  z.number({ error: `${what} must be a number of milliseconds` }).positive({ error: `${what} must be more than 0 ms` });
const factor = z.number({ error: 'factor must be a number' }).positive({ error: 'factor must be more than 0 (1 means unchanged)' });

/** A distribution of durations in milliseconds; every kind but `constant` consumes one uniform draw. */
export const DistributionSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('constant'),
      /** The duration every time. */
      value: durationMs('value'),
    }),
    z.strictObject({
      type: z.literal('exponential'),
      /** Mean duration (memoryless: the M in M/M/c). */
      mean: positiveMs('mean'),
    }),
    z.strictObject({
      type: z.literal('lognormal'),
      /** Median duration, e^μ of the underlying normal. */
      median: positiveMs('median'),
      /** Standard deviation of the underlying normal; larger means a longer tail (1 is already heavy). */
      sigma: z.number({ error: 'sigma must be a number' }).nonnegative({ error: 'sigma must be zero or more' }),
    }),
    z
      .strictObject({
        type: z.literal('uniform'),
        /** Shortest duration. */
        min: durationMs('min'),
        /** Longest duration (exclusive). */
        max: durationMs('max'),
      })
      .refine((d) => d.min <= d.max, { error: 'min must not exceed max', path: ['max'] }),
  ],
  { error: "type must be one of 'constant', 'exponential', 'lognormal' or 'uniform'" },
);
export type Distribution = z.infer<typeof DistributionSchema>;

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;

/** A path segment is a literal without '/', '?', '#' or spaces, or a parameter such as `:id`. */
const SEGMENT = /^(?::[A-Za-z_][A-Za-z0-9_]*|[^/?#\s:][^/?#\s]*)$/;

function describePathProblem(path: string): string | null {
  if (!path.startsWith('/')) return `endpoint path must start with '/' (got '${path}')`;
  if (path === '/') return null;
  const segments = path.slice(1).split('/');
  for (const segment of segments) {
    if (segment === '') return `endpoint path must not contain empty segments or end with '/' (got '${path}')`;
    if (!SEGMENT.test(segment)) {
      return `endpoint path segment '${segment}' must be a literal without '?', '#' or spaces, or a parameter like ':id' (got '${path}')`;
    }
  }
  return null;
}

const EndpointPathSchema = z.string({ error: 'endpoint path must be a string' }).superRefine((path, context) => {
  const problem = describePathProblem(path);
  if (problem !== null) context.addIssue({ code: 'custom', message: problem });
});

export const EndpointSchema = z.strictObject({
  /** HTTP method the endpoint answers. */
  method: z.enum(HTTP_METHODS, { error: `method must be one of ${HTTP_METHODS.join(', ')}` }),
  /** Exact path (`/health`) or a pattern with parameter segments (`/products/:id`); exact paths win. */
  path: EndpointPathSchema,
  /** CPU time on a worker per request. */
  serviceTime: DistributionSchema,
  /** Database work done while holding the worker, one call after another, after the CPU time. */
  db: z
    .strictObject({
      /** Sequential calls per request; each takes a connection from the pool and returns it. */
      calls: z.number().int({ error: 'db.calls must be a whole number' }).min(1, { error: 'db.calls must be at least 1' }).default(1),
      /** Time each call holds its connection. */
      serviceTime: DistributionSchema,
    })
    .optional(),
  /** Response body size in bytes for a successful answer. */
  responseBytes: z
    .number({ error: 'responseBytes must be a number' })
    .int({ error: 'responseBytes must be a whole number of bytes' })
    .nonnegative({ error: 'responseBytes must be zero or more' }),
  /** Fraction of served requests answered 500 after doing all their work. */
  errorRate: z
    .number({ error: 'errorRate must be a number' })
    .min(0, { error: 'errorRate must be at least 0' })
    .lt(1, { error: 'errorRate must be below 1 (it is the fraction of requests answered 500)' })
    .optional(),
});
export type Endpoint = z.infer<typeof EndpointSchema>;

const faultWindow = {
  /** Start of the window in virtual ms (inclusive). */
  fromMs: durationMs('fromMs'),
  /** End of the window in virtual ms (exclusive). */
  toMs: durationMs('toMs'),
};
const windowInOrder = (fault: { fromMs: number; toMs: number }) => fault.fromMs < fault.toMs;
const windowError = { error: 'toMs must be after fromMs', path: ['toMs'] };

export const FaultSchema = z.discriminatedUnion(
  'kind',
  [
    /** Stop-the-world (e.g. a GC pause): nothing starts and no CPU work progresses inside the window. */
    z.strictObject({ kind: z.literal('pause'), ...faultWindow }).refine(windowInOrder, windowError),
    /** The database slows down: calls that start inside the window take `factor` times longer. */
    z
      .strictObject({
        kind: z.literal('slow-dependency'),
        ...faultWindow,
        /** Multiplier on DB service time. */
        factor,
      })
      .refine(windowInOrder, windowError),
    /** A regressed build: CPU service time is `factor` times longer for the whole run. */
    z.strictObject({
      kind: z.literal('regression'),
      /** Path of the affected endpoint(s), as written in `endpoints`; all endpoints when absent. */
      endpoint: z.string().optional(),
      /** Multiplier on CPU service time. */
      factor,
    }),
  ],
  { error: "kind must be one of 'pause', 'slow-dependency' or 'regression'" },
);
export type Fault = z.infer<typeof FaultSchema>;

export const ServiceSchema = z
  .strictObject(
    {
      /** Name shown in lab output. */
      name: z.string({ error: 'name must be a string' }).min(1, { error: 'name must not be empty' }),
      /** Worker pool size c: requests served at once (thread-per-request). */
      workers: z
        .number({ error: 'workers must be a number' })
        .int({ error: 'workers must be a whole number' })
        .min(1, { error: 'workers must be at least 1' }),
      /** Requests allowed to wait for a worker; one more is refused with 503 at once. */
      queueLimit: z
        .number({ error: 'queueLimit must be a number' })
        .int({ error: 'queueLimit must be a whole number' })
        .nonnegative({ error: 'queueLimit must be zero or more' }),
      /** A request still waiting for a worker this long after arriving is answered 503 (load shedding). */
      queueTimeoutMs: positiveMs('queueTimeoutMs'),
      /** The database connection pool shared by every endpoint with `db`. */
      database: z
        .strictObject({
          /** Pool size: DB calls in progress at once. */
          connections: z
            .number({ error: 'database.connections must be a number' })
            .int({ error: 'database.connections must be a whole number' })
            .min(1, { error: 'database.connections must be at least 1' }),
        })
        .optional(),
      /** The routes the service answers; anything else is 404. */
      endpoints: z.array(EndpointSchema).min(1, { error: 'a service needs at least one endpoint' }),
      /** Injected faults, applied together. */
      faults: z.array(FaultSchema).default([]),
    },
    { error: (issue) => (issue.code === 'invalid_type' ? 'a service must be an object' : undefined) },
  )
  .superRefine((service, context) => {
    const seen = new Set<string>();
    service.endpoints.forEach((endpoint, index) => {
      const key = `${endpoint.method} ${endpoint.path}`;
      if (seen.has(key)) context.addIssue({ code: 'custom', message: `duplicate endpoint ${key}`, path: ['endpoints', index, 'path'] });
      seen.add(key);
      if (endpoint.db !== undefined && service.database === undefined) {
        context.addIssue({
          code: 'custom',
          message: `endpoint ${key} makes DB calls, so the service needs database.connections`,
          path: ['endpoints', index, 'db'],
        });
      }
    });
    const paths = new Set(service.endpoints.map((endpoint) => endpoint.path));
    service.faults.forEach((fault, index) => {
      if (fault.kind === 'regression' && fault.endpoint !== undefined && !paths.has(fault.endpoint)) {
        context.addIssue({
          code: 'custom',
          message: `regression names endpoint '${fault.endpoint}', which is not one of the service's paths`,
          path: ['faults', index, 'endpoint'],
        });
      }
    });
  });
/** A validated service, with defaults filled in. */
export type Service = z.infer<typeof ServiceSchema>;
/** A service as written in a lab, before defaults. */
export type ServiceInput = z.input<typeof ServiceSchema>;

/** Turns zod issues into one line per problem, naming the field as a lab author would write it. */
export function describeServiceIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.reduce<string>(
        (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text === '' ? String(key) : `${text}.${String(key)}`),
        '',
      );
      return where === '' ? issue.message : `${where}: ${issue.message}`;
    })
    .join('\n');
}

export type ParseServiceResult = { ok: true; service: Service } | { ok: false; error: string };

/** Validates a service definition, e.g. one read from a lab file or sent to a worker. */
export function parseService(input: unknown): ParseServiceResult {
  const parsed = ServiceSchema.safeParse(input);
  return parsed.success ? { ok: true, service: parsed.data } : { ok: false, error: describeServiceIssues(parsed.error) };
}
