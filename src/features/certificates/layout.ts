// Fitting a learner's name (up to 120 characters, any script) onto the printed certificate and
// the share image: one line when it fits at a readable size, otherwise two balanced lines.

/** Width of `text` at font size 1, in the drawing's units. */
export type Measure = (text: string) => number;

export interface NameLayout {
  lines: string[];
  size: number;
}

/** The two-line split at a space that makes the longer line shortest; null without spaces. */
function balancedSplit(text: string, measure: Measure): [string, string] | null {
  let best: [string, string] | null = null;
  let bestWidth = Number.POSITIVE_INFINITY;
  for (let i = text.indexOf(' '); i > 0; i = text.indexOf(' ', i + 1)) {
    const pair: [string, string] = [text.slice(0, i).trim(), text.slice(i + 1).trim()];
    const width = Math.max(measure(pair[0]), measure(pair[1]));
    if (width < bestWidth) {
      best = pair;
      bestWidth = width;
    }
  }
  return best;
}

/**
 * One line at up to `maxSize`, not below `oneLineMin`; else two lines at up to `oneLineMin`;
 * the size always shrinks enough for every line to fit `width`.
 */
export function layoutName(name: string, measure: Measure, width: number, maxSize: number, oneLineMin: number): NameLayout {
  const oneLine = width / Math.max(measure(name), 1e-9);
  if (oneLine >= oneLineMin) return { lines: [name], size: Math.min(maxSize, oneLine) };
  const split = balancedSplit(name, measure);
  if (!split) return { lines: [name], size: oneLine };
  const twoLines = width / Math.max(measure(split[0]), measure(split[1]), 1e-9);
  return { lines: split, size: Math.min(oneLineMin, twoLines) };
}
