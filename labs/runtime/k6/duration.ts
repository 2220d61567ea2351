// k6 durations: Go's time.ParseDuration syntax plus k6's extensions (a bare number means
// milliseconds, a leading whole number of days like "1d12h"). Values are returned in milliseconds.
import { K6OptionError } from './errors.ts';

export { K6OptionError } from './errors.ts';

const NS_PER_UNIT: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  // Go accepts both the micro sign (U+00B5) and the Greek mu (U+03BC).
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

const NS_PER_MS = 1e6;
const NS_PER_DAY = 24 * 3600e9;

// strconv.ParseFloat also takes hex floats and "Inf"; nobody writes those in a duration.
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

function invalid(text: string, reason: string): K6OptionError {
  return new K6OptionError(`invalid duration "${text}": ${reason}; write it like "30s", "1m30s", "500ms" or "2h"`);
}

/** Go's time.ParseDuration, in whole nanoseconds, for a string without sign or days. */
function parseGoDuration(text: string, original: string): number {
  if (text === '0') return 0;
  if (text === '') throw invalid(original, 'it is empty');
  let rest = text;
  let total = 0;
  while (rest !== '') {
    const number = /^(\d*)(?:\.(\d*))?/.exec(rest);
    const whole = number?.[1] ?? '';
    const fraction = number?.[2] ?? '';
    if (whole === '' && fraction === '') throw invalid(original, `expected a number at "${rest}"`);
    rest = rest.slice(number?.[0].length ?? 0);
    const unit = /^[^\d.]*/.exec(rest)?.[0] ?? '';
    if (unit === '') throw invalid(original, 'a unit is missing (ms, s, m or h)');
    const nsPerUnit = NS_PER_UNIT[unit];
    if (nsPerUnit === undefined) throw invalid(original, `"${unit}" is not a unit (use ns, us, ms, s, m or h)`);
    rest = rest.slice(unit.length);
    let value = Number(whole === '' ? '0' : whole) * nsPerUnit;
    // Go keeps at most ~18 fraction digits and truncates to whole nanoseconds the same way.
    const digits = fraction.slice(0, 15);
    if (digits !== '' && Number(digits) > 0) value += Math.trunc(Number(digits) * (nsPerUnit / 10 ** digits.length));
    total += value;
    if (!Number.isSafeInteger(total)) throw invalid(original, 'it is too long');
  }
  return total;
}

/**
 * Milliseconds for a k6 duration: `'30s'`, `'1m30s'`, `'2h'`, `'500ms'`, `'1.5s'`, `'1d'`, or a
 * number of milliseconds. Throws a K6OptionError that says what is wrong.
 */
export function parseDuration(text: string | number): number {
  if (typeof text === 'number') {
    if (!Number.isFinite(text)) throw new K6OptionError(`invalid duration ${text}: a number of milliseconds must be finite`);
    if (text < 0) throw new K6OptionError(`invalid duration ${text}: a duration cannot be negative`);
    return text;
  }
  if (PLAIN_NUMBER.test(text)) return parseDuration(Number(text));
  if (text.startsWith('-')) throw invalid(text, 'a duration cannot be negative');
  const unsigned = text.startsWith('+') ? text.slice(1) : text;
  const dayMark = unsigned.indexOf('d');
  if (dayMark < 0) return parseGoDuration(unsigned, text) / NS_PER_MS;
  const days = unsigned.slice(0, dayMark);
  if (!/^\d+$/.test(days)) throw invalid(text, 'days must be a whole number, like "1d12h"');
  const rest = unsigned.slice(dayMark + 1);
  const ns = Number(days) * NS_PER_DAY + (rest === '' ? 0 : parseGoDuration(rest, text));
  if (!Number.isSafeInteger(ns)) throw invalid(text, 'it is too long');
  return ns / NS_PER_MS;
}

/** Go's fmtFrac: the fraction of v / 10^precision without trailing zeros (and no dot if zero). */
function formatFraction(v: number, precision: number): { text: string; rest: number } {
  const scale = 10 ** precision;
  const fraction = v % scale;
  const rest = Math.floor(v / scale);
  if (fraction === 0) return { text: '', rest };
  return { text: `.${String(fraction).padStart(precision, '0').replace(/0+$/, '')}`, rest };
}

/**
 * A duration as k6 prints it (Go's time.Duration.String()): `1m30s`, `250ms`, `1.5s`, `2h0m0s`,
 * `1µs`, `0s`.
 */
export function formatDuration(ms: number): string {
  const ns = Math.round(Math.abs(ms) * NS_PER_MS);
  const sign = ms < 0 && ns > 0 ? '-' : '';
  if (ns === 0) return '0s';
  if (ns < 1e9) {
    const [precision, unit] = ns < 1e3 ? [0, 'ns'] : ns < 1e6 ? [3, 'µs'] : [6, 'ms'];
    const { text, rest } = formatFraction(ns, precision);
    return `${sign}${rest}${text}${unit}`;
  }
  const { text, rest: wholeSeconds } = formatFraction(ns, 9);
  const seconds = `${wholeSeconds % 60}${text}s`;
  const minutes = Math.floor(wholeSeconds / 60);
  if (minutes === 0) return `${sign}${seconds}`;
  const hours = Math.floor(minutes / 60);
  if (hours === 0) return `${sign}${minutes}m${seconds}`;
  return `${sign}${hours}h${minutes % 60}m${seconds}`;
}
