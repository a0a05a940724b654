import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { formatBytes, freeSpace, fullDiskCode, fullDiskFailure } from './disk-space';

/** An error shaped as Node's fs throws it when the disk is full. */
const errno = (code: string, errno: number) =>
  Object.assign(new Error(`${code}: no space left on device, write`), { code, errno, syscall: 'write' });

describe('a full disk', () => {
  test('is told apart by its errno code, also when wrapped', () => {
    expect(fullDiskCode(errno('ENOSPC', -28))).toBe('ENOSPC');
    expect(fullDiskCode(errno('EDQUOT', -122))).toBe('EDQUOT');
    expect(fullDiskCode(new Error('write failed', { cause: errno('ENOSPC', -28) }))).toBe('ENOSPC');
    expect(fullDiskCode(errno('EACCES', -13))).toBeUndefined();
    expect(fullDiskCode(undefined)).toBeUndefined();
  });

  test('sizes read as df -h counts them', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(1024)).toBe('1 KiB');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3 MiB');
    expect(formatBytes(1.5 * 1024 ** 3)).toBe('1.5 GiB');
  });

  test('says so in words: the folder, what the file needs, what is free, and what to do', async () => {
    const folder = await mkdtemp(join(tmpdir(), 's3fm-disk-'));
    try {
      const free = await freeSpace(folder);
      expect(free).toBeGreaterThan(0);
      // A folder still to be made is measured at its nearest existing parent.
      expect(await freeSpace(join(folder, 'not', 'yet'))).toBeGreaterThan(0);
      // Measured on the real disk: the sentence names what is free there (other tests write to
      // the same disk meanwhile, so the figure is checked for its form, not its value).
      const measured = await fullDiskFailure('ENOSPC', folder, (free ?? 0) * 2);
      expect(measured.message).toMatch(/and [\d.]+ (bytes?|KiB|MiB|GiB|TiB) is free/);
      // With the free space fixed, the arithmetic: what is missing is what the file needs less what is free.
      const fixedFree = 3.5 * 1024 ** 3;
      const needed = fixedFree + 5 * 1024 * 1024;
      const failure = await fullDiskFailure('ENOSPC', folder, needed, async () => fixedFree);
      expect(failure.code).toBe('invalid-input');
      expect(failure.message).toBe(
        `The disk is full: not enough space in "${folder}": this file needs ${formatBytes(needed)} and 3.5 GiB is free ` +
          '(5 MiB more is needed). The partial download was removed. Free some space, or download to another disk, then Retry.',
      );
      expect((await fullDiskFailure('ENOSPC', folder, 10, async () => undefined)).message).toContain(
        ': this file needs 10 bytes. The partial download',
      );
      expect((await fullDiskFailure('EDQUOT', folder, 10)).message).toMatch(/^Your disk quota is used up in/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
