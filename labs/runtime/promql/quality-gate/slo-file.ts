// Keptn's quality-gate files: `slo.yaml` (spec_version, comparison, filter, objectives with pass and
// warning criteria, weights, key SLIs, total_score) and the SLI provider's `sli.yaml` (an
// `indicators` map of SLI name → PromQL query with Keptn's placeholders). Parsed with `yaml`,
// validated with zod, every problem reported with its path and line. Criteria are parsed here, so a
// typo like `<=10 %` is reported when the file is read, not silently scored.
import { z } from 'zod';
import { parseQuery } from '../index.ts';
import { type FileIssue, issueAt, parseYamlFile, zodIssues } from '../rules/yaml-issues.ts';

export type { FileIssue } from '../rules/yaml-issues.ts';

export const CRITERIA_OPERATORS = ['<=', '<', '=', '>=', '>'] as const;
export type CriteriaOperator = (typeof CRITERIA_OPERATORS)[number];

/** One criterion, e.g. `<600` (fixed) or `<=+10%` (relative to the previous results). */
export interface Criterion {
  /** As written in the file. */
  text: string;
  operator: CriteriaOperator;
  value: number;
  /** Compared with the aggregate of previous results instead of a fixed number. */
  relative: boolean;
  /** Relative only: the value is a percentage of the comparison value. */
  percent: boolean;
  /** Relative only: `+` (or a bare `%`) allows an increase; `-` requires a decrease. */
  increase: boolean;
}

const CRITERION = /^(<=|<|=|>=|>)([+-]?)(\d+(?:\.\d*)?|\.\d+)(%?)$/;

/** Parses a criterion the way Keptn's lighthouse does (spaces ignored); undefined if invalid. */
export function parseCriterion(text: string): Criterion | undefined {
  const m = CRITERION.exec(text.replace(/ /g, ''));
  if (!m) return undefined;
  const sign = m[2] ?? '';
  const percent = m[4] === '%';
  return {
    text,
    operator: m[1] as CriteriaOperator,
    value: Number(m[3]),
    // Keptn: a criterion with % is always a comparison, as is one with an explicit sign.
    relative: percent || sign !== '',
    percent,
    increase: sign !== '-',
  };
}

const scalarString = z.union([z.string(), z.number(), z.boolean()], { error: 'must be a string' }).transform(String);

const CriteriaSchema = z.strictObject({
  criteria: z.array(z.string({ error: 'each criterion must be a quoted string such as "<600" or "<=+10%"' }), {
    error: 'criteria must be a list of strings such as ["<600", "<=+10%"]',
  }),
});

const ObjectiveSchema = z.strictObject({
  sli: z.string({ error: 'must name an SLI from sli.yaml' }).min(1, { error: 'must name an SLI from sli.yaml' }),
  displayName: scalarString.optional(),
  pass: z.array(CriteriaSchema, { error: 'must be a list of {criteria: [...]}' }).nullish(),
  warning: z.array(CriteriaSchema, { error: 'must be a list of {criteria: [...]}' }).nullish(),
  weight: z.number({ error: 'must be a whole number' }).int({ error: 'must be a whole number' }).min(0).optional(),
  key_sli: z.boolean({ error: 'must be true or false' }).optional(),
});

const percentage = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const m = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*%?\s*$/.exec(String(v));
  if (!m) {
    ctx.addIssue({ code: 'custom', message: `must be a percentage such as "90%", got ${JSON.stringify(v)}` });
    return z.NEVER;
  }
  return Number(m[1]);
});

const SloSchema = z.strictObject({
  spec_version: scalarString,
  comparison: z
    .strictObject({
      compare_with: z.enum(['single_result', 'several_results'], { error: 'must be single_result or several_results' }).optional(),
      include_result_with_score: z.enum(['pass', 'pass_or_warn', 'all'], { error: 'must be pass, pass_or_warn or all' }).optional(),
      number_of_comparison_results: z.number().int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).optional(),
      aggregate_function: z.enum(['avg', 'p50', 'p90', 'p95'], { error: 'must be avg, p50, p90 or p95' }).optional(),
    })
    .nullish(),
  filter: z.record(z.string(), scalarString).nullish(),
  objectives: z.array(ObjectiveSchema, { error: 'must be a list of objectives' }),
  total_score: z.strictObject({ pass: percentage, warning: percentage.optional() }, { error: 'must have pass (and warning) percentages' }),
});

export interface Objective {
  sli: string;
  displayName: string;
  /** OR of the entries; each entry is an AND of its criteria. Empty: informational SLI. */
  pass: Criterion[][];
  warning: Criterion[][];
  weight: number;
  keySli: boolean;
}

export interface SloFile {
  specVersion: string;
  comparison: {
    compareWith: 'single_result' | 'several_results';
    includeResultWithScore: 'pass' | 'pass_or_warn' | 'all';
    /** 1 for single_result, as Keptn does whatever number_of_comparison_results says. */
    numberOfComparisonResults: number;
    aggregateFunction: 'avg' | 'p50' | 'p90' | 'p95';
  };
  filter: Record<string, string>;
  objectives: Objective[];
  totalScore: { pass: number; warning: number | undefined };
}

export interface SliFile {
  indicators: Record<string, string>;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: FileIssue[] };

const SPEC_VERSIONS = ['1.0', '0.1.0', '0.1.1'];

/** Parses and validates Keptn's slo.yaml. */
export function parseSloFile(text: string): ParseResult<SloFile> {
  const yaml = parseYamlFile(text);
  if (!yaml.ok) return yaml;
  const file = yaml.file;
  if (file.value === null || file.value === undefined) return { ok: false, errors: [{ message: 'slo.yaml is empty', path: [] }] };
  const parsed = SloSchema.safeParse(file.value);
  if (!parsed.success) return { ok: false, errors: zodIssues(file, parsed.error) };
  const data = parsed.data;
  const errors: FileIssue[] = [];
  if (!SPEC_VERSIONS.includes(data.spec_version)) {
    errors.push(issueAt(file, ['spec_version'], `spec_version: expected "1.0", got ${JSON.stringify(data.spec_version)}`));
  }
  const criteriaOf = (entries: { criteria: string[] }[] | null | undefined, path: (string | number)[]): Criterion[][] =>
    (entries ?? []).map((entry, ei) =>
      entry.criteria.map((c, ci) => {
        const parsedCriterion = parseCriterion(c);
        if (!parsedCriterion) {
          errors.push(
            issueAt(
              file,
              [...path, ei, 'criteria', ci],
              `${[...path, ei].join('.')}.criteria[${ci}]: invalid criterion ${JSON.stringify(c)}: write an operator (<, <=, =, >=, >) and a number, e.g. "<600"; a sign or % makes it relative to previous results, e.g. "<=+10%"`,
            ),
          );
          return { text: c, operator: '<', value: 0, relative: false, percent: false, increase: true };
        }
        return parsedCriterion;
      }),
    );
  const objectives: Objective[] = data.objectives.map((o, i) => ({
    sli: o.sli,
    displayName: o.displayName ?? o.sli,
    pass: criteriaOf(o.pass, ['objectives', i, 'pass']),
    warning: criteriaOf(o.warning, ['objectives', i, 'warning']),
    weight: o.weight ?? 1,
    keySli: o.key_sli ?? false,
  }));
  const pass = data.total_score.pass;
  const warning = data.total_score.warning;
  if (pass > 100) errors.push(issueAt(file, ['total_score', 'pass'], 'total_score.pass: must be at most 100%'));
  if (warning !== undefined && warning > pass)
    errors.push(issueAt(file, ['total_score', 'warning'], 'total_score.warning: must not be above total_score.pass'));
  if (errors.length > 0) return { ok: false, errors };
  const compareWith = data.comparison?.compare_with ?? 'single_result';
  return {
    ok: true,
    value: {
      specVersion: data.spec_version,
      comparison: {
        compareWith,
        includeResultWithScore: data.comparison?.include_result_with_score ?? 'all',
        numberOfComparisonResults: compareWith === 'single_result' ? 1 : (data.comparison?.number_of_comparison_results ?? 1),
        aggregateFunction: data.comparison?.aggregate_function ?? 'avg',
      },
      filter: { ...(data.filter ?? {}) },
      objectives,
      totalScore: { pass, warning },
    },
  };
}

const SliSchema = z.strictObject({
  spec_version: scalarString.optional(),
  indicators: z.record(z.string(), z.string({ error: 'each indicator must be a PromQL query string' }), {
    error: 'indicators must map SLI names to PromQL queries',
  }),
});

/** Parses an sli.yaml; queries without placeholders other than $DURATION_SECONDS are syntax-checked. */
export function parseSliFile(text: string): ParseResult<SliFile> {
  const yaml = parseYamlFile(text);
  if (!yaml.ok) return yaml;
  const file = yaml.file;
  if (file.value === null || file.value === undefined) return { ok: false, errors: [{ message: 'the SLI file is empty', path: [] }] };
  const parsed = SliSchema.safeParse(file.value);
  if (!parsed.success) return { ok: false, errors: zodIssues(file, parsed.error) };
  const errors: FileIssue[] = [];
  for (const [name, query] of Object.entries(parsed.data.indicators)) {
    const concrete = query.replaceAll('$DURATION_SECONDS', '300s');
    if (concrete.includes('$')) continue;
    const q = parseQuery(concrete);
    if (!q.ok) {
      const where = q.error.line !== undefined ? ` (query line ${q.error.line}, column ${q.error.column ?? 1})` : '';
      errors.push(issueAt(file, ['indicators', name], `indicators.${name}: ${q.error.message}${where}`));
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { indicators: { ...parsed.data.indicators } } };
}
