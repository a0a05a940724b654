import { create } from 'zustand';
import { createAccountDialogsSlice } from './account-dialogs-slice';
import { createAccountsSlice } from './accounts-slice';
import { createBookmarksSlice } from './bookmarks-slice';
import type { AppState, StoreDependencies } from './app-state';
import { createBrowserDialogsSlice } from './browser-dialogs-slice';
import { createCapabilitiesSlice } from './capabilities-slice';
import { createDetailsSlice } from './details-slice';
import { createEditSlice } from './edit-slice';
import { createFolderTreeSlice } from './folder-tree-slice';
import { createListingSlice } from './listing-slice';
import { createNotificationsSlice } from './notifications-slice';
import { createObjectActionsSlice } from './object-actions-slice';
import { createOperationsSlice } from './operations-slice';
import { createSelectionSlice } from './selection-slice';
import { createShareSlice } from './share-slice';
import { createTabsSlice } from './tabs-slice';
import { createTransfersSlice } from './transfers-slice';
import { createVersioningSlice } from './versioning-slice';

/**
 * Builds the bound store from its slices (the zustand slices pattern). A factory, not a
 * module-level store, so tests can build one over a fake API without a browser window.
 */
export function createAppStore(deps: StoreDependencies) {
  const accounts = createAccountsSlice(deps);
  const accountDialogs = createAccountDialogsSlice();
  const selection = createSelectionSlice();
  const notifications = createNotificationsSlice();
  const listing = createListingSlice(deps);
  const folderTree = createFolderTreeSlice(deps);
  const operations = createOperationsSlice(deps);
  const objectActions = createObjectActionsSlice(deps);
  const browserDialogs = createBrowserDialogsSlice();
  const transfers = createTransfersSlice(deps);
  const share = createShareSlice(deps);
  const details = createDetailsSlice(deps);
  const capabilities = createCapabilitiesSlice(deps);
  const versioning = createVersioningSlice(deps);
  const edit = createEditSlice(deps);
  const bookmarks = createBookmarksSlice(deps);
  const tabs = createTabsSlice();
  return create<AppState>()((...a) => ({
    ...accounts(...a),
    ...accountDialogs(...a),
    ...selection(...a),
    ...notifications(...a),
    ...listing(...a),
    ...folderTree(...a),
    ...operations(...a),
    ...objectActions(...a),
    ...browserDialogs(...a),
    ...transfers(...a),
    ...share(...a),
    ...details(...a),
    ...capabilities(...a),
    ...versioning(...a),
    ...edit(...a),
    ...bookmarks(...a),
    ...tabs(...a),
  }));
}

/** The bound store hook returned by createAppStore: call it with a selector, or use getState outside React. */
export type AppStore = ReturnType<typeof createAppStore>;
