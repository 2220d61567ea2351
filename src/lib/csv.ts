// CSV as RFC 4180 writes it (comma-separated, CRLF line ends, fields with a comma, quote or line
// break wrapped in double quotes, quotes doubled), made safe to open in a spreadsheet: a text cell
// that starts like a formula (= + - @, or a tab or carriage return) gets a leading apostrophe, so
// Excel, LibreOffice and Google Sheets show it as text instead of evaluating it (OWASP "CSV
// injection"). Numbers and booleans are the site's own values and are written as they are.

export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell: text is defused and quoted when needed; null and undefined are empty. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, terminated by CRLF. */
export function csvRow(values: readonly CsvValue[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
