// Item statistics for instructors, in the style of Moodle's quiz statistics: the facility index
// (mean credit), the discrimination index (corrected item–total correlation: the item against the
// total of the other items), and how often each option was chosen. Items with discrimination below
// 0.2 are flagged for review.
export const LOW_DISCRIMINATION = 0.2;

export interface ScoredAttempt {
  perItem: Record<string, number>;
}

export interface ItemStatistics {
  itemId: string;
  attempts: number;
  facility: number | null;
  discrimination: number | null;
  flagged: boolean;
}

function pearson(xs: number[], ys: number[]): number | null {
  const n = xs.length;
  if (n < 2) return null;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i += 1) {
    const dx = (xs[i] ?? 0) - mx;
    const dy = (ys[i] ?? 0) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}

export function itemStatistics(attempts: readonly ScoredAttempt[]): ItemStatistics[] {
  const ids = [...new Set(attempts.flatMap((a) => Object.keys(a.perItem)))].sort();
  return ids.map((itemId) => {
    const taking = attempts.filter((a) => itemId in a.perItem);
    const item = taking.map((a) => a.perItem[itemId] ?? 0);
    // Corrected: the rest of the test, without this item, so it does not correlate with itself.
    const rest = taking.map((a) => Object.entries(a.perItem).reduce((sum, [id, credit]) => (id === itemId ? sum : sum + credit), 0));
    const facility = item.length === 0 ? null : item.reduce((a, b) => a + b, 0) / item.length;
    const discrimination = pearson(item, rest);
    return {
      itemId,
      attempts: taking.length,
      facility,
      discrimination,
      flagged: discrimination !== null && discrimination < LOW_DISCRIMINATION,
    };
  });
}

/** How often each option was chosen, per item (by bank option id). */
export function optionFrequencies(answers: readonly { itemId: string; answer: unknown }[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const { itemId, answer } of answers) {
    const counts = out[itemId] ?? {};
    out[itemId] = counts;
    const chosen =
      answer && typeof answer === 'object'
        ? 'choice' in answer
          ? [(answer as { choice: string }).choice]
          : 'choices' in answer
            ? (answer as { choices: string[] }).choices
            : []
        : [];
    for (const id of chosen) counts[id] = (counts[id] ?? 0) + 1;
  }
  return out;
}
