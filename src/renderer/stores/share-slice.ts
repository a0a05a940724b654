import type { StateCreator } from 'zustand';
import type { AppError } from '../../shared/errors';
import type { Result } from '../../shared/result';
import type {
  DropBoxCors,
  DropBoxLink,
  ObjectUrls,
  PostPolicyLink,
  ShareLink,
  objectAccessValues,
} from '../../shared/share';
import type { cannedAcls } from '../../shared/transfers';
import type { AppState, StoreDependencies } from './app-state';
import type { BrowserLocation } from './selection-slice';

/** The share dialog's subject: some files of a folder. */
export interface ShareRequest {
  location: BrowserLocation;
  /** Full keys of the files (never folders: they have no links). */
  keys: string[];
}

/** Options of a download link, as share.getLinks takes them. */
export interface GetLinkOptions {
  forceDownload: boolean;
  downloadName?: string;
  contentType?: string;
  versionId?: string;
}

/** A canned ACL an upload link may set. */
export type CannedAcl = (typeof cannedAcls)[number];

/** The links made so far, as the "Links" list shows them (newest first). */
export interface ShareHistoryState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  links: ShareLink[];
  error: AppError | null;
}

/** "Make public" (public-read) or "Make private". */
export type ObjectAccess = (typeof objectAccessValues)[number];

/** Share links: the dialog that makes them, and the list of links made. */
export interface ShareSlice {
  /** The folder (or bucket root, prefix '') the drop box dialog is open for; null while closed. */
  dropBoxDialog: BrowserLocation | null;
  /** Opens the drop box dialog for a folder or a bucket's root. */
  openDropBox: (location: BrowserLocation) => void;
  closeDropBox: () => void;
  /** A drop box for the folder: policy, upload page, data: URL and CORS check; added to the links list. */
  createDropBox: (
    location: BrowserLocation,
    maxSizeBytes: number,
    expiresInSeconds: number,
  ) => Promise<Result<DropBoxLink>>;
  /** Whether the bucket's CORS lets the upload page upload. */
  checkDropBoxCors: (location: BrowserLocation) => Promise<Result<DropBoxCors>>;
  /** Adds the page's narrow CORS rule to the bucket, then checks again. */
  allowDropBoxCors: (location: BrowserLocation) => Promise<Result<DropBoxCors>>;
  /** Saves a drop box's page with the desktop app's save dialog (`saved` null when cancelled). */
  saveDropBoxPage: (linkId: string) => Promise<Result<{ saved: string | null }>>;
  /** Makes objects public or private (a long operation; panels reload on details.changed). */
  setObjectAccess: (
    location: Pick<BrowserLocation, 'accountId' | 'bucket'>,
    keys: string[],
    access: ObjectAccess,
  ) => Promise<Result<{ operationId: string }>>;
  /** What the share dialog is open for; null while closed. */
  shareDialog: ShareRequest | null;
  shareHistory: ShareHistoryState;
  /** Opens the share dialog for some files of a folder. */
  openShareDialog: (location: BrowserLocation, keys: string[]) => void;
  closeShareDialog: () => void;
  /** Download links, one per key, in the order of `keys`; added to the links list. */
  createShareLinks: (
    location: BrowserLocation,
    keys: string[],
    expiresInSeconds: number,
    options: GetLinkOptions,
  ) => Promise<Result<ShareLink[]>>;
  /** An upload (PUT) link for one key. */
  createUploadLink: (
    location: BrowserLocation,
    key: string,
    expiresInSeconds: number,
    options: { contentType?: string; acl: CannedAcl },
  ) => Promise<Result<ShareLink>>;
  /** A POST policy for uploads under a prefix, up to a size; not-supported where the service lacks it. */
  createPostPolicy: (
    location: BrowserLocation,
    input: { keyPrefix: string; maxSizeBytes: number; expiresInSeconds: number; contentType?: string; acl: CannedAcl },
  ) => Promise<Result<PostPolicyLink>>;
  /** The s3:// URI and public URL of one object. */
  objectUrls: (location: BrowserLocation, key: string) => Promise<Result<ObjectUrls>>;
  /** Reads the links list from main (newest first). */
  loadShareHistory: () => Promise<void>;
  /** Empties the links list. */
  clearShareHistory: () => Promise<Result<{ cleared: number }>>;
}

/** Newest first, by creation time; ties keep their order. */
function newestFirst(links: readonly ShareLink[]): ShareLink[] {
  return [...links].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** Creates the share slice. */
export function createShareSlice(deps: StoreDependencies): StateCreator<AppState, [], [], ShareSlice> {
  return (set, get) => {
    const { api } = deps;
    // Each history load takes a number; an answer overtaken by a newer load (or a clear) is dropped.
    let historyRun = 0;

    /** Puts links just made at the top of the list, so it is current without asking main again. */
    function remember(links: readonly ShareLink[]): void {
      set((state) => {
        const known = new Set(links.map((l) => l.id));
        const rest = state.shareHistory.links.filter((l) => !known.has(l.id));
        return { shareHistory: { ...state.shareHistory, links: newestFirst([...links, ...rest]) } };
      });
    }

    return {
      shareDialog: null,
      shareHistory: { status: 'idle', links: [], error: null },
      dropBoxDialog: null,

      openDropBox: (location) => set({ dropBoxDialog: { ...location } }),
      closeDropBox: () => set({ dropBoxDialog: null }),

      async createDropBox(location, maxSizeBytes, expiresInSeconds) {
        const result = await api.share.dropBox({
          accountId: location.accountId,
          bucket: location.bucket,
          prefix: location.prefix,
          maxSizeBytes,
          expiresInSeconds,
        });
        if (result.ok) remember([result.value]);
        return result;
      },
      checkDropBoxCors: (location) => api.share.dropBoxCors({ accountId: location.accountId, bucket: location.bucket }),
      allowDropBoxCors: (location) =>
        api.share.allowDropBoxCors({ accountId: location.accountId, bucket: location.bucket }),
      saveDropBoxPage: (linkId) => api.share.saveDropBoxPage({ linkId }),
      setObjectAccess: (location, keys, access) =>
        api.share.setAccess({ accountId: location.accountId, bucket: location.bucket, keys, access }),

      openShareDialog: (location, keys) => {
        if (keys.length === 0) return;
        set({ shareDialog: { location, keys: [...keys] } });
      },
      closeShareDialog: () => set({ shareDialog: null }),

      async createShareLinks(location, keys, expiresInSeconds, options) {
        const result = await api.share.getLinks({
          accountId: location.accountId,
          bucket: location.bucket,
          keys,
          expiresInSeconds,
          options,
        });
        if (result.ok) remember(result.value);
        return result;
      },

      async createUploadLink(location, key, expiresInSeconds, options) {
        const result = await api.share.putLink({
          accountId: location.accountId,
          bucket: location.bucket,
          key,
          expiresInSeconds,
          options,
        });
        if (result.ok) remember([result.value]);
        return result;
      },

      async createPostPolicy(location, input) {
        const result = await api.share.postPolicy({
          accountId: location.accountId,
          bucket: location.bucket,
          ...input,
        });
        if (result.ok) remember([result.value]);
        return result;
      },

      objectUrls: (location, key) => api.share.urls({ accountId: location.accountId, bucket: location.bucket, key }),

      async loadShareHistory() {
        const run = ++historyRun;
        set((state) => ({ shareHistory: { ...state.shareHistory, status: 'loading', error: null } }));
        const result = await api.share.history({});
        if (run !== historyRun) return;
        set({
          shareHistory: result.ok
            ? { status: 'ready', links: newestFirst(result.value), error: null }
            : { ...get().shareHistory, status: 'error', error: result.error },
        });
      },

      async clearShareHistory() {
        const result = await api.share.clearHistory({});
        if (result.ok) {
          historyRun++;
          set({ shareHistory: { status: 'ready', links: [], error: null } });
        }
        return result;
      },
    };
  };
}
