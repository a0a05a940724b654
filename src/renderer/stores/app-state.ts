import type { Api } from '../../shared/api';
import type { AccountDialogsSlice } from './account-dialogs-slice';
import type { AccountsSlice } from './accounts-slice';
import type { BookmarksSlice } from './bookmarks-slice';
import type { BrowserDialogsSlice } from './browser-dialogs-slice';
import type { CapabilitiesSlice } from './capabilities-slice';
import type { DetailsSlice } from './details-slice';
import type { EditSlice } from './edit-slice';
import type { FolderTreeSlice } from './folder-tree-slice';
import type { ListingSlice } from './listing-slice';
import type { NotificationsSlice } from './notifications-slice';
import type { ObjectActionsSlice } from './object-actions-slice';
import type { OperationsSlice } from './operations-slice';
import type { SelectionSlice } from './selection-slice';
import type { ShareSlice } from './share-slice';
import type { TabsSlice } from './tabs-slice';
import type { TransfersSlice } from './transfers-slice';
import type { VersioningSlice } from './versioning-slice';

/** The whole renderer state: one bound store made of slices, each with its actions beside its state. */
export type AppState = AccountsSlice &
  AccountDialogsSlice &
  SelectionSlice &
  NotificationsSlice &
  ListingSlice &
  FolderTreeSlice &
  OperationsSlice &
  ObjectActionsSlice &
  BrowserDialogsSlice &
  TransfersSlice &
  ShareSlice &
  DetailsSlice &
  CapabilitiesSlice &
  VersioningSlice &
  EditSlice &
  BookmarksSlice &
  TabsSlice;

/** What the store needs from outside; passed in so tests can give it a fake API without a window. */
export interface StoreDependencies {
  api: Pick<
    Api,
    | 'accounts'
    | 'buckets'
    | 'objects'
    | 'folders'
    | 'operations'
    | 'versions'
    | 'transfers'
    | 'share'
    | 'details'
    | 'sse'
    | 'capabilities'
    | 'links'
    | 'edit'
    | 'bookmarks'
  >;
}
