import { describe, expect, it } from 'vitest';
import type { FileEntry, FolderEntry, ListingPage } from '../../shared/objects';
import type { Result } from '../../shared/result';
import { quietBrowserApi } from '../test-support/quiet-api';
import { sampleAccount } from '../test-support/sample-accounts';
import type { StoreDependencies } from './app-state';
import { TREE_PAGE_LIMIT } from './folder-tree-slice';
import { createAppStore } from './create-app-store';
import { FIRST_PAGE_SIZE, SEARCH_RESULT_LIMIT, SEARCH_SCAN_LIMIT, SHOW_PAGES_EVERY_MS } from './listing-slice';

interface ListCall {
  input: { bucket: string; prefix: string; recursive?: boolean; continuationToken?: string; pageSize?: number };
  resolve: (result: Result<ListingPage>) => void;
}

const file = (key: string, size = 1): FileEntry => ({
  kind: 'file',
  key,
  name: key.slice(key.lastIndexOf('/') + 1),
  size,
  lastModified: null,
  storageClass: null,
  etag: null,
});
const folder = (key: string): FolderEntry => ({ kind: 'folder', key, name: key.slice(0, -1).split('/').pop() ?? '' });
const page = (entries: Array<FileEntry | FolderEntry>, nextToken: string | null = null): Result<ListingPage> => ({
  ok: true,
  value: {
    folders: entries.filter((e): e is FolderEntry => e.kind === 'folder'),
    files: entries.filter((e): e is FileEntry => e.kind === 'file'),
    nextToken,
  },
});
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A store whose objects.list calls wait until the test answers them. */
function setup() {
  const calls: ListCall[] = [];
  const api = {
    ...quietBrowserApi(),
    objects: {
      list: (input: ListCall['input']) => new Promise<Result<ListingPage>>((resolve) => calls.push({ input, resolve })),
      onChanged: () => () => undefined,
    },
  } as unknown as StoreDependencies['api'];
  const store = createAppStore({ api });
  store.setState({ accounts: [sampleAccount({ id: 'acc', name: 'Acc', endpoint: '' })] });
  /** The newest unanswered call for a prefix (the tree lists the folder too, before the list does). */
  const take = (prefix: string, recursive = false): ListCall => {
    const index = calls.findLastIndex((c) => c.input.prefix === prefix && (c.input.recursive ?? false) === recursive);
    if (index < 0) throw new Error(`no pending list call for "${prefix}"`);
    return calls.splice(index, 1)[0] as ListCall;
  };
  return { store, calls, take };
}

const at = (prefix: string) => ({ accountId: 'acc', bucket: 'b', prefix });

describe('listing a folder', () => {
  it('shows the first page at once and keeps loading pages in the background', async () => {
    const { store, take } = setup();
    store.getState().navigate(at(''));
    expect(store.getState().listing.status).toBe('loading');
    const first = take('');
    // A short first page, for the first rows sooner; then pages of the service's default size.
    expect(first.input.pageSize).toBe(FIRST_PAGE_SIZE);
    first.resolve(page([folder('docs/'), file('a.txt')], 'next'));
    await tick();
    expect(store.getState().listing.entries.map((e) => e.key)).toEqual(['docs/', 'a.txt']);
    expect(store.getState().listing.status).toBe('loading');
    const second = take('');
    expect(second.input.continuationToken).toBe('next');
    expect(second.input.pageSize).toBeUndefined();
    second.resolve(page([file('b.txt')]));
    await tick();
    expect(store.getState().listing.entries.map((e) => e.key)).toEqual(['docs/', 'a.txt', 'b.txt']);
    expect(store.getState().listing.status).toBe('ready');
  });

  it(`draws pages that come quickly together, at most every ${SHOW_PAGES_EVERY_MS} ms; Stop loading keeps them`, async () => {
    const { store, take } = setup();
    const keys = () => store.getState().listing.entries.map((e) => e.key);
    store.getState().navigate(at(''));
    take('').resolve(page([file('a.txt')], '1'));
    await tick();
    take('').resolve(page([file('b.txt')], '2'));
    await tick();
    expect(keys()).toEqual(['a.txt']);
    const later = () => new Promise((resolve) => setTimeout(resolve, SHOW_PAGES_EVERY_MS + 50));
    await later();
    expect(keys()).toEqual(['a.txt', 'b.txt']);
    // Long enough after the last drawing: at once.
    await later();
    take('').resolve(page([file('c.txt')], '3'));
    await tick();
    expect(keys()).toEqual(['a.txt', 'b.txt', 'c.txt']);
    take('').resolve(page([file('d.txt')], '4'));
    await tick();
    expect(keys()).toHaveLength(3);
    store.getState().stopLoading();
    expect(keys()).toEqual(['a.txt', 'b.txt', 'c.txt', 'd.txt']);
    expect(store.getState().listing.status).toBe('stopped');
  });

  it('drops the answer for a folder that is no longer shown', async () => {
    const { store, take } = setup();
    store.getState().navigate(at(''));
    const stale = take('');
    store.getState().navigate(at('docs/'));
    take('docs/').resolve(page([file('docs/new.txt')]));
    stale.resolve(page([file('old.txt')]));
    await tick();
    expect(store.getState().listing.location?.prefix).toBe('docs/');
    expect(store.getState().listing.entries.map((e) => e.key)).toEqual(['docs/new.txt']);
  });

  it('stops loading on request, keeping what it has', async () => {
    const { store, take } = setup();
    store.getState().navigate(at(''));
    take('').resolve(page([file('a.txt')], 'next'));
    await tick();
    store.getState().stopLoading();
    take('').resolve(page([file('b.txt')]));
    await tick();
    expect(store.getState().listing.status).toBe('stopped');
    expect(store.getState().listing.entries.map((e) => e.key)).toEqual(['a.txt']);
  });

  it('shows a failure with what arrived before it', async () => {
    const { store, take } = setup();
    store.getState().navigate(at(''));
    take('').resolve(page([file('a.txt')], 'next'));
    await tick();
    take('').resolve({ ok: false, error: { code: 'network', message: 'Lost.' } });
    await tick();
    expect(store.getState().listing.status).toBe('error');
    expect(store.getState().listing.error?.message).toBe('Lost.');
    expect(store.getState().listing.entries.map((e) => e.key)).toEqual(['a.txt']);
  });
});

describe('the sidebar tree and the list share a folder', () => {
  const treeNode = (store: ReturnType<typeof setup>['store'], prefix: string) =>
    store.getState().folderChildren[JSON.stringify(['acc', 'b', prefix])];

  it('lists a folder once: the tree takes its subfolders from the pages of the list', async () => {
    const { store, calls, take } = setup();
    store.getState().navigate(at('big/'));
    // The bucket's root for the tree, the folder for the list; the tree does not list the folder.
    expect(calls.filter((c) => c.input.prefix === 'big/')).toHaveLength(1);
    take('').resolve(page([folder('big/')]));
    take('big/').resolve(page([folder('big/a/'), file('big/1.txt')], 'next'));
    await tick();
    // The next page is asked for at once; the tree shows the subfolders so far.
    expect(calls.filter((c) => c.input.prefix === 'big/').map((c) => c.input.continuationToken)).toEqual(['next']);
    expect(treeNode(store, 'big/')?.status).toBe('loading');
    expect(treeNode(store, 'big/')?.folders.map((f) => f.key)).toEqual(['big/a/']);
    take('big/').resolve(page([folder('big/b/'), file('big/2.txt')]));
    await tick();
    expect(treeNode(store, 'big/')).toMatchObject({ status: 'ready', incomplete: false });
    expect(treeNode(store, 'big/')?.folders.map((f) => f.key)).toEqual(['big/a/', 'big/b/']);
    expect(calls).toHaveLength(0);
  });

  it('lets the tree go on listing the folder when loading is stopped, from the page in flight', async () => {
    const { store, calls, take } = setup();
    store.getState().navigate(at('big/'));
    take('').resolve(page([folder('big/')]));
    take('big/').resolve(page([folder('big/a/'), file('big/1.txt')], 'next'));
    await tick();
    store.getState().stopLoading();
    expect(store.getState().listing.status).toBe('stopped');
    // The request for the second page is not sent again: the tree takes its answer, then goes on.
    expect(calls.map((c) => c.input.continuationToken)).toEqual(['next']);
    take('big/').resolve(page([folder('big/b/'), file('big/2.txt')], 'more'));
    await tick();
    expect(calls.map((c) => c.input.continuationToken)).toEqual(['more']);
    take('big/').resolve(page([folder('big/c/')]));
    await tick();
    expect(treeNode(store, 'big/')).toMatchObject({ status: 'ready', incomplete: false });
    expect(treeNode(store, 'big/')?.folders.map((f) => f.key)).toEqual(['big/a/', 'big/b/', 'big/c/']);
    // The list stays as it was stopped.
    expect(store.getState().listing.entries.map((e) => e.key)).toEqual(['big/a/', 'big/1.txt']);
  });

  it('lets the tree go on listing a folder when the list moves on before its end', async () => {
    const { store, calls, take } = setup();
    store.getState().navigate(at('big/'));
    take('').resolve(page([folder('big/'), folder('other/')]));
    take('big/').resolve(page([file('big/1.txt')], 'next'));
    await tick();
    store.getState().navigate(at('other/'));
    expect(calls.filter((c) => c.input.prefix === 'other/')).toHaveLength(1);
    expect(calls.filter((c) => c.input.prefix === 'big/').map((c) => c.input.continuationToken)).toEqual(['next']);
    take('big/').resolve(page([folder('big/b/')]));
    await tick();
    expect(treeNode(store, 'big/')?.folders.map((f) => f.key)).toEqual(['big/b/']);
    expect(treeNode(store, 'big/')?.status).toBe('ready');
  });

  it('lets the tree list a folder when the list searches it instead', async () => {
    const { store, calls, take } = setup();
    store.getState().navigate(at('big/'));
    store.getState().searchBucket('x');
    expect(calls.filter((c) => c.input.prefix === 'big/x' && c.input.recursive === true)).toHaveLength(1);
    // The folder's first page, already asked for by the list, goes to the tree.
    expect(calls.filter((c) => c.input.prefix === 'big/' && !c.input.recursive)).toHaveLength(1);
    take('big/').resolve(page([folder('big/a/')]));
    await tick();
    expect(treeNode(store, 'big/')?.folders.map((f) => f.key)).toEqual(['big/a/']);
    expect(store.getState().listing.search).toBe('x');
  });

  it('marks the tree incomplete when the list had read its page limit before it stopped', async () => {
    const { store, take } = setup();
    store.getState().navigate(at('big/'));
    take('').resolve(page([folder('big/')]));
    for (let p = 0; p < TREE_PAGE_LIMIT; p++) {
      take('big/').resolve(page([file(`big/${p}.txt`)], `t${p}`));
      await tick();
    }
    store.getState().stopLoading();
    take('big/').resolve(page([folder('big/z/')], 'more'));
    await tick();
    expect(treeNode(store, 'big/')).toMatchObject({ status: 'ready', incomplete: true });
  });
});

describe('filtering', () => {
  it('unselects the rows the filter hides and keeps the ones it shows', async () => {
    const { store, take } = setup();
    store.getState().navigate(at(''));
    take('').resolve(page([file('a.pdf'), file('b.txt'), file('c.pdf')]));
    await tick();
    store.getState().setListSelection({ selected: new Set(['a.pdf', 'b.txt']), anchor: 'a.pdf', focus: 'b.txt' });
    store.getState().setFilterText('.PDF');
    const { listSelection, filterText } = store.getState();
    expect(filterText).toBe('.PDF');
    expect([...listSelection.selected]).toEqual(['a.pdf']);
    expect(listSelection.anchor).toBe('a.pdf');
    expect(listSelection.focus).toBeNull();
  });

  it('leaves an empty selection as it is', async () => {
    const { store, take } = setup();
    store.getState().navigate(at(''));
    take('').resolve(page([file('a.pdf'), file('b.txt')]));
    await tick();
    const before = store.getState().listSelection;
    store.getState().setFilterText('txt');
    expect(store.getState().listSelection).toBe(before);
  });
});

describe('entering the folder shown again', () => {
  it('clears the selection, so no action applies to rows chosen before', async () => {
    const { store, take } = setup();
    store.getState().navigate(at(''));
    take('').resolve(page([file('a.txt'), file('b.txt')]));
    await tick();
    store.getState().setListSelection({ selected: new Set(['a.txt']), anchor: 'a.txt', focus: 'a.txt' });
    store.getState().select({ kind: 'bucket', accountId: 'acc', bucket: 'b' });
    expect(store.getState().listSelection.selected.size).toBe(0);
    // Listed once: entering it again does not list it again.
    expect(store.getState().listing.entries).toHaveLength(2);
  });

  it('keeps the selection when the accounts change and the folder stays', async () => {
    const { store, take } = setup();
    store.getState().navigate(at(''));
    take('').resolve(page([file('a.txt')]));
    await tick();
    store.getState().setListSelection({ selected: new Set(['a.txt']), anchor: 'a.txt', focus: 'a.txt' });
    store.getState().showLocation();
    expect([...store.getState().listSelection.selected]).toEqual(['a.txt']);
  });
});

describe('refreshing', () => {
  it('refreshes the shown folder when main says it changed, keeping the selection that still exists', async () => {
    const { store, take } = setup();
    store.getState().navigate(at(''));
    take('').resolve(page([file('a.txt'), file('b.txt'), file('c.txt')]));
    await tick();
    store.getState().setListSelection({ selected: new Set(['a.txt', 'b.txt']), anchor: 'a.txt', focus: 'b.txt' });

    store.getState().receiveObjectsChanged({ accountId: 'acc', bucket: 'b', prefix: 'other/' });
    store.getState().receiveObjectsChanged({ accountId: 'acc', bucket: 'b', prefix: '' });
    // The old rows stay while the new listing loads.
    expect(store.getState().listing.refreshing).toBe(true);
    expect(store.getState().listing.entries).toHaveLength(3);
    take('').resolve(page([file('b.txt'), file('c.txt'), file('d.txt')]));
    await tick();
    const state = store.getState();
    expect(state.listing.entries.map((e) => e.key)).toEqual(['b.txt', 'c.txt', 'd.txt']);
    expect([...state.listSelection.selected]).toEqual(['b.txt']);
    expect(state.listSelection.focus).toBe('b.txt');
  });

  it('selects a revealed key (a new folder) once the refreshed list has it', async () => {
    const { store, take } = setup();
    store.getState().navigate(at(''));
    take('').resolve(page([file('a.txt')]));
    await tick();
    store.getState().revealKey('new/');
    expect(store.getState().pendingReveal).toBe('new/');
    store.getState().refreshListing();
    take('').resolve(page([folder('new/'), file('a.txt')]));
    await tick();
    expect([...store.getState().listSelection.selected]).toEqual(['new/']);
    expect(store.getState().pendingReveal).toBeNull();
  });

  it('lists the buckets again when main says the bucket list changed', () => {
    const { store } = setup();
    const loaded: string[] = [];
    store.setState({
      loadBuckets: async (accountId) => {
        loaded.push(accountId);
      },
    });
    store.getState().receiveObjectsChanged({ accountId: 'acc', bucket: null, prefix: null });
    store.getState().receiveObjectsChanged({ accountId: 'gone', bucket: null, prefix: null });
    expect(loaded).toEqual(['acc']);
  });
});

describe('searching a bucket', () => {
  it('lists every key under the prefix with full keys, folder markers as folders', async () => {
    const { store, take } = setup();
    store.getState().navigate(at('docs/'));
    take('docs/').resolve(page([]));
    await tick();
    store.getState().searchBucket('re');
    const search = take('docs/re', true);
    search.resolve(page([file('docs/report.pdf'), file('docs/reports/'), file('docs/reports/a.pdf')]));
    await tick();
    const { listing } = store.getState();
    expect(listing.search).toBe('re');
    expect(listing.entries.map((e) => [e.kind, e.name])).toEqual([
      ['file', 'docs/report.pdf'],
      ['folder', 'docs/reports/'],
      ['file', 'docs/reports/a.pdf'],
    ]);
  });

  it(`stops at ${SEARCH_RESULT_LIMIT.toLocaleString('en')} results and says so`, async () => {
    const { store, take } = setup();
    store.getState().navigate(at(''));
    take('').resolve(page([]));
    await tick();
    store.getState().searchBucket('');
    for (let p = 0; p < 11; p++) {
      const keys = Array.from({ length: 1000 }, (_, i) => file(`k${String(p * 1000 + i).padStart(6, '0')}`));
      take('', true).resolve(page(keys, 'more'));
      await tick();
      if (store.getState().listing.status !== 'loading') break;
    }
    const { listing } = store.getState();
    expect(listing.entries).toHaveLength(SEARCH_RESULT_LIMIT);
    expect(listing.limited).toBe(true);
    expect(listing.status).toBe('stopped');
  });

  it('finds keys containing the text anywhere below the folder, ignoring case', async () => {
    const { store, take } = setup();
    store.getState().navigate(at('docs/'));
    take('docs/').resolve(page([]));
    await tick();
    store.getState().searchBucket('PORT', 'contains');
    // The whole folder is listed (S3 cannot match inside keys) and matched here.
    const first = take('docs/', true);
    first.resolve(page([file('docs/Report.pdf'), file('docs/a/b.txt'), file('docs/a/')], 'next'));
    await tick();
    expect(store.getState().listing.status).toBe('loading');
    expect(store.getState().listing.scanned).toBe(3);
    take('docs/', true).resolve(page([file('docs/x/passport.png'), file('docs/x/port/')]));
    await tick();
    const { listing } = store.getState();
    expect(listing.searchMode).toBe('contains');
    expect(listing.entries.map((e) => [e.kind, e.name])).toEqual([
      ['file', 'docs/Report.pdf'],
      ['file', 'docs/x/passport.png'],
      ['folder', 'docs/x/port/'],
    ]);
    expect(listing.status).toBe('ready');
    expect(listing.limited).toBe(false);
  });

  it(`stops a substring search after reading ${SEARCH_SCAN_LIMIT.toLocaleString('en')} keys and says so`, async () => {
    const { store, take } = setup();
    store.getState().navigate(at(''));
    take('').resolve(page([]));
    await tick();
    store.getState().searchBucket('zzz', 'contains');
    let pages = 0;
    while (store.getState().listing.status === 'loading') {
      const keys = Array.from({ length: 1000 }, (_, i) => file(`k${String(pages * 1000 + i).padStart(7, '0')}`));
      take('', true).resolve(page(keys, 'more'));
      pages += 1;
      await tick();
    }
    const { listing } = store.getState();
    expect(pages).toBe(SEARCH_SCAN_LIMIT / 1000);
    expect(listing.scanned).toBe(SEARCH_SCAN_LIMIT);
    expect(listing.entries).toHaveLength(0);
    expect(listing.limited).toBe(true);
    expect(listing.status).toBe('stopped');
  });

  it('reads to the end without a limit when the folder has fewer keys than the scan limit', async () => {
    const { store, take } = setup();
    store.getState().navigate(at(''));
    take('').resolve(page([]));
    await tick();
    store.getState().searchBucket('k1', 'contains');
    take('', true).resolve(page([file('k1'), file('k2')]));
    await tick();
    expect(store.getState().listing.limited).toBe(false);
    expect(store.getState().listing.entries.map((e) => e.key)).toEqual(['k1']);
  });
});

describe('history', () => {
  it('goes back, forward and up', async () => {
    const { store } = setup();
    const { navigate, goBack, goForward, goUp } = store.getState();
    navigate(at(''));
    navigate(at('a/'));
    navigate(at('a/b/'));
    goBack();
    expect(store.getState().listing.location?.prefix).toBe('a/');
    goBack();
    expect(store.getState().selection).toEqual({ kind: 'bucket', accountId: 'acc', bucket: 'b' });
    goForward();
    expect(store.getState().selection).toEqual({ kind: 'folder', accountId: 'acc', bucket: 'b', prefix: 'a/' });
    navigate(at('x/y/'));
    expect(store.getState().history.forward).toEqual([]);
    goUp();
    expect(store.getState().listing.location?.prefix).toBe('x/');
    goUp();
    goUp();
    expect(store.getState().listing.location?.prefix).toBe('');
  });

  it('expands the tree down to the folder shown', () => {
    const { store } = setup();
    store.getState().navigate(at('a/b/'));
    expect(Object.keys(store.getState().expandedFolders).sort()).toEqual(
      [at(''), at('a/'), at('a/b/')].map((l) => JSON.stringify([l.accountId, l.bucket, l.prefix])).sort(),
    );
  });
});
