// The script editor: CodeMirror 6 with JavaScript, line numbers, and syntax errors as lint
// diagnostics. Colours come from the site's CSS variables, so it follows the light and dark themes.
import { javascript } from '@codemirror/lang-javascript';
// @codemirror/language is part of the `codemirror` package (its basicSetup is built on it).
import { defaultHighlightStyle, HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { type Diagnostic, linter, lintGutter } from '@codemirror/lint';
import { basicSetup, EditorView } from 'codemirror';
import type { SyntaxProblem } from '../../features/labs/workbench-messages.ts';

export interface CodeEditorOptions {
  parent: HTMLElement;
  /** Accessible name of the editing area. */
  label: string;
  code: string;
  onChange(code: string): void;
  checkSyntax(code: string): Promise<SyntaxProblem | null>;
  /** Called with each syntax verdict for the current text. */
  onSyntax(problem: SyntaxProblem | null): void;
}

export interface CodeEditor {
  getCode(): string;
  /** Replaces the whole script as one undoable edit. */
  replaceCode(code: string): void;
  focus(): void;
  destroy(): void;
}

const SYNTAX_CHECK_DELAY_MS = 400;

// CodeMirror's default highlight colours, each mapped to a variable that global.css defines for
// both themes (the defaults are unreadable on a dark background).
const TOKEN_COLOURS: Record<string, string> = {
  '#404740': 'var(--code-meta)',
  '#708': 'var(--code-keyword)',
  '#219': 'var(--code-atom)',
  '#164': 'var(--code-number)',
  '#a11': 'var(--code-string)',
  '#e40': 'var(--code-regexp)',
  '#00f': 'var(--code-definition)',
  '#30a': 'var(--code-local)',
  '#085': 'var(--code-type)',
  '#167': 'var(--code-type)',
  '#256': 'var(--code-special)',
  '#00c': 'var(--code-property)',
  '#940': 'var(--code-comment)',
  '#f00': 'var(--warn)',
};

/** The default highlight colours mapped to theme variables; the PromQL editor uses it too. */
export const themedHighlighting = HighlightStyle.define(
  defaultHighlightStyle.specs.map((spec) =>
    typeof spec['color'] === 'string' ? { ...spec, color: TOKEN_COLOURS[spec['color']] ?? spec['color'] } : spec,
  ),
);

/** The site's colours, focus ring and type for every workbench editor (k6 and PromQL/YAML). */
export const siteThemeRules = {
  '&': { color: 'var(--fg)', backgroundColor: 'var(--bg)', border: '1px solid var(--fg-muted)', borderRadius: '6px', fontSize: '0.9rem' },
  '&.cm-focused': { outline: '3px solid var(--focus)', outlineOffset: '2px' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.55' },
  '.cm-content': { caretColor: 'var(--fg)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--fg)' },
  '.cm-gutters': { backgroundColor: 'var(--bg-soft)', color: 'var(--fg-muted)', borderRight: '1px solid var(--border)' },
  '.cm-activeLine': { backgroundColor: 'color-mix(in srgb, var(--accent-soft) 45%, transparent)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--accent-soft)', color: 'var(--fg)' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, ::selection': {
    backgroundColor: 'color-mix(in srgb, var(--focus) 30%, transparent)',
  },
  '.cm-matchingBracket': { backgroundColor: 'var(--accent-soft)', outline: '1px solid var(--accent)' },
  '.cm-tooltip': { backgroundColor: 'var(--bg)', color: 'var(--fg)', border: '1px solid var(--border)' },
  '.cm-panels': { backgroundColor: 'var(--bg-soft)', color: 'var(--fg)' },
  '.cm-diagnostic-error': { borderLeftColor: 'var(--warn)' },
} satisfies Parameters<typeof EditorView.theme>[0];

const siteTheme = EditorView.theme({
  ...siteThemeRules,
  '.cm-scroller': { ...siteThemeRules['.cm-scroller'], minHeight: '14rem', maxHeight: '34rem' },
});

/** The range to underline: the character at the reported line and column, clamped to the text. */
export function problemRange(doc: EditorView['state']['doc'], problem: SyntaxProblem): { from: number; to: number } {
  if (problem.line === null) return { from: 0, to: Math.min(1, doc.length) };
  const line = doc.line(Math.min(Math.max(problem.line, 1), doc.lines));
  const from = Math.min(line.from + Math.max((problem.column ?? 1) - 1, 0), line.to);
  const to = from < line.to ? from + 1 : from;
  return from === to && line.from < line.to ? { from: line.from, to: line.to } : { from, to };
}

export function createCodeEditor(options: CodeEditorOptions): CodeEditor {
  const syntaxLinter = linter(
    async (view): Promise<Diagnostic[]> => {
      const code = view.state.doc.toString();
      const problem = await options.checkSyntax(code);
      if (view.state.doc.toString() !== code) return [];
      options.onSyntax(problem);
      if (!problem) return [];
      const { from, to } = problemRange(view.state.doc, problem);
      return [{ from, to, severity: 'error', source: 'syntax', message: problem.message }];
    },
    { delay: SYNTAX_CHECK_DELAY_MS },
  );

  const view = new EditorView({
    parent: options.parent,
    doc: options.code,
    extensions: [
      basicSetup,
      javascript(),
      syntaxHighlighting(themedHighlighting),
      siteTheme,
      // Wrapped lines instead of sideways scrolling: the editor must work on a 360 px screen.
      EditorView.lineWrapping,
      lintGutter(),
      syntaxLinter,
      EditorView.contentAttributes.of({ 'aria-label': options.label }),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) options.onChange(update.state.doc.toString());
      }),
    ],
  });

  return {
    getCode: () => view.state.doc.toString(),
    replaceCode: (code) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: code } }),
    focus: () => view.focus(),
    destroy: () => view.destroy(),
  };
}
