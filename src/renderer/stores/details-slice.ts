import type { StateCreator } from 'zustand';
import type { EventPayload } from '../../shared/contract';
import type { BucketDetails, CustomerKeyStatus, ObjectDetails, ObjectEdit } from '../../shared/details';
import type { AppError } from '../../shared/errors';
import type { Result } from '../../shared/result';
import type { AppState, StoreDependencies } from './app-state';

/** One object the details panel is about. */
export interface ObjectTarget {
  accountId: string;
  bucket: string;
  key: string;
}

/** Something loaded from main for a subject: its state, the value once there, and the failure if any. */
export interface Loaded<Subject, Value> {
  subject: Subject | null;
  /** `loading` keeps the previous value of the same subject on screen (a reload after an edit). */
  status: 'idle' | 'loading' | 'ready' | 'error';
  value: Value | null;
  error: AppError | null;
}

/** A bucket the panel is about. */
export interface BucketTarget {
  accountId: string;
  bucket: string;
}

/** A folder whose size was asked for. */
export interface FolderTarget extends BucketTarget {
  prefix: string;
}

/** The payload of `details.changed`. */
export type DetailsChange = EventPayload<'details.changed'>;

/** What the details panel loaded for the selection (object properties, bucket properties, keys). */
export interface DetailsSlice {
  objectDetails: Loaded<ObjectTarget, ObjectDetails>;
  bucketDetails: Loaded<BucketTarget, BucketDetails>;
  folderSize: Loaded<FolderTarget, { objects: number; bytes: number }>;
  /** Per account: whether an SSE-C customer key is stored, and its fingerprint (never the key). */
  customerKeys: Record<string, Loaded<string, CustomerKeyStatus>>;
  /**
   * Shows one object's details (null: none). Selection changes come fast (arrow keys down the
   * list), so the request waits DETAILS_DEBOUNCE_MS for the selection to settle; an answer for
   * an object that is no longer shown is dropped.
   */
  showObjectDetails: (target: ObjectTarget | null) => void;
  /** Loads the shown object's details again, now (after an edit, a refresh, a change event). */
  reloadObjectDetails: () => void;
  /** Shows a bucket's properties (null: none); loaded once per bucket until reloaded. */
  showBucketDetails: (target: BucketTarget | null, options?: { reload?: boolean }) => void;
  /** Turns versioning on or suspends it; the bucket's properties come back updated. */
  setBucketVersioning: (target: BucketTarget, status: 'enabled' | 'suspended') => Promise<Result<BucketDetails>>;
  /** Counts the objects and bytes under a folder (on request: it lists every key). */
  calculateFolderSize: (target: FolderTarget) => Promise<void>;
  /**
   * Edits headers, metadata or storage class of some objects (a long operation, shown in the
   * transfers panel); once it ends, the shown object's details reload if it was among them.
   */
  editObjects: (target: BucketTarget, keys: string[], edit: ObjectEdit) => Promise<Result<{ operationId: string }>>;
  /** Replaces the tag set of some objects (a long operation), then reloads as editObjects does. */
  setObjectTags: (
    target: BucketTarget,
    keys: string[],
    tags: { key: string; value: string }[],
  ) => Promise<Result<{ operationId: string }>>;
  /** Takes main's `details.changed`: reloads the shown object if it is among the keys. */
  receiveDetailsChanged: (change: DetailsChange) => void;
  /** Subscribes to `details.changed`; returns the unsubscribe function (the panel calls it while mounted). */
  watchDetailsChanges: () => () => void;
  /** The first bytes of a text object, for the preview. */
  previewText: (target: ObjectTarget, maxBytes: number) => Promise<Result<{ text: string; truncated: boolean }>>;
  /** A short-lived URL an <img>, <audio>, <video> or PDF frame streams from. */
  previewUrl: (target: ObjectTarget) => Promise<Result<{ url: string }>>;
  loadCustomerKeyStatus: (accountId: string) => Promise<void>;
  /** Stores a customer key (base64 of 32 bytes); the answer is only its status. */
  setCustomerKey: (accountId: string, key: string) => Promise<Result<CustomerKeyStatus>>;
  removeCustomerKey: (accountId: string) => Promise<Result<CustomerKeyStatus>>;
}

/** How long the selection must stay put before its details are asked for. */
export const DETAILS_DEBOUNCE_MS = 150;

const nothing = { subject: null, status: 'idle', value: null, error: null } as const;

function sameObject(a: ObjectTarget | null, b: ObjectTarget | null): boolean {
  if (!a || !b) return a === b;
  return a.accountId === b.accountId && a.bucket === b.bucket && a.key === b.key;
}

function sameBucket(a: BucketTarget | null, b: BucketTarget | null): boolean {
  if (!a || !b) return a === b;
  return a.accountId === b.accountId && a.bucket === b.bucket;
}

/** A load under way: the subject shown at once, with the values kept on screen (if any). */
function loadingOf<Subject, Value>(subject: Subject, value: Value | null = null): Loaded<Subject, Value> {
  return { subject, status: 'loading', value, error: null };
}

/** What a finished request shows: its value, or its error. */
function settledOf<Subject, Value>(subject: Subject, result: Result<Value>): Loaded<Subject, Value> {
  return result.ok
    ? { subject, status: 'ready', value: result.value, error: null }
    : { subject, status: 'error', value: null, error: result.error };
}

/** Creates the details slice. */
export function createDetailsSlice(deps: StoreDependencies): StateCreator<AppState, [], [], DetailsSlice> {
  return (set, get) => {
    const { api } = deps;
    // Every load takes a number; an answer whose number is not the newest is stale and dropped.
    let objectRun = 0;
    let bucketRun = 0;
    let sizeRun = 0;
    let pending: ReturnType<typeof setTimeout> | null = null;

    async function loadObject(target: ObjectTarget): Promise<void> {
      const run = ++objectRun;
      set((state) => ({
        // The same object reloading keeps its values on screen; another one starts empty.
        objectDetails: loadingOf(
          target,
          sameObject(state.objectDetails.subject, target) ? state.objectDetails.value : null,
        ),
      }));
      const result = await api.details.object(target);
      if (run !== objectRun) return;
      set({
        objectDetails: settledOf(target, result),
      });
    }

    async function loadBucket(target: BucketTarget): Promise<void> {
      const run = ++bucketRun;
      set((state) => ({
        bucketDetails: loadingOf(
          target,
          sameBucket(state.bucketDetails.subject, target) ? state.bucketDetails.value : null,
        ),
      }));
      const result = await api.details.bucket(target);
      if (run !== bucketRun) return;
      set({
        bucketDetails: settledOf(target, result),
      });
    }

    function cancelPending(): void {
      if (pending !== null) clearTimeout(pending);
      pending = null;
    }

    /** Shows an account's customer key status as main answered it. */
    function showKeyStatus(accountId: string, result: Result<CustomerKeyStatus>): void {
      set((state) => ({ customerKeys: { ...state.customerKeys, [accountId]: settledOf(accountId, result) } }));
    }

    /** After an operation on these keys ends, reloads the shown object if it is one of them. */
    function reloadAfter(target: BucketTarget, keys: readonly string[], operationId: string): void {
      void get()
        .waitForOperation(operationId)
        .then(() => {
          const shown = get().objectDetails.subject;
          if (shown && sameBucket(shown, target) && keys.includes(shown.key)) get().reloadObjectDetails();
        });
    }

    return {
      objectDetails: nothing,
      bucketDetails: nothing,
      folderSize: nothing,
      customerKeys: {},

      showObjectDetails(target) {
        const current = get().objectDetails;
        if (sameObject(current.subject, target) && current.status !== 'error') return;
        cancelPending();
        if (!target) {
          objectRun++;
          set({ objectDetails: nothing });
          return;
        }
        // Show the new subject at once (so the panel never labels old values with a new name).
        objectRun++;
        set({ objectDetails: loadingOf(target) });
        pending = setTimeout(() => {
          pending = null;
          void loadObject(target);
        }, DETAILS_DEBOUNCE_MS);
      },

      reloadObjectDetails() {
        const target = get().objectDetails.subject;
        if (!target) return;
        cancelPending();
        void loadObject(target);
      },

      showBucketDetails(target, options) {
        const current = get().bucketDetails;
        if (!target) {
          bucketRun++;
          set({ bucketDetails: nothing });
          return;
        }
        if (sameBucket(current.subject, target) && current.status !== 'error' && !options?.reload) return;
        void loadBucket(target);
      },

      async setBucketVersioning(target, status) {
        const result = await api.details.setVersioning({ ...target, status });
        if (result.ok) get().receiveBucketVersioning(target.accountId, target.bucket, result.value.versioning);
        if (result.ok && sameBucket(get().bucketDetails.subject, target)) {
          bucketRun++;
          set({ bucketDetails: settledOf(target, result) });
        }
        return result;
      },

      async calculateFolderSize(target) {
        const run = ++sizeRun;
        set({ folderSize: loadingOf(target) });
        const result = await api.details.folderSize(target);
        if (run !== sizeRun) return;
        set({ folderSize: settledOf(target, result) });
      },

      async editObjects(target, keys, edit) {
        const result = await api.details.editObjects({ ...target, keys, edit });
        if (result.ok) reloadAfter(target, keys, result.value.operationId);
        return result;
      },

      async setObjectTags(target, keys, tags) {
        const result = await api.details.setTags({ ...target, keys, tags });
        if (result.ok) reloadAfter(target, keys, result.value.operationId);
        return result;
      },

      receiveDetailsChanged(change) {
        const shown = get().objectDetails.subject;
        if (shown && sameBucket(shown, change) && change.keys.includes(shown.key)) get().reloadObjectDetails();
      },

      watchDetailsChanges: () => api.details.onChanged((change) => get().receiveDetailsChanged(change)),

      previewText: (target, maxBytes) => api.details.previewText({ ...target, maxBytes }),
      previewUrl: (target) => api.details.previewUrl(target),

      async loadCustomerKeyStatus(accountId) {
        set((state) => ({
          customerKeys: {
            ...state.customerKeys,
            [accountId]: loadingOf(accountId, state.customerKeys[accountId]?.value ?? null),
          },
        }));
        showKeyStatus(accountId, await api.sse.status({ accountId }));
      },

      async setCustomerKey(accountId, key) {
        const result = await api.sse.setKey({ accountId, key });
        if (result.ok) showKeyStatus(accountId, result);
        return result;
      },

      async removeCustomerKey(accountId) {
        const result = await api.sse.removeKey({ accountId });
        if (result.ok) showKeyStatus(accountId, result);
        return result;
      },
    };
  };
}
