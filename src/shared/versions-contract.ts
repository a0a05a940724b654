import { z } from 'zod';
import { request } from './contract-spec';
import { MAX_PAGE_SIZE, type VersionListing } from './objects';
import type { BucketVersioning, DeletedListingPage, DeletedVersionCount } from './versions';

const accountId = z.string().min(1).max(200);
const bucket = z.string().min(1).max(255);
const objectKey = z.string().min(1).max(1024);
const versionId = z.string().min(1).max(1024);
/** Deleted files and folders (keys ending in '/') to act on. */
const items = z.array(objectKey).min(1, 'Select a deleted file or folder first.').max(10_000);

/** Request channels of object versions and deleted files, spread into the contract. */
export const versionRequests = {
  /** A file's versions and delete markers (only when the person asks: never during browsing). */
  'versions.list': request<VersionListing>()(z.object({ accountId, bucket, key: objectKey }).strict()),
  /** Copies a version over the current one; returns the new current version id. */
  'versions.restore': request<{ versionId: string | null }>()(
    z.object({ accountId, bucket, key: objectKey, versionId }).strict(),
  ),
  'versions.delete': request<{ deleted: true }>()(z.object({ accountId, bucket, key: objectKey, versionId }).strict()),
  /** Whether a bucket keeps versions (on, suspended, never turned on), or why the service has none. */
  'versions.bucketState': request<BucketVersioning>()(z.object({ accountId, bucket }).strict()),
  /**
   * One page of a folder's deleted files (latest version a delete marker) and of its subfolders
   * that hold versions: ListObjectVersions with the '/' delimiter, paged as `objects.list` is.
   */
  'versions.listDeleted': request<DeletedListingPage>()(
    z
      .object({
        accountId,
        bucket,
        prefix: z.string().max(1024),
        continuationToken: z.string().max(4096).optional(),
        pageSize: z.number().int().min(1).max(MAX_PAGE_SIZE).default(MAX_PAGE_SIZE),
      })
      .strict(),
  ),
  /**
   * Brings deleted files back: removes the delete markers that are the latest versions of each
   * (folders: of every deleted file under them), so the version before becomes current again.
   * Returns at once; progress follows as operation events.
   */
  'versions.undelete': request<{ operationId: string }>()(z.object({ accountId, bucket, items }).strict()),
  /** How many versions and delete markers "Delete for good" would remove (counted up to a limit). */
  'versions.countForGood': request<DeletedVersionCount>()(z.object({ accountId, bucket, items }).strict()),
  /**
   * Removes every version and delete marker of each deleted file (folders: of every deleted file
   * under them); files that exist again meanwhile are left alone. Returns at once, as a long operation.
   */
  'versions.deleteForGood': request<{ operationId: string }>()(z.object({ accountId, bucket, items }).strict()),
} as const;
