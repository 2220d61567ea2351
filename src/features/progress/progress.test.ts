import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applySessionReport,
  clampPosition,
  isWatched,
  lessonReportWins,
  mergeRanges,
  playedSeconds,
  SessionReportSchema,
} from './progress.ts';

describe('played ranges', () => {
  it('merges overlapping and nearly touching ranges and clamps them to the video', () => {
    expect(
      mergeRanges(
        [
          [10, 20],
          [0, 5],
          [19, 30],
          [30.5, 31],
          [50, 999],
        ],
        60,
      ),
    ).toEqual([
      [0, 5],
      [10, 31],
      [50, 60],
    ]);
  });

  it('counts only seconds actually played, not where the scrubber went', () => {
    // Played 0-30 s, then dragged the scrubber to the end: only 30 s count.
    const ranges = mergeRanges([[0, 30]], 300);
    expect(playedSeconds(ranges)).toBe(30);
    expect(isWatched(ranges, 300)).toBe(false);
  });

  it('counts a session as watched at 90 % of its seconds', () => {
    expect(isWatched([[0, 269]], 300)).toBe(false);
    expect(isWatched([[0, 270]], 300)).toBe(true);
    expect(
      isWatched(
        [
          [0, 100],
          [130, 300],
        ],
        300,
      ),
    ).toBe(true);
  });

  it('never counts more than the duration, whatever ranges are reported', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0, max: 1000, noNaN: true }), fc.double({ min: 0, max: 1000, noNaN: true }))),
        fc.double({ min: 1, max: 900, noNaN: true }),
        (pairs, duration) => {
          const ranges = mergeRanges(
            pairs.map(([a, b]) => [Math.min(a, b), Math.max(a, b)]),
            duration,
          );
          const total = playedSeconds(ranges);
          expect(total).toBeGreaterThanOrEqual(0);
          expect(total).toBeLessThanOrEqual(duration + 1e-9);
        },
      ),
    );
  });
});

describe('session reports', () => {
  const base = { position: 0, ranges: [] as [number, number][], actedAt: 1000, watched: false };

  it('clamps a position beyond the end of the video', () => {
    expect(clampPosition(999, 300)).toBe(300);
    expect(applySessionReport(null, { position: 5000, ranges: [], at: 1 }, 300, 10).position).toBe(300);
  });

  it('never lets a late, older report move the position back', () => {
    const newer = applySessionReport(base, { position: 120, ranges: [[0, 120]], at: 5000 }, 300, 10_000);
    const late = applySessionReport(newer, { position: 20, ranges: [[0, 20]], at: 3000 }, 300, 10_000);
    expect(late.position).toBe(120);
    expect(late.actedAt).toBe(5000);
    expect(late.ranges).toEqual([[0, 120]]);
  });

  it('is idempotent: the same report twice changes nothing', () => {
    const once = applySessionReport(base, { position: 60, ranges: [[0, 60]], at: 2000 }, 300, 10_000);
    expect(applySessionReport(once, { position: 60, ranges: [[0, 60]], at: 2000 }, 300, 10_000)).toEqual(once);
  });

  it('does not trust a client clock that runs ahead of the server', () => {
    const future = applySessionReport(base, { position: 60, ranges: [], at: 9e12 }, 300, 10_000);
    expect(future.actedAt).toBe(10_000);
  });

  it('rejects malformed reports', () => {
    expect(SessionReportSchema.safeParse({ position: -1, ranges: [], at: 1 }).success).toBe(false);
    expect(SessionReportSchema.safeParse({ position: 1, ranges: [[5, 2]], at: 1 }).success).toBe(false);
    expect(SessionReportSchema.safeParse({ position: 1, ranges: [], at: 1, extra: true }).success).toBe(false);
    expect(SessionReportSchema.safeParse({ position: Number.NaN, ranges: [], at: 1 }).success).toBe(false);
  });
});

describe('lesson reports', () => {
  it('lets the newer report win and keeps the stored one on a tie', () => {
    expect(lessonReportWins(null, { completed: true, at: 5 }, 10)).toBe(true);
    expect(lessonReportWins(5, { completed: false, at: 4 }, 10)).toBe(false);
    expect(lessonReportWins(5, { completed: false, at: 5 }, 10)).toBe(false);
    expect(lessonReportWins(5, { completed: false, at: 6 }, 10)).toBe(true);
  });
});
