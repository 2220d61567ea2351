import { describe, expect, it } from 'vitest';
import { loadBank } from './bank.server.ts';
import { assembleExamForm, BankTooSmallError } from './form.ts';
import { attemptDeadline, decideStart, eligibilityChecklist } from './policy.ts';
import { toPublicItem, toStoredAnswer } from './public-item.ts';
import { itemStatistics, LOW_DISCRIMINATION } from './statistics.ts';

const bank = loadBank();
const { blueprint } = bank;

describe('the item bank', () => {
  it('has at least 60 items, 15 or more per module 1-3 and integrative items for module 4', () => {
    expect(bank.items.length).toBeGreaterThanOrEqual(60);
    for (const domain of ['load-testing', 'slos', 'database-observability'] as const) {
      expect(bank.items.filter((i) => i.domain === domain).length, domain).toBeGreaterThanOrEqual(15);
    }
    expect(bank.items.filter((i) => i.domain === 'roundtable').length).toBeGreaterThan(0);
  });

  it('has unique ids and every type of item', () => {
    expect(new Set(bank.items.map((i) => i.id)).size).toBe(bank.items.length);
    expect(new Set(bank.items.map((i) => i.type))).toEqual(new Set(['single', 'multiple', 'numeric', 'ordering', 'scenario', 'promql']));
  });

  it('has at least six promql items, each with wrong answers to prove it discriminates', () => {
    const promql = bank.items.filter((i) => i.type === 'promql');
    expect(promql.length).toBeGreaterThanOrEqual(6);
    for (const item of promql) expect(item.wrongAnswers.length, item.id).toBeGreaterThanOrEqual(2);
  });
});

describe('exam forms', () => {
  it('draw the blueprint’s number of items per domain, reproducibly from the seed', () => {
    const form = assembleExamForm(bank.items, blueprint, 42);
    for (const [domain, count] of Object.entries(blueprint.itemsPerDomain))
      expect(form.filter((i) => i.domain === domain).length).toBe(count);
    expect(assembleExamForm(bank.items, blueprint, 42)).toEqual(form);
    expect(assembleExamForm(bank.items, blueprint, 43)).not.toEqual(form);
    expect(new Set(form.map((i) => i.itemId)).size).toBe(form.length);
  });

  it('avoid the previous attempt’s items when the bank allows', () => {
    const first = assembleExamForm(bank.items, blueprint, 1);
    const second = assembleExamForm(bank.items, blueprint, 2, new Set(first.map((i) => i.itemId)));
    const reused = second.filter((i) => first.some((f) => f.itemId === i.itemId));
    // Only domains too small to avoid repeats (e.g. 12 roundtable items for 2 slots never are) may repeat.
    for (const item of reused) {
      const domain = item.domain;
      const size = bank.items.filter((i) => i.domain === domain).length;
      expect(size).toBeLessThan(2 * (blueprint.itemsPerDomain[domain] ?? 0));
    }
  });

  it('shuffle option order per form', () => {
    const orders = new Set(
      [1, 2, 3, 4, 5, 6].map((seed) => JSON.stringify(assembleExamForm(bank.items, blueprint, seed).map((i) => i.optionOrder))),
    );
    expect(orders.size).toBeGreaterThan(1);
  });

  it('draw exactly the blueprint’s number of items of each listed type within a domain', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const form = assembleExamForm(bank.items, blueprint, seed);
      for (const [domain, quotas] of Object.entries(blueprint.itemsPerType))
        for (const [type, count] of Object.entries(quotas)) {
          const drawn = form.filter((f) => f.domain === domain && bank.byId.get(f.itemId)?.type === type);
          expect(drawn.length, `${domain} ${type}`).toBe(count);
        }
    }
    expect(Object.values(blueprint.itemsPerType).length).toBeGreaterThan(0);
  });

  it('refuse a blueprint whose typed draws the bank cannot fill', () => {
    const withoutQueries = bank.items.filter((i) => i.type !== 'promql');
    expect(() => assembleExamForm(withoutQueries, blueprint, 1)).toThrow(BankTooSmallError);
  });

  it('refuse a blueprint the bank cannot fill', () => {
    expect(() => assembleExamForm(bank.items.slice(0, 5), blueprint, 1)).toThrow(BankTooSmallError);
  });
});

describe('what the browser receives', () => {
  it('never contains keys or rationales', () => {
    for (const item of bank.items) {
      const order = 'options' in item ? item.options.map((o) => o.id) : [];
      const json = JSON.stringify(toPublicItem(item, order));
      expect(json).not.toContain('rationale');
      expect(json).not.toContain('"key"');
      expect(json).not.toContain(item.rationale.slice(0, 40));
      expect(Object.keys(toPublicItem(item, order)).sort()).not.toContain('key');
      if (item.type === 'promql') {
        // Neither the key, nor the other right or wrong answers, nor the dataset's values.
        for (const secret of [item.key, ...item.alsoRight, ...item.wrongAnswers]) expect(json).not.toContain(secret);
        expect(json).not.toMatch(/dataset|wrongAnswers|alsoRight|tolerance/);
        for (const line of item.dataset.series) expect(json).not.toContain(line.slice(line.indexOf('}') + 1).trim());
      }
    }
  });

  it('shows a promql item’s series label sets and evaluation, and accepts only a query as its answer', () => {
    const item = bank.items.find((i) => i.type === 'promql');
    if (item?.type !== 'promql') throw new Error('no promql item');
    const shown = toPublicItem(item, []);
    expect(shown).toMatchObject({ kind: 'promql', evaluation: item.evaluation });
    if (shown.kind !== 'promql') throw new Error('not a promql view');
    expect(shown.series.length).toBe(item.dataset.series.length);
    expect(shown.series.every((s) => !/\d+x\d+/.test(s))).toBe(true);
    expect(toStoredAnswer(item, [], { query: 'up' })).toEqual({ ok: true, answer: { query: 'up' } });
    expect(toStoredAnswer(item, [], { value: 3 })).toMatchObject({ ok: false, error: 'this item needs a query' });
  });

  it('maps display positions back to bank option ids and rejects answers that do not fit', () => {
    const item = bank.items.find((i) => i.type === 'single');
    if (!item || !('options' in item)) throw new Error('no single item');
    const order = [...item.options.map((o) => o.id)].reverse();
    expect(toStoredAnswer(item, order, { choice: '1' })).toEqual({ ok: true, answer: { choice: order[0] } });
    expect(toStoredAnswer(item, order, { choice: '6' }).ok).toBe(item.options.length >= 6);
    expect(toStoredAnswer(item, order, { value: 3 }).ok).toBe(false);
  });
});

describe('attempt policy', () => {
  const now = new Date('2026-11-27T12:00:00Z');
  const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

  it('allows a first attempt and refuses a second while one is open', () => {
    expect(decideStart(blueprint, [], false, now)).toEqual({ allowed: true });
    expect(decideStart(blueprint, [hoursAgo(1)], true, now)).toMatchObject({ allowed: false });
  });

  it('needs 24 hours between attempts and allows at most 3 in 30 days', () => {
    expect(decideStart(blueprint, [hoursAgo(23)], false, now)).toMatchObject({ allowed: false, retryAt: hoursAgo(-1) });
    expect(decideStart(blueprint, [hoursAgo(25)], false, now)).toEqual({ allowed: true });
    const three = [hoursAgo(24 * 20), hoursAgo(24 * 10), hoursAgo(48)];
    expect(decideStart(blueprint, three, false, now)).toMatchObject({ allowed: false, reason: expect.stringContaining('3 attempts') });
    expect(decideStart(blueprint, [hoursAgo(24 * 31), hoursAgo(24 * 10), hoursAgo(48)], false, now)).toEqual({ allowed: true });
  });

  it('extends the deadline by the learner’s time multiplier', () => {
    expect(attemptDeadline(blueprint, now, 1.5).getTime() - now.getTime()).toBe(blueprint.timeLimitMinutes * 60_000 * 1.5);
  });

  it('lists what is missing for eligibility', () => {
    const labs = [{ id: 'k6-load-testing', title: 'k6 lab', taskIds: ['a', 'b'] }];
    expect(eligibilityChecklist(blueprint, labs, new Map([['k6-load-testing', new Set(['a'])]]))[0]?.done).toBe(false);
    expect(eligibilityChecklist(blueprint, labs, new Map([['k6-load-testing', new Set(['a', 'b'])]]))[0]?.done).toBe(true);
  });
});

describe('item statistics', () => {
  it('computes facility and corrected item-total discrimination, flagging weak items', () => {
    // Strong candidates get "good" right and "noise" wrong; weak ones the reverse.
    const attempts = Array.from({ length: 40 }, (_, i) => {
      const strong = i < 20;
      return { perItem: { good: strong ? 1 : 0, noise: strong ? 0 : 1, a: strong ? 1 : 0, b: strong ? 1 : i % 2, c: strong ? 1 : 0 } };
    });
    const stats = new Map(itemStatistics(attempts).map((s) => [s.itemId, s]));
    expect(stats.get('good')?.facility).toBe(0.5);
    expect(stats.get('good')?.discrimination ?? 0).toBeGreaterThan(0.8);
    expect(stats.get('noise')?.discrimination ?? 0).toBeLessThan(LOW_DISCRIMINATION);
    expect(stats.get('noise')?.flagged).toBe(true);
    expect(stats.get('good')?.flagged).toBe(false);
  });
});
