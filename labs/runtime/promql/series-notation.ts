// The expanding series notation shared by Prometheus's promqltest `load` blocks and by
// `promtool test rules` `input_series`: a metric with labels, then space-separated items:
//   `7`          one sample                      `_`      one omitted sample (a gap)
//   `1+2x3`      1 3 5 7 (start, step, n+1 values) `_x3`    three omitted samples
//   `5-1x2`      5 4 3                           `stale`  a staleness marker
//   `4x2`        4 4 4 (same as `4+0x2`)          `Inf`, `-Inf`, `NaN`, `1e3`, `1.5`: numbers
// Like Prometheus, an increment is added step by step (`v += step`), so `0+0.1x3` gives the same
// floating-point values a Go test would, and the item `_xN` means N gaps where `vxN` means N+1 values.
// Hexadecimal numbers are not series values (as in Prometheus's lexer: `0x3` is 0 repeated).
import { GO_SIMPLE_ESCAPES } from './go-string.ts';
import type { Labels } from './types.ts';

/** One expanded value: a float, `null` for an omitted sample (`_`), or a staleness marker. */
export type SeriesValue = number | null | 'stale';

export type ExpandResult = { ok: true; values: SeriesValue[] } | { ok: false; error: string };
export type LabelsResult = { ok: true; labels: Labels } | { ok: false; error: string };
export type SeriesLineResult =
  | { ok: true; labels: Labels; values: SeriesValue[] }
  /** `nativeHistogram` marks a line written in the native-histogram notation (`{{schema:0 …}}`), out of scope. */
  | { ok: false; error: string; nativeHistogram?: true };

export interface ExpandOptions {
  /** Refuse expansions longer than this (a typo like `1+1x100000000` must not exhaust memory). */
  maxValues?: number;
}

const DEFAULT_MAX_VALUES = 1_000_000;

const NUMBER = String.raw`(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[iI][nN][fF]|[nN][aA][nN])`;
const VALUE_ITEM = new RegExp(String.raw`^([+-]?${NUMBER})(?:([+-]${NUMBER}))?(?:x(\d+))?$`);
const STALE_ITEM = /^stale(?:x(\d+))?$/;
const BLANK_ITEM = /^_(?:x(\d+))?$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;

/** Parses one series value number as Prometheus's lexer reads it: decimal, `Inf`, `NaN`, signed. */
export function parseSeriesNumber(text: string): number | undefined {
  const m = /^([+-]?)(.*)$/.exec(text);
  if (!m || !new RegExp(`^${NUMBER}$`).test(m[2] ?? '')) return undefined;
  const body = (m[2] ?? '').toLowerCase();
  const sign = m[1] === '-' ? -1 : 1;
  if (body === 'inf') return sign * Number.POSITIVE_INFINITY;
  if (body === 'nan') return Number.NaN;
  return sign * Number(body);
}

/** Expands the value part of a series description, e.g. `0+10x3 _ stale 5x2`. */
export function expandValues(text: string, options: ExpandOptions = {}): ExpandResult {
  const max = options.maxValues ?? DEFAULT_MAX_VALUES;
  const values: SeriesValue[] = [];
  const items = text.trim().split(/\s+/).filter(Boolean);
  for (const item of items) {
    const pushRepeated = (value: SeriesValue, count: number): string | undefined => {
      if (values.length + count > max) return `series values: expansion of ${JSON.stringify(item)} exceeds ${max} values`;
      for (let i = 0; i < count; i += 1) values.push(value);
      return undefined;
    };
    let error: string | undefined;
    const blank = BLANK_ITEM.exec(item);
    const stale = blank ? null : STALE_ITEM.exec(item);
    if (blank) {
      // `_xN` is N gaps (no "+1", unlike values).
      error = pushRepeated(null, blank[1] === undefined ? 1 : Number(blank[1]));
    } else if (stale) {
      error = pushRepeated('stale', stale[1] === undefined ? 1 : Number(stale[1]) + 1);
    } else {
      const m = VALUE_ITEM.exec(item);
      if (!m) return { ok: false, error: `series values: unexpected ${JSON.stringify(item)}, expected a number, "_" or "stale"` };
      const start = parseSeriesNumber(m[1] ?? '');
      const step = m[2] === undefined ? 0 : parseSeriesNumber(m[2]);
      if (start === undefined || step === undefined)
        return { ok: false, error: `series values: invalid number in ${JSON.stringify(item)}` };
      if (m[3] === undefined) {
        if (m[2] !== undefined)
          return { ok: false, error: `series values: ${JSON.stringify(item)} needs a repetition count, e.g. ${item}x10` };
        error = pushRepeated(start, 1);
      } else {
        const count = Number(m[3]) + 1;
        if (values.length + count > max)
          return { ok: false, error: `series values: expansion of ${JSON.stringify(item)} exceeds ${max} values` };
        let v = start;
        for (let i = 0; i < count; i += 1) {
          values.push(v);
          v += step;
        }
      }
    }
    if (error) return { ok: false, error };
  }
  return { ok: true, values };
}

/** Reads a quoted string (`"…"` or `'…'` with Go escapes, or a raw `` `…` ``) at the start of `text`. */
export function readQuotedString(text: string): { value: string; length: number } | { error: string } {
  const quote = text[0];
  if (quote !== '"' && quote !== "'" && quote !== '`') return { error: 'expected a quoted string' };
  if (quote === '`') {
    const end = text.indexOf('`', 1);
    if (end < 0) return { error: 'unterminated raw string' };
    return { value: text.slice(1, end), length: end + 1 };
  }
  let value = '';
  let i = 1;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === quote) return { value, length: i + 1 };
    if (c === '\n') return { error: 'unterminated quoted string' };
    if (c !== '\\') {
      value += c;
      i += 1;
      continue;
    }
    const e = text[i + 1];
    if (e !== undefined && e in GO_SIMPLE_ESCAPES) {
      if ((e === '"' || e === "'") && e !== quote) return { error: `unknown escape sequence \\${e}` };
      value += GO_SIMPLE_ESCAPES[e];
      i += 2;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const digits = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = text.slice(i + 2, i + 2 + digits);
      if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) return { error: `invalid escape sequence \\${e}${hex}` };
      const code = Number.parseInt(hex, 16);
      if (code > 0x10ffff) return { error: `invalid escape sequence \\${e}${hex}` };
      // \x is a byte in Go; for label values (UTF-8 text) we take it as a code point below 0x100.
      value += String.fromCodePoint(code);
      i += 2 + digits;
    } else if (e !== undefined && /[0-7]/.test(e)) {
      const oct = text.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(oct)) return { error: `invalid octal escape \\${oct}` };
      value += String.fromCharCode(Number.parseInt(oct, 8));
      i += 4;
    } else {
      return { error: `unknown escape sequence \\${e ?? ''}` };
    }
  }
  return { error: 'unterminated quoted string' };
}

/** Parses `metric{a="b", c="d"}`, `metric`, `{__name__="metric", a="b"}` or `{"metric", a="b"}`. */
export function parseSeriesLabels(text: string): LabelsResult {
  const result = readSeriesLabels(text.trim());
  if ('error' in result) return { ok: false, error: result.error };
  const rest = text.trim().slice(result.length);
  if (rest.trim() !== '') return { ok: false, error: `series labels: unexpected ${JSON.stringify(rest.trim())} after the label set` };
  return { ok: true, labels: result.labels };
}

function readSeriesLabels(text: string): { labels: Labels; length: number } | { error: string } {
  const labels: Record<string, string> = {};
  let i = 0;
  const name = METRIC_NAME.exec(text);
  if (name) {
    labels['__name__'] = name[0];
    i = name[0].length;
  }
  if (text[i] !== '{') {
    if (!name) return { error: 'series labels: expected a metric name or "{"' };
    return { labels, length: i };
  }
  i += 1;
  const skipSpace = () => {
    while (text[i] === ' ' || text[i] === '\t') i += 1;
  };
  for (;;) {
    skipSpace();
    if (text[i] === '}') {
      i += 1;
      break;
    }
    let labelName: string;
    if (text[i] === '"' || text[i] === "'" || text[i] === '`') {
      const q = readQuotedString(text.slice(i));
      if ('error' in q) return { error: `series labels: ${q.error}` };
      labelName = q.value;
      i += q.length;
    } else {
      const m = LABEL_NAME.exec(text.slice(i));
      if (!m) return { error: `series labels: unexpected ${JSON.stringify(text.slice(i, i + 10))}, expected a label name or "}"` };
      labelName = m[0];
      i += m[0].length;
    }
    skipSpace();
    if (text[i] !== '=') {
      // A lone quoted string is the metric name (UTF-8 notation `{"metric.name", a="b"}`).
      if (text[i - 1] === '"' && (text[i] === ',' || text[i] === '}') && !('__name__' in labels)) {
        labels['__name__'] = labelName;
      } else {
        return { error: `series labels: expected "=" after label ${JSON.stringify(labelName)}` };
      }
    } else {
      i += 1;
      skipSpace();
      const q = readQuotedString(text.slice(i));
      if ('error' in q) return { error: `series labels: value of ${JSON.stringify(labelName)}: ${q.error}` };
      i += q.length;
      if (labelName in labels) return { error: `series labels: label ${JSON.stringify(labelName)} given twice` };
      // An empty value means "no such label", as in Prometheus.
      if (q.value !== '') labels[labelName] = q.value;
    }
    skipSpace();
    if (text[i] === ',') {
      i += 1;
      continue;
    }
    if (text[i] === '}') {
      i += 1;
      break;
    }
    return { error: `series labels: expected "," or "}" in ${JSON.stringify(text.slice(0, i + 1))}` };
  }
  return { labels, length: i };
}

/** Parses a whole series line: `metric{a="b"} 0+10x5 _ stale`. */
export function parseSeriesLine(line: string, options: ExpandOptions = {}): SeriesLineResult {
  const text = line.trim();
  const head = readSeriesLabels(text);
  if ('error' in head) return { ok: false, error: head.error };
  const rest = text.slice(head.length);
  if (rest !== '' && !/^\s/.test(rest))
    return { ok: false, error: `series line: expected a space after the labels, got ${JSON.stringify(rest.slice(0, 10))}` };
  if (rest.includes('{{')) {
    return {
      ok: false,
      error: 'native histogram samples ({{…}}) are not supported: native histograms are out of scope',
      nativeHistogram: true,
    };
  }
  const values = expandValues(rest, options);
  if (!values.ok) return values;
  return { ok: true, labels: head.labels, values: values.values };
}
