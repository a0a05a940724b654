import { z } from 'zod';
import { lastSegment } from './names';

/** A "folder" in a listing: a common prefix ending in the delimiter. */
export interface FolderEntry {
  kind: 'folder';
  /** The full prefix, ending in '/'. */
  key: string;
  /** The last segment, without the trailing '/'. */
  name: string;
  /** Holds only deleted files (listed with "Show deleted files"); absent for a live folder. */
  deleted?: true;
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
  /** Its latest version is a delete marker (listed with "Show deleted files"); absent for a live file. */
  deleted?: true;
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
    /**
     * The caller will ask for the next page (of MAX_PAGE_SIZE keys) as soon as this one is in:
     * main asks S3 for it at once, so S3 works while the answer travels and the next request comes.
     */
    readAhead: z.boolean().optional(),
  })
  .strict();

/** The last segment of a key or prefix, for display ("a/b/c.txt" → "c.txt", "a/b/" → "b"). */
export function displayName(key: string, prefix: string): string {
  const rest = key.startsWith(prefix) ? key.slice(prefix.length) : key;
  return rest.endsWith('/') ? rest.slice(0, -1) : rest;
}

/**
 * The S3 rules for a general-purpose bucket name, checked before anything is sent:
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */
export const bucketNameSchema = z
  .string()
  .min(3, 'A bucket name has at least 3 characters.')
  .max(63, 'A bucket name has at most 63 characters.')
  .regex(/^[a-z0-9.-]+$/, 'Use only lowercase letters, digits, dots and hyphens (no uppercase, no spaces).')
  .regex(/^[a-z0-9].*[a-z0-9]$/, 'A bucket name begins and ends with a letter or a digit.')
  .refine((name) => !name.includes('..'), 'A bucket name cannot have two dots in a row.')
  .refine((name) => !/^\d{1,3}(\.\d{1,3}){3}$/.test(name), 'A bucket name cannot look like an IP address.')
  .refine(
    (name) => !/^(xn--|sthree-|amzn-s3-demo-)/.test(name) && !/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name),
    'That prefix or suffix is reserved by S3.',
  );

/** A schema for one path segment (no '/', not '.' or '..', at most 255 bytes), with wording for its use. */
function segmentNameSchema(words: { empty: string; slash: string; dots: string; long: string }) {
  return z
    .string()
    .min(1, words.empty)
    .refine((name) => !name.includes('/'), words.slash)
    .refine((name) => name !== '.' && name !== '..', words.dots)
    .refine((name) => new TextEncoder().encode(name).length <= 255, words.long);
}

/** A new folder's name: one path segment ('.' and '..' would break downloads). */
export const folderNameSchema = segmentNameSchema({
  empty: 'Enter a folder name.',
  slash: "A folder name cannot contain '/'. Create one folder at a time.",
  dots: "A folder cannot be named '.' or '..'.",
  long: 'Keep the folder name under 255 bytes.',
});

/** A new name for a file or folder (rename): one path segment. */
export const itemNameSchema = segmentNameSchema({
  empty: 'Enter a name.',
  slash: "A name cannot contain '/'. To put it in another folder, use Move.",
  dots: "A name cannot be '.' or '..'.",
  long: 'Keep the name under 255 bytes.',
});

/** One version of a key, or a delete marker. */
export interface ObjectVersion {
  versionId: string;
  isLatest: boolean;
  isDeleteMarker: boolean;
  size: number;
  lastModified: string | null;
  etag: string | null;
  storageClass: string | null;
}

/** A key's versions, newest first, or why the service has none. */
export interface VersionListing {
  supported: boolean;
  reason: string | null;
  bucketVersioning: 'enabled' | 'suspended' | 'off';
  versions: ObjectVersion[];
}

/** Two or more selected items that a copy or move would put on one destination name. */
export interface SelectionCollision {
  /** The destination key they would share ("z/f.txt", or "z/photos/" for folders). */
  key: string;
  /** The selected items that would land there, in the order they were given. */
  items: string[];
}

/** What `objects.conflicts` finds before a copy or move, so the person can choose first. */
export interface TransferConflicts {
  /** Names of selected items that exist at the destination already. */
  conflicts: string[];
  /** Selected items that would land on the same name as each other (search results span folders). */
  collisions: SelectionCollision[];
}

/**
 * The selected items that share a destination name, grouped by the key they would land on.
 * Search results list keys from many folders, so "x/f.txt" and "y/f.txt" can be selected
 * together; copied into one folder, the second would overwrite the first. Files and folders
 * never share a name here ("f" is not "f/"), and distinct names never share a key below them.
 */
export function selectionCollisions(items: readonly string[], targetPrefix: string): SelectionCollision[] {
  const byKey = new Map<string, string[]>();
  // The same key given twice is one item, not a collision.
  for (const item of new Set(items)) {
    const key = targetPrefix + lastSegment(item);
    const group = byKey.get(key);
    if (group) group.push(item);
    else byKey.set(key, [item]);
  }
  return [...byKey].filter(([, group]) => group.length > 1).map(([key, group]) => ({ key, items: group }));
}
