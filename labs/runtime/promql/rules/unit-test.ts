// `promtool test rules` for the lab: the unit-test file format of Prometheus (rule_files,
// evaluation_interval, group_eval_order, tests with input_series, alert_rule_test and
// promql_expr_test, external_labels, external_url), run on strings instead of files, with
// promtool 2.42's semantics and failure messages:
// - input series are loaded at `interval` steps (no interval: every value at t=0, so only the first
//   counts — 2.42 does not default it to evaluation_interval as 3.x does);
// - all groups are evaluated together at every evaluation_interval from 0 to the largest eval_time,
//   in group_eval_order, ignoring the groups' own intervals;
// - an alert test compares the *firing* alerts with that name at the last evaluation at or before
//   eval_time (labels + annotations, alertname added to the expected labels);
// - a PromQL test runs an instant query at eval_time after all evaluations and compares the samples
//   exactly (so NaN never equals NaN, as in 2.42);
// - a rule that fails to evaluate stops its test group with `rule: …, time: …, err: …`.
import { z } from 'zod';
import { instantQuery, parseQuery, STALE_NAN, Tsdb } from '../index.ts';
import { expandValues, parseSeriesLabels } from '../series-notation.ts';
import type { Labels } from '../types.ts';
import { formatPromDuration, parsePromDuration } from './duration.ts';
import { type AlertingRuleResult, alertsAt, compareLabelSets, evaluateRules } from './evaluate.ts';
import { parseRuleFile, type RuleFile } from './rule-file.ts';
import { type FileIssue, formatIssue, goUnknownFieldErrors, issueAt, parseYamlFile, zodIssues } from './yaml-issues.ts';

export interface RuleTestGroupReport {
  /** The test group's `name`, or `#<index>` (1-based) when it has none. */
  name: string;
  ok: boolean;
  /** promtool-style failure texts, one per failed case. */
  failures: string[];
  /** Alert names whose alert_rule_test failed. */
  failedAlerts: string[];
  /** Expressions whose promql_expr_test failed. */
  failedExpressions: string[];
  /** How many alert_rule_test and promql_expr_test cases the group has (and ran, unless it stopped early). */
  alertCases: number;
  exprCases: number;
}

export interface RuleTestReport {
  /** Every test group passed (promtool would exit 0). */
  ok: boolean;
  /** What promtool prints (stdout and stderr in order). */
  output: string;
  groups: RuleTestGroupReport[];
  /** Problems with the files themselves (YAML, schema, rule files). */
  errors: FileIssue[];
}

export interface RunRuleTestsOptions {
  /** The name of the test file in the output (default `tests.yml`). */
  fileName?: string;
  /** Most evaluation steps per test group (default 100,000). */
  maxEvaluations?: number;
}

const duration = z.union([z.string(), z.number()], { error: 'must be a duration such as 1m' }).transform((v, ctx) => {
  const parsed = parsePromDuration(String(v));
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.error });
    return z.NEVER;
  }
  return parsed.ms;
});
const text = z.union([z.string(), z.number(), z.boolean()], { error: 'must be a string' }).transform(String);
const stringMap = z.record(z.string(), text).nullish();

const AlertSchema = z.strictObject({ exp_labels: stringMap, exp_annotations: stringMap });
const AlertTestSchema = z.strictObject({
  eval_time: duration.optional(),
  alertname: text.optional(),
  exp_alerts: z.array(AlertSchema).nullish(),
});
const SampleSchema = z.strictObject({
  labels: text.optional(),
  // Go's yaml reads .nan/.inf; a bare "NaN" string is an error there too.
  value: z
    .custom<number>((v) => typeof v === 'number', { error: 'must be a number (write .nan, .inf or -.inf for the special values)' })
    .optional(),
});
const PromqlTestSchema = z.strictObject({
  expr: text.optional(),
  eval_time: duration.optional(),
  exp_samples: z.array(SampleSchema).nullish(),
});
const SeriesSchema = z.strictObject({ series: text.optional(), values: text.optional() });
const TestGroupSchema = z.strictObject({
  interval: duration.optional(),
  input_series: z.array(SeriesSchema).nullish(),
  alert_rule_test: z.array(AlertTestSchema).nullish(),
  promql_expr_test: z.array(PromqlTestSchema).nullish(),
  external_labels: stringMap,
  external_url: text.optional(),
  name: text.optional(),
});
const TestFileSchema = z.strictObject({
  rule_files: z.array(text).nullish(),
  evaluation_interval: duration.optional(),
  group_eval_order: z.array(text).nullish(),
  tests: z.array(TestGroupSchema).nullish(),
});

type TestGroup = z.infer<typeof TestGroupSchema>;

/** Expanded input values per test group, all series together. */
const MAX_INPUT_VALUES = 1_000_000;

/** The Go type promtool decodes the value at `path` into (for its unknown-field messages). */
function testFileType(path: readonly (string | number)[]): string {
  const names = path.filter((p): p is string => typeof p === 'string');
  const last = names[names.length - 1];
  const types: Record<string, string> = {
    tests: 'main.testGroup',
    input_series: 'main.series',
    alert_rule_test: 'main.alertTestCase',
    exp_alerts: 'main.alert',
    promql_expr_test: 'main.promqlTestCase',
    exp_samples: 'main.sample',
  };
  return last === undefined ? 'main.unitTestFile' : (types[last] ?? 'main.unitTestFile');
}

/** Go's labels.Labels.String(): `{a="b", c="d"}` with Go quoting. */
function labelsString(labels: Labels): string {
  const names = Object.keys(labels).sort();
  return `{${names.map((n) => `${n}=${goQuote(labels[n] as string)}`).join(', ')}}`;
}

function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** strconv.FormatFloat(v, 'E', -1, 64). */
function formatFloatE(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  const [mantissa = '0', exponent = '0'] = v.toExponential().split('e');
  const exp = Number(exponent);
  const abs = Math.abs(exp);
  return `${mantissa}E${exp < 0 ? '-' : '+'}${abs < 10 ? `0${abs}` : abs}`;
}

function indentLines(lines: string, indent: string): string {
  return lines
    .split('\n')
    .map((l, i) => (i > 0 ? indent + l : l))
    .join('\n');
}

interface LabelsAndAnnotations {
  labels: Labels;
  annotations: Labels;
}

function alertsString(list: LabelsAndAnnotations[]): string {
  if (list.length === 0) return '[]';
  const one = (a: LabelsAndAnnotations) => `Labels:${labelsString(a.labels)}\nAnnotations:${labelsString(a.annotations)}`;
  let s = `[\n0:${indentLines(`\n${one(list[0] as LabelsAndAnnotations)}`, '  ')}`;
  list.slice(1).forEach((a, i) => {
    s += `,\n${i + 1}:${indentLines(`\n${one(a)}`, '  ')}`;
  });
  return `${s}\n]`;
}

function sortAlerts(list: LabelsAndAnnotations[]): LabelsAndAnnotations[] {
  return [...list].sort((a, b) => compareLabelSets(a.labels, b.labels) || compareLabelSets(a.annotations, b.annotations));
}

function sameLabels(a: Labels, b: Labels): boolean {
  return compareLabelSets(a, b) === 0;
}

function clean(map: Record<string, string> | null | undefined): Labels {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map ?? {})) if (v !== '') out[k] = v;
  return out;
}

/** Loads a test group's input series into a fresh TSDB; returns an error text on bad input. */
function loadSeries(db: Tsdb, group: TestGroup, intervalMs: number): string | undefined {
  let budget = MAX_INPUT_VALUES;
  for (const s of group.input_series ?? []) {
    const labels = parseSeriesLabels(s.series ?? '');
    if (!labels.ok) return `${labels.error} (series ${JSON.stringify(s.series ?? '')})`;
    if ((s.values ?? '').includes('{{')) {
      return `native histogram samples ({{…}}) are not supported: native histograms are out of scope (series ${JSON.stringify(s.series ?? '')})`;
    }
    const values = expandValues(s.values ?? '', { maxValues: budget });
    if (!values.ok) return `${values.error} (series ${JSON.stringify(s.series ?? '')}; at most ${MAX_INPUT_VALUES} values in all)`;
    budget -= values.values.length;
    const id = db.seriesId(labels.labels);
    let last = Number.NEGATIVE_INFINITY;
    values.values.forEach((v, i) => {
      if (v === null) return;
      const t = i * intervalMs;
      // Same timestamp again (interval 0): Prometheus keeps the first sample.
      if (t <= last) return;
      last = t;
      db.append(id, t, v === 'stale' ? STALE_NAN : v);
    });
  }
  return undefined;
}

function ruleFilesOf(
  names: string[],
  ruleFiles: Readonly<Record<string, string>>,
): { file: RuleFile; warnings: string[]; errors: string[]; issues: FileIssue[] } {
  const groups: RuleFile['groups'] = [];
  const warnings: string[] = [];
  const errors: string[] = [];
  const issues: FileIssue[] = [];
  for (const name of names) {
    const content = ruleFiles[name];
    if (content === undefined) {
      warnings.push(`  WARNING: no file match pattern ${name}`);
      continue;
    }
    const parsed = parseRuleFile(content);
    if (!parsed.ok) {
      for (const e of parsed.errors) {
        errors.push(`${name}: ${formatIssue(e)}`);
        issues.push({ ...e, message: `${name}: ${e.message}` });
      }
      continue;
    }
    groups.push(...parsed.value.groups);
  }
  return { file: { groups }, warnings, errors, issues };
}

function runGroup(
  group: TestGroup,
  index: number,
  evalInterval: number,
  groupOrder: string[],
  ruleFile: RuleFile,
  maxEvaluations: number,
): RuleTestGroupReport {
  const name = group.name ?? `#${index + 1}`;
  const report: RuleTestGroupReport = {
    name,
    ok: true,
    failures: [],
    failedAlerts: [],
    failedExpressions: [],
    alertCases: group.alert_rule_test?.length ?? 0,
    exprCases: group.promql_expr_test?.length ?? 0,
  };
  const fail = (message: string) => {
    report.ok = false;
    report.failures.push(message);
  };
  const namePrefix = group.name ? `    name: ${group.name},\n` : '';
  const alertTests = group.alert_rule_test ?? [];
  for (const t of alertTests) {
    if (!t.alertname) {
      const where = group.name ? ` (in TestGroup ${group.name})` : '';
      fail(
        `an item under alert_rule_test misses required attribute alertname at eval_time ${formatPromDuration(t.eval_time ?? 0)}${where}`,
      );
      return report;
    }
  }
  const db = new Tsdb();
  const loadError = loadSeries(db, group, group.interval ?? 0);
  if (loadError) {
    fail(loadError);
    return report;
  }
  const exprTests = group.promql_expr_test ?? [];
  const maxt = Math.max(0, ...alertTests.map((t) => t.eval_time ?? 0), ...exprTests.map((t) => t.eval_time ?? 0));
  if (maxt / evalInterval + 1 > maxEvaluations) {
    fail(
      `the largest eval_time (${formatPromDuration(maxt)}) needs more than ${maxEvaluations} evaluations at ${formatPromDuration(evalInterval)}`,
    );
    return report;
  }
  // Alert checks use the evaluation at the last step ≤ eval_time.
  const stepOf = (t: number) => Math.floor(t / evalInterval) * evalInterval;
  const evaluated = evaluateRules(db, ruleFile, {
    start: 0,
    end: maxt,
    lockstep: { intervalMs: evalInterval, groupOrder },
    externalLabels: clean(group.external_labels),
    externalUrl: group.external_url ?? '',
    snapshotTimes: alertTests.map((t) => stepOf(t.eval_time ?? 0)),
  });
  if (!evaluated.ok) {
    fail(evaluated.errors.map((e) => `    ${e.message}`).join('\n'));
    return report;
  }
  const results = evaluated.value.groups.flatMap((g) => g.rules);
  // The first evaluation time at which any rule failed ends the group, as promtool does.
  let firstError = Number.POSITIVE_INFINITY;
  for (const r of results) for (const e of r.errors) firstError = Math.min(firstError, e.t);
  const alertCutoff = Number.isFinite(firstError) ? firstError : Number.POSITIVE_INFINITY;

  const sortedTests = [...alertTests].sort((a, b) => (a.eval_time ?? 0) - (b.eval_time ?? 0));
  for (const t of sortedTests) {
    const evalTime = t.eval_time ?? 0;
    if (stepOf(evalTime) >= alertCutoff) break;
    const alertname = t.alertname ?? '';
    const got: LabelsAndAnnotations[] = [];
    for (const r of results) {
      if (r.kind !== 'alert' || r.name !== alertname) continue;
      for (const a of alertsAt(r as AlertingRuleResult, stepOf(evalTime))) {
        if (a.state === 'firing') got.push({ labels: a.labels, annotations: a.annotations });
      }
    }
    const exp: LabelsAndAnnotations[] = (t.exp_alerts ?? []).map((a) => ({
      labels: clean({ ...(a.exp_labels ?? {}), alertname }),
      annotations: clean(a.exp_annotations),
    }));
    const g = sortAlerts(got);
    const e = sortAlerts(exp);
    const equal =
      g.length === e.length &&
      g.every(
        (x, i) =>
          sameLabels(x.labels, (e[i] as LabelsAndAnnotations).labels) &&
          sameLabels(x.annotations, (e[i] as LabelsAndAnnotations).annotations),
      );
    if (!equal) {
      fail(
        `${namePrefix}    alertname: ${alertname}, time: ${formatPromDuration(evalTime)}, \n        exp:${indentLines(alertsString(e), '            ')}, \n        got:${indentLines(alertsString(g), '            ')}`,
      );
      if (!report.failedAlerts.includes(alertname)) report.failedAlerts.push(alertname);
    }
  }
  if (Number.isFinite(firstError)) {
    for (const r of results) {
      for (const e of r.errors) {
        if (e.t === firstError) fail(`    rule: ${r.name}, time: ${formatPromDuration(firstError)}, err: ${e.message}`);
      }
    }
    return report;
  }

  for (const t of exprTests) {
    const expr = t.expr ?? '';
    const evalTime = t.eval_time ?? 0;
    const head = `    expr: ${goQuote(expr)}, time: ${formatPromDuration(evalTime)}`;
    const r = instantQuery(db, expr, evalTime);
    if (!r.ok) {
      const pos = r.error.kind === 'parse' && r.error.line !== undefined ? `${r.error.line}:${r.error.column ?? 1}: ` : '';
      fail(`${head}, err: ${pos}${r.error.message}`);
      report.failedExpressions.push(expr);
      continue;
    }
    let gotSamples: { labels: Labels; value: number }[];
    if (r.value.resultType === 'vector') gotSamples = r.value.result.map((s) => ({ labels: s.metric, value: s.v }));
    else if (r.value.resultType === 'scalar') gotSamples = [{ labels: {}, value: r.value.v }];
    else {
      fail(`${head}, err: rule result is not a vector or scalar`);
      report.failedExpressions.push(expr);
      continue;
    }
    const expSamples: { labels: Labels; value: number }[] = [];
    let badLabels: string | undefined;
    for (const s of t.exp_samples ?? []) {
      const labelText = s.labels ?? '';
      const parsed =
        labelText.trim() === '' || labelText.trim() === '{}' ? { ok: true as const, labels: {} } : parseSeriesLabels(labelText);
      if (!parsed.ok) {
        // Prefer the PromQL parser's wording (promtool parses these labels with it).
        const q = parseQuery(labelText);
        const detail = q.ok
          ? parsed.error
          : `${q.error.line !== undefined ? `${q.error.line}:${q.error.column ?? 1}: ` : ''}${q.error.message}`;
        badLabels = `labels ${goQuote(labelText)}: ${detail}`;
        break;
      }
      expSamples.push({ labels: parsed.labels, value: s.value ?? 0 });
    }
    if (badLabels) {
      fail(`${head}, err: ${badLabels}`);
      report.failedExpressions.push(expr);
      continue;
    }
    const byLabels = (a: { labels: Labels }, b: { labels: Labels }) => compareLabelSets(a.labels, b.labels);
    expSamples.sort(byLabels);
    gotSamples.sort(byLabels);
    // Exact comparison, as promtool 2.42's reflect.DeepEqual: NaN never equals NaN.
    const equal =
      expSamples.length === gotSamples.length &&
      expSamples.every((x, i) => {
        const y = gotSamples[i] as { labels: Labels; value: number };
        return sameLabels(x.labels, y.labels) && x.value === y.value;
      });
    if (!equal) {
      const str = (list: { labels: Labels; value: number }[]) =>
        list.length === 0 ? 'nil' : list.map((s) => `${labelsString(s.labels)} ${formatFloatE(s.value)}`).join(', ');
      fail(`${head},\n        exp: ${str(expSamples)}\n        got: ${str(gotSamples)}`);
      report.failedExpressions.push(expr);
    }
  }
  return report;
}

/**
 * Runs a promtool unit-test file against rule files given by name (the names `rule_files` uses).
 * Never throws: bad YAML, unknown fields or broken rule files are reported like promtool does.
 */
export function runRuleTests(
  ruleFiles: Readonly<Record<string, string>>,
  testFile: string,
  options: RunRuleTestsOptions = {},
): RuleTestReport {
  const fileName = options.fileName ?? 'tests.yml';
  const header = `Unit Testing:  ${fileName}\n`;
  const failed = (lines: string[], errors: FileIssue[], groups: RuleTestGroupReport[] = [], warnings: string[] = []): RuleTestReport => ({
    ok: false,
    output: `${header}${warnings.map((w) => `${w}\n`).join('')}  FAILED:\n${lines.map((l) => `${l}\n\n`).join('')}\n`,
    groups,
    errors,
  });
  const yaml = parseYamlFile(testFile);
  if (!yaml.ok) return failed(yaml.errors.map(formatIssue), yaml.errors);
  const parsed = TestFileSchema.safeParse(yaml.file.value ?? {});
  if (!parsed.success) {
    const issues = zodIssues(yaml.file, parsed.error);
    const go = goUnknownFieldErrors(issues, testFileType);
    return failed(go ? [go] : issues.map(formatIssue), issues);
  }
  const spec = parsed.data;
  const evalInterval = spec.evaluation_interval || 60_000;
  const order = spec.group_eval_order ?? [];
  const repeated = order.find((g, i) => order.indexOf(g) !== i);
  if (repeated !== undefined) {
    const issue = issueAt(yaml.file, ['group_eval_order'], `group name repeated in evaluation order: ${repeated}`);
    return failed([issue.message], [issue]);
  }
  const rules = ruleFilesOf(spec.rule_files ?? [], ruleFiles);
  if (rules.errors.length > 0) return failed(rules.errors, rules.issues, [], rules.warnings);
  const groups = (spec.tests ?? []).map((g, i) => runGroup(g, i, evalInterval, order, rules.file, options.maxEvaluations ?? 100_000));
  const failures = groups.flatMap((g) => g.failures);
  if (failures.length > 0) return failed(failures, [], groups, rules.warnings);
  return { ok: true, output: `${header}${rules.warnings.map((w) => `${w}\n`).join('')}  SUCCESS\n\n`, groups, errors: [] };
}
