import { ListObjectVersionsCommand, type ListObjectVersionsCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import { boundedPages, type BoundedPagesOptions } from '../s3/bounded-pages';

/** One version or delete marker of a key. */
export interface VersionEntry {
  key: string;
  /** 'null' for the null version (written while versioning was off or suspended). */
  versionId: string;
  isDeleteMarker: boolean;
  isLatest: boolean;
  lastModified: Date | undefined;
  size: number;
}

/** S3 lists keys in the order of their UTF-8 bytes, which JavaScript's string order is not (past U+FFFF). */
function compareKeys(a: string, b: string): number {
  return a === b ? 0 : Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * The versions and delete markers of one ListObjectVersions page in S3's own order: by key, and
 * newest first within a key. The SDK hands versions and markers over as two lists, so the order
 * between them is made again here: the latest first, then by date.
 */
export function entriesOf(page: ListObjectVersionsCommandOutput): VersionEntry[] {
  const entries: VersionEntry[] = [];
  for (const v of page.Versions ?? []) {
    if (typeof v.Key !== 'string') continue;
    entries.push({
      key: v.Key,
      versionId: v.VersionId ?? 'null',
      isDeleteMarker: false,
      isLatest: v.IsLatest === true,
      lastModified: v.LastModified,
      size: v.Size ?? 0,
    });
  }
  for (const m of page.DeleteMarkers ?? []) {
    if (typeof m.Key !== 'string') continue;
    entries.push({
      key: m.Key,
      versionId: m.VersionId ?? 'null',
      isDeleteMarker: true,
      isLatest: m.IsLatest === true,
      lastModified: m.LastModified,
      size: 0,
    });
  }
  return entries.sort(
    (a, b) =>
      compareKeys(a.key, b.key) ||
      Number(b.isLatest) - Number(a.isLatest) ||
      (b.lastModified?.getTime() ?? 0) - (a.lastModified?.getTime() ?? 0),
  );
}

/** Which versions a walk lists: every key under a prefix, or one key alone. */
export interface VersionWalk {
  bucket: string;
  prefix: string;
  /** Only this key's versions (ListObjectVersions matches by prefix, so "a.txt" also finds "a.txt.bak"). */
  key?: string;
  /** Versions per page (S3's default and most is 1,000). */
  pageSize?: number;
}

/**
 * Every version and delete marker below a prefix (or of one key), one ListObjectVersions page at
 * a time through boundedPages, so a folder of a million versions never sits in memory whole and
 * a service that leads nowhere gets a clear error. Stops between pages (and aborts the request in
 * flight) once the signal aborts.
 */
export function versionPages(
  client: S3Client,
  walk: VersionWalk,
  options: Omit<BoundedPagesOptions, 'what'>,
): AsyncGenerator<VersionEntry[]> {
  const { key } = walk;
  return boundedPages<VersionEntry, { KeyMarker: string; VersionIdMarker?: string }>(
    async (marker) => {
      const page = await client.send(
        new ListObjectVersionsCommand({
          Bucket: walk.bucket,
          ...(walk.prefix ? { Prefix: walk.prefix } : {}),
          ...(walk.pageSize ? { MaxKeys: walk.pageSize } : {}),
          ...marker,
        }),
        options.signal ? { abortSignal: options.signal } : {},
      );
      const entries = entriesOf(page);
      const items = key === undefined ? entries : entries.filter((e) => e.key === key);
      // Past the one key once the page lists another (one that merely starts with it): later pages
      // hold only such keys. Not judged by NextKeyMarker, which MinIO makes opaque ("a.txt[minio_cache:v2,…]").
      const pastKey = key !== undefined && items.length < entries.length;
      const next = page.NextKeyMarker
        ? {
            KeyMarker: page.NextKeyMarker,
            ...(page.NextVersionIdMarker ? { VersionIdMarker: page.NextVersionIdMarker } : {}),
          }
        : undefined;
      return { items, truncated: page.IsTruncated === true && !pastKey, next };
    },
    { ...options, what: `version listing of s3://${walk.bucket}/${key ?? walk.prefix}` },
  );
}
