import { describe, expect, it } from 'vitest';
import type { Bookmark } from '../../../shared/bookmarks-contract';
import { AppFailure } from '../app-failure';
import { addBookmark, defaultBookmarkName, moveBookmark, removeBookmark, renameBookmark } from './bookmark-list';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const mark = (n: number, name: string, prefix = `${name}/`): Bookmark => ({
  id: id(n),
  name,
  accountId: 'acc',
  bucket: 'photos',
  prefix,
});
const names = (list: readonly Bookmark[]) => list.map((b) => b.name);
const failure = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof AppFailure) return { code: error.code, message: error.message };
  }
  throw new Error('expected an AppFailure');
};

describe('bookmark list', () => {
  const three = [mark(1, 'a'), mark(2, 'b'), mark(3, 'c')];

  it('moves a bookmark up, down, to the top and past the end, keeping the others in order', () => {
    expect(names(moveBookmark(three, id(3), 1))).toEqual(['a', 'c', 'b']);
    expect(names(moveBookmark(three, id(1), 1))).toEqual(['b', 'a', 'c']);
    expect(names(moveBookmark(three, id(2), 0))).toEqual(['b', 'a', 'c']);
    expect(names(moveBookmark(three, id(1), 99))).toEqual(['b', 'c', 'a']);
    expect(names(three)).toEqual(['a', 'b', 'c']);
  });

  it('refuses a name in use (ignoring case and spaces) and a folder bookmarked twice, in words', () => {
    expect(failure(() => addBookmark(three, mark(4, ' B ', 'other/')))).toEqual({
      code: 'conflict',
      message: 'A bookmark named "b" exists already. Choose another name.',
    });
    expect(failure(() => addBookmark(three, { ...mark(4, 'new'), prefix: 'a/' }))).toEqual({
      code: 'conflict',
      message: 'This folder is bookmarked already, as "a".',
    });
    expect(failure(() => renameBookmark(three, id(1), 'C')).code).toBe('conflict');
    expect(names(renameBookmark(three, id(1), 'A'))).toEqual(['A', 'b', 'c']);
    expect(failure(() => removeBookmark(three, id(9))).code).toBe('invalid-input');
    expect(names(removeBookmark(three, id(2)))).toEqual(['a', 'c']);
  });

  it('names a new bookmark after its folder, or its bucket at the top, numbering a name in use', () => {
    expect(defaultBookmarkName(three, { bucket: 'photos', prefix: '2024/raw/' })).toBe('raw');
    expect(defaultBookmarkName(three, { bucket: 'photos', prefix: '' })).toBe('photos');
    expect(defaultBookmarkName(three, { bucket: 'photos', prefix: 'x/A/' })).toBe('A (2)');
    expect(defaultBookmarkName([...three, mark(4, 'a (2)', 'y/')], { bucket: 'p', prefix: 'z/a/' })).toBe('a (3)');
  });
});
