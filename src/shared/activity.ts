import { z } from 'zod';

/**
 * The activity log's model (issue #15): one entry per change the app made, for the person's own
 * audit. Entries hold words and names only, never secrets, signed URLs or presigned POST fields:
 * main's describers pick the fields they name, and never copy a request's input.
 */

/** What kind of change an entry records; the panel filters by it. */
export const activityKinds = [
  'upload',
  'download',
  'copy',
  'move',
  'rename',
  'delete',
  'create',
  'edit',
  'restore',
  'link',
  'settings',
] as const;
/** What kind of change an entry records. */
export type ActivityKind = (typeof activityKinds)[number];

/** The words the panel shows for each kind (its filter's options). */
export const activityKindLabels: Record<ActivityKind, string> = {
  upload: 'Uploads',
  download: 'Downloads',
  copy: 'Copies',
  move: 'Moves',
  rename: 'Renames',
  delete: 'Deletes',
  create: 'New buckets and folders',
  edit: 'Edits',
  restore: 'Restores',
  link: 'Links',
  settings: 'Settings',
};

/**
 * How a change ended: `ok`; `failed` (nothing or not all of it was done: the text says what);
 * `cancelled`; `running` while a long operation or transfer batch has not ended (an entry still
 * running after a restart ended with the app).
 */
export const activityResults = ['ok', 'failed', 'cancelled', 'running'] as const;
/** How a change ended. */
export type ActivityResult = (typeof activityResults)[number];

/** One recorded change. */
export const activityEntrySchema = z.object({
  /** Stable id; a later line with the same id (a long operation's end) replaces the earlier one. */
  id: z.string().min(1).max(100),
  /** When the change was asked for (ISO time). */
  at: z.string().max(40),
  /** When its result came, for long operations and transfer batches (ISO time). */
  endedAt: z.string().max(40).optional(),
  accountId: z.string().max(200).nullable(),
  /** The account's name when the change was made (the account may have been removed since). */
  accountName: z.string().max(200).nullable(),
  kind: z.enum(activityKinds),
  /** The request channel that made it (`objects.delete`), for whoever reads an export. */
  channel: z.string().max(100),
  /** What was changed, in words: "Delete 3 items from photos: a.jpg, b.jpg and 1 more". */
  what: z.string().max(2000),
  bucket: z.string().max(255).nullable(),
  result: z.enum(activityResults),
  /** The result in words: "Done", the error's message, or the operation's summary ("12 done, 1 failed"). */
  resultText: z.string().max(2000),
  /** The long operation's or transfer batch's id, whose end updates this entry. */
  ref: z.string().max(100).optional(),
});
/** One recorded change. */
export type ActivityEntry = z.infer<typeof activityEntrySchema>;

/** What the panel (and an export) filters by; every field is optional. */
export const activityFilterSchema = z
  .object({
    /** Words matched, case-insensitively, against what, result, account, bucket and channel. */
    query: z.string().max(200).default(''),
    accountId: z.string().min(1).max(200).optional(),
    kind: z.enum(activityKinds).optional(),
    result: z.enum(activityResults).optional(),
  })
  .strict();
/** What the panel filters by. */
export type ActivityFilter = z.infer<typeof activityFilterSchema>;

/** One page of the log, newest first. */
export interface ActivityPage {
  entries: ActivityEntry[];
  /** How many entries match the filter in all. */
  total: number;
  /** Every account named in the log (for the account filter), newest name first. */
  accounts: { id: string; name: string }[];
}

/** An export's text, for the browser to download. */
export interface ActivityExport {
  fileName: string;
  mimeType: string;
  content: string;
  /** How many entries it holds. */
  count: number;
}

/** Whether an entry matches a filter (shared, so the panel and an export agree). */
export function matchesActivityFilter(entry: ActivityEntry, filter: Partial<ActivityFilter>): boolean {
  if (filter.accountId !== undefined && entry.accountId !== filter.accountId) return false;
  if (filter.kind !== undefined && entry.kind !== filter.kind) return false;
  if (filter.result !== undefined && entry.result !== filter.result) return false;
  const words = (filter.query ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = [entry.what, entry.resultText, entry.accountName ?? '', entry.bucket ?? '', entry.channel, entry.kind]
    .join('\n')
    .toLowerCase();
  return words.every((word) => text.includes(word));
}
