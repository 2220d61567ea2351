import { describe, expect, it } from 'vitest';
import { parseService } from './service.ts';

const base = {
  name: 'shop',
  workers: 4,
  queueLimit: 100,
  queueTimeoutMs: 1_000,
  endpoints: [{ method: 'GET', path: '/products/:id', serviceTime: { type: 'constant', value: 2 }, responseBytes: 1_000 }],
};

describe('parseService', () => {
  it('accepts a valid service and fills in defaults', () => {
    const result = parseService({
      ...base,
      database: { connections: 2 },
      endpoints: [{ ...base.endpoints[0], db: { serviceTime: { type: 'exponential', mean: 3 } } }],
    });

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.service.faults).toEqual([]);
    expect(result.service.endpoints[0]?.db?.calls).toBe(1);
  });

  it('names the field and the rule in one line per problem', () => {
    const result = parseService({
      ...base,
      queueTimeoutMs: 0,
      endpoints: [
        { method: 'FETCH', path: 'products', serviceTime: { type: 'gamma', shape: 2 }, responseBytes: 10.5, errorRate: 1 },
        { method: 'GET', path: '/a', serviceTime: { type: 'uniform', min: 5, max: 1 }, responseBytes: 0 },
      ],
    });

    expect(result).toEqual({
      ok: false,
      error: [
        'queueTimeoutMs: queueTimeoutMs must be more than 0 ms',
        'endpoints[0].method: method must be one of GET, POST, PUT, DELETE, PATCH',
        "endpoints[0].path: endpoint path must start with '/' (got 'products')",
        "endpoints[0].serviceTime.type: type must be one of 'constant', 'exponential', 'lognormal' or 'uniform'",
        'endpoints[0].responseBytes: responseBytes must be a whole number of bytes',
        'endpoints[0].errorRate: errorRate must be below 1 (it is the fraction of requests answered 500)',
        'endpoints[1].serviceTime.max: min must not exceed max',
      ].join('\n'),
    });
  });

  it('rejects malformed paths, duplicate endpoints and DB calls without a database', () => {
    const endpoint = base.endpoints[0];
    const result = parseService({
      ...base,
      endpoints: [
        { ...endpoint, path: '/a//b' },
        { ...endpoint, path: '/search?q' },
        endpoint,
        { ...endpoint, db: { serviceTime: { type: 'constant', value: 1 } } },
      ],
    });

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.split('\n')).toEqual([
      "endpoints[0].path: endpoint path must not contain empty segments or end with '/' (got '/a//b')",
      "endpoints[1].path: endpoint path segment 'search?q' must be a literal without '?', '#' or spaces, or a parameter like ':id' (got '/search?q')",
      'endpoints[3].path: duplicate endpoint GET /products/:id',
      'endpoints[3].db: endpoint GET /products/:id makes DB calls, so the service needs database.connections',
    ]);
  });

  it('checks fault windows and the endpoint a regression names', () => {
    const result = parseService({
      ...base,
      faults: [
        { kind: 'pause', fromMs: 100, toMs: 50 },
        { kind: 'slow-dependency', fromMs: 0, toMs: 10, factor: 0 },
        { kind: 'regression', endpoint: '/nope', factor: 2 },
      ],
    });

    expect(result).toEqual({
      ok: false,
      error: [
        'faults[0].toMs: toMs must be after fromMs',
        'faults[1].factor: factor must be more than 0 (1 means unchanged)',
        "faults[2].endpoint: regression names endpoint '/nope', which is not one of the service's paths",
      ].join('\n'),
    });
  });

  it('explains input that is not a service at all', () => {
    expect(parseService(42)).toEqual({ ok: false, error: 'a service must be an object' });
    expect(parseService({ ...base, worker: 4 })).toEqual({ ok: false, error: 'Unrecognized key: "worker"' });
  });
});
