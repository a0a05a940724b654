import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { AccountSummary } from '../../../shared/accounts';
import type { Bookmark, BookmarkView, bookmarkRequests } from '../../../shared/bookmarks-contract';
import type { DomainServices } from '../handlers';
import type { ServiceContext } from '../service-context';
import { addBookmark, defaultBookmarkName, moveBookmark, removeBookmark, renameBookmark } from './bookmark-list';
import { createBookmarkStore, type BookmarkStore } from './bookmark-store';

/** What the bookmark services are built from: the accounts (for names) and the bus, from the shared context. */
export type BookmarkContext = Pick<ServiceContext, 'accounts' | 'bus' | 'dataDir'>;

/** Each bookmark with its account's name, or marked as naming an account that is gone. */
export function bookmarkViews(list: readonly Bookmark[], accounts: readonly AccountSummary[]): BookmarkView[] {
  const names = new Map(accounts.map((account) => [account.id, account.name]));
  return list.map((bookmark) => {
    const accountName = names.get(bookmark.accountId) ?? null;
    return { ...bookmark, accountName, accountMissing: accountName === null };
  });
}

/**
 * Bookmarks: an account, a bucket and a folder, named and ordered by the person, kept in
 * bookmarks.json in the data folder. A bookmark outlives its account: removing the account
 * leaves the bookmark, marked as naming an account that is gone, so the person sees what it was
 * and removes it (nothing else is lost, and nothing crashes on it).
 */
export function createBookmarkServices(
  context: BookmarkContext,
  store: BookmarkStore = createBookmarkStore(join(context.dataDir, 'bookmarks.json')),
): DomainServices<keyof typeof bookmarkRequests> {
  const { accounts, bus } = context;

  const views = async (list: readonly Bookmark[]): Promise<BookmarkView[]> =>
    bookmarkViews(list, await accounts.list());

  /** Writes a change, tells every window, and returns the new list as the UI shows it. */
  async function change(apply: (list: Bookmark[]) => Bookmark[]): Promise<BookmarkView[]> {
    const shown = await views(await store.update(apply));
    bus.emit('bookmarks.changed', { bookmarks: shown });
    return shown;
  }

  /** One bookmark of a list, as the UI shows it. */
  const viewOf = (list: readonly BookmarkView[], id: string): BookmarkView => {
    const found = list.find((b) => b.id === id);
    if (!found) throw new Error('bookmark missing after its change');
    return found;
  };

  // An account removed (or renamed) changes what its bookmarks say.
  const stopListening = bus.onAny((channel, payload) => {
    if (channel !== 'accounts.changed') return;
    const { accounts: current } = payload as { accounts: AccountSummary[] };
    void store
      .read()
      .then((list) => {
        if (list.length > 0) bus.emit('bookmarks.changed', { bookmarks: bookmarkViews(list, current) });
      })
      .catch(() => undefined);
  });

  return {
    dispose: async () => {
      stopListening();
    },
    handlers: {
      'bookmarks.list': async () => views(await store.read()),
      'bookmarks.add': async ({ accountId, bucket, prefix, name }) => {
        const id = randomUUID();
        const list = await change((current) =>
          addBookmark(current, {
            id,
            accountId,
            bucket,
            prefix,
            name: name ?? defaultBookmarkName(current, { bucket, prefix }),
          }),
        );
        return viewOf(list, id);
      },
      'bookmarks.rename': async ({ id, name }) => viewOf(await change((list) => renameBookmark(list, id, name)), id),
      'bookmarks.move': async ({ id, toIndex }) => change((list) => moveBookmark(list, id, toIndex)),
      'bookmarks.remove': async ({ id }) => {
        await change((list) => removeBookmark(list, id));
        return { removed: true };
      },
    },
  };
}
