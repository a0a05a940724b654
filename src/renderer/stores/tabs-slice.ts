import type { StateCreator } from 'zustand';
import { z } from 'zod';
import type { AccountSummary } from '../../shared/accounts';
import { emptySelection, type ListSelection } from '../features/browser/selection-model';
import type { AppState } from './app-state';
import type { NavigationHistory, TreeSelection } from './selection-slice';

/**
 * One tab of the file browser: its own place (account, bucket, folder), its own Back and
 * Forward, and the rows selected in it. The tab shown lives in the selection and listing slices
 * (the one browser there is); the others wait here, keyed by id, and are put back when switched to.
 */
export interface BrowserTab {
  id: string;
  selection: TreeSelection | null;
  history: NavigationHistory;
  listSelection: ListSelection;
}

/** The tabs of the window. */
export interface TabsSlice {
  /** In the order shown; the active tab's entry is a snapshot from when it was last left (see `liveTabs`). */
  tabs: BrowserTab[];
  activeTabId: string;
  /** Opens a tab after the active one, on the given place (by default the one shown), and shows it. */
  openTab: (selection?: TreeSelection | null) => void;
  /** Closes a tab (never the last one); closing the active tab shows its neighbour. */
  closeTab: (id: string) => void;
  /** Shows another tab: its place, history and selected rows come back. */
  switchTab: (id: string) => void;
  /** Puts back the tabs of an earlier session; a place in an account that is gone becomes no place. */
  restoreTabs: (saved: SavedTabs) => void;
}

const noHistory: NavigationHistory = { back: [], forward: [] };

const treeSelectionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('account'), accountId: z.string() }),
  z.object({ kind: z.literal('bucket'), accountId: z.string(), bucket: z.string() }),
  z.object({ kind: z.literal('folder'), accountId: z.string(), bucket: z.string(), prefix: z.string() }),
]);

/** What is remembered of the tabs between sessions: each tab's place, and which one was shown. */
export const savedTabsSchema = z.object({
  tabs: z
    .array(z.object({ id: z.string().min(1).max(100), selection: treeSelectionSchema.nullable() }))
    .min(1)
    .max(50),
  activeTabId: z.string(),
});

/** The tabs as remembered between sessions. */
export type SavedTabs = z.infer<typeof savedTabsSchema>;

/** A fresh id for a tab (ids only need to be unique in this window). */
function newTabId(): string {
  return globalThis.crypto.randomUUID();
}

/** The active tab's entry as it is now (its place is the tree's selection, its rows the list's). */
function snapshotOf(state: AppState, id: string): BrowserTab {
  return { id, selection: state.selection, history: state.history, listSelection: state.listSelection };
}

/** Every tab with the active one's place as it is now: what the tab strip shows and what is saved. */
export function liveTabs(state: AppState): BrowserTab[] {
  return state.tabs.map((tab) => (tab.id === state.activeTabId ? snapshotOf(state, tab.id) : tab));
}

/** What a tab is called: its folder, else its bucket, else its account, else "New tab". */
export function tabTitle(selection: TreeSelection | null, accounts: readonly AccountSummary[]): string {
  if (!selection) return 'New tab';
  if (selection.kind === 'folder') return selection.prefix.slice(0, -1).split('/').at(-1) ?? selection.bucket;
  if (selection.kind === 'bucket') return selection.bucket;
  return accounts.find((a) => a.id === selection.accountId)?.name ?? 'New tab';
}

/** The tabs to remember: places only (history and selected rows are this session's). */
export function tabsToSave(state: AppState): SavedTabs {
  return {
    tabs: liveTabs(state).map(({ id, selection }) => ({ id, selection })),
    activeTabId: state.activeTabId,
  };
}

/** Creates the tabs slice: one tab at first, showing whatever the tree selects. */
export function createTabsSlice(): StateCreator<AppState, [], [], TabsSlice> {
  return (set, get) => {
    /** Shows a tab's place, history and rows in the one browser (a place in a removed account: none). */
    function show(tab: BrowserTab): void {
      const { accounts } = get();
      const exists = tab.selection !== null && accounts.some((a) => a.id === tab.selection?.accountId);
      get().restorePlace(exists ? tab.selection : null, tab.history);
      get().restoreListSelection(tab.listSelection);
    }

    const firstId = newTabId();
    return {
      tabs: [{ id: firstId, selection: null, history: noHistory, listSelection: emptySelection }],
      activeTabId: firstId,

      openTab(selection) {
        const state = get();
        const tab: BrowserTab = {
          id: newTabId(),
          selection: selection === undefined ? state.selection : selection,
          history: noHistory,
          listSelection: emptySelection,
        };
        const at = state.tabs.findIndex((t) => t.id === state.activeTabId) + 1;
        const tabs = liveTabs(state);
        tabs.splice(at, 0, tab);
        set({ tabs, activeTabId: tab.id });
        show(tab);
      },

      closeTab(id) {
        const { tabs, activeTabId } = get();
        const index = tabs.findIndex((t) => t.id === id);
        if (index < 0 || tabs.length === 1) return;
        const rest = tabs.filter((t) => t.id !== id);
        if (id !== activeTabId) {
          set({ tabs: rest });
          return;
        }
        const next = rest[Math.min(index, rest.length - 1)];
        if (!next) return;
        set({ tabs: rest, activeTabId: next.id });
        show(next);
      },

      switchTab(id) {
        const state = get();
        const target = state.tabs.find((t) => t.id === id);
        if (!target || id === state.activeTabId) return;
        set({ tabs: liveTabs(state), activeTabId: id });
        show(target);
      },

      restoreTabs(saved) {
        const tabs = saved.tabs.map(({ id, selection }): BrowserTab => ({
          id,
          selection,
          history: noHistory,
          listSelection: emptySelection,
        }));
        const active = tabs.find((t) => t.id === saved.activeTabId) ?? tabs[0];
        if (!active) return;
        set({ tabs, activeTabId: active.id });
        show(active);
      },
    };
  };
}

/** Where the tabs are remembered: localStorage in the window's origin, never throwing. */
export interface TabStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const STORAGE_KEY = 's3fm.tabs';

/** The tabs an earlier session saved, or null when there are none (or they cannot be read). */
export function readSavedTabs(storage: TabStorage): SavedTabs | null {
  try {
    const parsed = savedTabsSchema.safeParse(JSON.parse(storage.getItem(STORAGE_KEY) ?? 'null'));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Saves the tabs whenever a tab or the active tab's place changes, so a restart opens them again.
 * Returns the function that stops it.
 */
export function rememberTabs(
  store: {
    getState: () => AppState;
    subscribe: (listener: (state: AppState, previous: AppState) => void) => () => void;
  },
  storage: TabStorage,
): () => void {
  return store.subscribe((state, previous) => {
    if (
      state.tabs === previous.tabs &&
      state.activeTabId === previous.activeTabId &&
      state.selection === previous.selection
    ) {
      return;
    }
    try {
      storage.setItem(STORAGE_KEY, JSON.stringify(tabsToSave(state)));
    } catch {
      // Not remembered this time; the tabs still work.
    }
  });
}
