// The result of a quality-gate task: per build, the verdict and total score, then one row per
// objective (SLI value, the value it was compared with, each criterion met or not, status, points
// of its weight, key SLI), as Keptn's bridge shows an evaluation.
import type { QualityGateRunResult } from '../../../labs/runtime/lab/outcome.ts';
import { el, uniqueId } from './dom.ts';
import { describeError, formatSample, formatTime } from './query-format.ts';

type Build = QualityGateRunResult['builds'][number];

const STATUS_TEXT: Record<string, string> = { pass: '✓ pass', warning: '! warning', fail: '✗ fail', info: 'info' };

/** SLI values to 6 significant digits: enough to compare with the criteria, short enough to read. */
function value(v: number | null): string {
  return v === null ? '–' : formatSample(Number(v.toPrecision(6)));
}

function buildSection(build: Build, fileLabel: (file: string) => string): HTMLElement {
  const id = uniqueId('wb-gate');
  const verdict =
    build.result === null
      ? 'not evaluated'
      : `${STATUS_TEXT[build.result] ?? build.result}, total score ${build.score === null ? '–' : `${formatSample(Math.round(build.score * 100) / 100)} %`}`;
  const rows = build.objectives.map((o) =>
    el(
      'tr',
      { class: `is-${o.status}` },
      el('th', { scope: 'row' }, o.displayName || o.sli, o.keySli && el('span', { class: 'wb-key-sli' }, ' key SLI')),
      el('td', {}, value(o.value)),
      el('td', {}, value(o.comparisonValue)),
      el(
        'td',
        {},
        o.criteria.length === 0
          ? 'none (informational)'
          : el('ul', { class: 'wb-criteria' }, ...o.criteria.map((c) => el('li', {}, c.met ? '✓ ' : '✗ ', el('code', {}, c.text)))),
        o.error && el('p', { class: 'form-error' }, o.error),
      ),
      el('td', {}, STATUS_TEXT[o.status] ?? o.status),
      el('td', {}, o.status === 'info' ? '–' : `${formatSample(o.score)} of ${formatSample(o.weight)}`),
    ),
  );
  return el(
    'section',
    { class: `wb-gate-build is-${build.result ?? 'none'}`, 'aria-labelledby': id },
    el('h5', { id }, `${build.label}${build.role === 'baseline' ? ' (the baseline the others compare with)' : ''}: ${verdict}`),
    el('p', { class: 'muted' }, `Evaluated from ${formatTime(build.start)} to ${formatTime(build.end)}.`),
    build.issues.length > 0 &&
      el(
        'ul',
        { class: 'wb-issues' },
        ...build.issues.map((issue) => el('li', {}, el('code', {}, fileLabel(issue.file)), ': ', describeError(issue))),
      ),
    build.objectives.length > 0 &&
      el(
        'div',
        { class: 'wb-table-scroll', tabindex: '0', role: 'region', 'aria-label': `Objectives of ${build.label}` },
        el(
          'table',
          { class: 'wb-gate-table' },
          el('caption', { class: 'visually-hidden' }, `Objectives of ${build.label}`),
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              ...['Objective', 'Value', 'Compared with', 'Criteria', 'Status', 'Points'].map((h) => el('th', { scope: 'col' }, h)),
            ),
          ),
          el('tbody', {}, ...rows),
        ),
      ),
  );
}

/** `fileLabel` names an editor for the learner (`main` is the first one). */
export function renderGateResult(container: HTMLElement, result: QualityGateRunResult, fileLabel: (file: string) => string): void {
  container.replaceChildren(...result.builds.map((build) => buildSection(build, fileLabel)));
}
