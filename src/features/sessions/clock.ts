// Times as people read them on a player: 75 → "1:15", 3725 → "1:02:05".
export function formatClock(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = String(s % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** Reads a `?t=` deep link: seconds ("123") or clock time ("2:03"); anything else is ignored. */
export function parseDeepLinkTime(value: string | null, duration: number): number | undefined {
  if (!value) return undefined;
  const match = /^(?:(\d{1,2}):)?(\d{1,4})(?::(\d{2}))?s?$/.exec(value.trim());
  if (!match) return undefined;
  const parts = value.trim().replace(/s$/, '').split(':').map(Number);
  const seconds = parts.reduce((total, part) => total * 60 + part, 0);
  if (!Number.isFinite(seconds)) return undefined;
  return Math.min(Math.max(0, seconds), Math.max(0, duration - 1));
}
