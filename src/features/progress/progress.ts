// Learning progress rules, pure: which seconds of a session were really played, when a session
// counts as watched, and how reports are ordered so a late, older one never overwrites a newer one.
import { z } from 'zod';

/** A session counts as watched when this share of its seconds was actually played. */
export const WATCHED_FRACTION = 0.9;
/** Gaps smaller than this between played ranges are joined (timeupdate fires every ~250 ms). */
const JOIN_GAP_SECONDS = 1;
const MAX_RANGES = 400;

export type Range = [number, number];

const Seconds = z
  .number()
  .min(0)
  .max(24 * 60 * 60);
/** Client timestamps (ms since the epoch) order reports from one learner. */
const ActedAt = z.number().int().min(0).max(8.64e15);

export const RangeSchema = z.tuple([Seconds, Seconds]).refine(([start, end]) => end >= start, 'a range must end after it starts');

export const LessonReportSchema = z.object({ completed: z.boolean(), at: ActedAt }).strict();
export const SessionReportSchema = z
  .object({ position: Seconds, ranges: z.array(RangeSchema).max(MAX_RANGES).default([]), at: ActedAt })
  .strict();
export const MergeReportSchema = z
  .object({
    lessons: z
      .array(LessonReportSchema.extend({ id: z.string().min(1).max(120) }))
      .max(200)
      .default([]),
    sessions: z
      .array(SessionReportSchema.extend({ id: z.string().min(1).max(120) }))
      .max(50)
      .default([]),
  })
  .strict();

export type LessonReport = z.infer<typeof LessonReportSchema>;
export type SessionReport = z.infer<typeof SessionReportSchema>;
export type MergeReport = z.infer<typeof MergeReportSchema>;

/** Sorted, non-overlapping ranges clamped to [0, duration]. */
export function mergeRanges(ranges: readonly Range[], duration: number): Range[] {
  const clamped = ranges
    .map(([s, e]): Range => [Math.max(0, Math.min(s, duration)), Math.max(0, Math.min(e, duration))])
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
  const merged: Range[] = [];
  for (const range of clamped) {
    const last = merged.at(-1);
    if (last && range[0] <= last[1] + JOIN_GAP_SECONDS) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged.slice(0, MAX_RANGES);
}

export function playedSeconds(ranges: readonly Range[]): number {
  return ranges.reduce((total, [s, e]) => total + (e - s), 0);
}

export function isWatched(ranges: readonly Range[], duration: number): boolean {
  return duration > 0 && playedSeconds(ranges) >= WATCHED_FRACTION * duration;
}

/** A position beyond the video's end is clamped to the end. */
export function clampPosition(position: number, duration: number): number {
  return Math.max(0, Math.min(position, duration));
}

/** Client clocks can run ahead; no report may claim to come from the future. */
export function clampActedAt(at: number, now: number): number {
  return Math.min(at, now);
}

export interface StoredSessionProgress {
  position: number;
  ranges: Range[];
  actedAt: number;
  watched: boolean;
}

/**
 * Combines a stored record with a new report. Played ranges only ever grow (a union, so repeats
 * are harmless); the position follows the newest report only.
 */
export function applySessionReport(
  stored: StoredSessionProgress | null,
  report: SessionReport,
  duration: number,
  now: number,
): StoredSessionProgress {
  const at = clampActedAt(report.at, now);
  const ranges = mergeRanges([...(stored?.ranges ?? []), ...report.ranges], duration);
  const newer = !stored || at > stored.actedAt;
  return {
    position: newer ? clampPosition(report.position, duration) : (stored?.position ?? 0),
    ranges,
    actedAt: newer ? at : (stored?.actedAt ?? at),
    watched: (stored?.watched ?? false) || isWatched(ranges, duration),
  };
}

/** Whether a lesson report should replace the stored one (newer wins; equal times keep the stored). */
export function lessonReportWins(storedAt: number | null, report: LessonReport, now: number): boolean {
  return storedAt === null || clampActedAt(report.at, now) > storedAt;
}
