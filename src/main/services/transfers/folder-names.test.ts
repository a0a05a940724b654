import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFolderNames } from './folder-names';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 's3fm-names-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the names in a folder', () => {
  it('says a name is absent only when the folder, read once, did not hold it', async () => {
    await mkdir(join(root, 'a'));
    await writeFile(join(root, 'a', 'there.txt'), 'x');
    const names = createFolderNames();
    expect(await names.absent(join(root, 'a', 'there.txt'))).toBe(false);
    expect(await names.absent(join(root, 'a', 'free.txt'))).toBe(true);
    // A folder not made yet holds nothing.
    expect(await names.absent(join(root, 'missing', 'free.txt'))).toBe(true);
    // A path whose folder is a file cannot be read: look instead.
    expect(await names.absent(join(root, 'a', 'there.txt', 'inside.txt'))).toBe(false);
  });

  it('knows what this process put in a folder since it was read, and reads it again once old', async () => {
    let now = 1_000;
    const names = createFolderNames({ maxAgeMs: 5_000, now: () => now });
    const placed = join(root, 'b', 'placed.txt');
    expect(await names.absent(placed)).toBe(true);
    await mkdir(join(root, 'b'));
    await writeFile(placed, 'x');
    names.added(placed);
    expect(await names.absent(placed)).toBe(false);

    // Another program's file is seen once the folder's names are old and read again.
    const theirs = join(root, 'b', 'theirs.txt');
    await writeFile(theirs, 'x');
    expect(await names.absent(theirs)).toBe(true);
    now += 5_001;
    expect(await names.absent(theirs)).toBe(false);
    expect(await names.absent(join(root, 'b', 'still-free.txt'))).toBe(true);
  });

  it('adds a name to a folder still being read', async () => {
    await mkdir(join(root, 'c'));
    const names = createFolderNames();
    const path = join(root, 'c', 'new.txt');
    const first = names.absent(join(root, 'c', 'other.txt'));
    names.added(path);
    await first;
    expect(await names.absent(path)).toBe(false);
  });
});
