// The result of a rules task: problems in the files, each alert's state over the evaluated range
// as bands (inactive, pending, firing) under the seeded incidents, how fast each incident was
// detected, firings outside any incident and the precision, and the learner's promtool-style unit
// test output. Bands are plain elements positioned by percentage, each with a text equivalent, and
// every number is also in a table.
import type { RulesRunResult } from '../../../labs/runtime/lab/outcome.ts';
import { el, uniqueId } from './dom.ts';
import { describeError, formatDuration, formatLabels, formatTime } from './query-format.ts';

/** Alerts drawn as bands; the rest are counted. */
const MAX_BANDS = 30;

function percent(t: number, start: number, end: number): number {
  return end > start ? Math.min(100, Math.max(0, ((t - start) / (end - start)) * 100)) : 0;
}

function section(title: string, ...children: (Node | string | false | null | undefined)[]): HTMLElement {
  const id = uniqueId('wb-rules');
  return el('section', { class: 'wb-rules-part', 'aria-labelledby': id }, el('h5', { id }, title), ...children);
}

function alertName(alert: RulesRunResult['alerts'][number]): string {
  const { alertname: _alertname, ...rest } = alert.labels;
  const extra = Object.keys(rest).length > 0 ? ` ${formatLabels(rest)}` : '';
  return `${alert.name}${extra}`;
}

function timeline(result: RulesRunResult, start: number, end: number): HTMLElement {
  const axis = el(
    'div',
    { class: 'wb-band-axis', 'aria-hidden': 'true' },
    el('span', {}, formatTime(start).slice(0, 10)),
    el('span', {}, formatTime(start + (end - start) / 2).slice(0, 10)),
    el('span', {}, formatTime(end).slice(0, 10)),
  );
  const incidentRow = el(
    'div',
    { class: 'wb-band-row' },
    el('span', { class: 'wb-band-label' }, 'Seeded incidents'),
    el(
      'span',
      { class: 'wb-band-track' },
      ...result.incidents.map((incident) => {
        const left = percent(incident.start, start, end);
        const width = Math.max(0.4, percent(incident.end, start, end) - left);
        return el(
          'span',
          { class: 'wb-band is-incident', style: `left:${left}%;width:${width}%`, title: `${incident.name}: ${incident.description}` },
          el('span', { class: 'visually-hidden' }, `${incident.name} from ${formatTime(incident.start)} to ${formatTime(incident.end)}`),
        );
      }),
    ),
  );
  const alerts = result.alerts.slice(0, MAX_BANDS);
  const rows = alerts.map((alert) => {
    const firing = alert.intervals.filter((i) => i.state === 'firing');
    const pending = alert.intervals.filter((i) => i.state === 'pending');
    const summary = `${firing.length} firing and ${pending.length} pending periods`;
    return el(
      'div',
      { class: 'wb-band-row' },
      el('span', { class: 'wb-band-label' }, el('code', {}, alertName(alert))),
      el(
        'span',
        { class: 'wb-band-track', role: 'img', 'aria-label': `${alertName(alert)}: ${summary}; inactive otherwise.` },
        ...alert.intervals.map((interval) => {
          const left = percent(interval.start, start, end);
          const width = Math.max(0.3, percent(interval.end, start, end) - left);
          return el('span', {
            class: `wb-band is-${interval.state}`,
            style: `left:${left}%;width:${width}%`,
            title: `${interval.state} ${formatTime(interval.start)} – ${formatTime(interval.end)}`,
          });
        }),
      ),
    );
  });
  const legend = el(
    'p',
    { class: 'wb-band-legend' },
    el('span', { class: 'wb-swatch is-inactive', 'aria-hidden': 'true' }),
    ' inactive ',
    el('span', { class: 'wb-swatch is-pending', 'aria-hidden': 'true' }),
    ' pending ',
    el('span', { class: 'wb-swatch is-firing', 'aria-hidden': 'true' }),
    ' firing ',
    el('span', { class: 'wb-swatch is-incident', 'aria-hidden': 'true' }),
    ' seeded incident',
  );
  const hidden = result.alerts.length - alerts.length + result.alertsTruncated;
  return el(
    'div',
    { class: 'wb-bands' },
    legend,
    incidentRow,
    ...rows,
    axis,
    rows.length === 0 && el('p', { class: 'muted' }, 'No alert was ever pending or firing.'),
    hidden > 0 && el('p', { class: 'muted' }, `${hidden} more alert instances not drawn.`),
  );
}

function incidentTable(result: RulesRunResult): HTMLElement {
  const expected = { page: 'a page', ticket: 'a ticket', none: 'silence' } as const;
  const rows = result.incidents.map((incident) => {
    const silent = incident.expectedAlert === 'none';
    const listed = incident.detections
      .map((d) => `${d.alert}${d.severity ? ` (${d.severity})` : ''} after ${formatDuration(d.detectionMs)}`)
      .join('; ');
    const detections =
      incident.detections.length === 0
        ? silent
          ? '✓ no alert, as it should be'
          : 'not detected'
        : silent
          ? `✗ should have stayed silent: ${listed}`
          : listed;
    return el(
      'tr',
      {},
      el('th', { scope: 'row' }, incident.name),
      el('td', {}, incident.description),
      el('td', {}, `${formatTime(incident.start)} – ${formatTime(incident.end)}`),
      el('td', {}, incident.expectedAlert === null ? '–' : expected[incident.expectedAlert]),
      el('td', {}, detections),
    );
  });
  return el(
    'div',
    { class: 'wb-table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Detection of the seeded incidents' },
    el(
      'table',
      {},
      el('caption', { class: 'visually-hidden' }, 'Detection of the seeded incidents'),
      el(
        'thead',
        {},
        el('tr', {}, ...['Incident', 'What happened', 'When', 'Calls for', 'Detected by'].map((h) => el('th', { scope: 'col' }, h))),
      ),
      el('tbody', {}, ...rows),
    ),
  );
}

/** `fileLabel` names an editor for the learner (`main` is the first one). */
export function renderRulesResult(container: HTMLElement, result: RulesRunResult, fileLabel: (file: string) => string): void {
  container.replaceChildren();
  if (result.issues.length > 0)
    container.append(
      section(
        'Problems in your files',
        el(
          'ul',
          { class: 'wb-issues' },
          ...result.issues.map((issue) => el('li', {}, el('code', {}, fileLabel(issue.file)), ': ', describeError(issue))),
        ),
      ),
    );
  const evaluation = result.evaluation;
  if (evaluation) {
    const precision =
      result.precision === null ? 'no firings' : `${Math.round(result.precision * 100)} % of firings overlapped an incident`;
    container.append(
      section(
        'Alert states over the telemetry',
        el(
          'p',
          { class: 'muted' },
          `Evaluated from ${formatTime(evaluation.start)} to ${formatTime(evaluation.end)} every ${evaluation.intervalsMs.map(formatDuration).join(', ')}; precision: ${precision}.`,
        ),
        timeline(result, evaluation.start, evaluation.end),
      ),
      section('Detection', incidentTable(result)),
    );
    if (result.falseFirings.length > 0)
      container.append(
        section(
          'Firings outside any incident',
          el(
            'ul',
            {},
            ...result.falseFirings.map((f) =>
              el(
                'li',
                {},
                `${f.alert}${f.severity ? ` (${f.severity})` : ''} fired at ${formatTime(f.firedAt)}`,
                f.resolvedAt === null ? ', still firing at the end' : `, resolved after ${formatDuration(f.resolvedAt - f.firedAt)}`,
              ),
            ),
          ),
        ),
      );
    if (result.evaluationErrors.length > 0)
      container.append(section('Evaluation errors', el('ul', {}, ...result.evaluationErrors.map((e) => el('li', {}, e)))));
  }
  if (result.unitTests)
    container.append(
      section(
        `Your unit tests: ${result.unitTests.ok ? 'SUCCESS' : 'FAILED'}`,
        el('pre', { class: 'wb-test-output', tabindex: '0', 'aria-label': 'promtool test rules output' }, result.unitTests.output),
      ),
    );
}
