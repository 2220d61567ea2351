// The answer a task asks for: a number with its unit, or one of several explanations.
import type { PublicTask } from '../../features/labs/public-lab.ts';
import { el, uniqueId } from './dom.ts';

export interface AnswerField {
  /** The answer as the worker and the server take it: a string, or null when empty. */
  value(): string | null;
}

const NO_ANSWER: AnswerField = { value: () => null };

export function renderAnswerField(
  container: HTMLElement,
  task: PublicTask,
  initial: string | null,
  onChange: (value: string | null) => void,
): AnswerField {
  container.replaceChildren();
  container.hidden = !task.answer;
  const spec = task.answer;
  if (!spec) return NO_ANSWER;

  if (spec.kind === 'number') {
    const id = uniqueId('wb-answer');
    const unitId = uniqueId('wb-answer-unit');
    const input = el('input', { id, type: 'number', inputmode: 'decimal', step: 'any', min: '0', 'aria-describedby': unitId });
    input.value = initial ?? '';
    input.addEventListener('input', () => onChange(input.value.trim() || null));
    container.append(
      el('label', { for: id }, spec.label),
      el('span', { class: 'wb-answer-row' }, input, el('span', { id: unitId }, spec.unit)),
    );
    return { value: () => input.value.trim() || null };
  }

  const name = uniqueId('wb-choice');
  const radios = spec.options.map((option) => {
    const radio = el('input', { type: 'radio', name, value: option });
    radio.checked = option === initial;
    radio.addEventListener('change', () => onChange(option));
    return el('label', { class: 'wb-choice' }, radio, el('span', {}, option));
  });
  container.append(el('fieldset', {}, el('legend', {}, spec.label), ...radios));
  return { value: () => container.querySelector<HTMLInputElement>(`input[name="${name}"]:checked`)?.value ?? null };
}
