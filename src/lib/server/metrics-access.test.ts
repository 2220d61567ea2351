import { describe, expect, it } from 'vitest';
import { authorizeMetrics, isLoopbackAddress, parseMetricsToken } from './metrics-access.ts';

const TOKEN = 'a-long-enough-metrics-token';

describe('metrics access', () => {
  it('answers loopback clients when no token is configured', () => {
    for (const clientAddress of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      expect(authorizeMetrics({ token: null, authorization: null, clientAddress })).toEqual({ ok: true });
    }
  });

  it('hides the endpoint from other clients when no token is configured', () => {
    expect(authorizeMetrics({ token: null, authorization: 'Bearer whatever', clientAddress: '10.1.2.3' })).toMatchObject({
      ok: false,
      status: 404,
    });
  });

  it('asks for the bearer token when one is configured, even from loopback', () => {
    expect(authorizeMetrics({ token: TOKEN, authorization: null, clientAddress: '127.0.0.1' })).toMatchObject({ ok: false, status: 401 });
    expect(authorizeMetrics({ token: TOKEN, authorization: `Basic ${TOKEN}`, clientAddress: '127.0.0.1' })).toMatchObject({
      ok: false,
      status: 401,
    });
  });

  it('refuses a wrong token and accepts the right one from anywhere', () => {
    expect(authorizeMetrics({ token: TOKEN, authorization: `Bearer ${TOKEN}x`, clientAddress: '10.0.0.9' })).toMatchObject({
      ok: false,
      status: 401,
    });
    expect(authorizeMetrics({ token: TOKEN, authorization: `bearer ${TOKEN}`, clientAddress: '10.0.0.9' })).toEqual({ ok: true });
  });

  it('refuses a token too short to be a secret', () => {
    expect(parseMetricsToken('short')).toMatchObject({ ok: false });
    expect(parseMetricsToken('has a space in it somewhere')).toMatchObject({ ok: false });
    expect(parseMetricsToken(undefined)).toEqual({ ok: true, token: null });
    expect(parseMetricsToken(TOKEN)).toEqual({ ok: true, token: TOKEN });
  });

  it('does not mistake addresses that merely start like loopback', () => {
    expect(isLoopbackAddress('127.0.0.1.example')).toBe(false);
    expect(isLoopbackAddress('::ffff:10.0.0.1')).toBe(false);
    expect(isLoopbackAddress('1127.0.0.1')).toBe(false);
  });
});
