import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { whyUnavailable } from '../../../shared/capabilities';
import { parentOf } from '../../../shared/names';
import { useAppStore } from '../../stores/app-store';
import type { BrowserDialog } from '../../stores/browser-dialogs-slice';
import type { BrowserLocation } from '../../stores/selection-slice';
import { useBucketCapabilities } from '../capabilities/use-capabilities';
import type { BrowserEntry } from './entries';

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
  /** Makes a drop box (an upload page) for the one selected folder, else for the folder shown. */
  dropBox: BrowserCommand;
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
  } = useAppStore(
    useShallow((s) => ({
      openDropBox: s.openDropBox,
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

  const model = useBucketCapabilities(listing.location?.accountId ?? null, listing.location?.bucket ?? null);
  const noPostForms = model ? whyUnavailable(model, 'postPolicy') : undefined;

  return useMemo(() => {
    const location = listing.location;
    const selected = listSelection.selected.size === 0 ? [] : visible.filter((e) => listSelection.selected.has(e.key));
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
    const openReason = !location
      ? noLocation
      : selected.length !== 1
        ? 'Select one folder to open.'
        : only?.kind === 'file' && listing.search === null
          ? 'Files cannot be opened here yet: only folders open.'
          : null;
    const some = selected.length > 0 ? null : nothingSelected;
    const files = selected.filter((e) => e.kind === 'file');

    return {
      open: command(openReason, () => {
        if (only) openEntry(only);
      }),
      rename: dialog(!location ? noLocation : only ? null : 'Select one item to rename.', (at) =>
        only ? { kind: 'rename', location: at, key: only.key } : null,
      ),
      copy: dialog(some, (at) => ({ kind: 'transfer', mode: 'copy', location: at, items: keys })),
      move: dialog(some, (at) => ({ kind: 'transfer', mode: 'move', location: at, items: keys })),
      delete: dialog(some, (at) => ({ kind: 'delete', location: at, keys })),
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
        !location ? noLocation : only?.kind === 'file' ? null : 'Select one file to see its versions.',
        (at) => (only ? { kind: 'versions', location: at, key: only.key } : null),
      ),
      dropBox: command(
        !location ? noLocation : noPostForms !== undefined ? `${noPostForms} A drop box needs them.` : null,
        () => {
          if (!location) return;
          fileListFocusTarget()?.focus();
          openDropBox({ ...location, prefix: only?.kind === 'folder' ? only.key : location.prefix });
        },
      ),
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
  ]);
}
