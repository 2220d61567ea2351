import { describe, expect, it } from 'vitest';
import { checkRulesReport, parseRuleFile } from './rule-file.ts';

const GOOD = `groups:
  - name: slo
    interval: 30s
    limit: 10
    rules:
      - record: job:errors:ratio_rate5m
        expr: sum by (job) (rate(errors_total[5m])) / sum by (job) (rate(requests_total[5m]))
        labels: {team: web}
      - alert: HighErrorRatio
        expr: job:errors:ratio_rate5m > 0.01
        for: 5m
        keep_firing_for: 10m
        labels:
          severity: page
        annotations:
          summary: '{{ $labels.job }}: {{ humanizePercentage $value }}'
`;

describe('rule files', () => {
  it('parses groups and rules with durations in milliseconds', () => {
    const r = parseRuleFile(GOOD);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.ruleCount).toBe(2);
    expect(r.value.groups[0]).toMatchObject({ name: 'slo', intervalMs: 30_000, limit: 10, line: 2 });
    expect(r.value.groups[0]?.rules).toEqual([
      {
        kind: 'record',
        name: 'job:errors:ratio_rate5m',
        expr: 'sum by (job) (rate(errors_total[5m])) / sum by (job) (rate(requests_total[5m]))',
        labels: { team: 'web' },
        line: 6,
      },
      {
        kind: 'alert',
        name: 'HighErrorRatio',
        expr: 'job:errors:ratio_rate5m > 0.01',
        forMs: 300_000,
        keepFiringForMs: 600_000,
        labels: { severity: 'page' },
        annotations: { summary: '{{ $labels.job }}: {{ humanizePercentage $value }}' },
        line: 9,
      },
    ]);
  });

  it('accepts an empty file as no groups, as promtool does', () => {
    expect(parseRuleFile('')).toEqual({ ok: true, value: { groups: [] }, ruleCount: 0 });
  });

  it('reports every problem with promtool wording and the line of the offending value', () => {
    const r = parseRuleFile(`groups:
  - name: g
    rules:
      - record: job errors
        expr: sum(x
        for: 1m
      - alert: A
        record: b
        expr: up
  - name: g
    rules:
      - alert: C
        expr: up[5m]
        labels: {__name__: x}
        annotations: {s: '{{ .Nope '}
`);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => `${e.line}:${e.column}: ${e.message}`)).toEqual([
      expect.stringMatching(/^5:15: group "g", rule 1, "job errors": could not parse expression: 1:\d+: parse error: /),
      `4:17: group "g", rule 1, "job errors": invalid field 'for' in recording rule`,
      '4:17: group "g", rule 1, "job errors": invalid recording rule name: job errors',
      `8:17: group "g", rule 2, "A": only one of 'record' and 'alert' must be set`,
      '10:5: groupname: "g" is repeated in the same file',
      expect.stringMatching(/^13:15: group "g", rule 1, "C": expression is a range vector; a rule needs an instant vector/),
      '14:17: group "g", rule 1, "C": invalid label name: __name__',
      '15:26: group "g", rule 1, "C": annotation "s": template: __alert_C:1: unclosed action',
    ]);
  });

  it('names unknown fields and bad durations', () => {
    const unknown = parseRuleFile('groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        severity: page\n');
    expect(!unknown.ok && unknown.errors).toEqual([
      {
        message: 'field severity not found in groups[0].rules[0]',
        path: ['groups', 0, 'rules', 0],
        line: 6,
        column: 9,
        unknownField: 'severity',
      },
    ]);
    const duration = parseRuleFile('groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        for: 5 minutes\n');
    expect(!duration.ok && duration.errors[0]?.message).toBe('groups[0].rules[0].for: not a valid duration string: "5 minutes"');
    const yaml = parseRuleFile('groups:\n  - name: g\n   rules: [\n');
    expect(!yaml.ok && yaml.errors[0]?.message).toMatch(/^yaml: /);
    expect(!yaml.ok && yaml.errors[0]?.line).toBe(3);
  });

  it('prints promtool check rules output', () => {
    expect(checkRulesReport('rules.yml', GOOD)).toEqual({ ok: true, output: 'Checking rules.yml\n  SUCCESS: 2 rules found\n\n' });
    const bad = checkRulesReport('bad.yml', 'groups:\n  - name: ""\n    rules: []\n');
    expect(bad).toEqual({ ok: false, output: 'Checking bad.yml\n  FAILED:\nbad.yml: 2:5: Groupname must not be empty\n\n' });
  });
});
