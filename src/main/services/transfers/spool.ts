import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { lstat, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppFailure } from '../app-failure';
import type { SpoolWriter } from '../handlers';
import { ensurePrivateFolder } from '../storage/private-folder';
import { pathInside } from './safe-path';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A spool not queued for this long after its last write is dropped: the browser gave up on it. */
export const SPOOL_STALE_MS = 30 * 60_000;

/**
 * The home of spools (web mode's copies of dropped files): the app's data folder, which is the
 * person's own. The shared temporary folder was not: another local user could create the folder
 * first (or a link in its place) and read or swap what the browser sent.
 */
export function defaultSpoolRoot(dataDir: string): string {
  return join(dataDir, 'spool');
}

/**
 * Why a relative path sent by the browser cannot be written into a spool, or undefined when it
 * can: it must be relative, with '/' separators, and no '..', '.', empty parts, backslashes or NUL.
 */
export function spoolPathProblem(relativePath: string): string | undefined {
  if (relativePath === '') return 'The file has no name.';
  if (relativePath.length > 4096) return 'The path is too long.';
  if (relativePath.includes('\0')) return 'The path contains a NUL character.';
  if (relativePath.includes('\\')) return 'The path contains a backslash; use / between folders.';
  if (relativePath.startsWith('/') || /^[A-Za-z]:/.test(relativePath)) return 'The path must be relative.';
  const segments = relativePath.split('/');
  if (segments.some((segment) => segment === '..')) return "The path must not contain '..'.";
  if (segments.some((segment) => segment === '' || segment === '.')) return 'The path has an empty or "." part.';
  return undefined;
}

/** What the queue says of a spool when sweeping: its files are still needed, or its batch is done. */
export type SpoolUse = 'needed' | 'done';

/** Web mode's spools: one temporary folder per drop, filled over HTTP, uploaded like local files. */
export interface Spools extends SpoolWriter {
  /** Opens a new spool folder and returns its id. */
  open(): Promise<string>;
  /** The folder of a spool (open, or known from the journal after a restart). */
  folderOf(spoolId: string): string;
  /** Refuses further writes: its files are queued now. */
  seal(spoolId: string): void;
  /** Whether the spool was opened by these services and not deleted. */
  isOpen(spoolId: string): boolean;
  /** Deletes a spool's folder: the app's own temporary copies, never a person's files. */
  remove(spoolId: string): Promise<void>;
  /**
   * Deletes spools whose batch is done, and spools no batch uses that were not written to for
   * `staleAfterMs` (never queued: the page was closed, or the drop failed). Returns their ids.
   */
  sweep(uses: ReadonlyMap<string, SpoolUse>): Promise<string[]>;
}

/** Spools under `root` (the data folder's spool/ unless a test chooses); a private folder, checked before use. */
export function createSpools(root: string, options: { staleAfterMs?: number; now?: () => number } = {}): Spools {
  const staleAfterMs = options.staleAfterMs ?? SPOOL_STALE_MS;
  const now = options.now ?? Date.now;
  const open = new Map<string, { sealed: boolean; touchedAt: number }>();

  const folderOf = (spoolId: string): string => {
    if (!uuidPattern.test(spoolId)) throw new AppFailure('invalid-input', 'That is not a spool id.');
    return join(root, spoolId.toLowerCase());
  };

  return {
    async open() {
      await ensurePrivateFolder(root);
      const spoolId = randomUUID();
      await mkdir(folderOf(spoolId), { mode: 0o700 });
      open.set(spoolId, { sealed: false, touchedAt: now() });
      return spoolId;
    },
    folderOf,
    seal(spoolId) {
      const spool = open.get(spoolId.toLowerCase());
      if (spool) {
        spool.sealed = true;
        spool.touchedAt = now();
      }
    },
    isOpen: (spoolId) => open.has(spoolId.toLowerCase()),
    async write(spoolId, relativePath, body) {
      const spool = uuidPattern.test(spoolId) ? open.get(spoolId.toLowerCase()) : undefined;
      if (!spool) throw new AppFailure('invalid-input', 'That upload is not open (any more). Drop the files again.');
      if (spool.sealed)
        throw new AppFailure('conflict', 'Those files are queued already; drop them again to add more.');
      const problem = spoolPathProblem(relativePath);
      if (problem) throw new AppFailure('invalid-input', problem);
      const folder = folderOf(spoolId);
      const target = pathInside(folder, relativePath.split('/'));
      if (!target) throw new AppFailure('invalid-input', 'The path must stay inside the upload.');
      spool.touchedAt = now();
      await mkdir(dirname(target), { recursive: true, mode: 0o700 });
      // Written under a temporary name and renamed when whole: a broken-off write leaves nothing to upload.
      const partial = join(dirname(target), `.${randomUUID()}.s3fm-spool-part`);
      try {
        await pipeline(Readable.from(body), createWriteStream(partial, { mode: 0o600 }));
        await rename(partial, target);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      } finally {
        spool.touchedAt = now();
      }
    },
    async remove(spoolId) {
      open.delete(spoolId.toLowerCase());
      await rm(folderOf(spoolId), { recursive: true, force: true });
    },
    async sweep(uses) {
      // Never through a link or into someone else's folder: refused here, nothing is deleted.
      await ensurePrivateFolder(root);
      const removed: string[] = [];
      for (const entry of await readdir(root, { withFileTypes: true })) {
        if (!entry.isDirectory() || !uuidPattern.test(entry.name)) continue;
        const spoolId = entry.name.toLowerCase();
        const use = uses.get(spoolId);
        if (use === 'needed') continue;
        if (use === undefined) {
          const touchedAt =
            open.get(spoolId)?.touchedAt ?? (await lstat(join(root, entry.name)).catch(() => undefined))?.mtimeMs;
          if (touchedAt === undefined || now() - touchedAt < staleAfterMs) continue;
        }
        open.delete(spoolId);
        await rm(join(root, entry.name), { recursive: true, force: true });
        removed.push(spoolId);
      }
      return removed;
    },
  };
}
