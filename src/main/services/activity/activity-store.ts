import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { activityEntrySchema, type ActivityEntry } from '../../../shared/activity';
import type { Logger } from '../logging/logger';
import { writeFileAtomic } from '../storage/atomic-file';

/** The log's default size bound on disk: about 10,000 entries. */
export const DEFAULT_ACTIVITY_MAX_BYTES = 4 * 1024 * 1024;

/** What a compaction keeps, as a share of the bound, so that it is not needed again at once. */
const KEEP_SHARE = 0.75;

/** The activity log on disk: JSON Lines, appended, trimmed to a size bound. */
export interface ActivityStore {
  /** Adds an entry, or replaces the one with the same id (a long operation's end); written in order. */
  put(entry: ActivityEntry): Promise<void>;
  /** Every entry, oldest first (after the file is read once). */
  all(): Promise<ActivityEntry[]>;
  /** Forgets every entry; returns how many there were. */
  clear(): Promise<number>;
  /** Waits until every write asked for so far is on disk (or has failed and been logged). */
  flush(): Promise<void>;
  /** Lines of the file that could not be read when it was loaded (a torn last line after a crash). */
  skippedLines(): number;
}

/**
 * An append-only, size-bounded store for the activity log. Each change is one JSON line
 * appended to the file, so a crash loses at most the line being written, and a torn line is
 * skipped on the next load (and a newline written before the next entry, so it cannot swallow
 * it). An entry that changes later (a long operation's end) is appended again with the same id;
 * the last line of an id wins. When the file passes `maxBytes`, it is rewritten atomically with
 * the newest entries that fit in three quarters of the bound, one line each. A failed write is
 * logged and never fails the change being recorded.
 */
export function createActivityStore(options: { file: string; maxBytes?: number; logger?: Logger }): ActivityStore {
  const { file, logger } = options;
  const maxBytes = options.maxBytes ?? DEFAULT_ACTIVITY_MAX_BYTES;
  /** Entries by id, in the order they first appeared: oldest first. */
  const entries = new Map<string, ActivityEntry>();
  let fileBytes = 0;
  let needsNewline = false;
  let skipped = 0;
  let writes: Promise<void> = Promise.resolve();

  const loaded = (async () => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        logger?.warn('activity log unreadable; starting a new one', { error });
      }
      return;
    }
    fileBytes = Buffer.byteLength(text);
    needsNewline = text.length > 0 && !text.endsWith('\n');
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        const entry = activityEntrySchema.parse(JSON.parse(line));
        entries.set(entry.id, entry);
      } catch {
        skipped += 1;
      }
    }
    if (skipped > 0) logger?.warn('activity log: lines skipped', { skipped });
    if (fileBytes > maxBytes) await compact();
  })();

  /** Rewrites the file with the newest entries that fit in KEEP_SHARE of the bound. */
  async function compact(): Promise<void> {
    const kept: string[] = [];
    let bytes = 0;
    const newestFirst = [...entries.values()].reverse();
    for (const entry of newestFirst) {
      const line = `${JSON.stringify(entry)}\n`;
      const size = Buffer.byteLength(line);
      if (bytes + size > maxBytes * KEEP_SHARE) break;
      kept.push(line);
      bytes += size;
    }
    for (const entry of newestFirst.slice(kept.length)) entries.delete(entry.id);
    await writeFileAtomic(file, kept.reverse().join(''));
    fileBytes = bytes;
    needsNewline = false;
  }

  /** Runs one write after the ones before it; a failure is logged, not thrown. */
  function enqueue(write: () => Promise<void>): Promise<void> {
    writes = writes.then(write).catch((error: unknown) => {
      logger?.warn('activity log write failed', { error });
    });
    return writes;
  }

  return {
    async put(entry) {
      await loaded;
      entries.set(entry.id, entry);
      const line = `${JSON.stringify(entry)}\n`;
      return enqueue(async () => {
        await mkdir(dirname(file), { recursive: true });
        const text = needsNewline ? `\n${line}` : line;
        await appendFile(file, text, { encoding: 'utf8', mode: 0o600 });
        needsNewline = false;
        fileBytes += Buffer.byteLength(text);
        if (fileBytes > maxBytes) await compact();
      });
    },
    async all() {
      await loaded;
      return [...entries.values()];
    },
    async clear() {
      await loaded;
      const count = entries.size;
      entries.clear();
      await enqueue(async () => {
        await writeFileAtomic(file, '');
        fileBytes = 0;
        needsNewline = false;
      });
      return count;
    },
    async flush() {
      await loaded;
      await writes;
    },
    skippedLines: () => skipped,
  };
}
