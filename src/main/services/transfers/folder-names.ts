import { readdir } from 'node:fs/promises';
import { basename, dirname } from 'node:path';

/**
 * The names in local folders downloads write into, read with one readdir a folder instead of one
 * lstat a file: for a folder of many small downloads, each lstat was a trip to the thread pool
 * that cost more of the event loop than the request for the file. Only ever an optimistic "no
 * file there" answer: a name that appeared since the folder was read is still found where it
 * matters, since a download is put in place by link (never over a file) or by a rename the
 * person chose (replace), see download-runner.ts.
 */
export interface FolderNames {
  /**
   * Whether nothing was at `path` when its folder was last read (within the last few seconds),
   * or put there by this process since: true, nothing is there; false, look (something may be).
   */
  absent(path: string): Promise<boolean>;
  /** A file this process put at `path`: its folder's names say so from now on. */
  added(path: string): void;
}

/** How long a folder's names are trusted after it was read. */
const FOLDER_NAMES_MAX_AGE_MS = 5_000;

/** How many folders' names are kept at most (the oldest read is forgotten first). */
const MAX_FOLDERS = 256;

interface FolderEntry {
  readAt: number;
  /** The names in the folder (none when it does not exist); null when it could not be read. */
  names: Promise<Set<string> | null>;
}

/** Folder names read on demand, kept a few seconds. */
export function createFolderNames(options: { maxAgeMs?: number; now?: () => number } = {}): FolderNames {
  const maxAge = options.maxAgeMs ?? FOLDER_NAMES_MAX_AGE_MS;
  const now = options.now ?? Date.now;
  const folders = new Map<string, FolderEntry>();

  function entryOf(folder: string): FolderEntry {
    const existing = folders.get(folder);
    if (existing && now() - existing.readAt <= maxAge) return existing;
    folders.delete(folder);
    if (folders.size >= MAX_FOLDERS) {
      const oldest = folders.keys().next().value;
      if (oldest !== undefined) folders.delete(oldest);
    }
    const entry: FolderEntry = {
      readAt: now(),
      names: readdir(folder).then(
        (names) => new Set(names),
        (error: NodeJS.ErrnoException) =>
          // A folder not made yet holds nothing; one that cannot be read says nothing (look instead).
          error.code === 'ENOENT' ? new Set<string>() : null,
      ),
    };
    folders.set(folder, entry);
    return entry;
  }

  return {
    async absent(path) {
      const names = await entryOf(dirname(path)).names;
      return names !== null && !names.has(basename(path));
    },
    added(path) {
      const entry = folders.get(dirname(path));
      // Added to the names as they will be once read: a read still under way is added to when it ends.
      void entry?.names.then((names) => names?.add(basename(path)));
    },
  };
}
