import { describe, expect, it } from 'vitest';
import { conflictQuestion, deleteQuestion, folderPrefix, transferProblem } from './dialog-text';

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
