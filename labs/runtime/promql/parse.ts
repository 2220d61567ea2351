// lezer-promql syntax tree → our typed AST, with Prometheus's type checks and error wording.

import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import type {
  AggregateOp,
  AtModifier,
  Binary,
  BinaryOp,
  Expr,
  LabelMatcher,
  MatchOp,
  ValueType,
  VectorMatching,
  VectorSelector,
} from './ast.ts';
import { isComparison, isSetOp } from './ast.ts';
import { badData, parseError, QueryError } from './errors.ts';
import { GO_SIMPLE_ESCAPES } from './go-string.ts';
import { compileAnchoredRegex } from './regex.ts';

export const MAX_QUERY_LENGTH = 10_000;
export const MAX_NESTING_DEPTH = 100;

type ArgType = ValueType;

interface FunctionSignature {
  args: ArgType[];
  /** Trailing arguments that may be left out; -1: the last one repeats any number of times (label lists). */
  optional: number;
  returns: ValueType;
  /** Set for functions that exist in Prometheus but only for native histograms or other out-of-scope features. */
  unsupported?: string;
}

const NATIVE = 'native histograms are not supported in this lab: the TSDB holds float samples only';

function sig(args: ArgType[], returns: ValueType = 'vector', optional = 0, unsupported?: string): FunctionSignature {
  return unsupported === undefined ? { args, optional, returns } : { args, optional, returns, unsupported };
}

const V: ArgType = 'vector';
const M: ArgType = 'matrix';
const S: ArgType = 'scalar';
const STR: ArgType = 'string';

export const FUNCTIONS: Readonly<Record<string, FunctionSignature>> = {
  abs: sig([V]),
  absent: sig([V]),
  absent_over_time: sig([M]),
  acos: sig([V]),
  acosh: sig([V]),
  asin: sig([V]),
  asinh: sig([V]),
  atan: sig([V]),
  atanh: sig([V]),
  avg_over_time: sig([M]),
  ceil: sig([V]),
  changes: sig([M]),
  clamp: sig([V, S, S]),
  clamp_max: sig([V, S]),
  clamp_min: sig([V, S]),
  cos: sig([V]),
  cosh: sig([V]),
  count_over_time: sig([M]),
  days_in_month: sig([V], 'vector', 1),
  day_of_month: sig([V], 'vector', 1),
  day_of_week: sig([V], 'vector', 1),
  day_of_year: sig([V], 'vector', 1),
  deg: sig([V]),
  delta: sig([M]),
  deriv: sig([M]),
  double_exponential_smoothing: sig([M, S, S]),
  exp: sig([V]),
  first_over_time: sig([M]),
  floor: sig([V]),
  histogram_avg: sig([V], 'vector', 0, NATIVE),
  histogram_count: sig([V], 'vector', 0, NATIVE),
  histogram_fraction: sig([S, S, V], 'vector', 0, NATIVE),
  histogram_quantile: sig([S, V]),
  histogram_quantiles: sig([V, STR, S], 'vector', -1, NATIVE),
  histogram_stddev: sig([V], 'vector', 0, NATIVE),
  histogram_stdvar: sig([V], 'vector', 0, NATIVE),
  histogram_sum: sig([V], 'vector', 0, NATIVE),
  hour: sig([V], 'vector', 1),
  idelta: sig([M]),
  increase: sig([M]),
  info: sig([V, V], 'vector', 1, 'info() is not supported in this lab'),
  irate: sig([M]),
  label_join: sig([V, STR, STR, STR], 'vector', -1),
  label_replace: sig([V, STR, STR, STR, STR]),
  last_over_time: sig([M]),
  ln: sig([V]),
  log10: sig([V]),
  log2: sig([V]),
  mad_over_time: sig([M]),
  max_over_time: sig([M]),
  min_over_time: sig([M]),
  minute: sig([V], 'vector', 1),
  month: sig([V], 'vector', 1),
  pi: sig([], 'scalar'),
  predict_linear: sig([M, S]),
  present_over_time: sig([M]),
  quantile_over_time: sig([S, M]),
  rad: sig([V]),
  rate: sig([M]),
  resets: sig([M]),
  round: sig([V, S], 'vector', 1),
  scalar: sig([V], 'scalar'),
  sgn: sig([V]),
  sin: sig([V]),
  sinh: sig([V]),
  sort: sig([V]),
  sort_by_label: sig([V, STR], 'vector', -1),
  sort_by_label_desc: sig([V, STR], 'vector', -1),
  sort_desc: sig([V]),
  sqrt: sig([V]),
  stddev_over_time: sig([M]),
  stdvar_over_time: sig([M]),
  sum_over_time: sig([M]),
  tan: sig([V]),
  tanh: sig([V]),
  time: sig([], 'scalar'),
  timestamp: sig([V]),
  ts_of_first_over_time: sig([M]),
  ts_of_last_over_time: sig([M]),
  ts_of_max_over_time: sig([M]),
  ts_of_min_over_time: sig([M]),
  vector: sig([S]),
  year: sig([V], 'vector', 1),
};

export function documentedType(type: ValueType): string {
  switch (type) {
    case 'vector':
      return 'instant vector';
    case 'matrix':
      return 'range vector';
    default:
      return type;
  }
}

export function typeOf(expr: Expr): ValueType {
  switch (expr.kind) {
    case 'number':
      return 'scalar';
    case 'string':
      return 'string';
    case 'vector_selector':
    case 'aggregate':
      return 'vector';
    case 'matrix_selector':
    case 'subquery':
      return 'matrix';
    case 'call':
      return FUNCTIONS[expr.func]?.returns ?? 'vector';
    case 'binary':
      return typeOf(expr.lhs) === 'scalar' && typeOf(expr.rhs) === 'scalar' ? 'scalar' : 'vector';
    case 'unary':
    case 'paren':
      return typeOf(expr.expr);
  }
}

export type ParseResult = { ok: true; expr: Expr; type: ValueType } | { ok: false; error: QueryError };

/** Parses and type-checks `text`; never throws. */
export function parseExpr(text: string): ParseResult {
  try {
    if (text.length > MAX_QUERY_LENGTH) {
      throw badData(`query is too long: ${text.length} characters, at most ${MAX_QUERY_LENGTH} allowed`);
    }
    if (text.trim() === '') throw parseError('no expression found in input', 0);
    const tree = parser.parse(withoutTrailingDots(text));
    const top = tree.topNode;
    reportSyntaxError(text, top);
    const first = exprChildren(top)[0];
    if (!first) throw parseError('no expression found in input', 0);
    const expr = new Converter(text).convert(first, 0);
    return { ok: true, expr, type: typeOf(expr) };
  } catch (error) {
    if (error instanceof QueryError) return { ok: false, error };
    if (error instanceof RangeError) {
      return { ok: false, error: badData('query is nested too deeply') };
    }
    throw error;
  }
}

/**
 * PromQL accepts `2.` for 2; lezer's number token needs a digit after the dot. Blank such dots
 * (outside strings and comments) so that offsets, hence error positions, stay the same.
 */
function withoutTrailingDots(text: string): string {
  if (!text.includes('.')) return text;
  const chars = text.split('');
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    if (c === '"' || c === "'" || c === '`') {
      for (i++; i < chars.length && chars[i] !== c; i++) if (c !== '`' && chars[i] === '\\') i++;
      continue;
    }
    if (c === '#') {
      while (i < chars.length && chars[i] !== '\n') i++;
      continue;
    }
    if (!/[0-9]/.test(c) || (i > 0 && /[A-Za-z0-9_:.]/.test(chars[i - 1] as string))) continue;
    let j = i;
    while (j < chars.length && /[0-9]/.test(chars[j] as string)) j++;
    if (chars[j] === '.' && !/[0-9A-Za-z_]/.test(chars[j + 1] ?? '')) chars[j] = ' ';
    i = j - 1;
  }
  return chars.join('');
}

function exprChildren(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.type.is('Expr')) out.push(child);
  }
  return out;
}

function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) out.push(child);
  return out;
}

function firstError(node: SyntaxNode): SyntaxNode | null {
  const cursor = node.cursor();
  do {
    if (cursor.type.isError) return cursor.node;
  } while (cursor.next());
  return null;
}

function reportSyntaxError(text: string, top: SyntaxNode): void {
  const error = firstError(top);
  if (!error) {
    checkNesting(top);
    return;
  }
  let at = error.from;
  // An error node that wraps tokens points at its first token; skip whitespace and comments.
  while (at < text.length && /\s/.test(text.charAt(at))) at++;
  const before = error.prevSibling;
  if (text.charAt(at) === '(' && before?.name === 'Identifier') {
    const name = text.slice(before.from, before.to);
    throw parseError(`unknown function with name ${JSON.stringify(name)}`, before.from);
  }
  if (before?.name === 'Identifier' && error.parent?.name === 'VectorSelector' && text.charAt(at) === '(') {
    throw parseError(`unknown function with name ${JSON.stringify(text.slice(before.from, before.to))}`, before.from);
  }
  if (at >= text.length) throw parseError(unclosedMessage(text), text.length);
  throw parseError(`unexpected ${describeToken(text, at)}`, at);
}

/** What Prometheus's lexer says at the end of input: the innermost bracket left open, if any. */
function unclosedMessage(text: string): string {
  const open: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (c === '"' || c === "'" || c === '`') {
      for (i++; i < text.length && text.charAt(i) !== c; i++) if (c !== '`' && text.charAt(i) === '\\') i++;
      if (i >= text.length) return 'unterminated quoted string';
    } else if (c === '#') {
      while (i < text.length && text.charAt(i) !== '\n') i++;
    } else if (c === '(' || c === '[' || c === '{') open.push(c);
    else if (c === ')' || c === ']' || c === '}') open.pop();
  }
  switch (open[open.length - 1]) {
    case '(':
      return 'unclosed left parenthesis';
    case '[':
      return 'unclosed left bracket';
    case '{':
      return 'unexpected end of input inside braces';
    default:
      return 'unexpected end of input';
  }
}

function checkNesting(top: SyntaxNode): void {
  // Iterative walk, so that a pathological query cannot overflow the stack here.
  const stack: [SyntaxNode, number][] = [[top, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [SyntaxNode, number];
    if (depth > MAX_NESTING_DEPTH) {
      throw badData(`query is nested too deeply: at most ${MAX_NESTING_DEPTH} levels allowed`, node.from);
    }
    for (let child = node.firstChild; child; child = child.nextSibling) {
      // Operands of a binary operator are at its level: `a + b + c + …` is long, not deep.
      stack.push([child, child.type.is('Expr') && node.name !== 'BinaryExpr' ? depth + 1 : depth]);
    }
  }
}

const PUNCTUATION: Record<string, string> = {
  ')': "right parenthesis ')'",
  '(': "left parenthesis '('",
  ']': "right bracket ']'",
  '[': "left bracket '['",
  '}': "right brace '}'",
  '{': "left brace '{'",
  ',': "comma ','",
  ':': "colon ':'",
  '@': "'@'",
  '=': "'='",
};

function describeToken(text: string, at: number): string {
  const c = text.charAt(at);
  const punctuation = PUNCTUATION[c];
  if (punctuation) return punctuation;
  const rest = text.slice(at);
  const word = /^[A-Za-z_:][A-Za-z0-9_:]*/.exec(rest);
  if (word) return `identifier ${JSON.stringify(word[0])}`;
  const number = /^[0-9.][0-9A-Za-z_.]*/.exec(rest);
  if (number) return `number ${JSON.stringify(number[0])}`;
  if (c === '"' || c === "'" || c === '`') return 'string';
  const operator = /^(==|!=|>=|<=|=~|!~|[-+*/%^<>!~])/.exec(rest);
  if (operator) return `operator ${JSON.stringify(operator[0])}`;
  return `character ${JSON.stringify(c)}`;
}

// --- literals ---------------------------------------------------------------------------------

const DURATION_UNITS: Record<string, number> = {
  y: 365 * 24 * 3600_000,
  w: 7 * 24 * 3600_000,
  d: 24 * 3600_000,
  h: 3600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
};

/** A duration literal (`1h30m`) in ms, or null when `text` is not one. */
export function parseDurationMs(text: string): number | null {
  if (!/^([0-9]+(ms|[ywdhms]))+$/.test(text)) return null;
  let total = 0;
  for (const match of text.matchAll(/([0-9]+)(ms|[ywdhms])/g)) {
    total += Number(match[1]) * (DURATION_UNITS[match[2] as string] as number);
  }
  return total;
}

/** A number literal as Prometheus reads it (decimal, hex, Inf, NaN, a duration in seconds). */
export function parseNumber(raw: string): number | null {
  let text = raw.trim();
  let sign = 1;
  if (text.startsWith('-') || text.startsWith('+')) {
    if (text.startsWith('-')) sign = -1;
    text = text.slice(1).trim();
  }
  const lower = text.toLowerCase();
  if (lower === 'inf') return sign * Number.POSITIVE_INFINITY;
  if (lower === 'nan') return Number.NaN;
  if (/^0x[0-9a-f]+$/i.test(text)) return sign * Number.parseInt(text.slice(2), 16);
  const duration = parseDurationMs(text);
  if (duration !== null) return (sign * duration) / 1000;
  const plain = text.replaceAll('_', '');
  if (/^([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$/.test(plain)) return sign * Number(plain);
  return null;
}

/** A string literal's value (Go's escapes for '…' and "…", raw for `…`), or throws. */
export function unquoteString(raw: string, offset: number): string {
  const quote = raw.charAt(0);
  if (raw.length < 2 || raw.charAt(raw.length - 1) !== quote) throw parseError('unterminated quoted string', offset);
  const body = raw.slice(1, -1);
  if (quote === '`') return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body.charAt(i);
    if (c === quote) throw parseError('unterminated quoted string', offset + i + 1);
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body.charAt(++i);
    const simple = GO_SIMPLE_ESCAPES[e];
    if (simple !== undefined && (e !== "'" || quote === "'") && (e !== '"' || quote === '"')) {
      out += simple;
      continue;
    }
    const hexLength = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (hexLength > 0) {
      const hex = body.slice(i + 1, i + 1 + hexLength);
      if (!new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(hex)) {
        throw parseError(`invalid syntax in string literal: bad \\${e} escape`, offset + i);
      }
      const code = Number.parseInt(hex, 16);
      if (e === 'x') out += String.fromCharCode(code);
      else if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
        throw parseError('invalid syntax in string literal: invalid Unicode code point', offset + i);
      } else out += String.fromCodePoint(code);
      i += hexLength;
      continue;
    }
    if (/[0-7]/.test(e)) {
      const octal = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(octal) || Number.parseInt(octal, 8) > 255) {
        throw parseError('invalid syntax in string literal: bad octal escape', offset + i);
      }
      out += String.fromCharCode(Number.parseInt(octal, 8));
      i += 2;
      continue;
    }
    throw parseError(`unknown escape sequence ${JSON.stringify(`\\${e}`)}`, offset + i);
  }
  return out;
}

// --- conversion -------------------------------------------------------------------------------

const AGGREGATE_OPS = new Set<string>([
  'sum',
  'avg',
  'min',
  'max',
  'count',
  'group',
  'stddev',
  'stdvar',
  'topk',
  'bottomk',
  'quantile',
  'count_values',
  'limitk',
  'limit_ratio',
]);

const BINARY_NODE_OPS: Record<string, BinaryOp> = {
  Pow: '^',
  Mul: '*',
  Div: '/',
  Mod: '%',
  Atan2: 'atan2',
  Add: '+',
  Sub: '-',
  Eql: '==',
  Neq: '!=',
  Gtr: '>',
  Lss: '<',
  Gte: '>=',
  Lte: '<=',
  And: 'and',
  Or: 'or',
  Unless: 'unless',
};

const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface BinaryParts {
  op: BinaryOp;
  lhs: Expr;
  rhs: Expr;
  bool: boolean;
  matching: VectorMatching;
  explicitMatching: boolean;
  opFrom: number;
  from: number;
  to: number;
}

class Converter {
  readonly #text: string;
  readonly #offsetSet = new WeakSet<object>();
  readonly #atSet = new WeakSet<object>();
  readonly #binaryParts = new WeakMap<Binary, BinaryParts>();

  constructor(text: string) {
    this.#text = text;
  }

  #src(node: SyntaxNode): string {
    return this.#text.slice(node.from, node.to);
  }

  convert(node: SyntaxNode, depth: number): Expr {
    if (depth > MAX_NESTING_DEPTH) {
      throw badData(`query is nested too deeply: at most ${MAX_NESTING_DEPTH} levels allowed`, node.from);
    }
    const { from, to } = node;
    switch (node.name) {
      case 'NumberDurationLiteral': {
        const value = parseNumber(this.#src(node));
        if (value === null) throw parseError(`bad number or duration syntax: ${JSON.stringify(this.#src(node))}`, from);
        return { kind: 'number', value, from, to };
      }
      case 'StringLiteral':
        return { kind: 'string', value: unquoteString(this.#src(node), from), from, to };
      case 'VectorSelector':
        return this.#vectorSelector(node);
      case 'MatrixSelector':
        return this.#matrixSelector(node, depth);
      case 'SubqueryExpr':
        return this.#subquery(node, depth);
      case 'OffsetExpr':
        return this.#offset(node, depth);
      case 'StepInvariantExpr':
        return this.#at(node, depth);
      case 'ParenExpr':
        return { kind: 'paren', expr: this.#only(node, depth), from, to };
      case 'UnaryExpr': {
        const op = this.#src(node.getChild('UnaryOp') as SyntaxNode).trim() === '-' ? '-' : '+';
        return this.#makeUnary(op, this.#only(node, depth), from, to);
      }
      case 'FunctionCall':
        return this.#call(node, depth);
      case 'AggregateExpr':
        return this.#aggregate(node, depth);
      case 'BinaryExpr':
        return this.#binary(node, depth);
      case 'AnchoredExpr':
      case 'SmoothedExpr':
        throw new QueryError(
          'unsupported',
          `the experimental ${node.name === 'AnchoredExpr' ? 'anchored' : 'smoothed'} modifier is not supported in this lab`,
          from,
        );
      default:
        throw parseError(`unexpected ${describeToken(this.#text, from)}`, from);
    }
  }

  #only(node: SyntaxNode, depth: number): Expr {
    const inner = exprChildren(node)[0];
    if (!inner) throw parseError('unexpected end of input', node.to);
    return this.convert(inner, depth + 1);
  }

  #vectorSelector(node: SyntaxNode): VectorSelector {
    const identifier = node.getChild('Identifier');
    const name = identifier ? this.#src(identifier) : null;
    const matchers: LabelMatcher[] = [];
    if (name !== null) matchers.push({ name: '__name__', op: '=', value: name, regex: null });
    const list = node.getChild('LabelMatchers');
    if (list) {
      for (const child of children(list)) {
        if (child.name === 'QuotedLabelName') {
          const metric = unquoteString(this.#src(child), child.from);
          matchers.push(this.#checkNameMatcher(name, { name: '__name__', op: '=', value: metric, regex: null }, child.from));
          continue;
        }
        if (child.name !== 'UnquotedLabelMatcher' && child.name !== 'QuotedLabelMatcher') continue;
        const nameNode = child.firstChild as SyntaxNode;
        const labelName = nameNode.name === 'QuotedLabelName' ? unquoteString(this.#src(nameNode), nameNode.from) : this.#src(nameNode);
        const op = this.#src(child.getChild('MatchOp') as SyntaxNode) as MatchOp;
        const valueNode = child.getChild('StringLiteral') as SyntaxNode;
        const value = unquoteString(this.#src(valueNode), valueNode.from);
        const regex = op === '=~' || op === '!~' ? compileAnchoredRegex(value, valueNode.from) : null;
        const matcher: LabelMatcher = { name: labelName, op, value, regex };
        matchers.push(labelName === '__name__' ? this.#checkNameMatcher(name, matcher, child.from) : matcher);
      }
    }
    if (!matchers.some((m) => !matchesEmpty(m))) {
      throw badData('vector selector must contain at least one non-empty matcher', node.from);
    }
    return { kind: 'vector_selector', name, matchers, offsetMs: 0, at: null, from: node.from, to: node.to };
  }

  #checkNameMatcher(name: string | null, matcher: LabelMatcher, offset: number): LabelMatcher {
    if (name !== null) {
      throw badData(`metric name must not be set twice: ${JSON.stringify(name)} or ${JSON.stringify(matcher.value)}`, offset);
    }
    return matcher;
  }

  #duration(node: SyntaxNode): number {
    switch (node.name) {
      case 'NumberDurationLiteralInDurationContext': {
        const text = this.#src(node);
        const duration = parseDurationMs(text);
        if (duration !== null) return duration;
        const seconds = parseNumber(text);
        if (seconds === null || !Number.isFinite(seconds)) {
          throw parseError(`bad duration syntax: ${JSON.stringify(text)}`, node.from);
        }
        return Math.round(seconds * 1000);
      }
      case 'DurationExpr':
      case 'OffsetDurationExpr': {
        const parts = children(node);
        if (parts.length === 1) return this.#duration(parts[0] as SyntaxNode);
        const [a, b, c] = parts as [SyntaxNode, SyntaxNode, SyntaxNode | undefined];
        if (a.name === 'UnaryOp' && b) return (this.#src(a) === '-' ? -1 : 1) * this.#duration(b);
        if (a.name === '(' || this.#src(a) === '(') return this.#duration(b);
        if (c && ['Add', 'Sub', 'Mul', 'Div', 'Mod', 'Pow'].includes(b.name)) {
          throw new QueryError(
            'unsupported',
            'duration arithmetic is an experimental Prometheus feature not supported in this lab',
            node.from,
          );
        }
        throw new QueryError('unsupported', `${this.#src(node)} in a duration is not supported in this lab`, node.from);
      }
      default:
        throw new QueryError('unsupported', `${this.#src(node)} in a duration is not supported in this lab`, node.from);
    }
  }

  #matrixSelector(node: SyntaxNode, depth: number): Expr {
    const rangeMs = this.#duration(node.getChild('DurationExpr') as SyntaxNode);
    return this.#postfix(this.#only(node, depth), (inner) => this.#applyRange(inner, rangeMs, node));
  }

  #applyRange(inner: Expr, rangeMs: number, node: SyntaxNode): Expr {
    if (inner.kind !== 'vector_selector') throw badData('ranges only allowed for vector selectors', node.from);
    if (this.#offsetSet.has(inner)) throw badData('no offset modifiers allowed before range', node.from);
    if (this.#atSet.has(inner)) throw badData('no @ modifiers allowed before range', node.from);
    if (rangeMs <= 0) throw badData('duration must be greater than 0', node.from);
    return { kind: 'matrix_selector', selector: inner, rangeMs, from: inner.from, to: node.to };
  }

  #subquery(node: SyntaxNode, depth: number): Expr {
    return this.#postfix(this.#only(node, depth), (expr) => this.#applySubquery(expr, node));
  }

  #applySubquery(expr: Expr, node: SyntaxNode): Expr {
    const type = typeOf(expr);
    if (type !== 'vector') {
      throw badData(`subquery is only allowed on instant vector, got ${documentedType(type)} instead`, node.from);
    }
    const durations = node.getChildren('DurationExpr');
    const rangeMs = this.#duration(durations[0] as SyntaxNode);
    if (rangeMs <= 0) throw badData('duration must be greater than 0', node.from);
    const stepMs = durations[1] ? this.#duration(durations[1]) : null;
    if (stepMs !== null && stepMs <= 0) throw badData('step must be greater than 0', durations[1]?.from);
    return { kind: 'subquery', expr, rangeMs, stepMs, offsetMs: 0, at: null, from: expr.from, to: node.to };
  }

  #offset(node: SyntaxNode, depth: number): Expr {
    const offsetMs = this.#duration(node.getChild('OffsetDurationExpr') as SyntaxNode);
    return this.#postfix(this.#only(node, depth), (expr) => this.#applyOffset(expr, offsetMs, node));
  }

  #applyOffset(expr: Expr, offsetMs: number, node: SyntaxNode): Expr {
    const target = expr.kind === 'matrix_selector' ? expr.selector : expr;
    if (target.kind !== 'vector_selector' && target.kind !== 'subquery') {
      throw badData('offset modifier must be preceded by an instant vector selector or range vector selector or a subquery', node.from);
    }
    if (this.#offsetSet.has(target)) throw badData('offset may not be set multiple times', node.from);
    this.#offsetSet.add(target);
    target.offsetMs = offsetMs;
    expr.to = node.to;
    return expr;
  }

  #at(node: SyntaxNode, depth: number): Expr {
    return this.#postfix(this.#only(node, depth), (expr) => this.#applyAt(expr, node));
  }

  #applyAt(expr: Expr, node: SyntaxNode): Expr {
    const target = expr.kind === 'matrix_selector' ? expr.selector : expr;
    if (target.kind !== 'vector_selector' && target.kind !== 'subquery') {
      throw badData('@ modifier must be preceded by an instant vector selector or range vector selector or a subquery', node.from);
    }
    if (this.#atSet.has(target)) throw badData('@ <timestamp> may not be set multiple times', node.from);
    this.#atSet.add(target);
    let at: AtModifier;
    const preprocessor = node.getChild('AtModifierPreprocessors');
    if (preprocessor) at = this.#src(preprocessor).toLowerCase() === 'start' ? 'start' : 'end';
    else {
      const literal = node.getChild('NumberDurationLiteral') as SyntaxNode;
      const seconds = parseNumber(this.#src(literal));
      if (seconds === null || !Number.isFinite(seconds) || Math.abs(seconds) > 9.2e15) {
        throw badData('timestamp out of bounds for @ modifier', literal.from);
      }
      at = Math.round(seconds * 1000);
    }
    target.at = at;
    expr.to = node.to;
    return expr;
  }

  #call(node: SyntaxNode, depth: number): Expr {
    const identifier = node.getChild('FunctionIdentifier') as SyntaxNode;
    const func = this.#src(identifier);
    const signature = FUNCTIONS[func];
    if (!signature) throw parseError(`unknown function with name ${JSON.stringify(func)}`, node.from);
    const body = node.getChild('FunctionCallBody') as SyntaxNode;
    const args = exprChildren(body).map((child) => this.convert(child, depth + 1));
    if (signature.unsupported) throw new QueryError('unsupported', `${func}(): ${signature.unsupported}`, node.from);
    // Variadic (-1): the last argument type repeats, zero or more times, as in Prometheus.
    const required = signature.args.length - (signature.optional === -1 ? 1 : signature.optional);
    const max = signature.optional === -1 ? Number.POSITIVE_INFINITY : signature.args.length;
    if (signature.optional === 0 && args.length !== signature.args.length) {
      throw badData(`expected ${signature.args.length} argument(s) in call to ${JSON.stringify(func)}, got ${args.length}`, node.from);
    }
    if (args.length < required) {
      throw badData(`expected at least ${required} argument(s) in call to ${JSON.stringify(func)}, got ${args.length}`, node.from);
    }
    if (args.length > max) {
      throw badData(`expected at most ${max} argument(s) in call to ${JSON.stringify(func)}, got ${args.length}`, node.from);
    }
    args.forEach((arg, i) => {
      const expected = signature.args[Math.min(i, signature.args.length - 1)] as ArgType;
      const actual = typeOf(arg);
      if (actual !== expected) {
        throw badData(
          `expected type ${documentedType(expected)} in call to function ${JSON.stringify(func)}, got ${documentedType(actual)}`,
          arg.from,
        );
      }
    });
    return { kind: 'call', func, args, from: node.from, to: node.to };
  }

  #grouping(node: SyntaxNode): string[] {
    const labels: string[] = [];
    for (const child of children(node)) {
      if (child.name === 'LabelName') labels.push(this.#src(child));
      else if (child.name === 'QuotedLabelName' || child.name === 'StringLiteral') {
        labels.push(unquoteString(this.#src(child), child.from));
      }
    }
    return labels;
  }

  #aggregate(node: SyntaxNode, depth: number): Expr {
    const opNode = node.getChild('AggregateOp') as SyntaxNode;
    const op = this.#src(opNode).toLowerCase();
    if (!AGGREGATE_OPS.has(op)) throw parseError(`unknown aggregation ${JSON.stringify(op)}`, opNode.from);
    const modifier = node.getChild('AggregateModifier');
    const without = modifier?.getChild('Without') !== null && modifier !== null;
    const grouping = modifier ? this.#grouping(modifier.getChild('GroupingLabels') as SyntaxNode) : [];
    const body = node.getChild('FunctionCallBody') as SyntaxNode;
    const args = exprChildren(body).map((child) => this.convert(child, depth + 1));
    const hasParam =
      op === 'topk' || op === 'bottomk' || op === 'quantile' || op === 'count_values' || op === 'limitk' || op === 'limit_ratio';
    const expected = hasParam ? 2 : 1;
    if (args.length !== expected) {
      throw badData(`wrong number of arguments for aggregate expression provided, expected ${expected}, got ${args.length}`, node.from);
    }
    const expr = args[expected - 1] as Expr;
    const param = hasParam ? (args[0] as Expr) : null;
    const exprType = typeOf(expr);
    if (exprType !== 'vector') {
      throw badData(`expected type instant vector in aggregation expression, got ${documentedType(exprType)}`, expr.from);
    }
    if (param) {
      const paramType = typeOf(param);
      const wanted: ValueType = op === 'count_values' ? 'string' : 'scalar';
      if (paramType !== wanted) {
        throw badData(`expected type ${documentedType(wanted)} in aggregation parameter, got ${documentedType(paramType)}`, param.from);
      }
      if (op === 'count_values' && param.kind === 'string' && !LABEL_NAME.test(param.value)) {
        throw badData(`invalid label name ${JSON.stringify(param.value)}`, param.from);
      }
    }
    return { kind: 'aggregate', op: op as AggregateOp, param, expr, grouping, without, from: node.from, to: node.to };
  }

  #binary(node: SyntaxNode, depth: number): Expr {
    const operands = exprChildren(node);
    const [lhsNode, rhsNode] = operands as [SyntaxNode, SyntaxNode];
    let op: BinaryOp | null = null;
    let opFrom = node.from;
    let bool = false;
    let matchingClause: SyntaxNode | null = null;
    for (const child of children(node)) {
      const mapped = BINARY_NODE_OPS[child.name];
      if (mapped && op === null && child.from >= lhsNode.to) {
        op = mapped;
        opFrom = child.from;
      } else if (child.name === 'BoolModifier') bool = true;
      else if (child.name === 'MatchingModifierClause') matchingClause = child;
      else if (child.name === 'FillModifier') {
        throw new QueryError('unsupported', 'fill modifiers are an experimental Prometheus feature not supported in this lab', child.from);
      } else if (child.name === 'TrimUpper' || child.name === 'TrimLower') {
        throw new QueryError(
          'unsupported',
          `the ${this.#src(child)} operator is for native histograms, not supported in this lab`,
          child.from,
        );
      }
    }
    if (op === null || !rhsNode) throw parseError('unexpected end of input', node.to);
    let matching: VectorMatching = { card: 'one-to-one', on: false, labels: [], include: [] };
    let explicitMatching = false;
    if (matchingClause) {
      explicitMatching = true;
      const groups = matchingClause.getChildren('GroupingLabels');
      matching = {
        card: matchingClause.getChild('GroupLeft') ? 'many-to-one' : matchingClause.getChild('GroupRight') ? 'one-to-many' : 'one-to-one',
        on: matchingClause.getChild('On') !== null,
        labels: this.#grouping(groups[0] as SyntaxNode),
        include: groups[1] ? this.#grouping(groups[1]) : [],
      };
    }
    const rhs = this.convert(rhsNode, depth);
    const lhsText = this.#src(lhsNode);
    if (op === '^' && lhsNode.name === 'NumberDurationLiteral' && /^[-+]/.test(lhsText)) {
      // lezer reads `-2 ^ 2` as the literal -2 raised to 2; in PromQL ^ binds tighter than the sign.
      const magnitude = parseNumber(lhsText.slice(1));
      if (magnitude === null) throw parseError(`bad number syntax: ${JSON.stringify(lhsText)}`, lhsNode.from);
      const power = this.#makeBinary({
        op,
        lhs: { kind: 'number', value: magnitude, from: lhsNode.from + 1, to: lhsNode.to },
        rhs,
        bool,
        matching,
        explicitMatching,
        opFrom,
        from: lhsNode.from + 1,
        to: node.to,
      });
      return this.#makeUnary(lhsText.startsWith('-') ? '-' : '+', power, node.from, node.to);
    }
    const lhs = this.convert(lhsNode, depth);
    return this.#makeBinary({ op, lhs, rhs, bool, matching, explicitMatching, opFrom, from: node.from, to: node.to });
  }

  #makeBinary(parts: BinaryParts): Expr {
    const { op, lhs, rhs, bool, explicitMatching, opFrom } = parts;
    const matching: VectorMatching = { ...parts.matching };
    const lt = typeOf(lhs);
    const rt = typeOf(rhs);
    if (bool && !isComparison(op)) throw badData('bool modifier can only be used on comparison operators', opFrom);
    if (isComparison(op) && !bool && lt === 'scalar' && rt === 'scalar') {
      throw badData('comparisons between scalars must use BOOL modifier', opFrom);
    }
    if (isSetOp(op) && matching.card === 'one-to-one') matching.card = 'many-to-many';
    if (matching.on) {
      for (const label of matching.include) {
        if (matching.labels.includes(label)) {
          throw badData(`label ${JSON.stringify(label)} must not occur in ON and GROUP clause at once`, opFrom);
        }
      }
    }
    for (const type of [lt, rt]) {
      if (type !== 'scalar' && type !== 'vector') {
        throw badData('binary expression must contain only scalar and instant vector types', type === lt ? lhs.from : rhs.from);
      }
    }
    let vectorMatching: VectorMatching | null = matching;
    if (lt !== 'vector' || rt !== 'vector') {
      if (
        explicitMatching &&
        (matching.labels.length > 0 || matching.card === 'many-to-one' || matching.card === 'one-to-many' || matching.on)
      ) {
        throw badData('vector matching only allowed between instant vectors', opFrom);
      }
      vectorMatching = null;
    } else if (isSetOp(op)) {
      if (matching.card === 'many-to-one' || matching.card === 'one-to-many') {
        throw badData(`no grouping allowed for ${JSON.stringify(op)} operation`, opFrom);
      }
    }
    if ((lt === 'scalar' || rt === 'scalar') && isSetOp(op)) {
      throw badData(`set operator ${JSON.stringify(op)} not allowed in binary scalar expression`, opFrom);
    }
    const binary: Binary = { kind: 'binary', op, lhs, rhs, bool, matching: vectorMatching, from: parts.from, to: parts.to };
    this.#binaryParts.set(binary, parts);
    return binary;
  }

  /**
   * lezer-promql's grammar lets `[range]`, `[range:step]`, `offset` and `@` apply to a whole binary
   * or unary expression (`a + b offset 5m`); in Prometheus they bind to the operand next to them.
   */
  #postfix(inner: Expr, apply: (e: Expr) => Expr): Expr {
    if (inner.kind === 'binary') {
      const parts = this.#binaryParts.get(inner) as BinaryParts;
      const rhs = this.#postfix(inner.rhs, apply);
      return this.#makeBinary({ ...parts, rhs, to: rhs.to });
    }
    if (inner.kind === 'unary') {
      const expr = this.#postfix(inner.expr, apply);
      return this.#makeUnary(inner.op, expr, inner.from, expr.to);
    }
    return apply(inner);
  }

  #makeUnary(op: '-' | '+', expr: Expr, from: number, to: number): Expr {
    const type = typeOf(expr);
    if (type !== 'scalar' && type !== 'vector') {
      throw badData(
        `unary expression only allowed on expressions of type scalar or instant vector, got ${JSON.stringify(documentedType(type))}`,
        from,
      );
    }
    if (expr.kind === 'number') return { kind: 'number', value: op === '-' ? -expr.value : expr.value, from, to };
    return { kind: 'unary', op, expr, from, to };
  }
}

export function matchesEmpty(matcher: LabelMatcher): boolean {
  switch (matcher.op) {
    case '=':
      return matcher.value === '';
    case '!=':
      return matcher.value !== '';
    case '=~':
      return (matcher.regex as NonNullable<LabelMatcher['regex']>).test('');
    case '!~':
      return !(matcher.regex as NonNullable<LabelMatcher['regex']>).test('');
  }
}
