import { chmod, chown, lstat, mkdir, mkdtemp, readFile, readdir, rm, symlink, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { ensurePrivateFolder } from '../storage/private-folder';
import { createSpools, defaultSpoolRoot, SPOOL_STALE_MS, spoolPathProblem } from './spool';

async function* bytes(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield Buffer.from(part);
}

let root: string | undefined;
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('spool paths', () => {
  test('relative paths with / are accepted', () => {
    expect(spoolPathProblem('a.txt')).toBeUndefined();
    expect(spoolPathProblem('photos/2024/a b.jpg')).toBeUndefined();
    expect(spoolPathProblem('..hidden/..x')).toBeUndefined();
  });

  test.each(['', '/abs', 'C:/x', 'c:x', '../x', 'a/../b', 'a/..', 'a\\b', 'a//b', './a', 'a/.', 'a\0b'])(
    'refuses %j',
    (path) => {
      expect(spoolPathProblem(path)).toBeDefined();
    },
  );
});

describe('spools', () => {
  test('write files into their own folder, refuse unknown ids and writes after sealing, and remove the folder', async () => {
    root = join(await mkdtemp(join(tmpdir(), 's3fm-spool-test-')), 'spool');
    const spools = createSpools(root);
    const id = await spools.open();
    await spools.write(id, 'photos/a.txt', bytes('hello ', 'world'));
    expect(await readFile(join(root, id, 'photos', 'a.txt'), 'utf8')).toBe('hello world');
    await expect(spools.write(id, '../escape.txt', bytes('x'))).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(spools.write('not-a-uuid', 'a.txt', bytes('x'))).rejects.toMatchObject({ code: 'invalid-input' });
    await expect(spools.write('11111111-1111-4111-8111-111111111111', 'a.txt', bytes('x'))).rejects.toMatchObject({
      code: 'invalid-input',
    });
    expect(await readdir(root)).toEqual([id]);

    // A write that breaks off leaves nothing behind.
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('part');
      throw new Error('the browser went away');
    }
    await expect(spools.write(id, 'photos/b.txt', broken())).rejects.toThrow('the browser went away');
    expect(await readdir(join(root, id, 'photos'))).toEqual(['a.txt']);

    spools.seal(id);
    await expect(spools.write(id, 'late.txt', bytes('x'))).rejects.toMatchObject({ code: 'conflict' });
    await spools.remove(id);
    expect(await readdir(root)).toEqual([]);
    expect(spools.isOpen(id)).toBe(false);
  });

  test("live in the app's data folder, not the shared temporary folder", () => {
    expect(defaultSpoolRoot(join('/home', 'someone', '.config', 's3-file-manager'))).toBe(
      join('/home', 'someone', '.config', 's3-file-manager', 'spool'),
    );
  });

  test('their root is a private folder: made 0700, tightened when looser', async () => {
    const parent = await mkdtemp(join(tmpdir(), 's3fm-spool-test-'));
    root = parent;
    const spools = createSpools(join(parent, 'data', 'spool'));
    await spools.open();
    const info = await lstat(join(parent, 'data', 'spool'));
    expect(info.isDirectory()).toBe(true);
    if (process.platform === 'win32') return;
    expect(info.mode & 0o777).toBe(0o700);
    expect(info.uid).toBe(process.getuid?.());
    await chmod(join(parent, 'data', 'spool'), 0o755);
    await spools.open();
    expect((await lstat(join(parent, 'data', 'spool'))).mode & 0o777).toBe(0o700);
  });

  test('a root that is a symbolic link is refused, and nothing is written through it', async () => {
    const parent = await mkdtemp(join(tmpdir(), 's3fm-spool-test-'));
    root = parent;
    const elsewhere = join(parent, 'elsewhere');
    await mkdir(elsewhere);
    await symlink(elsewhere, join(parent, 'spool'));
    const spools = createSpools(join(parent, 'spool'));
    await expect(spools.open()).rejects.toMatchObject({
      code: 'access-denied',
      message: expect.stringContaining('is a symbolic link'),
    });
    await expect(spools.sweep(new Map())).rejects.toMatchObject({ code: 'access-denied' });
    expect(await readdir(elsewhere)).toEqual([]);
  });

  test.skipIf(process.getuid?.() !== 0)(
    'a root owned by another user is refused (needs root to chown; skipped otherwise)',
    async () => {
      const parent = await mkdtemp(join(tmpdir(), 's3fm-spool-test-'));
      root = parent;
      const theirs = join(parent, 'spool');
      await mkdir(theirs, { mode: 0o700 });
      await chown(theirs, 65534, 65534);
      await expect(ensurePrivateFolder(theirs)).rejects.toMatchObject({
        code: 'access-denied',
        message: expect.stringContaining('belongs to another user (uid 65534)'),
      });
      await expect(createSpools(theirs).open()).rejects.toMatchObject({ code: 'access-denied' });
      expect(await readdir(theirs)).toEqual([]);
    },
  );

  test('a sweep removes spools of finished batches and spools never queued in time, and keeps the rest', async () => {
    root = join(await mkdtemp(join(tmpdir(), 's3fm-spool-test-')), 'spool');
    let clock = Date.now();
    const spools = createSpools(root, { now: () => clock });
    const [neverQueued, queued, finished, failed] = [
      await spools.open(),
      await spools.open(),
      await spools.open(),
      await spools.open(),
    ];
    for (const id of [neverQueued, queued, finished, failed]) await spools.write(id, 'a.txt', bytes('x'));
    // Left by an earlier run (its folder's time is all there is to go by), and not a spool at all.
    const leftOver = '22222222-2222-4222-8222-222222222222';
    await mkdir(join(root, leftOver));
    const old = new Date(clock - SPOOL_STALE_MS - 60_000);
    await utimes(join(root, leftOver), old, old);
    await mkdir(join(root, 'not-a-spool'));

    const uses = new Map([
      [queued, 'needed' as const],
      [failed, 'needed' as const],
      [finished, 'done' as const],
    ]);
    expect((await spools.sweep(uses)).sort()).toEqual([finished, leftOver].sort());
    expect((await readdir(root)).sort()).toEqual([neverQueued, queued, failed, 'not-a-spool'].sort());

    // Half an hour without a write: the browser gave up on it.
    clock += SPOOL_STALE_MS - 1000;
    expect(await spools.sweep(uses)).toEqual([]);
    clock += 2000;
    expect(await spools.sweep(uses)).toEqual([neverQueued]);
    expect(spools.isOpen(neverQueued)).toBe(false);
    await expect(spools.write(neverQueued, 'b.txt', bytes('x'))).rejects.toMatchObject({ code: 'invalid-input' });
    expect((await readdir(root)).sort()).toEqual([queued, failed, 'not-a-spool'].sort());
  });
});
