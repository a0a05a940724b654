import { copyFile, readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../storage/atomic-file';
import { journalSchema, type JournalData } from './transfer-record';

/** The queue's memory on disk: written atomically, one write at a time, coalesced. */
export interface TransferJournal {
  /** Reads the journal; an empty one when there is none, and an unreadable one is copied aside. */
  load(): Promise<JournalData>;
  /** Asks for a write of the current state soon (coalesced: at most one write in flight, one waiting). */
  schedule(): void;
  /** Writes the current state now (after any write in flight) and resolves when it is on disk. */
  flush(): Promise<void>;
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

  const write = async (): Promise<void> => {
    const started = Date.now();
    const data = options.current();
    await writeFileAtomic(options.file, JSON.stringify(data));
    lastWrite = Date.now();
    lastDuration = lastWrite - started;
  };

  const enqueue = (delay: boolean): Promise<void> => {
    if (waiting) return waiting;
    const next = writing.then(async () => {
      if (delay) {
        // A big queue (thousands of files) takes longer to write: space writes out so they stay under ~20% of the time.
        const wait = lastWrite + Math.max(minInterval, 4 * lastDuration) - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait).unref());
      }
      waiting = undefined;
      await write();
    });
    waiting = next;
    writing = next.catch((error: unknown) => options.onError?.(error));
    return next;
  };

  return {
    async load() {
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
    },
    schedule() {
      void enqueue(true).catch(() => undefined);
    },
    async flush() {
      await writing;
      // A write that was waiting may have taken a state from before the last change: write again.
      await enqueue(false);
    },
  };
}
