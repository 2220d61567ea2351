import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  methodLabel,
  metrics,
  rateLimitLabel,
  recordAutosave,
  renderMetrics,
  routeLabel,
  STATIC_ROUTE,
  statusClass,
  UNMATCHED_ROUTE,
} from './metrics.server.ts';

describe('metric labels', () => {
  it('keeps Astro route patterns and collapses everything else to two labels', () => {
    expect(routeLabel('/api/exam/attempts/[attempt]/responses/[item]', 200)).toBe('/api/exam/attempts/[attempt]/responses/[item]');
    expect(routeLabel('/lessons/[...slug]', 200)).toBe('/lessons/[...slug]');
    expect(routeLabel(undefined, 200)).toBe(STATIC_ROUTE);
    expect(routeLabel(undefined, 404)).toBe(UNMATCHED_ROUTE);
    expect(routeLabel('/404', 404)).toBe(UNMATCHED_ROUTE);
    expect(routeLabel('not a pattern', 500)).toBe(STATIC_ROUTE);
  });

  it('maps any method and status to a small fixed set', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: -1000, max: 2000 }), (method, status) => {
        expect(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'other']).toContain(methodLabel(method));
        expect(['1xx', '2xx', '3xx', '4xx', '5xx', 'other']).toContain(statusClass(status));
      }),
    );
    expect(methodLabel('get')).toBe('GET');
    expect(statusClass(503)).toBe('5xx');
  });

  it('names the rate-limit rule, never the account or address in the key', () => {
    expect(rateLimitLabel('signin:account:ada@example.com')).toBe('signin:account');
    expect(rateLimitLabel('signin:ip:10.0.0.1')).toBe('signin:ip');
    expect(rateLimitLabel('lab-submit:user-1')).toBe('lab-submit');
    expect(rateLimitLabel('something:else')).toBe('other');
  });
});

describe('the registry', () => {
  it('is one per process, however many copies of this module are loaded', async () => {
    vi.resetModules();
    const copy = await import('./metrics.server.ts');
    expect(copy.metrics()).toBe(metrics());
  });

  it('exposes autosave outcomes and latency in the exposition format', async () => {
    recordAutosave('acknowledged', 0.004);
    recordAutosave('failed', 0.2);
    const { body, contentType } = await renderMetrics();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(body).toMatch(/^headroom_autosaves_total\{outcome="acknowledged"\} [1-9]/m);
    expect(body).toMatch(/^headroom_autosave_duration_seconds_bucket\{le="0\.005",outcome="acknowledged"\} [1-9]/m);
    expect(body).toMatch(/^headroom_autosave_duration_seconds_bucket\{le="0\.1",outcome="failed"\} 0$/m);
    expect(body).toMatch(/^process_cpu_seconds_total /m);
  });
});
