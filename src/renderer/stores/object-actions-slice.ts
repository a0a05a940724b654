import type { StateCreator } from 'zustand';
import { appError } from '../../shared/errors';
import { lastSegment, parentOf } from '../../shared/names';
import type { TransferConflicts, VersionListing } from '../../shared/objects';
import type { Result } from '../../shared/result';
import type { EncryptionChoice } from '../../shared/transfers';
import type { AppState, StoreDependencies } from './app-state';
import type { BrowserLocation } from './selection-slice';

/** What to do with items that exist at a copy's or move's destination. */
export type ConflictChoice = 'replace' | 'skip' | 'keep-both';

/** Where a copy or move goes. */
export interface TransferTarget {
  bucket: string;
  /** '' or a prefix ending in '/'. */
  prefix: string;
}

/**
 * The object and bucket operations the dialogs start. Each returns the service's Result, so
 * a dialog can show a failure (a name that exists, a bucket that is not empty) and stay open;
 * long ones return at once and report in the transfers panel and a toast.
 */
export interface ObjectActionsSlice {
  createFolder: (location: BrowserLocation, name: string) => Promise<Result<{ key: string }>>;
  renameItem: (location: BrowserLocation, key: string, newName: string) => Promise<Result<{ operationId: string }>>;
  deleteItems: (location: BrowserLocation, keys: string[]) => Promise<Result<{ operationId: string }>>;
  /** The names among `items` that exist at the target already, and the items that would land on one name. */
  findConflicts: (
    location: BrowserLocation,
    items: string[],
    target: TransferTarget,
  ) => Promise<Result<TransferConflicts>>;
  transferItems: (
    mode: 'copy' | 'move',
    location: BrowserLocation,
    items: string[],
    target: TransferTarget,
    onConflict: ConflictChoice,
    /** Applied to every copy; absent keeps each object's own encryption. */
    encryption?: EncryptionChoice,
  ) => Promise<Result<{ operationId: string }>>;
  /** Creates a bucket, lists the account's buckets and opens the new one. */
  /** Creates a bucket, with Object Lock where asked (only creation can give it). */
  createBucket: (
    accountId: string,
    name: string,
    region: string,
    objectLock?: boolean,
  ) => Promise<Result<{ name: string }>>;
  /** Deletes an empty bucket; a bucket with objects in it comes back as a `conflict` saying so. */
  deleteBucket: (accountId: string, name: string) => Promise<Result<{ deleted: true }>>;
  /** Tells whether a bucket holds any object (one key listed). */
  isBucketEmpty: (accountId: string, name: string) => Promise<Result<boolean>>;
  /**
   * Deletes everything in a bucket (its top-level files and folders, folders recursively, in
   * long operations shown in the transfers panel), then the bucket. Says how it went in a toast.
   */
  /** Deletes a bucket and everything in it, versions included; `confirmName` is what the person typed. */
  emptyAndDeleteBucket: (accountId: string, name: string, confirmName: string) => Promise<Result<{ deleted: true }>>;
  /** A file's versions and delete markers, newest first (asked for, never listed while browsing). */
  listVersions: (location: BrowserLocation, key: string) => Promise<Result<VersionListing>>;
  /** Copies a version over the current one (a new current version); the folder refreshes by itself. */
  restoreVersion: (location: BrowserLocation, key: string, versionId: string) => Promise<Result<unknown>>;
  /** Deletes one version or delete marker for good. */
  deleteVersion: (location: BrowserLocation, key: string, versionId: string) => Promise<Result<unknown>>;
}

/** Creates the object actions slice over the given API. */
export function createObjectActionsSlice(deps: StoreDependencies): StateCreator<AppState, [], [], ObjectActionsSlice> {
  return (_set, get) => {
    const { api } = deps;

    /** Lists the buckets again and leaves the deleted one (the selection moves up to its account). */
    async function afterBucketDeleted(accountId: string, name: string): Promise<void> {
      await get().loadBuckets(accountId);
      get().notify(`Bucket “${name}” deleted`, 'success');
    }

    const versionTarget = (location: BrowserLocation, key: string) => ({
      accountId: location.accountId,
      bucket: location.bucket,
      key,
    });

    return {
      listVersions: (location, key) => api.versions.list(versionTarget(location, key)),

      async restoreVersion(location, key, versionId) {
        const result = await api.versions.restore({ ...versionTarget(location, key), versionId });
        if (result.ok) get().notify(`Restored an earlier version of “${lastSegment(key)}”`, 'success');
        return result;
      },

      async deleteVersion(location, key, versionId) {
        const result = await api.versions.delete({ ...versionTarget(location, key), versionId });
        if (result.ok) get().notify(`Deleted a version of “${lastSegment(key)}”`, 'success');
        return result;
      },

      async createFolder(location, name) {
        const result = await api.folders.create({
          accountId: location.accountId,
          bucket: location.bucket,
          parent: location.prefix,
          name,
        });
        // The list refreshes on objects.changed; the new folder is selected when it shows up.
        if (result.ok) get().revealKey(result.value.key);
        return result;
      },

      async renameItem(location, key, newName) {
        const result = await api.objects.rename({
          accountId: location.accountId,
          bucket: location.bucket,
          key,
          newName,
        });
        if (result.ok) get().revealKey(parentOf(key) + newName + (key.endsWith('/') ? '/' : ''));
        return result;
      },

      deleteItems: (location, keys) =>
        api.objects.delete({ accountId: location.accountId, bucket: location.bucket, keys }),

      findConflicts: (location, items, target) =>
        api.objects.conflicts({
          accountId: location.accountId,
          sourceBucket: location.bucket,
          items,
          targetBucket: target.bucket,
          targetPrefix: target.prefix,
        }),

      transferItems: (mode, location, items, target, onConflict, encryption) =>
        api.objects.transfer({
          accountId: location.accountId,
          mode,
          sourceBucket: location.bucket,
          items,
          targetBucket: target.bucket,
          targetPrefix: target.prefix,
          onConflict,
          ...(encryption ? { encryption } : {}),
        }),

      async createBucket(accountId, name, region, objectLock = false) {
        const result = await api.buckets.create({ accountId, name, region, objectLock });
        if (!result.ok) return result;
        await get().loadBuckets(accountId);
        if (get().bucketLists[accountId]?.buckets.some((b) => b.name === name)) {
          get().navigate({ accountId, bucket: name, prefix: '' });
        }
        get().notify(`Bucket “${name}” created`, 'success');
        return result;
      },

      async deleteBucket(accountId, name) {
        const result = await api.buckets.delete({ accountId, name });
        if (result.ok) await afterBucketDeleted(accountId, name);
        return result;
      },

      async isBucketEmpty(accountId, name) {
        const result = await api.objects.list({ accountId, bucket: name, prefix: '', recursive: true, pageSize: 1 });
        return result.ok ? { ok: true, value: result.value.files.length === 0 } : result;
      },

      async emptyAndDeleteBucket(accountId, name, confirmName) {
        // One operation in main: every version, delete marker and unfinished upload, then the bucket.
        const started = await api.buckets.deleteWithContents({ accountId, name, confirmName });
        if (!started.ok) return started;
        const outcome = await get().waitForOperation(started.value.operationId);
        if (outcome.state !== 'finished') {
          return {
            ok: false,
            error: appError(outcome.state === 'cancelled' ? 'cancelled' : 'internal', outcome.summary),
          };
        }
        await afterBucketDeleted(accountId, name);
        return { ok: true, value: { deleted: true } };
      },
    };
  };
}

/** The name a dialog shows for a key: its last segment without the folder's '/'. */
export function itemName(key: string): string {
  return lastSegment(key).replace(/\/$/, '');
}
