import { create } from 'zustand';
import { createAccountDialogsSlice } from './account-dialogs-slice';
import { createAccountsSlice } from './accounts-slice';
import type { AppState, StoreDependencies } from './app-state';
import { createNotificationsSlice } from './notifications-slice';
import { createSelectionSlice } from './selection-slice';

/**
 * Builds the bound store from its slices (the zustand slices pattern). A factory, not a
 * module-level store, so tests can build one over a fake API without a browser window.
 */
export function createAppStore(deps: StoreDependencies) {
  const accounts = createAccountsSlice(deps);
  const accountDialogs = createAccountDialogsSlice();
  const selection = createSelectionSlice();
  const notifications = createNotificationsSlice();
  return create<AppState>()((...a) => ({
    ...accounts(...a),
    ...accountDialogs(...a),
    ...selection(...a),
    ...notifications(...a),
  }));
}

/** The bound store hook returned by createAppStore: call it with a selector, or use getState outside React. */
export type AppStore = ReturnType<typeof createAppStore>;
