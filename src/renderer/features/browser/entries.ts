import type { FileEntry, FolderEntry } from '../../../shared/objects';

/** One line of the file list: a folder (a common prefix) or a file. */
export type BrowserEntry = FolderEntry | FileEntry;

/** A column the list can be sorted by. */
export type SortColumn = 'name' | 'size' | 'lastModified' | 'storageClass';

/** How the list is sorted: a column and a direction (the words aria-sort uses). */
export interface SortOrder {
  column: SortColumn;
  direction: 'ascending' | 'descending';
}

/** The order a folder opens in: by name, A to Z. */
export const defaultSortOrder: SortOrder = { column: 'name', direction: 'ascending' };

// Natural order as file managers use it: "file 2" before "file 10", case and accents ignored
// at first (then used to break ties, so the order is total and stable).
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareNames(a: BrowserEntry, b: BrowserEntry): number {
  return collator.compare(a.name, b.name) || compareStrings(a.key, b.key);
}

function compareColumn(column: SortColumn, a: BrowserEntry, b: BrowserEntry): number {
  // Folders have no size, date or class: among themselves they stay in name order.
  if (column === 'name' || a.kind === 'folder' || b.kind === 'folder') return 0;
  switch (column) {
    case 'size':
      return a.size - b.size;
    case 'lastModified':
      // ISO 8601 strings of one service sort as their dates do, compared as they are (a
      // collation would cost a thousand times more); a missing date sorts first.
      return compareStrings(a.lastModified ?? '', b.lastModified ?? '');
    case 'storageClass':
      return collator.compare(a.storageClass ?? '', b.storageClass ?? '');
  }
}

/**
 * The comparison for a sort order. Folders always come first (in either direction, as in
 * Finder and Explorer); ties are broken by name, then key, so the order is total.
 */
export function compareEntries(order: SortOrder): (a: BrowserEntry, b: BrowserEntry) => number {
  const sign = order.direction === 'ascending' ? 1 : -1;
  return (a, b) => {
    if (a.kind !== b.kind) return a.kind === 'folder' ? -1 : 1;
    return sign * (compareColumn(order.column, a, b) || compareNames(a, b));
  };
}

/** A sorted copy of the entries. */
export function sortEntries(entries: readonly BrowserEntry[], order: SortOrder): BrowserEntry[] {
  return [...entries].sort(compareEntries(order));
}

/**
 * Adds entries to an already sorted list: sorts only the new ones and merges, rather than a
 * full sort, so a folder that arrives a page at a time stays cheap to show. The rows before
 * the first new one's place are found by binary search and copied without comparing: pages
 * usually arrive in an order close to the sorted one, so most of the list is never compared.
 */
export function mergeSorted<T>(sorted: readonly T[], added: readonly T[], compare: (a: T, b: T) => number): T[] {
  const extra = [...added].sort(compare);
  const first = extra[0];
  if (first === undefined) return [...sorted];
  // The first index whose row sorts after the first new row (new rows go after equal ones).
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compare(sorted[mid] as T, first) <= 0) low = mid + 1;
    else high = mid;
  }
  const merged: T[] = sorted.slice(0, low);
  let i = low;
  let j = 0;
  while (i < sorted.length && j < extra.length) {
    const left = sorted[i] as T;
    const right = extra[j] as T;
    if (compare(right, left) < 0) {
      merged.push(right);
      j++;
    } else {
      merged.push(left);
      i++;
    }
  }
  while (i < sorted.length) merged.push(sorted[i++] as T);
  while (j < extra.length) merged.push(extra[j++] as T);
  return merged;
}

/** The order after a click on a column header: the same column flips, another starts ascending. */
export function nextSortOrder(current: SortOrder, column: SortColumn): SortOrder {
  if (current.column === column) {
    return { column, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
  }
  return { column, direction: 'ascending' };
}

/**
 * A matcher for the "Filter this folder" field: case-insensitive, matching anywhere in the
 * name; with `*` or `?` it is a wildcard pattern over the whole name (`*.pdf`, `IMG_????.jpg`).
 * An empty query matches everything.
 */
export function entryMatcher(query: string): (entry: BrowserEntry) => boolean {
  const wanted = query.trim().toLocaleLowerCase();
  if (wanted === '') return () => true;
  if (/[*?]/.test(wanted)) {
    const source = wanted
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&')))
      .join('');
    const pattern = new RegExp(`^${source}$`, 's');
    return (entry) => pattern.test(entry.name.toLocaleLowerCase());
  }
  return (entry) => entry.name.toLocaleLowerCase().includes(wanted);
}

/** The entries a filter query lets through, in their order. */
export function filterEntries(entries: readonly BrowserEntry[], query: string): BrowserEntry[] {
  if (query.trim() === '') return entries as BrowserEntry[];
  return entries.filter(entryMatcher(query));
}

/** The order the name column keeps, ascending: the one the sorter maintains for every other. */
const nameOrder: SortOrder = { column: 'name', direction: 'ascending' };

/** Whether `entries` is `before` with rows added at its end (the next page of a folder arrived). */
function grewFrom(before: readonly BrowserEntry[], entries: readonly BrowserEntry[]): boolean {
  return (
    entries.length >= before.length &&
    before.length > 0 &&
    entries[0] === before[0] &&
    entries[before.length - 1] === before[before.length - 1]
  );
}

/** Name order descending: each kind's rows reversed, folders still first. */
function reversedWithinKinds(byName: readonly BrowserEntry[]): BrowserEntry[] {
  let firstFile = byName.findIndex((entry) => entry.kind === 'file');
  if (firstFile === -1) firstFile = byName.length;
  return [...byName.slice(0, firstFile).reverse(), ...byName.slice(firstFile).reverse()];
}

/**
 * The entries in name order, from the name order of an earlier listing of (mostly) the same
 * rows: a refreshed folder comes back whole, and sorting it again collates every name (up to
 * most of a second for 100,000, the further from key order the slower). A row whose kind, key and name the earlier listing had takes its earlier
 * place (no comparison: each name's place among the others is the same); the rest are sorted
 * and merged in. Order is total (ties fall to the key), so this is the order a full sort gives.
 */
function resortedByName(earlier: readonly BrowserEntry[], entries: readonly BrowserEntry[]): BrowserEntry[] {
  const places = new Map<string, number>();
  earlier.forEach((entry, place) => places.set(entry.key, place));
  const slots: Array<BrowserEntry | undefined> = new Array<BrowserEntry | undefined>(earlier.length);
  const unplaced: BrowserEntry[] = [];
  for (const entry of entries) {
    const place = places.get(entry.key);
    const before = place === undefined ? undefined : earlier[place];
    if (
      place !== undefined &&
      slots[place] === undefined &&
      before?.kind === entry.kind &&
      before.name === entry.name
    ) {
      slots[place] = entry;
    } else {
      unplaced.push(entry);
    }
  }
  const placed = slots.filter((entry): entry is BrowserEntry => entry !== undefined);
  return mergeSorted(placed, unplaced, compareEntries(nameOrder));
}

/**
 * A sort by a column other than the name, from the rows in name order: a stable sort on the
 * column alone (kinds apart), so rows that tie keep their name order and no name is collated
 * again. Storage classes are collated once each, not once per comparison.
 */
function sortedByColumn(byName: readonly BrowserEntry[], order: SortOrder): BrowserEntry[] {
  const ascending = order.direction === 'ascending';
  const rows = ascending ? [...byName] : reversedWithinKinds(byName);
  const sign = ascending ? 1 : -1;
  let compareColumnOf = (a: FileEntry, b: FileEntry): number => compareColumn(order.column, a, b);
  if (order.column === 'storageClass') {
    const classes = [...new Set(rows.map((row) => (row.kind === 'file' ? (row.storageClass ?? '') : '')))];
    classes.sort((a, b) => collator.compare(a, b));
    const rank = new Map<string, number>();
    classes.forEach((name, i) => {
      const previous = classes[i - 1];
      const tied = previous !== undefined && collator.compare(previous, name) === 0;
      rank.set(name, tied ? (rank.get(previous) as number) : i);
    });
    const rankOf = (entry: FileEntry) => rank.get(entry.storageClass ?? '') as number;
    compareColumnOf = (a, b) => rankOf(a) - rankOf(b);
  }
  return rows.sort((a, b) => {
    if (a.kind !== b.kind) return a.kind === 'folder' ? -1 : 1;
    if (a.kind === 'folder' || b.kind === 'folder') return 0;
    return sign * compareColumnOf(a, b);
  });
}

/**
 * A sorter that remembers its last answers. It keeps the rows in name order whatever the
 * column shown: when the entries only grew since (the next page of a folder arrived: same
 * array prefix, same order) it merges the new ones in; when a listing is refreshed it places
 * the rows it knew where they were (resortedByName). Any other column is sorted from that name
 * order by the column alone (sortedByColumn), and a growing list merges its new rows into the
 * last answer. Only names never seen are collated, so a click on a column header over 100,000
 * rows takes a fraction of the time a collating sort did (0.65-0.87 s for 100,000 names in random order here).
 */
export function createIncrementalSorter(): (entries: readonly BrowserEntry[], order: SortOrder) => BrowserEntry[] {
  const compareByName = compareEntries(nameOrder);
  let names: { entries: readonly BrowserEntry[]; sorted: BrowserEntry[] } | null = null;
  let last: { entries: readonly BrowserEntry[]; order: SortOrder; sorted: BrowserEntry[] } | null = null;

  /** The entries in name order, ascending. */
  const byName = (entries: readonly BrowserEntry[]): BrowserEntry[] => {
    const previous = names;
    let sorted: BrowserEntry[];
    if (previous === null || previous.entries.length === 0) {
      sorted = sortEntries(entries, nameOrder);
    } else if (entries === previous.entries) {
      sorted = previous.sorted;
    } else if (grewFrom(previous.entries, entries)) {
      sorted =
        entries.length === previous.entries.length
          ? previous.sorted
          : mergeSorted(previous.sorted, entries.slice(previous.entries.length), compareByName);
    } else {
      sorted = resortedByName(previous.sorted, entries);
    }
    names = { entries, sorted };
    return sorted;
  };

  return (entries, order) => {
    const previous = last;
    if (previous !== null && previous.entries === entries && previous.order === order) return previous.sorted;
    const inNameOrder = byName(entries);
    let sorted: BrowserEntry[];
    if (order.column === 'name') {
      sorted = order.direction === 'ascending' ? inNameOrder : reversedWithinKinds(inNameOrder);
    } else if (previous !== null && previous.order === order && grewFrom(previous.entries, entries)) {
      sorted =
        entries.length === previous.entries.length
          ? previous.sorted
          : mergeSorted(previous.sorted, entries.slice(previous.entries.length), compareEntries(order));
    } else {
      sorted = sortedByColumn(inNameOrder, order);
    }
    last = { entries, order, sorted };
    return sorted;
  };
}

/**
 * A filter of rows whose key a listing already gave: a service may repeat keys across pages
 * (or within one). S3 sends a listing in key order, so a page whose keys are all greater than
 * every key before it repeats none, and is checked without a set of every key listed (for
 * 100,000 keys that set cost more than anything else the page did). The first page that
 * breaks the order switches to such a set, built from `before`, for the rest of the listing.
 */
export function createRepeatFilter(): (
  rows: readonly BrowserEntry[],
  before: readonly BrowserEntry[],
) => readonly BrowserEntry[] {
  let greatest: string | null = null;
  let seen: Set<string> | null = null;
  return (rows, before) => {
    if (seen === null) {
      let least: string | null = null;
      let most: string | null = null;
      let ascending = true;
      for (let i = 0; i < rows.length; i++) {
        const key = (rows[i] as BrowserEntry).key;
        if (i > 0 && !(key > (rows[i - 1] as BrowserEntry).key)) ascending = false;
        if (least === null || key < least) least = key;
        if (most === null || key > most) most = key;
      }
      if (least === null || most === null) return [];
      const unique = ascending || new Set(rows.map((row) => row.key)).size === rows.length;
      if (unique && (greatest === null || least > greatest)) {
        greatest = most;
        return rows;
      }
      seen = new Set(before.map((row) => row.key));
    }
    const set = seen;
    return rows.filter((row) => !set.has(row.key) && set.add(row.key));
  };
}

/**
 * The rows shown with "Show deleted files": the live ones and the deleted ones. A deleted file
 * that the folder listing holds is live again (undeleted meanwhile) and shows once, as live; a
 * deleted folder (main found nothing live in it) replaces a live row of the same key, which
 * some services (MinIO) list for a folder of deleted files. Looks up only the deleted keys, so
 * a folder of 100,000 live rows makes no set of every key.
 */
export function withDeletedRows(
  live: readonly BrowserEntry[],
  deleted: readonly BrowserEntry[],
  order: SortOrder,
): BrowserEntry[] {
  if (deleted.length === 0) return live as BrowserEntry[];
  const deletedKinds = new Map(deleted.map((e) => [e.key, e.kind]));
  const shared = new Set<string>();
  for (const entry of live) if (deletedKinds.has(entry.key)) shared.add(entry.key);
  const shownLive = shared.size === 0 ? live : live.filter((e) => !(shared.has(e.key) && e.kind === 'folder'));
  const shownDeleted = shared.size === 0 ? deleted : deleted.filter((e) => !(shared.has(e.key) && e.kind === 'file'));
  return mergeSorted(shownLive, sortEntries(shownDeleted, order), compareEntries(order));
}
