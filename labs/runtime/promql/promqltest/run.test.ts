import { describe, expect, it } from 'vitest';
import { almostEqual, runPromqlTest } from './run.ts';

const DATA = `load 1m
  up{job="a"} 1+1x10
  up{job="b"} 5x10
`;

describe('runPromqlTest', () => {
  it('passes a case whose expectation matches, instant and range', () => {
    const r = runPromqlTest(`${DATA}
eval instant at 2m up
  up{job="a"} 3
  up{job="b"} 5

eval range from 0 to 2m step 1m up{job="a"}
  up{job="a"} 1 2 3

eval instant at 0 scalar(up{job="b"})
  5`);
    expect(r.cases.map((c) => c.status)).toEqual(['passed', 'passed', 'passed']);
    expect(r).toMatchObject({ passed: 3, failed: 0, skipped: 0 });
  });

  it('fails a wrong value with the line, the query and expected vs got', () => {
    const r = runPromqlTest(`${DATA}
eval instant at 2m up{job="a"}
  up{job="a"} 4`);
    expect(r.failed).toBe(1);
    expect(r.cases[0]).toMatchObject({ line: 5, query: 'up{job="a"}', status: 'failed' });
    expect(r.cases[0]?.message).toMatch(/expected 4 for up\{job="a"\} but got 3/);
  });

  it('fails on a missing or an extra series and on a wrong label set', () => {
    const missing = runPromqlTest(`${DATA}\neval instant at 2m up\n  up{job="a"} 3`);
    expect(missing.cases[0]?.message).toMatch(/unexpected metric up\{job="b"\}/);
    const extra = runPromqlTest(`${DATA}\neval instant at 2m up{job="a"}\n  up{job="a"} 3\n  up{job="c"} 1`);
    expect(extra.cases[0]?.message).toMatch(/expected metric up\{job="c"\} not found/);
  });

  it('checks the order of eval_ordered and the points of a range', () => {
    const ordered = runPromqlTest(`${DATA}\neval_ordered instant at 2m sort_desc(up)\n  up{job="a"} 3\n  up{job="b"} 5`);
    expect(ordered.cases[0]?.message).toMatch(/position/);
    const range = runPromqlTest(`${DATA}\neval range from 0 to 2m step 1m up{job="a"}\n  up{job="a"} 1 _ 3`);
    expect(range.cases[0]?.status).toBe('failed');
  });

  it('passes eval_fail only when the query fails with the expected message', () => {
    const r = runPromqlTest(`${DATA}
eval_fail instant at 0 1 < 2
  expected_fail_regexp BOOL

eval_fail instant at 0 up
  expected_fail_regexp .*

eval_fail instant at 0 rate(up)
  expected_fail_message something else entirely`);
    expect(r.cases.map((c) => c.status)).toEqual(['passed', 'failed', 'failed']);
  });

  it('counts cases on native-histogram data as skipped and failures of a bad file as failed', () => {
    const r = runPromqlTest(`load 1m\n  h {{schema:0 sum:1 count:1}}\n\neval instant at 0 h\n  {} 1`);
    expect(r).toMatchObject({ passed: 0, failed: 0, skipped: 1 });
    expect(runPromqlTest('frobnicate')).toMatchObject({ failed: 1 });
  });

  it('skips a case expecting a series loaded as a native histogram, not one on float series with the same labels', () => {
    const r = runPromqlTest(`load 1m
  floats{path="/a"} 1+1x3
  hist{path="/b"} {{schema:0 sum:1 count:1}}x3
  hist2{path="/a"} {{schema:0 sum:1 count:1}}x3

eval instant at 2m count_over_time({__name__=~"floats|hist"}[5m])
  {path="/a"} 3
  {path="/b"} 3

eval instant at 2m count_over_time(floats[5m])
  {path="/a"} 3`);
    expect(r.cases.map((c) => c.status)).toEqual(['skipped', 'passed']);
  });

  it('clear empties the storage', () => {
    const r = runPromqlTest(`${DATA}\nclear\n\neval instant at 2m up`);
    expect(r.cases[0]?.status).toBe('passed');
  });
});

describe('almostEqual', () => {
  it('uses a relative error, equates NaNs and compares zero exactly', () => {
    expect(almostEqual(1, 1 + 1e-9)).toBe(true);
    expect(almostEqual(1, 1.001)).toBe(false);
    expect(almostEqual(Number.NaN, Number.NaN)).toBe(true);
    expect(almostEqual(0, 1e-12)).toBe(false);
    expect(almostEqual(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY)).toBe(true);
  });
});
