// Go's single-character string escapes, as PromQL string literals and the series notation of
// promqltest / promtool files use them (`\x`, `\u` and `\U` are handled by the callers).
export const GO_SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\u0007',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
};
