// Editors of the SLO lab's workbench: PromQL with Prometheus's own CodeMirror support
// (@prometheus-io/codemirror-promql: highlighting, completion of functions, and of our metric and
// label names through a PrometheusClient answered from the lab's TSDB snapshot), linted with our
// engine's parse errors; and plain YAML editors for rule files, unit tests and slo.yaml, whose
// problems (from a run) show as diagnostics at their line and column. The look follows the site's
// theme variables, like the k6 editor (editor.ts).

import { syntaxHighlighting } from '@codemirror/language';
import { type Diagnostic, linter, lintGutter, setDiagnostics } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { keymap } from '@codemirror/view';
import { type PrometheusClient, PromQLExtension } from '@prometheus-io/codemirror-promql';
import { EqlRegex, EqlSingle, Neq, NeqRegex } from '@prometheus-io/lezer-promql';
import { basicSetup, EditorView } from 'codemirror';
import { problemRange, siteThemeRules, themedHighlighting } from './editor.ts';

export interface TextProblem {
  message: string;
  line?: number | undefined;
  column?: number | undefined;
}

/** What the completion needs to know about the lab's data: a snapshot the worker sends once. */
export interface SeriesSnapshot {
  metrics: { name: string; type: string; help: string }[];
  series: Record<string, string>[];
}

interface Matcher {
  type: number;
  name: string;
  value: string;
}

function anchored(pattern: string): RegExp | null {
  try {
    return new RegExp(`^(?:${pattern})$`, 's');
  } catch {
    return null;
  }
}

function matches(labels: Record<string, string>, matcher: Matcher): boolean {
  const value = labels[matcher.name] ?? '';
  if (matcher.type === EqlSingle) return value === matcher.value;
  if (matcher.type === Neq) return value !== matcher.value;
  const regex = anchored(matcher.value);
  if (!regex) return true;
  if (matcher.type === EqlRegex) return regex.test(value);
  if (matcher.type === NeqRegex) return !regex.test(value);
  return true;
}

/**
 * codemirror-promql's PrometheusClient over a snapshot of the lab's series (the TSDB lives in the
 * lab worker; the snapshot is small: names and labels, no samples).
 */
export class SnapshotPrometheusClient implements PrometheusClient {
  private readonly snapshot: SeriesSnapshot;

  constructor(snapshot: SeriesSnapshot) {
    this.snapshot = snapshot;
  }

  private select(metricName?: string, matchers: readonly Matcher[] = []): Record<string, string>[] {
    return this.snapshot.series.filter(
      (labels) => (!metricName || labels['__name__'] === metricName) && matchers.every((m) => matches(labels, m)),
    );
  }

  labelNames(metricName?: string): Promise<string[]> {
    const names = new Set<string>();
    for (const labels of this.select(metricName)) for (const name of Object.keys(labels)) if (name !== '__name__') names.add(name);
    return Promise.resolve([...names].sort());
  }

  labelValues(labelName: string, metricName?: string, matchers?: Matcher[]): Promise<string[]> {
    const values = new Set<string>();
    const others = (matchers ?? []).filter((m) => m.name !== labelName);
    for (const labels of this.select(metricName, others)) {
      const value = labels[labelName];
      if (value !== undefined) values.add(value);
    }
    return Promise.resolve([...values].sort());
  }

  metricMetadata(): Promise<Record<string, { type: string; help: string }[]>> {
    const metadata: Record<string, { type: string; help: string }[]> = {};
    for (const m of this.snapshot.metrics) metadata[m.name] = [{ type: m.type, help: m.help }];
    return Promise.resolve(metadata);
  }

  series(metricName: string, matchers?: Matcher[], labelName?: string): Promise<Map<string, string>[]> {
    return Promise.resolve(
      this.select(metricName, matchers ?? [])
        .filter((labels) => labelName === undefined || labels[labelName] !== undefined)
        .map((labels) => new Map(Object.entries(labels))),
    );
  }

  metricNames(prefix?: string): Promise<string[]> {
    const names = new Set<string>();
    for (const labels of this.snapshot.series) {
      const name = labels['__name__'];
      if (name && (!prefix || name.startsWith(prefix))) names.add(name);
    }
    return Promise.resolve([...names].sort());
  }

  flags(): Promise<Record<string, string>> {
    return Promise.resolve({});
  }
}

const siteTheme = EditorView.theme({
  ...siteThemeRules,
  '.cm-tooltip-autocomplete ul li[aria-selected]': { backgroundColor: 'var(--accent-soft)', color: 'var(--fg)' },
  '.cm-completionDetail': { color: 'var(--fg-muted)' },
});

export interface TextEditorOptions {
  parent: HTMLElement;
  /** Accessible name of the editing area. */
  label: string;
  code: string;
  onChange(code: string): void;
  /** Ctrl/Cmd+Enter. */
  onRun?: () => void;
  /** Taller editors for files, one-to-few lines for queries. */
  minHeight: string;
}

export interface TextEditor {
  getCode(): string;
  replaceCode(code: string): void;
  /** Diagnostics from outside (a run's file issues); an empty list clears them. */
  showProblems(problems: readonly TextProblem[]): void;
  focus(): void;
  destroy(): void;
}

function baseExtensions(options: TextEditorOptions) {
  return [
    basicSetup,
    // Theme-aware token colours: CodeMirror's defaults are unreadable on the dark background.
    syntaxHighlighting(themedHighlighting),
    siteTheme,
    // No maximum height: a scrolling box inside the page would be a scrollable region without its own focus (axe).
    EditorView.theme({ '.cm-scroller': { minHeight: options.minHeight } }),
    EditorView.lineWrapping,
    EditorView.contentAttributes.of({ 'aria-label': options.label }),
    EditorView.updateListener.of((update) => {
      if (update.docChanged) options.onChange(update.state.doc.toString());
    }),
    keymap.of([
      {
        key: 'Mod-Enter',
        run: () => {
          options.onRun?.();
          return options.onRun !== undefined;
        },
      },
    ]),
    EditorState.tabSize.of(2),
  ];
}

function toDiagnostics(view: EditorView, problems: readonly TextProblem[]): Diagnostic[] {
  return problems.map((problem) => {
    const { from, to } = problemRange(view.state.doc, {
      message: problem.message,
      line: problem.line ?? null,
      column: problem.column ?? null,
    });
    return { from, to, severity: 'error' as const, source: 'check', message: problem.message };
  });
}

function wrap(view: EditorView): TextEditor {
  return {
    getCode: () => view.state.doc.toString(),
    replaceCode: (code) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: code } }),
    showProblems: (problems) => view.dispatch(setDiagnostics(view.state, toDiagnostics(view, problems))),
    focus: () => view.focus(),
    destroy: () => view.destroy(),
  };
}

export interface PromqlEditorOptions extends TextEditorOptions {
  client: PrometheusClient | null;
  /** The engine's parse check; null when the query parses. */
  checkQuery(query: string): Promise<TextProblem | null>;
  onCheck(problem: TextProblem | null): void;
}

export function createPromqlEditor(options: PromqlEditorOptions): TextEditor {
  const promql = new PromQLExtension()
    .setComplete(options.client ? { remote: options.client, maxMetricsMetadata: 10_000 } : {})
    // Our engine's parse errors (Prometheus's wording, line and column) instead of the package's linter.
    .activateLinter(false);
  const queryLinter = linter(
    async (view) => {
      const query = view.state.doc.toString();
      const problem = query.trim() === '' ? null : await options.checkQuery(query);
      if (view.state.doc.toString() !== query) return [];
      options.onCheck(problem);
      return problem ? toDiagnostics(view, [problem]) : [];
    },
    { delay: 300 },
  );
  const view = new EditorView({
    parent: options.parent,
    doc: options.code,
    extensions: [...baseExtensions(options), promql.asExtension(), lintGutter(), queryLinter],
  });
  return wrap(view);
}

export function createYamlEditor(options: TextEditorOptions): TextEditor {
  const view = new EditorView({ parent: options.parent, doc: options.code, extensions: [...baseExtensions(options), lintGutter()] });
  return wrap(view);
}
