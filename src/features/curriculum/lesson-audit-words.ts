// Word counting shared by the lesson audit (build-time checks) and reading-time estimates.

/** Counts whitespace-separated tokens that contain a letter or a digit. */
export function countWords(text: string): number {
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}
