import { z } from 'zod';

/** A "folder" in a listing: a common prefix ending in the delimiter. */
export interface FolderEntry {
  kind: 'folder';
  /** The full prefix, ending in '/'. */
  key: string;
  /** The last segment, without the trailing '/'. */
  name: string;
}

/** A file in a listing: what ListObjectsV2 says, with no HEAD request per object. */
export interface FileEntry {
  kind: 'file';
  key: string;
  name: string;
  size: number;
  /** ISO 8601. */
  lastModified: string | null;
  storageClass: string | null;
  etag: string | null;
}

/** One page of a folder listing. */
export interface ListingPage {
  folders: FolderEntry[];
  files: FileEntry[];
  /** Pass it back to get the next page; null on the last page. */
  nextToken: string | null;
}

/** The most keys one page may ask for (S3's own maximum). */
export const MAX_PAGE_SIZE = 1000;

/** What `objects.list` takes: one page of a folder (Delimiter '/'), or of every key under a prefix. */
export const listObjectsInputSchema = z
  .object({
    accountId: z.string().min(1).max(200),
    bucket: z.string().min(1).max(255),
    prefix: z.string().max(1024),
    /** true: every key under the prefix (server-side prefix search); false: one folder level. */
    recursive: z.boolean().default(false),
    continuationToken: z.string().max(4096).optional(),
    pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE).default(MAX_PAGE_SIZE),
  })
  .strict();

/** The last segment of a key or prefix, for display ("a/b/c.txt" → "c.txt", "a/b/" → "b"). */
export function displayName(key: string, prefix: string): string {
  const rest = key.startsWith(prefix) ? key.slice(prefix.length) : key;
  return rest.endsWith('/') ? rest.slice(0, -1) : rest;
}
