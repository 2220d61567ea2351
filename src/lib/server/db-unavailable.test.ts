import { describe, expect, it } from 'vitest';
import { databaseUnavailableResponse, isDatabaseUnavailable } from './db-unavailable.ts';

describe('database unavailable', () => {
  it('recognises connection failures, also when wrapped as a cause', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('driver failed', { cause: new Error('Connection terminated unexpectedly') }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(
      true,
    );
    expect(isDatabaseUnavailable({ code: 'P1001', message: "Can't reach database server" })).toBe(true);
  });

  it('does not mistake bugs and bad data for an outage', () => {
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('Unique constraint failed'), { code: 'P2002' }))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });

  it('answers API calls with JSON and pages with HTML, both 503 with Retry-After', async () => {
    const api = databaseUnavailableResponse(new Request('http://x/api/exam/attempts/a'));
    expect(api.status).toBe(503);
    expect(api.headers.get('retry-after')).toBe('5');
    expect(await api.json()).toEqual({ error: expect.stringContaining('try again in 5 s') });
    const page = databaseUnavailableResponse(new Request('http://x/dashboard/'));
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('Back in a moment');
  });
});
