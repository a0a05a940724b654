import { describe, expect, it } from 'vitest';
import type { FileEntry, FolderEntry } from '../../shared/objects';
import type { Result } from '../../shared/result';
import type { DeletedListingPage } from '../../shared/versions';
import { defaultSortOrder, withDeletedRows } from '../features/browser/entries';
import { quietBrowserApi } from '../test-support/quiet-api';
import type { StoreDependencies } from './app-state';
import { createAppStore } from './create-app-store';

const file = (key: string, deleted = false): FileEntry => ({
  kind: 'file',
  key,
  name: key,
  size: 1,
  lastModified: null,
  storageClass: null,
  etag: null,
  ...(deleted ? { deleted: true as const } : {}),
});
const folder = (key: string, deleted = false): FolderEntry => ({
  kind: 'folder',
  key,
  name: key.slice(0, -1),
  ...(deleted ? { deleted: true as const } : {}),
});

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A fake API whose deleted listing answers the pages given, one per request (then never), recording the tokens asked. */
function storeWithPages(pages: DeletedListingPage[]) {
  const tokens: (string | undefined)[] = [];
  const api = {
    ...quietBrowserApi(),
    versions: {
      listDeleted: async (input: { continuationToken?: string }): Promise<Result<DeletedListingPage>> => {
        tokens.push(input.continuationToken);
        const page = pages.shift();
        return page ? { ok: true, value: page } : new Promise(() => undefined);
      },
    },
  } as unknown as StoreDependencies['api'];
  return { store: createAppStore({ api }), tokens };
}

describe('the deleted files of a folder', () => {
  const location = { accountId: 'a', bucket: 'b', prefix: 'docs/' };

  it('are listed page by page with the token each page gives, and counted as they come', async () => {
    const { store, tokens } = storeWithPages([
      { files: [file('docs/x.txt', true)], folders: [], scanned: 1000, nextToken: 't1' },
      { files: [], folders: [], scanned: 1000, nextToken: 't2' },
      { files: [file('docs/y.txt', true)], folders: [folder('docs/old/', true)], scanned: 12, nextToken: null },
    ]);
    store.getState().listDeletedAt(location);
    for (let i = 0; i < 5; i++) await tick();
    expect(tokens).toEqual([undefined, 't1', 't2']);
    const listed = store.getState().deletedListing;
    expect(listed).toMatchObject({ status: 'ready', scanned: 2012 });
    expect(listed.entries.map((e) => e.key)).toEqual(['docs/x.txt', 'docs/old/', 'docs/y.txt']);
    // The same folder again is not listed again; turning the toggle off forgets it.
    store.getState().listDeletedAt(location);
    expect(tokens).toHaveLength(3);
    store.getState().setShowDeleted(false);
    expect(store.getState().deletedListing.entries).toEqual([]);
  });

  it('can be stopped, keeping what arrived', async () => {
    const { store } = storeWithPages([{ files: [file('docs/x.txt', true)], folders: [], scanned: 1, nextToken: 't1' }]);
    store.getState().listDeletedAt(location);
    await tick();
    store.getState().stopDeletedLoading();
    await tick();
    expect(store.getState().deletedListing).toMatchObject({ status: 'stopped', entries: [file('docs/x.txt', true)] });
  });
});

describe('withDeletedRows', () => {
  it('merges deleted rows in order: a live file wins over its deleted row, a deleted folder over its live row', () => {
    const live = [folder('old/'), folder('pics/'), file('a.txt'), file('c.txt')];
    const deleted = [file('b.txt', true), file('c.txt', true), folder('old/', true)];
    expect(withDeletedRows(live, deleted, defaultSortOrder).map((e) => [e.key, e.deleted ?? false])).toEqual([
      ['old/', true],
      ['pics/', false],
      ['a.txt', false],
      ['b.txt', true],
      ['c.txt', false],
    ]);
  });
});
