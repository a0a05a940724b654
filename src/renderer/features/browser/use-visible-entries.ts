import { useDeferredValue, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../../stores/app-store';
import { createIncrementalSorter, filterEntries, type BrowserEntry } from './entries';

/**
 * The rows the file list shows, in order: the listing sorted (merging each new page rather
 * than sorting everything again) and filtered. The filter is deferred, so typing in "Filter
 * this folder" stays responsive over 100,000 rows: React renders the old rows until the new
 * ones are ready.
 */
export function useVisibleEntries(): BrowserEntry[] {
  const { entries, sortOrder, filterText } = useAppStore(
    useShallow((s) => ({ entries: s.listing.entries, sortOrder: s.sortOrder, filterText: s.filterText })),
  );
  const filter = useDeferredValue(filterText);
  const [sorter] = useState(createIncrementalSorter);
  const sorted = useMemo(() => sorter(entries, sortOrder), [sorter, entries, sortOrder]);
  return useMemo(() => filterEntries(sorted, filter), [sorted, filter]);
}
