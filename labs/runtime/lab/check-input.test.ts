// What a learner submits to a telemetry task, fuzzed: the input check and the task runners answer
// every text with issues or a verdict, never an exception, and only texts that load get no issues.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import lab from '../../slo-prometheus/lab.ts';
import { parseQuery } from '../promql/index.ts';
import { checkTaskInput } from './check-input.ts';
import type { Task } from './definition.ts';
import { runTelemetryTask } from './run-telemetry-task.ts';

function task(id: string): Exclude<Task, { kind: 'k6' }> {
  const found = lab.tasks.find((t) => t.id === id);
  if (!found) throw new Error(`no task ${id}`);
  return found;
}

/** PromQL-ish token soup: real metric names, functions, operators and brackets in any order. */
const promqlSoup = fc
  .array(
    fc.constantFrom(
      'http_requests_total',
      'http_request_duration_seconds_bucket',
      '{job="shop"}',
      '{code=~"5.."}',
      '[5m]',
      '[28d]',
      '[1h:1m]',
      'sum',
      'rate',
      'increase',
      'histogram_quantile',
      'by (le)',
      '(',
      ')',
      '0.99',
      ',',
      '/',
      '+',
      ' or ',
      ' and ',
      'offset 1h',
      '@ end()',
      '"x"',
      'NaN',
      '#',
      '\n',
    ),
    { maxLength: 25 },
  )
  .map((parts) => parts.join(''));

/** YAML-ish fragments for rule, test and SLO files. */
const yamlSoup = fc
  .array(
    fc.constantFrom(
      'groups:',
      '\n  - name: g',
      '\n    rules:',
      '\n      - alert: A',
      '\n        expr: up == 0',
      '\n        for: 5m',
      ': [',
      ']',
      '{',
      '}',
      '&a',
      '*a',
      '\t',
      "'",
      '"',
      'objectives:',
      '\n  - sli: x',
      'indicators:',
      '\n  x: up',
    ),
    { maxLength: 20 },
  )
  .map((parts) => parts.join(''));

describe('checkTaskInput', () => {
  it('returns issues or none for any query text, and none only for a query that parses', () => {
    fc.assert(
      fc.property(promqlSoup, (query) => {
        const issues = checkTaskInput(task('availability-sli'), query, {});
        expect(Array.isArray(issues)).toBe(true);
        for (const issue of issues) expect(issue.message.length).toBeGreaterThan(3);
        if (issues.length === 0) expect(parseQuery(query).ok).toBe(true);
        else if (query.trim() !== '') expect(issues.some((i) => i.path === 'code')).toBe(parseQuery(query).ok === false);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on rule, unit-test, SLO or SLI files, and flags the file that does not load', () => {
    fc.assert(
      fc.property(yamlSoup, yamlSoup, (a, b) => {
        const rules = checkTaskInput(task('burn-rate-alerts'), a, { 'tests.yml': b });
        const gate = checkTaskInput(task('quality-gate'), a, { 'sli.yaml': b });
        for (const issue of [...rules, ...gate]) expect(issue.path).toMatch(/^(code|files\.(tests\.yml|sli\.yaml))$/);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses files a task does not have, and files for a k6 task', () => {
    expect(checkTaskInput(task('availability-sli'), 'up', { other: 'up' })).toEqual([
      { path: 'files.other', message: 'this task has no file "other"' },
    ]);
    const k6 = {
      kind: 'k6',
      id: 'k',
      title: 'k6',
      goal: 'g'.repeat(20),
      starter: 's'.repeat(10),
      hint: 'h'.repeat(10),
      runs: [],
      grade: () => ({ pass: true, message: '' }),
    } as unknown as Task;
    expect(checkTaskInput(k6, 'export default function () {}', { x: 'y' })).toHaveLength(1);
    expect(checkTaskInput(k6, 'export default function () {}', {})).toEqual([]);
  });
});

describe('the telemetry task runners', () => {
  it('grade any query text with a verdict, never an exception', () => {
    fc.assert(
      fc.property(promqlSoup, (query) => {
        const outcome = runTelemetryTask(lab, task('availability-sli'), query, 11, null, { queryTimeoutMs: 2_000 });
        expect(typeof outcome.verdict.message).toBe('string');
        expect(outcome.digest).toMatch(/^[0-9a-f]{64}$/);
      }),
      { numRuns: 60 },
    );
  }, 300_000);
});
