import type { Availability } from './details';
import type { FileEntry, FolderEntry } from './objects';

/**
 * A bucket's versioning as the app reads it: on, suspended (versions kept so far stay), never
 * turned on (a bucket can only be suspended once turned on, never returned to this), or
 * unavailable with why (the service keeps no versions).
 */
export type BucketVersioning = Availability<'enabled' | 'suspended' | 'never-enabled'>;

/**
 * One page of the deleted files of a folder ("Show deleted files"): ListObjectVersions with the
 * folder's prefix and the '/' delimiter, keeping the keys whose latest version is a delete marker.
 */
export interface DeletedListingPage {
  /**
   * Files whose latest version is a delete marker, with `deleted: true`. `lastModified` is when
   * it was deleted; `size` is the size of the version before the marker where this page lists it
   * (0 where it does not).
   */
  files: FileEntry[];
  /**
   * Subfolders that hold deleted files and nothing live, with `deleted: true`. Some services
   * (MinIO) still list such a folder in the plain listing; there, the deleted one replaces it.
   */
  folders: FolderEntry[];
  /** Versions, delete markers and folders this page read (a folder of live files reads many and finds none). */
  scanned: number;
  /** Pass it back to get the next page; null on the last page. */
  nextToken: string | null;
}

/** What "Delete for good" would remove, counted before the person confirms. */
export interface DeletedVersionCount {
  /** Deleted files (keys whose latest version is a delete marker) among the items. */
  files: number;
  /** Their versions and delete markers: every one goes. */
  versions: number;
  /** Counting stopped at its limit: there are at least this many. */
  more: boolean;
}
