import { lstat, opendir, realpath, stat } from 'node:fs/promises';
import { basename, join, relative, isAbsolute, sep } from 'node:path';
import { AppFailure } from '../app-failure';

/** A file (or an empty folder) to upload, with its path below what was dropped, '/'-separated. */
export interface LocalEntry {
  path: string;
  /** "photos/2024/a.jpg", or "photos/empty/" for an empty folder. */
  relative: string;
  size: number;
  mtimeMs: number;
  folderMarker: boolean;
}

/** Something found while walking that is not uploaded, and why. */
export interface SkippedEntry {
  path: string;
  relative: string;
  reason: string;
}

/** What walking the dropped paths found. */
export interface WalkResult {
  entries: LocalEntry[];
  skipped: SkippedEntry[];
}

/** More files than one drop may queue: a person who dropped their home folder by mistake is told. */
export const MAX_ENTRIES = 100_000;

/** Names web mode's spool writer uses for files still being written. */
const spoolPartial = /\.s3fm-spool-part$/;

function errorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'It cannot be read (permission denied).';
  if (code === 'ENOENT') return 'It is gone.';
  return 'It cannot be read.';
}

function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

/**
 * Walks what the person dropped: files as they are (a dropped symbolic link is followed, the
 * person chose it), folders recursively keeping their structure under their own name. Inside a
 * folder a symbolic link is followed only to a file inside that same folder: never outside it,
 * and never to a folder (no loops). Empty folders become "name/" entries.
 */
export async function walkDropped(paths: readonly string[]): Promise<WalkResult> {
  const result: WalkResult = { entries: [], skipped: [] };
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      result.skipped.push({ path, relative: basename(path), reason: errorReason(error) });
      continue;
    }
    if (info.isDirectory()) {
      const root = await realpath(path);
      await walkFolder(root, path, `${basename(path)}/`, result);
    } else if (info.isFile()) {
      result.entries.push({
        path,
        relative: basename(path),
        size: info.size,
        mtimeMs: info.mtimeMs,
        folderMarker: false,
      });
    } else {
      result.skipped.push({ path, relative: basename(path), reason: 'It is not a regular file or folder.' });
    }
  }
  return result;
}

/** Walks a spool: its contents keep their relative paths, without the spool folder's own name. */
export async function walkSpool(folder: string): Promise<WalkResult> {
  const result: WalkResult = { entries: [], skipped: [] };
  await walkFolder(await realpath(folder), folder, '', result);
  return result;
}

async function walkFolder(root: string, folder: string, prefix: string, result: WalkResult): Promise<void> {
  let dir;
  try {
    dir = await opendir(folder);
  } catch (error) {
    result.skipped.push({ path: folder, relative: prefix, reason: errorReason(error) });
    return;
  }
  let children = 0;
  for await (const dirent of dir) {
    children += 1;
    if (result.entries.length + result.skipped.length >= MAX_ENTRIES) {
      throw new AppFailure(
        'invalid-input',
        `That is more than ${MAX_ENTRIES.toLocaleString('en')} files. Upload fewer at once.`,
      );
    }
    const path = join(folder, dirent.name);
    const rel = `${prefix}${dirent.name}`;
    if (spoolPartial.test(dirent.name)) continue;
    if (dirent.isDirectory()) {
      await walkFolder(root, path, `${rel}/`, result);
    } else if (dirent.isFile()) {
      try {
        const info = await lstat(path);
        result.entries.push({ path, relative: rel, size: info.size, mtimeMs: info.mtimeMs, folderMarker: false });
      } catch (error) {
        result.skipped.push({ path, relative: rel, reason: errorReason(error) });
      }
    } else if (dirent.isSymbolicLink()) {
      await followLink(root, path, rel, result);
    } else {
      result.skipped.push({ path, relative: rel, reason: 'It is not a regular file (a socket, pipe or device).' });
    }
  }
  if (children === 0 && prefix !== '') {
    const info = await stat(folder).catch(() => undefined);
    result.entries.push({ path: folder, relative: prefix, size: 0, mtimeMs: info?.mtimeMs ?? 0, folderMarker: true });
  }
}

async function followLink(root: string, path: string, rel: string, result: WalkResult): Promise<void> {
  let target: string;
  try {
    target = await realpath(path);
  } catch {
    result.skipped.push({ path, relative: rel, reason: 'It is a symbolic link to nothing.' });
    return;
  }
  if (!isInside(root, target)) {
    result.skipped.push({ path, relative: rel, reason: 'It is a symbolic link to somewhere outside the folder.' });
    return;
  }
  const info = await stat(target).catch(() => undefined);
  if (!info?.isFile()) {
    result.skipped.push({ path, relative: rel, reason: 'It is a symbolic link to a folder (not followed).' });
    return;
  }
  result.entries.push({ path: target, relative: rel, size: info.size, mtimeMs: info.mtimeMs, folderMarker: false });
}
