// Pure helpers over the candidate's answers: what counts as answered, which queued changes still
// need sending after a reload, and the summary shown before submitting.
import type { Answer, CandidateItem, Queue, QueuedSave } from './schemas.ts';

export function isAnswered(answer: Answer | null): boolean {
  if (answer === null) return false;
  if ('choices' in answer) return answer.choices.length > 0;
  return true;
}

/**
 * Queued changes newer than what the server committed are re-applied and sent again; older or
 * equal ones were saved already (the reply was lost), and entries for unknown items are dropped.
 */
export function reconcileQueue(items: readonly Pick<CandidateItem, 'id' | 'revision'>[], queued: Queue): Map<string, QueuedSave> {
  const revisions = new Map(items.map((item) => [item.id, item.revision]));
  const pending = new Map<string, QueuedSave>();
  for (const [itemId, save] of Object.entries(queued)) {
    const committed = revisions.get(itemId);
    if (committed !== undefined && save.revision > committed) pending.set(itemId, save);
  }
  return pending;
}

export interface SubmitSummary {
  total: number;
  answered: number;
  /** 1-based question numbers. */
  unanswered: number[];
  flagged: number[];
}

export function summarise(items: readonly { answer: Answer | null; flagged: boolean }[]): SubmitSummary {
  const unanswered: number[] = [];
  const flagged: number[] = [];
  items.forEach((item, index) => {
    if (!isAnswered(item.answer)) unanswered.push(index + 1);
    if (item.flagged) flagged.push(index + 1);
  });
  return { total: items.length, answered: items.length - unanswered.length, unanswered, flagged };
}

/** "1, 4 and 12" */
export function listNumbers(numbers: readonly number[]): string {
  if (numbers.length <= 1) return numbers.join('');
  return `${numbers.slice(0, -1).join(', ')} and ${numbers.at(-1)}`;
}

/** Delay before retrying a save after `failures` consecutive failures: 1, 2, 4 … 30 s, with jitter. */
export function retryDelay(failures: number, random: number = Math.random()): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (0.75 + 0.5 * random));
}
