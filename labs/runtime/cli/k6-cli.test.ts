import { describe, expect, it } from 'vitest';
import { parseRunArgs } from './k6-cli.ts';

describe('parseRunArgs', () => {
  it('reads the script, repeated -e variables and execution overrides in either flag form', () => {
    const parsed = parseRunArgs(['run', '-e', 'A=1', 'script.js', '--env=B=x=y', '--vus', '4', '--duration=30s', '--seed', '9']);
    expect(parsed).toEqual({
      ok: true,
      args: {
        script: 'script.js',
        env: { A: '1', B: 'x=y' },
        overrides: { vus: 4, duration: '30s' },
        summaryMode: 'compact',
        seed: 9,
        jsonOut: null,
        quiet: false,
      },
    });
  });

  it('takes the JSON output file from --out json=<file>', () => {
    const parsed = parseRunArgs(['run', 's.js', '-o', 'json=out/results.json']);
    expect(parsed.ok && parsed.args.jsonOut).toBe('out/results.json');
  });

  it.each([
    [['run'], 'run needs a script file'],
    [['bench', 's.js'], "unknown command 'bench'"],
    [['run', 's.js', '--vus', 'many'], "--vus needs a whole number, got 'many'"],
    [['run', 's.js', '-e', 'NOVALUE'], "-e needs KEY=VALUE, got 'NOVALUE'"],
    [['run', 's.js', '--out', 'csv=x.csv'], "only --out json=<file> is supported, got 'csv=x.csv'"],
    [['run', 's.js', '--summary-mode', 'short'], "--summary-mode must be one of compact, full, legacy, disabled, got 'short'"],
    [['run', 's.js', '--iterations'], 'flag needs an argument: --iterations'],
    [['run', 'a.js', 'b.js'], "only one script can be run, got 'a.js' and 'b.js'"],
  ])('refuses %j with a message saying what is wrong', (argv, message) => {
    const parsed = parseRunArgs(argv);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.error).toContain(message);
  });
});
