// Alert label and annotation templates: a subset of Go's text/template with Prometheus's functions,
// evaluated the way Prometheus does (rules/alerting.go + template/template.go):
// - the text is prefixed with `{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}
//   {{$externalURL := .ExternalURL}}{{$value := .Value}}`, so `$value`, `.Value`, `$labels.x` and
//   `.Labels.x` all work, and error columns count that prefix as Prometheus's do;
// - a missing label prints "" (Go's `missingkey=zero`);
// - a failing expansion yields `<error expanding template: …>` as the value, not an exception.
// Supported: text, `{{- -}}` trimming, comments, pipelines `a | f`, parentheses, variables (`:=`, `=`),
// `if/else if/else/end`, `with`, `range` over a map (`$labels`), literals, and the functions listed in
// FUNCTIONS. Anything else (`query`, `define`, `template`, `block`, …) is a parse error that says so.
import { RE2JS } from 're2js';
import { parsePromDuration } from './duration.ts';
import { formatG, formatValue, type GoValue, goTypeName, sprintf } from './go-format.ts';

/** What an alert template sees. */
export interface TemplateData {
  labels: Readonly<Record<string, string>>;
  externalLabels: Readonly<Record<string, string>>;
  externalURL: string;
  value: number;
}

/** Thrown for a template that does not parse; `message` is Go-like (`template: NAME:1: …`). */
export class TemplateParseError extends Error {
  override name = 'TemplateParseError';
}

class ExecError extends Error {}

const PREFIX = '{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}{{$externalURL := .ExternalURL}}{{$value := .Value}}';
const MAX_OUTPUT = 100_000;
const MAX_DEPTH = 50;

type Operand =
  | { type: 'field'; chain: string[] }
  | { type: 'var'; name: string; chain: string[] }
  | { type: 'dot' }
  | { type: 'literal'; value: GoValue }
  | { type: 'func'; name: string }
  | { type: 'pipe'; pipe: Pipe; chain: string[] };

interface Command {
  args: Operand[];
  pos: number;
  source: string;
}

interface Pipe {
  decl: string[];
  assign: boolean;
  cmds: Command[];
}

type Node =
  | { type: 'text'; text: string }
  | { type: 'action'; pipe: Pipe }
  | { type: 'if' | 'with'; pipe: Pipe; list: Node[]; elseList: Node[] | undefined }
  | { type: 'range'; pipe: Pipe; list: Node[]; elseList: Node[] | undefined };

type Fn = (args: GoValue[]) => GoValue;

const str = (value: string): GoValue => ({ kind: 'string', value });
const flt = (value: number): GoValue => ({ kind: 'float', value });
const bool = (value: boolean): GoValue => ({ kind: 'bool', value });

/** Go's strconv.ParseFloat for the strings humanize* accept. */
function toFloat(value: GoValue): number {
  switch (value.kind) {
    case 'float':
    case 'int':
      return value.value;
    case 'string': {
      const text = value.value.trim();
      const lower = text.toLowerCase().replace(/^[+-]/, '');
      if (lower === 'inf' || lower === 'infinity') return text.startsWith('-') ? -Infinity : Infinity;
      if (lower === 'nan') return Number.NaN;
      if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(text))
        throw new ExecError(`strconv.ParseFloat: parsing ${JSON.stringify(value.value)}: invalid syntax`);
      return Number(text);
    }
    default:
      throw new ExecError(`can't convert ${goTypeName(value)} to float`);
  }
}

const g4 = (v: number) => formatG(v, 4);

function humanize(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return g4(v);
  let x = v;
  if (Math.abs(x) >= 1) {
    let prefix = '';
    for (const p of ['k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y']) {
      if (Math.abs(x) < 1000) break;
      prefix = p;
      x /= 1000;
    }
    return g4(x) + prefix;
  }
  let prefix = '';
  for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
    if (Math.abs(x) >= 1) break;
    prefix = p;
    x *= 1000;
  }
  return g4(x) + prefix;
}

function humanize1024(v: number): string {
  if (Math.abs(v) <= 1 || !Number.isFinite(v)) return g4(v);
  let x = v;
  let prefix = '';
  for (const p of ['ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'Zi', 'Yi']) {
    if (Math.abs(x) < 1024) break;
    prefix = p;
    x /= 1024;
  }
  return g4(x) + prefix;
}

function humanizeDuration(v: number): string {
  if (!Number.isFinite(v)) return g4(v);
  if (v === 0) return `${g4(v)}s`;
  if (Math.abs(v) >= 1) {
    const sign = v < 0 ? '-' : '';
    const abs = Math.abs(v);
    const whole = Math.trunc(abs);
    const seconds = whole % 60;
    const minutes = Math.floor(whole / 60) % 60;
    const hours = Math.floor(whole / 3600) % 24;
    const days = Math.floor(whole / 86400);
    if (days !== 0) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
    if (hours !== 0) return `${sign}${hours}h ${minutes}m ${seconds}s`;
    if (minutes !== 0) return `${sign}${minutes}m ${seconds}s`;
    return `${sign}${g4(abs)}s`;
  }
  let x = v;
  let prefix = '';
  for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
    if (Math.abs(x) >= 1) break;
    prefix = p;
    x *= 1000;
  }
  return `${g4(x)}${prefix}s`;
}

/** Go's time.Time.String() in UTC: `2006-01-02 15:04:05.999999999 +0000 UTC`. */
function humanizeTimestamp(v: number): string {
  if (!Number.isFinite(v)) return g4(v);
  const ms = Math.round(v * 1000);
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return g4(v);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const fraction = ((ms % 1000) + 1000) % 1000;
  const frac = fraction === 0 ? '' : `.${String(fraction).padStart(3, '0').replace(/0+$/, '')}`;
  return `${date.getUTCFullYear()}-${p2(date.getUTCMonth() + 1)}-${p2(date.getUTCDate())} ${p2(date.getUTCHours())}:${p2(
    date.getUTCMinutes(),
  )}:${p2(date.getUTCSeconds())}${frac} +0000 UTC`;
}

function arity(name: string, args: GoValue[], n: number): void {
  if (args.length !== n) throw new ExecError(`wrong number of args for ${name}: want ${n} got ${args.length}`);
}

function asString(value: GoValue | undefined): string {
  if (value?.kind !== 'string') throw new ExecError(`wrong type for value; expected string; got ${value ? goTypeName(value) : 'nothing'}`);
  return value.value;
}

function truth(value: GoValue): boolean {
  switch (value.kind) {
    case 'bool':
      return value.value;
    case 'int':
    case 'float':
      return value.value !== 0;
    case 'string':
      return value.value !== '';
    case 'map':
      return Object.keys(value.value).length > 0;
    case 'struct':
      return true;
    case 'nil':
      return false;
  }
}

function basicKind(value: GoValue): 'bool' | 'int' | 'float' | 'string' | undefined {
  return value.kind === 'bool' || value.kind === 'int' || value.kind === 'float' || value.kind === 'string' ? value.kind : undefined;
}

function compare(a: GoValue, b: GoValue, ordered: boolean): number {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka === undefined || kb === undefined || (ordered && (ka === 'bool' || kb === 'bool')))
    throw new ExecError('invalid type for comparison');
  if (ka !== kb) throw new ExecError('incompatible types for comparison');
  const x = (a as { value: number | string | boolean }).value;
  const y = (b as { value: number | string | boolean }).value;
  if (x === y) return 0;
  if (typeof x === 'number' && typeof y === 'number' && (Number.isNaN(x) || Number.isNaN(y))) return Number.NaN;
  return x < y ? -1 : 1;
}

function regex(pattern: string): RE2JS {
  try {
    return RE2JS.compile(pattern);
  } catch (error) {
    throw new ExecError(`error parsing regexp: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** fmt.Sprint: spaces between operands when neither side is a string. */
function sprint(args: GoValue[]): string {
  let out = '';
  args.forEach((arg, i) => {
    const prev = args[i - 1];
    if (i > 0 && arg.kind !== 'string' && prev?.kind !== 'string') out += ' ';
    out += formatValue(arg);
  });
  return out;
}

/** Go's strings.Title: a letter after a separator (ASCII other than letters, digits and _, or a space) is upper-cased. */
function title(text: string): string {
  let out = '';
  let prev = ' ';
  for (const ch of text) {
    const ascii = prev.charCodeAt(0) < 0x80;
    const separator = ascii ? !/[A-Za-z0-9_]/.test(prev) : /\s/u.test(prev);
    out += separator ? ch.toUpperCase() : ch;
    prev = ch;
  }
  return out;
}

function unary(name: string, fn: (a: GoValue) => GoValue): Fn {
  return (args) => {
    arity(name, args, 1);
    return fn(args[0] as GoValue);
  };
}

function binary(name: string, fn: (a: GoValue, b: GoValue) => GoValue): Fn {
  return (args) => {
    arity(name, args, 2);
    return fn(args[0] as GoValue, args[1] as GoValue);
  };
}

const FUNCTIONS: Readonly<Record<string, Fn>> = {
  humanize: unary('humanize', (a) => str(humanize(toFloat(a)))),
  humanize1024: unary('humanize1024', (a) => str(humanize1024(toFloat(a)))),
  humanizeDuration: unary('humanizeDuration', (a) => str(humanizeDuration(toFloat(a)))),
  humanizePercentage: unary('humanizePercentage', (a) => str(`${g4(toFloat(a) * 100)}%`)),
  humanizeTimestamp: unary('humanizeTimestamp', (a) => str(humanizeTimestamp(toFloat(a)))),
  toUpper: unary('toUpper', (a) => str(asString(a).toUpperCase())),
  toLower: unary('toLower', (a) => str(asString(a).toLowerCase())),
  title: unary('title', (a) => str(title(asString(a)))),
  safeHtml: unary('safeHtml', (a) => str(asString(a))),
  stripPort: (args) => {
    arity('stripPort', args, 1);
    const host = asString(args[0]);
    const m = /^\[([^\]]*)\]:\d*$/.exec(host) ?? /^([^:]*):\d*$/.exec(host);
    return str(m ? (m[1] ?? host) : host);
  },
  stripDomain: unary('stripDomain', (a) => {
    const host = asString(a);
    const m = /^(\[[^\]]*\]|[^:]*)(:\d*)?$/.exec(host);
    if (!m || (m[1] ?? '').startsWith('[')) return str(host);
    return str(`${(m[1] ?? '').split('.')[0]}${m[2] ?? ''}`);
  }),
  // A Go time.Time prints as humanizeTimestamp does; only printing it is supported.
  toTime: unary('toTime', (a) => str(humanizeTimestamp(toFloat(a)))),
  parseDuration: unary('parseDuration', (a) => {
    const parsed = parsePromDuration(asString(a));
    if (!parsed.ok) throw new ExecError(parsed.error);
    return flt(parsed.ms / 1000);
  }),
  match: (args) => {
    arity('match', args, 2);
    return { kind: 'bool', value: regex(asString(args[0])).matcher(asString(args[1])).find() };
  },
  reReplaceAll: (args) => {
    arity('reReplaceAll', args, 3);
    const re = regex(asString(args[0]));
    return str(re.matcher(asString(args[2])).replaceAll(asString(args[1])));
  },
  printf: (args) => {
    if (args.length === 0) throw new ExecError('wrong number of args for printf: want at least 1 got 0');
    return str(sprintf(asString(args[0]), args.slice(1)));
  },
  print: (args) => str(sprint(args)),
  println: (args) => str(`${args.map(formatValue).join(' ')}\n`),
  len: (args) => {
    arity('len', args, 1);
    const v = args[0] as GoValue;
    if (v.kind === 'string') return { kind: 'int', value: new TextEncoder().encode(v.value).length };
    if (v.kind === 'map') return { kind: 'int', value: Object.keys(v.value).length };
    throw new ExecError(`len of type ${goTypeName(v)}`);
  },
  index: (args) => {
    let v = args[0];
    if (v === undefined) throw new ExecError('wrong number of args for index: want at least 1 got 0');
    for (const key of args.slice(1)) {
      if (v.kind !== 'map') throw new ExecError(`can't index item of type ${goTypeName(v)}`);
      const k = asString(key);
      v = str(v.value[k] ?? '');
    }
    return v;
  },
  not: unary('not', (a) => bool(!truth(a))),
  and: (args) => {
    if (args.length === 0) throw new ExecError('wrong number of args for and: want at least 1 got 0');
    for (const a of args) if (!truth(a)) return a;
    return args[args.length - 1] as GoValue;
  },
  or: (args) => {
    if (args.length === 0) throw new ExecError('wrong number of args for or: want at least 1 got 0');
    for (const a of args) if (truth(a)) return a;
    return args[args.length - 1] as GoValue;
  },
  eq: (args) => {
    if (args.length < 2) throw new ExecError('missing argument for comparison');
    const first = args[0] as GoValue;
    return { kind: 'bool', value: args.slice(1).some((b) => compare(first, b, false) === 0) };
  },
  ne: binary('ne', (a, b) => bool(compare(a, b, false) !== 0)),
  lt: binary('lt', (a, b) => bool(compare(a, b, true) < 0)),
  le: binary('le', (a, b) => bool(compare(a, b, true) <= 0)),
  gt: binary('gt', (a, b) => bool(compare(a, b, true) > 0)),
  ge: binary('ge', (a, b) => bool(compare(a, b, true) >= 0)),
};

/** Prometheus template functions this engine does not run, with the reason given to the learner. */
const UNSUPPORTED: Readonly<Record<string, string>> = {
  query: 'it runs a PromQL query from inside a template',
  first: 'it works on query results',
  label: 'it works on query results',
  value: 'it works on query results',
  strvalue: 'it works on query results',
  sortByLabel: 'it works on query results',
  graphLink: 'it links to a Prometheus UI',
  tableLink: 'it links to a Prometheus UI',
  pathPrefix: 'it needs a Prometheus server',
  args: 'it is used with the template action',
  tmpl: 'it is used with the template action',
  html: 'it is for HTML output',
  js: 'it is for HTML output',
  urlquery: 'it is for HTML output',
  call: 'it calls Go functions',
  slice: 'it works on Go slices',
};

// ---------------------------------------------------------------------------------------------
// Lexing and parsing

type Token =
  | { t: 'ident' | 'var' | 'field' | 'string' | 'number' | 'char'; v: string; pos: number }
  | { t: '|' | '(' | ')' | ':=' | '=' | ','; pos: number };

interface ListResult {
  list: Node[];
  end: string;
  endTokens: Token[];
  pos: number;
  bodyEnd: number;
}

class Parser {
  private readonly name: string;
  private readonly text: string;
  private depth = 0;

  constructor(name: string, text: string) {
    this.name = name;
    this.text = text;
  }

  fail(pos: number, message: string): never {
    const line = this.text.slice(0, pos).split('\n').length;
    throw new TemplateParseError(`template: ${this.name}:${line}: ${message}`);
  }

  /** Splits the text into text and action pieces (with trim markers applied). */
  pieces(): ({ kind: 'text'; text: string } | { kind: 'action'; body: string; pos: number })[] {
    const out: ({ kind: 'text'; text: string } | { kind: 'action'; body: string; pos: number })[] = [];
    let i = 0;
    let trimNext = false;
    const text = this.text;
    while (i <= text.length) {
      const open = text.indexOf('{{', i);
      let chunk = open < 0 ? text.slice(i) : text.slice(i, open);
      if (trimNext) chunk = chunk.replace(/^[ \t\r\n]+/, '');
      trimNext = false;
      if (open < 0) {
        if (chunk !== '') out.push({ kind: 'text', text: chunk });
        break;
      }
      let start = open + 2;
      if (text[start] === '-' && /[ \t\r\n]/.test(text[start + 1] ?? '')) {
        chunk = chunk.replace(/[ \t\r\n]+$/, '');
        start += 1;
      }
      if (chunk !== '') out.push({ kind: 'text', text: chunk });
      // Find the closing delimiter outside string literals.
      let j = start;
      let close = -1;
      while (j < text.length) {
        const c = text[j];
        if (c === '"' || c === '`' || c === "'") {
          const end = this.skipQuoted(j);
          j = end;
          continue;
        }
        if (text.startsWith('/*', j) && text.slice(start, j).trim() === '') {
          const end = text.indexOf('*/', j + 2);
          if (end < 0) this.fail(j, 'unclosed comment');
          j = end + 2;
          continue;
        }
        if (text.startsWith('}}', j)) {
          close = j;
          break;
        }
        j++;
      }
      if (close < 0) this.fail(open, 'unclosed action');
      let body = text.slice(start, close);
      if (/[ \t\r\n]-$/.test(body)) {
        body = body.slice(0, -1);
        trimNext = true;
      }
      out.push({ kind: 'action', body, pos: start });
      i = close + 2;
    }
    return out;
  }

  private skipQuoted(at: number): number {
    const q = this.text[at];
    let j = at + 1;
    while (j < this.text.length) {
      const c = this.text[j];
      if (c === '\\' && q !== '`') {
        j += 2;
        continue;
      }
      if (c === q) return j + 1;
      if (c === '\n' && q !== '`') this.fail(at, 'unterminated quoted string');
      j++;
    }
    this.fail(at, q === '`' ? 'unterminated raw quoted string' : 'unterminated quoted string');
  }

  lex(body: string, base: number): Token[] {
    const tokens: Token[] = [];
    let i = 0;
    while (i < body.length) {
      const c = body[i] as string;
      const pos = base + i;
      if (/\s/.test(c)) {
        i++;
        continue;
      }
      if (body.startsWith('/*', i)) {
        const end = body.indexOf('*/', i + 2);
        i = end < 0 ? body.length : end + 2;
        continue;
      }
      if (c === ':' && body[i + 1] === '=') {
        tokens.push({ t: ':=', pos });
        i += 2;
        continue;
      }
      if (c === '|' || c === '(' || c === ')' || c === '=' || c === ',') {
        tokens.push({ t: c, pos });
        i++;
        continue;
      }
      if (c === '"' || c === '`') {
        const end = this.skipQuoted(base + i) - base;
        const raw = body.slice(i, end);
        tokens.push({ t: 'string', v: c === '`' ? raw.slice(1, -1) : this.unquote(raw, pos), pos });
        i = end;
        continue;
      }
      if (c === "'") {
        const end = this.skipQuoted(base + i) - base;
        tokens.push({ t: 'char', v: body.slice(i, end), pos });
        i = end;
        continue;
      }
      if (c === '$') {
        const m = /^\$[A-Za-z0-9_]*/.exec(body.slice(i)) as RegExpExecArray;
        tokens.push({ t: 'var', v: m[0], pos });
        i += m[0].length;
        continue;
      }
      if (c === '.') {
        const m = /^\.[A-Za-z_][A-Za-z0-9_]*/.exec(body.slice(i));
        if (m) {
          tokens.push({ t: 'field', v: m[0].slice(1), pos });
          i += m[0].length;
          continue;
        }
        if (!/^\.\d/.test(body.slice(i))) {
          tokens.push({ t: 'field', v: '', pos });
          i++;
          continue;
        }
      }
      const num = /^[+-]?(?:0[xX][0-9a-fA-F_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?)/.exec(body.slice(i));
      if (num && /[\d]/.test(c + (body[i + 1] ?? ''))) {
        tokens.push({ t: 'number', v: num[0], pos });
        i += num[0].length;
        continue;
      }
      const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(body.slice(i));
      if (ident) {
        tokens.push({ t: 'ident', v: ident[0], pos });
        i += ident[0].length;
        continue;
      }
      this.fail(pos, `unexpected ${JSON.stringify(c)} in command`);
    }
    return tokens;
  }

  private unquote(raw: string, pos: number): string {
    try {
      return JSON.parse(
        raw
          .replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1')
          .replace(/\\a/g, '\\u0007')
          .replace(/\\v/g, '\\u000b'),
      ) as string;
    } catch {
      this.fail(pos, `bad string syntax: ${raw}`);
    }
  }

  parse(): Node[] {
    const pieces = this.pieces();
    let index = 0;
    const parseList = (endWords: readonly string[]): ListResult => {
      const list: Node[] = [];
      while (index < pieces.length) {
        const piece = pieces[index++] as (typeof pieces)[number];
        if (piece.kind === 'text') {
          list.push({ type: 'text', text: piece.text });
          continue;
        }
        if (/^\s*\/\*[\s\S]*\*\/\s*$/.test(piece.body)) continue;
        const tokens = this.lex(piece.body, piece.pos);
        const first = tokens[0];
        if (first === undefined) this.fail(piece.pos, 'missing value for command');
        const keyword = first.t === 'ident' ? first.v : '';
        if (keyword === 'end' || keyword === 'else') {
          if (!endWords.includes(keyword)) this.fail(piece.pos, `unexpected {{${keyword}}}`);
          return { list, end: keyword, endTokens: tokens.slice(1), pos: piece.pos, bodyEnd: piece.pos + piece.body.length };
        }
        if (keyword === 'if' || keyword === 'with' || keyword === 'range') {
          list.push(this.control(keyword, tokens.slice(1), first.pos, piece.pos + piece.body.length, parseList));
          continue;
        }
        if (keyword === 'define' || keyword === 'template' || keyword === 'block' || keyword === 'break' || keyword === 'continue') {
          this.fail(piece.pos, `{{${keyword}}} is not supported by this lab's template engine`);
        }
        list.push({ type: 'action', pipe: this.pipeline(tokens, piece.body, piece.pos, piece.pos + piece.body.length) });
      }
      if (endWords.length > 0) this.fail(this.text.length, 'unexpected EOF');
      return { list, end: '', endTokens: [], pos: this.text.length, bodyEnd: this.text.length };
    };
    return parseList([]).list;
  }

  private control(
    keyword: 'if' | 'with' | 'range',
    tokens: Token[],
    pos: number,
    endPos: number,
    parseList: (endWords: readonly string[]) => ListResult,
  ): Node {
    if (++this.depth > MAX_DEPTH) this.fail(pos, 'template nested too deeply');
    const pipe = this.pipeline(tokens, keyword, pos, endPos);
    const body = parseList(['end', 'else']);
    let elseList: Node[] | undefined;
    if (body.end === 'else') {
      const elseTokens = body.endTokens;
      const head = elseTokens[0];
      if (head?.t === 'ident' && (head.v === 'if' || head.v === 'with') && keyword !== 'range') {
        // `{{else if …}}` is an if nested in the else branch that shares the final {{end}}.
        elseList = [this.control(head.v, elseTokens.slice(1), head.pos, body.end === 'else' ? body.bodyEnd : head.pos, parseList)];
      } else {
        if (elseTokens.length > 0) this.fail(body.pos, 'unexpected tokens after else');
        const rest = parseList(['end']);
        elseList = rest.list;
      }
    }
    this.depth--;
    return { type: keyword, pipe, list: body.list, elseList } as Node;
  }

  private pipeline(tokens: Token[], source: string, pos: number, endPos: number): Pipe {
    let i = 0;
    const decl: string[] = [];
    let assign = false;
    // Declarations: `$x :=`, `$x =`, `$k, $v :=`.
    const t0 = tokens[0];
    const t1 = tokens[1];
    if (t0?.t === 'var' && (t1?.t === ':=' || t1?.t === '=')) {
      decl.push(t0.v);
      assign = t1.t === '=';
      i = 2;
    } else if (t0?.t === 'var' && t1?.t === ',' && tokens[2]?.t === 'var' && tokens[3]?.t === ':=') {
      decl.push(t0.v, (tokens[2] as { v: string }).v);
      i = 4;
    }
    const cmds: Command[] = [];
    const parseCommand = (stop: ')' | undefined): Command => {
      const args: Operand[] = [];
      const start = tokens[i]?.pos ?? pos;
      while (i < tokens.length) {
        const tok = tokens[i] as Token;
        if (tok.t === '|' || (stop && tok.t === ')')) break;
        args.push(
          this.operand(
            tokens,
            () => i,
            (n) => (i = n),
            source,
          ),
        );
      }
      if (args.length === 0) this.fail(start, 'missing value for command');
      const end = tokens[i]?.pos ?? endPos;
      return { args, pos: start, source: this.text.slice(start, end).trim() };
    };
    for (;;) {
      if (i >= tokens.length) break;
      cmds.push(parseCommand(undefined));
      if (tokens[i]?.t === '|') {
        i++;
        if (i >= tokens.length) this.fail(pos, 'missing command after |');
        continue;
      }
      break;
    }
    if (i < tokens.length) this.fail((tokens[i] as Token).pos, `unexpected token in command`);
    if (cmds.length === 0) this.fail(pos, `missing value for ${source.trim().split(/\s/)[0] || 'command'}`);
    return { decl, assign, cmds };
  }

  private operand(tokens: Token[], at: () => number, move: (n: number) => void, source: string): Operand {
    const i = at();
    const tok = tokens[i] as Token;
    const chainAfter = (from: number): { chain: string[]; next: number } => {
      const chain: string[] = [];
      let j = from;
      while (
        tokens[j]?.t === 'field' &&
        (tokens[j] as { v: string }).v !== '' &&
        tokens[j]?.pos === (tokens[j - 1]?.pos ?? -2) + tokenLength(tokens[j - 1])
      ) {
        chain.push((tokens[j] as { v: string }).v);
        j++;
      }
      return { chain, next: j };
    };
    switch (tok.t) {
      case 'field': {
        if (tok.v === '') {
          move(i + 1);
          return { type: 'dot' };
        }
        const { chain, next } = chainAfter(i + 1);
        move(next);
        return { type: 'field', chain: [tok.v, ...chain] };
      }
      case 'var': {
        const { chain, next } = chainAfter(i + 1);
        move(next);
        return { type: 'var', name: tok.v, chain };
      }
      case 'string':
        move(i + 1);
        return { type: 'literal', value: str(tok.v) };
      case 'char':
        return this.fail(tok.pos, "character constants are not supported by this lab's template engine");
      case 'number': {
        move(i + 1);
        const clean = tok.v.replace(/_/g, '');
        if (/^[+-]?0[xX]/.test(clean)) return { type: 'literal', value: { kind: 'int', value: Number.parseInt(clean, 16) } };
        if (/^[+-]?\d+$/.test(clean)) return { type: 'literal', value: { kind: 'int', value: Number(clean) } };
        return { type: 'literal', value: flt(Number(clean)) };
      }
      case 'ident': {
        move(i + 1);
        if (tok.v === 'true' || tok.v === 'false') return { type: 'literal', value: { kind: 'bool', value: tok.v === 'true' } };
        if (tok.v === 'nil') return { type: 'literal', value: { kind: 'nil' } };
        if (tok.v in FUNCTIONS) return { type: 'func', name: tok.v };
        const reason = UNSUPPORTED[tok.v];
        if (reason) this.fail(tok.pos, `function "${tok.v}" is not supported by this lab's template engine (${reason})`);
        return this.fail(tok.pos, `function "${tok.v}" not defined`);
      }
      case '(': {
        if (++this.depth > MAX_DEPTH) this.fail(tok.pos, 'template nested too deeply');
        // Find the matching parenthesis and parse the inside as a pipeline.
        let level = 0;
        let j = i;
        for (; j < tokens.length; j++) {
          const t = (tokens[j] as Token).t;
          if (t === '(') level++;
          else if (t === ')' && --level === 0) break;
        }
        if (j >= tokens.length) this.fail(tok.pos, 'unclosed left paren');
        const inner = this.pipeline(tokens.slice(i + 1, j), source, tok.pos, (tokens[j] as Token).pos);
        this.depth--;
        const { chain, next } = chainAfter(j + 1);
        move(next);
        return { type: 'pipe', pipe: inner, chain };
      }
      default:
        return this.fail(tok.pos, `unexpected ${JSON.stringify(tok.t)} in operand`);
    }
  }
}

function tokenLength(tok: Token | undefined): number {
  if (!tok) return 0;
  if (tok.t === 'field') return tok.v.length + 1;
  if (tok.t === 'var' || tok.t === 'ident' || tok.t === 'number') return tok.v.length;
  if (tok.t === ')') return 1;
  return Number.NaN;
}

// ---------------------------------------------------------------------------------------------
// Execution

class Executor {
  private readonly name: string;
  private readonly text: string;
  private readonly vars: { name: string; value: GoValue }[] = [];
  private out = '';

  constructor(name: string, text: string, root: GoValue) {
    this.name = name;
    this.text = text;
    this.vars.push({ name: '$', value: root });
  }

  run(nodes: Node[], dot: GoValue): string {
    this.list(nodes, dot);
    return this.out;
  }

  private write(text: string): void {
    this.out += text;
    if (this.out.length > MAX_OUTPUT) throw new ExecError(`template output exceeds ${MAX_OUTPUT} characters`);
  }

  private list(nodes: Node[], dot: GoValue): void {
    for (const node of nodes) {
      switch (node.type) {
        case 'text':
          this.write(node.text);
          break;
        case 'action': {
          const value = this.pipe(node.pipe, dot);
          if (node.pipe.decl.length === 0) this.write(formatValue(value));
          break;
        }
        case 'if':
        case 'with': {
          const mark = this.vars.length;
          const value = this.pipe(node.pipe, dot);
          if (truth(value)) this.list(node.list, node.type === 'with' ? value : dot);
          else if (node.elseList) this.list(node.elseList, dot);
          this.vars.length = mark;
          break;
        }
        case 'range': {
          const mark = this.vars.length;
          const decl = node.pipe.decl;
          const value = this.pipe({ ...node.pipe, decl: [] }, dot);
          if (value.kind !== 'map') {
            if (value.kind === 'nil') {
              if (node.elseList) this.list(node.elseList, dot);
              break;
            }
            throw new ExecError(`range can't iterate over ${formatValue(value)}`);
          }
          const keys = Object.keys(value.value).sort();
          if (keys.length === 0 && node.elseList) this.list(node.elseList, dot);
          for (const key of keys) {
            const element = str(value.value[key] ?? '');
            const inner = this.vars.length;
            if (decl.length === 1) this.vars.push({ name: decl[0] as string, value: element });
            if (decl.length === 2) {
              this.vars.push({ name: decl[0] as string, value: str(key) });
              this.vars.push({ name: decl[1] as string, value: element });
            }
            this.list(node.list, element);
            this.vars.length = inner;
          }
          this.vars.length = mark;
          break;
        }
      }
    }
  }

  private lookup(name: string): GoValue {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      const v = this.vars[i] as { name: string; value: GoValue };
      if (v.name === name) return v.value;
    }
    throw new ExecError(`undefined variable: ${name}`);
  }

  private field(value: GoValue, chain: string[]): GoValue {
    let v = value;
    for (const name of chain) {
      if (v.kind === 'map') v = str(v.value[name] ?? '');
      else if (v.kind === 'struct') {
        const f = v.fields[name];
        if (f === undefined) throw new ExecError(`can't evaluate field ${name} in type ${v.name}`);
        v = f;
      } else if (v.kind === 'nil') throw new ExecError(`nil pointer evaluating interface {}.${name}`);
      else throw new ExecError(`can't evaluate field ${name} in type ${goTypeName(v)}`);
    }
    return v;
  }

  private pipe(pipe: Pipe, dot: GoValue): GoValue {
    let value: GoValue | undefined;
    for (const cmd of pipe.cmds) value = this.command(cmd, dot, value);
    const result = value ?? { kind: 'nil' };
    if (pipe.decl.length > 0) {
      if (pipe.assign) {
        const name = pipe.decl[0] as string;
        const slot = [...this.vars].reverse().find((v) => v.name === name);
        if (!slot) throw new ExecError(`undefined variable: ${name}`);
        slot.value = result;
      } else {
        this.vars.push({ name: pipe.decl[0] as string, value: result });
      }
    }
    return result;
  }

  private command(cmd: Command, dot: GoValue, final: GoValue | undefined): GoValue {
    try {
      const [head, ...rest] = cmd.args as [Operand, ...Operand[]];
      if (head.type === 'func') {
        const args = rest.map((a) => this.operand(a, dot));
        if (final !== undefined) args.push(final);
        const fn = FUNCTIONS[head.name] as Fn;
        try {
          return fn(args);
        } catch (error) {
          if (error instanceof ExecError) throw new ExecError(`error calling ${head.name}: ${error.message}`);
          throw error;
        }
      }
      if (rest.length > 0 || final !== undefined) {
        throw new ExecError(`can't give argument to non-function ${cmd.source.split(/\s/)[0]}`);
      }
      return this.operand(head, dot);
    } catch (error) {
      if (error instanceof ExecError && !error.message.startsWith('template: ')) {
        const before = this.text.slice(0, cmd.pos);
        const line = before.split('\n').length;
        const column = cmd.pos - (before.lastIndexOf('\n') + 1);
        throw new ExecError(`template: ${this.name}:${line}:${column}: executing "${this.name}" at <${cmd.source}>: ${error.message}`);
      }
      throw error;
    }
  }

  private operand(op: Operand, dot: GoValue): GoValue {
    switch (op.type) {
      case 'dot':
        return dot;
      case 'field':
        return this.field(dot, op.chain);
      case 'var':
        return this.field(this.lookup(op.name), op.chain);
      case 'literal':
        return op.value;
      case 'func':
        return (FUNCTIONS[op.name] as Fn)([]);
      case 'pipe': {
        const mark = this.vars.length;
        const v = this.pipe(op.pipe, dot);
        this.vars.length = mark;
        return this.field(v, op.chain);
      }
    }
  }
}

/** A parsed alert template, ready to expand per alert. */
export interface AlertTemplate {
  readonly source: string;
  expand(data: TemplateData): string;
}

/** Templates without `{{` need no parsing (the common case for labels). */
function isPlain(text: string): boolean {
  return !text.includes('{{');
}

/**
 * Parses an alert label/annotation template as Prometheus would (`__alert_<name>`), or throws
 * TemplateParseError with a Go-like message. `expand` never throws: expansion errors become
 * `<error expanding template: …>`, as in Prometheus.
 */
export function parseAlertTemplate(source: string, alertName: string): AlertTemplate {
  if (isPlain(source)) return { source, expand: () => source };
  const name = `__alert_${alertName}`;
  const text = PREFIX + source;
  const nodes = new Parser(name, text).parse();
  return {
    source,
    expand(data: TemplateData): string {
      const root: GoValue = {
        kind: 'struct',
        name: 'template.tmplData',
        fields: {
          Labels: { kind: 'map', value: data.labels },
          ExternalLabels: { kind: 'map', value: data.externalLabels },
          ExternalURL: str(data.externalURL),
          Value: flt(data.value),
        },
      };
      try {
        return new Executor(name, text, root).run(nodes, root);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return `<error expanding template: error executing template ${name}: ${message}>`;
      }
    },
  };
}

/** Checks a template's syntax; returns the Go-like error message or undefined. */
export function checkAlertTemplate(source: string, alertName: string): string | undefined {
  try {
    parseAlertTemplate(source, alertName);
    return undefined;
  } catch (error) {
    if (error instanceof TemplateParseError) return error.message;
    throw error;
  }
}
