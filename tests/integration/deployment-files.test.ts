// The deployment files are checked, not just written: the nginx site passes `nginx -t` (as
// committed and as the fleet runs it), and the systemd unit passes `systemd-analyze verify`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkNginxConfig, mainConfig, SITE_FILE, siteFor } from '../../scripts/lib/nginx.ts';

const root = path.resolve(import.meta.dirname, '../..');
const scratch = mkdtempSync(path.join(tmpdir(), 'headroom-deploy-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function nginxCheck(name: string, site: string): { ok: boolean; output: string } {
  const prefix = path.join(scratch, name);
  mkdirSync(path.join(prefix, 'logs'), { recursive: true });
  const file = path.join(prefix, 'nginx.conf');
  writeFileSync(file, mainConfig(prefix, site));
  return checkNginxConfig(file, prefix);
}

describe('nginx site file', () => {
  const site = readFileSync(SITE_FILE, 'utf8');

  it('passes nginx -t as committed', () => {
    const { ok, output } = nginxCheck('committed', site);
    expect(output).toContain('test is successful');
    expect(ok).toBe(true);
  });

  it('passes nginx -t with the ports and address the fleet gives it', () => {
    const fleet = siteFor('127.0.0.1:18080', ['127.0.0.1:18081', '127.0.0.1:18082']);
    expect(fleet).toContain('listen 127.0.0.1:18080;');
    expect(fleet).not.toContain('127.0.0.1:4321');
    expect(nginxCheck('fleet', fleet).ok).toBe(true);
  });

  it('fails nginx -t when the site is broken (the check can fail)', () => {
    const { ok, output } = nginxCheck('broken', site.replace('proxy_next_upstream_tries 3;', 'proxy_next_upstream_tries;'));
    expect(ok).toBe(false);
    expect(output).toMatch(/invalid number of arguments/);
  });

  it('keeps /metrics off the load balancer and forwards the client address', () => {
    expect(site).toMatch(/location = \/metrics \{\s*return 404;\s*\}/);
    expect(site).toContain('proxy_set_header X-Forwarded-For $remote_addr;');
  });
});

describe('systemd unit', () => {
  it('passes systemd-analyze verify, with only the install path of node replaced', () => {
    const unit = readFileSync(path.join(root, 'ops/systemd/headroom@.service'), 'utf8');
    expect(unit).toContain('ExecStart=/srv/headroom/node_modules/.bin/node scripts/serve.ts');
    const file = path.join(scratch, 'headroom@4321.service');
    writeFileSync(file, unit.replace('/srv/headroom/node_modules/.bin/node', process.execPath));
    const result = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
    expect(result.error).toBeUndefined();
    // verify only warns about many mistakes (an unknown signal, a misspelt key): any output fails.
    expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
    expect(result.status).toBe(0);
  });

  it('waits longer for a stop than the app drains', () => {
    const unit = readFileSync(path.join(root, 'ops/systemd/headroom@.service'), 'utf8');
    const stopSeconds = Number(/^TimeoutStopSec=(\d+)$/m.exec(unit)?.[1]);
    expect(stopSeconds).toBeGreaterThan(30);
    expect(unit).toMatch(/^KillSignal=SIGTERM$/m);
  });
});
