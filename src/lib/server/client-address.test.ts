import { describe, expect, it } from 'vitest';
import { clientAddressBehindProxy, parseTrustedProxies } from './client-address.ts';

const trusted = parseTrustedProxies('127.0.0.1, ::1');

describe('client address behind a proxy', () => {
  it('takes the address nginx appended when the peer is a trusted proxy', () => {
    expect(clientAddressBehindProxy('127.0.0.1', '203.0.113.7', trusted)).toBe('203.0.113.7');
    expect(clientAddressBehindProxy('::ffff:127.0.0.1', '203.0.113.7', trusted)).toBe('203.0.113.7');
  });

  it('ignores what the client wrote to the left of the last untrusted hop', () => {
    expect(clientAddressBehindProxy('127.0.0.1', '127.0.0.1, 198.51.100.2, 203.0.113.7', trusted)).toBe('203.0.113.7');
    expect(clientAddressBehindProxy('127.0.0.1', ['10.9.9.9', '203.0.113.7, 127.0.0.1'], trusted)).toBe('203.0.113.7');
  });

  it('never believes the header from a peer that is not a trusted proxy', () => {
    expect(clientAddressBehindProxy('198.51.100.9', '127.0.0.1', trusted)).toBe('198.51.100.9');
    expect(clientAddressBehindProxy('127.0.0.1', '127.0.0.1', parseTrustedProxies(undefined))).toBe('127.0.0.1');
  });

  it('keeps the peer when the header is missing, only proxies, or not an address', () => {
    expect(clientAddressBehindProxy('127.0.0.1', undefined, trusted)).toBe('127.0.0.1');
    expect(clientAddressBehindProxy('127.0.0.1', '::1, 127.0.0.1', trusted)).toBe('127.0.0.1');
    expect(clientAddressBehindProxy('127.0.0.1', '<script>', trusted)).toBe('127.0.0.1');
  });
});
