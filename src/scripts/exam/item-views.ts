// One exam item on the page: its heading, stem, exhibit and the native inputs of its kind (radios,
// checkboxes, a number with its unit, an ordered list with Move up / Move down buttons, or a PromQL
// query in a monospace text area with the dataset's series and the server's parse check).
// Stems and options are safe HTML from the server; exhibits are plain text.
import { describeEvaluation, type PromqlEvaluation } from '../../features/exam/items.ts';
import { el } from '../workbench/dom.ts';
import type { Answer, CandidateItem, SyntaxNote } from './schemas.ts';

/** How long typing in a number field may pause before the answer is saved. */
const NUMBER_DEBOUNCE_MS = 400;
/** The same for a query, which takes longer to type. */
const QUERY_DEBOUNCE_MS = 800;

export interface ItemView {
  readonly section: HTMLElement;
  readonly heading: HTMLElement;
  /** Shows an answer: at load, after a queued change is re-applied, or after Clear answer. */
  setAnswer(answer: Answer | null): void;
  setFlagged(flagged: boolean): void;
  setDisabled(disabled: boolean): void;
  /** Saves a number still waiting for its typing pause. */
  commitPending(): void;
  /** Shows the server's parse check of a saved query (promql items; null: it parses). */
  showSyntax(note: SyntaxNote | null): void;
}

export interface ItemCallbacks {
  onAnswer(answer: Answer | null): void;
  announce(message: string): void;
}

const LEGENDS: Record<CandidateItem['kind'], string> = {
  single: 'Choose one answer',
  multiple: 'Choose every answer that applies',
  numeric: 'Enter a number',
  ordering: 'Put these in order, first at the top',
  promql: 'Write a PromQL query',
};

function html(tag: 'span' | 'div', className: string, safeHtml: string): HTMLElement {
  const element = el(tag, { class: className });
  // Safe: rendered and escaped on the server (markdown-lite); the browser never builds HTML from input.
  element.innerHTML = safeHtml;
  return element;
}

function plainText(safeHtml: string): string {
  return html('span', '', safeHtml).textContent?.trim() ?? '';
}

export function renderItem(item: CandidateItem, index: number, total: number, callbacks: ItemCallbacks): ItemView {
  const number = index + 1;
  const ids = { heading: `question-${number}-title`, stem: `question-${number}-stem` };
  const flagBadge = el('span', { class: 'exam-flag-badge', hidden: true }, 'Flagged for review');
  const heading = el(
    'h2',
    { id: ids.heading, tabindex: '-1' },
    `Question ${number} `,
    el('span', { class: 'muted' }, `of ${total}`),
    ' ',
    flagBadge,
  );
  const section = el('section', { class: 'exam-item', id: `question-${number}`, 'aria-labelledby': ids.heading, hidden: true }, heading);
  const stem = html('div', 'exam-stem prose', item.stem);
  stem.id = ids.stem;
  section.append(stem);
  if (item.exhibit !== null) {
    const pre = el('pre', { class: 'exam-exhibit', tabindex: '0', 'aria-label': `Exhibit for question ${number}` }, item.exhibit);
    section.append(el('figure', { class: 'exam-exhibit-figure' }, el('figcaption', {}, 'Exhibit'), pre));
  }
  const fieldset = el('fieldset', { class: 'exam-answer', 'aria-describedby': ids.stem }, el('legend', {}, LEGENDS[item.kind]));
  const clear = el('button', { type: 'button', class: 'secondary' }, 'Clear answer');
  section.append(fieldset, el('p', { class: 'exam-item-tools' }, clear));

  const input =
    item.kind === 'numeric'
      ? numericInput(fieldset, number, item.unit, callbacks)
      : item.kind === 'promql'
        ? queryInput(fieldset, number, item.series, item.evaluation, callbacks)
        : item.kind === 'ordering'
          ? orderingInput(fieldset, item.options, callbacks)
          : choiceInput(fieldset, number, item.kind, item.options, callbacks);
  clear.addEventListener('click', () => {
    input.set(null);
    callbacks.onAnswer(null);
    callbacks.announce(`Answer to question ${number} cleared.`);
  });
  input.set(item.answer);

  return {
    section,
    heading,
    setAnswer: (answer) => input.set(answer),
    setFlagged: (flagged) => {
      flagBadge.hidden = !flagged;
    },
    setDisabled: (disabled) => {
      fieldset.disabled = disabled;
      clear.disabled = disabled;
    },
    commitPending: () => input.commitPending?.(),
    showSyntax: (note) => input.showSyntax?.(note),
  };
}

interface Input {
  set(answer: Answer | null): void;
  commitPending?: () => void;
  showSyntax?: (note: SyntaxNote | null) => void;
}

function choiceInput(
  fieldset: HTMLFieldSetElement,
  number: number,
  kind: 'single' | 'multiple',
  options: { id: string; text: string }[],
  callbacks: ItemCallbacks,
): Input {
  const inputs = options.map((option) => {
    const input = el('input', { type: kind === 'single' ? 'radio' : 'checkbox', name: `question-${number}-answer`, value: option.id });
    fieldset.append(el('label', { class: 'exam-choice' }, input, html('span', 'exam-choice-text', option.text)));
    return input;
  });
  const read = (): Answer | null => {
    const checked = inputs.filter((i) => i.checked).map((i) => i.value);
    if (kind === 'single') return checked[0] ? { choice: checked[0] } : null;
    return checked.length > 0 ? { choices: checked } : null;
  };
  for (const input of inputs) input.addEventListener('change', () => callbacks.onAnswer(read()));
  return {
    set: (answer) => {
      const chosen = answer === null ? [] : 'choice' in answer ? [answer.choice] : 'choices' in answer ? answer.choices : [];
      for (const input of inputs) input.checked = chosen.includes(input.value);
    },
  };
}

function numericInput(fieldset: HTMLFieldSetElement, number: number, unit: string, callbacks: ItemCallbacks): Input {
  const id = `question-${number}-number`;
  const errorId = `question-${number}-number-error`;
  const input = el('input', { id, type: 'number', step: 'any', inputmode: 'decimal', autocomplete: 'off', 'aria-describedby': errorId });
  const error = el(
    'p',
    { id: errorId, class: 'field-error', hidden: true },
    'Enter a number, for example 12.5 (digits, one point, an optional minus sign).',
  );
  fieldset.append(
    el('label', { for: id }, `Your answer, in ${unit}`),
    el('span', { class: 'exam-number-row' }, input, el('span', { 'aria-hidden': 'true' }, unit)),
    error,
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastSent: string | undefined;
  const commit = () => {
    clearTimeout(timer);
    timer = undefined;
    // Half-typed input ("-", "1e") reads as empty: keep the saved answer until it is a number.
    const bad = input.validity.badInput;
    error.hidden = !bad;
    input.setAttribute('aria-invalid', String(bad));
    if (bad) return;
    const value = input.valueAsNumber;
    const key = Number.isFinite(value) ? String(value) : '';
    if (key === lastSent) return;
    lastSent = key;
    callbacks.onAnswer(Number.isFinite(value) ? { value } : null);
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(commit, NUMBER_DEBOUNCE_MS);
  });
  input.addEventListener('change', commit);
  return {
    set: (answer) => {
      clearTimeout(timer);
      timer = undefined;
      input.value = answer !== null && 'value' in answer ? String(answer.value) : '';
      lastSent = input.value === '' ? '' : String(input.valueAsNumber);
      error.hidden = true;
      input.setAttribute('aria-invalid', 'false');
    },
    commitPending: () => {
      if (timer !== undefined) commit();
    },
  };
}

function orderingInput(fieldset: HTMLFieldSetElement, options: { id: string; text: string }[], callbacks: ItemCallbacks): Input {
  const list = el('ol', { class: 'exam-order' });
  const keep = el('button', { type: 'button', class: 'secondary' }, 'Keep this order');
  const unanswered = el(
    'div',
    { class: 'exam-order-unanswered' },
    el('p', {}, 'Not answered yet: move the entries into order, or keep the order shown.'),
    keep,
  );
  fieldset.append(unanswered, list);
  const texts = new Map(options.map((o) => [o.id, plainText(o.text)]));
  const defaultOrder = options.map((o) => o.id);
  let order = defaultOrder;

  const render = (answered: boolean, focus?: { id: string; direction: 'up' | 'down' }) => {
    unanswered.hidden = answered;
    list.replaceChildren(
      ...order.map((id, position) => {
        const option = options.find((o) => o.id === id);
        const label = texts.get(id) ?? '';
        const up = el(
          'button',
          { type: 'button', class: 'secondary', 'aria-label': `Move up: ${label}`, 'data-move': 'up', 'data-id': id },
          'Move up',
        );
        const down = el(
          'button',
          { type: 'button', class: 'secondary', 'aria-label': `Move down: ${label}`, 'data-move': 'down', 'data-id': id },
          'Move down',
        );
        up.disabled = position === 0;
        down.disabled = position === order.length - 1;
        up.addEventListener('click', () => move(id, -1));
        down.addEventListener('click', () => move(id, 1));
        return el('li', {}, html('span', 'exam-order-text', option?.text ?? ''), el('span', { class: 'exam-order-moves' }, up, down));
      }),
    );
    if (focus) {
      const wanted = list.querySelector<HTMLButtonElement>(`[data-id="${focus.id}"][data-move="${focus.direction}"]`);
      const other = list.querySelector<HTMLButtonElement>(
        `[data-id="${focus.id}"][data-move="${focus.direction === 'up' ? 'down' : 'up'}"]`,
      );
      (wanted && !wanted.disabled ? wanted : other)?.focus();
    }
  };

  const move = (id: string, step: -1 | 1) => {
    const from = order.indexOf(id);
    const to = from + step;
    if (from < 0 || to < 0 || to >= order.length) return;
    const next = [...order];
    next.splice(from, 1);
    next.splice(to, 0, id);
    order = next;
    render(true, { id, direction: step < 0 ? 'up' : 'down' });
    callbacks.onAnswer({ order });
    callbacks.announce(`“${texts.get(id) ?? ''}” moved to position ${to + 1} of ${order.length}.`);
  };

  keep.addEventListener('click', () => {
    render(true);
    callbacks.onAnswer({ order });
    callbacks.announce('Order kept as shown.');
    list.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
  });

  return {
    set: (answer) => {
      const given = answer !== null && 'order' in answer ? answer.order : null;
      const valid = given !== null && given.length === defaultOrder.length && defaultOrder.every((id) => given.includes(id));
      order = valid ? [...given] : defaultOrder;
      render(valid);
    },
  };
}

function queryInput(
  fieldset: HTMLFieldSetElement,
  number: number,
  series: readonly string[],
  evaluation: PromqlEvaluation,
  callbacks: ItemCallbacks,
): Input {
  const id = `question-${number}-query`;
  const helpId = `question-${number}-query-help`;
  const syntaxId = `question-${number}-query-syntax`;
  const area = el('textarea', {
    id,
    class: 'exam-query',
    rows: '4',
    spellcheck: 'false',
    autocapitalize: 'off',
    autocomplete: 'off',
    'aria-describedby': `${helpId} ${syntaxId}`,
  });
  const syntax = el('p', { id: syntaxId, class: 'field-error', role: 'status', hidden: true });
  // Scrolls when long, so it takes keyboard focus (a scrollable region must be reachable without a mouse).
  const list = el(
    'div',
    { class: 'exam-query-series', tabindex: '0', role: 'region', 'aria-label': `Series in the data of question ${number}` },
    el('ul', {}, ...series.map((s) => el('li', {}, el('code', {}, s)))),
  );
  fieldset.append(
    el('label', { for: id }, 'Your query'),
    area,
    syntax,
    el(
      'p',
      { id: helpId, class: 'muted exam-query-help' },
      `It is run as ${describeEvaluation(evaluation)} on data you do not see, and graded by its result (the series and their values), not by its text.`,
    ),
    el('details', { class: 'exam-query-details' }, el('summary', {}, `Series in the data (${series.length})`), list),
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastSent: string | undefined;
  const commit = () => {
    clearTimeout(timer);
    timer = undefined;
    const query = area.value;
    if (query === lastSent) return;
    lastSent = query;
    callbacks.onAnswer(query.trim() === '' ? null : { query });
  };
  area.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(commit, QUERY_DEBOUNCE_MS);
  });
  area.addEventListener('change', commit);
  return {
    set: (answer) => {
      clearTimeout(timer);
      timer = undefined;
      area.value = answer !== null && 'query' in answer ? answer.query : '';
      lastSent = area.value;
      syntax.hidden = true;
      area.setAttribute('aria-invalid', 'false');
    },
    commitPending: () => {
      if (timer !== undefined) commit();
    },
    showSyntax: (note) => {
      syntax.hidden = note === null;
      area.setAttribute('aria-invalid', String(note !== null));
      const where = note?.line !== undefined ? ` (line ${note.line}, column ${note.column ?? 1})` : '';
      syntax.textContent = note === null ? '' : `This query does not parse${where}: ${note.message}`;
    },
  };
}
