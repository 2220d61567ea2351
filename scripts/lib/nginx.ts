// nginx (Debian package) as the fleet's load balancer, for `npm run fleet` and the fleet test: the
// committed site file (ops/nginx/headroom.conf) with the listen address and upstream servers
// replaced, inside a minimal nginx.conf whose pid, logs and temp files live in a folder of ours.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
export const SITE_FILE = path.join(root, 'ops/nginx/headroom.conf');
const NGINX = process.env['NGINX_BIN'] ?? 'nginx';

/** The site file with `listen` and the upstream's `server` lines replaced. */
export function siteFor(listen: string, upstreams: string[], site = readFileSync(SITE_FILE, 'utf8')): string {
  const servers = upstreams.map((u) => `    server ${u} max_fails=1 fail_timeout=2s;`).join('\n');
  const replaced = site
    .replace(/^ {4}listen [^;]+;$/m, `    listen ${listen};`)
    .replace(/(upstream headroom \{\n(?:\s*#.*\n)*)(?:\s*server [^\n]+\n)+/, `$1${servers}\n`);
  if (!replaced.includes(`listen ${listen};`) || !replaced.includes(servers))
    throw new Error(`${SITE_FILE} no longer has the listen and upstream lines this expects`);
  return replaced;
}

/** A whole nginx.conf around `site`, every path under `prefix`. */
export function mainConfig(prefix: string, site: string): string {
  const p = (name: string) => path.join(prefix, name);
  return `pid ${p('nginx.pid')};
error_log ${p('error.log')} warn;
worker_processes 1;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path ${p('client_body')};
    proxy_temp_path ${p('proxy')};
    fastcgi_temp_path ${p('fastcgi')};
    uwsgi_temp_path ${p('uwsgi')};
    scgi_temp_path ${p('scgi')};
${site}
}
`;
}

export function checkNginxConfig(file: string, prefix: string): { ok: boolean; output: string } {
  const result = spawnSync(NGINX, ['-t', '-p', prefix, '-c', file], { encoding: 'utf8' });
  if (result.error) throw new Error(`cannot run ${NGINX} (apt-get install nginx): ${result.error.message}`);
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

export interface RunningNginx {
  url: string;
  /** Points the upstream at other instances (nginx -s reload). */
  reload(upstreams: string[]): void;
  stop(): Promise<void>;
}

export async function startNginx(port: number, upstreams: string[]): Promise<RunningNginx> {
  const prefix = mkdtempSync(path.join(tmpdir(), 'headroom-nginx-'));
  mkdirSync(path.join(prefix, 'logs'));
  const file = path.join(prefix, 'nginx.conf');
  const write = (list: string[]) => {
    writeFileSync(file, mainConfig(prefix, siteFor(`127.0.0.1:${port}`, list)));
    const check = checkNginxConfig(file, prefix);
    if (!check.ok) throw new Error(`nginx -t failed:\n${check.output}`);
  };
  write(upstreams);
  const child: ChildProcess = spawn(NGINX, ['-p', prefix, '-c', file, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}: ${log}`);
    try {
      await fetch(`${url}/metrics`);
      break;
    } catch {}
    if (Date.now() > until) throw new Error(`nginx did not listen on ${port} within 10 s: ${log}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    reload(list) {
      write(list);
      const result = spawnSync(NGINX, ['-p', prefix, '-c', file, '-s', 'reload'], { encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`nginx reload failed: ${result.stderr}`);
    },
    stop: () =>
      new Promise<void>((done) => {
        const finish = () => {
          rmSync(prefix, { recursive: true, force: true });
          done();
        };
        if (child.exitCode !== null || child.signalCode !== null) return finish();
        child.once('exit', finish);
        child.kill('SIGQUIT');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}
