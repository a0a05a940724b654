import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { whyUnavailable } from '../../../shared/capabilities';
import { parentOf } from '../../../shared/names';
import { notify, useAppStore } from '../../stores/app-store';
import type { BrowserDialog } from '../../stores/browser-dialogs-slice';
import type { BrowserLocation } from '../../stores/selection-slice';
import { useBucketCapabilities } from '../capabilities/use-capabilities';
import type { BrowserEntry } from './entries';
import { useBucketVersioning, type VersioningState } from './use-bucket-versioning';

/** One thing the person can do in the file browser, shared by the toolbar, the context menu and the keyboard. */
export interface BrowserCommand {
  /** Why it cannot be done now, in words (shown as the disabled button's tooltip); null when it can. */
  disabledReason: string | null;
  /** Does it (nothing while disabled). */
  run: () => void;
}

/** The file browser's commands. */
export interface BrowserCommands {
  open: BrowserCommand;
  rename: BrowserCommand;
  copy: BrowserCommand;
  move: BrowserCommand;
  /** Copies the selection into a bucket of another account (through the app, in the transfers panel). */
  copyAcross: BrowserCommand;
  /** Moves the selection into a bucket of another account: each source goes once its copy is verified. */
  moveAcross: BrowserCommand;
  delete: BrowserCommand;
  newFolder: BrowserCommand;
  refresh: BrowserCommand;
  /** Uploads files or folders into the folder shown (a picker; dropping works too). */
  upload: BrowserCommand;
  /** Downloads the selected files and folders to a local folder. */
  download: BrowserCommand;
  /** Makes share links for the selected files. */
  copyLink: BrowserCommand;
  /** Lists the selected file's versions and delete markers. */
  showVersions: BrowserCommand;
  /** Edits the one selected file with a local app (desktop: the default app; web mode: download, then upload changes). */
  edit: BrowserCommand;
  /** Desktop: edits the one selected file with an app the person picks. */
  editWith: BrowserCommand;
  /** Makes a drop box (an upload page) for the one selected folder, else for the folder shown. */
  dropBox: BrowserCommand;
  /** Syncs a local folder with the folder shown, after a preview. */
  sync: BrowserCommand;
  /** "Show deleted files": lists the folder's deleted files beside the live ones (a toggle). */
  showDeleted: BrowserCommand & { pressed: boolean };
  /** Brings the selected deleted files and folders back (removes their delete markers). */
  undelete: BrowserCommand;
  /** Removes every version of the selected deleted files, after a confirmation. */
  deleteForGood: BrowserCommand;
  /** Opens one row: a folder is entered; a search result file is shown in its folder. */
  openEntry: (entry: BrowserEntry) => void;
}

/** Where focus goes when a dialog closes and what had focus is gone: the file list. */
export function fileListFocusTarget(): HTMLElement | null {
  return document.querySelector<HTMLElement>('[role="grid"][data-file-list]');
}

function command(disabledReason: string | null, action: () => void): BrowserCommand {
  return { disabledReason, run: () => (disabledReason === null ? action() : undefined) };
}

/**
 * What the selection allows, given the rows shown (`visible`: only shown rows are acted on,
 * so a filter never lets an action touch something the person cannot see).
 */
export function useBrowserCommands(visible: readonly BrowserEntry[]): BrowserCommands {
  const {
    listing,
    listSelection,
    navigate,
    revealKey,
    refreshListing,
    openBrowserDialog,
    requestUpload,
    requestDownload,
    openShareDialog,
    openDropBox,
    showDeleted,
    setShowDeleted,
    undeleteItems,
    accountCount,
    startEdit,
  } = useAppStore(
    useShallow((s) => ({
      accountCount: s.accounts.length,
      startEdit: s.startEdit,
      openDropBox: s.openDropBox,
      showDeleted: s.showDeleted,
      setShowDeleted: s.setShowDeleted,
      undeleteItems: s.undeleteItems,
      requestUpload: s.requestUpload,
      requestDownload: s.requestDownload,
      openShareDialog: s.openShareDialog,
      listing: s.listing,
      listSelection: s.listSelection,
      navigate: s.navigate,
      revealKey: s.revealKey,
      refreshListing: s.refreshListing,
      openBrowserDialog: s.openBrowserDialog,
    })),
  );

  const accountId = listing.location?.accountId ?? null;
  const bucket = listing.location?.bucket ?? null;
  const versioning = useBucketVersioning(accountId, bucket);
  const model = useBucketCapabilities(accountId, bucket);
  const noPostForms = model ? whyUnavailable(model, 'postPolicy') : undefined;
  const noVersions = (model ? whyUnavailable(model, 'versioning') : undefined) ?? versioning.reason;

  return useMemo(() => {
    const location = listing.location;
    const all = listSelection.selected.size === 0 ? [] : visible.filter((e) => listSelection.selected.has(e.key));
    // Deleted rows take only Undelete, Delete for good and Show versions; every other command acts on live ones.
    const deletedKeys = all.filter((e) => e.deleted).map((e) => e.key);
    const selected = deletedKeys.length === 0 ? all : all.filter((e) => !e.deleted);
    const keys = selected.map((e) => e.key);
    const noLocation = 'Open a bucket first.';
    const nothingSelected = location ? 'Select files or folders first.' : noLocation;

    const openEntry = (entry: BrowserEntry): void => {
      if (!location) return;
      if (entry.kind === 'folder') {
        navigate({ ...location, prefix: entry.key });
      } else if (listing.search !== null) {
        navigate({ ...location, prefix: parentOf(entry.key) });
        revealKey(entry.key);
      }
    };
    const dialog = (reason: string | null, make: (at: BrowserLocation) => BrowserDialog | null) =>
      command(reason, () => {
        const opened = location ? make(location) : null;
        if (!opened) return;
        // Focus on the list first: the dialog returns it there (a menu item is gone by then).
        fileListFocusTarget()?.focus();
        openBrowserDialog(opened);
      });

    const only = selected.length === 1 ? selected[0] : undefined;
    // A deleted folder opens too: inside, its deleted files are listed.
    const single = all.length === 1 ? all[0] : undefined;
    const openReason = !location
      ? noLocation
      : !single
        ? 'Select one folder to open.'
        : single.kind === 'file' && listing.search === null
          ? 'Files cannot be opened here yet: only folders open.'
          : null;
    const some =
      selected.length > 0
        ? null
        : deletedKeys.length > 0
          ? 'Deleted items can only be undeleted or deleted for good.'
          : nothingSelected;
    const deletedReason = showDeletedReason(location !== null, listing.search !== null, versioning.state, noVersions);
    const deletedOn = showDeleted && deletedReason === null;
    const noDeletedSelected = !location
      ? noLocation
      : !deletedOn
        ? 'Turn on Show deleted files first.'
        : deletedKeys.length === 0
          ? 'Select deleted files or folders first.'
          : null;
    const files = selected.filter((e) => e.kind === 'file');
    const acrossReason =
      accountCount < 2 ? 'Add another account first: this copies into a bucket of another account.' : null;

    return {
      open: command(openReason, () => {
        if (single) openEntry(single);
      }),
      rename: dialog(!location ? noLocation : only ? null : 'Select one item to rename.', (at) =>
        only ? { kind: 'rename', location: at, key: only.key } : null,
      ),
      copy: dialog(some, (at) => ({ kind: 'transfer', mode: 'copy', location: at, items: keys })),
      move: dialog(some, (at) => ({ kind: 'transfer', mode: 'move', location: at, items: keys })),
      copyAcross: dialog(some ?? acrossReason, (at) => ({
        kind: 'transfer-across',
        mode: 'copy',
        location: at,
        items: keys,
      })),
      moveAcross: dialog(some ?? acrossReason, (at) => ({
        kind: 'transfer-across',
        mode: 'move',
        location: at,
        items: keys,
      })),
      // Deleted items alone: the Delete key (or button) asks to delete them for good.
      delete:
        selected.length === 0 && deletedKeys.length > 0 && deletedOn
          ? dialog(null, (at) => ({ kind: 'delete-for-good', location: at, keys: deletedKeys }))
          : dialog(some, (at) => ({ kind: 'delete', location: at, keys })),
      newFolder: dialog(
        !location ? noLocation : listing.search !== null ? 'Leave the search results to make a folder.' : null,
        (at) => ({ kind: 'new-folder', location: at }),
      ),
      refresh: command(location ? null : noLocation, refreshListing),
      upload: command(
        !location ? noLocation : listing.search !== null ? 'Leave the search results to upload into a folder.' : null,
        () => (location ? requestUpload(location) : undefined),
      ),
      download: command(some, () => (location ? requestDownload(location, keys) : undefined)),
      copyLink: command(
        !location ? noLocation : files.length === 0 ? 'Select one or more files (folders have no links).' : null,
        () =>
          location
            ? openShareDialog(
                location,
                files.map((e) => e.key),
              )
            : undefined,
      ),
      showVersions: dialog(
        !location
          ? noLocation
          : all.length === 1 && all[0]?.kind === 'file'
            ? null
            : 'Select one file to see its versions.',
        (at) => (all[0] ? { kind: 'versions', location: at, key: all[0].key } : null),
      ),
      edit: command(!location ? noLocation : only?.kind === 'file' ? null : 'Select one file to edit.', () =>
        location && only ? void startEdit(location, only.key, inDesktopApp() ? 'default' : 'browser') : undefined,
      ),
      editWith: command(
        !location
          ? noLocation
          : !inDesktopApp()
            ? 'Choosing an app works in the desktop app.'
            : only?.kind === 'file'
              ? null
              : 'Select one file to edit.',
        () => (location && only ? void startEdit(location, only.key, 'choose') : undefined),
      ),
      dropBox: command(
        !location ? noLocation : noPostForms !== undefined ? `${noPostForms} A drop box needs them.` : null,
        () => {
          if (!location) return;
          fileListFocusTarget()?.focus();
          openDropBox({ ...location, prefix: only?.kind === 'folder' ? only.key : location.prefix });
        },
      ),
      sync: dialog(
        !location ? noLocation : listing.search !== null ? 'Leave the search results to sync a folder.' : null,
        (at) => ({ kind: 'sync', location: at }),
      ),
      showDeleted: {
        ...command(deletedReason, () => setShowDeleted(!showDeleted)),
        pressed: deletedOn,
      },
      undelete: command(noDeletedSelected, () => {
        if (!location) return;
        void undeleteItems(location, deletedKeys).then((result) => {
          if (!result.ok) notify(`Could not undelete: ${result.error.message}`, 'error');
        });
      }),
      deleteForGood: dialog(noDeletedSelected, (at) => ({ kind: 'delete-for-good', location: at, keys: deletedKeys })),
      openEntry,
    };
  }, [
    noPostForms,
    openDropBox,
    listing.location,
    listing.search,
    listSelection,
    visible,
    navigate,
    revealKey,
    refreshListing,
    openBrowserDialog,
    requestUpload,
    requestDownload,
    openShareDialog,
    showDeleted,
    setShowDeleted,
    undeleteItems,
    startEdit,
    versioning.state,
    noVersions,
    accountCount,
  ]);
}

/** Whether this page runs in the desktop app (the preload set window.api), where files open in local apps. */
export function inDesktopApp(): boolean {
  return typeof window !== 'undefined' && window.api !== undefined;
}

/** Why "Show deleted files" cannot be turned on here, in words; null where it can. */
export function showDeletedReason(
  hasLocation: boolean,
  searching: boolean,
  versioning: VersioningState,
  noVersions: string | null | undefined,
): string | null {
  if (!hasLocation) return 'Open a bucket first.';
  if (noVersions) return `${noVersions} Deleted files cannot be shown.`;
  if (versioning === 'off') {
    return 'Versioning was never turned on for this bucket, so deleted files are gone for good: there is nothing to show.';
  }
  if (searching) return 'Leave the search results to show deleted files.';
  return null;
}
