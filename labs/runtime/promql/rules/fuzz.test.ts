// Learners paste anything: every entry point answers with a result, never an exception or a hang.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Tsdb } from '../index.ts';
import { evaluateQualityGate, parseSliFile, parseSloFile } from '../quality-gate/index.ts';
import { evaluateRules } from './evaluate.ts';
import { parseRuleFile } from './rule-file.ts';
import { parseAlertTemplate, TemplateParseError } from './template.ts';
import { runRuleTests } from './unit-test.ts';

/** YAML-ish text: fragments of the real formats glued together at random. */
const FRAGMENTS = [
  'groups:',
  '  - name: g',
  '    rules:',
  '      - alert: A',
  '      - record: r',
  '        expr: up == 0',
  '        expr: sum(rate(x[5m]))',
  '        for: 5m',
  '        keep_firing_for: 1m',
  '        labels: {severity: page}',
  "        annotations: {s: '{{ $value | humanize }}'}",
  "        annotations: {s: '{{ if'}",
  'rule_files: [r.yml]',
  'tests:',
  '  - interval: 1m',
  '    input_series:',
  '      - series: \'up{job="a"}\'',
  "        values: '0 1+1x3 _ stale'",
  '    alert_rule_test:',
  '      - eval_time: 5m',
  '        alertname: A',
  '    promql_expr_test:',
  '      - expr: up',
  '        exp_samples: [{labels: up, value: 1}]',
  'spec_version: "1.0"',
  'objectives:',
  '  - sli: a',
  '    pass: [{criteria: ["<1", "<=+10%"]}]',
  'total_score: {pass: "90%", warning: "75%"}',
  'indicators:',
  '  a: vector(1)',
  '[',
  '{',
  ': :',
  '&a *a',
  '- - -',
  '\t',
];

const yamlish = fc
  .array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 20 })), { maxLength: 25 })
  .map((lines) => lines.join('\n'));

describe('bad input', () => {
  it('parseRuleFile answers ok or errors for any text, and evaluation of what parses never throws', () => {
    fc.assert(
      fc.property(yamlish, (text) => {
        const r = parseRuleFile(text);
        if (!r.ok) {
          expect(r.errors.length).toBeGreaterThan(0);
          return;
        }
        const e = evaluateRules(new Tsdb(), r.value, { start: 0, end: 600_000 });
        expect(typeof e.ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });

  it('runRuleTests reports on any test file and rule file', () => {
    fc.assert(
      fc.property(yamlish, yamlish, (rules, tests) => {
        const report = runRuleTests({ 'r.yml': rules }, tests, { maxEvaluations: 2000 });
        expect(report.output.startsWith('Unit Testing:  tests.yml\n')).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('quality-gate files parse or report errors, and evaluation of what parses never throws', () => {
    fc.assert(
      fc.property(yamlish, yamlish, (slo, sli) => {
        const s = parseSloFile(slo);
        const i = parseSliFile(sli);
        if (s.ok && i.ok) expect(typeof evaluateQualityGate(new Tsdb(), s.value, i.value, { start: 0, end: 60_000 }).ok).toBe('boolean');
      }),
      { numRuns: 200 },
    );
  });

  it('templates either fail to parse with a TemplateParseError or expand to a string', () => {
    const piece = fc.constantFrom(
      '{{',
      '}}',
      '{{-',
      '-}}',
      '$value',
      '$labels.a',
      '.Value',
      '|',
      'humanize',
      'printf',
      '"%d"',
      '(',
      ')',
      'if',
      'else',
      'end',
      'range',
      'with',
      ' ',
      'x',
      '1',
      '2.5',
      '$x :=',
      'eq',
      'not',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const text = pieces.join('');
        let template: ReturnType<typeof parseAlertTemplate>;
        try {
          template = parseAlertTemplate(text, 'A');
        } catch (error) {
          expect(error).toBeInstanceOf(TemplateParseError);
          return;
        }
        const out = template.expand({ labels: { a: 'b' }, externalLabels: {}, externalURL: '', value: 1.5 });
        expect(typeof out).toBe('string');
      }),
      { numRuns: 500 },
    );
  });
});
