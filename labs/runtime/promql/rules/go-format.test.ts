import { describe, expect, it } from 'vitest';
import { formatE64, formatF64, formatG, formatValue, sprintf } from './go-format.ts';

describe('Go number formatting', () => {
  it('prints %v with the shortest digits and Go exponent thresholds', () => {
    expect(formatG(100000)).toBe('100000');
    expect(formatG(1e6)).toBe('1e+06');
    expect(formatG(0.0001)).toBe('0.0001');
    expect(formatG(0.00001)).toBe('1e-05');
    expect(formatG(-2.5)).toBe('-2.5');
    expect(formatG(0)).toBe('0');
    expect(formatG(Number.NaN)).toBe('NaN');
  });

  it('prints %.4g without trailing zeros', () => {
    expect(formatG(12.3, 4)).toBe('12.3');
    expect(formatG(100, 4)).toBe('100');
    expect(formatG(999.99, 4)).toBe('1000');
    expect(formatG(123456, 4)).toBe('1.235e+05');
  });

  it('formats printf verbs, widths and wrong-type markers', () => {
    expect(
      sprintf('%5.1f|%-4d|%03d|%e|%q|%s', [
        { kind: 'float', value: 3.25159 },
        { kind: 'int', value: 7 },
        { kind: 'int', value: 5 },
        { kind: 'float', value: 1234.5 },
        { kind: 'string', value: 'a"b' },
        { kind: 'float', value: 1.5 },
      ]),
    ).toBe('  3.3|7   |005|1.234500e+03|"a\\"b"|%!s(float64=1.5)');
    expect(sprintf('%d %d', [{ kind: 'int', value: 1 }])).toBe('1 %!d(MISSING)');
  });
});

describe('Go %e, %f and %v of values', () => {
  it('prints exponents with at least two digits and fixed notation beyond 1e21', () => {
    expect(formatE64(0.000123, 2)).toBe('1.23e-04');
    expect(formatE64(-5, -1)).toBe('-5e+00');
    expect(formatF64(2.5, 0)).toBe('3');
    expect(formatF64(1e22, 1)).toBe('10000000000000000000000.0');
    expect(formatF64(Number.NEGATIVE_INFINITY)).toBe('-Inf');
  });

  it('prints maps sorted by key and booleans as Go does', () => {
    expect(formatValue({ kind: 'map', value: { b: '2', a: '1' } })).toBe('map[a:1 b:2]');
    expect(formatValue({ kind: 'bool', value: false })).toBe('false');
    expect(formatValue({ kind: 'nil' })).toBe('<nil>');
  });
});
