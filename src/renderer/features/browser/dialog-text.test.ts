import { describe, expect, it } from 'vitest';
import {
  collisionSentence,
  conflictDialogText,
  conflictQuestion,
  deleteForGoodQuestion,
  deleteQuestion,
  folderPrefix,
  transferProblem,
} from './dialog-text';

describe('deleteQuestion', () => {
  it('says how many items, and what happens to folders', () => {
    expect(deleteQuestion(['docs/a.txt'])).toBe('Delete “a.txt”? This cannot be undone.');
    expect(deleteQuestion(['docs/old/'])).toBe('Delete the folder “old” and everything in it? This cannot be undone.');
    expect(deleteQuestion(['a.txt', 'b.txt'])).toBe('Delete 2 items? This cannot be undone.');
    expect(deleteQuestion(['a/', 'b.txt', 'c/'])).toBe(
      'Delete 3 items? Folders are deleted with everything in them. This cannot be undone.',
    );
    expect(deleteQuestion(['a/', 'b.txt'])).toBe(
      'Delete 2 items? The folder is deleted with everything in it. This cannot be undone.',
    );
  });
});

describe('deleteQuestion by versioning', () => {
  it('says a delete can be undone only where versioning keeps the file', () => {
    expect(deleteQuestion(['a.txt'], 'enabled')).toBe(
      'Delete “a.txt”? Versioning is on in this bucket, so this can be undone: Show deleted files → Undelete.',
    );
    expect(deleteQuestion(['a.txt', 'b/'], 'suspended')).toMatch(
      /^Delete 2 items\? The folder is deleted with everything in it\. Versioning is suspended in this bucket: .*the “null” version\) is removed for good\.$/,
    );
    expect(deleteQuestion(['a.txt'], 'off')).toBe('Delete “a.txt”? This cannot be undone.');
    expect(deleteQuestion(['a.txt'], 'unknown')).toBe('Delete “a.txt”? This cannot be undone.');
  });
});

describe('deleteForGoodQuestion', () => {
  it('says how many versions go, and that it cannot be undone', () => {
    expect(deleteForGoodQuestion(['docs/a.txt'], { files: 1, versions: 3, more: false })).toBe(
      'Delete “a.txt” for good? 3 versions and delete markers of 1 file will be removed. This cannot be undone.',
    );
    expect(deleteForGoodQuestion(['old/', 'b.txt'], { files: 40, versions: 10_000, more: true })).toBe(
      'Delete 2 deleted items for good? At least 10,000 versions and delete markers of 40 files will be removed. This cannot be undone.',
    );
    expect(deleteForGoodQuestion(['old/'], null)).toBe(
      'Delete the deleted files in “old” for good? Every version and delete marker of them will be removed. This cannot be undone.',
    );
  });
});

describe('folderPrefix', () => {
  it('turns a typed folder into a prefix', () => {
    expect(folderPrefix('')).toBe('');
    expect(folderPrefix(' / ')).toBe('');
    expect(folderPrefix('docs')).toBe('docs/');
    expect(folderPrefix('/docs/2024/')).toBe('docs/2024/');
  });
});

describe('transferProblem', () => {
  it('refuses a folder into itself and a move to where the items already are', () => {
    expect(transferProblem('b', ['docs/'], 'b', 'docs/sub/')).toMatch(/cannot go into itself/);
    expect(transferProblem('b', ['docs/'], 'b', 'docs/')).toMatch(/cannot go into itself/);
    expect(transferProblem('b', ['docs/a.txt', 'docs/b.txt'], 'b', 'docs/')).toMatch(/already in this folder/);
    expect(transferProblem('b', ['docs/a.txt'], 'b', '')).toBeNull();
    expect(transferProblem('b', ['docs/'], 'other', 'docs/sub/')).toBeNull();
    expect(transferProblem('b', ['a.txt', 'docs/b.txt'], 'b', 'docs/')).toBeNull();
  });
});

describe('conflictQuestion', () => {
  it('names what exists and asks', () => {
    expect(conflictQuestion(['a.txt'], 1, 'docs/')).toBe(
      '“a.txt” already exists in docs/. Replace it, skip it, or keep both?',
    );
    expect(conflictQuestion(['a.txt', 'old/'], 3, 'docs/')).toBe(
      '2 of 3 items already exist in docs/: “a.txt”, “old”. Replace them, skip them, or keep both?',
    );
    expect(conflictQuestion(['1', '2', '3', '4', '5'], 5, 'x')).toContain(
      'All of them already exist in x: “1”, “2”, “3” and 2 more.',
    );
  });
});

describe('selected items that would land on one name', () => {
  const fTxt = { key: 'z/f.txt', items: ['x/f.txt', 'y/f.txt'] };
  const photos = { key: 'z/photos/', items: ['a/photos/', 'b/photos/', 'c/photos/'] };

  it('says how many land where, in words', () => {
    expect(collisionSentence([fTxt], 'b')).toBe('2 of the selected items would land on s3://b/z/f.txt.');
    expect(collisionSentence([fTxt, photos], 'b')).toBe(
      '2 of the selected items would land on s3://b/z/f.txt and 3 on s3://b/z/photos/.',
    );
    const many = ['g', 'h', 'i', 'j'].map((name) => ({ key: `z/${name}`, items: [`x/${name}`, `y/${name}`] }));
    expect(collisionSentence([fTxt, ...many], 'b')).toBe(
      '2 of the selected items would land on s3://b/z/f.txt, 2 on s3://b/z/g, 2 on s3://b/z/h, and 2 more names are shared the same way.',
    );
  });

  it('asks skip or keep both when nothing exists there, without offering Replace', () => {
    const text = conflictDialogText('move', { conflicts: [], collisions: [fTxt] }, 2, { bucket: 'b', prefix: 'z/' });
    expect(text).toEqual({
      question: '2 of the selected items would land on s3://b/z/f.txt. Skip the others, or keep both?',
      hint: 'Selected items never overwrite each other: Skip takes the first of each name and leaves the others where they are; Keep both gives the others a numbered name, such as “f (1).txt”.',
      canReplace: false,
    });
    expect(
      conflictDialogText('copy', { conflicts: [], collisions: [photos] }, 3, { bucket: 'b', prefix: 'z/' }).hint,
    ).toContain('does not copy the others; Keep both gives the others a numbered name, such as “photos (1)”.');
  });

  it('with names that exist too, offers Replace and says it never applies between selected items', () => {
    const text = conflictDialogText('move', { conflicts: ['g.txt'], collisions: [fTxt] }, 3, {
      bucket: 'b',
      prefix: 'z/',
    });
    expect(text.canReplace).toBe(true);
    expect(text.question).toBe(
      '1 of 3 items already exists in s3://b/z/: “g.txt”. Replace them, skip them, or keep both? 2 of the selected items would land on s3://b/z/f.txt.',
    );
    expect(text.hint).toContain('Keep both and Replace give the others a numbered name');
    expect(text.hint).toContain('Replace overwrites only what is already there.');
  });

  it('keeps the plain question when only existing names conflict', () => {
    expect(
      conflictDialogText('copy', { conflicts: ['a.txt'], collisions: [] }, 1, { bucket: 'b', prefix: '' }),
    ).toEqual({
      question: '“a.txt” already exists in s3://b/. Replace it, skip it, or keep both?',
      hint: 'Keep both gives the new copies a numbered name, such as “report (1).pdf”.',
      canReplace: true,
    });
  });
});
