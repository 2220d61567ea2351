// Agreement with the real promtool (Debian's prometheus 2.42): the same rule files through
// `promtool check rules` and our parseRuleFile, the same unit-test files through `promtool test
// rules` and our runRuleTests. Every case also states the verdict we intend, so a case that passes
// for the wrong reason on both sides is caught too. Prints the agreement figures.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRulesReport, runRuleTests } from '../../labs/runtime/promql/rules/index.ts';
import { prometheusPaths } from '../support/prometheus.ts';

const run = promisify(execFile);

const BURN_RULES = `groups:
  - name: slo-recording
    rules:
      - record: job:http_errors:ratio_rate5m
        expr: sum by (job) (rate(http_requests_total{code=~"5.."}[5m])) / sum by (job) (rate(http_requests_total[5m]))
      - record: job:http_errors:ratio_rate30m
        expr: sum by (job) (rate(http_requests_total{code=~"5.."}[30m])) / sum by (job) (rate(http_requests_total[30m]))
  - name: slo-alerts
    rules:
      - alert: ErrorBudgetBurn
        expr: job:http_errors:ratio_rate5m > (14.4 * 0.01) and job:http_errors:ratio_rate30m > (14.4 * 0.01)
        for: 2m
        labels:
          severity: page
        annotations:
          summary: '{{ $labels.job }} burns its error budget: {{ humanizePercentage $value }} of requests fail'
          value: '{{ printf "%.3f" $value }}'
`;

// 10 req/s of which 0 fail for 10 minutes, then 50 % fail for 20 minutes, then 0 again.
const BURN_SERIES = `    input_series:
      - series: 'http_requests_total{job="api",code="200"}'
        values: '0+600x10 6000+300x20 12000+600x20'
      - series: 'http_requests_total{job="api",code="500"}'
        values: '0+0x10 0+300x20 6000+0x20'
`;

const KEEP_RULES = `groups:
  - name: keep
    rules:
      - alert: QueueBacklog
        expr: queue_depth > 100
        for: 1m
        keep_firing_for: 3m
        labels:
          team: ops
        annotations:
          description: 'queue {{ $labels.queue }} holds {{ $value }} items'
`;

const KEEP_SERIES = `    input_series:
      - series: 'queue_depth{queue="orders"}'
        values: '0 150 150 150 50 50 50 50 50 50'
`;

const MISC_RULES = `groups:
  - name: first
    rules:
      - record: instance:cpu:ratio
        expr: rate(cpu_seconds_total[2m])
      - record: job:cpu:avg
        expr: avg by (job) (instance:cpu:ratio)
      - alert: CpuHot
        expr: job:cpu:avg > 0.8
        labels:
          severity: ticket
          level: '{{ if gt $value 0.9 }}critical{{ else }}high{{ end }}'
        annotations:
          runbook: '{{ $externalURL }}/runbooks/cpu?cluster={{ $externalLabels.cluster }}'
          took: '{{ humanizeDuration 5400 }} / {{ humanize 1234567 }} / {{ $value | humanize }}'
  - name: second
    rules:
      - record: job:cpu:avg:doubled
        expr: job:cpu:avg * 2
      - record: early:reads:later
        expr: later:output + 1
      - record: later:output
        expr: vector(41)
`;

const MISC_SERIES = `    input_series:
      - series: 'cpu_seconds_total{job="web",instance="a"}'
        values: '0+54x10'
      - series: 'cpu_seconds_total{job="web",instance="b"}'
        values: '0+48x10'
`;

const FLAP_RULES = `groups:
  - name: flap
    rules:
      - alert: Down
        expr: up == 0
        for: 3m
        annotations:
          summary: '{{ $labels.instance }} down'
      - alert: LimitedDown
        expr: up == 0
`;

const FLAP_SERIES = `    input_series:
      - series: 'up{instance="a"}'
        values: '1 0 0 1 0 0 0 0 stale _ 0 0 0 0'
      - series: 'up{instance="b"}'
        values: '0 0 0 0 0 0 0 0 0 0 0 0 0 0'
`;

const LIMIT_RULES = `groups:
  - name: limited
    limit: 1
    rules:
      - alert: TooMany
        expr: up == 0
`;

const RECORD_LIMIT_RULES = `groups:
  - name: limited-records
    limit: 1
    rules:
      - record: r
        expr: up
`;

const ERROR_RULES = `groups:
  - name: broken
    rules:
      - record: many:to:many
        expr: up + on() up
`;

// The SRE Workbook's multiwindow, multi-burn-rate alerts for a 99.9 % SLO (task 4's shape).
const WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'];
const mwmbrRules = (summary: string) => `groups:
  - name: slo-sli-recordings
    rules:
${WINDOWS.map(
  (w) => `      - record: slo:sli_error:ratio_rate${w}
        expr: sum(rate(requests_total{code=~"5.."}[${w}])) / sum(rate(requests_total[${w}]))`,
).join('\n')}
  - name: slo-alerts
    rules:
      - alert: ErrorBudgetBurn
        expr: (slo:sli_error:ratio_rate1h > (14.4 * 0.001) and slo:sli_error:ratio_rate5m > (14.4 * 0.001)) or (slo:sli_error:ratio_rate6h > (6 * 0.001) and slo:sli_error:ratio_rate30m > (6 * 0.001))
        labels:
          severity: page
        annotations:
          summary: '${summary}'
      - alert: ErrorBudgetBurn
        expr: (slo:sli_error:ratio_rate1d > (3 * 0.001) and slo:sli_error:ratio_rate2h > (3 * 0.001)) or (slo:sli_error:ratio_rate3d > 0.001 and slo:sli_error:ratio_rate6h > 0.001)
        labels:
          severity: ticket
`;
const MWMBR = { 'mwmbr.rules.yml': mwmbrRules('{{ if gt $value 0.0144 }}fast{{ else }}slow{{ end }} burn of the error budget') };

// 1 000 requests a minute, 0.1 % failing for a day, then 5 % for an hour, then 0.1 % again.
const MWMBR_SERIES = `    input_series:
      - series: 'requests_total{code="500"}'
        values: '0+1x1440 1490+50x60 4490+1x1440'
      - series: 'requests_total{code="200"}'
        values: '0+999x1440 1439510+950x60 1496510+999x1440'
`;

const mwmbrTest = (name: string, alerts: string) => `rule_files: [mwmbr.rules.yml]
evaluation_interval: 1m
group_eval_order: [slo-sli-recordings, slo-alerts]
tests:
  - interval: 1m
    name: ${name}
${MWMBR_SERIES}    alert_rule_test:
${alerts}`;

interface Case {
  name: string;
  rules: Record<string, string>;
  test: string;
  /** The verdict we intend: the case is written to pass or to fail. */
  intended: 'pass' | 'fail';
}

const BURN = { 'burn.rules.yml': BURN_RULES };

const CASES: Case[] = [
  {
    name: 'multiwindow multi-burn-rate: page and ticket fire on a fast burn, the page resolves first',
    rules: MWMBR,
    intended: 'pass',
    test: mwmbrTest(
      'mwmbr',
      `      - eval_time: 23h
        alertname: ErrorBudgetBurn
      - eval_time: 24h30m
        alertname: ErrorBudgetBurn
        exp_alerts:
          - exp_labels: {severity: page}
            exp_annotations: {summary: fast burn of the error budget}
          - exp_labels: {severity: ticket}
      - eval_time: 28h
        alertname: ErrorBudgetBurn
        exp_alerts:
          - exp_labels: {severity: ticket}
      - eval_time: 48h
        alertname: ErrorBudgetBurn
`,
    ),
  },
  {
    name: 'multiwindow multi-burn-rate: expecting the page still firing after the burn fails',
    rules: MWMBR,
    intended: 'fail',
    test: mwmbrTest(
      'mwmbr-wrong',
      `      - eval_time: 28h
        alertname: ErrorBudgetBurn
        exp_alerts:
          - exp_labels: {severity: page}
            exp_annotations: {summary: fast burn of the error budget}
          - exp_labels: {severity: ticket}
`,
    ),
  },
  {
    name: 'fast burn fires after for with its labels and annotations',
    rules: BURN,
    intended: 'pass',
    test: `rule_files: [burn.rules.yml]
evaluation_interval: 1m
group_eval_order: [slo-recording, slo-alerts]
tests:
  - interval: 1m
    name: fires
${BURN_SERIES}    alert_rule_test:
      - eval_time: 10m
        alertname: ErrorBudgetBurn
      - eval_time: 15m
        alertname: ErrorBudgetBurn
      - eval_time: 20m
        alertname: ErrorBudgetBurn
        exp_alerts:
          - exp_labels: {severity: page, job: api}
            exp_annotations:
              summary: 'api burns its error budget: 50% of requests fail'
              value: '0.500'
`,
  },
  {
    name: 'a test that expects firing while the alert is still pending fails (wrong for)',
    rules: BURN,
    intended: 'fail',
    test: `rule_files: [burn.rules.yml]
group_eval_order: [slo-recording, slo-alerts]
tests:
  - interval: 1m
    name: wrong-for
${BURN_SERIES}    alert_rule_test:
      - eval_time: 17m
        alertname: ErrorBudgetBurn
        exp_alerts:
          - exp_labels: {severity: page, job: api}
            exp_annotations:
              summary: 'api burns its error budget: 50% of requests fail'
              value: '0.500'
`,
  },
  {
    name: 'wrong expected labels fail',
    rules: BURN,
    intended: 'fail',
    test: `rule_files: [burn.rules.yml]
group_eval_order: [slo-recording, slo-alerts]
tests:
  - interval: 1m
    name: wrong-labels
${BURN_SERIES}    alert_rule_test:
      - eval_time: 25m
        alertname: ErrorBudgetBurn
        exp_alerts:
          - exp_labels: {severity: ticket, job: api}
            exp_annotations:
              summary: 'api burns its error budget: 50% of requests fail'
              value: '0.500'
`,
  },
  {
    name: 'a wrong annotation text fails',
    rules: BURN,
    intended: 'fail',
    test: `rule_files: [burn.rules.yml]
group_eval_order: [slo-recording, slo-alerts]
tests:
  - interval: 1m
    name: wrong-annotation
${BURN_SERIES}    alert_rule_test:
      - eval_time: 25m
        alertname: ErrorBudgetBurn
        exp_alerts:
          - exp_labels: {severity: page, job: api}
            exp_annotations:
              summary: 'api burns its error budget: 0.5 of requests fail'
              value: '0.500'
`,
  },
  {
    name: 'recording rule values are checked exactly (one right, one wrong)',
    rules: BURN,
    intended: 'fail',
    test: `rule_files: [burn.rules.yml]
tests:
  - interval: 1m
    name: recording
${BURN_SERIES}    promql_expr_test:
      - expr: job:http_errors:ratio_rate5m
        eval_time: 20m
        exp_samples:
          - labels: 'job:http_errors:ratio_rate5m{job="api"}'
            value: 0.5
      - expr: job:http_errors:ratio_rate30m
        eval_time: 20m
        exp_samples:
          - labels: 'job:http_errors:ratio_rate30m{job="api"}'
            value: 0.5
`,
  },
  {
    name: 'the alert resolves when the errors stop and nothing fires before',
    rules: BURN,
    intended: 'pass',
    test: `rule_files: [burn.rules.yml]
group_eval_order: [slo-recording, slo-alerts]
tests:
  - interval: 1m
    name: resolves
${BURN_SERIES}    alert_rule_test:
      - eval_time: 5m
        alertname: ErrorBudgetBurn
      - eval_time: 40m
        alertname: ErrorBudgetBurn
    promql_expr_test:
      - expr: ALERTS{alertname="ErrorBudgetBurn"}
        eval_time: 16m
        exp_samples:
          - labels: 'ALERTS{alertname="ErrorBudgetBurn", alertstate="pending", job="api", severity="page"}'
            value: 1
`,
  },
  {
    name: 'keep_firing_for keeps the alert firing after the condition clears',
    rules: { 'keep.rules.yml': KEEP_RULES },
    intended: 'pass',
    test: `rule_files: [keep.rules.yml]
tests:
  - interval: 1m
    name: keep-firing
${KEEP_SERIES}    alert_rule_test:
      - eval_time: 1m
        alertname: QueueBacklog
      - eval_time: 3m
        alertname: QueueBacklog
        exp_alerts:
          - exp_labels: {team: ops, queue: orders}
            exp_annotations: {description: 'queue orders holds 150 items'}
      - eval_time: 5m
        alertname: QueueBacklog
        exp_alerts:
          - exp_labels: {team: ops, queue: orders}
            exp_annotations: {description: 'queue orders holds 150 items'}
      - eval_time: 7m
        alertname: QueueBacklog
`,
  },
  {
    name: 'expecting the alert to stop at once despite keep_firing_for fails',
    rules: { 'keep.rules.yml': KEEP_RULES },
    intended: 'fail',
    test: `rule_files: [keep.rules.yml]
tests:
  - interval: 1m
    name: keep-firing-wrong
${KEEP_SERIES}    alert_rule_test:
      - eval_time: 4m
        alertname: QueueBacklog
`,
  },
  {
    name: 'group order, templates with external labels and URL, and a label from an if',
    rules: { 'misc.rules.yml': MISC_RULES },
    intended: 'pass',
    test: `rule_files: [misc.rules.yml]
evaluation_interval: 1m
group_eval_order: [first, second]
tests:
  - interval: 1m
    name: misc
    external_labels: {cluster: eu-1}
    external_url: https://prometheus.example.org
${MISC_SERIES}    alert_rule_test:
      - eval_time: 5m
        alertname: CpuHot
        exp_alerts:
          - exp_labels: {severity: ticket, level: high, job: web}
            exp_annotations:
              runbook: 'https://prometheus.example.org/runbooks/cpu?cluster=eu-1'
              took: '1h 30m 0s / 1.235M / 850m'
    promql_expr_test:
      - expr: job:cpu:avg:doubled
        eval_time: 5m
        exp_samples:
          - labels: 'job:cpu:avg:doubled{job="web"}'
            # promtool 2.42 compares exactly: (0.9 + 0.8) / 2 * 2 in float64.
            value: 1.7000000000000002
      - expr: early:reads:later
        eval_time: 0m
      - expr: early:reads:later
        eval_time: 2m
        exp_samples:
          - labels: 'early:reads:later'
            value: 42
`,
  },
  {
    name: 'an alert that flaps restarts its for, and stale inputs end it',
    rules: { 'flap.rules.yml': FLAP_RULES },
    intended: 'pass',
    test: `rule_files: [flap.rules.yml]
tests:
  - interval: 1m
    name: flapping
${FLAP_SERIES}    alert_rule_test:
      - eval_time: 3m
        alertname: Down
        exp_alerts:
          - exp_labels: {instance: b}
            exp_annotations: {summary: 'b down'}
      - eval_time: 7m
        alertname: Down
        exp_alerts:
          - exp_labels: {instance: a}
            exp_annotations: {summary: 'a down'}
          - exp_labels: {instance: b}
            exp_annotations: {summary: 'b down'}
      - eval_time: 9m
        alertname: Down
        exp_alerts:
          - exp_labels: {instance: b}
            exp_annotations: {summary: 'b down'}
      - eval_time: 9m30s
        alertname: LimitedDown
        exp_alerts:
          - exp_labels: {instance: b}
`,
  },
  {
    name: 'flapping with the wrong expectation at the restart fails',
    rules: { 'flap.rules.yml': FLAP_RULES },
    intended: 'fail',
    test: `rule_files: [flap.rules.yml]
tests:
  - interval: 1m
    name: flapping-wrong
${FLAP_SERIES}    alert_rule_test:
      - eval_time: 5m
        alertname: Down
        exp_alerts:
          - exp_labels: {instance: a}
            exp_annotations: {summary: 'a down'}
          - exp_labels: {instance: b}
            exp_annotations: {summary: 'b down'}
`,
  },
  {
    name: 'a group limit exceeded is an evaluation error that fails the test',
    rules: { 'limit.rules.yml': LIMIT_RULES },
    intended: 'fail',
    test: `rule_files: [limit.rules.yml]
tests:
  - interval: 1m
    input_series:
      - series: 'up{instance="a"}'
        values: '0 0 0'
      - series: 'up{instance="b"}'
        values: '0 0 0'
    alert_rule_test:
      - eval_time: 2m
        alertname: TooMany
`,
  },
  {
    name: 'a recording rule over the group limit fails the test',
    rules: { 'record-limit.rules.yml': RECORD_LIMIT_RULES },
    intended: 'fail',
    test: `rule_files: [record-limit.rules.yml]
tests:
  - interval: 1m
    input_series:
      - series: 'up{instance="a"}'
        values: '1'
      - series: 'up{instance="b"}'
        values: '1'
    promql_expr_test:
      - expr: r
        eval_time: 0m
`,
  },
  {
    name: 'a rule whose evaluation fails (many-to-many matching) fails the test',
    rules: { 'error.rules.yml': ERROR_RULES },
    intended: 'fail',
    test: `rule_files: [error.rules.yml]
tests:
  - interval: 1m
    input_series:
      - series: 'up{instance="a"}'
        values: '1 1'
      - series: 'up{instance="b"}'
        values: '1 1'
    promql_expr_test:
      - expr: up
        eval_time: 1m
        exp_samples:
          - labels: 'up{instance="a"}'
            value: 1
          - labels: 'up{instance="b"}'
            value: 1
`,
  },
  {
    name: 'a test file with an unknown field fails',
    rules: BURN,
    intended: 'fail',
    test: `rule_files: [burn.rules.yml]
tests:
  - interval: 1m
    input_series: []
    alert_rule_tests: []
`,
  },
  {
    name: 'a missing rule file is a warning and an alert test with no alerts passes',
    rules: {},
    intended: 'pass',
    test: `rule_files: [missing.rules.yml]
tests:
  - interval: 1m
    input_series:
      - series: 'up'
        values: '1 1 1'
    alert_rule_test:
      - eval_time: 2m
        alertname: Anything
    promql_expr_test:
      - expr: sum(up)
        eval_time: 2m
        exp_samples:
          - labels: '{}'
            value: 1
`,
  },
];

/** Cases where promtool 2.42 and our Prometheus 3 semantics disagree for a documented reason (ADR 013/014). */
const KNOWN_DIFFERENCES: (Case & { reason: string; ours: 'pass' | 'fail'; promtool: 'pass' | 'fail' })[] = [
  {
    name: "an annotation printing the 1h burn rate's $value right after a regime change",
    reason:
      'range selectors are closed [t-1h, t] in 2.42 and left-open (t-1h, t] in 3.x: 2.42 sees the sample at the window start and rate() gives 2.55 %, 3.x extrapolates over the missing minute and gives 2.592 %',
    rules: { 'mwmbr.rules.yml': mwmbrRules('{{ humanizePercentage $value }} of requests fail') },
    intended: 'pass',
    ours: 'pass',
    promtool: 'fail',
    test: mwmbrTest(
      'mwmbr-value',
      `      - eval_time: 24h30m
        alertname: ErrorBudgetBurn
        exp_alerts:
          - exp_labels: {severity: page}
            exp_annotations: {summary: 2.592% of requests fail}
          - exp_labels: {severity: ticket}
`,
    ),
  },
];

const CHECK_FILES: { name: string; text: string; intended: 'pass' | 'fail' }[] = [
  { name: 'burn.rules.yml', text: BURN_RULES, intended: 'pass' },
  { name: 'keep.rules.yml', text: KEEP_RULES, intended: 'pass' },
  { name: 'misc.rules.yml', text: MISC_RULES, intended: 'pass' },
  {
    name: 'bad-expr.yml',
    intended: 'fail',
    text: 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: sum(rate(x[5m])\n',
  },
  {
    name: 'bad-record.yml',
    intended: 'fail',
    text: 'groups:\n  - name: g\n    rules:\n      - record: "job errors"\n        expr: up\n        for: 5m\n',
  },
  {
    name: 'repeated-group.yml',
    intended: 'fail',
    text: 'groups:\n  - name: g\n    rules: []\n  - name: g\n    rules: []\n',
  },
  {
    name: 'bad-template.yml',
    intended: 'fail',
    text: "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        annotations:\n          summary: '{{ $labels.instance '\n",
  },
  {
    name: 'unknown-field.yml',
    intended: 'fail',
    text: 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        severity: page\n',
  },
  {
    name: 'bad-label.yml',
    intended: 'fail',
    text: 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        labels:\n          0bad: x\n',
  },
  {
    name: 'bad-duration.yml',
    intended: 'fail',
    text: 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        for: 5 minutes\n',
  },
];

/** A small deterministic generator (mulberry32), so the randomised cases are the same every run. */
function generator(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

/** A random rule file and test file: gauges with gaps and staleness, alerts with for and keep_firing_for. */
function randomCase(seed: number): { rules: string; test: string } {
  const pick = generator(seed);
  const values = () =>
    Array.from({ length: 16 }, () => {
      const r = pick(14);
      return r === 12 ? '_' : r === 13 ? 'stale' : String(r);
    }).join(' ');
  const durations = ['0s', '1m', '2m', '3m'];
  const series = Array.from(
    { length: 1 + pick(3) },
    (_, i) => `      - series: 'x{i="${i}", job="j${i % 2}"}'\n        values: '${values()}'`,
  );
  const rules = `groups:
  - name: g
    rules:
      - record: job:x:max
        expr: max by (job) (x)
      - alert: A
        expr: x > ${2 + pick(7)}
        for: ${durations[pick(4)]}
        keep_firing_for: ${durations[pick(4)]}
        labels: {severity: page}
        annotations: {summary: '{{ $labels.i }} at {{ $value }}'}
      - alert: B
        expr: job:x:max >= ${3 + pick(7)}
        for: ${durations[pick(4)]}
        annotations: {summary: '{{ $labels.job }} max {{ humanize $value }}'}
`;
  const checks = Array.from(
    { length: 16 },
    (_, m) => `      - eval_time: ${m}m\n        alertname: A\n      - eval_time: ${m}m\n        alertname: B`,
  ).join('\n');
  const test = `rule_files: [random-${seed}.rules.yml]
tests:
  - interval: 1m
    input_series:
${series.join('\n')}
    alert_rule_test:
${checks}
    promql_expr_test:
      - expr: job:x:max
        eval_time: 15m
`;
  return { rules, test };
}

const RANDOM_CASES = 40;

/** promtool evaluates the 2-day burn-rate files slowly on a busy 2-core machine (up to ~20 s each). */
const PROMTOOL_TIMEOUT_MS = 300_000;

/** `alertname: X, time: T` and `expr: "E", time: T` headers of a promtool-style failure text. */
function failureHeaders(output: string): string[] {
  const headers = output.match(/^ {4}(?:alertname: [^,]+, time: [^,]+|expr: ".*?", time: [^,\n]+|rule: [^,]+, time: [^,]+)/gm) ?? [];
  return [...headers].map((h) => h.trim()).sort();
}

let dir: string;
let promtool: string;

beforeAll(() => {
  promtool = prometheusPaths().promtool;
  dir = mkdtempSync(path.join(os.tmpdir(), 'headroom-promtool-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function promtoolRun(args: string[]): Promise<{ ok: boolean; output: string }> {
  try {
    // One pipe for stdout and stderr keeps promtool's interleaving (FAILED goes to stderr).
    const { stdout } = await run('sh', ['-c', `"$0" "$@" 2>&1`, promtool, ...args], { cwd: dir, timeout: 30_000 });
    return { ok: true, output: stdout };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw error;
    return { ok: false, output: e.stdout ?? '' };
  }
}

describe('agreement with promtool 2.42', () => {
  it(
    'check rules: the same files pass and fail, with the same number of problems',
    async () => {
      let verdicts = 0;
      let counts = 0;
      let identical = 0;
      for (const file of CHECK_FILES) {
        writeFileSync(path.join(dir, file.name), file.text);
        const real = await promtoolRun(['check', 'rules', file.name]);
        const ours = checkRulesReport(file.name, file.text);
        expect({ file: file.name, real: real.ok, ours: ours.ok }).toEqual({
          file: file.name,
          real: file.intended === 'pass',
          ours: file.intended === 'pass',
        });
        verdicts++;
        const problems = (text: string) => text.split('\n').filter((l) => l.startsWith(`${file.name}: `)).length;
        if (!real.ok && problems(real.output) > 0) {
          expect({ file: file.name, problems: problems(ours.output) }).toEqual({ file: file.name, problems: problems(real.output) });
        }
        counts++;
        if (real.output === ours.output) identical++;
        else console.log(`check rules output differs for ${file.name}:\n--- promtool\n${real.output}--- ours\n${ours.output}`);
      }
      console.log(
        `promtool check rules agreement: ${verdicts}/${CHECK_FILES.length} verdicts, ${counts}/${CHECK_FILES.length} problem counts, ${identical}/${CHECK_FILES.length} outputs byte-identical`,
      );
    },
    PROMTOOL_TIMEOUT_MS,
  );

  it(
    'test rules: every test file gets the same verdict and the same failing alerts and expressions',
    async () => {
      let identical = 0;
      for (const [i, c] of CASES.entries()) {
        for (const [name, text] of Object.entries(c.rules)) writeFileSync(path.join(dir, name), text);
        const testName = `case-${i + 1}.test.yml`;
        writeFileSync(path.join(dir, testName), c.test);
        const real = await promtoolRun(['test', 'rules', testName]);
        const ours = runRuleTests(c.rules, c.test, { fileName: testName });
        if (real.ok !== (c.intended === 'pass')) console.log(`promtool's verdict on "${c.name}" is not the intended one:\n${real.output}`);
        expect({ case: c.name, promtool: real.ok, ours: ours.ok }).toEqual({
          case: c.name,
          promtool: c.intended === 'pass',
          ours: c.intended === 'pass',
        });
        expect({ case: c.name, failures: failureHeaders(ours.output) }).toEqual({ case: c.name, failures: failureHeaders(real.output) });
        if (real.output === ours.output) identical++;
        else console.log(`output differs for "${c.name}":\n--- promtool\n${real.output}--- ours\n${ours.output}`);
        for (const name of Object.keys(c.rules)) rmSync(path.join(dir, name), { force: true });
      }
      console.log(
        `promtool test rules agreement: ${CASES.length}/${CASES.length} verdicts and failure lists; ${identical}/${CASES.length} outputs byte-identical`,
      );
    },
    PROMTOOL_TIMEOUT_MS,
  );

  it(
    'test rules: randomised alert states (for, keep_firing_for, gaps, staleness) print the same as promtool',
    async () => {
      const cases = Array.from({ length: RANDOM_CASES }, (_, i) => ({ seed: 1000 + i, ...randomCase(1000 + i) }));
      const names = cases.map((c) => `random-${c.seed}.test.yml`);
      for (const c of cases) {
        writeFileSync(path.join(dir, `random-${c.seed}.rules.yml`), c.rules);
        writeFileSync(path.join(dir, `random-${c.seed}.test.yml`), c.test);
      }
      // One promtool run for all files: its output is the files' reports one after the other.
      const real = await promtoolRun(['test', 'rules', ...names]);
      const ours = cases.map(
        (c) => runRuleTests({ [`random-${c.seed}.rules.yml`]: c.rules }, c.test, { fileName: `random-${c.seed}.test.yml` }).output,
      );
      const segments = real.output.split(/(?=^Unit Testing: {2})/m);
      expect(segments).toHaveLength(cases.length);
      let identical = 0;
      cases.forEach((c, i) => {
        if (segments[i] === ours[i]) identical++;
        else console.log(`random case ${c.seed} differs:\n--- promtool\n${segments[i]}--- ours\n${ours[i]}`);
        expect({ seed: c.seed, failures: failureHeaders(ours[i] as string) }).toEqual({
          seed: c.seed,
          failures: failureHeaders(segments[i] as string),
        });
      });
      console.log(
        `promtool test rules, randomised: ${identical}/${cases.length} outputs byte-identical (every alert state and annotation at 16 times)`,
      );
      expect(identical).toBe(cases.length);
    },
    PROMTOOL_TIMEOUT_MS,
  );

  it(
    "the SLO lab's reference rule file and unit test (task 4) get the same report from promtool and from us",
    async () => {
      const fixtures = path.resolve(import.meta.dirname, '../../labs/slo-prometheus/fixtures');
      const rules = readFileSync(path.join(fixtures, 'burn-rate-alerts.rules.yml'), 'utf8');
      const test = readFileSync(path.join(fixtures, 'burn-rate-alerts.test.yml'), 'utf8');
      // The lab hands the learner's rule file to the test as rules.yml.
      writeFileSync(path.join(dir, 'rules.yml'), rules);
      writeFileSync(path.join(dir, 'lab.test.yml'), test);
      const check = await promtoolRun(['check', 'rules', 'rules.yml']);
      expect(check).toEqual({ ok: true, output: checkRulesReport('rules.yml', rules).output });
      const real = await promtoolRun(['test', 'rules', 'lab.test.yml']);
      const ours = runRuleTests({ 'rules.yml': rules }, test, { fileName: 'lab.test.yml' });
      expect({ ok: ours.ok, output: ours.output }).toEqual(real);
      expect(real.ok).toBe(true);
    },
    PROMTOOL_TIMEOUT_MS,
  );

  it(
    'test rules: the documented 2.42 vs 3.x differences show exactly where expected',
    async () => {
      for (const [i, c] of KNOWN_DIFFERENCES.entries()) {
        for (const [name, text] of Object.entries(c.rules)) writeFileSync(path.join(dir, name), text);
        const testName = `difference-${i + 1}.test.yml`;
        writeFileSync(path.join(dir, testName), c.test);
        const real = await promtoolRun(['test', 'rules', testName]);
        const ours = runRuleTests(c.rules, c.test, { fileName: testName });
        expect({ case: c.name, promtool: real.ok, ours: ours.ok }).toEqual({
          case: c.name,
          promtool: c.promtool === 'pass',
          ours: c.ours === 'pass',
        });
        console.log(`documented difference "${c.name}": ${c.reason}`);
      }
      console.log(`promtool test rules: ${KNOWN_DIFFERENCES.length} documented 2.42 vs 3.x difference(s), each as expected`);
    },
    PROMTOOL_TIMEOUT_MS,
  );
});
