import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ExamItem } from './items.ts';
import { toStoredAnswer, toSubmittedAnswer } from './public-item.ts';
import { seededRandom, shuffle } from './random.ts';
import { creditFor, type StoredAnswer, scoreAttempt } from './scoring.ts';

const base = {
  domain: 'slos',
  version: 1,
  difficulty: 'medium',
  stem: 'A question long enough to be a stem?',
  rationale: 'Because the rationale says so, at length.',
} as const;
const options = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, text: `option ${id}` })) as {
  id: 'a' | 'b' | 'c' | 'd' | 'e';
  text: string;
}[];
const single: ExamItem = { ...base, id: 'slo-901', type: 'single', options: options.slice(0, 4), key: 'c' };
const multiple: ExamItem = {
  ...base,
  id: 'slo-902',
  type: 'multiple',
  options,
  key: ['a', 'c', 'd'],
  stem: 'Pick the right ones. (Select all that apply.)',
};
const numeric: ExamItem = { ...base, id: 'slo-903', type: 'numeric', key: { value: 43.2, tolerance: 0.1, unit: 'minutes' } };
const ordering: ExamItem = { ...base, id: 'slo-904', type: 'ordering', options: options.slice(0, 4), key: ['c', 'a', 'd', 'b'] };
const blueprint = {
  version: 1,
  title: 'Test',
  itemsPerDomain: { 'load-testing': 0, slos: 4, 'database-observability': 0, roundtable: 0 },
  itemsPerType: {},
  timeLimitMinutes: 45,
  graceSeconds: 5,
  reportedScale: { min: 100, max: 1000 },
  passingScore: 700,
  attempts: { maxAttempts: 3, windowDays: 30, cooldownHours: 24 },
  eligibility: { labs: [] },
};

describe('scoring rules', () => {
  it('scores single choice 1 or 0', () => {
    expect(creditFor(single, { choice: 'c' })).toBe(1);
    expect(creditFor(single, { choice: 'a' })).toBe(0);
    expect(creditFor(single, null)).toBe(0);
  });

  it('gives multiple response partial credit: right minus wrong over the number right, never negative', () => {
    expect(creditFor(multiple, { choices: ['a', 'c', 'd'] })).toBe(1);
    expect(creditFor(multiple, { choices: ['a', 'c'] })).toBeCloseTo(2 / 3);
    expect(creditFor(multiple, { choices: ['a', 'c', 'd', 'b'] })).toBeCloseTo(2 / 3);
    expect(creditFor(multiple, { choices: ['b', 'e'] })).toBe(0);
    expect(creditFor(multiple, { choices: ['a', 'b', 'c', 'd', 'e'] })).toBeCloseTo(1 / 3);
  });

  it('scores numeric answers within the tolerance', () => {
    expect(creditFor(numeric, { value: 43.2 })).toBe(1);
    expect(creditFor(numeric, { value: 43.3 })).toBe(1);
    expect(creditFor(numeric, { value: 43.31 })).toBe(0);
  });

  it('gives ordering credit for the share of pairs in the right relative order', () => {
    expect(creditFor(ordering, { order: ['c', 'a', 'd', 'b'] })).toBe(1);
    expect(creditFor(ordering, { order: ['b', 'd', 'a', 'c'] })).toBe(0);
    expect(creditFor(ordering, { order: ['a', 'c', 'd', 'b'] })).toBeCloseTo(5 / 6);
    expect(creditFor(ordering, { order: ['c', 'a', 'd'] })).toBe(0);
  });

  it('gives 0 for an answer of the wrong shape', () => {
    expect(creditFor(single, { choices: ['c'] })).toBe(0);
    expect(creditFor(numeric, { choice: 'a' })).toBe(0);
  });

  it('maps raw scores to the reported scale and the pass mark', () => {
    const score = scoreAttempt(
      [single, multiple, numeric, ordering],
      new Map<string, StoredAnswer>([
        ['slo-901', { choice: 'c' }],
        ['slo-903', { value: 43.2 }],
        ['slo-904', { order: ['c', 'a', 'd', 'b'] }],
      ]),
      blueprint,
    );
    expect(score.raw).toBe(0.75);
    expect(score.reported).toBe(775);
    expect(score.passed).toBe(true);
    expect(score.perDomain.slos).toEqual({ credit: 3, items: 4 });
  });
});

const anyAnswer: fc.Arbitrary<StoredAnswer> = fc.oneof(
  fc.record({ choice: fc.constantFrom('a', 'b', 'c', 'd', 'e') }),
  fc.record({ choices: fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { maxLength: 5 }) }),
  fc.record({ value: fc.double({ noNaN: true, min: -1e6, max: 1e6 }) }),
  fc.record({ order: fc.shuffledSubarray(['a', 'b', 'c', 'd'], { minLength: 1 }) }),
);

describe('scoring properties', () => {
  it('keeps every credit in [0, 1], whatever the answer', () => {
    fc.assert(
      fc.property(fc.constantFrom(single, multiple, numeric, ordering), anyAnswer, (item, answer) => {
        const credit = creditFor(item, answer);
        expect(credit).toBeGreaterThanOrEqual(0);
        expect(credit).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('never changes a score when the options are shown in another order', () => {
    fc.assert(
      fc.property(fc.constantFrom(single, multiple, ordering), anyAnswer, fc.integer(), fc.integer(), (item, answer, seedA, seedB) => {
        const ids = 'options' in item ? item.options.map((o) => o.id) : [];
        const orderA = shuffle(ids, seededRandom(seedA));
        const orderB = shuffle(ids, seededRandom(seedB));
        const viaA = toStoredAnswer(item, orderA, toSubmittedAnswer(answer, orderA));
        const viaB = toStoredAnswer(item, orderB, toSubmittedAnswer(answer, orderB));
        const credit = (m: typeof viaA) => (m.ok ? creditFor(item, m.answer) : 0);
        expect(credit(viaA)).toBe(credit(viaB));
      }),
    );
  });
});
