import { describe, expect, it } from 'vitest';
import type { Expr } from './ast.ts';
import { parseQuery } from './index.ts';
import { parseDurationMs, parseNumber, unquoteString } from './parse.ts';

function expr(text: string): Expr {
  const parsed = parseQuery(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.expr as Expr;
}

function error(text: string) {
  const parsed = parseQuery(text);
  if (parsed.ok) throw new Error(`expected ${text} to fail`);
  return parsed.error;
}

describe('parseQuery', () => {
  it('reports the type of the expression', () => {
    expect(parseQuery('up').ok && parseQuery('up')).toMatchObject({ type: 'vector' });
    expect(parseQuery('up[5m]')).toMatchObject({ ok: true, type: 'matrix' });
    expect(parseQuery('1 + 2')).toMatchObject({ ok: true, type: 'scalar' });
    expect(parseQuery('"x"')).toMatchObject({ ok: true, type: 'string' });
    expect(parseQuery('scalar(up)')).toMatchObject({ ok: true, type: 'scalar' });
    expect(parseQuery('rate(up[5m])[30m:1m]')).toMatchObject({ ok: true, type: 'matrix' });
  });

  it('reads durations with every unit, in ms', () => {
    expect(parseDurationMs('1h30m')).toBe(5_400_000);
    expect(parseDurationMs('1d')).toBe(86_400_000);
    expect(parseDurationMs('1w')).toBe(7 * 86_400_000);
    expect(parseDurationMs('1y')).toBe(365 * 86_400_000);
    expect(parseDurationMs('1s500ms')).toBe(1500);
    expect(parseDurationMs('5')).toBeNull();
    expect(expr('up[5m]')).toMatchObject({ kind: 'matrix_selector', rangeMs: 300_000 });
    expect(expr('up[90]')).toMatchObject({ kind: 'matrix_selector', rangeMs: 90_000 });
  });

  it('reads number literals: decimal, hex, exponent, Inf, NaN, underscores, durations as seconds', () => {
    expect(parseNumber('0x1F')).toBe(31);
    expect(parseNumber('1e3')).toBe(1000);
    expect(parseNumber('-Inf')).toBe(Number.NEGATIVE_INFINITY);
    expect(parseNumber('NaN')).toBeNaN();
    expect(parseNumber('1_000')).toBe(1000);
    expect(parseNumber('.5')).toBe(0.5);
    expect(parseNumber('5m')).toBe(300);
    expect(expr('-1')).toMatchObject({ kind: 'number', value: -1 });
  });

  it('unescapes string literals as Go does, and keeps backtick strings raw', () => {
    expect(unquoteString('"a\\nb\\t\\"c\\""', 0)).toBe('a\nb\t"c"');
    expect(unquoteString("'\\x41\\u00e9\\101'", 0)).toBe('AéA');
    expect(unquoteString('`raw\\n`', 0)).toBe('raw\\n');
    expect(() => unquoteString('"\\q"', 0)).toThrow(/unknown escape sequence/);
    expect(error('"abc').message).toBe('parse error: unterminated quoted string');
  });

  it('reads keywords in any case and numbers with a trailing dot, leaving strings alone', () => {
    expect(expr('SUM(x) BY (job)')).toMatchObject({ kind: 'aggregate', op: 'sum', grouping: ['job'] });
    expect(expr('x AND ON(a) y')).toMatchObject({ kind: 'binary', op: 'and', matching: { on: true, labels: ['a'] } });
    expect(expr('x @ START()')).toMatchObject({ at: 'start' });
    expect(expr('2.')).toMatchObject({ kind: 'number', value: 2 });
    expect(expr('x{a="2."}')).toMatchObject({ matchers: [{ name: '__name__' }, { name: 'a', value: '2.' }] });
    expect(error('2.)')).toMatchObject({ message: "parse error: unexpected right parenthesis ')'", column: 3 });
  });

  it('follows PromQL precedence: ^ is right-associative and binds tighter than unary minus', () => {
    const pow = expr('2 ^ 3 ^ 2');
    expect(pow).toMatchObject({ kind: 'binary', op: '^', lhs: { value: 2 }, rhs: { kind: 'binary', op: '^' } });
    expect(expr('-a ^ 2')).toMatchObject({ kind: 'unary', op: '-', expr: { kind: 'binary', op: '^' } });
    expect(expr('1 + 2 * 3')).toMatchObject({ op: '+', rhs: { op: '*' } });
    expect(expr('a or b and c')).toMatchObject({ op: 'or', rhs: { op: 'and' } });
  });

  it('attaches offset, @ and ranges to the operand next to them', () => {
    const sum = expr('a + b offset 5m');
    expect(sum).toMatchObject({ kind: 'binary', lhs: { offsetMs: 0 }, rhs: { offsetMs: 300_000 } });
    expect(expr('a @ 50 + b @ 100')).toMatchObject({ lhs: { at: 50_000 }, rhs: { at: 100_000 } });
    expect(expr('rate(x[5m] offset -1m @ start())')).toMatchObject({
      kind: 'call',
      args: [{ kind: 'matrix_selector', selector: { offsetMs: -60_000, at: 'start' } }],
    });
    expect(expr('x[30m:]')).toMatchObject({ kind: 'subquery', rangeMs: 1_800_000, stepMs: null });
    expect(error('a and b[5m]').message).toBe('binary expression must contain only scalar and instant vector types');
  });

  it('parses matchers, quoted label names and the metric name inside braces', () => {
    expect(expr('{__name__="up", job=~"api|web", "dotted.name"!="x"}')).toMatchObject({
      kind: 'vector_selector',
      matchers: [
        { name: '__name__', op: '=', value: 'up' },
        { name: 'job', op: '=~', value: 'api|web' },
        { name: 'dotted.name', op: '!=', value: 'x' },
      ],
    });
    expect(expr('{"up"}')).toMatchObject({ matchers: [{ name: '__name__', value: 'up' }] });
  });

  it('gives syntax errors with a line, a column and Prometheus wording', () => {
    expect(error('sum(rate(x[5m])))')).toMatchObject({
      kind: 'parse',
      message: "parse error: unexpected right parenthesis ')'",
      line: 1,
      column: 17,
    });
    expect(error('sum(\n  rate(x[5m]) +\n)')).toMatchObject({ kind: 'parse', line: 3, column: 1 });
    expect(error('rate(x[5m]')).toMatchObject({ message: 'parse error: unclosed left parenthesis', column: 11 });
    expect(error('x[5m')).toMatchObject({ message: 'parse error: unclosed left bracket' });
    expect(error('x{a="b"')).toMatchObject({ message: 'parse error: unexpected end of input inside braces' });
    expect(error('1 +')).toMatchObject({ message: 'parse error: unexpected end of input' });
    expect(error('foo(bar)')).toMatchObject({ message: 'parse error: unknown function with name "foo"' });
    expect(error('')).toMatchObject({ kind: 'parse', message: 'parse error: no expression found in input' });
  });

  it('type-checks calls, aggregations and operators like Prometheus', () => {
    expect(error('rate(x)').message).toBe('expected type range vector in call to function "rate", got instant vector');
    expect(error('abs(x[5m])').message).toBe('expected type instant vector in call to function "abs", got range vector');
    expect(error('rate(x[5m], 1)').message).toBe('expected 1 argument(s) in call to "rate", got 2');
    expect(error('round()').message).toBe('expected at least 1 argument(s) in call to "round", got 0');
    expect(error('sum(x[5m])').message).toBe('expected type instant vector in aggregation expression, got range vector');
    expect(error('topk(x, y)').message).toBe('expected type scalar in aggregation parameter, got instant vector');
    expect(error('count_values("a-b", x)').message).toBe('invalid label name "a-b"');
    expect(error('1 > 2').message).toBe('comparisons between scalars must use BOOL modifier');
    expect(error('x + bool y').message).toBe('bool modifier can only be used on comparison operators');
    expect(error('1 and x').message).toBe('set operator "and" not allowed in binary scalar expression');
    expect(error('x and on(a) group_left y').message).toBe('no grouping allowed for "and" operation');
    expect(error('x * on(a) 2').message).toBe('vector matching only allowed between instant vectors');
    expect(error('x * on(a) group_left(a) y').message).toBe('label "a" must not occur in ON and GROUP clause at once');
    expect(error('-x[5m]').message).toMatch(/^unary expression only allowed on expressions of type scalar or instant vector/);
    expect(error('x[5m][10m:1m]').message).toBe('subquery is only allowed on instant vector, got range vector instead');
    expect(error('sum(x) offset 5m').message).toMatch(/^offset modifier must be preceded by an instant vector selector/);
    expect(error('x offset 1m offset 2m').message).toBe('offset may not be set multiple times');
    expect(error('x @ 1 @ 2').message).toBe('@ <timestamp> may not be set multiple times');
  });

  it('rejects selectors that would match every series and names set twice', () => {
    expect(error('{job=""}').message).toBe('vector selector must contain at least one non-empty matcher');
    expect(error('{job=~".*"}').message).toBe('vector selector must contain at least one non-empty matcher');
    expect(parseQuery('{job=~".+"}').ok).toBe(true);
    expect(error('up{__name__="down"}').message).toBe('metric name must not be set twice: "up" or "down"');
  });

  it('rejects what RE2 rejects (backreferences, lookaround) with the regex quoted', () => {
    expect(error('x{a=~"(a)\\\\1"}')).toMatchObject({
      kind: 'bad_data',
      message: expect.stringMatching(/^invalid regular expression "\(a\)\\\\1": /),
    });
    expect(error('x{a=~"(?=a)"}').message).toMatch(/invalid or unsupported Perl syntax/);
    expect(error('x{a=~"["}').message).toMatch(/missing closing \]/);
  });

  it('reports native-histogram and other out-of-scope functions as unsupported', () => {
    expect(error('histogram_count(x)')).toMatchObject({
      kind: 'unsupported',
      message: expect.stringMatching(/native histograms are not supported in this lab/),
    });
    expect(error('histogram_fraction(0, 0.3, x)').kind).toBe('unsupported');
  });

  it('takes a long chain of operators as long, not deep', () => {
    const sum = Array.from({ length: 500 }, (_, i) => String(i)).join(' + ');
    expect(parseQuery(sum)).toMatchObject({ ok: true, type: 'scalar' });
  });

  it('bounds the query length and the nesting depth', () => {
    expect(error(`${'x + '.repeat(2600)}x`).message).toMatch(/^query is too long/);
    expect(error(`${'('.repeat(150)}x${')'.repeat(150)}`).message).toMatch(/nested too deeply/);
    expect(error(`${'abs('.repeat(150)}x${')'.repeat(150)}`).message).toMatch(/nested too deeply/);
  });
});
