// The SLO rule file is what the SLO definitions give, Prometheus's own tool accepts it, and its
// unit tests (ops/prometheus/tests/) pass. Needs promtool (Debian package `prometheus`).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSloRules, RULES_FILE } from '../../src/features/health/slo-rules.ts';
import { SLI_WINDOWS, SLOS } from '../../src/features/health/slos.ts';

const root = path.resolve(import.meta.dirname, '../..');
const PROMTOOL = process.env['PROMTOOL'] ?? 'promtool';

function promtool(...args: string[]): { status: number | null; output: string } {
  const result = spawnSync(PROMTOOL, args, { cwd: root, encoding: 'utf8', timeout: 60_000 });
  if (result.error) throw new Error(`cannot run ${PROMTOOL} (apt-get install prometheus): ${result.error.message}`);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('Prometheus rules for the SLOs', () => {
  it('are committed exactly as scripts/slo-rules.ts generates them', () => {
    expect(readFileSync(path.join(root, RULES_FILE), 'utf8')).toBe(buildSloRules());
    expect(() => execFileSync(process.execPath, ['scripts/slo-rules.ts', '--check'], { cwd: root, stdio: 'pipe' })).not.toThrow();
  });

  it('pass promtool check rules with every recording rule and alert', () => {
    const { status, output } = promtool('check', 'rules', RULES_FILE);
    expect(output).toContain('SUCCESS');
    // An objective and one error ratio per window (plus 30 days) per SLO, and two alerts per SLO.
    expect(output).toContain(`${SLOS.length * (SLI_WINDOWS.length + 2) + SLOS.length * 2} rules found`);
    expect(status).toBe(0);
  });

  it('pass their promtool unit tests', () => {
    const { status, output } = promtool('test', 'rules', 'ops/prometheus/tests/headroom-slos.test.yml');
    expect(output).toContain('SUCCESS');
    expect(output).not.toContain('FAILED');
    expect(status).toBe(0);
  });

  it('come with an example Prometheus configuration that promtool accepts', () => {
    // Installed as /etc/prometheus/… beside the rules and the token file it names.
    const dir = mkdtempSync(path.join(tmpdir(), 'headroom-promconfig-'));
    try {
      cpSync(path.join(root, 'ops/prometheus/prometheus.example.yml'), path.join(dir, 'prometheus.yml'));
      cpSync(path.join(root, 'ops/prometheus/rules'), path.join(dir, 'rules'), { recursive: true });
      writeFileSync(path.join(dir, 'headroom-metrics-token'), 'a-token-of-sixteen-characters', { mode: 0o600 });
      const { status, output } = promtool('check', 'config', path.join(dir, 'prometheus.yml'));
      expect(output).toContain('SUCCESS');
      expect(status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
