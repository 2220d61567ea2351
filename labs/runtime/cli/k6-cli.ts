// `npm run k6 -- run <script.js> [flags]`: k6's `run` command, offline. The script runs in the lab
// sandbox against the built-in targets in virtual time; the end-of-test summary goes to stdout,
// console output and errors to stderr, and the exit code is k6's (ADR 017). File access is passed
// in, so tests drive it without a terminal.
import { EXIT_CODES, type LoadTestResult, runLoadTest } from '../engine/engine.ts';
import { JsonOutput } from '../k6/json-output.ts';
import type { OptionOverrides } from '../k6/options.ts';
import { compactSummary } from '../k6/summary-compact.ts';
import type { Service } from '../simulator/service.ts';
import type { Target } from '../targets/targets.ts';

/** Command-line usage errors (not a k6 errext code: the command never started a test). */
export const USAGE_EXIT_CODE = 255;

export const SUMMARY_MODES = ['compact', 'full', 'legacy', 'disabled'] as const;
export type SummaryMode = (typeof SUMMARY_MODES)[number];

export interface RunArgs {
  script: string;
  env: Record<string, string>;
  overrides: OptionOverrides;
  summaryMode: SummaryMode;
  seed: number;
  /** `--out json=<file>`: where k6's JSON lines go. */
  jsonOut: string | null;
  quiet: boolean;
}

export type ParseResult = { ok: true; args: RunArgs } | { ok: false; error: string };

export const USAGE = `Usage: npm run k6 -- run <script.js> [flags]

Runs a k6 script offline, in virtual time, against the built-in targets.

Flags:
  -e, --env KEY=VALUE       add an environment variable (__ENV.KEY); repeatable
  -u, --vus N               number of VUs (overrides the script)
  -d, --duration D          test duration, e.g. 30s or 2m (replaces the script's scenarios)
  -i, --iterations N        total iterations (replaces the script's scenarios)
      --summary-mode MODE   compact (default), full, legacy (before k6 v1.0) or disabled
      --seed N              seed of the simulated targets and of Math.random (default 1)
  -o, --out json=FILE       write every metric sample as k6's JSON output
  -q, --quiet               no header or progress lines`;

const VALUE_FLAGS = new Map([
  ['-e', 'env'],
  ['--env', 'env'],
  ['-u', 'vus'],
  ['--vus', 'vus'],
  ['-d', 'duration'],
  ['--duration', 'duration'],
  ['-i', 'iterations'],
  ['--iterations', 'iterations'],
  ['--summary-mode', 'summary-mode'],
  ['--seed', 'seed'],
  ['-o', 'out'],
  ['--out', 'out'],
]);

function wholeNumber(flag: string, text: string): number | string {
  if (!/^\d+$/.test(text)) return `${flag} needs a whole number, got '${text}'`;
  return Number(text);
}

/** Reads `run <script> [flags]`; flags may come before or after the script, as `--flag value` or `--flag=value`. */
export function parseRunArgs(argv: readonly string[]): ParseResult {
  const [command, ...rest] = argv;
  if (command !== 'run') return { ok: false, error: command === undefined ? 'no command given' : `unknown command '${command}'` };
  const args: RunArgs = { script: '', env: {}, overrides: {}, summaryMode: 'compact', seed: 1, jsonOut: null, quiet: false };
  for (let i = 0; i < rest.length; i++) {
    let flag = rest[i] ?? '';
    if (flag === '-q' || flag === '--quiet') {
      args.quiet = true;
      continue;
    }
    if (!flag.startsWith('-')) {
      if (args.script !== '') return { ok: false, error: `only one script can be run, got '${args.script}' and '${flag}'` };
      args.script = flag;
      continue;
    }
    let value: string | undefined;
    const equals = flag.indexOf('=');
    if (flag.startsWith('--') && equals > 0) {
      value = flag.slice(equals + 1);
      flag = flag.slice(0, equals);
    }
    const name = VALUE_FLAGS.get(flag);
    if (name === undefined) return { ok: false, error: `unknown flag: ${flag}` };
    if (value === undefined) {
      value = rest[i + 1];
      i++;
    }
    if (value === undefined) return { ok: false, error: `flag needs an argument: ${flag}` };
    switch (name) {
      case 'env': {
        const cut = value.indexOf('=');
        if (cut <= 0) return { ok: false, error: `${flag} needs KEY=VALUE, got '${value}'` };
        args.env[value.slice(0, cut)] = value.slice(cut + 1);
        break;
      }
      case 'vus':
      case 'iterations':
      case 'seed': {
        const number = wholeNumber(flag, value);
        if (typeof number === 'string') return { ok: false, error: number };
        if (name === 'seed') args.seed = number;
        else args.overrides[name] = number;
        break;
      }
      case 'duration':
        args.overrides.duration = value;
        break;
      case 'summary-mode':
        if (!(SUMMARY_MODES as readonly string[]).includes(value))
          return { ok: false, error: `--summary-mode must be one of ${SUMMARY_MODES.join(', ')}, got '${value}'` };
        args.summaryMode = value as SummaryMode;
        break;
      case 'out': {
        if (!value.startsWith('json=') || value.length === 5)
          return { ok: false, error: `only --out json=<file> is supported, got '${value}'` };
        args.jsonOut = value.slice(5);
        break;
      }
    }
  }
  if (args.script === '') return { ok: false, error: 'run needs a script file' };
  return { ok: true, args };
}

export interface CliIo {
  readFile(path: string): string;
  /** Bytes of a file next to the script, for open(); null when it does not exist. */
  readBytes(path: string): Uint8Array | null;
  writeFile(path: string, text: string): void;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Wall-clock ms since the epoch, for the JSON output's timestamps. */
  now(): number;
}

export interface CliTarget {
  /** Served at the host of `baseUrl`, which is also __ENV.BASE_URL unless -e sets it. */
  service: Service;
  baseUrl: string;
  /** The other built-in targets, by host name. */
  targets?: readonly Target[];
}

/** Runs the command and returns k6's exit code. */
export async function runK6Cli(argv: readonly string[], io: CliIo, target: CliTarget): Promise<number> {
  const parsed = parseRunArgs(argv);
  if (!parsed.ok) {
    io.stderr(`error: ${parsed.error}\n\n${USAGE}\n`);
    return USAGE_EXIT_CODE;
  }
  const { args } = parsed;
  let script: string;
  try {
    script = io.readFile(args.script);
  } catch {
    io.stderr(`error: the script '${args.script}' could not be read\n`);
    return EXIT_CODES.scriptException;
  }
  const json = args.jsonOut === null ? null : new JsonOutput(io.now());
  const result = await runLoadTest({
    script,
    service: target.service,
    seed: args.seed,
    baseUrl: target.baseUrl,
    env: args.env,
    serviceModel: 2,
    ...(target.targets ? { targets: target.targets } : {}),
    optionOverrides: args.overrides,
    limits: { deadlineMs: 600_000 },
    ...(json ? { onSample: (sample) => json.add(sample) } : {}),
    openFile: (file) => io.readBytes(resolveBeside(args.script, file)),
  });
  if (!args.quiet) io.stdout(header(args, result));
  for (const line of result.console) io.stderr(`${line}\n`);
  if (result.consoleTruncated > 0) io.stderr(`(${result.consoleTruncated} more console lines were dropped)\n`);
  if (json && args.jsonOut !== null) io.writeFile(args.jsonOut, json.text());
  if (result.error && result.error.kind !== 'aborted' && result.error.kind !== 'stopped') {
    io.stderr(`error: ${result.error.message}\n`);
    return result.exitCode;
  }
  if (!args.quiet) io.stdout(progressLine(result));
  const outputs = result.summaryOutputs;
  if (outputs !== null) {
    // handleSummary() decides what is printed and written, as in k6.
    for (const [key, text] of Object.entries(outputs)) {
      if (key === 'stdout') io.stdout(text);
      else if (key === 'stderr') io.stderr(text);
      else io.writeFile(key, text);
    }
  } else if (args.summaryMode === 'legacy') io.stdout(result.summaryText);
  else if (args.summaryMode !== 'disabled' && result.summary) io.stdout(compactSummary(result.summary, args.summaryMode));
  if (result.error) io.stderr(`error: ${result.error.message}\n`);
  const crossed = result.thresholds.metrics.filter((m) => !m.ok).map((m) => m.metric);
  if (crossed.length > 0) io.stderr(`error: thresholds on metrics '${[...new Set(crossed)].join(', ')}' have been crossed\n`);
  return result.exitCode;
}

/** k6 resolves open() paths against the script's folder. */
function resolveBeside(script: string, file: string): string {
  if (file.startsWith('/')) return file;
  const cut = script.lastIndexOf('/');
  const folder = cut < 0 ? '.' : script.slice(0, cut);
  return `${folder}/${file.replace(/^\.\//, '')}`;
}

function header(args: RunArgs, result: LoadTestResult): string {
  const output = args.jsonOut === null ? '-' : `json (${args.jsonOut})`;
  const lines = [
    '',
    '  execution: local (virtual time, built-in targets)',
    `     script: ${args.script}`,
    `     output: ${output}`,
    `       seed: ${args.seed}`,
  ];
  if (result.scenarios.length > 0) {
    lines.push(`  scenarios: ${result.scenarios.length} scenario${result.scenarios.length === 1 ? '' : 's'}`);
    for (const scenario of result.scenarios) lines.push(`           * ${scenario.name}: ${scenario.executor}`);
  }
  return `${lines.join('\n')}\n\n`;
}

function progressLine(result: LoadTestResult): string {
  const seconds = result.virtualDurationMs / 1000;
  const minutes = Math.floor(seconds / 60);
  const rest = (seconds - minutes * 60).toFixed(1).padStart(4, '0');
  return `running (${minutes}m${rest}s), ${result.iterations} complete and ${result.interruptedIterations} interrupted iterations\n`;
}
