import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { compareKeys } from './key-order';

/** A file of the local folder, by its '/'-separated path below it. */
export interface LocalFile {
  path: string;
  size: number;
  mtimeMs: number;
}

/** The app's own temporary files: a download in progress, an atomic write. Never compared or synced. */
const ownTemporaryFile = /(\.s3fm-part|\.s3fm-spool-part|\.tmp)$/;

/**
 * Walks a folder in S3's key order (UTF-8 byte order of the relative path, '/' separators), one
 * folder's names in memory at a time per level: a folder named "a" sorts as "a/", so "a.txt"
 * ("." < "/") comes before everything in it and "a0" after. Symbolic links, sockets and the
 * app's temporary files are passed over, and empty folders give nothing (S3 has no folders).
 */
export async function* walkLocalTree(root: string, signal?: AbortSignal): AsyncGenerator<LocalFile> {
  yield* walkFolder(root, '', signal);
}

async function* walkFolder(folder: string, base: string, signal: AbortSignal | undefined): AsyncGenerator<LocalFile> {
  signal?.throwIfAborted();
  const entries = await readdir(folder, { withFileTypes: true });
  const named = entries
    .filter((entry) => entry.isDirectory() || (entry.isFile() && !ownTemporaryFile.test(entry.name)))
    .map((entry) => ({ entry, sortName: entry.isDirectory() ? `${entry.name}/` : entry.name }))
    .sort((a, b) => compareKeys(a.sortName, b.sortName));
  for (const { entry } of named) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      yield* walkFolder(path, `${base}${entry.name}/`, signal);
      continue;
    }
    // lstat: a file replaced by a link since readdir is not followed.
    const info = await lstat(path).catch(() => undefined);
    if (!info?.isFile()) continue;
    yield { path: `${base}${entry.name}`, size: info.size, mtimeMs: Math.floor(info.mtimeMs) };
  }
}
