import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { walkDropped, walkSpool, type WalkResult } from './local-files';

let base: string;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 's3fm-walk-'));
});

afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

/** Files at relative paths under `root`, each holding its own path (so sizes differ). */
async function files(root: string, paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), path);
  }
}

/** What a walk found, sorted as the plan sorts it: relative path and size, and skipped paths with why. */
function found(result: WalkResult) {
  return {
    entries: result.entries.map((entry) => `${entry.relative} ${entry.size}`).sort(),
    skipped: result.skipped.map((entry) => `${entry.relative}: ${entry.reason}`).sort(),
  };
}

describe('walking dropped folders', () => {
  it('finds every file of a tree of many folders, each once with its size, and empty folders as markers', async () => {
    const root = join(base, 'photos');
    const paths = Array.from(
      { length: 300 },
      (_, i) => `d${i % 7}/s${i % 5}/${i % 3 === 0 ? 'deeper/' : ''}file-${i}.txt`,
    );
    await files(root, paths);
    await mkdir(join(root, 'empty', 'inside'), { recursive: true });

    const result = await walkDropped([root]);

    expect(found(result)).toEqual({
      entries: [...paths.map((path) => `photos/${path} ${Buffer.byteLength(path)}`), 'photos/empty/inside/ 0'].sort(),
      skipped: [],
    });
    const marker = result.entries.find((entry) => entry.relative === 'photos/empty/inside/');
    expect(marker?.folderMarker).toBe(true);
    expect(result.entries.filter((entry) => entry.folderMarker)).toHaveLength(1);
  });

  it('follows a link to a file inside the folder, and says why it leaves out links elsewhere, to folders and to nothing', async () => {
    const root = join(base, 'docs');
    await files(root, ['a.txt', 'sub/b.txt']);
    await files(base, ['outside.txt']);
    await symlink(join(root, 'a.txt'), join(root, 'link-inside'));
    await symlink(join(base, 'outside.txt'), join(root, 'link-outside'));
    await symlink(join(root, 'sub'), join(root, 'link-folder'));
    await symlink(join(root, 'gone'), join(root, 'link-nothing'));

    expect(found(await walkDropped([root]))).toEqual({
      entries: ['docs/a.txt 5', 'docs/link-inside 5', 'docs/sub/b.txt 9'],
      skipped: [
        'docs/link-folder: It is a symbolic link to a folder (not followed).',
        'docs/link-nothing: It is a symbolic link to nothing.',
        'docs/link-outside: It is a symbolic link to somewhere outside the folder.',
      ],
    });
  });

  it('takes dropped files as they are, and says which dropped path is gone', async () => {
    await files(base, ['one.txt', 'two/three.txt']);

    expect(found(await walkDropped([join(base, 'one.txt'), join(base, 'two'), join(base, 'missing.txt')]))).toEqual({
      entries: ['one.txt 7', 'two/three.txt 13'],
      skipped: ['missing.txt: It is gone.'],
    });
  });

  it('refuses more files than one drop may queue, counting files and not folders', async () => {
    const root = join(base, 'many');
    await files(
      root,
      Array.from({ length: 12 }, (_, i) => `f${i % 4}/file-${i}.txt`),
    );

    await expect(walkDropped([root], 12)).resolves.toMatchObject({ entries: expect.any(Array) });
    await expect(walkDropped([root], 11)).rejects.toThrow('That is more than 11 files. Upload fewer at once.');
  });

  it('refuses too many files found in a subfolder while its parent is still being read, with nothing left unhandled', async () => {
    // Folders do not count, files do: the parent's names take long to read, and meanwhile its
    // subfolders' walks find more files than allowed.
    const root = join(base, 'wide');
    for (let i = 0; i < 1500; i += 1) {
      await mkdir(join(root, `sub-${i}`), { recursive: true });
      await writeFile(join(root, `sub-${i}`, 'a.txt'), 'x');
    }
    const unhandled: unknown[] = [];
    const note = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', note);
    try {
      for (const limit of [20, 200, 1000]) {
        await expect(walkDropped([root], limit)).rejects.toThrow(
          `That is more than ${limit.toLocaleString('en')} files.`,
        );
      }
      // Rejections noticed late are reported on a later turn of the event loop.
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off('unhandledRejection', note);
    }
    expect(unhandled).toEqual([]);
  });

  it("leaves out a spool's files still being written, and keeps the spool's own name out of the paths", async () => {
    const spool = join(base, 'spool');
    await files(spool, ['a.txt', 'b.txt.s3fm-spool-part', 'folder/c.txt']);

    expect(found(await walkSpool(spool))).toEqual({ entries: ['a.txt 5', 'folder/c.txt 12'], skipped: [] });
  });
});
