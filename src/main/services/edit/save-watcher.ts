import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/** What a save left on disk: the bytes' hashes and size, read in one pass. */
export interface SavedContent {
  bytes: Buffer;
  sha256: string;
  md5: string;
}

/** Reads a file and hashes it (SHA-256 to tell saves apart, MD5 for Content-MD5). */
export async function readSaved(path: string): Promise<SavedContent> {
  const bytes = await readFile(path);
  return {
    bytes,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    md5: createHash('md5').update(bytes).digest('base64'),
  };
}

/** How long after the last change a save counts as finished, and how often the file is looked at anyway. */
export interface SaveWatchTiming {
  /** Editors write in bursts (truncate, then write; a temporary file, then rename): wait this long after the last event. */
  debounceMs?: number;
  /** fs.watch misses changes on some file systems (network drives) and after a rename-over on some systems: look this often too. */
  pollMs?: number;
}

/** A running watch; close() stops it (idempotent). */
export interface SaveWatch {
  close(): void;
}

/**
 * Calls `onSave` with the file's new content each time it is saved with different bytes. The
 * folder is watched rather than the file, since editors that save by writing a temporary file and
 * renaming it over the original replace the inode a file watch follows; every change is re-read
 * after a quiet spell and compared by SHA-256 with the last content, so a save that changes
 * nothing (or a touch, or an editor's swap file beside it) sends nothing. A missing file (between
 * an editor's delete and its rename) is waited out. Calls do not overlap: a change during a
 * callback is looked at after it returns.
 */
export function watchForSaves(
  path: string,
  initialSha256: string,
  onSave: (content: SavedContent) => Promise<void>,
  timing: SaveWatchTiming = {},
): SaveWatch {
  const debounceMs = timing.debounceMs ?? 300;
  const pollMs = timing.pollMs ?? 2_000;
  let lastSha256 = initialSha256;
  let lastStat = '';
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let again = false;

  const check = async (): Promise<void> => {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      const info = await stat(path).catch(() => undefined);
      if (!info?.isFile()) return;
      lastStat = `${info.size}:${info.mtimeMs}:${info.ino}`;
      const content = await readSaved(path).catch(() => undefined);
      if (!content || content.sha256 === lastSha256 || closed) return;
      lastSha256 = content.sha256;
      await onSave(content);
    } finally {
      running = false;
      if (again && !closed) {
        again = false;
        schedule();
      }
    }
  };
  const schedule = (): void => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => void check(), debounceMs);
  };

  let watcher: FSWatcher | undefined;
  try {
    // Any event in the folder: it holds only this file and what editors write beside it (a
    // temporary file about to be renamed over ours), and some systems give no name at all.
    watcher = watch(dirname(path), { persistent: false }, () => schedule());
    watcher.on('error', () => undefined);
  } catch {
    watcher = undefined;
  }
  const poller = setInterval(() => {
    void stat(path)
      .then((info) => {
        if (`${info.size}:${info.mtimeMs}:${info.ino}` !== lastStat) schedule();
      })
      .catch(() => undefined);
  }, pollMs);
  poller.unref();

  return {
    close() {
      closed = true;
      clearTimeout(timer);
      clearInterval(poller);
      watcher?.close();
    },
  };
}
