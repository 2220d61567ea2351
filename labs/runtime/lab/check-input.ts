// Checks what a learner submits before anything runs: the files a task expects, a size bound per
// kind, and that each text loads (a query parses, a rule file passes `promtool check rules`, YAML
// is YAML). The submissions API answers 422 with these issues; the workbench shows them inline.
// A k6 script is not checked here: its syntax errors are part of the graded run (ADR 009).
import { parse as parseYaml } from 'yaml';
import { parseQuery } from '../promql/index.ts';
import { parseSliFile, parseSloFile } from '../promql/quality-gate/index.ts';
import { parseRuleFile } from '../promql/rules/index.ts';
import type { ClusterTask, ExtraFiles, Task } from './definition.ts';
import { CLUSTER_CHOICE_FILES } from './kinds/cluster.ts';
import { MAX_QUERY_LENGTH } from './messages.ts';

export interface InputIssue {
  /** `code` for the first editor, `files.<name>` for the others (the submission's field names). */
  path: string;
  message: string;
}

/** A PromQL text: not empty, not too long, parses. */
function queryIssue(path: string, text: string): InputIssue | null {
  if (text.trim() === '') return { path, message: 'the query is empty: write a PromQL expression' };
  if (text.length > MAX_QUERY_LENGTH) return { path, message: `a query is at most ${MAX_QUERY_LENGTH.toLocaleString('en')} characters` };
  const parsed = parseQuery(text);
  return parsed.ok ? null : { path, message: `${parsed.error.message}${where(parsed.error)}` };
}

/** A cluster task: the evidence query in `code`, the three choices in `files` (ADR 019). */
function checkClusterInput(task: ClusterTask, code: string, files: ExtraFiles): InputIssue[] {
  const choices: Record<(typeof CLUSTER_CHOICE_FILES)[number], { id: string }[]> = {
    triage: task.triage.options,
    cause: task.cause.options,
    remedy: task.remediations,
  };
  const issues: InputIssue[] = Object.keys(files)
    .filter((name) => !(name in choices))
    .map((name) => ({ path: `files.${name}`, message: `this task takes only triage, cause and remedy, not "${name}"` }));
  const query = queryIssue('code', code);
  if (query) issues.push(query);
  for (const name of CLUSTER_CHOICE_FILES) {
    const chosen = files[name];
    const ids = choices[name].map((o) => o.id);
    if (chosen === undefined || chosen === '') issues.push({ path: `files.${name}`, message: `choose one of: ${ids.join(', ')}` });
    else if (!ids.includes(chosen))
      issues.push({ path: `files.${name}`, message: `"${chosen.slice(0, 60)}" is not one of this task's options (${ids.join(', ')})` });
  }
  return issues;
}

function where(issue: { line?: number; column?: number }): string {
  return issue.line !== undefined ? ` (line ${issue.line}${issue.column !== undefined ? `, column ${issue.column}` : ''})` : '';
}

function yamlIssue(path: string, text: string): InputIssue | null {
  try {
    parseYaml(text, { maxAliasCount: 100 });
    return null;
  } catch (error) {
    return { path, message: `not valid YAML: ${(error as Error).message.split('\n')[0]}` };
  }
}

export function checkTaskInput(task: Task, code: string, files: ExtraFiles): InputIssue[] {
  if (task.kind === 'k6') {
    return Object.keys(files).length > 0 ? [{ path: 'files', message: 'a k6 task takes only the script' }] : [];
  }
  if (task.kind === 'cluster') return checkClusterInput(task, code, files);
  const declared = new Set((task.files ?? []).map((f) => f.name));
  const issues: InputIssue[] = Object.keys(files)
    .filter((name) => !declared.has(name))
    .map((name) => ({ path: `files.${name}`, message: `this task has no file "${name}"` }));
  if (code.trim() === '') issues.push({ path: 'code', message: 'the first editor is empty' });
  switch (task.kind) {
    case 'promql': {
      const queries = [
        { path: 'code', text: code },
        ...(task.files ?? []).map((f) => ({ path: `files.${f.name}`, text: files[f.name] ?? '' })),
      ];
      for (const { path, text } of queries) {
        if (text.trim() === '') {
          if (path !== 'code') issues.push({ path, message: 'this query is empty' });
          continue;
        }
        if (text.length > MAX_QUERY_LENGTH) {
          issues.push({ path, message: `a query is at most ${MAX_QUERY_LENGTH.toLocaleString('en')} characters` });
          continue;
        }
        const parsed = parseQuery(text);
        if (!parsed.ok) issues.push({ path, message: `${parsed.error.message}${where(parsed.error)}` });
      }
      return issues;
    }
    case 'rules': {
      if (code.trim() !== '') {
        const problem = yamlIssue('code', code);
        if (problem) issues.push(problem);
        else {
          const parsed = parseRuleFile(code);
          if (!parsed.ok) for (const e of parsed.errors.slice(0, 5)) issues.push({ path: 'code', message: `${e.message}${where(e)}` });
        }
      }
      if (task.testFileName !== undefined) {
        const tests = files[task.testFileName] ?? '';
        const path = `files.${task.testFileName}`;
        if (tests.trim() === '') issues.push({ path, message: 'write the unit tests for your rules in this file' });
        else {
          const problem = yamlIssue(path, tests);
          if (problem) issues.push(problem);
        }
      }
      return issues;
    }
    case 'quality-gate': {
      const sliPath = `files.${task.sliFileName}`;
      const sli = files[task.sliFileName] ?? '';
      for (const [path, text, parse] of [
        ['code', code, parseSloFile],
        [sliPath, sli, parseSliFile],
      ] as const) {
        if (text.trim() === '') {
          if (path !== 'code') issues.push({ path, message: 'this file is empty' });
          continue;
        }
        const problem = yamlIssue(path, text);
        if (problem) {
          issues.push(problem);
          continue;
        }
        const parsed = parse(text);
        if (!parsed.ok) for (const e of parsed.errors.slice(0, 5)) issues.push({ path, message: `${e.message}${where(e)}` });
      }
      return issues;
    }
  }
}
