// Keptn-style SLO quality gates for the SLO lab: slo.yaml and sli.yaml parsing and the lighthouse
// scoring (pass/warning criteria, relative comparisons, weights, key SLIs, total score).
export {
  type CriterionResult,
  type EvaluateQualityGateOptions,
  evaluateQualityGate,
  type GateResult,
  type ObjectiveResult,
  type ObjectiveStatus,
  type PreviousEvaluation,
  type QualityGateContext,
  type QualityGateResult,
  replacePlaceholders,
} from './evaluate.ts';
export {
  type Criterion,
  type FileIssue,
  type Objective,
  type ParseResult,
  parseCriterion,
  parseSliFile,
  parseSloFile,
  type SliFile,
  type SloFile,
} from './slo-file.ts';
