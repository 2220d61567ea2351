// A real Prometheus (Debian's package, 2.42) on generated data, for the differential test and
// bench:promql: series written as OpenMetrics text, backfilled with `promtool tsdb
// create-blocks-from openmetrics`, served by `prometheus` on a loopback port with no scrape targets.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const PROMETHEUS_INSTALL_HINT =
  "Prometheus was not found. Install Debian's package with `sudo apt-get install prometheus` (it gives /usr/bin/prometheus and /usr/bin/promtool), or set PROMETHEUS_PATH and PROMTOOL_PATH.";

export function prometheusPaths(): { prometheus: string; promtool: string } {
  const prometheus = process.env['PROMETHEUS_PATH'] ?? '/usr/bin/prometheus';
  const promtool = process.env['PROMTOOL_PATH'] ?? '/usr/bin/promtool';
  if (!existsSync(prometheus) || !existsSync(promtool)) throw new Error(PROMETHEUS_INSTALL_HINT);
  return { prometheus, promtool };
}

import type { GeneratedSeries } from './prometheus-telemetry.ts';

export { type GeneratedSeries, generateTelemetry, type TelemetryOptions } from './prometheus-telemetry.ts';

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}

/** The series as OpenMetrics text (no metadata: every family is `unknown`), ending with `# EOF`. */
export function toOpenMetrics(series: GeneratedSeries[]): string {
  const out: string[] = [];
  for (const s of series) {
    const name = s.labels['__name__'] ?? '';
    const rest = Object.keys(s.labels)
      .filter((k) => k !== '__name__')
      .sort()
      .map((k) => `${k}="${escapeLabelValue(s.labels[k] ?? '')}"`)
      .join(',');
    const head = rest ? `${name}{${rest}}` : name;
    for (let i = 0; i < s.t.length; i += 1) {
      out.push(`${head} ${formatValue(s.v[i] as number)} ${((s.t[i] as number) / 1000).toFixed(3)}`);
    }
  }
  out.push('# EOF', '');
  return out.join('\n');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningPrometheus {
  url: string;
  /** GET /api/v1/<path>?<params>; returns the parsed JSON body (status "success" or "error"). */
  api(pathname: string, params: Record<string, string>): Promise<PrometheusResponse>;
  stop(): Promise<void>;
  output(): string;
}

export interface PrometheusResponse {
  status: 'success' | 'error';
  data?: {
    resultType: 'vector' | 'matrix' | 'scalar' | 'string';
    result: unknown;
    stats?: { timings?: Record<string, number>; samples?: Record<string, unknown> };
  };
  errorType?: string;
  error?: string;
}

/** Backfills the series into a fresh TSDB directory and starts Prometheus on it (bounded waits). */
export async function startPrometheus(series: GeneratedSeries[], options: { maxSamples?: number } = {}): Promise<RunningPrometheus> {
  const { prometheus, promtool } = prometheusPaths();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'headroom-prometheus-'));
  const data = path.join(dir, 'data');
  const input = path.join(dir, 'series.om');
  writeFileSync(input, toOpenMetrics(series));
  await run(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', input, data], { timeout: 120_000, maxBuffer: 1 << 24 });
  rmSync(input);
  // No scrape targets and no rules: the server only answers queries on the backfilled blocks. The
  // evaluation interval is the default step of subqueries without one: 1m, as our engine's.
  const config = path.join(dir, 'prometheus.yml');
  writeFileSync(config, 'global:\n  scrape_interval: 1m\n  evaluation_interval: 1m\nscrape_configs: []\n');
  const port = await freePort();
  const child: ChildProcess = spawn(
    prometheus,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${data}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // The blocks are old (fixed dates): keep them, whatever today's date is.
      '--storage.tsdb.retention.time=100y',
      `--query.max-samples=${options.maxSamples ?? 50_000_000}`,
      '--query.timeout=60s',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // Never leave the server behind if this process ends without calling stop().
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let output = '';
  child.stdout?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((done) => child.once('exit', () => done()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`prometheus exited with ${child.exitCode}:\n${output}`);
    }
    try {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus was not ready in 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    output: () => output,
    stop,
    async api(pathname, params) {
      const res = await fetch(`${url}/api/v1/${pathname}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(70_000),
      });
      return (await res.json()) as PrometheusResponse;
    },
  };
}

/** Prometheus's sample value strings ("NaN", "+Inf", "1.5") as numbers. */
export function parsePrometheusValue(text: string): number {
  if (text === 'NaN') return Number.NaN;
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}
