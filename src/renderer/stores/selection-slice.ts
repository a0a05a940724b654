import type { StateCreator } from 'zustand';
import type { AppState } from './app-state';

/** What is selected in the sidebar tree: an account, or one bucket of an account. */
export type TreeSelection =
  { kind: 'account'; accountId: string } | { kind: 'bucket'; accountId: string; bucket: string };

/** The sidebar tree's selection and which accounts are collapsed. */
export interface SelectionSlice {
  selection: TreeSelection | null;
  /** Accounts the user collapsed; absent means expanded, so new accounts show their buckets at once. */
  collapsedAccounts: Record<string, true>;
  /** Selects a tree item (or nothing). */
  select: (selection: TreeSelection | null) => void;
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

/** Creates the selection slice. */
export function createSelectionSlice(): StateCreator<AppState, [], [], SelectionSlice> {
  return (set) => ({
    selection: null,
    collapsedAccounts: {},
    select: (selection) => set({ selection }),
    setAccountExpanded: (accountId, expanded) =>
      set((state) => {
        if (isAccountExpanded(state.collapsedAccounts, accountId) === expanded) return state;
        const collapsedAccounts = { ...state.collapsedAccounts };
        if (expanded) delete collapsedAccounts[accountId];
        else collapsedAccounts[accountId] = true;
        return { collapsedAccounts };
      }),
    expandAllAccounts: () => set({ collapsedAccounts: {} }),
    retainAccounts: (accountIds) =>
      set((state) => ({
        selection: state.selection && accountIds.has(state.selection.accountId) ? state.selection : null,
        collapsedAccounts: Object.fromEntries(
          Object.entries(state.collapsedAccounts).filter(([id]) => accountIds.has(id)),
        ) as Record<string, true>,
      })),
    retainBuckets: (accountId, bucketNames) =>
      set((state) => {
        const s = state.selection;
        const gone = s?.kind === 'bucket' && s.accountId === accountId && !bucketNames.has(s.bucket);
        return gone ? { selection: { kind: 'account', accountId } } : state;
      }),
  });
}
