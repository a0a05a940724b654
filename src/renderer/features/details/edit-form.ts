import type { z } from 'zod';
import type { ObjectDetails, ObjectEdit } from '../../../shared/details';
import { tagSetSchema } from '../../../shared/details';
import { metadataKeySchema, storageClasses, userMetadataSchema } from '../../../shared/transfers';
import { newRow, type KeyValueRow } from '../../components/key-value-rows';

/** The header fields the edit form offers, in the order shown, with their labels. */
export const headerFields = [
  { field: 'contentType', label: 'Content type', placeholder: 'application/octet-stream' },
  { field: 'cacheControl', label: 'Cache-Control', placeholder: 'max-age=3600' },
  { field: 'contentDisposition', label: 'Content-Disposition', placeholder: 'attachment; filename="a.pdf"' },
  { field: 'contentEncoding', label: 'Content-Encoding', placeholder: 'gzip' },
  { field: 'contentLanguage', label: 'Content-Language', placeholder: 'en' },
  { field: 'expires', label: 'Expires', placeholder: '2030-01-01T00:00:00Z' },
] as const;

/** A header field of the edit form. */
export type HeaderField = (typeof headerFields)[number]['field'];

/** A storage class, or '' to keep each object's own. */
export type StorageClassChoice = '' | (typeof storageClasses)[number];

/** What the edit form holds. */
export interface EditFormValues {
  headers: Record<HeaderField, string>;
  storageClass: StorageClassChoice;
  metadata: KeyValueRow[];
  /** Several files: whether their user metadata is replaced by `metadata` (one file: always compared). */
  replaceMetadata: boolean;
}

/** The form for one object's current values, or an empty one (several files: blank means "keep"). */
export function editFormOf(details: ObjectDetails | null): EditFormValues {
  return {
    headers: {
      contentType: details?.contentType ?? '',
      cacheControl: details?.cacheControl ?? '',
      contentDisposition: details?.contentDisposition ?? '',
      contentEncoding: details?.contentEncoding ?? '',
      contentLanguage: details?.contentLanguage ?? '',
      expires: details?.expires ?? '',
    },
    storageClass:
      details && (storageClasses as readonly string[]).includes(details.storageClass)
        ? (details.storageClass as StorageClassChoice)
        : '',
    metadata: Object.entries(details?.metadata ?? {}).map(([key, value]) => newRow(key, value)),
    replaceMetadata: false,
  };
}

/** What is wrong with the form: per header field, per metadata row, and for the metadata as a whole. */
export interface EditProblems {
  headers: Partial<Record<HeaderField, string>>;
  rows: Record<number, string>;
  metadata: string | null;
}

/** Rows that say something: a row with neither key nor value (just added) is left out. */
function filledRows(rows: readonly KeyValueRow[]): KeyValueRow[] {
  return rows.filter((row) => row.key !== '' || row.value !== '');
}

/** The problem of each row's key (metadataKeySchema, as main checks it), and of duplicates. */
export function metadataRowProblems(rows: readonly KeyValueRow[]): Record<number, string> {
  const problems: Record<number, string> = {};
  const seen = new Set<string>();
  for (const row of filledRows(rows)) {
    const checked = metadataKeySchema.safeParse(row.key);
    if (!checked.success) {
      problems[row.id] = [...new Set(checked.error.issues.map((i) => i.message))].join(' ');
      continue;
    }
    // S3 keeps metadata keys in lower case: "Owner" and "owner" are the same key.
    const folded = row.key.toLowerCase();
    if (seen.has(folded)) problems[row.id] = 'This key is already in the list (keys ignore letter case).';
    seen.add(folded);
  }
  return problems;
}

/** The metadata the rows stand for. */
export function metadataOf(rows: readonly KeyValueRow[]): Record<string, string> {
  return Object.fromEntries(filledRows(rows).map((row) => [row.key, row.value]));
}

/** Expires as sent: '' to remove, else an ISO 8601 instant; null when it cannot be read as a date. */
export function expiresValue(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === '') return '';
  const time = Date.parse(trimmed);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/** Everything wrong with the form, checked with the schemas main applies. */
export function editProblems(values: EditFormValues): EditProblems {
  const rows = metadataRowProblems(values.metadata);
  let metadata: string | null = null;
  if (Object.keys(rows).length === 0) {
    const checked = userMetadataSchema.safeParse(metadataOf(values.metadata));
    if (!checked.success) metadata = checked.error.issues[0]?.message ?? 'The metadata is not valid.';
  }
  const headers: EditProblems['headers'] = {};
  for (const { field, label } of headerFields) {
    // Header values travel as HTTP headers: printable ASCII only (main refuses the rest too).
    if (!/^[\t\x20-\x7e]*$/.test(values.headers[field])) {
      headers[field] = `${label} may contain only printable ASCII characters.`;
    }
  }
  if (!headers.expires && expiresValue(values.headers.expires) === null) {
    headers.expires = 'Give a date and time such as 2030-01-01T00:00:00Z, or leave it empty.';
  }
  return { headers, rows, metadata };
}

/** Whether the form may be saved. */
export function isValidEdit(problems: EditProblems): boolean {
  return (
    Object.keys(problems.headers).length === 0 && Object.keys(problems.rows).length === 0 && problems.metadata === null
  );
}

function sameMetadata(a: Record<string, string>, b: Record<string, string>): boolean {
  const aKeys = Object.keys(a);
  return aKeys.length === Object.keys(b).length && aKeys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

/**
 * The edit to send. One file: only what changed from `initial` (a cleared header is sent as ''
 * and removed). Several files: what was filled in (blank keeps each file's own value), and the
 * metadata only when "replace" is ticked. Untouched fields are left out, so main keeps them.
 */
export function objectEditOf(initial: EditFormValues, values: EditFormValues, several: boolean): ObjectEdit {
  const edit: ObjectEdit = {};
  for (const { field } of headerFields) {
    const raw = values.headers[field].trim();
    const value = field === 'expires' ? (expiresValue(raw) ?? raw) : raw;
    const before = field === 'expires' ? (expiresValue(initial.headers[field]) ?? '') : initial.headers[field].trim();
    if (several ? value !== '' : value !== before) edit[field] = value;
  }
  if (values.storageClass !== '' && (several || values.storageClass !== initial.storageClass)) {
    edit.storageClass = values.storageClass;
  }
  const metadata = metadataOf(values.metadata);
  if (several ? values.replaceMetadata : !sameMetadata(metadata, metadataOf(initial.metadata))) {
    edit.metadata = metadata;
  }
  return edit;
}

/** What is wrong with a tag list: per row, and for the set (too many, a key twice). */
export interface TagProblems {
  rows: Record<number, string>;
  set: string | null;
}

/** The tags the rows stand for (blank rows left out). */
export function tagsOf(rows: readonly KeyValueRow[]): { key: string; value: string }[] {
  return filledRows(rows).map((row) => ({ key: row.key, value: row.value }));
}

/**
 * The tag list checked with an object's tagSetSchema (S3's limits: 10 tags, 128/256 characters,
 * the allowed characters), or with another tag schema (a bucket's: 50 tags, no "aws:" keys).
 */
export function tagProblems(rows: readonly KeyValueRow[], schema: z.ZodType = tagSetSchema): TagProblems {
  const filled = filledRows(rows);
  const checked = schema.safeParse(tagsOf(rows));
  const problems: TagProblems = { rows: {}, set: null };
  if (checked.success) return problems;
  for (const issue of checked.error.issues) {
    const [index] = issue.path;
    const row = typeof index === 'number' ? filled[index] : undefined;
    if (row)
      problems.rows[row.id] = problems.rows[row.id] ? `${problems.rows[row.id]} ${issue.message}` : issue.message;
    else problems.set = problems.set ? `${problems.set} ${issue.message}` : issue.message;
  }
  return problems;
}

/** Whether a tag list may be saved. */
export function isValidTags(problems: TagProblems): boolean {
  return Object.keys(problems.rows).length === 0 && problems.set === null;
}
