// Prometheus rule files (`groups: [{name, interval, limit, rules: [...]}]`), parsed and checked the
// way `promtool check rules` does (rulefmt.Parse + Validate): unknown fields are errors, group names
// unique, record names valid metric names, label names valid, `for`/`keep_firing_for`/annotations
// only on alerting rules, expressions parsed by the engine, templates parsed. Messages follow
// promtool's wording: `group "g", rule 2, "name": invalid recording rule name: bad name`.
// One check goes further than promtool: an expression that is a range vector or a string is refused
// here, where Prometheus accepts the file and then fails every evaluation of that rule.
import { z } from 'zod';
import { parseQuery } from '../index.ts';
import type { Labels } from '../types.ts';
import { parsePromDuration } from './duration.ts';
import { checkAlertTemplate } from './template.ts';
import { type FileIssue, goUnknownFieldErrors, issueAt, parseYamlFile, zodIssues } from './yaml-issues.ts';

export type { FileIssue } from './yaml-issues.ts';

export interface RecordingRule {
  kind: 'record';
  /** The metric name the results are written under. */
  name: string;
  expr: string;
  /** Labels added to (or overriding those of) every result. */
  labels: Labels;
  /** 1-based line of the rule in the file. */
  line?: number;
}

export interface AlertingRule {
  kind: 'alert';
  name: string;
  expr: string;
  /** How long the expression must hold before pending becomes firing (ms). */
  forMs: number;
  /** How long a firing alert stays firing after the expression stops returning it (ms). */
  keepFiringForMs: number;
  /** Label templates, expanded per alert. */
  labels: Readonly<Record<string, string>>;
  /** Annotation templates, expanded per alert. */
  annotations: Readonly<Record<string, string>>;
  line?: number;
}

export type Rule = RecordingRule | AlertingRule;

export interface RuleGroup {
  name: string;
  /** `interval`, or undefined for the global evaluation interval. */
  intervalMs: number | undefined;
  /** Max alerts (or series of a recording rule) per evaluation; 0 = unlimited. */
  limit: number;
  rules: Rule[];
  line?: number;
}

export interface RuleFile {
  groups: RuleGroup[];
}

export type ParseRuleFileResult = { ok: true; value: RuleFile; ruleCount: number } | { ok: false; errors: FileIssue[] };

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** Scalars as Go's yaml decodes them into a string field (`expr: 1` is the string "1"). */
const scalarString = z
  .union([z.string(), z.number(), z.boolean(), z.null()], { error: 'must be a string' })
  .transform((v) => (v === null ? '' : String(v)));

const duration = z.union([z.string(), z.number()], { error: 'must be a duration such as 5m' }).transform((v, ctx) => {
  const parsed = parsePromDuration(String(v));
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.error });
    return z.NEVER;
  }
  return parsed.ms;
});

const stringMap = z.record(z.string(), scalarString, { error: 'must be a map of names to strings' });

const RuleSchema = z.strictObject(
  {
    record: scalarString.optional(),
    alert: scalarString.optional(),
    expr: scalarString.optional(),
    for: duration.optional(),
    keep_firing_for: duration.optional(),
    labels: stringMap.nullish(),
    annotations: stringMap.nullish(),
  },
  { error: 'a rule must be a map with record or alert, expr, …' },
);

const GroupSchema = z.strictObject(
  {
    name: scalarString.optional(),
    interval: duration.optional(),
    limit: z.number({ error: 'must be a whole number' }).int({ error: 'must be a whole number' }).min(0).optional(),
    rules: z.array(RuleSchema, { error: 'must be a list of rules' }).nullish(),
  },
  { error: 'a group must be a map with name and rules' },
);

const RuleFileSchema = z.strictObject(
  { groups: z.array(GroupSchema, { error: 'must be a list of groups' }).nullish() },
  { error: 'a rule file must be a map with a groups list' },
);

type RawRule = z.infer<typeof RuleSchema>;

/** Validates one rule like rulefmt's Rule.Validate; messages without the group/rule prefix. */
/**
 * Where promtool prints a position: at the value node (default), nowhere (`none`: label, annotation
 * and template errors), at Go's zero node (`zero`, a field that is absent), or at two nodes (`pair`).
 */
type PromtoolPosition = 'value' | 'none' | 'zero' | 'zero-pair' | 'pair';

interface RuleIssue {
  message: string;
  path: (string | number)[];
  promtool?: PromtoolPosition;
}

function validateRule(rule: RawRule, at: (string | number)[]): { issues: RuleIssue[] } {
  const issues: RuleIssue[] = [];
  const record = rule.record ?? '';
  const alert = rule.alert ?? '';
  const expr = rule.expr ?? '';
  if (record !== '' && alert !== '')
    issues.push({ message: "only one of 'record' and 'alert' must be set", path: [...at, 'record'], promtool: 'pair' });
  if (record === '' && alert === '') issues.push({ message: "one of 'record' or 'alert' must be set", path: at, promtool: 'zero-pair' });
  if (expr === '') {
    issues.push({
      message: "field 'expr' must be set in rule",
      path: [...at, 'expr'],
      promtool: rule.expr === undefined ? 'zero' : 'value',
    });
  } else {
    const parsed = parseQuery(expr);
    if (!parsed.ok) {
      const pos = parsed.error.line !== undefined ? `${parsed.error.line}:${parsed.error.column ?? 1}: ` : '';
      issues.push({ message: `could not parse expression: ${pos}${parsed.error.message}`, path: [...at, 'expr'] });
    } else if (parsed.type === 'matrix' || parsed.type === 'string') {
      const type = parsed.type === 'matrix' ? 'range vector' : 'string';
      issues.push({
        message: `expression is a ${type}; a rule needs an instant vector (or a scalar) — Prometheus loads this rule but every evaluation fails with "rule result is not a vector or scalar"`,
        path: [...at, 'expr'],
      });
    }
  }
  if (record !== '') {
    if (rule.annotations && Object.keys(rule.annotations).length > 0)
      issues.push({ message: "invalid field 'annotations' in recording rule", path: [...at, 'record'] });
    if (rule.for) issues.push({ message: "invalid field 'for' in recording rule", path: [...at, 'record'] });
    if (rule.keep_firing_for) issues.push({ message: "invalid field 'keep_firing_for' in recording rule", path: [...at, 'record'] });
    if (!METRIC_NAME.test(record)) issues.push({ message: `invalid recording rule name: ${record}`, path: [...at, 'record'] });
  }
  for (const name of Object.keys(rule.labels ?? {})) {
    if (!LABEL_NAME.test(name) || name === '__name__')
      issues.push({ message: `invalid label name: ${name}`, path: [...at, 'labels'], promtool: 'none' });
  }
  for (const name of Object.keys(rule.annotations ?? {})) {
    if (!LABEL_NAME.test(name))
      issues.push({ message: `invalid annotation name: ${name}`, path: [...at, 'annotations'], promtool: 'none' });
  }
  if (alert !== '') {
    for (const [kind, map] of [
      ['label', rule.labels],
      ['annotation', rule.annotations],
    ] as const) {
      for (const [name, text] of Object.entries(map ?? {})) {
        const error = checkAlertTemplate(text, alert);
        if (error) issues.push({ message: `${kind} ${JSON.stringify(name)}: ${error}`, path: [...at, `${kind}s`, name], promtool: 'none' });
      }
    }
  }
  return { issues };
}

/**
 * Parses and validates a rule file. On success, `value` holds the groups with durations in ms; on
 * failure, every problem found (like promtool, it does not stop at the first).
 */
export function parseRuleFile(text: string): ParseRuleFileResult {
  const yaml = parseYamlFile(text);
  if (!yaml.ok) return yaml;
  const file = yaml.file;
  const raw = file.value ?? {};
  const parsed = RuleFileSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, errors: zodIssues(file, parsed.error) };
  const errors: FileIssue[] = [];
  const groups: RuleGroup[] = [];
  const seen = new Set<string>();
  let ruleCount = 0;
  (parsed.data.groups ?? []).forEach((g, gi) => {
    const gpath = ['groups', gi];
    const name = g.name ?? '';
    if (name === '') errors.push(issueAt(file, gpath, 'Groupname must not be empty'));
    if (seen.has(name)) errors.push(issueAt(file, gpath, `groupname: ${JSON.stringify(name)} is repeated in the same file`));
    seen.add(name);
    const rules: Rule[] = [];
    (g.rules ?? []).forEach((r, ri) => {
      const rpath = [...gpath, 'rules', ri];
      const ruleName = r.alert || r.record || '';
      for (const issue of validateRule(r, rpath).issues) {
        const found = issueAt(
          file,
          issue.path,
          `group ${JSON.stringify(name)}, rule ${ri + 1}, ${JSON.stringify(ruleName)}: ${issue.message}`,
        );
        const here = found.line === undefined ? '' : `${found.line}:${found.column ?? 1}: `;
        const alt = issueAt(file, [...rpath, 'alert'], '');
        const prefixes: Record<PromtoolPosition, string> = {
          value: here,
          none: '',
          zero: '0:0: ',
          'zero-pair': '0:0: 0:0: ',
          pair: `${here}${alt.line === undefined ? '' : `${alt.line}:${alt.column ?? 1}: `}`,
        };
        errors.push({ ...found, promtoolPosition: prefixes[issue.promtool ?? 'value'] });
      }
      const line = issueAt(file, rpath, '').line;
      const base = line === undefined ? {} : { line };
      if (r.record) {
        rules.push({ kind: 'record', name: r.record, expr: r.expr ?? '', labels: { ...(r.labels ?? {}) }, ...base });
      } else {
        rules.push({
          kind: 'alert',
          name: r.alert ?? '',
          expr: r.expr ?? '',
          forMs: r.for ?? 0,
          keepFiringForMs: r.keep_firing_for ?? 0,
          labels: { ...(r.labels ?? {}) },
          annotations: { ...(r.annotations ?? {}) },
          ...base,
        });
      }
      ruleCount++;
    });
    const line = issueAt(file, gpath, '').line;
    groups.push({ name, intervalMs: g.interval || undefined, limit: g.limit ?? 0, rules, ...(line === undefined ? {} : { line }) });
  });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, value: { groups }, ruleCount };
}

/** The text `promtool check rules` prints for one file. */
export function checkRulesReport(fileName: string, text: string): { ok: boolean; output: string } {
  const result = parseRuleFile(text);
  if (result.ok) return { ok: true, output: `Checking ${fileName}\n  SUCCESS: ${result.ruleCount} rules found\n\n` };
  const go = goUnknownFieldErrors(result.errors, (path) =>
    path.length === 0 ? 'rulefmt.RuleGroups' : path.includes('rules') ? 'rulefmt.RuleNode' : 'rulefmt.RuleGroup',
  );
  const lines = go
    ? [`${fileName}: ${go}`]
    : result.errors.map((e) => {
        // Go's yaml reports a bad duration from its unmarshaller: no position, no field.
        const duration = /: ((?:not a valid duration string|empty duration string).*)$/.exec(e.message);
        if (duration) return `${fileName}: ${duration[1]}`;
        return `${fileName}: ${e.promtoolPosition ?? (e.line !== undefined ? `${e.line}:${e.column ?? 1}: ` : '')}${e.message}`;
      });
  return { ok: false, output: `Checking ${fileName}\n  FAILED:\n${lines.join('\n')}\n\n` };
}
