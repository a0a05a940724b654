import type { Dirent } from 'node:fs';
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
 * Files looked at (stat) at once in one walk. Each look is a trip to libuv's thread pool (four
 * threads); made one after another, 500 files in 50 folders took 50 ms on a local disk, the
 * time a batch of small files waited before its first request.
 */
const FILES_AT_ONCE = 16;
/** Folders read at once in one walk: each holds a directory handle open while it is read. */
const FOLDERS_AT_ONCE = 4;

/** One walk's shared state: what it found, how many files it has seen, and its gates. */
interface Walk {
  result: WalkResult;
  seen: number;
  /** Files (not folders) one walk may see: MAX_ENTRIES, but in tests. */
  maxEntries: number;
  /** Runs one look at a file when a place is free. */
  files: Gate;
  /** Reads one folder's names when a place is free. */
  folders: Gate;
}

/** Runs a call when one of its places is free (the rest wait in order). */
type Gate = <T>(call: () => Promise<T>) => Promise<T>;

/** A gate that lets `limit` calls run at once. */
function gateOf(limit: number): Gate {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (call) => {
    // A place ending is handed to the first waiting call as it is, so no newcomer slips in between.
    if (running < limit) running += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await call();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
}

/** A walk's state, nothing found yet. */
function newWalk(maxEntries: number): Walk {
  return {
    maxEntries,
    result: { entries: [], skipped: [] },
    seen: 0,
    files: gateOf(FILES_AT_ONCE),
    folders: gateOf(FOLDERS_AT_ONCE),
  };
}

/**
 * Walks what the person dropped: files as they are (a dropped symbolic link is followed, the
 * person chose it), folders recursively keeping their structure under their own name. Inside a
 * folder a symbolic link is followed only to a file inside that same folder: never outside it,
 * and never to a folder (no loops). Empty folders become "name/" entries. Files and folders
 * are looked at several at once; the order of the entries is not their order on disk (the
 * caller sorts by key).
 */
export async function walkDropped(paths: readonly string[], maxEntries = MAX_ENTRIES): Promise<WalkResult> {
  const walk = newWalk(maxEntries);
  const { result } = walk;
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
      await walkFolder(walk, root, path, `${basename(path)}/`);
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
export async function walkSpool(folder: string, maxEntries = MAX_ENTRIES): Promise<WalkResult> {
  const walk = newWalk(maxEntries);
  await walkFolder(walk, await realpath(folder), folder, '');
  return walk.result;
}

async function walkFolder(walk: Walk, root: string, folder: string, prefix: string): Promise<void> {
  // Each name's look starts as soon as it is read; the folder's place is given back once its
  // names are read, before its looks are waited for (a subfolder waiting for a place never holds one).
  const looks: Promise<void>[] = [];
  let children: number | undefined;
  try {
    children = await walk.folders(() => readNames(walk, root, folder, prefix, looks));
  } catch (error) {
    // Too many files, or the folder failed while being read: the looks started still end, unwatched.
    void Promise.allSettled(looks);
    throw error;
  }
  if (children === undefined) return;
  await settleAll(looks);
  if (children === 0 && prefix !== '') {
    const info = await walk.files(() => stat(folder)).catch(() => undefined);
    walk.result.entries.push({
      path: folder,
      relative: prefix,
      size: 0,
      mtimeMs: info?.mtimeMs ?? 0,
      folderMarker: true,
    });
  }
}

/**
 * Reads a folder's names, starting the look at each into `looks`: how many names it holds, or
 * undefined when it cannot be read (said in the walk's result).
 */
async function readNames(
  walk: Walk,
  root: string,
  folder: string,
  prefix: string,
  looks: Promise<void>[],
): Promise<number | undefined> {
  let dir;
  try {
    dir = await opendir(folder);
  } catch (error) {
    walk.result.skipped.push({ path: folder, relative: prefix, reason: errorReason(error) });
    return undefined;
  }
  let children = 0;
  for await (const dirent of dir) {
    children += 1;
    const look = lookAt(walk, root, dirent, join(folder, dirent.name), `${prefix}${dirent.name}`);
    if (look) looks.push(look);
  }
  return children;
}

/** Starts the look at one name of a folder (a subfolder's walk, a file's stat, a link's target), or notes why it is left out. */
function lookAt(walk: Walk, root: string, dirent: Dirent, path: string, rel: string): Promise<void> | undefined {
  const { result, files } = walk;
  if (spoolPartial.test(dirent.name)) return undefined;
  if (dirent.isDirectory()) {
    const below = walkFolder(walk, root, path, `${rel}/`);
    // Its failure (too many files) is read by settleAll once its parent's names are all read;
    // until then a handler must be on it, or Node takes it for an unhandled rejection.
    below.catch(() => undefined);
    return below;
  }
  // Files (and whatever else is not a folder) count; folders do not.
  walk.seen += 1;
  if (walk.seen > walk.maxEntries) {
    throw new AppFailure(
      'invalid-input',
      `That is more than ${walk.maxEntries.toLocaleString('en')} files. Upload fewer at once.`,
    );
  }
  if (dirent.isFile()) {
    return files(() => lstat(path)).then(
      (info) => {
        result.entries.push({ path, relative: rel, size: info.size, mtimeMs: info.mtimeMs, folderMarker: false });
      },
      (error: unknown) => {
        result.skipped.push({ path, relative: rel, reason: errorReason(error) });
      },
    );
  }
  if (dirent.isSymbolicLink()) return files(() => followLink(root, path, rel, result));
  result.skipped.push({ path, relative: rel, reason: 'It is not a regular file (a socket, pipe or device).' });
  return undefined;
}

/** Waits for every promise, then throws the first failure (a subfolder over the limit), if any. */
async function settleAll(looks: readonly Promise<void>[]): Promise<void> {
  const outcomes = await Promise.allSettled(looks);
  const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failed) throw failed.reason;
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
