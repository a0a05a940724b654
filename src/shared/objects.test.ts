import { describe, expect, it } from 'vitest';
import { bucketNameSchema, displayName, folderNameSchema, selectionCollisions } from './objects';

describe('bucket names', () => {
  it('accepts valid names', () => {
    for (const name of ['photos', 'my-bucket.2026', 'a1b', 'x'.repeat(63)])
      expect(bucketNameSchema.safeParse(name).success, name).toBe(true);
  });

  it('refuses uppercase, too short, IP-shaped and reserved names, saying why', () => {
    const cases: [string, RegExp][] = [
      ['MyBucket', /lowercase/],
      ['ab', /at least 3/],
      ['192.168.1.10', /IP address/],
      ['my..bucket', /two dots/],
      ['-bucket', /begins and ends/],
      ['has space', /lowercase/],
      ['xn--bucket', /reserved/],
      ['x'.repeat(64), /at most 63/],
    ];
    for (const [name, message] of cases) {
      const result = bucketNameSchema.safeParse(name);
      expect(result.success, name).toBe(false);
      expect(result.error?.issues.map((i) => i.message).join(' '), name).toMatch(message);
    }
  });
});

describe('folder names', () => {
  it("refuses '/', '.', '..' and empty names", () => {
    expect(folderNameSchema.safeParse('a/b').error?.issues[0]?.message).toMatch(/cannot contain '\/'/);
    expect(folderNameSchema.safeParse('..').success).toBe(false);
    expect(folderNameSchema.safeParse('').success).toBe(false);
    expect(folderNameSchema.safeParse('Reports 2026 (final)').success).toBe(true);
  });
});

describe('displayName', () => {
  it('shows the last segment of a key or prefix', () => {
    expect(displayName('a/b/c.txt', 'a/b/')).toBe('c.txt');
    expect(displayName('a/b/', 'a/')).toBe('b');
  });
});

describe('selectionCollisions', () => {
  it('groups the selected items that would land on one destination key', () => {
    expect(selectionCollisions(['x/f.txt', 'y/f.txt', 'w/g.txt', 'a/photos/', 'b/photos/', 'f.txt'], 'z/')).toEqual([
      { key: 'z/f.txt', items: ['x/f.txt', 'y/f.txt', 'f.txt'] },
      { key: 'z/photos/', items: ['a/photos/', 'b/photos/'] },
    ]);
  });

  it('tells a file from a folder of the same name, and one item given twice from two items', () => {
    expect(selectionCollisions(['x/f', 'y/f/'], '')).toEqual([]);
    expect(selectionCollisions(['x/f.txt', 'x/f.txt'], 'z/')).toEqual([]);
  });
});
