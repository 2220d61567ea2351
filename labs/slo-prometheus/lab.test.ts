// The SLO lab's graders: every task's reference solution (fixtures/) passes, every starter and the
// plausible wrong answers fail with the message that explains them, and the same submission gives
// the same digest.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExtraFiles } from '../runtime/lab/definition.ts';
import { runTask, type TaskOutcome } from '../runtime/lab/run-task.ts';
import lab from './lab.ts';

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, 'fixtures', name), 'utf8');
const SEED = 20261201;

function run(taskId: string, code: string, files: ExtraFiles = {}, answer: string | null = null): Promise<TaskOutcome> {
  return runTask(lab, taskId, code, SEED, answer, { files });
}

function starterFiles(taskId: string): ExtraFiles {
  const task = lab.tasks.find((t) => t.id === taskId);
  if (!task) throw new Error(`no task ${taskId}`);
  return Object.fromEntries((task.files ?? []).map((f) => [f.name, f.starter]));
}

const latencyFiles = () => ({ p99: fixture('latency-p99.promql'), 'payments-p99': fixture('payments-p99.promql') });
const budgetFiles = () => ({ 'burn-rate': fixture('burn-rate.promql') });

describe('the SLO lab', () => {
  it.each(lab.tasks.map((t) => t.id))(
    'does not pass task %s with its starter files',
    async (taskId) => {
      const task = lab.tasks.find((t) => t.id === taskId);
      const outcome = await run(taskId, task?.starter ?? '', starterFiles(taskId), '0');
      expect(outcome.verdict.pass).toBe(false);
      expect(outcome.verdict.message.length).toBeGreaterThan(20);
    },
    120_000,
  );

  it('passes the availability SLI and names the classic mistakes by their values', async () => {
    expect((await run('availability-sli', fixture('availability-sli.promql'))).verdict.pass).toBe(true);
    const sum = (selector: string, range: string) => `sum(increase(http_requests_total{${selector}}[${range}]))`;
    const cases: [string, RegExp][] = [
      [`${sum('code=~"2.."', '28d')} / ${sum('', '28d')}`, /404s/],
      ['sum(http_requests_total{code!~"5.."}) / sum(http_requests_total)', /restarted/],
      [`${sum('code!~"5.."', '30d')} / ${sum('', '30d')}`, /over 30 days/],
      [`${sum('code=~"5.."', '28d')} / ${sum('', '28d')}`, /error ratio/],
      ['increase(http_requests_total{code!~"5.."}[28d]) / increase(http_requests_total[28d])', /aggregate with sum/],
      ['http_requests_total[5m]', /range vector/],
      ['sum(increase(http_requests_total{job="nope"}[28d]))', /no series/],
    ];
    for (const [query, message] of cases) {
      const outcome = await run('availability-sli', query);
      expect(outcome.verdict.pass, query).toBe(false);
      expect(outcome.verdict.message, query).toMatch(message);
    }
  }, 120_000);

  it('passes the latency task and explains averaged quantiles and the missing +Inf bucket', async () => {
    const right = await run('latency-sli', fixture('latency-sli.promql'), latencyFiles());
    expect(right.verdict).toMatchObject({ pass: true });
    const averaged = await run('latency-sli', fixture('latency-sli.promql'), {
      ...latencyFiles(),
      p99: 'avg(histogram_quantile(0.99, sum by (le, instance) (rate(http_request_duration_seconds_bucket[1h]))))',
    });
    expect(averaged.verdict.message).toMatch(/average of per-series p99s/);
    const perSeries = await run('latency-sli', fixture('latency-sli.promql'), {
      ...latencyFiles(),
      p99: 'histogram_quantile(0.99, rate(http_request_duration_seconds_bucket[1h]))',
    });
    expect(perSeries.verdict.message).toMatch(/one per series/);
    const noInf = await run('latency-sli', fixture('latency-sli.promql'), {
      ...latencyFiles(),
      'payments-p99': starterFiles('latency-sli')['payments-p99'] ?? '',
    });
    expect(noInf.verdict.message).toMatch(/\+Inf/);
    const slowShare = await run('latency-sli', `1 - (${fixture('latency-sli.promql')})`, latencyFiles());
    expect(slowShare.verdict.message).toMatch(/slower than 300 ms/);
  }, 120_000);

  it('passes the error budget and burn rate, and tells consumed from remaining', async () => {
    const right = await run('error-budget', fixture('error-budget.promql'), budgetFiles());
    expect(right.verdict).toMatchObject({ pass: true });
    expect(right.verdict.message).toMatch(/of the error budget is left/);
    const consumed = await run('error-budget', `1 - (${fixture('error-budget.promql')})`, budgetFiles());
    expect(consumed.verdict.message).toMatch(/consumed/);
    const ratio = await run('error-budget', fixture('error-budget.promql'), {
      'burn-rate': 'sum(rate(http_requests_total{code=~"5.."}[1h])) / sum(rate(http_requests_total[1h]))',
    });
    expect(ratio.verdict.message).toMatch(/divided by the budget/);
  }, 120_000);

  it('grades the alert rules by evaluating them over the 30 days', async () => {
    const right = await run('burn-rate-alerts', fixture('burn-rate-alerts.rules.yml'), {
      'tests.yml': fixture('burn-rate-alerts.test.yml'),
    });
    expect(right.verdict).toMatchObject({ pass: true });
    if (right.kind !== 'rules') throw new Error('not a rules outcome');
    const detected = Object.fromEntries(right.rules.incidents.map((i) => [i.name, i.detections.map((d) => d.severity)]));
    expect(detected['fast-burn']).toContain('page');
    expect(detected['slow-burn']).toContain('ticket');
    expect(detected['blip']).toEqual([]);
    expect(right.rules.precision).toBe(1);
    expect(right.verdict.message).toMatch(/paged after \d+ min/);

    // Short windows only: pages on the blip.
    const shortOnly = fixture('burn-rate-alerts.rules.yml').replace(
      'job:slo_errors_per_request:ratio_rate1h > (14.4 * 0.001)\n            and ',
      '',
    );
    const noisy = await run('burn-rate-alerts', shortOnly, { 'tests.yml': fixture('burn-rate-alerts.test.yml') });
    expect(noisy.verdict.message).toMatch(/blip/);

    // Right rules, a unit test that expects the wrong thing.
    const wrongTest = fixture('burn-rate-alerts.test.yml').replace(/0\+5x180/, '0+500x180');
    const failing = await run('burn-rate-alerts', fixture('burn-rate-alerts.rules.yml'), { 'tests.yml': wrongTest });
    expect(failing.verdict.pass).toBe(false);
    expect(failing.verdict.message).toMatch(/unit tests fail/);

    // Passing tests that check no alert at all.
    const exprOnly = [
      'rule_files: [rules.yml]',
      'evaluation_interval: 1m',
      'tests:',
      '  - interval: 1m',
      '    input_series:',
      `      - series: 'http_requests_total{job="shop",code="200"}'`,
      "        values: '0+900x60'",
      `      - series: 'http_requests_total{job="shop",code="500"}'`,
      "        values: '0+100x60'",
      '    promql_expr_test:',
      '      - expr: count(job:slo_errors_per_request:ratio_rate5m > 0.05)',
      '        eval_time: 30m',
      '        exp_samples:',
      "          - labels: '{}'",
      '            value: 1',
      '',
    ].join('\n');
    const untested = await run('burn-rate-alerts', fixture('burn-rate-alerts.rules.yml'), { 'tests.yml': exprOnly });
    expect(untested.kind === 'rules' ? untested.rules.unitTests?.ok : null).toBe(true);
    expect(untested.verdict.message).toMatch(/check no alert/);
  }, 180_000);

  it('grades the quality gate on the builds: fail the regression, pass the fix, report the score', async () => {
    const files = { 'sli.yaml': fixture('sli.yaml') };
    const first = await run('quality-gate', fixture('slo.yaml'), files);
    if (first.kind !== 'quality-gate') throw new Error('not a gate outcome');
    const results = Object.fromEntries(first.gate.builds.map((b) => [b.role, b.result]));
    expect(results).toEqual({ baseline: 'pass', regressed: 'fail', good: 'pass' });
    expect(first.verdict.message).toMatch(/report the regressed build's total score/);
    const score = first.gate.builds.find((b) => b.role === 'regressed')?.score ?? Number.NaN;
    expect((await run('quality-gate', fixture('slo.yaml'), files, String(Math.round(score * 100) / 100))).verdict.pass).toBe(true);
    expect((await run('quality-gate', fixture('slo.yaml'), files, String(score + 10))).verdict.pass).toBe(false);
    // Only an absolute error-rate objective: the regression passes.
    const starter = lab.tasks.find((t) => t.id === 'quality-gate')?.starter ?? '';
    const lenient = await run('quality-gate', starter, files, String(score));
    expect(lenient.verdict.message).toMatch(/regressed build gets "pass"/);
    // Too strict: the fix fails as well.
    const strict = await run('quality-gate', fixture('slo.yaml').replace('"<200"', '"<100"'), files, String(score));
    expect(strict.verdict.message).toMatch(/good build gets "(fail|warning)"/);
  }, 120_000);

  it('gives the same digest for the same submission and another for a different one', async () => {
    const a = await run('availability-sli', fixture('availability-sli.promql'));
    const b = await run('availability-sli', fixture('availability-sli.promql'));
    const c = await run('availability-sli', `${fixture('availability-sli.promql')} * 1`);
    expect(a.digest).toBe(b.digest);
    expect(a.digest).not.toBe(c.digest);
    if (a.kind !== 'promql') throw new Error('not a promql outcome');
    expect(a.datasetDigest).toMatch(/^[0-9a-f]{16}$/);
  }, 120_000);
});
