import { describe, expect, it } from 'vitest';
import { extractPath, Router } from './routes.ts';
import type { Endpoint } from './service.ts';

const endpoint = (method: Endpoint['method'], path: string): Endpoint => ({
  method,
  path,
  serviceTime: { type: 'constant', value: 1 },
  responseBytes: 0,
});

describe('extractPath', () => {
  it('keeps only the path of absolute and relative URLs', () => {
    expect(extractPath('http://shop.test/api/products/3?x=1')).toBe('/api/products/3');
    expect(extractPath('https://shop.test:8443/cart#top')).toBe('/cart');
    expect(extractPath('http://shop.test?next=/admin')).toBe('/');
    expect(extractPath('http://shop.test')).toBe('/');
    expect(extractPath('/orders/')).toBe('/orders');
    expect(extractPath('/')).toBe('/');
  });
});

describe('Router', () => {
  const router = new Router([
    endpoint('GET', '/products/:id'),
    endpoint('GET', '/products/featured'),
    endpoint('GET', '/users/:user/orders/:order'),
    endpoint('POST', '/products/:id'),
  ]);

  it('prefers an exact path to a pattern, whatever the order of declaration', () => {
    expect(router.match('GET', '/products/featured')).toBe(1);
    expect(router.match('GET', '/products/7')).toBe(0);
  });

  it('matches every parameter segment and the method', () => {
    expect(router.match('GET', '/users/ada/orders/12')).toBe(2);
    expect(router.match('POST', 'http://shop.test/products/7')).toBe(3);
    expect(router.match('patch', '/products/7')).toBe(-1);
  });

  it('does not match missing, empty or extra segments', () => {
    expect(router.match('GET', '/products')).toBe(-1);
    expect(router.match('GET', '/users/ada/orders/')).toBe(-1);
    expect(router.match('GET', '/users//orders/12')).toBe(-1);
    expect(router.match('GET', '/products/7/reviews')).toBe(-1);
  });
});
