// The runner of `rules` tasks: the learner's rule file is loaded like `promtool check rules`,
// evaluated over the whole telemetry (a fork of its Tsdb, so recording rules cannot leak into the
// next run), and its alerts are compared with the seeded incidents: which incident each alert
// caught and how fast, which firings caught nothing (precision). The learner's promtool unit tests
// run against the same rule file.
import { evaluateRules, parseRuleFile, runRuleTests } from '../../promql/rules/index.ts';
import type { QueryOptions } from '../../promql/types.ts';
import { forkTsdb } from '../../telemetry/generate.ts';
import type { Telemetry } from '../../telemetry/spec.ts';
import type { ExtraFiles, RulesTask, Verdict } from '../definition.ts';
import { LAB_RULE_MAX_SAMPLES, LAB_RULE_TIMEOUT_MS } from '../limits.ts';
import type { AlertView, FileIssue, RulesRunResult } from '../outcome.ts';
import { gradeSafely } from './grade-safely.ts';

/** Alert instances kept in an outcome, and bands per instance. */
const ALERT_LIMIT = 50;
const INTERVAL_LIMIT = 500;

interface IssueLike {
  message: string;
  line?: number;
  column?: number;
}

function fileIssue(file: string, issue: IssueLike): FileIssue {
  return {
    file,
    message: issue.message,
    ...(issue.line !== undefined ? { line: issue.line } : {}),
    ...(issue.column !== undefined ? { column: issue.column } : {}),
  };
}

/** A firing up to this long after an incident ended is still attributed to it (long windows lag). */
export const ATTRIBUTION_GRACE_MS = 3_600_000;

/** Which incidents each firing overlapped (or followed within the grace), and the firings that matched no incident worth an alert. */
export function scoreAlerts(
  alerts: AlertView[],
  telemetry: Telemetry,
  end: number,
): Pick<RulesRunResult, 'incidents' | 'falseFirings' | 'precision'> {
  const firings = alerts.flatMap((alert) =>
    alert.firings.map((f) => ({
      alert: alert.name,
      severity: alert.labels['severity'] ?? null,
      firedAt: f.firedAt,
      resolvedAt: f.resolvedAt,
    })),
  );
  firings.sort((a, b) => a.firedAt - b.firedAt || (a.alert < b.alert ? -1 : a.alert > b.alert ? 1 : 0));
  const overlaps = (f: (typeof firings)[number], start: number, stop: number) => f.firedAt < stop && (f.resolvedAt ?? end + 1) > start;
  const incidents = telemetry.incidents.map((incident) => {
    const detections: RulesRunResult['incidents'][number]['detections'] = [];
    const seen = new Set<string>();
    for (const f of firings) {
      if (!overlaps(f, incident.start, incident.end + ATTRIBUTION_GRACE_MS) || seen.has(f.alert)) continue;
      seen.add(f.alert);
      detections.push({ alert: f.alert, severity: f.severity, firedAt: f.firedAt, detectionMs: f.firedAt - incident.start });
    }
    return {
      name: incident.name,
      description: incident.description,
      start: incident.start,
      end: incident.end,
      expectedAlert: incident.expectedAlert,
      detections,
    };
  });
  // A firing is true when it belongs to an incident worth alerting on (not a blip meant to pass).
  const worthAlerting = telemetry.incidents.filter((i) => i.expectedAlert !== 'none');
  const falseFirings = firings.filter((f) => !worthAlerting.some((i) => overlaps(f, i.start, i.end + ATTRIBUTION_GRACE_MS)));
  return { incidents, falseFirings, precision: firings.length === 0 ? null : (firings.length - falseFirings.length) / firings.length };
}

export function runRulesTask(
  task: RulesTask,
  telemetry: Telemetry,
  code: string,
  files: ExtraFiles,
  answer: string | null,
  queryOptions: QueryOptions,
): { rules: RulesRunResult; verdict: Verdict } {
  const empty: RulesRunResult = {
    issues: [],
    evaluation: null,
    alerts: [],
    alertsTruncated: 0,
    evaluationErrors: [],
    incidents: [],
    falseFirings: [],
    precision: null,
    unitTests: null,
  };
  const result = { ...empty };
  const parsed = parseRuleFile(code);
  if (!parsed.ok) {
    result.issues = parsed.errors.map((e) => fileIssue(task.ruleFileName, e));
  } else {
    const evaluated = evaluateRules(forkTsdb(telemetry), parsed.value, {
      start: telemetry.start,
      end: telemetry.end,
      defaultIntervalMs: task.defaultIntervalMs ?? 60_000,
      queryOptions: {
        ...queryOptions,
        maxSamples: LAB_RULE_MAX_SAMPLES,
        timeoutMs: Math.max(queryOptions.timeoutMs ?? 0, LAB_RULE_TIMEOUT_MS),
      },
      writeAlertSeries: false,
    });
    if (!evaluated.ok) {
      result.issues = evaluated.errors.map((e) => fileIssue(task.ruleFileName, e));
    } else {
      const alerts: AlertView[] = [];
      const errors: string[] = [];
      for (const group of evaluated.value.groups) {
        for (const rule of group.rules) {
          for (const e of rule.errors) if (errors.length < 5) errors.push(`${group.name}/${rule.name}: ${e.message}`);
          if (rule.kind !== 'alert') continue;
          for (const alert of rule.alerts) {
            alerts.push({
              name: rule.name,
              labels: { ...alert.labels },
              annotations: { ...alert.annotations },
              intervals: alert.intervals.slice(0, INTERVAL_LIMIT).map((i) => ({ state: i.state, start: i.start, end: i.end })),
              firings: alert.firings.map((f) => ({ activeAt: f.activeAt, firedAt: f.firedAt, resolvedAt: f.resolvedAt })),
            });
          }
        }
      }
      result.evaluation = { start: telemetry.start, end: telemetry.end, intervalsMs: evaluated.value.groups.map((g) => g.intervalMs) };
      Object.assign(result, scoreAlerts(alerts, telemetry, telemetry.end));
      result.alerts = alerts.slice(0, ALERT_LIMIT);
      result.alertsTruncated = Math.max(0, alerts.length - ALERT_LIMIT);
      result.evaluationErrors = errors;
    }
    if (task.testFileName !== undefined) {
      const tests = files[task.testFileName] ?? '';
      if (tests.trim() === '') {
        result.issues = [...result.issues, { file: task.testFileName, message: 'the unit-test file is empty: write at least one test' }];
      } else {
        const report = runRuleTests({ [task.ruleFileName]: code }, tests, { fileName: task.testFileName });
        result.issues = [...result.issues, ...report.errors.map((e) => fileIssue(task.testFileName as string, e))];
        result.unitTests = {
          ok: report.ok,
          output: report.output.slice(0, 20_000),
          groups: report.groups.map((g) => ({
            name: g.name,
            ok: g.ok,
            failures: g.failures.slice(0, 20),
            alertCases: g.alertCases,
            exprCases: g.exprCases,
          })),
        };
      }
    }
  }
  const verdict = gradeSafely(() => task.grade({ result, answer, telemetry }));
  return { rules: result, verdict };
}
