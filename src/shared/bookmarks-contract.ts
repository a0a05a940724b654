import { z } from 'zod';
import { event, request } from './contract-spec';

/** How many bookmarks a person may keep: a sidebar section, not a database. */
export const MAX_BOOKMARKS = 500;

/** How long a bookmark's name may be (it shows in the sidebar and is typed in the path bar). */
export const MAX_BOOKMARK_NAME = 100;

const accountId = z.string().min(1).max(200);
const bucket = z.string().min(1).max(255);
const bookmarkId = z.string().uuid();

/**
 * A bookmark's name: trimmed, not empty, no control characters (it is one line in the sidebar
 * and can be typed in the path bar, which reads it before any path).
 */
export const bookmarkNameSchema = z
  .string()
  .trim()
  .min(1, 'Give the bookmark a name.')
  .max(MAX_BOOKMARK_NAME, `Keep the name under ${MAX_BOOKMARK_NAME} characters.`)
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  .refine((name) => !/[\u0000-\u001f\u007f]/.test(name), 'A name cannot hold line breaks or control characters.');

/** A folder of a bucket: '' (the bucket's top) or a prefix ending in '/'. */
export const bookmarkPrefixSchema = z
  .string()
  .max(1024)
  .refine((prefix) => prefix === '' || prefix.endsWith('/'), 'A bookmark names a folder: its path ends in "/".');

/** A bookmark as it is kept in bookmarks.json: an account, a bucket and a folder, with a name. */
export const bookmarkSchema = z.object({
  id: bookmarkId,
  name: bookmarkNameSchema,
  accountId,
  bucket,
  prefix: bookmarkPrefixSchema,
});

/** A bookmark as stored. */
export type Bookmark = z.infer<typeof bookmarkSchema>;

/**
 * A bookmark as the UI shows it: with its account's name, or `accountMissing` when that account
 * was removed (the bookmark stays, says so, and can be removed; it is not opened).
 */
export interface BookmarkView extends Bookmark {
  accountName: string | null;
  accountMissing: boolean;
}

/** Request channels of bookmarks, spread into the contract. */
export const bookmarkRequests = {
  /** Every bookmark, in the person's order. */
  'bookmarks.list': request<BookmarkView[]>()(z.object({}).strict()),
  /**
   * Bookmarks a folder. Without a name it is named after the folder (or the bucket), numbered
   * if that name is taken. Refuses a second bookmark of the same folder and a name in use.
   */
  'bookmarks.add': request<BookmarkView>()(
    z.object({ accountId, bucket, prefix: bookmarkPrefixSchema, name: bookmarkNameSchema.optional() }).strict(),
  ),
  /** Renames a bookmark; names are unique (ignoring case), since the path bar opens one by name. */
  'bookmarks.rename': request<BookmarkView>()(z.object({ id: bookmarkId, name: bookmarkNameSchema }).strict()),
  /** Moves a bookmark to a place in the order (0 = first; past the end = last). */
  'bookmarks.move': request<BookmarkView[]>()(
    z.object({ id: bookmarkId, toIndex: z.number().int().min(0).max(MAX_BOOKMARKS) }).strict(),
  ),
  'bookmarks.remove': request<{ removed: true }>()(z.object({ id: bookmarkId }).strict()),
} as const;

/** Event channels of bookmarks. */
export const bookmarkEvents = {
  /** The bookmarks changed (added, renamed, moved, removed), or an account they name was removed or renamed. */
  'bookmarks.changed': event<{ bookmarks: BookmarkView[] }>(),
} as const;
