// Session recordings, the pure part: how a script's narration becomes caption cues, a timeline,
// WebVTT files, a transcript and the manifest the site reads. `scripts/media-build.ts` measures the
// audio and encodes; everything here is arithmetic on strings and numbers, so captions, chapters and
// transcript are derived from the same plan the video is cut to and cannot drift from it.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { SessionFrontmatterSchema, SlideSchema } from '../curriculum/schemas.ts';

/** Longest caption cue, in characters: two comfortable lines on a small player. */
export const MAX_CAPTION_CHARS = 110;
/** Silence between two sentences of one slide. */
export const SENTENCE_GAP_SECONDS = 0.25;
/** Silence after the last sentence of a slide, before the next slide appears. */
export const SLIDE_TAIL_SECONDS = 0.6;

// Splitting a long sentence never leaves a fragment shorter than this (no lone "Maya:" cue).
const MIN_FRAGMENT_CHARS = 25;

// One schema per concept: the slides are defined with the rest of the session frontmatter. It has
// no transforms or defaults, so parsed slides equal the file as written and the script hash is the
// same whoever computes it.
export const SessionSlideSchema = SlideSchema;

export type SessionSlide = z.infer<typeof SessionSlideSchema>;

/** The parts of a session's frontmatter the recording is made from; other fields are not read here. */
export const SessionScriptSchema = z.object({
  title: SessionFrontmatterSchema.shape.title,
  slides: SessionFrontmatterSchema.shape.slides,
});

export type SessionScript = z.infer<typeof SessionScriptSchema>;

const secondsSchema = z
  .number()
  .nonnegative()
  .refine((s) => Math.abs(s * 1000 - Math.round(s * 1000)) < 1e-6, 'must be rounded to the millisecond');

const CueSchema = z
  .object({
    /** When the text appears, in seconds from the start. */
    start: secondsSchema,
    /** When the text disappears, in seconds from the start. */
    end: secondsSchema,
    /** The words spoken in this interval. */
    text: z.string().min(1),
  })
  .strict()
  .refine((cue) => cue.end > cue.start, 'a cue must end after it starts');

const ChapterSchema = z
  .object({
    /** Start of the chapter's first slide, in seconds. */
    start: secondsSchema,
    /** Chapter name from the script. */
    title: z.string().min(1),
  })
  .strict();

const siteMediaPath = z.string().regex(/^\/media\/[a-z0-9-]+\/[^/]+$/, 'must be a site-absolute path under /media/<id>/');

export const MediaManifestSchema = z
  .object({
    /** Session id: the script's file name under content/sessions without `.mdx`. */
    id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
    /** Length of the recording in seconds, to the millisecond. */
    durationSeconds: secondsSchema.positive(),
    /** Encoded files, best first; the player offers them as `<source>` elements. */
    video: z.array(z.object({ src: siteMediaPath, type: z.literal('video/mp4') }).strict()).min(1),
    /** Still image shown before playback: the first slide. */
    poster: siteMediaPath,
    /** Caption tracks (`<track kind="captions">`). */
    captions: z.array(z.object({ src: siteMediaPath, lang: z.literal('en'), label: z.literal('English') }).strict()).min(1),
    /** Chapter starts, in order; each chapter ends where the next begins. */
    chapters: z.array(ChapterSchema),
    /** Every caption cue, in order; the transcript and interactive captions use them. */
    cues: z.array(CueSchema).min(1),
    /** sha256 (hex) of the canonical JSON of the script's slides; a mismatch means the media are stale. */
    scriptHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 hex digest'),
  })
  .strict()
  .superRefine((manifest, ctx) => {
    const times = manifest.cues.flatMap((c) => [c.start, c.end]);
    if (times.some((t, i) => i > 0 && t < (times[i - 1] ?? 0)))
      ctx.addIssue({ code: 'custom', path: ['cues'], message: 'cues overlap or are out of order' });
    if ((times.at(-1) ?? 0) > manifest.durationSeconds)
      ctx.addIssue({ code: 'custom', path: ['cues'], message: 'a cue ends after the recording' });
    const starts = manifest.chapters.map((c) => c.start);
    if (starts.some((s, i) => s >= manifest.durationSeconds || (i > 0 && s <= (starts[i - 1] ?? 0)))) {
      ctx.addIssue({ code: 'custom', path: ['chapters'], message: 'chapters must start in order, inside the recording' });
    }
  });

export type MediaManifest = z.infer<typeof MediaManifestSchema>;
export type Cue = MediaManifest['cues'][number];
export type Chapter = MediaManifest['chapters'][number];

/** When one slide is on screen. */
export type SlideSpan = { start: number; end: number };

export type Timeline = {
  cues: Cue[];
  slides: SlideSpan[];
  chapters: Chapter[];
  durationSeconds: number;
};

const SENTENCE_BOUNDARY = /(?<=[.!?]["'”’)]?)\s+(?=["'“‘(]?[A-Z0-9])/;

/** Splits narration into caption-sized pieces: sentences, and long sentences where they read best. */
export function splitSentences(narration: string, maxChars = MAX_CAPTION_CHARS): string[] {
  const text = narration.replace(/\s+/g, ' ').trim();
  if (text === '') return [];
  return text.split(SENTENCE_BOUNDARY).flatMap((sentence) => splitLongSentence(sentence, maxChars));
}

// Spoken numbers ("three hundred and forty-five") must stay on one caption.
const NUMBER_WORD =
  /^(zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion)$/;
const NUMBER_JOINER = /^(and|point)$/;
// Words a caption may start with: a clause or a phrase begins here.
const PHRASE_START =
  /^(and|or|but|so|while|because|which|that|where|when|with|without|within|between|from|into|over|under|for|to|on|at|by|of|than)$/;
const CUT_PENALTY = { clause: 0, comma: 300, phrase: 8000, word: 12_000, number: 50_000 };

/** How bad a line break between these two words reads: clause ends are free, splitting "forty | five" is not. */
function cutPenalty(wordBefore: string, wordAfter: string): number {
  if (/[;:]$/.test(wordBefore)) return CUT_PENALTY.clause;
  if (/,$/.test(wordBefore)) return CUT_PENALTY.comma;
  const before = wordBefore.toLowerCase().split('-').at(-1) ?? '';
  const after = wordAfter.toLowerCase().split('-')[0] ?? '';
  const insideNumber =
    ((NUMBER_WORD.test(before) || NUMBER_JOINER.test(before)) && NUMBER_WORD.test(after)) ||
    (NUMBER_WORD.test(before) && NUMBER_JOINER.test(after));
  if (insideNumber) return CUT_PENALTY.number;
  return PHRASE_START.test(after) ? CUT_PENALTY.phrase : CUT_PENALTY.word;
}

/**
 * Breaks one sentence into pieces of at most `maxChars`, choosing the breaks that minimise the sum
 * of squared unused space (balanced pieces, as few as possible) plus how badly each break reads.
 */
function splitLongSentence(sentence: string, maxChars: number): string[] {
  if (sentence.length <= maxChars) return [sentence];
  const words = sentence.split(' ');
  // best[j]: the cheapest way to break words[0..j), and where its last piece starts.
  const best: { cost: number; from: number }[] = [{ cost: 0, from: 0 }];
  for (let j = 1; j <= words.length; j++) {
    let cheapest = { cost: Number.POSITIVE_INFINITY, from: -1 };
    for (let i = 0; i < j; i++) {
      const length = words.slice(i, j).join(' ').length;
      if (length > maxChars || length < MIN_FRAGMENT_CHARS) continue;
      const breakPenalty = j < words.length ? cutPenalty(words[j - 1] ?? '', words[j] ?? '') : 0;
      const cost = (best[i]?.cost ?? Number.POSITIVE_INFINITY) + (maxChars - length) ** 2 + breakPenalty;
      if (cost < cheapest.cost) cheapest = { cost, from: i };
    }
    best.push(cheapest);
  }
  const pieces: string[] = [];
  for (let j = words.length; j > 0; ) {
    const from = best[j]?.from ?? -1;
    // No valid break (one giant word): better one long cue than a broken one.
    if (from < 0) return [sentence];
    pieces.unshift(words.slice(from, j).join(' '));
    j = from;
  }
  return pieces;
}

const toMilliseconds = (seconds: number) => Math.round(seconds * 1000);
const toSeconds = (milliseconds: number) => milliseconds / 1000;

/**
 * Lays the narration out in time. `sentenceDurations[s][i]` is the measured length of sentence `i`
 * of slide `s` (as `splitSentences` returns them). Works in whole milliseconds so that every start
 * is exactly the sum of what came before it.
 */
export function planTimeline(
  slides: readonly Pick<SessionSlide, 'chapter' | 'narration'>[],
  sentenceDurations: readonly (readonly number[])[],
): Timeline {
  if (sentenceDurations.length !== slides.length) {
    throw new Error(`planTimeline: ${slides.length} slides but durations for ${sentenceDurations.length}`);
  }
  const gap = toMilliseconds(SENTENCE_GAP_SECONDS);
  const tail = toMilliseconds(SLIDE_TAIL_SECONDS);
  const timeline: Timeline = { cues: [], slides: [], chapters: [], durationSeconds: 0 };
  let now = 0;
  slides.forEach((slide, s) => {
    const sentences = splitSentences(slide.narration);
    const durations = sentenceDurations[s] ?? [];
    if (durations.length !== sentences.length) {
      throw new Error(`planTimeline: slide ${s + 1} has ${sentences.length} sentences but ${durations.length} durations`);
    }
    const slideStart = now;
    if (slide.chapter !== undefined) timeline.chapters.push({ start: toSeconds(slideStart), title: slide.chapter });
    sentences.forEach((text, i) => {
      const duration = toMilliseconds(durations[i] ?? Number.NaN);
      if (!(duration > 0)) throw new Error(`planTimeline: slide ${s + 1}, sentence ${i + 1} has no positive duration`);
      if (i > 0) now += gap;
      timeline.cues.push({ start: toSeconds(now), end: toSeconds(now + duration), text });
      now += duration;
    });
    now += tail;
    timeline.slides.push({ start: toSeconds(slideStart), end: toSeconds(now) });
  });
  timeline.durationSeconds = toSeconds(now);
  return timeline;
}

/** `HH:MM:SS.mmm`, the WebVTT timestamp form. */
export function formatVttTimestamp(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`not a timestamp: ${seconds}`);
  const ms = toMilliseconds(seconds);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}.${pad(ms % 1000, 3)}`;
}

// WebVTT cue text is HTML-like: a bare `<` or `&` would start a tag or an entity.
const escapeVttText = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

function renderVtt(cues: readonly Cue[]): string {
  const blocks = cues.map(
    (cue, i) => `${i + 1}\n${formatVttTimestamp(cue.start)} --> ${formatVttTimestamp(cue.end)}\n${escapeVttText(cue.text)}`,
  );
  return ['WEBVTT', ...blocks].join('\n\n').concat('\n');
}

export function renderCaptionsVtt(cues: readonly Cue[]): string {
  return renderVtt(cues);
}

/** Chapters as WebVTT cues: each lasts until the next chapter starts, the last until the end. */
export function renderChaptersVtt(chapters: readonly Chapter[], durationSeconds: number): string {
  return renderVtt(
    chapters.map((chapter, i) => ({ start: chapter.start, end: chapters[i + 1]?.start ?? durationSeconds, text: chapter.title })),
  );
}

/** `[mm:ss]`, minutes not wrapped at the hour, as transcripts usually show it. */
export function formatTranscriptTimestamp(seconds: number): string {
  const whole = Math.floor(toMilliseconds(seconds) / 1000);
  return `[${String(Math.floor(whole / 60)).padStart(2, '0')}:${String(whole % 60).padStart(2, '0')}]`;
}

const ENDS_SENTENCE = /[.!?]["'”’)]?$/;

/**
 * Plain-text transcript: the title, then each chapter as a heading and one line per sentence,
 * stamped with the time it starts. Caption pieces of one sentence are joined again.
 */
export function renderTranscript(title: string, cues: readonly Cue[], chapters: readonly Chapter[]): string {
  const underline = (text: string, char: string) => `${text}\n${char.repeat(text.length)}`;
  const lines: string[] = [underline(title, '=')];
  const chapterStarts = new Map(chapters.map((c) => [toMilliseconds(c.start), c.title]));
  let continuesSentence = false;
  for (const [i, cue] of cues.entries()) {
    const chapter = chapterStarts.get(toMilliseconds(cue.start));
    if (chapter !== undefined) lines.push('', underline(chapter, '-'));
    else if (i === 0) lines.push('');
    if (continuesSentence && chapter === undefined) lines.push(`${lines.pop() ?? ''} ${cue.text}`);
    else lines.push(`${formatTranscriptTimestamp(cue.start)} ${cue.text}`);
    continuesSentence = !ENDS_SENTENCE.test(cue.text);
  }
  return `${lines.join('\n')}\n`;
}

/** JSON with object keys sorted at every level, so equal data always hashes equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([key, v]) => `${JSON.stringify(key)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Identifies the script a recording was made from (sha256 hex of the slides' canonical JSON). */
export function scriptHash(slides: readonly SessionSlide[]): string {
  return createHash('sha256').update(canonicalJson(slides)).digest('hex');
}

/** Where a session's files live on the site (under `public/`). */
export function mediaPaths(id: string) {
  const dir = `/media/${id}`;
  return {
    video: `${dir}/${id}.mp4`,
    poster: `${dir}/poster.jpg`,
    captions: `${dir}/captions.en.vtt`,
    chapters: `${dir}/chapters.vtt`,
    transcript: `${dir}/transcript.txt`,
  };
}

export function buildMediaManifest(id: string, timeline: Timeline, hash: string): MediaManifest {
  const paths = mediaPaths(id);
  return MediaManifestSchema.parse({
    id,
    durationSeconds: timeline.durationSeconds,
    video: [{ src: paths.video, type: 'video/mp4' }],
    poster: paths.poster,
    captions: [{ src: paths.captions, lang: 'en', label: 'English' }],
    chapters: timeline.chapters,
    cues: timeline.cues,
    scriptHash: hash,
  });
}
