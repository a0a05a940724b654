import type { StateCreator } from 'zustand';
import type { AppError } from '../../shared/errors';
import type { DeletedVersionCount, BucketVersioning } from '../../shared/versions';
import type { Result } from '../../shared/result';
import type { BrowserEntry } from '../features/browser/entries';
import type { AppState, StoreDependencies } from './app-state';
import { capabilityKey } from './capabilities-slice';
import type { ObjectsChange } from './listing-slice';
import { sameLocation, type BrowserLocation } from './selection-slice';

/** A bucket's versioning as read from main: on its way, known, or not readable (then: unknown). */
export interface BucketVersioningEntry {
  status: 'loading' | 'ready' | 'error';
  value: BucketVersioning | null;
}

/** The deleted files of the folder the list shows ("Show deleted files"), listed page by page. */
export interface DeletedListing {
  location: BrowserLocation | null;
  /** Deleted files, and subfolders with history (the list keeps those it does not have itself). */
  entries: BrowserEntry[];
  /** `stopped`: the person stopped loading; more deleted files may exist. */
  status: 'idle' | 'loading' | 'ready' | 'stopped' | 'error';
  /** Versions and delete markers read so far (a folder of live files reads many and finds none). */
  scanned: number;
  error: AppError | null;
}

/**
 * Bucket versioning as the browser needs it: whether a bucket keeps versions (the delete
 * dialog's words, the "Show deleted files" toggle), and the deleted files of the folder shown,
 * with Undelete and Delete for good.
 */
export interface VersioningSlice {
  /** By `capabilityKey(accountId, bucket)`. */
  bucketVersioning: Record<string, BucketVersioningEntry>;
  /** Reads a bucket's versioning unless it is known or on its way (`reload`: read it again). */
  loadBucketVersioning: (accountId: string, bucket: string, options?: { reload?: boolean }) => Promise<void>;
  /** Takes a bucket's versioning that another view read or changed (the details panel). */
  receiveBucketVersioning: (accountId: string, bucket: string, value: BucketVersioning) => void;
  /** The "Show deleted files" toggle: kept while moving between folders and buckets. */
  showDeleted: boolean;
  setShowDeleted: (on: boolean) => void;
  deletedListing: DeletedListing;
  /** Lists the deleted files of a folder unless it is listed or being listed (null: none). */
  listDeletedAt: (location: BrowserLocation | null) => void;
  /** Lists the shown folder's deleted files again. */
  refreshDeleted: () => void;
  /** Stops listing deleted files; what arrived stays. */
  stopDeletedLoading: () => void;
  /** Takes main's `objects.changed`: the shown folder's deleted files are listed again. */
  receiveDeletedChanged: (change: ObjectsChange) => void;
  /** Brings deleted files (and folders of them) back: a long operation, shown in the transfers panel. */
  undeleteItems: (location: BrowserLocation, keys: string[]) => Promise<Result<{ operationId: string }>>;
  /** How many versions and delete markers Delete for good would remove (counted up to a limit). */
  countForGood: (location: BrowserLocation, keys: string[]) => Promise<Result<DeletedVersionCount>>;
  /** Removes every version and delete marker of deleted files: a long operation. */
  deleteItemsForGood: (location: BrowserLocation, keys: string[]) => Promise<Result<{ operationId: string }>>;
}

/** The list before any deleted file was asked for. */
export const noDeletedListing: DeletedListing = {
  location: null,
  entries: [],
  status: 'idle',
  scanned: 0,
  error: null,
};

/** Creates the versioning slice. */
export function createVersioningSlice(deps: StoreDependencies): StateCreator<AppState, [], [], VersioningSlice> {
  return (set, get) => {
    const { api } = deps;
    // Each listing run takes a number; a page whose run is no longer the newest is dropped.
    let generation = 0;
    const versioningRuns = new Map<string, number>();

    async function run(location: BrowserLocation, mode: 'replace' | 'refresh'): Promise<void> {
      const mine = ++generation;
      set((state) => ({
        deletedListing:
          mode === 'replace'
            ? { ...noDeletedListing, location, status: 'loading' }
            : { ...state.deletedListing, status: 'loading', error: null },
      }));
      // A refresh keeps the old rows until the new listing is complete, so they do not flicker.
      const collected: BrowserEntry[] = [];
      let scanned = 0;
      let token: string | undefined;
      for (;;) {
        const result = await api.versions.listDeleted({
          accountId: location.accountId,
          bucket: location.bucket,
          prefix: location.prefix,
          ...(token ? { continuationToken: token } : {}),
        });
        if (mine !== generation) return;
        if (!result.ok) {
          set((state) => ({
            deletedListing: {
              ...state.deletedListing,
              entries: mode === 'replace' ? collected.slice() : state.deletedListing.entries,
              status: 'error',
              error: result.error,
            },
          }));
          return;
        }
        const page = result.value;
        collected.push(...page.folders, ...page.files);
        scanned += page.scanned;
        token = page.nextToken ?? undefined;
        const done = token === undefined;
        if (done || mode === 'replace') {
          set((state) => ({
            deletedListing: {
              ...state.deletedListing,
              entries: collected.slice(),
              scanned,
              status: done ? 'ready' : 'loading',
            },
          }));
        }
        if (done) return;
      }
    }

    return {
      bucketVersioning: {},

      async loadBucketVersioning(accountId, bucket, options) {
        const key = capabilityKey(accountId, bucket);
        const entry = get().bucketVersioning[key];
        if (entry && entry.status !== 'error' && !options?.reload) return;
        const runNumber = (versioningRuns.get(key) ?? 0) + 1;
        versioningRuns.set(key, runNumber);
        set((state) => ({
          bucketVersioning: {
            ...state.bucketVersioning,
            [key]: { status: 'loading', value: state.bucketVersioning[key]?.value ?? null },
          },
        }));
        const result = await api.versions.bucketState({ accountId, bucket });
        if (versioningRuns.get(key) !== runNumber) return;
        set((state) => ({
          bucketVersioning: {
            ...state.bucketVersioning,
            [key]: result.ok ? { status: 'ready', value: result.value } : { status: 'error', value: null },
          },
        }));
      },

      receiveBucketVersioning(accountId, bucket, value) {
        const key = capabilityKey(accountId, bucket);
        versioningRuns.set(key, (versioningRuns.get(key) ?? 0) + 1);
        set((state) => ({ bucketVersioning: { ...state.bucketVersioning, [key]: { status: 'ready', value } } }));
      },

      showDeleted: false,

      setShowDeleted(on) {
        set({ showDeleted: on });
        if (on) {
          // The folder listed again too, so live and deleted files are one moment's view (a file
          // deleted elsewhere since the folder was listed would otherwise show as live only).
          get().refreshListing();
        } else {
          generation++;
          set({ deletedListing: noDeletedListing });
        }
      },

      deletedListing: noDeletedListing,

      listDeletedAt(location) {
        const current = get().deletedListing;
        if (!location) {
          if (current.location) {
            generation++;
            set({ deletedListing: noDeletedListing });
          }
          return;
        }
        if (sameLocation(current.location, location) && current.status !== 'error') return;
        void run(location, 'replace');
      },

      refreshDeleted() {
        const { location } = get().deletedListing;
        if (location) void run(location, 'refresh');
      },

      stopDeletedLoading() {
        const current = get().deletedListing;
        if (current.status !== 'loading') return;
        generation++;
        set({ deletedListing: { ...current, status: 'stopped' } });
      },

      receiveDeletedChanged({ accountId, bucket, prefix }) {
        const shown = get().deletedListing.location;
        if (!shown || shown.accountId !== accountId || shown.bucket !== bucket || prefix !== shown.prefix) return;
        get().refreshDeleted();
      },

      undeleteItems: (location, keys) =>
        api.versions.undelete({ accountId: location.accountId, bucket: location.bucket, items: keys }),

      countForGood: (location, keys) =>
        api.versions.countForGood({ accountId: location.accountId, bucket: location.bucket, items: keys }),

      deleteItemsForGood: (location, keys) =>
        api.versions.deleteForGood({ accountId: location.accountId, bucket: location.bucket, items: keys }),
    };
  };
}
