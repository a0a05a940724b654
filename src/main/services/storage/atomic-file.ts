import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The file-system calls an atomic write makes; tests pass failing ones to check what is left behind. */
export interface AtomicWriteFileSystem {
  mkdir: typeof fs.mkdir;
  open: typeof fs.open;
  rename: typeof fs.rename;
  rm: typeof fs.rm;
}

const nodeFileSystem: AtomicWriteFileSystem = { mkdir: fs.mkdir, open: fs.open, rename: fs.rename, rm: fs.rm };

/**
 * Errors of syncing a folder on systems that cannot: Windows cannot open a folder as a file
 * (EISDIR, EPERM), and some file systems refuse fsync on a folder (EINVAL, ENOTSUP).
 */
const folderSyncUnsupported = new Set([
  'EINVAL',
  'EISDIR',
  'ENOTSUP',
  ...(process.platform === 'win32' ? ['EPERM'] : []),
]);

/**
 * Flushes a folder's entries to disk, so that a rename in it survives a power cut: the rename
 * changes the folder, not the file, and until the folder is synced it can be lost
 * (https://man7.org/linux/man-pages/man2/fsync.2.html, "Calling fsync() does not necessarily
 * ensure that the entry in the directory containing the file has also reached disk").
 */
async function syncFolder(folder: string, fileSystem: AtomicWriteFileSystem): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fileSystem.open(folder, 'r');
    await handle.sync();
  } catch (error) {
    if (!folderSyncUnsupported.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * Writes a file so that a crash never leaves it half-written: write a temporary file in the
 * same folder, flush it to disk, rename it over the target (atomic on one file system), then
 * flush the folder so the rename itself is on disk. A failure at any step removes the
 * temporary file: a full disk must not be made fuller by leftovers.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  mode = 0o600,
  fileSystem: AtomicWriteFileSystem = nodeFileSystem,
): Promise<void> {
  const folder = dirname(path);
  await fileSystem.mkdir(folder, { recursive: true });
  const temporary = join(folder, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await fileSystem.open(temporary, 'w', mode);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fileSystem.rename(temporary, path);
  } catch (error) {
    await fileSystem.rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncFolder(folder, fileSystem);
}
