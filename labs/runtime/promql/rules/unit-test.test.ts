import { describe, expect, it } from 'vitest';
import { runRuleTests } from './unit-test.ts';

const RULES = {
  'alerts.yml': `groups:
  - name: example
    rules:
      - alert: InstanceDown
        expr: up == 0
        for: 2m
        labels:
          severity: page
        annotations:
          summary: 'Instance {{ $labels.instance }} down'
      - record: job:up:sum
        expr: sum by (job) (up)
`,
};

const series = `    input_series:
      - series: 'up{job="node", instance="a"}'
        values: '1 1 0 0 0 0'
      - series: 'up{job="node", instance="b"}'
        values: '1+0x5'
`;

function testFile(body: string, name = 'g1'): string {
  return `rule_files: [alerts.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    name: ${name}
${series}${body}`;
}

describe('promtool test rules', () => {
  it('passes when the firing alerts and samples are as expected', () => {
    const report = runRuleTests(
      RULES,
      testFile(`    alert_rule_test:
      - eval_time: 3m
        alertname: InstanceDown
      - eval_time: 4m30s
        alertname: InstanceDown
        exp_alerts:
          - exp_labels: {severity: page, instance: a, job: node}
            exp_annotations: {summary: 'Instance a down'}
    promql_expr_test:
      - expr: job:up:sum
        eval_time: 5m
        exp_samples:
          - labels: 'job:up:sum{job="node"}'
            value: 1
`),
      { fileName: 'test.yml' },
    );
    expect(report).toMatchObject({ ok: true, output: 'Unit Testing:  test.yml\n  SUCCESS\n\n', errors: [] });
    expect(report.groups).toEqual([
      { name: 'g1', ok: true, failures: [], failedAlerts: [], failedExpressions: [], alertCases: 2, exprCases: 1 },
    ]);
  });

  it('prints promtool-style failures for a pending alert expected to fire and a wrong sample', () => {
    const report = runRuleTests(
      RULES,
      testFile(`    alert_rule_test:
      - eval_time: 3m
        alertname: InstanceDown
        exp_alerts:
          - exp_labels: {severity: page, instance: a, job: node}
    promql_expr_test:
      - expr: job:up:sum
        eval_time: 5m
        exp_samples:
          - labels: 'job:up:sum{job="node"}'
            value: 2
`),
      { fileName: 'test.yml' },
    );
    expect(report.ok).toBe(false);
    expect(report.groups[0]).toMatchObject({ ok: false, failedAlerts: ['InstanceDown'], failedExpressions: ['job:up:sum'] });
    expect(report.output).toBe(
      `Unit Testing:  test.yml
  FAILED:
    name: g1,
    alertname: InstanceDown, time: 3m, 
        exp:[
            0:
              Labels:{alertname="InstanceDown", instance="a", job="node", severity="page"}
              Annotations:{}
            ], 
        got:[]

    name: g1,
    expr: "job:up:sum", time: 5m,
        exp: {__name__="job:up:sum", job="node"} 2E+00
        got: {__name__="job:up:sum", job="node"} 1E+00


`.replace('    name: g1,\n    expr', '    expr'),
    );
  });

  it('stops a test group at the first evaluation error, with the rule and time', () => {
    const report = runRuleTests(
      { 'bad.yml': 'groups:\n  - name: g\n    rules:\n      - record: r\n        expr: up + on() up\n' },
      `rule_files: [bad.yml]
tests:
  - interval: 1m
${series}    promql_expr_test:
      - expr: up
        eval_time: 1m
`,
    );
    expect(report.ok).toBe(false);
    expect(report.groups[0]?.failures).toEqual([expect.stringMatching(/^ {4}rule: r, time: 0s, err: .*many-to-many matching not allowed/)]);
  });

  it('warns about a rule file it was not given and reports rule file errors with the file name', () => {
    const missing = runRuleTests({}, 'rule_files: [nope.yml]\ntests: []\n');
    expect(missing.output).toBe('Unit Testing:  tests.yml\n  WARNING: no file match pattern nope.yml\n  SUCCESS\n\n');
    const broken = runRuleTests(
      { 'r.yml': 'groups:\n  - name: g\n    rules:\n      - record: "a b"\n        expr: up\n' },
      'rule_files: [r.yml]\n',
    );
    expect(broken.ok).toBe(false);
    expect(broken.output).toContain('r.yml: 4:17: group "g", rule 1, "a b": invalid recording rule name: a b');
  });

  it('rejects a malformed test file with the field and line', () => {
    const report = runRuleTests(RULES, 'rule_files: [alerts.yml]\ntests:\n  - interval: 1m\n    input_seriess: []\n');
    expect(report.ok).toBe(false);
    expect(report.errors[0]).toMatchObject({ message: 'field input_seriess not found in tests[0]', line: 4 });
    const order = runRuleTests(RULES, 'rule_files: [alerts.yml]\ngroup_eval_order: [a, a]\n');
    expect(order.output).toContain('group name repeated in evaluation order: a');
    const values = runRuleTests(RULES, testFile('').replace("'1+0x5'", "'1+0x5 banana'"));
    expect(values.groups[0]?.failures[0]).toMatch(/unexpected "banana"/);
    const histogram = runRuleTests(RULES, testFile('').replace("'1+0x5'", "'{{schema:0 sum:1 count:1}}'"));
    expect(histogram.groups[0]?.failures[0]).toMatch(/native histograms are out of scope/);
  });

  it('requires alertname in an alert test, as promtool does', () => {
    const report = runRuleTests(RULES, testFile('    alert_rule_test:\n      - eval_time: 1m\n'));
    expect(report.groups[0]?.failures).toEqual([
      'an item under alert_rule_test misses required attribute alertname at eval_time 1m (in TestGroup g1)',
    ]);
  });

  it('refuses an eval_time that would need too many evaluations instead of hanging', () => {
    const report = runRuleTests(RULES, testFile('    promql_expr_test:\n      - expr: up\n        eval_time: 10y\n'), {
      maxEvaluations: 1000,
    });
    expect(report.groups[0]?.failures[0]).toMatch(/needs more than 1000 evaluations/);
  });
});
