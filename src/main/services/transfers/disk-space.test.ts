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
      const needed = (free ?? 0) + 5 * 1024 * 1024;
      const failure = await fullDiskFailure('ENOSPC', folder, needed);
      expect(failure.code).toBe('invalid-input');
      expect(failure.message).toContain(`The disk is full: not enough space in "${folder}"`);
      expect(failure.message).toContain(`this file needs ${formatBytes(needed)}`);
      expect(failure.message).toMatch(/is free \((4\.\d|5(\.\d)?) MiB more is needed\)/);
      expect(failure.message).toContain('The partial download was removed.');
      expect(failure.message).toMatch(/then Retry\.$/);
      expect((await fullDiskFailure('EDQUOT', folder, 10)).message).toMatch(/^Your disk quota is used up in/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
