import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Icon } from '../../components/icon';
import { useAppStore } from '../../stores/app-store';
import type { BrowserLocation } from '../../stores/selection-slice';
import { countOf } from './format';

/**
 * Lists the shown folder's deleted files while "Show deleted files" is on (and can be: `on` is
 * the toggle's effective state), and stops when it is turned off or the list moves on.
 */
export function useDeletedListing(on: boolean, location: BrowserLocation | null): void {
  const listDeletedAt = useAppStore((s) => s.listDeletedAt);
  useEffect(() => {
    listDeletedAt(on ? location : null);
  }, [on, location, listDeletedAt]);
}

/**
 * The status bar's word on deleted files while they are shown: how many were found, how many
 * versions were read while it is looking (a folder of live files reads many and finds none),
 * Stop, and a failure with Try again.
 */
export function DeletedFilesStatus() {
  const { deleted, stop, refresh } = useAppStore(
    useShallow((s) => ({ deleted: s.deletedListing, stop: s.stopDeletedLoading, refresh: s.refreshDeleted })),
  );
  if (!deleted.location) return null;
  const found = deleted.entries.filter((e) => e.kind === 'file').length;
  if (deleted.status === 'error') {
    return (
      <p className="status-bar__note" data-tone="error">
        Deleted files could not be listed: {deleted.error?.message}{' '}
        <button type="button" className="button button--small" onClick={refresh}>
          Try again
        </button>
      </p>
    );
  }
  const loading = deleted.status === 'loading';
  return (
    <p className="status-bar__note">
      {loading ? <Icon name="spinner" className="icon--spin status-bar__spinner" /> : null}
      {loading
        ? `Looking for deleted files: ${found.toLocaleString()} found, ${countOf(deleted.scanned, 'version')} read`
        : deleted.status === 'stopped'
          ? `${countOf(found, 'deleted file')} shown; looking for more was stopped.`
          : `${countOf(found, 'deleted file')} here.`}
      {loading ? (
        <button type="button" className="button button--small" onClick={stop}>
          Stop looking
        </button>
      ) : null}
    </p>
  );
}
