import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  checkLocalFolder,
  describeFolder,
  folderBytes,
  mixedFolderSpec,
  planFolder,
  smallFolderSpec,
  writeFolder,
} from './bench-folders';

const MiB = 1024 * 1024;

describe('the folders the transfers phase moves', () => {
  it('mixes 5,000 files as mostly small, some of 1–20 MiB and a few of 64 MiB, the same every run', () => {
    const spec = mixedFolderSpec(5000);
    const files = planFolder(spec);
    const bytes = folderBytes(files);

    expect(spec).toEqual({ small: 4900, medium: 95, large: 5 });
    expect(files).toHaveLength(5000);
    expect(new Set(files.map((file) => file.relative)).size).toBe(5000);
    expect(files.filter((file) => file.size === 64 * MiB)).toHaveLength(5);
    expect(files.filter((file) => file.size >= MiB && file.size <= 20 * MiB)).toHaveLength(95);
    expect(files.filter((file) => file.size <= 64 * 1024).length).toBe(4900);
    expect(bytes).toBeGreaterThan(1.2 * 1024 * MiB);
    expect(bytes).toBeLessThan(1.8 * 1024 * MiB);
    expect(planFolder(spec)).toEqual(files);
    expect(describeFolder(spec, files)).toMatch(
      /^5,000 files: 4,900 of 4–64 KiB, 95 of 1–20 MiB, 5 of 64 MiB \(1\.\d\d GiB\)$/,
    );
  });

  it('keeps at least one big file in a small mixed folder, and none in a folder of small files', () => {
    expect(mixedFolderSpec(250)).toEqual({ small: 244, medium: 5, large: 1 });
    const small = planFolder(smallFolderSpec(500));
    expect(small.every((file) => file.size >= 4096 && file.size <= 65536)).toBe(true);
    expect(describeFolder(smallFolderSpec(500), small)).toMatch(/^500 files of 4–64 KiB \(\d+ MiB\)$/);
  });

  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes a folder and finds a missing, an extra and a changed file in its copy', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'bench-folders-'));
    const files = planFolder(smallFolderSpec(12));
    const contents = await writeFolder(path.join(dir, 'a'), files);

    expect(await checkLocalFolder(path.join(dir, 'a'), contents)).toBeNull();
    expect(await checkLocalFolder(path.join(dir, 'missing'), contents)).toMatch(/missing/);
    const first = files[0]?.relative ?? '';
    await writeFile(path.join(dir, 'a', ...first.split('/')), 'changed');
    expect(await checkLocalFolder(path.join(dir, 'a'), contents)).toMatch(/1 downloaded files differ/);
    await writeFile(path.join(dir, 'a', 'extra.txt'), 'x');
    expect(await checkLocalFolder(path.join(dir, 'a'), contents)).toMatch(/13 files downloaded, not 12; unexpected 1/);
  });
});
