// A real Prometheus (Debian package `prometheus`) for tests: a generated configuration scraping
// the given targets every second with the bearer token, our SLO rules loaded, on a free loopback
// port, its data in a temporary folder that is removed afterwards.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { RULES_FILE } from '../../src/features/health/slo-rules.ts';

const root = path.resolve(import.meta.dirname, '../..');
const PROMETHEUS = process.env['PROMETHEUS_BIN'] ?? 'prometheus';
const PROMTOOL = process.env['PROMTOOL'] ?? 'promtool';

export interface RunningPrometheus {
  url: string;
  /** An instant query's vector result. */
  query(expr: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]>;
  stop(): Promise<void>;
}

/** A port that was free a moment ago (the OS picks it; we release it for the child to take). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export async function startPrometheus(options: { targets: string[]; token?: string }): Promise<RunningPrometheus> {
  const dir = mkdtempSync(path.join(tmpdir(), 'headroom-prometheus-'));
  const scrape: Record<string, unknown> = {
    job_name: 'headroom',
    scrape_interval: '1s',
    static_configs: [{ targets: options.targets }],
  };
  if (options.token) {
    writeFileSync(path.join(dir, 'token'), options.token, { mode: 0o600 });
    scrape['authorization'] = { credentials_file: path.join(dir, 'token') };
  }
  const config = path.join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    stringify({
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: [path.join(root, RULES_FILE)],
      scrape_configs: [scrape],
    }),
  );
  const check = spawnSync(PROMTOOL, ['check', 'config', config], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`promtool check config failed:\n${check.stdout}${check.stderr}`);

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    PROMETHEUS,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-4000)));
  const stop = () =>
    new Promise<void>((done) => {
      const finish = () => {
        rmSync(dir, { recursive: true, force: true });
        done();
      };
      if (child.exitCode !== null || child.signalCode !== null) return finish();
      const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(kill);
        finish();
      });
      child.kill('SIGTERM');
    });

  const readyBy = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}:\n${log}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) break;
    } catch {}
    if (Date.now() > readyBy) {
      await stop();
      throw new Error(`prometheus was not ready in 30 s:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    async query(expr) {
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`);
      const body = (await response.json()) as { status: string; error?: string; data?: { resultType: string; result: unknown } };
      if (body.status !== 'success') throw new Error(`query ${expr} failed: ${body.error}`);
      if (body.data?.resultType !== 'vector') throw new Error(`query ${expr} gave a ${body.data?.resultType}, not a vector`);
      return body.data.result as { metric: Record<string, string>; value: [number, string] }[];
    },
    stop,
  };
}
