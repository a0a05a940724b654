import type { StateCreator } from 'zustand';
import type { AppError } from '../../shared/errors';
import type { FolderEntry, ListingPage } from '../../shared/objects';
import type { Result } from '../../shared/result';
import type { LoadStatus } from './accounts-slice';
import type { AppState, StoreDependencies } from './app-state';
import { locationKey, sameLocation, type BrowserLocation } from './selection-slice';

/**
 * Pages of one folder the tree reads at most to find its subfolders. Subfolders come mixed
 * with files in key order, so a folder of 100,000 files would otherwise cost 100 requests
 * just to show its few subfolders in the tree; the file list lists everything anyway.
 */
export const TREE_PAGE_LIMIT = 20;

/** Where the file list left off listing a folder, for the tree to go on from there rather than start again. */
export interface ListingHandOver {
  /** The subfolders among the pages read so far. */
  folders: FolderEntry[];
  /** How many pages were read. */
  pages: number;
  /** The request for the next page, already sent. */
  next: Promise<Result<ListingPage>>;
}

/** The subfolders of one bucket or folder, as the sidebar tree shows them. */
export interface FolderChildrenState {
  status: LoadStatus;
  /** The last list received; kept while reloading, so the tree does not flicker. */
  folders: FolderEntry[];
  error: AppError | null;
  /** The folder has more keys than the tree reads (TREE_PAGE_LIMIT pages): some subfolders may be missing. */
  incomplete: boolean;
}

/** The sidebar tree's folders: loaded lazily (Delimiter '/') when a bucket or folder is expanded. */
export interface FolderTreeSlice {
  /** Subfolders by locationKey (a bucket's root has the prefix ''). */
  folderChildren: Record<string, FolderChildrenState>;
  /** Expanded buckets and folders, by locationKey. */
  expandedFolders: Record<string, true>;
  /** Expands (listing its subfolders the first time) or collapses a bucket or folder. */
  setFolderExpanded: (location: BrowserLocation, expanded: boolean) => void;
  /**
   * Lists (again) the subfolders of a bucket or folder; while the file list is listing that
   * same folder, waits for the list's pages instead of asking for them a second time.
   */
  loadFolderChildren: (location: BrowserLocation) => Promise<void>;
  /**
   * Takes the subfolders from the file list's listing of a folder, so tree and list agree and
   * a folder is listed once. `complete` false: the folders of the pages so far, taken only
   * while the tree waits for that listing (a loaded node is not replaced by part of itself).
   */
  receiveFolderChildren: (location: BrowserLocation, folders: FolderEntry[], complete?: boolean) => void;
  /**
   * The file list stopped listing a folder before its end (stopped, failed, left): if the tree
   * was waiting for it, the tree lists it itself, going on from `handOver` when there is one.
   */
  folderListingEnded: (location: BrowserLocation, handOver?: ListingHandOver) => void;
  /** Expands the tree down to a location (its account, bucket, every folder above it, and itself). */
  revealInTree: (location: BrowserLocation) => void;
}

/** The prefixes from a bucket's root down to a prefix: "a/b/" → ["", "a/", "a/b/"]. */
export function prefixesDownTo(prefix: string): string[] {
  const result = [''];
  let at = 0;
  for (;;) {
    const slash = prefix.indexOf('/', at);
    if (slash < 0) return result;
    result.push(prefix.slice(0, slash + 1));
    at = slash + 1;
  }
}

/** True while the file list is listing exactly this folder (not a search under it): its pages can serve the tree. */
export function listingServes(state: Pick<AppState, 'listing'>, location: BrowserLocation): boolean {
  const { listing } = state;
  return (
    listing.search === null &&
    (listing.status === 'loading' || listing.refreshing) &&
    sameLocation(listing.location, location)
  );
}

/** Creates the folder tree slice over the given API. */
export function createFolderTreeSlice(deps: StoreDependencies): StateCreator<AppState, [], [], FolderTreeSlice> {
  return (set, get) => {
    const generations = new Map<string, number>();
    // Folders whose subfolders the tree takes from the file list's listing (listingServes).
    const waitingOnList = new Set<string>();

    function update(key: string, change: (node: FolderChildrenState) => FolderChildrenState): void {
      set((state) => ({
        folderChildren: {
          ...state.folderChildren,
          [key]: change(state.folderChildren[key] ?? { status: 'idle', folders: [], error: null, incomplete: false }),
        },
      }));
    }

    /** Lists the subfolders of a folder (see loadFolderChildren), from its start or from where the file list left off. */
    async function listFolder(location: BrowserLocation, handOver?: ListingHandOver): Promise<void> {
      const key = locationKey(location);
      const mine = (generations.get(key) ?? 0) + 1;
      generations.set(key, mine);
      if (listingServes(get(), location)) {
        waitingOnList.add(key);
        // Until the list's next pages come: the subfolders among what it has already.
        const listed = get().listing.entries;
        update(key, (node) => ({
          ...node,
          status: 'loading',
          folders: node.folders.length > 0 ? node.folders : listed.filter((e): e is FolderEntry => e.kind === 'folder'),
        }));
        return;
      }
      update(key, (node) => ({ ...node, status: 'loading' }));
      waitingOnList.delete(key);
      const folders: FolderEntry[] = [...(handOver?.folders ?? [])];
      let next =
        handOver?.next ??
        deps.api.objects.list({ accountId: location.accountId, bucket: location.bucket, prefix: location.prefix });
      for (let page = handOver?.pages ?? 0; ; page++) {
        const result = await next;
        if (generations.get(key) !== mine) return;
        if (!result.ok) {
          update(key, (node) => ({ ...node, status: 'error', error: result.error }));
          return;
        }
        folders.push(...result.value.folders);
        const token = result.value.nextToken;
        const incomplete = token !== null && page + 1 >= TREE_PAGE_LIMIT;
        if (token === null || incomplete) {
          update(key, () => ({ status: 'ready', folders, error: null, incomplete }));
          return;
        }
        next = deps.api.objects.list({
          accountId: location.accountId,
          bucket: location.bucket,
          prefix: location.prefix,
          continuationToken: token,
        });
      }
    }

    return {
      folderChildren: {},
      expandedFolders: {},

      setFolderExpanded(location, expanded) {
        const key = locationKey(location);
        if (Object.hasOwn(get().expandedFolders, key) === expanded) return;
        set((state) => {
          const expandedFolders = { ...state.expandedFolders };
          if (expanded) expandedFolders[key] = true;
          else delete expandedFolders[key];
          return { expandedFolders };
        });
        const node = get().folderChildren[key];
        if (expanded && (!node || node.status === 'idle' || node.status === 'error')) {
          void get().loadFolderChildren(location);
        }
      },

      loadFolderChildren: (location) => listFolder(location),

      receiveFolderChildren(location, folders, complete = true) {
        const key = locationKey(location);
        if (!complete) {
          if (waitingOnList.has(key)) update(key, (node) => ({ ...node, folders }));
          return;
        }
        waitingOnList.delete(key);
        // Newer than any tree listing still in flight for this folder.
        generations.set(key, (generations.get(key) ?? 0) + 1);
        update(key, () => ({ status: 'ready', folders, error: null, incomplete: false }));
      },

      folderListingEnded(location, handOver) {
        const key = locationKey(location);
        if (!waitingOnList.delete(key)) return;
        void listFolder(location, handOver);
      },

      revealInTree(location) {
        get().setAccountExpanded(location.accountId, true);
        for (const prefix of prefixesDownTo(location.prefix)) {
          get().setFolderExpanded({ ...location, prefix }, true);
        }
      },
    };
  };
}
