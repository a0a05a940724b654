import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AppFailure } from '../app-failure';

/** Errno codes of a full disk: no space left (ENOSPC), or the person's quota used up (EDQUOT). */
const fullDiskCodes = new Set(['ENOSPC', 'EDQUOT']);

/** The full-disk errno code of an error (or of an error it wraps), if it is one. */
export function fullDiskCode(thrown: unknown): 'ENOSPC' | 'EDQUOT' | undefined {
  for (let error = thrown, depth = 0; error && depth < 5; depth += 1) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && fullDiskCodes.has(code)) return code as 'ENOSPC' | 'EDQUOT';
    error = (error as { cause?: unknown }).cause;
  }
  return undefined;
}

/** A size for a sentence, as df -h counts: "512 bytes", "1.5 MiB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = units[0] ?? 'KiB';
  for (const next of units.slice(1)) {
    if (value < 1024) break;
    value /= 1024;
    unit = next;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
}

/**
 * The space free to this user on the file system holding `folder` (or its nearest existing
 * parent), as df reports it: available blocks (root's reserve excluded) times their size.
 */
export async function freeSpace(folder: string): Promise<number | undefined> {
  for (let current = folder; ; current = dirname(current)) {
    try {
      const stats = await statfs(current);
      return stats.bavail * stats.bsize;
    } catch {
      if (dirname(current) === current) return undefined;
    }
  }
}

/**
 * What a download says when the disk is full, once its partial file is gone: the folder, what
 * the file needs, what is free and how much more is missing, and that Retry works once there
 * is room. Its code is not one the queue retries by itself: waiting does not free a disk.
 * `measureFree` is passed in by tests, as the free space of a shared disk moves under them.
 */
export async function fullDiskFailure(
  code: 'ENOSPC' | 'EDQUOT',
  folder: string,
  needed: number,
  measureFree: (folder: string) => Promise<number | undefined> = freeSpace,
): Promise<AppFailure> {
  const free = await measureFree(folder);
  const what = code === 'EDQUOT' ? 'Your disk quota is used up in' : 'The disk is full: not enough space in';
  const room =
    free === undefined
      ? `this file needs ${formatBytes(needed)}`
      : `this file needs ${formatBytes(needed)} and ${formatBytes(free)} is free` +
        (needed > free ? ` (${formatBytes(needed - free)} more is needed)` : '');
  return new AppFailure(
    'invalid-input',
    `${what} "${folder}": ${room}. The partial download was removed. Free some space, or download to another disk, then Retry.`,
  );
}
