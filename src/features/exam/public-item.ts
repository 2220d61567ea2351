// What the candidate's browser receives and sends. Stems and options arrive as safe HTML (markdown-lite). Options are identified by their display
// position ("1".."n") rather than their bank ids, so an ordering item's ids (often written in the
// right order) leak nothing; the server maps positions back through the stored permutation.
import { z } from 'zod';
import { renderInlineMarkdown, renderMarkdownLite } from '../../lib/markdown-lite.ts';
import { type ExamItem, type PublicItem, responseKind } from './items.ts';
import type { StoredAnswer } from './scoring.ts';

export function toPublicItem(item: ExamItem, optionOrder: readonly string[]): PublicItem {
  const exhibit = item.type === 'scenario' ? item.exhibit : null;
  const kind = responseKind(item);
  const stem = renderMarkdownLite(item.stem);
  if (kind === 'numeric') return { id: item.id, kind: 'numeric', stem, exhibit, unit: (item.key as { unit: string }).unit };
  const options = 'options' in item ? item.options : [];
  return {
    id: item.id,
    kind,
    stem,
    exhibit,
    options: optionOrder.map((id, index) => ({
      id: String(index + 1),
      text: renderInlineMarkdown(options.find((o) => o.id === id)?.text ?? ''),
    })),
  };
}

const Position = z.string().regex(/^[1-6]$/, 'must be an option number');

/** An answer as the browser sends it, per response kind. */
export const SubmittedAnswerSchema = z.union([
  z.object({ choice: Position }).strict(),
  z.object({ choices: z.array(Position).max(6) }).strict(),
  z.object({ value: z.number() }).strict(),
  z.object({ order: z.array(Position).min(1).max(6) }).strict(),
]);

export type SubmittedAnswer = z.infer<typeof SubmittedAnswerSchema>;

export type AnswerMapping = { ok: true; answer: StoredAnswer } | { ok: false; error: string };

/** Checks an answer fits the item and maps display positions back to bank option ids. */
export function toStoredAnswer(item: ExamItem, optionOrder: readonly string[], answer: SubmittedAnswer): AnswerMapping {
  const kind = responseKind(item);
  const byPosition = (position: string) => optionOrder[Number(position) - 1];
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
  return { value: stored.value };
}
