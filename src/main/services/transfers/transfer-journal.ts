import { appendFileSync, constants, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { copyFile, open, readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../storage/atomic-file';
import { journalSchema, type JournalData, type TransferBatch, type TransferRecord } from './transfer-record';

/**
 * What changed since the last write: the records and batches to write again, and those gone.
 * The queue keeps these marks; a write takes (and clears) them.
 */
export interface JournalChanges {
  transfers: TransferRecord[];
  batches: TransferBatch[];
  removedTransfers: string[];
  removedBatches: string[];
}

/**
 * The journal file's first line. After it, one JSON object per line: the first the whole state
 * (written atomically, as a compaction), each later one the changes of one write, appended.
 */
const HEADER = '{"journal":"s3-file-manager transfers","version":2}';

/** One line after the header: records and batches written again (or first), and the ids gone. */
interface JournalLine {
  t?: TransferRecord[];
  b?: TransferBatch[];
  rt?: string[];
  rb?: string[];
}

/** Characters (about as many bytes) appended lines may add up to before the next write is whole, or the last whole file's if more. */
const COMPACT_AFTER_CHARS = 1024 * 1024;

/**
 * Reads a journal file's text: the one JSON object of the first format (version 1), or the
 * header, the whole state and the appended changes (version 2), applied in order. A last line
 * cut short (a crash during an append, so it never finished) is left out. Throws when the text
 * is neither.
 */
export function parseJournalText(text: string): JournalData {
  if (!text.startsWith(`${HEADER}\n`)) return journalSchema.parse(JSON.parse(text));
  const transfers = new Map<string, unknown>();
  const batches = new Map<string, unknown>();
  const lines = text.slice(HEADER.length + 1).split('\n');
  for (const [index, line] of lines.entries()) {
    if (line === '') continue;
    let parsed: JournalLine;
    try {
      parsed = JSON.parse(line) as JournalLine;
    } catch (error) {
      // Only the last line can be cut short by a crash (every append ends with a newline).
      if (index === lines.length - 1) break;
      throw error;
    }
    for (const record of parsed.t ?? []) transfers.set(record.id, record);
    for (const batch of parsed.b ?? []) batches.set(batch.id, batch);
    for (const id of parsed.rt ?? []) transfers.delete(id);
    for (const id of parsed.rb ?? []) batches.delete(id);
  }
  return journalSchema.parse({ version: 1, transfers: [...transfers.values()], batches: [...batches.values()] });
}

/** Reads a journal file (tests and tools look at what the app wrote). */
export async function readJournalFile(file: string): Promise<JournalData> {
  return parseJournalText(await readFile(file, 'utf8'));
}

/** Appends a line and flushes it to disk; ENOENT when the file is gone (it is then written whole). */
async function appendDurably(file: string, line: string): Promise<void> {
  const handle = await open(file, constants.O_WRONLY | constants.O_APPEND);
  try {
    // writeFile, not write: it goes on until every byte is written (a single write may write fewer).
    await handle.writeFile(line);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

/** An upload's key, settled ("keep both" numbering done) just before its first byte goes out. */
export interface SettledKey {
  id: string;
  key: string;
  name: string;
}

/** The queue's memory on disk: one write at a time, coalesced; each whole (atomically) or appended changes. */
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
 * A journal in one file. `current` (the whole state) and `changes` (what changed since the last
 * write) are read at write time, so a write always holds the latest state; writes are
 * serialized (two never race on the file) and spaced by `minIntervalMs`.
 *
 * Why appended changes: a queue of thousands of files written whole at every write spent a
 * second of a 5,000-file upload's main thread on its JSON (docs/benchmarks.md), and a queue of
 * 100,000 wrote ~90 MB a time. A write now appends the records that changed (and flushes them
 * to disk); the file is written whole, atomically, when the appended lines outgrow the last
 * whole file (at least 1 MiB), after a failed write, and at the first write after a load.
 * Without `changes` every write is whole.
 */
export function createTransferJournal(options: {
  file: string;
  current: () => JournalData;
  changes?: () => JournalChanges;
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

  /** The next write is whole: none yet in this process (the file may be of the first format), or one failed. */
  let wholeNext = true;
  let wholeChars = 0;
  let appendedChars = 0;

  const writeWhole = async (data: JournalData): Promise<void> => {
    const text = `${HEADER}\n${JSON.stringify({ t: data.transfers, b: data.batches } satisfies JournalLine)}\n`;
    await writeFileAtomic(options.file, text);
    wholeChars = text.length;
    appendedChars = 0;
  };

  const writeChanges = async (changes: JournalChanges): Promise<void> => {
    const line: JournalLine = {};
    if (changes.transfers.length > 0) line.t = changes.transfers;
    if (changes.batches.length > 0) line.b = changes.batches;
    if (changes.removedTransfers.length > 0) line.rt = changes.removedTransfers;
    if (changes.removedBatches.length > 0) line.rb = changes.removedBatches;
    if (Object.keys(line).length === 0) return;
    const text = `${JSON.stringify(line)}\n`;
    try {
      await appendDurably(options.file, text);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await writeWhole(options.current());
      return;
    }
    appendedChars += text.length;
  };

  const write = async (): Promise<void> => {
    const started = Date.now();
    const covered = keysAppended;
    try {
      // Taken first in any case: a whole write holds these changes too.
      const changes = options.changes?.();
      if (changes === undefined || wholeNext || appendedChars > Math.max(COMPACT_AFTER_CHARS, wholeChars)) {
        await writeWhole(options.current());
      } else {
        await writeChanges(changes);
      }
      wholeNext = false;
    } catch (error) {
      // The changes taken are in no file: the next write holds everything.
      wholeNext = true;
      throw error;
    }
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
      return parseJournalText(text);
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
