import { describe, expect, it } from 'vitest';
import type { FileEntry, FolderEntry } from '../../../shared/objects';
import {
  compareEntries,
  createIncrementalSorter,
  createRepeatFilter,
  entryMatcher,
  filterEntries,
  mergeSorted,
  nextSortOrder,
  sortEntries,
  type BrowserEntry,
  type SortOrder,
} from './entries';

const folder = (name: string): FolderEntry => ({ kind: 'folder', key: `${name}/`, name });
const file = (name: string, size = 0, lastModified: string | null = null, storageClass: string | null = null) =>
  ({ kind: 'file', key: name, name, size, lastModified, storageClass, etag: null }) satisfies FileEntry;

const names = (entries: readonly BrowserEntry[]) => entries.map((e) => e.name);

const sample: BrowserEntry[] = [
  file('b.txt', 300, '2024-03-01T00:00:00.000Z', 'STANDARD'),
  folder('zeta'),
  file('file 10.txt', 10, '2024-01-01T00:00:00.000Z', 'GLACIER'),
  file('File 2.txt', 2000, null, 'STANDARD_IA'),
  folder('Alpha'),
  file('a.txt', 300, '2024-02-01T00:00:00.000Z', null),
];

describe('sorting', () => {
  it('puts folders first and sorts names naturally, ignoring case', () => {
    expect(names(sortEntries(sample, { column: 'name', direction: 'ascending' }))).toEqual([
      'Alpha',
      'zeta',
      'a.txt',
      'b.txt',
      'File 2.txt',
      'file 10.txt',
    ]);
  });

  it('keeps folders first when descending', () => {
    expect(names(sortEntries(sample, { column: 'name', direction: 'descending' }))).toEqual([
      'zeta',
      'Alpha',
      'file 10.txt',
      'File 2.txt',
      'b.txt',
      'a.txt',
    ]);
  });

  it('sorts by size, breaking ties by name; folders stay first in name order', () => {
    expect(names(sortEntries(sample, { column: 'size', direction: 'ascending' }))).toEqual([
      'Alpha',
      'zeta',
      'file 10.txt',
      'a.txt',
      'b.txt',
      'File 2.txt',
    ]);
    expect(names(sortEntries(sample, { column: 'size', direction: 'descending' }))).toEqual([
      'zeta',
      'Alpha',
      'File 2.txt',
      'b.txt',
      'a.txt',
      'file 10.txt',
    ]);
  });

  it('sorts by date (a missing date first) and by storage class', () => {
    expect(names(sortEntries(sample, { column: 'lastModified', direction: 'ascending' })).slice(2)).toEqual([
      'File 2.txt',
      'file 10.txt',
      'a.txt',
      'b.txt',
    ]);
    expect(names(sortEntries(sample, { column: 'storageClass', direction: 'ascending' })).slice(2)).toEqual([
      'a.txt',
      'file 10.txt',
      'b.txt',
      'File 2.txt',
    ]);
  });

  it('does not change the list it is given', () => {
    const copy = [...sample];
    sortEntries(sample, { column: 'size', direction: 'ascending' });
    expect(sample).toEqual(copy);
  });

  it('merges a new page into a sorted list as a full sort would', () => {
    const order: SortOrder = { column: 'size', direction: 'descending' };
    const compare = compareEntries(order);
    const first = sortEntries(sample.slice(0, 3), order);
    const merged = mergeSorted(first, sample.slice(3), compare);
    expect(names(merged)).toEqual(names(sortEntries(sample, order)));
    expect(mergeSorted([], [3, 1, 2], (a, b) => a - b)).toEqual([1, 2, 3]);
    expect(mergeSorted([1, 5], [], (a, b) => a - b)).toEqual([1, 5]);
  });

  it('sorts a growing listing by merging only what is new, and from scratch on any other change', () => {
    const order: SortOrder = { column: 'name', direction: 'ascending' };
    const sorter = createIncrementalSorter();
    const firstPage = sample.slice(0, 3);
    expect(names(sorter(firstPage, order))).toEqual(names(sortEntries(firstPage, order)));
    const grown = [...firstPage, ...sample.slice(3)];
    const sorted = sorter(grown, order);
    expect(names(sorted)).toEqual(names(sortEntries(sample, order)));
    expect(sorter(grown, order)).toBe(sorted);
    const reversed = { column: 'name', direction: 'descending' } as const;
    expect(names(sorter(grown, reversed))).toEqual(names(sortEntries(sample, reversed)));
    const replaced = [file('c.txt'), ...sample.slice(1)];
    expect(names(sorter(replaced, reversed))).toEqual(names(sortEntries(replaced, reversed)));
  });

  it('gives the order a full sort gives, over pages, column changes and refreshes', () => {
    // A seeded generator: names with numbers, case, accents and ties; sizes, dates and classes with ties.
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const stems = ['IMG_', 'img_', 'scan-', 'Scan ', 'données ', 'Donnees ', 'a', 'Z', '_', 'file'];
    const entry = (i: number): BrowserEntry => {
      const name = `${pick(stems)}${Math.floor(random() * 40)}${pick(['', '.jpg', '.JPG', ' (2)'])}`;
      if (random() < 0.1) return { kind: 'folder', key: `p/${name}-${i}/`, name: `${name}-${i}` };
      return {
        kind: 'file',
        key: `p/${name}#${i}`,
        name,
        size: pick([0, 5, 5, 1000, 77]),
        lastModified: pick([null, '2024-01-02T00:00:00.000Z', '2023-12-31T23:59:59.000Z']),
        storageClass: pick([null, 'STANDARD', 'standard', 'GLACIER', 'Standard_IA']),
        etag: null,
      };
    };
    const orders: SortOrder[] = (['name', 'size', 'lastModified', 'storageClass'] as const).flatMap((column) => [
      { column, direction: 'ascending' } as const,
      { column, direction: 'descending' } as const,
    ]);
    const all = Array.from({ length: 600 }, (_, i) => entry(i));
    const sorter = createIncrementalSorter();
    const expectFullSortOrder = (entries: readonly BrowserEntry[], order: SortOrder) =>
      expect(sorter(entries, order).map((e) => e.key)).toEqual(sortEntries(entries, order).map((e) => e.key));
    // Pages arriving, the column changed between them.
    let entries: BrowserEntry[] = [];
    for (let page = 0; page < 6; page++) {
      entries = [...entries, ...all.slice(page * 100, page * 100 + 100)];
      for (const order of [pick(orders), pick(orders)]) expectFullSortOrder(entries, order);
    }
    for (const order of orders) expectFullSortOrder(entries, order);
    // A refresh: new objects for most keys, some rows gone, some new, a key turned folder, a name changed.
    const refreshed: BrowserEntry[] = entries
      .filter(() => random() > 0.05)
      .map((e, i) => {
        if (i === 3 && e.kind === 'file') return { kind: 'folder', key: e.key, name: e.name };
        if (i === 5) return { ...e, name: `zz ${e.name}` };
        return { ...e };
      });
    refreshed.push(...Array.from({ length: 40 }, (_, i) => entry(1000 + i)));
    for (const order of orders) expectFullSortOrder(refreshed, order);
    // Another listing altogether, and back to an empty one.
    const other = Array.from({ length: 50 }, (_, i) => entry(5000 + i));
    expectFullSortOrder(other, pick(orders));
    expect(sorter([], orders[0] as SortOrder)).toEqual([]);
    expectFullSortOrder(other.slice(0, 10), orders[3] as SortOrder);
  });

  it('flips the direction on the same column and starts a new column ascending', () => {
    expect(nextSortOrder({ column: 'name', direction: 'ascending' }, 'name')).toEqual({
      column: 'name',
      direction: 'descending',
    });
    expect(nextSortOrder({ column: 'name', direction: 'descending' }, 'size')).toEqual({
      column: 'size',
      direction: 'ascending',
    });
  });
});

describe('filtering', () => {
  it('matches anywhere in the name, ignoring case', () => {
    expect(names(filterEntries(sample, 'FILE'))).toEqual(['file 10.txt', 'File 2.txt']);
    expect(names(filterEntries(sample, ' alp '))).toEqual(['Alpha']);
  });

  it('lets everything through for an empty query', () => {
    expect(filterEntries(sample, '  ')).toBe(sample);
  });

  it('takes * and ? as wildcards over the whole name, and nothing else as a pattern', () => {
    expect(names(filterEntries(sample, '*.TXT'))).toEqual(['b.txt', 'file 10.txt', 'File 2.txt', 'a.txt']);
    expect(names(filterEntries(sample, '?.txt'))).toEqual(['b.txt', 'a.txt']);
    expect(entryMatcher('a+(b)*')(file('a+(b) [1].txt'))).toBe(true);
    expect(entryMatcher('a.c')(file('abc'))).toBe(false);
  });
});

describe('createRepeatFilter', () => {
  it('passes pages in key order through unchanged, without a set of every key', () => {
    const fresh = createRepeatFilter();
    const first = [folder('a'), file('b'), file('c')];
    expect(fresh(first, [])).toBe(first);
    const second = [file('d'), file('e')];
    expect(fresh(second, first)).toBe(second);
  });

  it('drops keys a page repeats, from earlier pages or from itself, once the order breaks', () => {
    const fresh = createRepeatFilter();
    const first = [file('a'), file('c')];
    expect(fresh(first, [])).toBe(first);
    // "c" again, and "b" out of order: from here on every key is checked against all before.
    expect(names(fresh([file('b'), file('c'), file('d'), file('d')], first))).toEqual(['b', 'd']);
    expect(names(fresh([file('a'), file('e')], [...first, file('b'), file('d')]))).toEqual(['e']);
  });

  it('drops a key repeated within one page even in order of pages', () => {
    const fresh = createRepeatFilter();
    expect(names(fresh([file('b'), file('a'), file('b')], []))).toEqual(['b', 'a']);
  });

  it('gives nothing for an empty page', () => {
    expect(createRepeatFilter()([], [])).toEqual([]);
  });
});
