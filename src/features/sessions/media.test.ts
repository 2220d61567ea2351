import { describe, expect, it } from 'vitest';
import {
  buildMediaManifest,
  canonicalJson,
  formatTranscriptTimestamp,
  formatVttTimestamp,
  MAX_CAPTION_CHARS,
  MediaManifestSchema,
  planTimeline,
  renderCaptionsVtt,
  renderChaptersVtt,
  renderTranscript,
  SENTENCE_GAP_SECONDS,
  type SessionSlide,
  SessionSlideSchema,
  SLIDE_TAIL_SECONDS,
  scriptHash,
  splitSentences,
} from './media.ts';

const slides: SessionSlide[] = [
  { chapter: 'Start', title: 'Welcome', narration: 'Welcome to Headroom. Today we build a load test.' },
  { title: 'SLIs', bullets: ['good ÷ valid'], narration: 'An SLI is good events over valid events.' },
  { chapter: 'Wrap-up', title: 'Takeaways', narration: 'Start from the SLO. Then gate on thresholds! Thanks.' },
];
// Deliberately awkward values: sums of binary fractions that drift if added as floats.
const durations = [[1.1, 2.2], [3.3], [0.7, 1.4, 0.1]];

describe('formatVttTimestamp', () => {
  it('writes hours, minutes, seconds and milliseconds', () => {
    expect(formatVttTimestamp(3661.5)).toBe('01:01:01.500');
    expect(formatVttTimestamp(0)).toBe('00:00:00.000');
    expect(formatVttTimestamp(59.9999)).toBe('00:01:00.000');
  });

  it('refuses negative and non-finite times', () => {
    expect(() => formatVttTimestamp(-1)).toThrow();
    expect(() => formatVttTimestamp(Number.NaN)).toThrow();
  });

  it('writes transcript stamps as minutes and seconds, rounding down', () => {
    expect(formatTranscriptTimestamp(75.9)).toBe('[01:15]');
    expect(formatTranscriptTimestamp(3661)).toBe('[61:01]');
  });
});

describe('splitSentences', () => {
  it('splits narration into sentences and normalises whitespace', () => {
    expect(splitSentences('  Three terms first.\n  An SLI is what you measure!  Is it?  ')).toEqual([
      'Three terms first.',
      'An SLI is what you measure!',
      'Is it?',
    ]);
  });

  it('keeps decimals and lower-case continuations inside one sentence', () => {
    expect(splitSentences('Budget is 99.9 percent. e.g. nothing else.')).toEqual(['Budget is 99.9 percent. e.g. nothing else.']);
  });

  it('breaks a long sentence at a clause boundary, never beyond the caption limit', () => {
    const sentence =
      'Our objective: ninety-nine point nine percent of valid checkout requests succeed without a server error, and ninety-five percent finish in under three hundred milliseconds, measured at the edge load balancer.';
    const pieces = splitSentences(sentence);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.every((piece) => piece.length <= MAX_CAPTION_CHARS)).toBe(true);
    expect(pieces.slice(0, -1).every((piece) => /[,;:]$/.test(piece))).toBe(true);
    expect(pieces.join(' ')).toBe(sentence);
  });

  it('does not split a spoken number when it has to break between words', () => {
    const sentence =
      'Between the point three second bucket at nine hundred and thirty and the half-second bucket at nine hundred and eighty lies the p ninety-five.';
    const pieces = splitSentences(sentence);
    expect(pieces.every((piece) => piece.length <= MAX_CAPTION_CHARS)).toBe(true);
    expect(pieces.join(' ')).toBe(sentence);
    expect(pieces.some((piece) => /(hundred|and)$/.test(piece))).toBe(false);
  });

  it('returns nothing for empty narration', () => {
    expect(splitSentences('   ')).toEqual([]);
  });
});

describe('planTimeline', () => {
  const timeline = planTimeline(slides, durations);

  it('places sentences one after another with a fixed gap, and a longer pause after each slide', () => {
    expect(timeline.cues.map((c) => [c.start, c.end])).toEqual([
      [0, 1.1],
      [1.35, 3.55],
      [4.15, 7.45],
      [8.05, 8.75],
      [9, 10.4],
      [10.65, 10.75],
    ]);
    for (const [i, cue] of timeline.cues.entries()) {
      const next = timeline.cues[i + 1];
      if (next === undefined) continue;
      const gap = Math.round((next.start - cue.end) * 1000) / 1000;
      expect([SENTENCE_GAP_SECONDS, SLIDE_TAIL_SECONDS]).toContain(gap);
    }
  });

  it('lets each slide run until the next starts, and the recording end with the last slide', () => {
    expect(timeline.slides).toEqual([
      { start: 0, end: 4.15 },
      { start: 4.15, end: 8.05 },
      { start: 8.05, end: 11.35 },
    ]);
    expect(timeline.durationSeconds).toBe(11.35);
  });

  it('makes the duration exactly the sum of speech, gaps and slide pauses', () => {
    const speech = durations.flat().reduce((sum, d) => sum + d * 1000, 0);
    const gaps = durations.reduce((sum, d) => sum + (d.length - 1), 0) * SENTENCE_GAP_SECONDS * 1000;
    const tails = slides.length * SLIDE_TAIL_SECONDS * 1000;
    expect(timeline.durationSeconds * 1000).toBe(Math.round(speech + gaps + tails));
  });

  it('starts a chapter where its slide starts', () => {
    expect(timeline.chapters).toEqual([
      { start: 0, title: 'Start' },
      { start: 8.05, title: 'Wrap-up' },
    ]);
  });

  it('rounds measured durations to the millisecond', () => {
    const [cue] = planTimeline([slides[1] as SessionSlide], [[1.23456]]).cues;
    expect(cue).toEqual({ start: 0, end: 1.235, text: 'An SLI is good events over valid events.' });
  });

  it('rejects durations that do not match the sentences', () => {
    expect(() => planTimeline(slides, [[1], [1], [1]])).toThrow(/sentences/);
    expect(() => planTimeline(slides, [[1, 1], [1]])).toThrow(/slides/);
    expect(() => planTimeline(slides, [[1, 0], [1], [1, 1, 1]])).toThrow(/positive duration/);
  });
});

describe('WebVTT', () => {
  const timeline = planTimeline(slides, durations);

  it('renders captions as numbered, well-formed cues', () => {
    const vtt = renderCaptionsVtt(timeline.cues);
    expect(vtt.startsWith('WEBVTT\n\n')).toBe(true);
    const blocks = vtt.trimEnd().split('\n\n').slice(1);
    expect(blocks).toHaveLength(timeline.cues.length);
    for (const [i, block] of blocks.entries()) {
      const [id, timing, text] = block.split('\n');
      expect(id).toBe(String(i + 1));
      expect(timing).toMatch(/^\d{2}:\d{2}:\d{2}\.\d{3} --> \d{2}:\d{2}:\d{2}\.\d{3}$/);
      expect(text).toBe(timeline.cues[i]?.text);
    }
    expect(blocks[1]).toBe('2\n00:00:01.350 --> 00:00:03.550\nToday we build a load test.');
  });

  it('escapes characters that would start a tag or an entity', () => {
    expect(renderCaptionsVtt([{ start: 0, end: 1, text: 'p(95)<300 & up -->' }])).toContain('p(95)&lt;300 &amp; up --&gt;');
  });

  it('ends each chapter where the next begins and the last at the end of the recording', () => {
    const vtt = renderChaptersVtt(timeline.chapters, timeline.durationSeconds);
    expect(vtt).toBe('WEBVTT\n\n1\n00:00:00.000 --> 00:00:08.050\nStart\n\n2\n00:00:08.050 --> 00:00:11.350\nWrap-up\n');
  });
});

describe('renderTranscript', () => {
  it('shows the title, chapter headings and one stamped line per sentence', () => {
    const timeline = planTimeline(slides, durations);
    expect(renderTranscript('Load tests', timeline.cues, timeline.chapters)).toBe(
      [
        'Load tests',
        '==========',
        '',
        'Start',
        '-----',
        '[00:00] Welcome to Headroom.',
        '[00:01] Today we build a load test.',
        '[00:04] An SLI is good events over valid events.',
        '',
        'Wrap-up',
        '-------',
        '[00:08] Start from the SLO.',
        '[00:09] Then gate on thresholds!',
        '[00:10] Thanks.',
        '',
      ].join('\n'),
    );
  });

  it('joins caption pieces of one sentence back into one line', () => {
    const cues = [
      { start: 0, end: 2, text: 'Our objective: ninety-nine point nine percent succeed,' },
      { start: 2.25, end: 4, text: 'over a rolling thirty days.' },
    ];
    expect(renderTranscript('T', cues, [])).toBe(
      'T\n=\n\n[00:00] Our objective: ninety-nine point nine percent succeed, over a rolling thirty days.\n',
    );
  });
});

describe('scriptHash', () => {
  it('hashes the slides exactly as written, whether or not they were parsed first', () => {
    const written = [{ narration: 'Hello there, and welcome to the session. ', title: ' Padded ', chapter: 'One' }];
    expect(scriptHash(SessionSlideSchema.array().parse(written))).toBe(scriptHash(written));
  });

  it('ignores key order and changes when any narration changes', () => {
    const reordered = slides.map((slide) => Object.fromEntries(Object.entries(slide).reverse()) as SessionSlide);
    expect(canonicalJson(reordered)).toBe(canonicalJson(slides));
    expect(scriptHash(reordered)).toBe(scriptHash(slides));
    expect(scriptHash(slides)).toMatch(/^[0-9a-f]{64}$/);
    const edited = slides.map((slide, i) => (i === 1 ? { ...slide, narration: `${slide.narration} More.` } : slide));
    expect(scriptHash(edited)).not.toBe(scriptHash(slides));
  });
});

describe('MediaManifestSchema', () => {
  const manifest = buildMediaManifest('load-testing-with-k6', planTimeline(slides, durations), scriptHash(slides));

  it('accepts the manifest the build writes, with site-absolute paths', () => {
    expect(MediaManifestSchema.parse(manifest)).toEqual(manifest);
    expect(manifest.video).toEqual([{ src: '/media/load-testing-with-k6/load-testing-with-k6.mp4', type: 'video/mp4' }]);
    expect(manifest.captions).toEqual([{ src: '/media/load-testing-with-k6/captions.en.vtt', lang: 'en', label: 'English' }]);
    expect(manifest.poster).toBe('/media/load-testing-with-k6/poster.jpg');
    expect(manifest.durationSeconds).toBe(11.35);
  });

  it('rejects a manifest with a bad hash, relative paths, overlapping cues or unknown fields', () => {
    const firstCue = manifest.cues[0];
    if (firstCue === undefined) throw new Error('fixture has cues');
    expect(MediaManifestSchema.safeParse({ ...manifest, scriptHash: 'abc' }).success).toBe(false);
    expect(MediaManifestSchema.safeParse({ ...manifest, poster: 'poster.jpg' }).success).toBe(false);
    expect(MediaManifestSchema.safeParse({ ...manifest, cues: [...manifest.cues, firstCue] }).success).toBe(false);
    expect(MediaManifestSchema.safeParse({ ...manifest, durationSeconds: 1.23456 }).success).toBe(false);
    expect(MediaManifestSchema.safeParse({ ...manifest, extra: true }).success).toBe(false);
    expect(MediaManifestSchema.safeParse({ ...manifest, chapters: [{ start: 99, title: 'Late' }] }).success).toBe(false);
  });
});
