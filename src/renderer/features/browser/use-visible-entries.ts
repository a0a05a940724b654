import { useDeferredValue, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { AppState } from '../../stores/app-state';
import { useAppStore } from '../../stores/app-store';
import { sameLocation } from '../../stores/selection-slice';
import { createIncrementalSorter, filterEntries, withDeletedRows, type BrowserEntry } from './entries';

/**
 * The rows the file list shows, in order: the listing sorted (merging each new page rather
 * than sorting everything again) and filtered. The filter is deferred, so typing in "Filter
 * this folder" stays responsive over 100,000 rows: React renders the old rows until the new
 * ones are ready. With "Show deleted files" on, the folder's deleted files are sorted apart and
 * merged in (see withDeletedRows).
 */
export function useVisibleEntries(): BrowserEntry[] {
  const { entries, sortOrder, filterText, deletedEntries } = useAppStore(
    useShallow((s) => {
      const shown = deletedShown(s);
      return {
        entries: s.listing.entries,
        sortOrder: s.sortOrder,
        filterText: s.filterText,
        deletedEntries: shown ? s.deletedListing.entries : null,
      };
    }),
  );
  const filter = useDeferredValue(filterText);
  const [sorter] = useState(createIncrementalSorter);
  const sorted = useMemo(() => sorter(entries, sortOrder), [sorter, entries, sortOrder]);
  const withDeleted = useMemo(() => {
    if (deletedEntries === null) return sorted;
    return withDeletedRows(sorted, deletedEntries, sortOrder);
  }, [sorted, deletedEntries, sortOrder]);
  return useMemo(() => filterEntries(withDeleted, filter), [withDeleted, filter]);
}

/** Whether the deleted files listed are the shown folder's, and are to be shown. */
function deletedShown(s: AppState): boolean {
  const { showDeleted, deletedListing, listing } = s;
  return showDeleted && listing.search === null && sameLocation(deletedListing.location, listing.location);
}
