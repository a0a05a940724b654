import { appendFileSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { copyFile, readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../storage/atomic-file';
import { journalSchema, type JournalData } from './transfer-record';

/** An upload's key, settled ("keep both" numbering done) just before its first byte goes out. */
export interface SettledKey {
  id: string;
  key: string;
  name: string;
}

/** The queue's memory on disk: written atomically, one write at a time, coalesced. */
export interface TransferJournal {
  /** Reads the journal; an empty one when there is none, and an unreadable one is copied aside. */
  load(): Promise<JournalData>;
  /** Asks for a write of the current state soon (coalesced: at most one write in flight, one waiting). */
  schedule(): void;
  /** Writes the current state now (after any write in flight) and resolves when it is on disk. */
  flush(): Promise<void>;
  /** Resolves once the next regular (coalesced, spaced) write, which holds the state as it is now, is on disk. */
  written(): Promise<void>;
  /**
   * Notes an upload's settled key at once, in a small side file (`<journal>.keys`, one JSON line
   * each, appended synchronously), before the request that writes the object: the journal's own
   * writes are spaced, and an app killed after the object was written but before the next one
   * would otherwise take the key for someone else's and upload again as "name (1)". Read back by
   * load(); dropped once a journal write holds it. Not fsync'd: it outlives the app, which is
   * what it is for; a power cut may lose it, and then the cost is a numbered copy.
   */
  settleKey(settled: SettledKey): void;
}

/**
 * A journal in one JSON file. `current` is read at write time, so a write always holds the
 * latest state; writes are serialized (two never race on the file) and spaced by `minIntervalMs`.
 */
export function createTransferJournal(options: {
  file: string;
  current: () => JournalData;
  minIntervalMs?: number;
  onError?: (error: unknown) => void;
}): TransferJournal {
  const minInterval = options.minIntervalMs ?? 200;
  let writing: Promise<void> = Promise.resolve();
  let waiting: Promise<void> | undefined;
  let lastWrite = 0;
  let lastDuration = 0;
  /** Set by flush: the write waiting out its spacing goes at once (its timer does not keep Node alive). */
  let hurried = false;
  let cutShort: (() => void) | undefined;
  const keysFile = `${options.file}.keys`;
  /** Bytes appended to the keys file by this process, and how many of them are already gone from it. */
  let keysAppended = 0;
  let keysDropped = 0;

  const write = async (): Promise<void> => {
    const started = Date.now();
    const covered = keysAppended;
    const data = options.current();
    await writeFileAtomic(options.file, JSON.stringify(data));
    lastWrite = Date.now();
    lastDuration = lastWrite - started;
    dropKeysUpTo(covered);
  };

  /**
   * Removes the settled keys the journal now holds (those noted before its state was read),
   * keeping any noted since. Synchronous, so no key is noted between the look and the change.
   */
  const dropKeysUpTo = (covered: number): void => {
    if (covered === keysDropped && covered === keysAppended) return;
    try {
      if (covered === keysAppended) {
        unlinkSync(keysFile);
      } else {
        const rest = readFileSync(keysFile).subarray(covered - keysDropped);
        writeFileSync(`${keysFile}.tmp`, rest, { mode: 0o600 });
        renameSync(`${keysFile}.tmp`, keysFile);
      }
      keysDropped = covered;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') keysDropped = covered;
      else options.onError?.(error);
    }
  };

  const enqueue = (delay: boolean): Promise<void> => {
    if (waiting) return waiting;
    const next = writing.then(async () => {
      if (delay && !hurried) {
        // A big queue (thousands of files) takes longer to write: space writes out so they stay under ~20% of the time.
        const wait = lastWrite + Math.max(minInterval, 4 * lastDuration) - Date.now();
        if (wait > 0) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, wait);
            timer.unref();
            cutShort = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          cutShort = undefined;
        }
      }
      waiting = undefined;
      await write();
    });
    waiting = next;
    writing = next.catch((error: unknown) => options.onError?.(error));
    return next;
  };

  /** The journal as written, without the settled keys noted since. */
  const readJournal = async (): Promise<JournalData> => {
    let text: string;
    try {
      text = await readFile(options.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, transfers: [], batches: [] };
      throw error;
    }
    try {
      return journalSchema.parse(JSON.parse(text));
    } catch {
      // Keep what cannot be read for a person to look at; start with an empty queue.
      await copyFile(options.file, `${options.file}.corrupt-${Date.now()}`).catch(() => undefined);
      return { version: 1, transfers: [], batches: [] };
    }
  };

  return {
    async load() {
      const data = await readJournal();
      let keys = Buffer.alloc(0);
      try {
        keys = await readFile(keysFile);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      // What the file holds counts as noted: the first write after this load holds it all.
      keysAppended = keys.length;
      keysDropped = 0;
      const lines = keys.toString('utf8').split('\n');
      const byId = new Map(data.transfers.map((record) => [record.id, record]));
      for (const line of lines) {
        let settled: Partial<SettledKey>;
        try {
          settled = JSON.parse(line) as Partial<SettledKey>;
        } catch {
          continue; // a line cut short by the crash: its request never went out
        }
        const record = byId.get(String(settled.id));
        if (record?.spec.kind !== 'upload' || record.spec.keyResolved) continue;
        if (typeof settled.key !== 'string' || typeof settled.name !== 'string') continue;
        record.key = settled.key;
        record.name = settled.name;
        record.spec.keyResolved = true;
      }
      return data;
    },
    settleKey(settled) {
      const line = `${JSON.stringify(settled)}\n`;
      appendFileSync(keysFile, line, { mode: 0o600 });
      keysAppended += Buffer.byteLength(line);
    },
    schedule() {
      void enqueue(true).catch(() => undefined);
    },
    written() {
      return enqueue(true);
    },
    async flush() {
      // A write waiting out its spacing goes now: its timer is unref'd, so on quit Node could
      // otherwise exit before it fires, and the last state (and what waits for it) would be lost.
      hurried = true;
      cutShort?.();
      try {
        await writing;
        // A write that was waiting may have taken a state from before the last change: write again.
        await enqueue(false);
      } finally {
        hurried = false;
      }
    },
  };
}
