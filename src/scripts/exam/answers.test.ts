import { describe, expect, it } from 'vitest';
import { isAnswered, listNumbers, reconcileQueue, retryDelay, summarise } from './answers.ts';

describe('reconcileQueue', () => {
  it('keeps queued changes newer than the server revision and drops the rest', () => {
    const items = [
      { id: 'lt-001', revision: 3 },
      { id: 'slo-002', revision: 5 },
      { id: 'db-003', revision: 0 },
    ];
    const pending = reconcileQueue(items, {
      'lt-001': { answer: { choice: '2' }, flagged: false, revision: 4 },
      'slo-002': { answer: { value: 1 }, flagged: true, revision: 5 },
      'db-003': { answer: null, flagged: true, revision: 1 },
      'rt-009': { answer: null, flagged: false, revision: 9 },
    });
    expect([...pending.keys()]).toEqual(['lt-001', 'db-003']);
    expect(pending.get('lt-001')?.answer).toEqual({ choice: '2' });
  });
});

describe('summarise', () => {
  it('counts an empty choice list as unanswered and numbers questions from 1', () => {
    const summary = summarise([
      { answer: { choice: '1' }, flagged: false },
      { answer: { choices: [] }, flagged: true },
      { answer: null, flagged: false },
      { answer: { value: 0 }, flagged: true },
    ]);
    expect(summary).toEqual({ total: 4, answered: 2, unanswered: [2, 3], flagged: [2, 4] });
    expect(isAnswered({ order: ['2', '1'] })).toBe(true);
  });
});

describe('listNumbers', () => {
  it('reads like a sentence', () => {
    expect(listNumbers([])).toBe('');
    expect(listNumbers([4])).toBe('4');
    expect(listNumbers([1, 4, 12])).toBe('1, 4 and 12');
  });
});

describe('retryDelay', () => {
  it('doubles from one second up to thirty, with jitter', () => {
    expect(retryDelay(1, 0.5)).toBe(1000);
    expect(retryDelay(3, 0.5)).toBe(4000);
    expect(retryDelay(20, 0.5)).toBe(30_000);
    expect(retryDelay(1, 0)).toBe(750);
    expect(retryDelay(1, 1)).toBe(1250);
  });
});
