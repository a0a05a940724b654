import { lastSegment } from '../../../shared/names';
import { MAX_BOOKMARKS, MAX_BOOKMARK_NAME, type Bookmark } from '../../../shared/bookmarks-contract';
import { AppFailure } from '../app-failure';

/**
 * The bookmark list's rules as pure functions over an array (the store keeps the file): names
 * unique ignoring case, one bookmark per folder, order kept as the person set it.
 */

/** Tells whether two names are the same to a person (and to the path bar): case and outer spaces aside. */
export function sameBookmarkName(a: string, b: string): boolean {
  return a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase();
}

/** The name a new bookmark gets: its folder's name (the bucket's at the top), numbered "(2)" on if taken. */
export function defaultBookmarkName(list: readonly Bookmark[], location: Pick<Bookmark, 'bucket' | 'prefix'>): string {
  const base = (location.prefix === '' ? location.bucket : lastSegment(location.prefix).slice(0, -1)).slice(
    0,
    MAX_BOOKMARK_NAME - 5,
  );
  if (!list.some((b) => sameBookmarkName(b.name, base))) return base;
  for (let n = 2; ; n++) {
    const numbered = `${base} (${n})`;
    if (!list.some((b) => sameBookmarkName(b.name, numbered))) return numbered;
  }
}

function refuseTakenName(list: readonly Bookmark[], name: string, exceptId?: string): void {
  const taken = list.find((b) => b.id !== exceptId && sameBookmarkName(b.name, name));
  if (taken) throw new AppFailure('conflict', `A bookmark named "${taken.name}" exists already. Choose another name.`);
}

function indexOf(list: readonly Bookmark[], id: string): number {
  const index = list.findIndex((b) => b.id === id);
  if (index < 0) throw new AppFailure('invalid-input', 'That bookmark no longer exists. It may have been removed.');
  return index;
}

/** Adds a bookmark at the end; refuses a folder bookmarked already, a name in use, and more than MAX_BOOKMARKS. */
export function addBookmark(list: readonly Bookmark[], bookmark: Bookmark): Bookmark[] {
  const same = list.find(
    (b) => b.accountId === bookmark.accountId && b.bucket === bookmark.bucket && b.prefix === bookmark.prefix,
  );
  if (same) throw new AppFailure('conflict', `This folder is bookmarked already, as "${same.name}".`);
  refuseTakenName(list, bookmark.name);
  if (list.length >= MAX_BOOKMARKS) {
    throw new AppFailure(
      'invalid-input',
      `You have ${MAX_BOOKMARKS} bookmarks, the most there can be. Remove one first.`,
    );
  }
  return [...list, bookmark];
}

/** Renames one bookmark; refuses a name another bookmark has. */
export function renameBookmark(list: readonly Bookmark[], id: string, name: string): Bookmark[] {
  const index = indexOf(list, id);
  refuseTakenName(list, name, id);
  return list.map((b, i) => (i === index ? { ...b, name } : b));
}

/** Moves one bookmark to `toIndex` in the order (clamped to the list), the others keeping theirs. */
export function moveBookmark(list: readonly Bookmark[], id: string, toIndex: number): Bookmark[] {
  const from = indexOf(list, id);
  const next = list.slice();
  const [moved] = next.splice(from, 1);
  if (!moved) return next;
  next.splice(Math.max(0, Math.min(toIndex, next.length)), 0, moved);
  return next;
}

/** Removes one bookmark. */
export function removeBookmark(list: readonly Bookmark[], id: string): Bookmark[] {
  const index = indexOf(list, id);
  return list.filter((_, i) => i !== index);
}
