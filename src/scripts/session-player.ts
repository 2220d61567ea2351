// The session page: media-chrome player, resume and deep links, played-range tracking for
// progress, chapter buttons, and the interactive transcript (current cue highlighted and kept in
// view, click to seek, search). Browser-only.
import 'media-chrome';
import 'media-chrome/menu';
import { formatClock, parseDeepLinkTime } from '../features/sessions/clock.ts';
import { loadProgress, reportSession } from './progress-client.ts';

const REPORT_EVERY_MS = 10_000;
/** A timeupdate step larger than this (scaled by speed) is a seek, not playback. */
const MAX_PLAY_STEP_SECONDS = 1.5;

export async function setUpSessionPage(): Promise<void> {
  const root = document.querySelector<HTMLElement>('[data-session]');
  const video = root?.querySelector('video');
  if (!root || !video) return;
  const sessionId = root.dataset['session'] ?? '';
  const duration = Number(root.dataset['duration'] ?? '0');

  // Captions on by default, in the first language.
  const firstTrack = video.textTracks[0];
  if (firstTrack && firstTrack.kind === 'captions') firstTrack.mode = 'showing';

  // --- played ranges and reporting -------------------------------------------------------
  let pending: [number, number][] = [];
  let open: [number, number] | undefined;
  let last = video.currentTime;
  video.addEventListener('timeupdate', () => {
    const now = video.currentTime;
    const step = now - last;
    if (!video.paused && !video.seeking && step > 0 && step <= MAX_PLAY_STEP_SECONDS * Math.max(1, video.playbackRate)) {
      if (open && Math.abs(open[1] - last) < 0.01) open[1] = now;
      else {
        open = [last, now];
        pending.push(open);
      }
    } else {
      open = undefined;
    }
    last = now;
  });
  video.addEventListener('seeking', () => {
    open = undefined;
    last = video.currentTime;
  });
  const flush = (beacon = false) => {
    const ranges = pending.map(([s, e]): [number, number] => [Math.round(s * 1000) / 1000, Math.round(e * 1000) / 1000]);
    pending = open ? [open] : [];
    reportSession(sessionId, Math.round(video.currentTime * 1000) / 1000, ranges, beacon);
  };
  let timer: number | undefined;
  video.addEventListener('play', () => {
    window.clearInterval(timer);
    timer = window.setInterval(() => flush(), REPORT_EVERY_MS);
  });
  video.addEventListener('pause', () => {
    window.clearInterval(timer);
    flush();
  });
  video.addEventListener('ended', () => flush());
  addEventListener('pagehide', () => flush(true));
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flush(true);
  });

  // --- start position: deep link, else resume ----------------------------------------------
  const seekTo = (seconds: number) => {
    open = undefined;
    video.currentTime = Math.min(Math.max(0, seconds), Math.max(0, duration - 0.5));
    last = video.currentTime;
  };
  const deepLink = parseDeepLinkTime(new URLSearchParams(location.search).get('t'), duration);
  const resumeBar = root.querySelector<HTMLElement>('.resume-bar');
  if (deepLink !== undefined) {
    seekTo(deepLink);
  } else {
    const progress = await loadProgress();
    const saved = progress.sessions[sessionId]?.position ?? 0;
    if (saved > 5 && saved < duration - 5) {
      seekTo(saved);
      const text = resumeBar?.querySelector('[data-resume-text]');
      if (resumeBar && text) {
        text.textContent = `Resuming where you stopped, at ${formatClock(saved)}.`;
        resumeBar.hidden = false;
      }
    }
  }
  resumeBar?.querySelector('[data-start-over]')?.addEventListener('click', () => {
    seekTo(0);
    resumeBar.hidden = true;
    void video.play().catch(() => undefined);
  });
  for (const button of root.querySelectorAll<HTMLButtonElement>('[data-seek]')) {
    button.addEventListener('click', () => {
      seekTo(Number(button.dataset['seek']));
      void video.play().catch(() => undefined);
    });
  }

  setUpTranscript(root, video, seekTo);
}

function setUpTranscript(root: HTMLElement, video: HTMLVideoElement, seekTo: (s: number) => void): void {
  const list = root.querySelector<HTMLOListElement>('[data-cues]');
  const search = root.querySelector<HTMLInputElement>('#transcript-search');
  const status = root.querySelector<HTMLElement>('.transcript-status');
  if (!list) return;
  const buttons = [...list.querySelectorAll<HTMLButtonElement>('button[data-start]')];
  const starts = buttons.map((b) => Number(b.dataset['start']));
  let current = -1;
  const highlight = () => {
    const t = video.currentTime;
    // Last cue starting at or before t (cues are in order).
    let lo = 0;
    let hi = starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if ((starts[mid] ?? 0) <= t) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found === current) return;
    buttons[current]?.removeAttribute('aria-current');
    current = found;
    const active = buttons[current];
    if (!active) return;
    active.setAttribute('aria-current', 'true');
    // Keep the cue in view inside the transcript box without scrolling the page.
    const top = active.offsetTop - list.offsetTop;
    if (top < list.scrollTop || top > list.scrollTop + list.clientHeight - active.offsetHeight) {
      list.scrollTo({ top: Math.max(0, top - list.clientHeight / 3), behavior: 'smooth' });
    }
  };
  video.addEventListener('timeupdate', highlight);
  video.addEventListener('seeked', highlight);
  for (const button of buttons) {
    button.addEventListener('click', () => {
      seekTo(Number(button.dataset['start']));
      void video.play().catch(() => undefined);
    });
  }
  search?.addEventListener('input', () => {
    const query = search.value.trim().toLowerCase();
    let matches = 0;
    for (const button of buttons) {
      const text = button.querySelector('.cue-text');
      const plain = text?.textContent ?? '';
      const hit = query === '' || plain.toLowerCase().includes(query);
      (button.parentElement as HTMLElement).hidden = !hit;
      if (text) {
        text.textContent = plain;
        if (query !== '' && hit) {
          const at = plain.toLowerCase().indexOf(query);
          const mark = document.createElement('mark');
          mark.textContent = plain.slice(at, at + query.length);
          text.replaceChildren(plain.slice(0, at), mark, plain.slice(at + query.length));
          matches += 1;
        }
      }
    }
    if (status) status.textContent = query === '' ? '' : `${matches} line${matches === 1 ? '' : 's'} match “${search.value.trim()}”.`;
  });
}
