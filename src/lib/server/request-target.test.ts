import { describe, expect, it } from 'vitest';
import { sanitizeRequestTarget } from './request-target.ts';

describe('sanitizeRequestTarget', () => {
  it('leaves well-formed targets alone', () => {
    expect(sanitizeRequestTarget('/search/?q=burn%20rate&page=2')).toBe('/search/?q=burn%20rate&page=2');
    expect(sanitizeRequestTarget('/lessons/')).toBe('/lessons/');
  });

  it('drops only the malformed parts of a query string', () => {
    expect(sanitizeRequestTarget('/lessons/?%zz=%%')).toBe('/lessons/');
    expect(sanitizeRequestTarget('/search/?q=slo&bad=%E0%A4%A')).toBe('/search/?q=slo');
    expect(sanitizeRequestTarget('/x?')).toBe('/x');
  });

  it('sends a path that does not decode to the 404 page', () => {
    expect(sanitizeRequestTarget('/lessons/%zz/?q=1')).toBe('/404?q=1');
  });
});
