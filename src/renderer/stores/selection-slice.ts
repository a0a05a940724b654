import type { StateCreator } from 'zustand';
import type { AppState } from './app-state';

/** A folder of a bucket: where the file list is. The bucket's root has the prefix ''. */
export interface BrowserLocation {
  accountId: string;
  bucket: string;
  /** '' or a prefix ending in '/'. */
  prefix: string;
}

/**
 * What is selected in the sidebar tree: an account, a bucket, or a folder of a bucket. A
 * bucket or folder is also where the file list is, so the tree and the list cannot disagree.
 */
export type TreeSelection =
  | { kind: 'account'; accountId: string }
  | { kind: 'bucket'; accountId: string; bucket: string }
  | { kind: 'folder'; accountId: string; bucket: string; prefix: string };

/** Back and forward, as a browser has them: the locations left behind, nearest last. */
export interface NavigationHistory {
  back: BrowserLocation[];
  forward: BrowserLocation[];
}

// Enough to walk back through a long session, small enough to never matter.
const MAX_HISTORY = 100;

/** The location a selection shows in the file list; null for an account (or nothing). */
export function locationOf(selection: TreeSelection | null): BrowserLocation | null {
  if (!selection || selection.kind === 'account') return null;
  return {
    accountId: selection.accountId,
    bucket: selection.bucket,
    prefix: selection.kind === 'folder' ? selection.prefix : '',
  };
}

/** The tree selection of a location: its bucket at the root, else the folder. */
export function selectionAt(location: BrowserLocation): TreeSelection {
  const { accountId, bucket, prefix } = location;
  return prefix === '' ? { kind: 'bucket', accountId, bucket } : { kind: 'folder', accountId, bucket, prefix };
}

/** Tells whether two locations are the same folder (null only equals null). */
export function sameLocation(a: BrowserLocation | null, b: BrowserLocation | null): boolean {
  if (!a || !b) return a === b;
  return a.accountId === b.accountId && a.bucket === b.bucket && a.prefix === b.prefix;
}

/** A string naming a location, unique whatever characters its parts contain: a map key. */
export function locationKey(location: BrowserLocation): string {
  return JSON.stringify([location.accountId, location.bucket, location.prefix]);
}

/** The tree's selection, which accounts are collapsed, and the history of locations visited. */
export interface SelectionSlice {
  selection: TreeSelection | null;
  /** Accounts the user collapsed; absent means expanded, so new accounts show their buckets at once. */
  collapsedAccounts: Record<string, true>;
  history: NavigationHistory;
  /**
   * Selects a tree item (or nothing). Selecting a bucket or folder opens it in the file list,
   * and going from one location to another is remembered for Back.
   */
  select: (selection: TreeSelection | null) => void;
  /**
   * Puts back a whole place at once, its selection and its own Back and Forward (a tab switched
   * to): nothing is added to the history.
   */
  restorePlace: (selection: TreeSelection | null, history: NavigationHistory) => void;
  /** Opens a location in the file list (and selects it in the tree). */
  navigate: (location: BrowserLocation) => void;
  /** Goes back to the previous location, if any. */
  goBack: () => void;
  /** Goes forward again after going back, if possible. */
  goForward: () => void;
  /** Opens the folder above the current one (from a bucket's root, nothing). */
  goUp: () => void;
  /** Expands or collapses one account. */
  setAccountExpanded: (accountId: string, expanded: boolean) => void;
  /** Expands every account (the tree's `*` key). */
  expandAllAccounts: () => void;
  /** Forgets selection and collapse state of accounts that no longer exist. */
  retainAccounts: (accountIds: ReadonlySet<string>) => void;
  /** Moves the selection up to the account if it names a bucket of this account that is no longer listed. */
  retainBuckets: (accountId: string, bucketNames: ReadonlySet<string>) => void;
}

/** Tells whether an account is expanded in the tree. */
export function isAccountExpanded(collapsed: Record<string, true>, accountId: string): boolean {
  return !Object.hasOwn(collapsed, accountId);
}

/** The folder above a prefix: "a/b/" → "a/", "a/" → "". */
function parentPrefix(prefix: string): string {
  const trimmed = prefix.slice(0, -1);
  return trimmed.slice(0, trimmed.lastIndexOf('/') + 1);
}

/** Creates the selection slice. */
export function createSelectionSlice(): StateCreator<AppState, [], [], SelectionSlice> {
  return (set, get) => {
    /** Sets the selection and lets the file list follow it. */
    function apply(selection: TreeSelection | null, history?: NavigationHistory, reentered = false): void {
      set((state) => ({ selection, history: history ?? state.history }));
      get().showLocation(reentered);
    }

    return {
      selection: null,
      collapsedAccounts: {},
      history: { back: [], forward: [] },
      select: (selection) => {
        const { selection: current, history } = get();
        const from = locationOf(current);
        const to = locationOf(selection);
        const moved = from !== null && to !== null && !sameLocation(from, to);
        const reentered = from !== null && to !== null && !moved;
        apply(
          selection,
          moved ? { back: [...history.back, from].slice(-MAX_HISTORY), forward: [] } : undefined,
          reentered,
        );
      },
      restorePlace: (selection, history) => apply(selection, history),
      navigate: (location) => get().select(selectionAt(location)),
      goBack: () => {
        const { selection, history } = get();
        const target = history.back.at(-1);
        const current = locationOf(selection);
        if (!target) return;
        apply(selectionAt(target), {
          back: history.back.slice(0, -1),
          forward: current ? [...history.forward, current] : history.forward,
        });
      },
      goForward: () => {
        const { selection, history } = get();
        const target = history.forward.at(-1);
        const current = locationOf(selection);
        if (!target) return;
        apply(selectionAt(target), {
          back: current ? [...history.back, current] : history.back,
          forward: history.forward.slice(0, -1),
        });
      },
      goUp: () => {
        const current = locationOf(get().selection);
        if (!current || current.prefix === '') return;
        get().navigate({ ...current, prefix: parentPrefix(current.prefix) });
      },
      setAccountExpanded: (accountId, expanded) =>
        set((state) => {
          if (isAccountExpanded(state.collapsedAccounts, accountId) === expanded) return state;
          const collapsedAccounts = { ...state.collapsedAccounts };
          if (expanded) delete collapsedAccounts[accountId];
          else collapsedAccounts[accountId] = true;
          return { collapsedAccounts };
        }),
      expandAllAccounts: () => set({ collapsedAccounts: {} }),
      retainAccounts: (accountIds) => {
        const keep = (location: BrowserLocation) => accountIds.has(location.accountId);
        set((state) => ({
          selection: state.selection && accountIds.has(state.selection.accountId) ? state.selection : null,
          collapsedAccounts: Object.fromEntries(
            Object.entries(state.collapsedAccounts).filter(([id]) => accountIds.has(id)),
          ) as Record<string, true>,
          history: { back: state.history.back.filter(keep), forward: state.history.forward.filter(keep) },
        }));
        get().showLocation();
      },
      retainBuckets: (accountId, bucketNames) => {
        const s = get().selection;
        const gone = s !== null && s.kind !== 'account' && s.accountId === accountId && !bucketNames.has(s.bucket);
        if (gone) apply({ kind: 'account', accountId });
      },
    };
  };
}
