import { useEffect } from 'react';
import { EditSessionsBar } from '../edit/edit-sessions-bar';
import { useShallow } from 'zustand/react/shallow';
import { Icon } from '../../components/icon';
import { CentrePlaceholder } from '../accounts/centre-placeholder';
import { useAppStore } from '../../stores/app-store';
import { SEARCH_RESULT_LIMIT, SEARCH_SCAN_LIMIT, type ListingState } from '../../stores/listing-slice';
import { locationOf } from '../../stores/selection-slice';
import { Breadcrumbs } from './breadcrumbs';
import { useBrowserCommands } from './browser-commands';
import { BrowserToolbar } from './browser-toolbar';
import { DeletedFilesStatus, useDeletedListing } from './deleted-files-status';
import type { BrowserEntry } from './entries';
import { FileList } from './file-list';
import { countOf } from './format';
import { LocationBar } from './location-bar';
import { useVisibleEntries } from './use-visible-entries';
import { TabStrip } from '../tabs/tab-strip';

/**
 * The main area: the toolbar, the location bar (history, path, filter), the breadcrumbs, the
 * file list of the current folder (or of a bucket search) and a status line with the count.
 */
export function FileBrowser() {
  const { hasLocation, listing, filterText, selectedCount } = useAppStore(
    useShallow((s) => ({
      hasLocation: locationOf(s.selection) !== null,
      listing: s.listing,
      filterText: s.filterText,
      selectedCount: s.listSelection.selected.size,
    })),
  );
  const visible = useVisibleEntries();
  const commands = useBrowserCommands(visible);
  useDeletedListing(commands.showDeleted.pressed, listing.location);
  useHistoryShortcuts();

  return (
    <main aria-label="Files" className="pane file-browser">
      <TabStrip />
      <BrowserToolbar commands={commands} />
      {hasLocation && listing.location ? (
        <>
          <LocationBar />
          <div className="file-browser__header">
            <Breadcrumbs location={listing.location} />
            {listing.search !== null ? <SearchBanner listing={listing} /> : null}
          </div>
          <FileList
            visible={visible}
            commands={commands}
            label={
              listing.search !== null
                ? `Keys starting with ${listing.location.prefix}${listing.search}`
                : `Files in ${listing.location.prefix || listing.location.bucket}`
            }
            emptyMessage={<EmptyMessage listing={listing} filterText={filterText} />}
          />
          <EditSessionsBar />
          <StatusBar listing={listing} visible={visible} filterText={filterText} selectedCount={selectedCount} />
        </>
      ) : (
        <CentrePlaceholder />
      )}
    </main>
  );
}

/** Where history keys are left alone: text fields (Backspace edits, Alt+arrows move by word on macOS), dialogs, menus. */
function keepsKeys(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    target.closest('input, textarea, select, [role="dialog"], [role="alertdialog"], [role="menu"]') !== null
  );
}

/** Alt+Left and Alt+Right go back and forward, Alt+Up or Backspace goes up, anywhere in the window. */
function useHistoryShortcuts(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || keepsKeys(event.target) || event.ctrlKey || event.metaKey) return;
      const { goBack, goForward, goUp } = useAppStore.getState();
      const action =
        event.altKey && event.key === 'ArrowLeft'
          ? goBack
          : event.altKey && event.key === 'ArrowRight'
            ? goForward
            : (event.altKey && event.key === 'ArrowUp') ||
                (!event.altKey && !event.shiftKey && event.key === 'Backspace')
              ? goUp
              : null;
      if (!action) return;
      // Also keeps a browser (web mode) from leaving the page on Alt+Left.
      event.preventDefault();
      action();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}

function SearchBanner({ listing }: { listing: ListingState }) {
  const clearSearch = useAppStore((s) => s.clearSearch);
  const prefix = `${listing.location?.prefix ?? ''}${listing.search ?? ''}`;
  const folder = listing.location?.prefix ?? '';
  return (
    <div className="search-banner">
      <Icon name="search" className="search-banner__icon" />
      <p className="search-banner__text">
        {listing.searchMode === 'contains' ? (
          <>
            Keys containing <code>{listing.search}</code>
            {folder ? (
              <>
                {' '}
                under <code>{folder}</code>
              </>
            ) : null}
          </>
        ) : prefix ? (
          <>
            Keys starting with <code>{prefix}</code>
          </>
        ) : (
          'Every key'
        )}{' '}
        in {listing.location?.bucket}
      </p>
      <button type="button" className="button button--small" onClick={clearSearch}>
        Back to folder
      </button>
    </div>
  );
}

function EmptyMessage({ listing, filterText }: { listing: ListingState; filterText: string }) {
  const { refreshListing, setFilterText } = useAppStore(
    useShallow((s) => ({ refreshListing: s.refreshListing, setFilterText: s.setFilterText })),
  );
  if (listing.status === 'error' && listing.error) {
    return (
      <div role="alert" className="callout callout--danger file-list__error">
        <Icon name="alert" />
        <div className="callout__body">
          <span>{listing.error.message}</span>
          <button type="button" className="button button--small" onClick={refreshListing}>
            Try again
          </button>
        </div>
      </div>
    );
  }
  if (listing.status === 'loading' || listing.status === 'idle') {
    return (
      <p className="empty-state file-list__loading">
        <Icon name="spinner" className="icon--spin" /> Loading…
      </p>
    );
  }
  if (listing.entries.length > 0 && filterText.trim() !== '') {
    return (
      <div className="empty-state">
        <p>Nothing here matches “{filterText.trim()}”.</p>
        <button type="button" className="button button--small" onClick={() => setFilterText('')}>
          Clear filter
        </button>
      </div>
    );
  }
  return (
    <p className="empty-state">{listing.search !== null ? 'No keys start with that text.' : 'This folder is empty.'}</p>
  );
}

function StatusBar({
  listing,
  visible,
  filterText,
  selectedCount,
}: {
  listing: ListingState;
  visible: readonly BrowserEntry[];
  filterText: string;
  selectedCount: number;
}) {
  const stopLoading = useAppStore((s) => s.stopLoading);
  const loading = listing.status === 'loading';
  const total = listing.entries.length;
  const noun = listing.search !== null ? 'result' : 'item';
  const scanning = listing.search !== null && listing.searchMode === 'contains';
  const count = loading
    ? scanning
      ? `${countOf(total, noun)} · ${countOf(listing.scanned, 'key')} searched`
      : `${countOf(total, noun)} loaded`
    : filterText.trim() !== ''
      ? `${visible.length.toLocaleString()} of ${countOf(total, noun)}`
      : countOf(total, noun);
  const note = listing.limited
    ? scanning && total < SEARCH_RESULT_LIMIT
      ? `The search stopped after reading ${SEARCH_SCAN_LIMIT.toLocaleString()} keys: more may match. Search from a deeper folder, or by the start of the key.`
      : `The search stopped at ${SEARCH_RESULT_LIMIT.toLocaleString()} results. Type more of the key to narrow it.`
    : listing.status === 'stopped'
      ? 'Loading stopped: more items may exist.'
      : listing.status === 'error' && total > 0
        ? `Loading failed: ${listing.error?.message ?? ''}`
        : null;
  return (
    <footer className="status-bar">
      <p role="status" className="status-bar__count">
        {loading || listing.refreshing ? <Icon name="spinner" className="icon--spin status-bar__spinner" /> : null}
        <span>{count}</span>
        {selectedCount > 0 ? (
          <span className="status-bar__selected">{`${selectedCount.toLocaleString()} selected`}</span>
        ) : null}
      </p>
      <DeletedFilesStatus />
      {note ? (
        <p className="status-bar__note" data-tone={listing.status === 'error' ? 'error' : undefined}>
          {note}
        </p>
      ) : null}
      {loading ? (
        <button type="button" className="button button--small" onClick={stopLoading}>
          <Icon name="stop" />
          Stop loading
        </button>
      ) : null}
    </footer>
  );
}
