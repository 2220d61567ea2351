// Reads Prometheus's promqltest file format (the `*.test` files in Prometheus's repository) into
// commands. Lines are trimmed, `#` lines are comments, a blank line ends a block:
//   load <interval>            series lines in the expanding notation (series-notation.ts), sample i at i·interval
//   load_with_nhcb <interval>  the same, and the classic histograms become native ones (out of scope)
//   clear                      wipe the storage
//   eval[_fail|_warn|_info|_ordered] instant [at <time>] <query>
//   eval[_fail|_warn|_info] range from <t> to <t> step <d> <query>
// followed by the expected result: `{labels} value` (instant), `{labels} v1 v2 …` (range, one value per
// step, `_` for no point), a bare number for a scalar, or, for failures, `expected_fail_message <text>` /
// `expected_fail_regexp <re>`; `expect fail|ordered|warn|no_warn|info|no_info [msg:|regex: …]`,
// `expect range vector from <t> to <t> step <d>` and `expect string "…"` as in Prometheus 3.
// Warnings and info annotations are not checked (our engine has none); those evals count on values.

import { RE2JS } from 're2js';
import { parseSeriesLabels, parseSeriesLine, type SeriesValue } from '../series-notation.ts';
import type { Labels } from '../types.ts';

/** A Go (RE2) regexp, unanchored as Go's `MatchString`: the patterns in test files use RE2 syntax. */
export interface GoRegexp {
  source: string;
  test(text: string): boolean;
}

export interface ExpectedSeries {
  labels: Labels;
  values: SeriesValue[];
  /** 1-based position among the expected lines (for `eval_ordered`). */
  position: number;
  line: number;
}

export interface EvalCommand {
  kind: 'eval';
  line: number;
  query: string;
  /** Instant evaluation time, or a range. Times in ms since the epoch (the files start at 0). */
  at?: number;
  range?: { start: number; end: number; step: number };
  fail: boolean;
  failMessage?: string;
  failRegexp?: GoRegexp;
  ordered: boolean;
  expectScalar?: number;
  expectString?: string;
  /** `expect range vector from … to … step …`: an instant query whose result is a range vector. */
  expectRangeVector?: { start: number; end: number; step: number };
  expected: ExpectedSeries[];
  /** Set when the expected result is written in the native-histogram notation. */
  nativeHistogram: boolean;
}

export interface LoadCommand {
  kind: 'load';
  line: number;
  intervalMs: number;
  series: { labels: Labels; values: SeriesValue[]; line: number }[];
  /** Metric names of series that are native histograms here (`{{…}}` samples, or `load_with_nhcb`). */
  nativeHistogramNames: string[];
  /** Label sets of the series written with native-histogram samples. */
  nativeHistogramSeries: Labels[];
}

export interface ClearCommand {
  kind: 'clear';
  line: number;
}

export type TestCommand = LoadCommand | ClearCommand | EvalCommand;

export type ParseTestResult = { ok: true; commands: TestCommand[] } | { ok: false; line: number; error: string };

const PAT_LOAD = /^load(?:_(with_nhcb))?\s+(.+?)$/;
const PAT_EVAL_INSTANT = /^eval(?:_(fail|warn|ordered|info))?\s+instant\s+(?:at\s+(.+?))?\s+(.+)$/;
const PAT_EVAL_RANGE = /^eval(?:_(fail|warn|info))?\s+range\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+?)\s+(.+)$/;
const PAT_EXPECT = /^expect\s+(ordered|fail|warn|no_warn|info|no_info)(?:\s+(regex|msg):(.+))?$/;
const PAT_EXPECT_RANGE = /^expect range vector\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+)$/;
const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_MS = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1];

/** Parses a Prometheus duration (`1h30m`, `10s`, `0`) into milliseconds, as `model.ParseDuration`. */
export function parseTestDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === '0') return 0;
  if (s === '') return undefined;
  const m = DURATION.exec(s);
  if (!m) return undefined;
  let ms = 0;
  for (let i = 0; i < UNIT_MS.length; i += 1) {
    const part = m[i + 1];
    if (part !== undefined) ms += Number(part) * (UNIT_MS[i] as number);
  }
  return ms;
}

/** A scalar expectation: Go's `ParseInt(s, 0, 64)` then `ParseFloat` (hex, `Inf`, `NaN`, exponents). */
export function parseScalarLine(text: string): number | undefined {
  const s = text.trim();
  if (/^[+-]?(?:0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|\d+)$/.test(s)) {
    const sign = s.startsWith('-') ? -1 : 1;
    const body = s.replace(/^[+-]/, '').toLowerCase();
    if (body.startsWith('0x')) return sign * Number.parseInt(body.slice(2), 16);
    if (body.startsWith('0b')) return sign * Number.parseInt(body.slice(2), 2);
    if (body.startsWith('0o')) return sign * Number.parseInt(body.slice(2), 8);
    if (body.length > 1 && body.startsWith('0')) return sign * Number.parseInt(body.slice(1), 8);
    return sign * Number(body);
  }
  if (/^[+-]?(?:inf|infinity)$/i.test(s)) return s.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (/^[+-]?nan$/i.test(s)) return Number.NaN;
  if (/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(s)) return Number(s);
  return undefined;
}

/** Reads a Go double-quoted string literal (`expect string "…"`). */
function unquoteGoString(text: string): string | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function toRegExp(pattern: string): GoRegexp | undefined {
  try {
    const re = RE2JS.compile(pattern);
    return { source: pattern, test: (text) => re.matcher(text).find() };
  } catch {
    return undefined;
  }
}

export function parseTestFile(input: string): ParseTestResult {
  const lines = input.split('\n').map((l) => {
    const t = l.trim();
    return t.startsWith('#') ? '' : t;
  });
  const commands: TestCommand[] = [];
  let i = 0;
  const fail = (line: number, error: string): ParseTestResult => ({ ok: false, line: line + 1, error });
  while (i < lines.length) {
    const l = lines[i] as string;
    if (l === '') {
      i += 1;
      continue;
    }
    const word = (l.split(/[\t ]+/, 1)[0] ?? '').toLowerCase();
    if (word === 'clear') {
      commands.push({ kind: 'clear', line: i + 1 });
      i += 1;
    } else if (word.startsWith('load')) {
      const m = PAT_LOAD.exec(l);
      if (!m) return fail(i, 'invalid load command. (load[_with_nhcb] <step:duration>)');
      const intervalMs = parseTestDuration(m[2] ?? '');
      if (intervalMs === undefined) return fail(i, `invalid step definition ${JSON.stringify(m[2])}`);
      const load: LoadCommand = { kind: 'load', line: i + 1, intervalMs, series: [], nativeHistogramNames: [], nativeHistogramSeries: [] };
      const withNhcb = m[1] === 'with_nhcb';
      i += 1;
      while (i < lines.length && lines[i] !== '') {
        const def = lines[i] as string;
        if (/^\S*@st\s/.test(def)) return fail(i, 'start-timestamp (@st) lines are not supported');
        const series = parseSeriesLine(def);
        if (!series.ok) {
          if (series.nativeHistogram) {
            const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(def)?.[0];
            if (name) load.nativeHistogramNames.push(name);
            const labels = parseSeriesLabels(def.slice(0, def.indexOf('{{')).trim());
            if (labels.ok) load.nativeHistogramSeries.push(labels.labels);
          } else {
            return fail(i, series.error);
          }
        } else {
          load.series.push({ labels: series.labels, values: series.values, line: i + 1 });
          const name = series.labels['__name__'];
          if (withNhcb && name) {
            const base = /^(.*)_(?:bucket|count|sum)$/.exec(name)?.[1];
            if (base && !load.nativeHistogramNames.includes(base)) load.nativeHistogramNames.push(base);
          }
        }
        i += 1;
      }
      commands.push(load);
    } else if (word.startsWith('eval')) {
      const parsed = parseEval(lines, i);
      if ('error' in parsed) return fail(parsed.line, parsed.error);
      commands.push(parsed.command);
      i = parsed.next;
    } else {
      return fail(i, `invalid command ${JSON.stringify(l)}`);
    }
  }
  return { ok: true, commands };
}

function parseEval(lines: string[], start: number): { command: EvalCommand; next: number } | { line: number; error: string } {
  const header = lines[start] as string;
  const instant = PAT_EVAL_INSTANT.exec(header);
  const range = instant ? null : PAT_EVAL_RANGE.exec(header);
  if (!instant && !range) {
    return {
      line: start,
      error:
        "invalid evaluation command. Must be either 'eval[_fail|_warn|_ordered] instant [at <offset:duration>] <query>' or 'eval[_fail|_warn] range from <from> to <to> step <step> <query>'",
    };
  }
  const mod = (instant ? instant[1] : range?.[1]) ?? '';
  const command: EvalCommand = {
    kind: 'eval',
    line: start + 1,
    query: ((instant ? instant[3] : range?.[5]) ?? '').trim(),
    fail: mod === 'fail',
    ordered: mod === 'ordered',
    expected: [],
    nativeHistogram: false,
  };
  if (instant) {
    const at = instant[2] === undefined ? 0 : parseTestDuration(instant[2]);
    if (at === undefined) return { line: start, error: `invalid timestamp definition ${JSON.stringify(instant[2])}` };
    command.at = at;
  } else if (range) {
    const r = parseRange(range[2] ?? '', range[3] ?? '', range[4] ?? '');
    if ('error' in r) return { line: start, error: r.error };
    command.range = r;
  }
  let i = start + 1;
  let position = 0;
  while (i < lines.length && lines[i] !== '') {
    const def = lines[i] as string;
    i += 1;
    if (command.fail && def.startsWith('expected_fail_message')) {
      command.failMessage = def.slice('expected_fail_message'.length).trim();
      break;
    }
    if (command.fail && def.startsWith('expected_fail_regexp')) {
      const pattern = def.slice('expected_fail_regexp'.length).trim();
      const re = toRegExp(pattern);
      if (!re) return { line: i - 1, error: `invalid regexp '${pattern}' for expected_fail_regexp` };
      command.failRegexp = re;
      break;
    }
    if (def.startsWith('expect range vector')) {
      const m = PAT_EXPECT_RANGE.exec(def);
      const r = m ? parseRange(m[1] ?? '', m[2] ?? '', m[3] ?? '') : { error: `invalid range vector definition ${JSON.stringify(def)}` };
      if ('error' in r) return { line: i - 1, error: r.error };
      command.expectRangeVector = r;
      continue;
    }
    if (def.startsWith('expect string')) {
      // Quoted (`expect string "Foo"`, Prometheus 3.x) or, in older files, the raw text after one space.
      const rest = def.slice('expect string'.length);
      const raw = rest.startsWith(' ') ? rest.slice(1) : rest;
      const s = raw.startsWith('"') ? unquoteGoString(raw.trim()) : raw;
      if (s === undefined) return { line: i - 1, error: 'expected string literal not valid - check that the string is correctly quoted' };
      command.expectString = s;
      continue;
    }
    if (def.split(' ')[0] === 'expect') {
      const m = PAT_EXPECT.exec(def);
      if (!m) return { line: i - 1, error: 'invalid expect statement, must match `expect <type> <match_type>: <string>` format' };
      if (m[1] === 'ordered') command.ordered = true;
      if (m[1] === 'fail') {
        command.fail = true;
        if (m[2] === 'msg') command.failMessage = (m[3] ?? '').trim();
        if (m[2] === 'regex') {
          const re = toRegExp((m[3] ?? '').trim());
          if (!re) return { line: i - 1, error: `invalid regex ${(m[3] ?? '').trim()} for fail` };
          command.failRegexp = re;
        }
      }
      continue;
    }
    const scalar = parseScalarLine(def);
    if (scalar !== undefined) {
      command.expectScalar = scalar;
      break;
    }
    position += 1;
    const series = parseSeriesLine(def);
    if (!series.ok) {
      if (series.nativeHistogram) {
        command.nativeHistogram = true;
        continue;
      }
      return { line: i - 1, error: series.error };
    }
    if (series.values.length > 1 && instant && !command.expectRangeVector) {
      return {
        line: i - 1,
        error:
          "expecting multiple values in instant evaluation not allowed. consider using 'expect range vector' directive to enable a range vector result for an instant query",
      };
    }
    command.expected.push({ labels: series.labels, values: series.values, position, line: i });
  }
  return { command, next: i };
}

function parseRange(from: string, to: string, step: string): { start: number; end: number; step: number } | { error: string } {
  const s = parseTestDuration(from);
  if (s === undefined) return { error: `invalid start timestamp definition ${JSON.stringify(from)}` };
  const e = parseTestDuration(to);
  if (e === undefined) return { error: `invalid end timestamp definition ${JSON.stringify(to)}` };
  if (e < s) return { error: `invalid test definition, end timestamp (${to}) is before start timestamp (${from})` };
  const st = parseTestDuration(step);
  if (st === undefined) return { error: `invalid step definition ${JSON.stringify(step)}` };
  return { start: s, end: e, step: st };
}
