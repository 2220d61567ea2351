// A finished run, per run of the task: what went wrong (script errors), the numbers, k6's
// end-of-test summary and the script's console output.
import type { RunResultView } from '../../features/labs/workbench-messages.ts';
import { el } from './dom.ts';

function where(line: number | null, column: number | null): string {
  if (line === null) return '';
  return column === null ? ` at line ${line}` : ` at line ${line}, column ${column}`;
}

const ERROR_KINDS: Record<string, string> = {
  syntax: 'Syntax error',
  options: 'Invalid options',
  thresholds: 'Invalid thresholds',
  init: 'Error in the init code',
  setup: 'Error in setup()',
  teardown: 'Error in teardown()',
  deadline: 'Time limit reached',
  memory: 'Memory limit reached',
  stopped: 'Stopped',
};

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;
}

export function renderRunResult(label: string, result: RunResultView, headingLevel: 'h4' | 'h5'): HTMLElement {
  const exit = result.error ? 'did not finish' : `exit code ${result.exitCode}`;
  const passed = !result.error && result.exitCode === 0;
  const section = el(
    'section',
    { class: 'wb-run' },
    el(headingLevel, {}, label, ' ', el('span', { class: `wb-badge ${passed ? 'is-pass' : 'is-fail'}` }, exit)),
  );
  if (result.error) {
    const kind = ERROR_KINDS[result.error.kind] ?? 'Script error';
    section.append(el('p', { class: 'form-error' }, `${kind}${where(result.error.line, result.error.column)}: ${result.error.message}`));
  }
  section.append(
    el(
      'p',
      { class: 'muted wb-run-stats' },
      `${plural(result.requests, 'request')}, ${plural(result.iterations, 'iteration')}`,
      result.droppedIterations > 0 ? `, ${plural(result.droppedIterations, 'dropped iteration')}` : '',
      ` in ${(result.virtualDurationMs / 1000).toFixed(1)} s of virtual time.`,
    ),
  );
  if (result.summaryText) {
    section.append(
      el('p', { class: 'wb-output-label' }, 'End-of-test summary'),
      el(
        'pre',
        { class: 'wb-summary', tabindex: '0', 'aria-label': `End-of-test summary: ${label}` },
        result.summaryText.replace(/^\s*\n/, ''),
      ),
    );
  }
  if (result.console.length > 0 || result.consoleTruncated > 0) {
    section.append(
      el('p', { class: 'wb-output-label' }, `Console output (${plural(result.console.length, 'line')})`),
      el('pre', { class: 'wb-console', tabindex: '0', 'aria-label': `Console output: ${label}` }, result.console.join('\n')),
    );
  }
  if (result.consoleTruncated > 0) {
    const more = plural(result.consoleTruncated, 'more line');
    section.append(el('p', { class: 'muted' }, `${more} not shown (the lab keeps the first 200 lines, 32 KB at most).`));
  }
  return section;
}
