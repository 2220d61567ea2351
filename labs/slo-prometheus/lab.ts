// Lab for module 2: SLOs with Prometheus on the web shop of module 1, after 30 days in production.
// Five graded tasks on the same telemetry: an availability SLI, a latency SLI and p99 (with the
// averaged-quantiles mistake and a histogram without +Inf), the error budget and burn rate,
// multiwindow multi-burn-rate alerts with the learner's own unit tests, and a Keptn-style quality
// gate on two builds. Every grader looks at values the learner's files produced, never at text.
import {
  defineLab,
  type PromqlGradeInput,
  type QualityGateGradeInput,
  type RulesGradeInput,
  type Verdict,
} from '../runtime/lab/definition.ts';
import { duration, lastWindows, near, nearRelative, percent, reference, show, singleValue } from './graders.ts';
import { INCIDENTS, shopTelemetry } from './telemetry.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const SLO = 0.999;
const BUDGET = 1 - SLO;
/** An SLI must match the truth to 2e-6 (0.3 % of the error ratio; other windows differ by 4e-5). */
const SLI_TOLERANCE = 2e-6;

const SHOP = 'job="shop"';
const GOOD_RATIO_28D = `sum(increase(http_requests_total{${SHOP},code!~"5.."}[28d])) / sum(increase(http_requests_total{${SHOP}}[28d]))`;

function query(input: PromqlGradeInput, name: string) {
  const found = input.queries.find((q) => q.name === name);
  if (!found) throw new Error(`no query ${name}`);
  return found.result;
}

function gradeAvailability(input: PromqlGradeInput): Verdict {
  const got = singleValue(query(input, 'main'), 'availability');
  if (!got.ok) return { pass: false, message: got.message };
  const { requests, serverErrors } = lastWindows(input.telemetry, 28 * DAY);
  const truth = 1 - serverErrors / requests;
  const v = got.value;
  if (near(v, truth, SLI_TOLERANCE))
    return {
      pass: true,
      message: `Right: the availability SLI over the last 28 days is ${show(v)} (${percent(v, 5)}); the truth is ${show(truth)}.`,
    };
  if (Number.isNaN(v)) return { pass: false, message: 'Your query returns NaN: a 0/0 division. Does the denominator select any requests?' };
  if (near(v, 1 - truth, SLI_TOLERANCE))
    return { pass: false, message: `${show(v)} is the error ratio (bad / valid). The SLI is the good fraction: good / valid.` };
  const twoXX = reference(
    input.telemetry,
    `sum(increase(http_requests_total{${SHOP},code=~"2.."}[28d])) / sum(increase(http_requests_total{${SHOP}}[28d]))`,
  );
  if (near(v, twoXX, SLI_TOLERANCE))
    return {
      pass: false,
      message: `${show(v)} counts every non-2xx as bad. 404s for unknown product ids are the client's error, not the service's: good events are requests not answered with a 5xx.`,
    };
  const raw = reference(input.telemetry, `sum(http_requests_total{${SHOP},code!~"5.."}) / sum(http_requests_total{${SHOP}})`);
  if (near(v, raw, SLI_TOLERANCE))
    return {
      pass: false,
      message: `${show(v)} divides the raw counters: they count since each process last restarted (deploys reset them), not over 28 days. Use increase(...[28d]).`,
    };
  for (const days of [1, 7, 30]) {
    const other = reference(input.telemetry, GOOD_RATIO_28D.replaceAll('[28d]', `[${days}d]`));
    if (near(v, other, SLI_TOLERANCE))
      return { pass: false, message: `${show(v)} is the SLI over ${days} days; the SLO's window is the last 28 days.` };
  }
  return {
    pass: false,
    message: `Your SLI is ${show(v)}, but over the last 28 days ${percent(truth, 5)} of the shop's requests were good. Good = not 5xx, valid = all requests, both as increase() over [28d].`,
  };
}

const P99_1H = `histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{${SHOP}}[1h])))`;
const PAYMENTS_P99 =
  'histogram_quantile(0.99, sum by (le) (rate(payment_gateway_request_duration_seconds_bucket[1h]) or label_replace(rate(payment_gateway_request_duration_seconds_count[1h]), "le", "+Inf", "", "")))';

function gradeLatency(input: PromqlGradeInput): Verdict {
  const t = input.telemetry;
  const got = singleValue(query(input, 'main'), 'latency SLI');
  if (!got.ok) return { pass: false, message: got.message };
  const { requests, fast } = lastWindows(t, 28 * DAY);
  const truth = fast / requests;
  if (!near(got.value, truth, SLI_TOLERANCE)) {
    if (near(got.value, 1 - truth, SLI_TOLERANCE))
      return { pass: false, message: `${show(got.value)} is the fraction slower than 300 ms; the SLI is the fraction at or under it.` };
    return {
      pass: false,
      message: `Your latency SLI is ${show(got.value)}; over the last 28 days ${percent(truth, 5)} of requests took at most 300 ms. Divide the le="0.3" bucket's increase by the count's, summed over all series.`,
    };
  }
  const p99 = query(input, 'p99');
  if (p99.ok && p99.value.resultType === 'vector' && p99.value.result.length > 1)
    return {
      pass: false,
      message: `Your p99 query returns ${p99.value.result.length} quantiles, one per series. Quantiles of parts do not combine: sum the buckets by le across instances and routes first, then take one histogram_quantile.`,
    };
  const gotP99 = singleValue(p99, 'p99');
  if (!gotP99.ok) return { pass: false, message: gotP99.message };
  const right = reference(t, P99_1H);
  if (!nearRelative(gotP99.value, right, 1e-6)) {
    const averaged = [
      `avg(histogram_quantile(0.99, rate(http_request_duration_seconds_bucket{${SHOP}}[1h])))`,
      `avg(histogram_quantile(0.99, sum by (le, instance) (rate(http_request_duration_seconds_bucket{${SHOP}}[1h]))))`,
      `avg(histogram_quantile(0.99, sum by (le, route) (rate(http_request_duration_seconds_bucket{${SHOP}}[1h]))))`,
    ].map((q) => reference(t, q));
    if (averaged.some((a) => nearRelative(gotP99.value, a, 1e-6)))
      return {
        pass: false,
        message: `${show(gotP99.value * 1000, 4)} ms is an average of per-series p99s. Averaging quantiles is meaningless (a slow route's tail is diluted by fast ones): the real p99 is ${show(right * 1000, 4)} ms. Sum the bucket rates by le first, then apply histogram_quantile once.`,
      };
    const fiveMinutes = reference(t, P99_1H.replace('[1h]', '[5m]'));
    if (nearRelative(gotP99.value, fiveMinutes, 1e-6))
      return { pass: false, message: 'That is the p99 over the last 5 minutes; the task asks for the last hour ([1h]).' };
    return {
      pass: false,
      message: `Your p99 is ${show(gotP99.value)} s; over the last hour it is ${show(right)} s for all of the shop's requests.`,
    };
  }
  const payments = singleValue(query(input, 'payments-p99'), 'payment gateway p99');
  if (!payments.ok) return { pass: false, message: payments.message };
  if (Number.isNaN(payments.value))
    return {
      pass: false,
      message:
        'NaN: the payment gateway’s exporter has no le="+Inf" bucket, so histogram_quantile cannot know how many observations lie above its highest bound. The _count series is exactly what +Inf would hold: add it as that bucket.',
    };
  const paymentsRight = reference(t, PAYMENTS_P99);
  if (!nearRelative(payments.value, paymentsRight, 1e-6))
    return {
      pass: false,
      message: `Your payment gateway p99 is ${show(payments.value)} s; with the count used as the +Inf bucket it is ${show(paymentsRight)} s over the last hour.`,
    };
  return {
    pass: true,
    message: `Right: ${percent(got.value, 6)} of requests took at most 300 ms over 28 days; the shop's p99 over the last hour is ${show(right * 1000, 4)} ms, and the payment gateway's ${show(paymentsRight * 1000, 4)} ms once its missing +Inf bucket is supplied.`,
  };
}

function gradeBudget(input: PromqlGradeInput): Verdict {
  const t = input.telemetry;
  const got = singleValue(query(input, 'main'), 'error budget');
  if (!got.ok) return { pass: false, message: got.message };
  const month = lastWindows(t, 28 * DAY);
  const remaining = 1 - month.serverErrors / month.requests / BUDGET;
  const v = got.value;
  if (!near(v, remaining, 0.002)) {
    if (near(v, 1 - remaining, 0.002))
      return { pass: false, message: `${show(v, 4)} is the budget consumed; the task asks for what remains: 1 − consumed.` };
    if (near(v / 100, remaining, 0.002))
      return { pass: false, message: 'Give the remaining budget as a fraction (0.25), not a percentage (25).' };
    if (near(v, month.serverErrors / month.requests, 1e-5))
      return {
        pass: false,
        message: `${show(v, 4)} is the error ratio. The budget is 1 − 0.999 = 0.001 of requests: consumed = error ratio / 0.001.`,
      };
    return {
      pass: false,
      message: `Your remaining error budget is ${show(v, 4)}; of the 0.1 % of requests the SLO allows to fail in 28 days, ${percent(remaining)} are left.`,
    };
  }
  const gotBurn = singleValue(query(input, 'burn-rate'), 'burn rate');
  if (!gotBurn.ok) return { pass: false, message: gotBurn.message };
  const hour = lastWindows(t, HOUR);
  const burn = hour.serverErrors / hour.requests / BUDGET;
  const b = gotBurn.value;
  if (!nearRelative(b, burn, 0.02)) {
    if (nearRelative(b, burn * BUDGET, 0.02))
      return {
        pass: false,
        message: `${show(b, 4)} is the error ratio over the last hour; the burn rate is that ratio divided by the budget (0.001).`,
      };
    const fiveMinutes = reference(
      t,
      `(sum(rate(http_requests_total{${SHOP},code=~"5.."}[5m])) / sum(rate(http_requests_total{${SHOP}}[5m]))) / 0.001`,
    );
    if (nearRelative(b, fiveMinutes, 0.02))
      return { pass: false, message: 'That is the burn rate over 5 minutes; the task asks for the last hour.' };
    return {
      pass: false,
      message: `Your burn rate is ${show(b, 4)}; over the last hour the shop failed requests ${show(burn, 3)} times as fast as the SLO allows.`,
    };
  }
  const hoursLeft = (remaining * 28 * 24) / burn;
  return {
    pass: true,
    message: `Right: ${percent(remaining)} of the error budget is left, burning at ${show(b, 3)}× — at this rate it is gone in about ${Math.round(hoursLeft)} hours.`,
  };
}

/** Fast and slow burns must be caught; a firing within an hour of the blip counts as firing on it. */
function gradeAlerts(input: RulesGradeInput): Verdict {
  const r = input.result;
  const first = r.issues[0];
  if (first) return { pass: false, message: `${first.file}${first.line !== undefined ? `:${first.line}` : ''}: ${first.message}` };
  if (r.evaluation === null) return { pass: false, message: 'The rule file did not load.' };
  if (r.evaluationErrors.length > 0) return { pass: false, message: `Evaluating your rules failed: ${r.evaluationErrors[0]}` };
  const severities = new Set(r.alerts.map((a) => a.labels['severity']));
  const byName = new Map(r.incidents.map((i) => [i.name, i]));
  const fast = byName.get('fast-burn');
  const slow = byName.get('slow-burn');
  const blip = byName.get('blip');
  if (!fast || !slow || !blip) throw new Error('the telemetry lacks a seeded incident');
  const blipFirings = r.alerts.flatMap((a) =>
    a.firings.filter((f) => f.firedAt >= blip.start && f.firedAt < blip.end + HOUR).map(() => a.name),
  );
  const page = fast.detections.find((d) => d.severity === 'page');
  const ticket = slow.detections.find((d) => d.severity === 'ticket');
  const report = [
    page ? `fast burn paged after ${duration(page.detectionMs)}` : 'fast burn: no page',
    ticket ? `slow burn ticketed after ${duration(ticket.detectionMs)}` : 'slow burn: no ticket',
    `precision ${r.precision === null ? '—' : percent(r.precision)}`,
  ].join('; ');
  if (r.alerts.length === 0 && !severities.has('page'))
    return { pass: false, message: 'None of your alerts ever fired in the 30 days. Label them severity: page and severity: ticket.' };
  if (blipFirings.length > 0)
    return {
      pass: false,
      message: `${blipFirings[0]} fired on the two-minute blip (${report}). A blip that spends 0.3 % of the budget must not page: require the long window (1h at 14.4×) as well as the short one.`,
    };
  if (!page)
    return {
      pass: false,
      message: `No alert labelled severity="page" fired during the fast burn (${report}). Page when the 1h and 5m burn rates both exceed 14.4, or the 6h and 30m both exceed 6.`,
    };
  if (!ticket)
    return {
      pass: false,
      message: `No alert labelled severity="ticket" fired during the slow burn (${report}). Open a ticket when the 1d and 2h burn rates both exceed 3, or the 3d and 6h both exceed 1.`,
    };
  if (r.falseFirings.length > 0) {
    const f = r.falseFirings[0];
    return {
      pass: false,
      message: `${r.falseFirings.length} firing(s) matched no incident, the first ${f?.alert} at ${new Date(f?.firedAt ?? 0).toISOString().slice(0, 16)} UTC (${report}). Are your thresholds burn rate × 0.001?`,
    };
  }
  if (!r.unitTests) return { pass: false, message: `Your alerts work (${report}); now write promtool unit tests for them in tests.yml.` };
  if (!r.unitTests.ok) {
    const failed = r.unitTests.groups.find((g) => !g.ok);
    return {
      pass: false,
      message: `Your alerts work (${report}), but your unit tests fail${failed ? ` in "${failed.name}": ${failed.failures[0] ?? ''}` : ''}. promtool would exit 1.`,
    };
  }
  if (r.unitTests.groups.length === 0) return { pass: false, message: 'Your unit-test file has no tests: add at least one under tests:.' };
  const alertCases = r.unitTests.groups.reduce((n, g) => n + g.alertCases, 0);
  if (alertCases === 0)
    return {
      pass: false,
      message: 'Your unit tests check no alert: add an alert_rule_test that says when your alert must (and must not) fire.',
    };
  return {
    pass: true,
    message: `Your alerts catch both burns and stay silent on the blip: ${report}. Your ${alertCases} alert test case(s) pass.`,
  };
}

function gradeGate(input: QualityGateGradeInput): Verdict {
  const problem = input.builds.flatMap((b) => b.issues)[0];
  if (problem)
    return { pass: false, message: `${problem.file}${problem.line !== undefined ? `:${problem.line}` : ''}: ${problem.message}` };
  const regressed = input.builds.find((b) => b.role === 'regressed');
  const good = input.builds.find((b) => b.role === 'good');
  if (!regressed || !good) throw new Error('the task defines a good and a regressed build');
  const failedObjective = input.builds.flatMap((b) => b.objectives).find((o) => o.error !== undefined);
  if (failedObjective) return { pass: false, message: `The SLI ${failedObjective.sli} could not be evaluated: ${failedObjective.error}` };
  const scores = `${regressed.label}: ${regressed.result} (${show(regressed.score ?? Number.NaN, 4)} %), ${good.label}: ${good.result} (${show(good.score ?? Number.NaN, 4)} %)`;
  if (regressed.result !== 'fail')
    return {
      pass: false,
      message: `The regressed build gets "${regressed.result}" (${scores}). Add an objective on checkout latency that 1.5.0 misses, absolute or relative to the previous build.`,
    };
  if (good.result !== 'pass')
    return {
      pass: false,
      message: `The good build gets "${good.result}" instead of pass (${scores}): an objective or the total_score thresholds are too strict.`,
    };
  const reported = Number(input.answer);
  if (input.answer === null || input.answer.trim() === '' || !Number.isFinite(reported))
    return { pass: false, message: `The gate works (${scores}). Now report the regressed build's total score.` };
  if (!near(reported, regressed.score ?? Number.NaN, 0.5))
    return { pass: false, message: `The gate works, but the regressed build's score is not ${reported}: read it from the result.` };
  return { pass: true, message: `The gate blocks the regression and lets the fix through: ${scores}.` };
}

const AVAILABILITY_STARTER = `sum(http_requests_total{job="shop"})`;

const LATENCY_STARTER = `sum(http_request_duration_seconds_count{job="shop"})`;
const P99_STARTER = `avg(histogram_quantile(0.99, rate(http_request_duration_seconds_bucket{job="shop"}[1h])))`;
const PAYMENTS_STARTER = `histogram_quantile(0.99, sum by (le) (rate(payment_gateway_request_duration_seconds_bucket[1h])))`;

const BUDGET_STARTER = `1 - sum(increase(http_requests_total{job="shop"}[28d]))`;
const BURN_STARTER = `sum(rate(http_requests_total{job="shop"}[1h]))`;

const RULES_STARTER = `groups:
  - name: shop-slo
    interval: 1m
    rules:
      # Error ratio of the shop over one window; add the other windows you need.
      - record: job:slo_errors_per_request:ratio_rate1h
        expr: |
          sum by (job) (rate(http_requests_total{job="shop",code=~"5.."}[1h]))
            / sum by (job) (rate(http_requests_total{job="shop"}[1h]))
      # A single-window alert: it pages on every blip. Make it multiwindow, multi-burn-rate,
      # and add a ticket alert (severity: ticket) for slow burns.
      - alert: ShopErrorBudgetBurn
        expr: job:slo_errors_per_request:ratio_rate1h > 0.001
        labels:
          severity: page
        annotations:
          summary: "The shop burns its error budget at {{ $value | humanize }} errors per request"
`;

const TESTS_STARTER = `rule_files:
  - rules.yml

evaluation_interval: 1m

tests:
  # Feed the rules a synthetic outage and say which alerts must fire.
  - interval: 1m
    input_series:
      - series: 'http_requests_total{job="shop",code="200"}'
        values: '0+600x180'
      - series: 'http_requests_total{job="shop",code="500"}'
        values: '0+60x180'
    alert_rule_test:
      - eval_time: 2h
        alertname: ShopErrorBudgetBurn
        exp_alerts: []
`;

const SLO_STARTER = `spec_version: "1.0"
comparison:
  aggregate_function: avg
  compare_with: single_result
  include_result_with_score: pass
  number_of_comparison_results: 1
filter: {}
objectives:
  - sli: error_rate
    displayName: Error rate
    pass:
      - criteria:
          - "<=1"
    weight: 1
total_score:
  pass: "90%"
  warning: "75%"
`;

const SLI_STARTER = `spec_version: "1.0"
indicators:
  error_rate: sum(increase(http_requests_total{job="shop",code=~"5.."}[$DURATION_SECONDS])) / sum(increase(http_requests_total{job="shop"}[$DURATION_SECONDS])) * 100
`;

export default defineLab({
  id: 'slo-prometheus',
  title: 'SLOs with Prometheus: the web shop in production',
  version: 1,
  module: 'slos',
  summary:
    'The web shop of the k6 lab after 30 days in production, as Prometheus saw it: write SLI queries, an error budget and burn rate, multiwindow burn-rate alerts with unit tests, and a quality gate that stops a regressed build.',
  objectives: [
    'Write an availability SLI as good events over valid events across 28 days',
    'Compute a latency SLI and a p99 from histogram buckets without averaging quantiles',
    'Turn an SLO into a remaining error budget and a burn rate',
    'Alert on fast and slow burns with multiwindow, multi-burn-rate rules, and unit-test them',
    'Gate a release on SLOs with Keptn-style pass and warning criteria',
  ],
  baseUrl: 'http://shop.test',
  telemetry: shopTelemetry,
  tasks: [
    {
      kind: 'promql',
      id: 'availability-sli',
      title: 'An availability SLI over 28 days',
      goal: 'Write a query for the shop’s availability SLI over the last 28 days: the fraction of requests that were **good** (not answered with a 5xx status) among all **valid** requests. Its value must match the true fraction of good requests. The query is evaluated at the end of the 30 days.',
      starter: AVAILABILITY_STARTER,
      editorLabel: 'Availability SLI over the last 28 days',
      hint: 'Counters only go up (and reset when a process restarts): take increase(...[28d]) of http_requests_total, once for code!~"5.." and once for all codes, sum each, and divide.',
      grade: gradeAvailability,
    },
    {
      kind: 'promql',
      id: 'latency-sli',
      title: 'A latency SLI and the p99 from histogram buckets',
      goal: 'Three queries: (1) the fraction of the shop’s requests over the last 28 days that took at most 300 ms, from `http_request_duration_seconds`; (2) the shop’s p99 latency over the last hour, across both instances and all routes; (3) the p99 over the last hour of the payment gateway’s calls, `payment_gateway_request_duration_seconds` — look closely at its buckets first.',
      starter: LATENCY_STARTER,
      editorLabel: 'Fraction of requests within 300 ms over 28 days',
      files: [
        { name: 'p99', label: 'The shop’s p99 latency over the last hour (seconds)', language: 'promql', starter: P99_STARTER },
        {
          name: 'payments-p99',
          label: 'The payment gateway’s p99 over the last hour (seconds)',
          language: 'promql',
          starter: PAYMENTS_STARTER,
        },
      ],
      hint: 'Buckets are cumulative: le="0.3" counts every request up to 300 ms. For a quantile across series, sum the bucket rates by le, then apply histogram_quantile once. A histogram without le="+Inf" gives NaN; its _count is what that bucket would hold.',
      grade: gradeLatency,
    },
    {
      kind: 'promql',
      id: 'error-budget',
      title: 'The remaining error budget and the burn rate',
      goal: 'The shop’s SLO: 99.9 % of requests are good (not 5xx) over 28 days. Write (1) the fraction of the 28-day error budget that remains (1 = untouched, 0 = spent, negative = overspent), and (2) the burn rate over the last hour: how many times faster than the SLO allows the shop is failing requests.',
      starter: BUDGET_STARTER,
      editorLabel: 'Remaining error budget (fraction) over 28 days',
      files: [{ name: 'burn-rate', label: 'Burn rate over the last hour', language: 'promql', starter: BURN_STARTER }],
      hint: 'The budget is 1 − 0.999 = 0.001 of the requests. Consumed = error ratio over 28 days / 0.001; remaining = 1 − consumed. The burn rate is the error ratio over the last hour / 0.001.',
      grade: gradeBudget,
    },
    {
      kind: 'rules',
      id: 'burn-rate-alerts',
      title: 'Multiwindow, multi-burn-rate alerts with unit tests',
      goal: 'Write a Prometheus rule file with the SRE Workbook’s alerts for a 99.9 % SLO: **page** (`severity: page`) when the 1h and 5m burn rates both exceed 14.4, or the 6h and 30m both exceed 6; open a **ticket** (`severity: ticket`) when the 1d and 2h both exceed 3, or the 3d and 6h both exceed 1. Your rules are evaluated over the 30 days: they must page on the fast burn, ticket the slow burn, stay silent on the blip, and fire at no other time. Then write promtool unit tests for your own rules in `tests.yml`; they must pass.',
      starter: RULES_STARTER,
      editorLabel: 'rules.yml',
      ruleFileName: 'rules.yml',
      testFileName: 'tests.yml',
      files: [{ name: 'tests.yml', label: 'tests.yml (promtool test rules)', language: 'yaml', starter: TESTS_STARTER }],
      hint: 'Record the error ratio for each window (5m, 30m, 1h, 2h, 6h, 1d, 3d), then alert on (long > N × 0.001 and short > N × 0.001) pairs joined with or. In tests.yml, 10 % errors for two hours should fire both severities: list every firing alert in exp_alerts with its labels.',
      grade: gradeAlerts,
    },
    {
      kind: 'quality-gate',
      id: 'quality-gate',
      title: 'An SLO quality gate that stops a regressed build',
      goal: 'Write a Keptn-style `slo.yaml` and its `sli.yaml`. The gate is evaluated on the first six hours in production of three builds, in order: 1.4.1 (the baseline), 1.5.0 (checkout regressed) and 1.5.1 (the fix); relative criteria compare with the earlier results that your `comparison` settings select. The gate must **fail** 1.5.0 and **pass** 1.5.1. Report 1.5.0’s total score.',
      starter: SLO_STARTER,
      editorLabel: 'slo.yaml',
      sliFileName: 'sli.yaml',
      files: [{ name: 'sli.yaml', label: 'sli.yaml (the SLI queries)', language: 'yaml', starter: SLI_STARTER }],
      builds: [
        { label: 'build 1.4.1', fromMs: INCIDENTS.regression.fromMs - 6 * HOUR, toMs: INCIDENTS.regression.fromMs, role: 'baseline' },
        { label: 'build 1.5.0', fromMs: INCIDENTS.regression.fromMs, toMs: INCIDENTS.regression.fromMs + 6 * HOUR, role: 'regressed' },
        { label: 'build 1.5.1', fromMs: INCIDENTS.regression.toMs, toMs: INCIDENTS.regression.toMs + 6 * HOUR, role: 'good' },
      ],
      answer: { kind: 'number', label: 'Total score of build 1.5.0', unit: '%' },
      hint: 'Add an SLI for checkout’s p95 latency from the histogram buckets over $DURATION_SECONDS, with an absolute pass criterion (e.g. "<200" ms) and a relative one ("<=+10%"). Weight it and make it a key SLI so a miss fails the gate.',
      grade: gradeGate,
    },
  ],
});
