// Scoring, on the server only (ADR 011). Every item is worth 1; credit is in [0, 1]:
// - single choice: 1 or 0;
// - multiple response: (right choices − wrong choices) / number of right options, floored at 0;
// - numeric: 1 within the tolerance, else 0;
// - ordering: the share of option pairs placed in the right relative order (Kendall);
// - promql: 1 when the query's result on the item's hidden dataset equals the key's (promql-items.ts);
// - unanswered or malformed: 0.
import type { ModuleSlug } from '../curriculum/schemas.ts';
import { type Blueprint, type ExamItem, responseKind } from './items.ts';
import { gradePromqlAnswer } from './promql-items.ts';

export type StoredAnswer = { choice: string } | { choices: string[] } | { value: number } | { order: string[] } | { query: string };

export function creditFor(item: ExamItem, answer: StoredAnswer | null): number {
  if (answer === null) return 0;
  const kind = responseKind(item);
  if (kind === 'single' && 'choice' in answer) return answer.choice === item.key ? 1 : 0;
  if (kind === 'multiple' && 'choices' in answer) {
    const key = new Set(item.key as string[]);
    const chosen = new Set(answer.choices);
    let right = 0;
    let wrong = 0;
    for (const choice of chosen) {
      if (key.has(choice)) right += 1;
      else wrong += 1;
    }
    return Math.max(0, (right - wrong) / key.size);
  }
  if (kind === 'numeric' && 'value' in answer) {
    const key = item.key as { value: number; tolerance: number };
    return Number.isFinite(answer.value) && Math.abs(answer.value - key.value) <= key.tolerance + 1e-9 ? 1 : 0;
  }
  if (kind === 'promql' && 'query' in answer && item.type === 'promql') return gradePromqlAnswer(item, answer.query).credit;
  if (kind === 'ordering' && 'order' in answer) {
    const key = item.key as string[];
    const position = new Map(answer.order.map((id, index) => [id, index]));
    if (position.size !== key.length || key.some((id) => !position.has(id))) return 0;
    let pairs = 0;
    let correct = 0;
    for (let i = 0; i < key.length; i += 1) {
      for (let j = i + 1; j < key.length; j += 1) {
        pairs += 1;
        if ((position.get(key[i] as string) ?? 0) < (position.get(key[j] as string) ?? 0)) correct += 1;
      }
    }
    return pairs === 0 ? 0 : correct / pairs;
  }
  return 0;
}

export interface AttemptScore {
  raw: number;
  reported: number;
  passed: boolean;
  perDomain: Partial<Record<ModuleSlug, { credit: number; items: number }>>;
  perItem: Record<string, number>;
}

export function scoreAttempt(items: readonly ExamItem[], answers: ReadonlyMap<string, StoredAnswer>, blueprint: Blueprint): AttemptScore {
  const perDomain: AttemptScore['perDomain'] = {};
  const perItem: Record<string, number> = {};
  let total = 0;
  for (const item of items) {
    const credit = creditFor(item, answers.get(item.id) ?? null);
    perItem[item.id] = credit;
    total += credit;
    const domain = perDomain[item.domain] ?? { credit: 0, items: 0 };
    domain.credit += credit;
    domain.items += 1;
    perDomain[item.domain] = domain;
  }
  const raw = items.length === 0 ? 0 : total / items.length;
  const { min, max } = blueprint.reportedScale;
  const reported = Math.round(min + (max - min) * raw);
  return { raw, reported, passed: reported >= blueprint.passingScore, perDomain, perItem };
}
