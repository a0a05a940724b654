import type { ActivityEntry } from '../../../shared/activity';

/** The columns of a CSV export, in order: a header name and how to read it from an entry. */
const csvColumns: readonly [string, (entry: ActivityEntry) => string][] = [
  ['time', (entry) => entry.at],
  ['ended', (entry) => entry.endedAt ?? ''],
  ['account', (entry) => entry.accountName ?? ''],
  ['account id', (entry) => entry.accountId ?? ''],
  ['kind', (entry) => entry.kind],
  ['what', (entry) => entry.what],
  ['bucket', (entry) => entry.bucket ?? ''],
  ['result', (entry) => entry.result],
  ['result text', (entry) => entry.resultText],
  ['channel', (entry) => entry.channel],
  ['id', (entry) => entry.id],
];

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote, a line break or spaces at an
 * end, with quotes doubled. A field that starts with =, +, -, @, a tab or a carriage return
 * gets a leading apostrophe, as OWASP advises against formula injection: a key named
 * `=HYPERLINK(…)` must stay text when the file is opened in a spreadsheet.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Entries as CSV: a header line, then one record per entry, CRLF line ends (RFC 4180). */
export function activityCsv(entries: readonly ActivityEntry[]): string {
  const lines = [csvColumns.map(([name]) => csvField(name)).join(',')];
  for (const entry of entries) lines.push(csvColumns.map(([, read]) => csvField(read(entry))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Entries as JSON: an array of the entries as stored, indented for reading. */
export function activityJson(entries: readonly ActivityEntry[]): string {
  return `${JSON.stringify(entries, null, 2)}\n`;
}
