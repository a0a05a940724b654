import type { StateCreator } from 'zustand';
import type { BookmarkView } from '../../shared/bookmarks-contract';
import type { AppError } from '../../shared/errors';
import type { Result } from '../../shared/result';
import type { LoadStatus } from './accounts-slice';
import type { AppState, StoreDependencies } from './app-state';
import type { BrowserLocation } from './selection-slice';

/** The bookmarks as the sidebar and the path bar show them; main keeps them (bookmarks.json). */
export interface BookmarksSlice {
  bookmarks: BookmarkView[];
  bookmarksStatus: LoadStatus;
  bookmarksError: AppError | null;
  /** Lists the bookmarks (on start; afterwards `bookmarks.changed` keeps them current). */
  loadBookmarks: () => Promise<void>;
  /** Takes the list from `bookmarks.changed` or from a change's answer. */
  receiveBookmarks: (bookmarks: BookmarkView[]) => void;
  /** Bookmarks a folder (named after it unless a name is given); the failure is returned in words. */
  addBookmark: (location: BrowserLocation, name?: string) => Promise<Result<BookmarkView>>;
  renameBookmark: (id: string, name: string) => Promise<Result<BookmarkView>>;
  /** Moves a bookmark to a place in the order; a failure is shown as a toast. */
  moveBookmark: (id: string, toIndex: number) => Promise<void>;
  /** Removes a bookmark; a failure is shown as a toast. */
  removeBookmark: (id: string) => Promise<void>;
  /** Opens a bookmark's folder in the file list; returns why it cannot, in words, or null. */
  openBookmark: (id: string) => string | null;
}

/** The bookmark a person means by some typed text: its name, ignoring case and outer spaces. */
export function bookmarkNamed(bookmarks: readonly BookmarkView[], text: string): BookmarkView | undefined {
  const wanted = text.trim().toLocaleLowerCase();
  if (wanted === '') return undefined;
  return bookmarks.find((bookmark) => bookmark.name.toLocaleLowerCase() === wanted);
}

/** The bookmark of a folder, if it has one. */
export function bookmarkAt(
  bookmarks: readonly BookmarkView[],
  location: BrowserLocation | null,
): BookmarkView | undefined {
  if (!location) return undefined;
  return bookmarks.find(
    (b) => b.accountId === location.accountId && b.bucket === location.bucket && b.prefix === location.prefix,
  );
}

/** The sentence for a bookmark whose account was removed. */
export function missingAccountText(bookmark: Pick<BookmarkView, 'name'>): string {
  return `The account of the bookmark “${bookmark.name}” was removed. Remove the bookmark, or add the account again and bookmark the folder anew.`;
}

/** Creates the bookmarks slice over the given API. */
export function createBookmarksSlice(deps: StoreDependencies): StateCreator<AppState, [], [], BookmarksSlice> {
  return (set, get) => {
    // A list from an older request must not replace a newer one (an event can overtake an answer).
    let generation = 0;
    const receive = (bookmarks: BookmarkView[]): void => {
      generation++;
      set({ bookmarks, bookmarksStatus: 'ready', bookmarksError: null });
    };
    return {
      bookmarks: [],
      bookmarksStatus: 'idle',
      bookmarksError: null,

      async loadBookmarks() {
        const mine = ++generation;
        set({ bookmarksStatus: 'loading' });
        const result = await deps.api.bookmarks.list({});
        if (mine !== generation) return;
        if (result.ok) receive(result.value);
        else set({ bookmarksStatus: 'error', bookmarksError: result.error });
      },

      receiveBookmarks: receive,

      async addBookmark(location, name) {
        const result = await deps.api.bookmarks.add({ ...location, ...(name === undefined ? {} : { name }) });
        if (result.ok) {
          if (!get().bookmarks.some((b) => b.id === result.value.id)) await get().loadBookmarks();
          get().notify(`Bookmarked as “${result.value.name}”`, 'success');
        }
        return result;
      },

      async renameBookmark(id, name) {
        const result = await deps.api.bookmarks.rename({ id, name });
        if (result.ok) await get().loadBookmarks();
        return result;
      },

      async moveBookmark(id, toIndex) {
        const result = await deps.api.bookmarks.move({ id, toIndex });
        if (result.ok) receive(result.value);
        else get().notify(`Could not move the bookmark: ${result.error.message}`, 'error');
      },

      async removeBookmark(id) {
        const name = get().bookmarks.find((b) => b.id === id)?.name;
        const result = await deps.api.bookmarks.remove({ id });
        if (!result.ok) {
          get().notify(`Could not remove the bookmark: ${result.error.message}`, 'error');
          return;
        }
        await get().loadBookmarks();
        get().notify(name ? `Bookmark “${name}” removed` : 'Bookmark removed', 'success');
      },

      openBookmark(id) {
        const bookmark = get().bookmarks.find((b) => b.id === id);
        if (!bookmark) return 'That bookmark no longer exists.';
        if (bookmark.accountMissing || !get().accounts.some((a) => a.id === bookmark.accountId)) {
          return missingAccountText(bookmark);
        }
        get().navigate({ accountId: bookmark.accountId, bucket: bookmark.bucket, prefix: bookmark.prefix });
        return null;
      },
    };
  };
}
