// Records the masterclass sessions from their scripts (content/sessions/<id>.mdx): slides rendered in
// the system Chromium, narration by espeak-ng, encoding by ffmpeg. Video, captions, chapters and
// transcript all follow one timeline built from the measured narration, so they stay in sync. The
// outputs are committed, so the site needs none of these tools.
//   npm run media:build                    every session
//   npm run media:build -- <id…>           only these sessions
//   node scripts/media-build.ts --check    committed media match the scripts? (no tools needed)
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type Browser, chromium } from '@playwright/test';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { describeIssues } from '../src/features/curriculum/validation-message.ts';
import {
  buildMediaManifest,
  type Cue,
  type MediaManifest,
  MediaManifestSchema,
  mediaPaths,
  planTimeline,
  renderCaptionsVtt,
  renderChaptersVtt,
  renderTranscript,
  type SessionScript,
  SessionScriptSchema,
  type SlideSpan,
  scriptHash,
  splitSentences,
} from '../src/features/sessions/media.ts';
import { CHROMIUM_ARGS, chromiumPath } from '../tests/support/chromium.ts';

const root = path.resolve(import.meta.dirname, '..');
const sessionsDir = path.join(root, 'content/sessions');
const manifestsDir = path.join(sessionsDir, 'media');
const publicDir = path.join(root, 'public');

const SLIDE = { width: 640, height: 360 };
// Slides are stills: 5 frames per second is plenty and keeps slide changes within 0.2 s of plan.
const FRAME_RATE = 5;
// A seek decodes from the keyframe before the target; one every 2 s keeps seeking instant.
const KEYFRAME_INTERVAL_SECONDS = 2;
// Keyframes every 2 s are nearly the whole video size (the frames between them are static), so
// their quality is the size budget: at 35 text stays sharp and a 6.5-minute session fits in 3 MB
// with a little room for the script to grow.
const VIDEO_CRF = 35;
// Without these, x264 spends more on keyframes the more static frames follow them (mbtree, qcomp)
// and gives keyframes a lower QP than the rest (ipratio); here every keyframe repeats a slide.
const X264_PARAMS = 'mbtree=0:qcomp=1:ipratio=1';
// ffmpeg's native AAC encoder overshoots low targets by about a third: 24k comes out near 32 kbit/s.
const AUDIO_BITRATE = '24k';
const VOICE = { name: 'en-us', wordsPerMinute: 160 };
const LIMITS = { maxBytes: 3_000_000, minSeconds: 180, maxSeconds: 480, maxDriftSeconds: 0.25 };

/** An expected failure: printed as one line, without a stack. */
class MediaBuildError extends Error {}

type Session = SessionScript & { id: string };
type Wav = { sampleRate: number; pcm: Buffer };

const execFileAsync = promisify(execFile);
const relative = (file: string) => path.relative(root, file);
const publicFile = (sitePath: string) => path.join(publicDir, sitePath);
const manifestFile = (id: string) => path.join(manifestsDir, `${id}.json`);

// ---------------------------------------------------------------------------------------------
// Scripts and arguments

function listSessionIds(): string[] {
  return readdirSync(sessionsDir)
    .filter((file) => file.endsWith('.mdx'))
    .map((file) => file.slice(0, -'.mdx'.length))
    .sort();
}

function readSession(id: string): Session {
  const file = path.join(sessionsDir, `${id}.mdx`);
  const frontmatter = /^---\r?\n([\s\S]*?)\r?\n---(?:\r?\n|$)/.exec(readFileSync(file, 'utf8'))?.[1];
  if (frontmatter === undefined) throw new MediaBuildError(`${relative(file)}: no YAML frontmatter`);
  let data: unknown;
  try {
    data = parseYaml(frontmatter);
  } catch (error) {
    throw new MediaBuildError(`${relative(file)}: frontmatter is not valid YAML: ${messageOf(error)}`);
  }
  const parsed = SessionScriptSchema.safeParse(data);
  if (!parsed.success) throw new MediaBuildError(`${relative(file)}: ${describeIssues(parsed.error)}`);
  return { id, ...parsed.data };
}

function parseArguments(argv: readonly string[]): { check: boolean; ids: string[]; everySession: boolean } {
  const known = listSessionIds();
  const unknownFlag = argv.find((arg) => arg.startsWith('-') && arg !== '--check');
  if (unknownFlag !== undefined) throw new MediaBuildError(`unknown option ${unknownFlag} (only --check)`);
  const requested = argv.filter((arg) => !arg.startsWith('-'));
  const unknown = requested.filter((id) => !known.includes(id));
  if (unknown.length > 0) throw new MediaBuildError(`no session script for ${unknown.join(', ')} (known: ${known.join(', ')})`);
  const everySession = requested.length === 0;
  return { check: argv.includes('--check'), ids: everySession ? known : requested, everySession };
}

// ---------------------------------------------------------------------------------------------
// External tools

const DEBIAN_PACKAGES: Record<string, string> = { 'espeak-ng': 'espeak-ng', ffmpeg: 'ffmpeg', ffprobe: 'ffmpeg' };

const missingTool = (command: string) =>
  new MediaBuildError(`${command} is not installed: run \`sudo apt-get install ${DEBIAN_PACKAGES[command] ?? command}\``);

const isMissingCommand = (error: unknown) => (error as { code?: unknown }).code === 'ENOENT';

/** Runs a program with arguments (never through a shell) and returns its stdout. */
async function run(command: string, args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command, args, { maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    if (isMissingCommand(error)) throw missingTool(command);
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    throw new MediaBuildError(`${command} failed: ${stderr.split('\n').at(-1) || messageOf(error)}`);
  }
}

async function requireTools(): Promise<void> {
  await run('espeak-ng', ['--version']);
  await run('ffmpeg', ['-version']);
  await run('ffprobe', ['-version']);
}

async function launchBrowser(): Promise<Browser> {
  let executablePath: string;
  try {
    executablePath = chromiumPath();
  } catch {
    throw new MediaBuildError(
      'Chromium is not installed: run `sudo apt-get install chromium`, or set CHROMIUM_PATH to a Chromium executable',
    );
  }
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/** Runs `task` over `items` with at most `limit` in flight, keeping the results in order. */
async function mapConcurrently<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Map<number, R>();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results.set(i, await task(items[i] as T));
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return items.map((_, i) => results.get(i) as R);
}

// ---------------------------------------------------------------------------------------------
// Narration

/** Reads a 16-bit mono PCM WAV, walking its RIFF chunks rather than trusting a 44-byte header. */
function readWav(file: Buffer, name: string): Wav {
  if (file.toString('ascii', 0, 4) !== 'RIFF' || file.toString('ascii', 8, 12) !== 'WAVE') {
    throw new MediaBuildError(`${name} is not a WAV file`);
  }
  let format: { encoding: number; channels: number; sampleRate: number; bitsPerSample: number } | undefined;
  let pcm: Buffer | undefined;
  for (let offset = 12; offset + 8 <= file.length; ) {
    const id = file.toString('ascii', offset, offset + 4);
    const size = file.readUInt32LE(offset + 4);
    const body = file.subarray(offset + 8, Math.min(offset + 8 + size, file.length));
    if (id === 'fmt ') {
      format = {
        encoding: body.readUInt16LE(0),
        channels: body.readUInt16LE(2),
        sampleRate: body.readUInt32LE(4),
        bitsPerSample: body.readUInt16LE(14),
      };
    }
    if (id === 'data') pcm = body;
    offset += 8 + size + (size % 2);
  }
  if (format?.encoding !== 1 || format.channels !== 1 || format.bitsPerSample !== 16 || pcm === undefined) {
    throw new MediaBuildError(`${name}: expected 16-bit mono PCM audio`);
  }
  return { sampleRate: format.sampleRate, pcm };
}

const wavSeconds = (wav: Wav) => wav.pcm.length / 2 / wav.sampleRate;

function encodeWav({ sampleRate, pcm }: Wav): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28); // bytes per second
  header.writeUInt16LE(2, 32); // bytes per sample frame
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([header, pcm]);
}

/** Speaks every sentence into its own WAV; the clips' exact lengths drive the whole timeline. */
async function narrateSentences(sentences: readonly (readonly string[])[], workDir: string): Promise<Wav[][]> {
  const jobs = sentences.flatMap((slideSentences, slide) =>
    slideSentences.map((text, i) => ({ text, file: path.join(workDir, `narration-${slide + 1}-${i + 1}.wav`) })),
  );
  const clips = await mapConcurrently(jobs, os.availableParallelism(), async ({ text, file }) => {
    // `--` ends the options: a sentence starting with "-" is still spoken, not parsed.
    await run('espeak-ng', ['-v', VOICE.name, '-s', String(VOICE.wordsPerMinute), '-w', file, '--', text]);
    return readWav(await readFile(file), path.basename(file));
  });
  let next = 0;
  return sentences.map((slideSentences) => slideSentences.map(() => clips[next++] as Wav));
}

/** One track as long as the recording: silence, with each clip placed where its cue starts. */
function layNarrationTrack(cues: readonly Cue[], clips: readonly Wav[], durationSeconds: number): Wav {
  const sampleRate = clips[0]?.sampleRate ?? 22_050;
  if (clips.some((clip) => clip.sampleRate !== sampleRate)) throw new MediaBuildError('espeak-ng produced clips at different sample rates');
  const pcm = Buffer.alloc(Math.round(durationSeconds * sampleRate) * 2);
  cues.forEach((cue, i) => {
    const clip = clips[i]?.pcm ?? Buffer.alloc(0);
    const at = Math.round(cue.start * sampleRate) * 2;
    clip.copy(pcm, at, 0, Math.min(clip.length, pcm.length - at));
  });
  return { sampleRate, pcm };
}

// ---------------------------------------------------------------------------------------------
// Slides

const escapeHtml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');

/** The chapter a slide belongs to: the latest one started at or before it. */
const chapterOf = (session: Session, index: number) =>
  session.slides.slice(0, index + 1).findLast((slide) => slide.chapter !== undefined)?.chapter;

const SLIDE_CSS = `
*{box-sizing:border-box;margin:0;padding:0}
html,body{width:${SLIDE.width}px;height:${SLIDE.height}px;overflow:hidden}
body{background:#0f151b;color:#f2f6f9;font-family:"Liberation Sans",Arial,Helvetica,system-ui,sans-serif;display:flex;flex-direction:column;padding:20px 36px 0}
header,footer{display:flex;align-items:center;gap:16px;font-size:12px;color:#a9b6c3}
header{justify-content:space-between}
.brand{display:flex;align-items:center;gap:6px;font-size:13px;font-weight:700;color:#f2f6f9;flex:none}
.session{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
main{flex:1;min-height:0;display:flex;flex-direction:column;justify-content:center;overflow:hidden}
.chapter{font-size:13px;font-weight:700;letter-spacing:.06em;text-transform:uppercase;color:#5eead4;margin-bottom:8px}
h1{font-size:31px;line-height:1.15;font-weight:700;letter-spacing:-.01em}
main.title-only h1{font-size:38px}
ul{list-style:none;display:flex;flex-direction:column;gap:10px;margin-top:20px}
li{position:relative;padding-left:22px;font-size:20px;line-height:1.28;color:#dfe7ee}
li::before{content:"";position:absolute;left:1px;top:.42em;width:9px;height:9px;border-radius:2px;background:#5eead4}
footer{justify-content:flex-end;height:34px}
.progress{position:absolute;left:0;bottom:0;height:4px;background:#5eead4}
`;

const LOGO_SVG =
  '<svg width="18" height="18" viewBox="0 0 32 32" aria-hidden="true"><rect width="32" height="32" rx="6" fill="#0f766e"/><path d="M6 24h20M8 20l5-6 4 3 7-9" fill="none" stroke="#fff" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round"/></svg>';

function slideHtml(session: Session, index: number): string {
  const slide = session.slides[index];
  if (slide === undefined) throw new Error(`no slide ${index + 1}`);
  const total = session.slides.length;
  const bullets = slide.bullets ?? [];
  const chapter = chapterOf(session, index);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><style>${SLIDE_CSS}</style></head><body>
<header><span class="brand">${LOGO_SVG}Headroom</span><span class="session">${escapeHtml(session.title)}</span></header>
<main class="${bullets.length === 0 ? 'title-only' : ''}">
${chapter === undefined ? '' : `<p class="chapter">${escapeHtml(chapter)}</p>`}
<h1>${escapeHtml(slide.title)}</h1>
${bullets.length === 0 ? '' : `<ul>${bullets.map((bullet) => `<li>${escapeHtml(bullet)}</li>`).join('')}</ul>`}
</main>
<footer><span>${index + 1} / ${total}</span></footer>
<div class="progress" style="width:${(((index + 1) / total) * 100).toFixed(2)}%"></div>
</body></html>`;
}

/** Screenshots every slide to PNG (and the first one as the poster JPEG); refuses text that overflows. */
async function renderSlides(browser: Browser, session: Session, workDir: string): Promise<{ slides: string[]; poster: string }> {
  const page = await browser.newPage({ viewport: SLIDE, deviceScaleFactor: 1 });
  try {
    const slides: string[] = [];
    const poster = path.join(workDir, 'poster.jpg');
    for (const [index, slide] of session.slides.entries()) {
      await page.setContent(slideHtml(session, index));
      const overflows = await page.evaluate(() => {
        const main = document.querySelector('main');
        const clipped = [...document.querySelectorAll('h1, li')].some((element) => element.scrollWidth > element.clientWidth);
        return clipped || (main !== null && main.scrollHeight > main.clientHeight);
      });
      if (overflows) {
        throw new MediaBuildError(`slide ${index + 1} ("${slide.title}") does not fit on ${SLIDE.width}×${SLIDE.height}: shorten it`);
      }
      const file = path.join(workDir, `slide-${String(index + 1).padStart(3, '0')}.png`);
      await page.screenshot({ path: file, type: 'png' });
      if (index === 0) await page.screenshot({ path: poster, type: 'jpeg', quality: 85 });
      slides.push(file);
    }
    return { slides, poster };
  } finally {
    await page.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Encoding

/** ffmpeg's concat demuxer script: each slide for exactly its planned time. */
function concatScript(slideFiles: readonly string[], spans: readonly SlideSpan[]): string {
  const lines = spans.flatMap((span, i) => [
    `file '${path.basename(slideFiles[i] ?? '')}'`,
    `duration ${(span.end - span.start).toFixed(3)}`,
  ]);
  // The demuxer ignores the last entry's duration unless the file is listed once more.
  return ['ffconcat version 1.0', ...lines, `file '${path.basename(slideFiles.at(-1) ?? '')}'`, ''].join('\n');
}

async function encodeVideo(input: { concatFile: string; narrationFile: string; durationSeconds: number; output: string }): Promise<void> {
  const gop = String(FRAME_RATE * KEYFRAME_INTERVAL_SECONDS);
  // biome-ignore format: one ffmpeg option per line reads better than a packed array
  await run('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'concat', '-safe', '0', '-i', input.concatFile,
    '-i', input.narrationFile,
    '-map', '0:v', '-map', '1:a',
    '-vf', `fps=${FRAME_RATE},scale=out_color_matrix=bt709:out_range=tv,format=yuv420p`,
    '-c:v', 'libx264', '-preset', 'veryslow', '-tune', 'stillimage', '-crf', String(VIDEO_CRF), '-x264-params', X264_PARAMS,
    '-g', gop, '-keyint_min', gop,
    '-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv',
    '-c:a', 'aac', '-b:a', AUDIO_BITRATE, '-ac', '1',
    '-t', input.durationSeconds.toFixed(3),
    '-movflags', '+faststart',
    input.output,
  ]);
}

const ProbeSchema = z.object({
  format: z.object({ duration: z.coerce.number() }),
  streams: z.array(
    z.object({ codec_type: z.string(), codec_name: z.string(), width: z.number().optional(), height: z.number().optional() }),
  ),
});

async function probeVideo(file: string) {
  const entries = 'format=duration:stream=codec_type,codec_name,width,height';
  const json = await run('ffprobe', ['-v', 'error', '-of', 'json', '-show_entries', entries, file]);
  const probe = ProbeSchema.parse(JSON.parse(json));
  const video = probe.streams.find((s) => s.codec_type === 'video');
  const audio = probe.streams.find((s) => s.codec_type === 'audio');
  return {
    durationSeconds: probe.format.duration,
    videoCodec: video?.codec_name,
    width: video?.width,
    height: video?.height,
    audioCodec: audio?.codec_name,
  };
}

type Probe = Awaited<ReturnType<typeof probeVideo>>;

/** What is wrong with an encoded video, if anything: size, length, drift from the plan, format. */
function findLimitProblems(probe: Probe, bytes: number, plannedSeconds: number): string[] {
  const problems: string[] = [];
  if (bytes > LIMITS.maxBytes) problems.push(`video is ${formatMegabytes(bytes)}, over the ${formatMegabytes(LIMITS.maxBytes)} limit`);
  if (probe.durationSeconds < LIMITS.minSeconds || probe.durationSeconds > LIMITS.maxSeconds) {
    problems.push(
      `video lasts ${formatDuration(probe.durationSeconds)}, outside ${LIMITS.minSeconds / 60}–${LIMITS.maxSeconds / 60} minutes`,
    );
  }
  if (Math.abs(probe.durationSeconds - plannedSeconds) > LIMITS.maxDriftSeconds) {
    problems.push(`encoded length ${probe.durationSeconds} s differs from the planned ${plannedSeconds} s`);
  }
  if (probe.videoCodec !== 'h264' || probe.audioCodec !== 'aac' || probe.width !== SLIDE.width || probe.height !== SLIDE.height) {
    problems.push(`unexpected streams: ${probe.videoCodec} ${probe.width}×${probe.height}, ${probe.audioCodec}`);
  }
  return problems;
}

const formatMegabytes = (bytes: number) => `${(bytes / 1_000_000).toFixed(2)} MB`;
const formatDuration = (seconds: number) => `${Math.floor(seconds / 60)}:${(seconds % 60).toFixed(1).padStart(4, '0')}`;

// ---------------------------------------------------------------------------------------------
// Building and checking

type BuildResult = { ok: true; summary: string } | { ok: false; problems: string[] };

async function buildSession(session: Session, browser: Browser): Promise<BuildResult> {
  const workDir = await mkdtemp(path.join(os.tmpdir(), `headroom-media-${session.id}-`));
  try {
    const sentences = session.slides.map((slide) => splitSentences(slide.narration));
    const clips = await narrateSentences(sentences, workDir);
    const timeline = planTimeline(
      session.slides,
      clips.map((slideClips) => slideClips.map(wavSeconds)),
    );
    const narrationFile = path.join(workDir, 'narration.wav');
    await writeFile(narrationFile, encodeWav(layNarrationTrack(timeline.cues, clips.flat(), timeline.durationSeconds)));

    const rendered = await renderSlides(browser, session, workDir);
    const concatFile = path.join(workDir, 'slides.ffconcat');
    await writeFile(concatFile, concatScript(rendered.slides, timeline.slides));
    const videoFile = path.join(workDir, 'video.mp4');
    await encodeVideo({ concatFile, narrationFile, durationSeconds: timeline.durationSeconds, output: videoFile });

    const probe = await probeVideo(videoFile);
    const bytes = statSync(videoFile).size;
    const problems = findLimitProblems(probe, bytes, timeline.durationSeconds);
    if (problems.length > 0) return { ok: false, problems };

    const manifest = buildMediaManifest(session.id, timeline, scriptHash(session.slides));
    await publishMedia(session, manifest, { video: videoFile, poster: rendered.poster });
    const summary = [
      formatDuration(probe.durationSeconds),
      formatMegabytes(bytes),
      `${session.slides.length} slides`,
      `${manifest.cues.length} cues`,
      `${manifest.chapters.length} chapters`,
    ].join(', ');
    return { ok: true, summary };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** The text files derived from a manifest, by site path; `--check` compares against the same. */
function derivedTextFiles(session: Session, manifest: MediaManifest): [string, string][] {
  const paths = mediaPaths(session.id);
  return [
    [paths.captions, renderCaptionsVtt(manifest.cues)],
    [paths.chapters, renderChaptersVtt(manifest.chapters, manifest.durationSeconds)],
    [paths.transcript, renderTranscript(session.title, manifest.cues, manifest.chapters)],
  ];
}

async function publishMedia(session: Session, manifest: MediaManifest, encoded: { video: string; poster: string }): Promise<void> {
  const paths = mediaPaths(session.id);
  const dir = path.dirname(publicFile(paths.video));
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await copyFile(encoded.video, publicFile(paths.video));
  await copyFile(encoded.poster, publicFile(paths.poster));
  for (const [sitePath, text] of derivedTextFiles(session, manifest)) await writeFile(publicFile(sitePath), text);
  // The manifest goes last: it is what declares the files above complete.
  await mkdir(manifestsDir, { recursive: true });
  await writeFile(manifestFile(session.id), `${JSON.stringify(MediaManifestSchema.parse(manifest), null, 2)}\n`);
}

/** Why a session's committed media no longer match its script, or nothing if they do. */
function findStaleMedia(session: Session): string[] {
  const file = manifestFile(session.id);
  if (!existsSync(file)) return [`no manifest at ${relative(file)}`];
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return [`${relative(file)} is not valid JSON`];
  }
  const parsed = MediaManifestSchema.safeParse(data);
  if (!parsed.success) return [`${relative(file)}: ${describeIssues(parsed.error)}`];
  const manifest = parsed.data;
  const problems: string[] = [];
  if (manifest.id !== session.id) problems.push(`${relative(file)} describes "${manifest.id}"`);
  if (manifest.scriptHash !== scriptHash(session.slides)) problems.push('the script changed after the media were built');
  const referenced = [...manifest.video.map((v) => v.src), manifest.poster, ...manifest.captions.map((c) => c.src)];
  for (const target of referenced.map(publicFile)) {
    if (!existsSync(target) || statSync(target).size === 0) problems.push(`${relative(target)} is missing`);
  }
  for (const target of manifest.video.map((v) => publicFile(v.src)).filter(existsSync)) {
    if (statSync(target).size > LIMITS.maxBytes) problems.push(`${relative(target)} is over ${formatMegabytes(LIMITS.maxBytes)}`);
  }
  for (const [sitePath, expected] of derivedTextFiles(session, manifest)) {
    const target = publicFile(sitePath);
    if (!existsSync(target)) problems.push(`${relative(target)} is missing`);
    else if (readFileSync(target, 'utf8') !== expected) problems.push(`${relative(target)} does not match the manifest and script`);
  }
  return problems;
}

function checkCommittedMedia(ids: readonly string[], checkOrphans: boolean): number {
  const stale: string[] = [];
  for (const id of ids) {
    const problems = findStaleMedia(readSession(id));
    if (problems.length > 0) stale.push(id);
    console.log(problems.length === 0 ? `✓ ${id}` : `✗ ${id}: ${problems.join('; ')}`);
  }
  const orphans =
    checkOrphans && existsSync(manifestsDir)
      ? readdirSync(manifestsDir).filter((f) => f.endsWith('.json') && !ids.includes(f.slice(0, -'.json'.length)))
      : [];
  for (const orphan of orphans) console.log(`✗ ${relative(path.join(manifestsDir, orphan))}: no session script of that name`);
  if (stale.length > 0) console.log(`Stale media for ${stale.join(', ')}: run \`npm run media:build -- ${stale.join(' ')}\``);
  return stale.length > 0 || orphans.length > 0 ? 1 : 0;
}

async function buildAll(ids: readonly string[]): Promise<number> {
  const sessions = ids.map(readSession);
  await requireTools();
  const browser = await launchBrowser();
  let failures = 0;
  try {
    for (const session of sessions) {
      const started = performance.now();
      const result = await buildSession(session, browser).catch(
        (error: unknown): BuildResult => ({ ok: false, problems: [messageOf(error)] }),
      );
      const seconds = ((performance.now() - started) / 1000).toFixed(0);
      if (!result.ok) failures += 1;
      console.log(
        result.ok ? `✓ ${session.id}: ${result.summary} (built in ${seconds} s)` : `✗ ${session.id}: ${result.problems.join('; ')}`,
      );
    }
  } finally {
    await browser.close();
  }
  return failures > 0 ? 1 : 0;
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

try {
  const { check, ids, everySession } = parseArguments(process.argv.slice(2));
  process.exitCode = check ? checkCommittedMedia(ids, everySession) : await buildAll(ids);
} catch (error) {
  console.error(`media:build: ${messageOf(error)}`);
  process.exitCode = 1;
}
