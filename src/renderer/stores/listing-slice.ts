import type { StateCreator } from 'zustand';
import type { EventPayload } from '../../shared/contract';
import type { AppError } from '../../shared/errors';
import { parentOf } from '../../shared/names';
import type { FolderEntry, ListingPage } from '../../shared/objects';
import type { ParsedLocation } from '../features/browser/parse-location';
import {
  createRepeatFilter,
  defaultSortOrder,
  entryMatcher,
  type BrowserEntry,
  type SortOrder,
} from '../features/browser/entries';
import { emptySelection, retainExisting, type ListSelection } from '../features/browser/selection-model';
import type { AppState, StoreDependencies } from './app-state';
import type { ListingHandOver } from './folder-tree-slice';
import { locationKey, locationOf, sameLocation, type BrowserLocation } from './selection-slice';

/** A search stops at this many results, and says so: a bucket can hold millions of keys. */
export const SEARCH_RESULT_LIMIT = 10_000;

/**
 * A substring search reads every key under the folder (S3 cannot match inside keys), so it
 * stops after this many, and says so: about 100 list requests, a few seconds on a fast link.
 */
export const SEARCH_SCAN_LIMIT = 100_000;

/**
 * While a folder loads, its pages are shown at most this often (the first page and the last
 * at once): a folder of 100,000 keys arrives in 100 pages, and drawing each one (sorting it
 * in, the count, the scrollbar) takes the CPU that the next page's request needs.
 */
export const SHOW_PAGES_EVERY_MS = 250;

/**
 * Keys asked for in the first page of a folder (or search) that is being opened: a few screens
 * of rows. A short page comes back sooner (MinIO: about 30-100 ms sooner than 1,000 keys from a
 * folder of 100,000), and the next request, for 1,000, leaves as soon as it does.
 */
export const FIRST_PAGE_SIZE = 100;

/** How a search matches keys: by prefix (on the server), or by any part of the key (over what is listed). */
export type SearchMode = 'prefix' | 'contains';

/**
 * Where the file list's listing is:
 * - `loading`: pages are arriving (the first ones already shown);
 * - `ready`: everything is listed;
 * - `stopped`: the person stopped loading, or a search reached its limit;
 * - `error`: a page failed (what arrived before it stays shown).
 */
export type ListingStatus = 'idle' | 'loading' | 'ready' | 'stopped' | 'error';

/** What the file list shows: one folder, or the results of a search under it. */
export interface ListingState {
  location: BrowserLocation | null;
  /** A server-side search: keys starting with `location.prefix + search`, all levels down; null for the folder. */
  search: string | null;
  /** How `search` matches. */
  searchMode: SearchMode;
  /** Keys a search has read so far (a substring search reads every key under the folder). */
  scanned: number;
  /** In arrival order; the list sorts and filters them for display. */
  entries: BrowserEntry[];
  status: ListingStatus;
  /** The search stopped at SEARCH_RESULT_LIMIT results, or (substring search) after SEARCH_SCAN_LIMIT keys. */
  limited: boolean;
  error: AppError | null;
  /** A refresh is under way: `entries` are the previous listing until the new one is complete. */
  refreshing: boolean;
}

/** The file list: what is listed, how it is sorted and filtered, and what is selected in it. */
export interface ListingSlice {
  listing: ListingState;
  sortOrder: SortOrder;
  /** The "Filter this folder" text: client-side, over what is loaded. */
  filterText: string;
  listSelection: ListSelection;
  /** A key to select and show once the list has it: a folder just made, a renamed file. */
  pendingReveal: string | null;
  /**
   * A selection to bring back as its rows arrive (a tab switched back to), until the listing
   * ends, another folder is opened, or the person selects something.
   */
  pendingSelection: ListSelection | null;
  /**
   * Lists the location of the tree's selection if the list shows something else (called on every
   * selection). `reentered`: the person entered the location shown again, which clears the rows' selection.
   */
  showLocation: (reentered?: boolean) => void;
  /** Lists the current folder (or search) again, keeping the old rows and the selection until the new list is in. */
  refreshListing: () => void;
  /** Stops loading further pages; what is loaded stays. */
  stopLoading: () => void;
  setSortOrder: (order: SortOrder) => void;
  /** Changes the filter; selected rows it hides are unselected, so no action touches what is not shown. */
  setFilterText: (text: string) => void;
  /**
   * Searches every key under the current folder: keys starting with the folder's prefix plus
   * `text` (server side), or keys containing `text` anywhere after the folder's prefix (case-insensitive).
   */
  searchBucket: (text: string, mode?: SearchMode) => void;
  /** Leaves search results for the folder they were searched from. */
  clearSearch: () => void;
  setListSelection: (selection: ListSelection) => void;
  /** Selects these rows again as the listing shown brings them (a tab switched back to). */
  restoreListSelection: (selection: ListSelection) => void;
  /** Asks the list to select `key` as soon as it shows it. */
  revealKey: (key: string | null) => void;
  /**
   * Takes main's `objects.changed`: the app changed a folder (or, with bucket null, the bucket
   * list). Whatever shows it (the list, the tree's loaded folders, the bucket list) is refreshed.
   */
  receiveObjectsChanged: (change: ObjectsChange) => void;
  /**
   * Opens what the path bar names, in an account: a folder, or an object's folder with the
   * object selected. A path without a trailing '/' is a folder if anything is under it.
   */
  openPath: (accountId: string, target: ParsedLocation) => Promise<void>;
}

/** The payload of `objects.changed`. */
export type ObjectsChange = EventPayload<'objects.changed'>;

/** The list before anything was opened. */
export const emptyListing: ListingState = {
  location: null,
  search: null,
  searchMode: 'prefix',
  scanned: 0,
  entries: [],
  status: 'idle',
  limited: false,
  error: null,
  refreshing: false,
};

/** A page of a recursive listing as rows: full keys as names, folder markers ("a/b/") as folders. */
function searchRows(page: ListingPage): BrowserEntry[] {
  return page.files.map((file) =>
    file.key.endsWith('/') ? { kind: 'folder', key: file.key, name: file.key } : { ...file, name: file.key },
  );
}

/**
 * Which of the selected, focused and anchor keys are shown (listed, and let through by the
 * filter); null when none is set. Looks for those keys only, so a keystroke in the filter of a
 * folder of 100,000 keys with nothing selected costs nothing, and with a few selected, no set of
 * every key shown.
 */
function shownAmong(
  entries: readonly BrowserEntry[],
  filterText: string,
  selection: Pick<ListSelection, 'selected'> & Partial<Pick<ListSelection, 'focus' | 'anchor'>>,
): Set<string> | null {
  const wanted = new Set(selection.selected);
  if (selection.focus != null) wanted.add(selection.focus);
  if (selection.anchor != null) wanted.add(selection.anchor);
  if (wanted.size === 0) return null;
  const matches = entryMatcher(filterText);
  const shown = new Set<string>();
  for (const entry of entries) if (wanted.has(entry.key) && matches(entry)) shown.add(entry.key);
  return shown;
}

/**
 * shownAmong over the listing and, while "Show deleted files" shows them beside it, the folder's
 * deleted rows: a selected deleted row stays selected when the listing refreshes or is filtered.
 */
function shownAmongRows(
  state: AppState,
  entries: readonly BrowserEntry[],
  filterText: string,
  selection: Parameters<typeof shownAmong>[2],
): Set<string> | null {
  const shown = shownAmong(entries, filterText, selection);
  const { showDeleted, deletedListing, listing } = state;
  if (!shown || !showDeleted || !sameLocation(deletedListing.location, listing.location)) return shown;
  for (const key of shownAmong(deletedListing.entries, filterText, selection) ?? []) shown.add(key);
  return shown;
}

/** Creates the file list slice over the given API. */
export function createListingSlice(deps: StoreDependencies): StateCreator<AppState, [], [], ListingSlice> {
  return (set, get) => {
    // Each listing run takes a number; a page whose run is no longer the newest is dropped
    // (the folder changed meanwhile, or loading was stopped).
    let generation = 0;
    // The folder the newest run lists for the sidebar tree too (a folder, not a search), until
    // that run ends: the tree takes its subfolders from these pages rather than listing the
    // folder a second time (folder-tree-slice.ts, listingServes). Its request in flight, if
    // any, is handed over to the tree when the run ends early, so the tree goes on from there
    // instead of asking for the same page again.
    let servingTree: (ListingHandOver & { location: BrowserLocation; inFlight: boolean }) | null = null;
    // Shows the pages that arrived since the list was last drawn, when a run holds some back.
    let showHeldPages: (() => void) | null = null;

    /** The newest run no longer lists `servingTree` to its end: the tree lists it itself if it waits. */
    function stopServingTree(): void {
      const ended = servingTree;
      servingTree = null;
      if (!ended) return;
      const { location, inFlight, folders, pages, next } = ended;
      get().folderListingEnded(location, inFlight ? { folders: [...folders], pages, next } : undefined);
    }

    /** Applies the pending reveal and keeps the selection to rows that exist. */
    function reconcileSelection(entries: readonly BrowserEntry[]): Partial<AppState> {
      const { listSelection, pendingReveal, pendingSelection, filterText } = get();
      if (pendingSelection !== null) {
        const shown = shownAmongRows(get(), entries, filterText, pendingSelection);
        return shown?.size ? { listSelection: retainExisting(pendingSelection, shown) } : {};
      }
      const nothingSelected =
        listSelection.selected.size === 0 && listSelection.focus === null && listSelection.anchor === null;
      // The common case while a big folder loads: nothing to keep, nothing to find.
      if (nothingSelected && pendingReveal === null) return {};
      if (
        pendingReveal !== null &&
        shownAmongRows(get(), entries, filterText, { selected: new Set([pendingReveal]) })?.size
      ) {
        return {
          listSelection: { selected: new Set([pendingReveal]), anchor: pendingReveal, focus: pendingReveal },
          pendingReveal: null,
        };
      }
      const shown = shownAmongRows(get(), entries, filterText, listSelection);
      return shown ? { listSelection: retainExisting(listSelection, shown) } : {};
    }

    /**
     * Lists a location page by page. `replace` shows each page as it arrives; `refresh`
     * collects the new listing quietly and swaps it in complete, so rows do not flicker.
     * The next page is asked for as soon as a page arrives, before this page is stored and
     * drawn, so the page's own work overlaps the server's next answer.
     */
    async function run(
      location: BrowserLocation,
      search: string | null,
      mode: 'replace' | 'refresh',
      limit: number,
      searchMode: SearchMode = 'prefix',
    ): Promise<void> {
      const mine = ++generation;
      showHeldPages = null;
      if (mode === 'replace') {
        set({
          listing: { ...emptyListing, location, search, searchMode, status: 'loading' },
          listSelection: emptySelection,
          pendingSelection: null,
        });
      } else {
        set((state) => ({ listing: { ...state.listing, refreshing: true } }));
      }
      // After the set: a tree waiting for this same folder sees the new run and keeps waiting.
      stopServingTree();
      const fresh = createRepeatFilter();
      // Every row so far; the store gets a copy when it is drawn (not a new array per page).
      const collected: BrowserEntry[] = [];
      const folders: FolderEntry[] = [];
      const contains = search !== null && searchMode === 'contains';
      const needle = (search ?? '').toLowerCase();
      const prefix = search === null || contains ? location.prefix : location.prefix + search;
      const listPage = (token: string | undefined) =>
        deps.api.objects.list({
          accountId: location.accountId,
          bucket: location.bucket,
          prefix,
          recursive: search !== null,
          ...(token ? { continuationToken: token } : {}),
          // The first rows sooner: a service answers a short page sooner (the rest come in pages of 1,000).
          ...(!token && mode === 'replace' ? { pageSize: FIRST_PAGE_SIZE } : {}),
          // The list asks for every page: main asks S3 for the next one while this one travels.
          readAhead: true,
        });
      let scanned = 0;
      let shownAt = -Infinity;
      let held: ReturnType<typeof setTimeout> | undefined;
      /** Stores what is collected so far as the list's entries. */
      const show = (listing: Pick<ListingState, 'status' | 'limited' | 'scanned'>): void => {
        clearTimeout(held);
        held = undefined;
        showHeldPages = null;
        shownAt = performance.now();
        const entries = collected.slice();
        set((state) => ({
          listing: { ...state.listing, ...listing, entries, error: null, refreshing: false },
          ...reconcileSelection(entries),
          // The whole listing is in: a selection still waiting for its rows will not get them.
          ...(listing.status === 'loading' ? {} : { pendingSelection: null }),
        }));
      };
      let request = listPage(undefined);
      let pages = 0;
      if (search === null) servingTree = { location, folders, pages, next: request, inFlight: true };
      for (;;) {
        const result = await request;
        if (mine !== generation) return;
        pages += 1;
        if (servingTree) servingTree.inFlight = false;
        clearTimeout(held);
        held = undefined;
        showHeldPages = null;
        if (!result.ok) {
          set((state) => ({
            listing: {
              ...state.listing,
              // A failed refresh keeps the rows it had; a first load shows what arrived.
              entries: mode === 'replace' ? collected.slice() : state.listing.entries,
              status: 'error',
              error: result.error,
              refreshing: false,
            },
          }));
          stopServingTree();
          return;
        }
        const page = result.value;
        const listed = search === null ? [...page.folders, ...page.files] : searchRows(page);
        scanned += listed.length;
        const rows = contains
          ? listed.filter((row) => row.key.slice(location.prefix.length).toLowerCase().includes(needle))
          : listed;
        const added = fresh(rows, collected);
        for (const row of added) collected.push(row);
        const limited =
          search !== null &&
          (collected.length >= SEARCH_RESULT_LIMIT ||
            (contains && scanned >= SEARCH_SCAN_LIMIT && page.nextToken !== null));
        const full = collected.length >= limit;
        if (limited && collected.length > SEARCH_RESULT_LIMIT) collected.length = SEARCH_RESULT_LIMIT;
        const done = page.nextToken === null || limited || full;
        if (!done) {
          request = listPage(page.nextToken ?? undefined);
          if (servingTree) Object.assign(servingTree, { pages, next: request, inFlight: true });
        }
        if (done) {
          show({ status: limited || (full && page.nextToken !== null) ? 'stopped' : 'ready', limited, scanned });
        } else if (mode === 'replace') {
          const wait = shownAt + SHOW_PAGES_EVERY_MS - performance.now();
          const showLoading = () => show({ status: 'loading', limited, scanned });
          if (wait <= 0) {
            showLoading();
          } else {
            // Held back until the time comes (or the next page, or Stop loading, shows it).
            showHeldPages = () => {
              if (mine === generation) showLoading();
            };
            held = setTimeout(showHeldPages, wait);
          }
        }
        if (search === null) {
          const before = folders.length;
          for (const row of added) if (row.kind === 'folder') folders.push(row);
          if (done && page.nextToken === null) {
            servingTree = null;
            get().receiveFolderChildren(location, folders);
          } else if (folders.length > before) {
            // The subfolders so far, for a tree that waits on this listing (a copy: the tree keeps it).
            get().receiveFolderChildren(location, [...folders], false);
          }
        }
        if (done) {
          stopServingTree();
          return;
        }
      }
    }

    return {
      listing: emptyListing,
      sortOrder: defaultSortOrder,
      filterText: '',
      listSelection: emptySelection,
      pendingReveal: null,
      pendingSelection: null,

      showLocation(reentered = false) {
        const location = locationOf(get().selection);
        const { listing } = get();
        if (sameLocation(location, listing.location) && listing.search === null) {
          // The folder shown, entered again (its bucket or folder clicked in the tree, its
          // breadcrumb): it starts afresh, as a file manager does. A selection kept from before
          // goes unnoticed there (the tree has focus, the row may be out of view), and the next
          // Delete or Download would act on it.
          if (reentered) set({ listSelection: emptySelection, pendingReveal: null });
          return;
        }
        set({ filterText: '' });
        if (!location) {
          generation++;
          set({ listing: emptyListing, listSelection: emptySelection });
          stopServingTree();
          return;
        }
        // The listing first, so the tree, expanding down to the folder, takes its pages instead of listing it again.
        void run(location, null, 'replace', Infinity);
        get().revealInTree(location);
      },

      refreshListing() {
        const { listing } = get();
        if (!listing.location) return;
        if (listing.status === 'loading' || listing.status === 'idle') {
          void run(listing.location, listing.search, 'replace', Infinity, listing.searchMode);
          return;
        }
        // A listing stopped by hand is refreshed as far as it had got, not loaded to the end.
        const limit = listing.status === 'stopped' && !listing.limited ? listing.entries.length : Infinity;
        void run(listing.location, listing.search, 'refresh', Math.max(limit, 1), listing.searchMode);
      },

      stopLoading() {
        // What arrived stays: pages held back for the next drawing are shown first.
        showHeldPages?.();
        const { listing } = get();
        if (listing.status !== 'loading' && !listing.refreshing) return;
        generation++;
        set({
          listing: {
            ...listing,
            status: listing.status === 'loading' ? 'stopped' : listing.status,
            refreshing: false,
          },
        });
        stopServingTree();
      },

      setSortOrder: (sortOrder) => set({ sortOrder }),

      setFilterText(filterText) {
        const { listSelection, listing } = get();
        // Only the selected keys are looked for: a keystroke over 100,000 rows makes no set of every key shown.
        const shown = shownAmongRows(get(), listing.entries, filterText, listSelection);
        set((state) => ({
          filterText,
          ...(shown ? { listSelection: retainExisting(state.listSelection, shown) } : {}),
        }));
      },

      searchBucket(text, searchMode = 'prefix') {
        const location = locationOf(get().selection);
        if (!location) return;
        set({ filterText: '' });
        void run(location, text, 'replace', Infinity, searchMode);
      },

      clearSearch() {
        const { listing } = get();
        if (listing.search === null || !listing.location) return;
        void run(listing.location, null, 'replace', Infinity);
      },

      setListSelection: (listSelection) => set({ listSelection, pendingSelection: null }),

      restoreListSelection(selection) {
        const { listing } = get();
        set({ listSelection: emptySelection, pendingSelection: selection, pendingReveal: null });
        set(reconcileSelection(listing.entries));
        // A listing already complete (the same folder was shown) brings no more rows to wait for.
        if (listing.status !== 'loading') set({ pendingSelection: null });
      },

      receiveObjectsChanged({ accountId, bucket, prefix }) {
        if (bucket === null) {
          if (get().accounts.some((a) => a.id === accountId)) void get().loadBuckets(accountId);
          return;
        }
        const { listing, folderChildren } = get();
        const shown = listing.location;
        if (shown && shown.accountId === accountId && shown.bucket === bucket) {
          const covers = listing.search === null ? prefix === shown.prefix : (prefix ?? '').startsWith(shown.prefix);
          if (covers) get().refreshListing();
        }
        const changed = { accountId, bucket, prefix: prefix ?? '' };
        // The tree's copy of the shown folder is renewed by the list's refresh.
        const renewedByList = listing.search === null && sameLocation(changed, shown);
        if (Object.hasOwn(folderChildren, locationKey(changed)) && !renewedByList) {
          void get().loadFolderChildren(changed);
        }
      },

      async openPath(accountId, { bucket, path, kind }) {
        let folder = kind === 'folder';
        if (kind === 'either') {
          const probe = await deps.api.objects.list({ accountId, bucket, prefix: `${path}/`, pageSize: 1 });
          folder = probe.ok && (probe.value.folders.length > 0 || probe.value.files.length > 0);
        }
        if (folder) {
          get().navigate({ accountId, bucket, prefix: path === '' || path.endsWith('/') ? path : `${path}/` });
          return;
        }
        get().navigate({ accountId, bucket, prefix: parentOf(path) });
        get().revealKey(path);
      },

      revealKey(key) {
        if (key === null) {
          set({ pendingReveal: null });
          return;
        }
        const { entries: rows } = get().listing;
        if (rows.some((row) => row.key === key)) {
          set({ listSelection: { selected: new Set([key]), anchor: key, focus: key }, pendingReveal: null });
        } else {
          set({ pendingReveal: key });
        }
      },
    };
  };
}
