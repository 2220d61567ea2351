// Go's number formatting, as alert templates print values: `{{ $value }}` is fmt's %v of a float64
// (strconv 'g' with the shortest digits, exponent form when the exponent is ≥ 6 or < -4),
// Prometheus's humanize functions use %.4g, and `printf` takes Go verbs. Only what templates need:
// verbs v s d f F e E g G q t x X and %%, flags - + space 0, width and precision.
// Known difference: %f/%e round an exact binary half (0.125 → %.2f) up, where Go rounds to even.

/** The shortest round-trip digits of a finite non-zero |v| and its decimal point position. */
function shortestDigits(v: number): { digits: string; dp: number } {
  // toExponential() without an argument gives the shortest digits that round-trip, like Go's.
  const [mantissa = '0', exponent = '0'] = Math.abs(v).toExponential().split('e');
  return { digits: mantissa.replace('.', ''), dp: Number(exponent) + 1 };
}

/** Digits of |v| rounded to `precision` significant digits, trailing zeros trimmed (strconv's decimal). */
function roundedDigits(v: number, precision: number): { digits: string; dp: number } {
  const [mantissa = '0', exponent = '0'] = Math.abs(v)
    .toExponential(Math.max(precision, 1) - 1)
    .split('e');
  const digits = mantissa.replace('.', '').replace(/0+$/, '') || '0';
  return { digits, dp: Number(exponent) + 1 };
}

function formatE(digits: string, dp: number, fractionDigits: number, upper: boolean): string {
  const first = digits[0] ?? '0';
  let fraction = digits.slice(1, 1 + fractionDigits);
  fraction = fraction.padEnd(fractionDigits, '0');
  const exp = digits === '0' ? 0 : dp - 1;
  const sign = exp < 0 ? '-' : '+';
  const abs = Math.abs(exp);
  return `${first}${fractionDigits > 0 ? `.${fraction}` : ''}${upper ? 'E' : 'e'}${sign}${abs < 10 ? `0${abs}` : abs}`;
}

function formatF(digits: string, dp: number, fractionDigits: number): string {
  const integer = dp > 0 ? digits.slice(0, dp).padEnd(dp, '0') : '0';
  let fraction = '';
  for (let i = 0; i < fractionDigits; i++) {
    const index = dp + i;
    fraction += index >= 0 && index < digits.length ? digits[index] : '0';
  }
  return fractionDigits > 0 ? `${integer}.${fraction}` : integer;
}

function special(v: number): string | undefined {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return undefined;
}

/** strconv.FormatFloat(v, 'g', precision, 64); precision -1 = shortest. Exponent letter as given. */
export function formatG(v: number, precision = -1, upper = false): string {
  const s = special(v);
  if (s !== undefined) return s;
  const negative = v < 0 || Object.is(v, -0);
  let digits: string;
  let dp: number;
  let prec = precision;
  if (v === 0) {
    digits = '0';
    dp = 1;
  } else if (precision < 0) {
    ({ digits, dp } = shortestDigits(v));
  } else {
    ({ digits, dp } = roundedDigits(v, precision === 0 ? 1 : precision));
  }
  const shortest = precision < 0;
  if (shortest) prec = digits.length;
  else if (prec === 0) prec = 1;
  let eprec = prec;
  if (eprec > digits.length && digits.length >= dp) eprec = digits.length;
  if (shortest) eprec = 6;
  const exp = dp - 1;
  let body: string;
  if (v !== 0 && (exp < -4 || exp >= eprec)) {
    if (prec > digits.length) prec = digits.length;
    body = formatE(digits, dp, prec - 1, upper);
  } else {
    if (prec > dp) prec = digits.length;
    body = formatF(digits, dp, Math.max(prec - dp, 0));
  }
  return negative ? `-${body}` : body;
}

/** strconv.FormatFloat(v, 'e', precision, 64); precision -1 = shortest. */
export function formatE64(v: number, precision = 6, upper = false): string {
  const s = special(v);
  if (s !== undefined) return s;
  const negative = v < 0 || Object.is(v, -0);
  if (v === 0) return `${negative ? '-' : ''}${formatE('0', 1, Math.max(precision, 0), upper)}`;
  const { digits, dp } = precision < 0 ? shortestDigits(v) : roundedDigits(v, precision + 1);
  const body = formatE(digits, dp, precision < 0 ? digits.length - 1 : precision, upper);
  return negative ? `-${body}` : body;
}

/** strconv.FormatFloat(v, 'f', precision, 64). */
export function formatF64(v: number, precision = 6): string {
  const s = special(v);
  if (s !== undefined) return s;
  const negative = v < 0 || Object.is(v, -0);
  const abs = Math.abs(v);
  let body: string;
  if (abs >= 1e21) {
    // toFixed switches to exponent form here; the integer part is exact in binary.
    body = BigInt(abs).toString() + (precision > 0 ? `.${'0'.repeat(precision)}` : '');
  } else {
    body = abs.toFixed(Math.min(precision, 100));
  }
  return negative ? `-${body}` : body;
}

/** The value kinds a template works with (Go's reflect kinds, reduced). */
export type GoValue =
  | { kind: 'float'; value: number }
  | { kind: 'int'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'map'; value: Readonly<Record<string, string>> }
  | { kind: 'struct'; name: string; fields: Readonly<Record<string, GoValue>> }
  | { kind: 'nil' };

const GO_TYPE: Record<GoValue['kind'], string> = {
  float: 'float64',
  int: 'int',
  string: 'string',
  bool: 'bool',
  map: 'map[string]string',
  struct: 'struct',
  nil: '<nil>',
};

export function goTypeName(value: GoValue): string {
  return value.kind === 'struct' ? value.name : GO_TYPE[value.kind];
}

/** fmt's %v. */
export function formatValue(value: GoValue): string {
  switch (value.kind) {
    case 'float':
      return formatG(value.value);
    case 'int':
      return String(value.value);
    case 'string':
      return value.value;
    case 'bool':
      return value.value ? 'true' : 'false';
    case 'map': {
      const keys = Object.keys(value.value).sort();
      return `map[${keys.map((k) => `${k}:${value.value[k]}`).join(' ')}]`;
    }
    case 'struct':
      return `{${Object.values(value.fields).map(formatValue).join(' ')}}`;
    case 'nil':
      return '<nil>';
  }
}

/** Go's %q of a string (strconv.Quote, for printable text). */
export function quoteGo(text: string): string {
  return JSON.stringify(text).replace(/\\u007f/g, '\\x7f');
}

const MAX_WIDTH = 1000;
const MAX_PRECISION = 100;

interface Spec {
  minus: boolean;
  plus: boolean;
  space: boolean;
  zero: boolean;
  width: number | undefined;
  precision: number | undefined;
}

function pad(text: string, spec: Spec, numeric: boolean): string {
  if (spec.width === undefined || text.length >= spec.width) return text;
  const fill = spec.width - text.length;
  if (spec.minus) return text + ' '.repeat(fill);
  if (spec.zero && numeric && !/[a-zA-Z]/.test(text.replace(/e[+-]\d+$/i, ''))) {
    const sign = /^[+\- ]/.test(text) ? text.slice(0, 1) : '';
    return sign + '0'.repeat(fill) + text.slice(sign.length);
  }
  return ' '.repeat(fill) + text;
}

function signed(text: string, spec: Spec): string {
  if (text.startsWith('-') || text.startsWith('+')) return text === '+Inf' && !spec.plus ? (spec.space ? ' +Inf' : '+Inf') : text;
  if (spec.plus) return `+${text}`;
  if (spec.space) return ` ${text}`;
  return text;
}

function badVerb(verb: string, value: GoValue): string {
  return `%!${verb}(${goTypeName(value)}=${formatValue(value)})`;
}

function formatOne(verb: string, spec: Spec, value: GoValue): string {
  if (value.kind === 'float') {
    const v = value.value;
    let text: string;
    switch (verb) {
      case 'v':
      case 'g':
      case 'G':
        text = formatG(v, spec.precision ?? -1, verb === 'G');
        break;
      case 'e':
      case 'E':
        text = formatE64(v, spec.precision ?? 6, verb === 'E');
        break;
      case 'f':
      case 'F':
        text = formatF64(v, spec.precision ?? 6);
        break;
      default:
        return badVerb(verb, value);
    }
    return pad(signed(text, spec), spec, true);
  }
  if (value.kind === 'int') {
    const v = value.value;
    switch (verb) {
      case 'v':
      case 'd':
        return pad(signed(String(v), spec), spec, true);
      case 'x':
      case 'X': {
        const hex = Math.abs(v).toString(16);
        return pad(signed((v < 0 ? '-' : '') + (verb === 'X' ? hex.toUpperCase() : hex), spec), spec, true);
      }
      default:
        return badVerb(verb, value);
    }
  }
  if (value.kind === 'string') {
    switch (verb) {
      case 'v':
      case 's':
        return pad(spec.precision === undefined ? value.value : value.value.slice(0, spec.precision), spec, false);
      case 'q':
        return pad(quoteGo(value.value), spec, false);
      default:
        return badVerb(verb, value);
    }
  }
  if (value.kind === 'bool') {
    if (verb === 'v' || verb === 't') return pad(value.value ? 'true' : 'false', spec, false);
    return badVerb(verb, value);
  }
  if (verb === 'v') return pad(formatValue(value), spec, false);
  if (verb === 's' && value.kind === 'map') return pad(formatValue(value), spec, false);
  return badVerb(verb, value);
}

/** Go's fmt.Sprintf for the verbs above; wrong arguments print Go's `%!verb(type=value)` markers. */
export function sprintf(format: string, args: readonly GoValue[]): string {
  let out = '';
  let next = 0;
  let i = 0;
  while (i < format.length) {
    const c = format[i] as string;
    if (c !== '%') {
      out += c;
      i++;
      continue;
    }
    i++;
    const spec: Spec = { minus: false, plus: false, space: false, zero: false, width: undefined, precision: undefined };
    for (; i < format.length; i++) {
      const f = format[i];
      if (f === '-') spec.minus = true;
      else if (f === '+') spec.plus = true;
      else if (f === ' ') spec.space = true;
      else if (f === '0') spec.zero = true;
      else if (f === '#') continue;
      else break;
    }
    // Widths and precisions are capped: a template must not build megabytes of padding.
    const width = /^\d+/.exec(format.slice(i));
    if (width) {
      spec.width = Math.min(Number(width[0]), MAX_WIDTH);
      i += width[0].length;
    }
    if (format[i] === '.') {
      i++;
      const precision = /^\d*/.exec(format.slice(i))?.[0] ?? '';
      spec.precision = precision === '' ? 0 : Math.min(Number(precision), MAX_PRECISION);
      i += precision.length;
    }
    const verb = format[i];
    if (verb === undefined) {
      out += '%!(NOVERB)';
      break;
    }
    i++;
    if (verb === '%') {
      out += '%';
      continue;
    }
    const arg = args[next];
    if (arg === undefined) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    next++;
    out += formatOne(verb, spec, arg);
  }
  if (next < args.length) {
    out += `%!(EXTRA ${args
      .slice(next)
      .map((a) => `${goTypeName(a)}=${formatValue(a)}`)
      .join(', ')})`;
  }
  return out;
}
