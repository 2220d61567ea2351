// What the candidate's browser receives. Stems and options arrive as safe HTML (markdown-lite); a
// promql item brings its dataset's label sets, never its values or key. Options are identified by their display
// position ("1".."n") rather than their bank ids, so an ordering item's ids (often written in the
// right order) leak nothing; the server maps positions back through the stored permutation.
import { renderInlineMarkdown, renderMarkdownLite } from '../../lib/markdown-lite.ts';
import { type ExamItem, type PublicItem, responseKind } from './items.ts';
import { datasetSeries } from './promql-items.ts';
import type { SubmittedAnswer } from './requests.ts';
import type { StoredAnswer } from './scoring.ts';

export function toPublicItem(item: ExamItem, optionOrder: readonly string[]): PublicItem {
  const exhibit = item.type === 'scenario' ? item.exhibit : null;
  const kind = responseKind(item);
  const stem = renderMarkdownLite(item.stem);
  if (kind === 'numeric') return { id: item.id, kind: 'numeric', stem, exhibit, unit: (item.key as { unit: string }).unit };
  // Field by field: the dataset's values, the key and the tolerance stay on the server.
  if (item.type === 'promql')
    return { id: item.id, kind: 'promql', stem, exhibit, series: datasetSeries(item), evaluation: item.evaluation };
  const options = 'options' in item ? item.options : [];
  return {
    id: item.id,
    kind: kind as 'single' | 'multiple' | 'ordering',
    stem,
    exhibit,
    options: optionOrder.map((id, index) => ({
      id: String(index + 1),
      text: renderInlineMarkdown(options.find((o) => o.id === id)?.text ?? ''),
    })),
  };
}

export { type SubmittedAnswer, SubmittedAnswerSchema } from './requests.ts';

export type AnswerMapping = { ok: true; answer: StoredAnswer } | { ok: false; error: string };

/** Checks an answer fits the item and maps display positions back to bank option ids. */
export function toStoredAnswer(item: ExamItem, optionOrder: readonly string[], answer: SubmittedAnswer): AnswerMapping {
  const kind = responseKind(item);
  const byPosition = (position: string) => optionOrder[Number(position) - 1];
  if (kind === 'promql')
    return 'query' in answer ? { ok: true, answer: { query: answer.query } } : { ok: false, error: 'this item needs a query' };
  if (kind === 'numeric')
    return 'value' in answer ? { ok: true, answer: { value: answer.value } } : { ok: false, error: 'this item needs a number' };
  if (kind === 'single' && 'choice' in answer) {
    const id = byPosition(answer.choice);
    return id ? { ok: true, answer: { choice: id } } : { ok: false, error: 'no such option' };
  }
  if (kind === 'multiple' && 'choices' in answer) {
    const ids = [...new Set(answer.choices)].map(byPosition);
    return ids.every((id) => id !== undefined)
      ? { ok: true, answer: { choices: ids as string[] } }
      : { ok: false, error: 'no such option' };
  }
  if (kind === 'ordering' && 'order' in answer) {
    const ids = answer.order.map(byPosition);
    const complete = ids.length === optionOrder.length && new Set(ids).size === ids.length && ids.every((id) => id !== undefined);
    return complete ? { ok: true, answer: { order: ids as string[] } } : { ok: false, error: 'an order must list every option once' };
  }
  return {
    ok: false,
    error: `this item needs a ${kind === 'single' ? 'single choice' : kind === 'multiple' ? 'list of choices' : 'complete order'}`,
  };
}

/** Stored answer back to display positions, for resuming an attempt. */
export function toSubmittedAnswer(stored: StoredAnswer, optionOrder: readonly string[]): SubmittedAnswer {
  const position = (id: string) => String(optionOrder.indexOf(id) + 1);
  if ('choice' in stored) return { choice: position(stored.choice) };
  if ('choices' in stored) return { choices: stored.choices.map(position) };
  if ('order' in stored) return { order: stored.order.map(position) };
  if ('query' in stored) return { query: stored.query };
  return { value: stored.value };
}
