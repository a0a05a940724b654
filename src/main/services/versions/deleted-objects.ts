import {
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  type ObjectIdentifier,
  type S3Client,
} from '@aws-sdk/client-s3';
import { countOf } from '../../../shared/names';
import { displayName, type FileEntry, type FolderEntry } from '../../../shared/objects';
import type { DeletedListingPage, DeletedVersionCount } from '../../../shared/versions';
import { AppFailure } from '../app-failure';
import { inParallel } from '../details/in-parallel';
import type { OperationContext } from '../operations/operation-registry';
import { deleteInBatches } from '../s3/delete-objects';
import { eachPageOneBehind } from '../s3/empty-bucket';
import { entriesOf, versionPages, type VersionEntry } from './version-pages';

/** What one page request for deleted files asks for. */
export interface DeletedPageRequest {
  bucket: string;
  prefix: string;
  continuationToken?: string;
  pageSize: number;
  /** Aborts the request when whoever asked has gone. */
  signal?: AbortSignal;
}

/** A continuation token of the deleted files' listing: ListObjectVersions' two markers, as JSON. */
interface VersionMarker {
  KeyMarker: string;
  VersionIdMarker?: string;
}

function tokenOf(marker: VersionMarker): string {
  return JSON.stringify([marker.KeyMarker, marker.VersionIdMarker ?? null]);
}

function markerOf(token: string): VersionMarker {
  try {
    const [key, version] = JSON.parse(token) as unknown[];
    if (typeof key === 'string' && (version === null || typeof version === 'string')) {
      return { KeyMarker: key, ...(version ? { VersionIdMarker: version } : {}) };
    }
  } catch {
    // Falls through to the error below.
  }
  throw new AppFailure('invalid-input', 'The listing of deleted files cannot go on from there: list the folder again.');
}

/**
 * One page of a folder's deleted files: ListObjectVersions with the folder's prefix and the '/'
 * delimiter, keeping the keys whose latest version is a delete marker, and the subfolders that
 * hold versions but nothing live (each checked with one ListObjectsV2 of one key). Paged like `objects.list`:
 * the renderer asks for the next page with the token, so a folder with a long history is never
 * listed whole at once. A page that sends the caller back to the token it came with is an error.
 */
export async function listDeletedPage(client: S3Client, request: DeletedPageRequest): Promise<DeletedListingPage> {
  const { bucket, prefix } = request;
  const output = await client.send(
    new ListObjectVersionsCommand({
      Bucket: bucket,
      ...(prefix ? { Prefix: prefix } : {}),
      Delimiter: '/',
      MaxKeys: request.pageSize,
      ...(request.continuationToken ? markerOf(request.continuationToken) : {}),
    }),
    request.signal ? { abortSignal: request.signal } : {},
  );
  const nextToken =
    output.IsTruncated && output.NextKeyMarker
      ? tokenOf({
          KeyMarker: output.NextKeyMarker,
          ...(output.NextVersionIdMarker ? { VersionIdMarker: output.NextVersionIdMarker } : {}),
        })
      : null;
  if (nextToken !== null && nextToken === request.continuationToken) {
    throw new AppFailure(
      'internal',
      `The service answered the listing of deleted files in s3://${bucket}/${prefix} with the same page again: it was stopped, so as not to ask for ever.`,
    );
  }
  const entries = entriesOf(output);
  const files: FileEntry[] = [];
  let key: string | null = null;
  // The deleted file whose older versions follow, until one gives its size.
  let unsized: FileEntry | null = null;
  for (const entry of entries) {
    if (entry.key !== key) {
      key = entry.key;
      unsized = null;
      // The folder's own marker object ("photos/" in "photos/") is not one of its files.
      if (entry.isLatest && entry.isDeleteMarker && entry.key !== prefix) {
        unsized = {
          kind: 'file',
          key: entry.key,
          name: displayName(entry.key, prefix),
          size: 0,
          lastModified: entry.lastModified?.toISOString() ?? null,
          storageClass: null,
          etag: null,
          deleted: true,
        };
        files.push(unsized);
      }
      continue;
    }
    if (unsized && !entry.isDeleteMarker) {
      unsized.size = entry.size;
      unsized = null;
    }
  }
  const withHistory = (output.CommonPrefixes ?? [])
    .map((p) => p.Prefix)
    .filter((p): p is string => typeof p === 'string');
  const live = new Set<string>();
  await inParallel(
    withHistory,
    FOLDER_CHECKS_IN_PARALLEL,
    async (folder) => {
      if (await holdsLiveObject(client, bucket, folder, request.signal)) live.add(folder);
    },
    request.signal,
  );
  const folders: FolderEntry[] = withHistory
    .filter((folder) => !live.has(folder))
    .map((folder) => ({ kind: 'folder', key: folder, name: displayName(folder, prefix), deleted: true }));
  return { files, folders, scanned: entries.length + withHistory.length, nextToken };
}

/** How many subfolders of one page are checked for live objects at once. */
const FOLDER_CHECKS_IN_PARALLEL = 8;

/**
 * Whether anything live is under a folder (one ListObjectsV2 of one key). A subfolder in the
 * version listing may hold only deleted files; some services (MinIO) still list such a folder
 * in the plain listing, so the plain listing cannot tell, and this asks.
 */
async function holdsLiveObject(client: S3Client, bucket: string, folder: string, signal?: AbortSignal) {
  const output = await client.send(
    new ListObjectsV2Command({ Bucket: bucket, Prefix: folder, MaxKeys: 1 }),
    signal ? { abortSignal: signal } : {},
  );
  return (output.KeyCount ?? output.Contents?.length ?? 0) > 0;
}

/** What an action on deleted files removes: the delete markers on top (undelete), or every version (purge). */
export type DeletedFilesAction = 'undelete' | 'purge';

/** What the picker chose from some entries. */
interface Picked {
  /** Versions and delete markers to delete. */
  targets: ObjectIdentifier[];
  /** Deleted files met (their latest version is a delete marker). */
  files: string[];
  /** Undelete: files that come back once their targets are deleted. */
  restored: string[];
  /** Undelete: files with delete markers only, which have nothing to bring back. */
  noEarlier: string[];
}

const nothingPicked = (): Picked => ({ targets: [], files: [], restored: [], noEarlier: [] });

/**
 * Chooses, from entries in S3's order (by key, newest first; a key's entries may span pages),
 * what an action deletes. Only keys whose latest version is a delete marker are touched: a file
 * that exists again (uploaded after the list was shown) is left alone. Undelete takes the delete
 * markers on top of a key, down to its newest version, which becomes current; a key with markers
 * only has nothing to bring back and is left as it is. Purge takes every version and marker.
 */
export function createDeletedPicker(action: DeletedFilesAction) {
  let key: string | null = null;
  let deleted = false;
  let leading = true;
  // Undelete: the key's markers on top, held until a version below them shows they bring it back.
  let held: ObjectIdentifier[] = [];
  const endKey = (out: Picked): void => {
    if (action === 'undelete' && deleted && leading && key !== null) out.noEarlier.push(key);
    held = [];
  };
  return {
    /** Takes the next entries of the walk. */
    take(entries: readonly VersionEntry[]): Picked {
      const out = nothingPicked();
      for (const entry of entries) {
        if (entry.key !== key) {
          endKey(out);
          key = entry.key;
          deleted = entry.isLatest && entry.isDeleteMarker;
          leading = true;
          if (deleted) out.files.push(entry.key);
        }
        if (!deleted) continue;
        const id: ObjectIdentifier = { Key: entry.key, VersionId: entry.versionId };
        if (action === 'purge') {
          out.targets.push(id);
        } else if (leading) {
          if (entry.isDeleteMarker) {
            held.push(id);
          } else {
            leading = false;
            out.targets.push(...held);
            out.restored.push(entry.key);
            held = [];
          }
        }
      }
      return out;
    },
    /** Ends the walk: the last key's markers without a version below them are reported. */
    finish(): Picked {
      const out = nothingPicked();
      endKey(out);
      key = null;
      return out;
    },
  };
}

/** How one listing of an item goes: a file's own versions, or everything under a folder. */
function walkOf(bucket: string, item: string, pageSize: number | undefined) {
  return {
    bucket,
    prefix: item,
    ...(item.endsWith('/') ? {} : { key: item }),
    ...(pageSize ? { pageSize } : {}),
  };
}

/** What a person reads for a file that Undelete cannot bring back. */
export const NOTHING_TO_UNDELETE =
  'There is no earlier version to bring back, only delete markers: Delete for good removes them.';

/**
 * Undeletes (removes the delete markers on top, so the version below is current again) or
 * deletes for good (every version and delete marker) the deleted files among the items, folders
 * with every deleted file under them. Versions are listed page by page and each page is deleted
 * once the next one was asked for (see eachPageOneBehind), in DeleteObjects batches; a cancelled
 * operation stops between requests. An item with no deleted file (it exists again, or never did)
 * is reported, as is each version the service refuses to delete.
 */
export async function changeDeletedObjects(
  client: S3Client,
  bucket: string,
  items: readonly string[],
  action: DeletedFilesAction,
  context: OperationContext,
  options: { pageSize?: number } = {},
) {
  let files = 0;
  let versions = 0;
  for (const item of items) {
    if (context.signal.aborted) break;
    const picker = createDeletedPicker(action);
    let found = 0;
    const act = async (picked: Picked): Promise<void> => {
      found += picked.files.length;
      for (const key of picked.noEarlier) context.fail(key, NOTHING_TO_UNDELETE);
      if (picked.targets.length === 0 || context.signal.aborted) return;
      const refused = await deleteInBatches(client, bucket, picked.targets);
      const failedKeys = new Set<string>();
      for (const { key, message } of refused) {
        if (failedKeys.has(key)) continue;
        failedKeys.add(key);
        context.fail(key, message);
      }
      versions += picked.targets.length - refused.length;
      if (action === 'undelete') {
        const back = picked.restored.filter((key) => !failedKeys.has(key)).length;
        files += back;
        context.advance(back);
      } else {
        files += picked.files.length;
        context.advance(picked.targets.length - refused.length);
      }
    };
    const pages = versionPages(client, walkOf(bucket, item, options.pageSize), { signal: context.signal });
    await eachPageOneBehind(pages, (entries) => act(picker.take(entries)));
    await act(picker.finish());
    if (found === 0 && !context.signal.aborted) {
      context.fail(
        item,
        item.endsWith('/')
          ? 'There are no deleted files in it.'
          : 'It is not deleted: it exists again, or is gone for good.',
      );
    }
  }
  return (_done: number, failed: number) => {
    const did =
      action === 'undelete'
        ? `Undeleted ${countOf(files, 'file')}.`
        : `Deleted ${countOf(files, 'file')} for good (${countOf(versions, 'version or delete marker', 'versions and delete markers')}).`;
    return failed === 0 ? did : `${did} ${failed} could not be.`;
  };
}

/** The most versions "Delete for good" counts before it asks: enough to say how much goes, quickly. */
export const COUNT_LIMIT = 10_000;

/**
 * Counts what "Delete for good" would remove from the items: their deleted files and all the
 * versions and delete markers of those, stopping at `limit` versions (then `more` says there
 * are at least that many). Fails as cancelled once the signal aborts.
 */
export async function countDeletedVersions(
  client: S3Client,
  bucket: string,
  items: readonly string[],
  options: { limit?: number; pageSize?: number; signal?: AbortSignal } = {},
): Promise<DeletedVersionCount> {
  const limit = options.limit ?? COUNT_LIMIT;
  let files = 0;
  let versions = 0;
  for (const item of items) {
    const picker = createDeletedPicker('purge');
    const pages = versionPages(client, walkOf(bucket, item, options.pageSize), {
      ...(options.signal ? { signal: options.signal } : {}),
      onCancel: 'throw',
    });
    for await (const entries of pages) {
      const picked = picker.take(entries);
      files += picked.files.length;
      versions += picked.targets.length;
      if (versions >= limit) return { files, versions, more: true };
    }
  }
  return { files, versions, more: false };
}
