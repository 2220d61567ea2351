// Prometheus rules for the SLO lab: rule files (parse + check like `promtool check rules`),
// evaluation over time (recording rules written back, alert states, ALERTS series), alert
// templates, and the `promtool test rules` unit-test runner. Isomorphic: no Node or framework APIs.

export { formatPromDuration, parsePromDuration } from './duration.ts';
export {
  type ActiveAlert,
  type AlertEpisode,
  type AlertInstance,
  type AlertingRuleResult,
  type AlertState,
  alertsAt,
  DEFAULT_EVALUATION_INTERVAL_MS,
  type EvaluateRulesOptions,
  type EvaluateRulesResult,
  evaluateRules,
  type GroupEvaluation,
  type RecordingRuleResult,
  type RuleError,
  type RuleEvaluation,
  type RuleResult,
  type StateInterval,
} from './evaluate.ts';
export {
  type AlertingRule,
  checkRulesReport,
  type ParseRuleFileResult,
  parseRuleFile,
  type RecordingRule,
  type Rule,
  type RuleFile,
  type RuleGroup,
} from './rule-file.ts';
export { checkAlertTemplate, parseAlertTemplate, type TemplateData } from './template.ts';
export { type RuleTestGroupReport, type RuleTestReport, type RunRuleTestsOptions, runRuleTests } from './unit-test.ts';
export { type FileIssue, formatIssue } from './yaml-issues.ts';
