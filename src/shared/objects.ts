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
