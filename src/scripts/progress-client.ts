// Progress in the browser. Signed-in learners' progress lives on the server; anonymous learners'
// in localStorage, merged into the account at the next page load after sign-up or sign-in
// (the server keeps whichever report is newer). Browser-only.

const KEY = 'headroom-progress-v1';

export interface LocalProgress {
  lessons: Record<string, { completed: boolean; at: number }>;
  sessions: Record<string, { position: number; ranges: [number, number][]; at: number }>;
}

export interface ProgressView {
  lessons: Record<string, { completed: boolean }>;
  sessions: Record<string, { position: number; watched?: boolean }>;
}

export function isSignedIn(): boolean {
  return document.documentElement.hasAttribute('data-signed-in');
}

export function readLocal(): LocalProgress {
  try {
    const parsed = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<LocalProgress>;
    return { lessons: parsed.lessons ?? {}, sessions: parsed.sessions ?? {} };
  } catch {
    return { lessons: {}, sessions: {} };
  }
}

function writeLocal(progress: LocalProgress): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(progress));
  } catch {
    // Storage full or disabled: progress simply is not kept.
  }
}

let merged: Promise<boolean> | undefined;
/** Sends anonymous progress to the account once, then forgets it locally; true if it sent any. */
export function mergeLocalIntoAccount(): Promise<boolean> {
  merged ??= (async () => {
    const local = readLocal();
    const lessons = Object.entries(local.lessons).map(([id, l]) => ({ id, ...l }));
    const sessions = Object.entries(local.sessions).map(([id, s]) => ({ id, ...s }));
    if (lessons.length === 0 && sessions.length === 0) return false;
    const response = await fetch('/api/progress/merge', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ lessons: lessons.slice(0, 200), sessions: sessions.slice(0, 50) }),
    });
    if (response.ok) localStorage.removeItem(KEY);
    return response.ok;
  })().catch(() => false);
  return merged;
}

export async function loadProgress(): Promise<ProgressView> {
  if (isSignedIn()) {
    await mergeLocalIntoAccount();
    const response = await fetch('/api/progress', { headers: { accept: 'application/json' } }).catch(() => undefined);
    if (response?.ok) return (await response.json()) as ProgressView;
    if (response?.status === 401) document.documentElement.removeAttribute('data-signed-in');
  }
  return readLocal();
}

export async function setLessonCompleted(id: string, completed: boolean): Promise<boolean> {
  const at = Date.now();
  if (isSignedIn()) {
    const response = await fetch(`/api/progress/lessons/${id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ completed, at }),
    }).catch(() => undefined);
    if (response?.ok) return ((await response.json()) as { completed: boolean }).completed;
    if (response?.status !== 401) return !completed;
    document.documentElement.removeAttribute('data-signed-in');
  }
  const local = readLocal();
  local.lessons[id] = { completed, at };
  writeLocal(local);
  return completed;
}

/** Reports playback; with `beacon`, uses sendBeacon so it survives the page closing. */
export function reportSession(id: string, position: number, ranges: [number, number][], beacon = false): void {
  const report = { position, ranges, at: Date.now() };
  if (isSignedIn()) {
    const url = `/api/progress/sessions/${id}`;
    const body = JSON.stringify(report);
    if (beacon && navigator.sendBeacon(url, body)) return;
    void fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, keepalive: true }).catch(() => undefined);
    return;
  }
  const local = readLocal();
  const previous = local.sessions[id]?.ranges ?? [];
  local.sessions[id] = { position, ranges: [...previous, ...ranges].slice(-400), at: report.at };
  writeLocal(local);
}
