// Prometheus's durations (`model.Duration`), as rule and test files write them: `30s`, `5m`,
// `1h30m`, `2d`, `1w`, `1y`, `250ms`, or `0`. Units must come in descending order, each at most once.
// Values are milliseconds.

const UNIT_MS = { y: 365 * 86_400_000, w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as const;
const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

export type DurationResult = { ok: true; ms: number } | { ok: false; error: string };

/** Parses a Prometheus duration; errors use Prometheus's wording. */
export function parsePromDuration(text: string): DurationResult {
  if (text === '') return { ok: false, error: 'empty duration string' };
  if (text === '0') return { ok: true, ms: 0 };
  const m = DURATION.exec(text);
  if (!m) return { ok: false, error: `not a valid duration string: ${JSON.stringify(text)}` };
  const units = [UNIT_MS.y, UNIT_MS.w, UNIT_MS.d, UNIT_MS.h, UNIT_MS.m, UNIT_MS.s, UNIT_MS.ms];
  let ms = 0;
  for (let i = 0; i < units.length; i++) {
    const part = m[i + 1];
    if (part !== undefined) ms += Number(part) * (units[i] as number);
  }
  if (!Number.isSafeInteger(ms)) return { ok: false, error: `duration out of range: ${JSON.stringify(text)}` };
  return { ok: true, ms };
}

/** Prints a duration as Prometheus does (`model.Duration.String`): `0s`, `1m30s`, `90d`, `2w`. */
export function formatPromDuration(durationMs: number): string {
  let ms = Math.trunc(durationMs);
  if (ms === 0) return '0s';
  let out = ms < 0 ? '-' : '';
  ms = Math.abs(ms);
  const take = (unit: string, mult: number, exact: boolean) => {
    if (exact && ms % mult !== 0) return;
    const v = Math.floor(ms / mult);
    if (v > 0) {
      out += `${v}${unit}`;
      ms -= v * mult;
    }
  };
  // Years and weeks only when exact, as Prometheus does ("90d" reads better than "12w6d").
  take('y', UNIT_MS.y, true);
  take('w', UNIT_MS.w, true);
  take('d', UNIT_MS.d, false);
  take('h', UNIT_MS.h, false);
  take('m', UNIT_MS.m, false);
  take('s', UNIT_MS.s, false);
  take('ms', UNIT_MS.ms, false);
  return out;
}
