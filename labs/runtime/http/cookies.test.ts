import { describe, expect, it } from 'vitest';
import { CookieJar, parseSetCookie } from './cookies.ts';

describe('the cookie jar', () => {
  it('sends a host-only cookie back to its host and path, not to other hosts', () => {
    const jar = new CookieJar();
    const cookie = parseSetCookie('sid=abc; Path=/app; HttpOnly', 'https://shop.test/app/login', 0);
    expect(cookie).toMatchObject({ name: 'sid', value: 'abc', domain: 'shop.test', hostOnly: true, path: '/app', httpOnly: true });
    if (cookie) jar.store(cookie);
    expect(jar.cookiesFor('https://shop.test/app/cart', 1).map((c) => c.name)).toEqual(['sid']);
    expect(jar.cookiesFor('https://shop.test/application', 1)).toEqual([]);
    expect(jar.cookiesFor('https://api.shop.test/app', 1)).toEqual([]);
  });

  it('matches subdomains for a Domain cookie and refuses a domain the host is not in', () => {
    const cookie = parseSetCookie('pref=1; Domain=.shop.test', 'https://www.shop.test/', 0);
    const jar = new CookieJar();
    if (cookie) jar.store(cookie);
    expect(jar.cookiesFor('http://api.shop.test/x', 0)).toHaveLength(1);
    expect(parseSetCookie('evil=1; Domain=bank.test', 'https://shop.test/', 0)).toBeNull();
  });

  it('expires cookies by Max-Age in virtual time and deletes them with Max-Age=0', () => {
    const jar = new CookieJar();
    const short = parseSetCookie('a=1; Max-Age=2', 'http://h.test/', 1_000);
    if (short) jar.store(short);
    expect(jar.cookiesFor('http://h.test/', 2_500)).toHaveLength(1);
    expect(jar.cookiesFor('http://h.test/', 3_000)).toHaveLength(0);
    const b = parseSetCookie('b=1', 'http://h.test/', 0);
    if (b) jar.store(b);
    const gone = parseSetCookie('b=; Expires=Thu, 01-Jan-1970 00:00:00 GMT; Max-Age=0; Path=/', 'http://h.test/', 0);
    if (gone) jar.store(gone);
    expect(jar.cookiesFor('http://h.test/', 0).map((c) => c.name)).toEqual(['a']);
  });

  it('keeps Secure cookies off plain HTTP', () => {
    const jar = new CookieJar();
    const secure = parseSetCookie('s=1; Secure', 'https://h.test/', 0);
    if (secure) jar.store(secure);
    expect(jar.cookiesFor('http://h.test/', 0)).toEqual([]);
    expect(jar.cookiesFor('https://h.test/', 0)).toHaveLength(1);
  });
});
