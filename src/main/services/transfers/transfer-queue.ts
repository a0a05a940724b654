import type {
  TransferBatchOutcome,
  TransferSettings,
  TransferSnapshot,
  TransferState,
} from '../../../shared/transfers';
import { countOf } from '../../../shared/names';
import { AppFailure } from '../app-failure';
import type { EventBus } from '../event-bus';
import type { Logger } from '../logging/logger';
import { SMALL_REQUESTS_AT_MOST } from '../s3/round-trips';
import { MiB } from './part-size';
import { createRateMeter, type RateMeter } from './rate-meter';
import type { BackoffOptions } from './retry-policy';
import type { RunControl } from './run-control';
import { describeTransferError } from './transfer-errors';
import { createTransferJournal, type JournalChanges } from './transfer-journal';
import { isFinal, snapshotOf, type TransferBatch, type TransferRecord } from './transfer-record';

/** What runs transfers for the queue: the upload and download code, and their clean-ups. */
export interface TransferExecutor {
  /** Runs a transfer to its end (or until its signal aborts); resumes from what its record says is done. */
  run(record: TransferRecord, control: RunControl): Promise<'finished' | 'skipped'>;
  /** Removes what a cancelled transfer left (the multipart upload, a partial file); a note when it could not. */
  discard(record: TransferRecord): Promise<string | null>;
  /**
   * A transfer reached a final state (release what it held). `journaled` resolves once the
   * journal holds that state: what may go only after that (a download's temporary file linked
   * at its final path) waits for it, and the batch is announced once the returned promise settles.
   * Resolves true when it changed the record (the journal writes it again).
   */
  settled(record: TransferRecord, journaled: Promise<void>): Promise<boolean>;
  /** Every transfer of a batch is final (delete a spool). */
  batchSettled(batch: TransferBatch, records: readonly TransferRecord[]): Promise<void>;
}

/** What the queue is built from. */
export interface TransferQueueOptions {
  bus: EventBus;
  logger: Logger;
  /** dataDir/transfers/journal.json. */
  journalFile: string;
  settings: () => TransferSettings;
  executor: TransferExecutor;
  timing: { stallMs: number; backoff: BackoffOptions };
  /** How often changed snapshots are sent (100 ms: at most ten events a second). */
  tickMs?: number;
  /** A batch that took longer than this gets a desktop notification when it ends. */
  notifyAfterMs?: number;
  notify?: (title: string, body: string) => void;
  now?: () => number;
  /** Resolved before the queue starts anything (the settings are read). */
  before?: Promise<unknown>;
  /** Least time between two journal writes (default 200 ms); a test makes it long to see a write that skips it. */
  journalSpacingMs?: number;
  /** The round trip to a transfer's service now (ms; see round-trips.ts), or undefined when unknown: more small files run at once on a long one. */
  roundTripMs?: (record: TransferRecord) => number | undefined;
}

interface Task {
  controller: AbortController;
  stop: 'pause' | 'cancel' | 'dispose' | undefined;
  done: Promise<void>;
}

/** How many queued transfers one pump looks through for one that fits (a queue of 100,000 is not scanned per start). */
const PUMP_LOOKAHEAD = 2000;

/**
 * The most transfers started in one turn of the event loop. A small file gets ready (read,
 * hashed, signed) without waiting for anything, and its request leaves in a later turn (once its
 * connection is made): started 64 at once, the first request left only after all 64 were ready,
 * 39–46 ms into a batch of small files. 500 small files up through 80 ms took 1.14–1.22× s5cmd's
 * time so, 0.97–1.06× at 8 a turn, 1.02–1.09× at 4 and 1.08–1.14× at 16 (docs/benchmarks.md,
 * "Small files through the SDK, each service's own round trip").
 */
const STARTS_PER_TURN = 8;

/**
 * How much runs at once: small files (one request each) run up to SMALL_FILES_PER_FILE × the
 * files-in-parallel setting (at least SMALL_FILES_AT_LEAST), holding at most SMALL_FILE_BYTES
 * in memory together; large files at most files in parallel. A small file's time is mostly the
 * round trip, so more in flight hides it (s5cmd runs 256 at once). Against a local MinIO the
 * number hardly matters (16, 32 and 64 did not differ beyond the run-to-run noise); through a
 * link that adds 20 ms to each round trip (`node-floor.ts --rtt-ms 20`), 500 small files took
 * 1.13–1.45× s5cmd's time at 16, 1.14× at 32, 1.00–1.08× at 64 and 1.12–1.31× at 128; through
 * one that adds 80 ms, 1.18–1.43× at 64 and 0.99–1.20× at 256 (docs/benchmarks.md, "Small
 * files over a link with a round trip" and "Small files far away"). So 64, and more on a longer
 * round trip (`roundTripMs`, the floor of recent requests' times to the transfer's service, see
 * round-trips.ts): SMALL_FILES_PER_RTT_MS a millisecond of it, at most SMALL_REQUESTS_AT_MOST.
 */
export function parallelLimits(
  settings: TransferSettings,
  roundTripMs?: number,
): { files: number; smallBytes: number } {
  const forLink = Math.min(SMALL_REQUESTS_AT_MOST, Math.round((roundTripMs ?? 0) * SMALL_FILES_PER_RTT_MS));
  return {
    files: Math.max(SMALL_FILES_AT_LEAST, settings.filesInParallel * SMALL_FILES_PER_FILE, forLink),
    smallBytes: SMALL_FILE_BYTES,
  };
}
const SMALL_FILES_AT_LEAST = 64;
const SMALL_FILES_PER_FILE = 4;
/** Small files at once a millisecond of round trip: 64 up to about 25 ms, 200 at 80 ms. */
const SMALL_FILES_PER_RTT_MS = 2.5;
const SMALL_FILE_BYTES = 64 * MiB;

interface Entry {
  record: TransferRecord;
  meter: RateMeter;
  task: Task | undefined;
  /** The slot a running transfer holds (see parallelLimits): a small file's bytes, or a large file's place. */
  slot: { small: boolean; bytes: number } | undefined;
  /** Requests of this transfer waiting out a backoff. */
  waiting: number;
  /** The snapshot last sent, to send only changes. */
  lastSent: string | undefined;
  /** What the executor still does after the transfer's final state (its batch is announced after it). */
  settling: Promise<void>;
}

/** The transfer queue: one for uploads, downloads and copies between accounts, with a global limit of files in parallel. */
export type TransferQueue = ReturnType<typeof createTransferQueue>;

/**
 * The queue: keeps every transfer's record (journaled to disk, so it survives restarts),
 * starts queued transfers up to the files-in-parallel limit, pauses, resumes, cancels and
 * retries them, sends changed snapshots at most every `tickMs`, and announces batches that end.
 * Transfers that were running when the app stopped come back queued and resume by themselves;
 * paused ones stay paused.
 */
export function createTransferQueue(options: TransferQueueOptions) {
  const now = options.now ?? Date.now;
  const tickMs = options.tickMs ?? 100;
  const notifyAfterMs = options.notifyAfterMs ?? 10_000;
  const entries = new Map<string, Entry>();
  const batches = new Map<string, TransferBatch>();
  const batchMembers = new Map<string, Set<string>>();
  /** Queued transfers in the order they run. */
  const queued = new Set<string>();
  const dirty = new Set<string>();
  const removed: string[] = [];
  /** Entries with a task (running, or stopping): their runners change their records; its size is what runs. */
  const active = new Set<Entry>();
  /** What the journal's next write holds (see JournalChanges); transfers with a task are added then. */
  const journalMarks = {
    transfers: new Set<string>(),
    batches: new Set<string>(),
    removedTransfers: new Set<string>(),
    removedBatches: new Set<string>(),
  };
  /** A record changed: the panel's next snapshot and the journal's next write hold it. */
  const touch = (id: string) => {
    dirty.add(id);
    journalMarks.transfers.add(id);
  };
  /** Members of each batch not in a final state: the batch ends when it reaches 0 (counted, not searched, per transfer). */
  const openMembers = new Map<string, number>();
  const countOpen = (batchId: string, by: number) => openMembers.set(batchId, (openMembers.get(batchId) ?? 0) + by);
  let runningLarge = 0;
  let smallBytesRunning = 0;
  let disposed = false;

  const journal = createTransferJournal({
    file: options.journalFile,
    current: () => ({
      version: 1,
      transfers: [...entries.values()].map((entry) => entry.record),
      batches: [...batches.values()],
    }),
    changes: takeJournalChanges,
    onError: (error) => options.logger.error('transfer journal not written', { error: String(error) }),
    ...(options.journalSpacingMs !== undefined ? { minIntervalMs: options.journalSpacingMs } : {}),
  });

  /** Takes the journal's marks: the records and batches changed since its last write, and those gone. */
  function takeJournalChanges(): JournalChanges {
    for (const entry of active) journalMarks.transfers.add(entry.record.id);
    const changes: JournalChanges = {
      transfers: [...journalMarks.transfers].flatMap((id) => entries.get(id)?.record ?? []),
      batches: [...journalMarks.batches].flatMap((id) => batches.get(id) ?? []),
      removedTransfers: [...journalMarks.removedTransfers],
      removedBatches: [...journalMarks.removedBatches],
    };
    for (const marks of Object.values(journalMarks)) marks.clear();
    return changes;
  }

  const entryOf = (record: TransferRecord): Entry => ({
    record,
    meter: createRateMeter(),
    task: undefined,
    slot: undefined,
    waiting: 0,
    lastSent: undefined,
    settling: Promise.resolve(),
  });

  const ready = Promise.all([journal.load(), options.before]).then(([data]) => {
    for (const batch of data.batches) batches.set(batch.id, batch);
    for (const record of data.transfers) {
      // Interrupted transfers resume by themselves; what the person paused stays paused.
      if (record.state === 'running' || record.state === 'retrying') record.state = 'queued';
      entries.set(record.id, entryOf(record));
      members(record.batchId).add(record.id);
      if (!isFinal(record.state)) countOpen(record.batchId, 1);
      if (record.state === 'queued') queued.add(record.id);
    }
    pump();
  });

  const timer = setInterval(tick, tickMs);
  timer.unref();

  function members(batchId: string): Set<string> {
    let set = batchMembers.get(batchId);
    if (!set) {
      set = new Set();
      batchMembers.set(batchId, set);
    }
    return set;
  }

  function snapshot(entry: Entry): TransferSnapshot {
    const active = entry.record.state === 'running' || entry.record.state === 'retrying';
    const at = now();
    const shown = snapshotOf(entry.record, {
      bytesPerSecond: active ? Math.round(entry.meter.bytesPerSecond(at)) : 0,
      secondsLeft: active ? entry.meter.secondsLeft(at, entry.record.bytesTotal) : null,
    });
    // The panel shows a batch as one row, named after what was dropped below its destination.
    const destination = batches.get(entry.record.batchId)?.destination;
    return destination === undefined ? shown : { ...shown, batchDestination: destination };
  }

  /** Sends the snapshots that changed since the last tick (running ones change their rate). */
  function tick(): void {
    for (const entry of active) dirty.add(entry.record.id);
    if (dirty.size === 0 && removed.length === 0) return;
    const transfers: TransferSnapshot[] = [];
    for (const id of dirty) {
      const entry = entries.get(id);
      if (!entry) continue;
      const shown = snapshot(entry);
      const text = JSON.stringify(shown);
      if (text !== entry.lastSent) {
        entry.lastSent = text;
        transfers.push(shown);
      }
    }
    dirty.clear();
    if (transfers.length > 0 || removed.length > 0) {
      options.bus.emit('transfers.changed', { transfers, removed: removed.splice(0) });
    }
  }

  function setState(entry: Entry, state: TransferState): void {
    const { record } = entry;
    const wasFinal = isFinal(record.state);
    record.state = state;
    if (wasFinal !== isFinal(state)) countOpen(record.batchId, wasFinal ? 1 : -1);
    if (state === 'queued') queued.add(record.id);
    else queued.delete(record.id);
    record.finishedAt = isFinal(state) ? new Date(now()).toISOString() : null;
    touch(record.id);
    journal.schedule();
    if (isFinal(state)) onFinal(entry);
  }

  function onFinal(entry: Entry): void {
    // With nothing running or queued there is nothing to coalesce with: write the journal now
    // rather than after its spacing (at least 200 ms), since a download's temporary file and the
    // batch's announcement wait for it (measured: 230 ms of a 256 MiB download's 1.37 s).
    const journaled = active.size === 0 && queued.size === 0 ? journal.flush() : journal.written();
    // Handled here too: an executor that does not wait for it must not leave a rejection unhandled.
    journaled.catch(() => undefined);
    entry.settling = options.executor.settled(entry.record, journaled).then(
      (changed) => {
        // The clean-up changed the record (a temporary file's name dropped): the journal writes it again.
        if (!changed || disposed || !entries.has(entry.record.id)) return;
        journalMarks.transfers.add(entry.record.id);
        journal.schedule();
      },
      (error: unknown) => {
        options.logger.warn('transfer clean-up failed', { id: entry.record.id, error: String(error) });
      },
    );
    const batch = batches.get(entry.record.batchId);
    if (!batch || (openMembers.get(batch.id) ?? 0) > 0) return;
    const settledMembers = [...members(batch.id)].flatMap((id) => {
      const member = entries.get(id);
      return member ? [member] : [];
    });
    const records = settledMembers.map((member) => member.record);
    if (!records.every((record) => isFinal(record.state))) return;
    if (!batch.announced) {
      batch.announced = true;
      journalMarks.batches.add(batch.id);
      journal.schedule();
      // After each transfer's clean-up: when the batch says it is done, its files are as they stay.
      void Promise.all(settledMembers.map((member) => member.settling)).then(() => announce(batch, records));
    }
    options.executor.batchSettled(batch, records).catch((error: unknown) => {
      options.logger.warn('batch clean-up failed', { error: String(error) });
    });
  }

  function announce(batch: TransferBatch, records: readonly TransferRecord[]): void {
    const count = (state: TransferState) => records.filter((record) => record.state === state).length;
    const outcome = {
      finished: count('finished'),
      skipped: count('skipped'),
      failed: count('failed'),
      cancelled: count('cancelled'),
    };
    const verb = { upload: 'Uploaded', download: 'Downloaded', copy: batch.move ? 'Moved' : 'Copied' }[batch.direction];
    const extras = [
      outcome.skipped ? `${outcome.skipped} skipped` : '',
      outcome.failed ? `${outcome.failed} failed` : '',
      outcome.cancelled ? `${outcome.cancelled} cancelled` : '',
    ].filter(Boolean);
    const summary = `${verb} ${countOf(outcome.finished, 'file')} to ${batch.destination}${extras.length ? ` (${extras.join(', ')})` : ''}.`;
    const event: TransferBatchOutcome = { batchId: batch.id, direction: batch.direction, ...outcome, summary };
    // Snapshots first, so the panel shows every final state before the batch's sentence.
    tick();
    options.bus.emit('transfers.batchFinished', event);
    if (now() - Date.parse(batch.startedAt) > notifyAfterMs) {
      const title = `${{ upload: 'Upload', download: 'Download', copy: batch.move ? 'Move' : 'Copy' }[batch.direction]} finished`;
      options.notify?.(outcome.failed > 0 ? `${title} with errors` : title, summary);
    }
  }

  function controlFor(entry: Entry, signal: AbortSignal): RunControl {
    const { record } = entry;
    const changed = () => touch(record.id);
    return {
      signal,
      settings: options.settings(),
      timing: options.timing,
      progress(bytesDone) {
        record.bytesDone = bytesDone;
        entry.meter.record(now(), bytesDone);
        changed();
      },
      setTotal(bytesTotal) {
        record.bytesTotal = bytesTotal;
        changed();
      },
      persist() {
        changed();
        journal.schedule();
      },
      async persistNow() {
        changed();
        await journal.flush();
      },
      keySettled() {
        journal.settleKey({ id: record.id, key: record.key, name: record.name });
        changed();
        journal.schedule();
      },
      note(text) {
        if (record.note?.includes(text)) return;
        record.note = record.note ? `${record.note} ${text}` : text;
        changed();
        journal.schedule();
      },
      retrying(error) {
        entry.waiting += 1;
        record.retries += 1;
        record.error = error;
        if (record.state === 'running') record.state = 'retrying';
        changed();
        journal.schedule();
        options.logger.warn('transfer retrying', { id: record.id, code: error.code, retries: record.retries });
      },
      recovered() {
        entry.waiting = Math.max(0, entry.waiting - 1);
        if (entry.waiting === 0 && record.state === 'retrying') {
          record.state = 'running';
          record.error = null;
        }
        changed();
      },
    };
  }

  function start(entry: Entry, slot: NonNullable<Entry['slot']>): void {
    const controller = new AbortController();
    const task: Task = { controller, stop: undefined, done: Promise.resolve() };
    entry.task = task;
    active.add(entry);
    entry.waiting = 0;
    entry.meter.reset();
    entry.record.error = null;
    entry.slot = slot;
    if (entry.slot.small) smallBytesRunning += entry.slot.bytes;
    else runningLarge += 1;
    setState(entry, 'running');
    task.done = (async () => {
      let outcome: 'finished' | 'skipped' | undefined;
      let failure: unknown;
      try {
        outcome = await options.executor.run(entry.record, controlFor(entry, controller.signal));
      } catch (error) {
        failure = error;
      }
      entry.task = undefined;
      active.delete(entry);
      if (entry.slot?.small) smallBytesRunning -= entry.slot.bytes;
      else if (entry.slot) runningLarge -= 1;
      entry.slot = undefined;
      if (outcome) {
        entry.record.error = null;
        setState(entry, outcome);
      } else if (task.stop === 'cancel') {
        await discard(entry);
      } else if (task.stop === undefined) {
        entry.record.error = describeTransferError(failure, {
          bucket: entry.record.bucket,
          direction: entry.record.direction,
        });
        options.logger.warn('transfer failed', { id: entry.record.id, code: entry.record.error.code });
        setState(entry, 'failed');
      }
      // 'pause' set the state already (and it may have been resumed since); 'dispose' leaves it for the journal.
      touch(entry.record.id);
      pump();
    })();
  }

  /** Whether a transfer runs as a small file (one request) or a large one (parts), and the bytes it holds. */
  function slotOf(record: TransferRecord): { small: boolean; bytes: number } {
    const bytes = record.bytesTotal ?? Number.MAX_SAFE_INTEGER;
    return { small: bytes <= options.settings().multipartThresholdMiB * MiB, bytes };
  }

  /**
   * Starts queued transfers while there is room. Large files (over the multipart threshold) run
   * up to files in parallel, each with its parts in parallel. Small files, one request each,
   * spend most of their time waiting for the service, so more of them run at once (see
   * parallelLimits), as long as the bytes they hold in memory stay under a budget; they may
   * overtake large files waiting for a place. The order is otherwise the queue's. At most
   * STARTS_PER_TURN start in one turn of the event loop, the rest in the next turns (see there).
   */
  function pump(): void {
    if (disposed) return;
    let startedNow = 0;
    const settings = options.settings();
    // The most any service may have at once; each transfer then within its own service's.
    const most = parallelLimits(settings, Infinity).files;
    let looked = 0;
    for (const id of queued) {
      if (active.size >= most || looked++ >= PUMP_LOOKAHEAD) break;
      const entry = entries.get(id);
      if (!entry) {
        queued.delete(id);
        continue;
      }
      if (entry.task) continue;
      const limits = parallelLimits(settings, options.roundTripMs?.(entry.record));
      // In the queue's order: a transfer to a near service waits, and those behind it (a batch
      // to a far one, queued later) with it, rather than each pump looking through thousands.
      if (active.size >= limits.files) break;
      const slot = slotOf(entry.record);
      if (!slot.small && runningLarge >= settings.filesInParallel) continue;
      if (slot.small && active.size - runningLarge > 0 && smallBytesRunning + slot.bytes > limits.smallBytes) continue;
      start(entry, slot);
      if (++startedNow >= STARTS_PER_TURN) {
        pumpNextTurn();
        break;
      }
    }
  }

  let pumpWaiting = false;
  /** Pumps again in the event loop's next turn, once the requests of the transfers just started have left. */
  function pumpNextTurn(): void {
    if (pumpWaiting) return;
    pumpWaiting = true;
    setImmediate(() => {
      pumpWaiting = false;
      pump();
    });
  }

  async function discard(entry: Entry): Promise<void> {
    let problem: string | null;
    try {
      problem = await options.executor.discard(entry.record);
    } catch {
      problem = 'What was sent so far could not be removed.';
    }
    if (problem) entry.record.note = entry.record.note ? `${entry.record.note} ${problem}` : problem;
    // The clean-up may have changed the record (a multipart upload's id dropped): written again.
    touch(entry.record.id);
    journal.schedule();
  }

  /** The entries the ids name (all when absent) that pass a test. */
  function select(ids: readonly string[] | undefined, test: (entry: Entry) => boolean): Entry[] {
    const chosen = ids ? ids.flatMap((id) => entries.get(id) ?? []) : [...entries.values()];
    return chosen.filter(test);
  }

  function stopTask(entry: Entry, stop: Task['stop']): void {
    if (!entry.task) return;
    entry.task.stop = stop;
    entry.task.controller.abort(new AppFailure('cancelled'));
  }

  return {
    /** Resolves once the journal is read (and interrupted transfers are queued again). */
    ready,

    /** Every transfer, for the panel's first render. */
    async list(): Promise<TransferSnapshot[]> {
      await ready;
      return [...entries.values()].map(snapshot);
    },

    /** The record of a transfer, if the queue knows it. */
    async find(id: string): Promise<TransferRecord | undefined> {
      await ready;
      return entries.get(id)?.record;
    },

    /** Every record (for orphaned uploads: which upload ids the queue owns). */
    async records(): Promise<TransferRecord[]> {
      await ready;
      return [...entries.values()].map((entry) => entry.record);
    },

    /** Queues a batch of transfers (records in their initial state: queued, or skipped/failed with a note). */
    async add(batch: TransferBatch, records: readonly TransferRecord[]): Promise<void> {
      await ready;
      if (disposed) throw new AppFailure('cancelled', 'The app is closing.');
      batches.set(batch.id, batch);
      journalMarks.batches.add(batch.id);
      for (const record of records) {
        const entry = entryOf(record);
        entries.set(record.id, entry);
        members(batch.id).add(record.id);
        if (!isFinal(record.state)) countOpen(batch.id, 1);
        touch(record.id);
        if (record.state === 'queued') queued.add(record.id);
      }
      // The batch is in the journal before any of it runs: a crash right after would otherwise
      // forget transfers that had begun (a download's temporary file, an upload's multipart).
      await journal.flush();
      const first = records[0];
      const firstEntry = first ? entries.get(first.id) : undefined;
      if (records.every((record) => isFinal(record.state)) && firstEntry) onFinal(firstEntry);
      pump();
    },

    async pause(ids?: readonly string[]): Promise<number> {
      await ready;
      const chosen = select(
        ids,
        ({ record }) => record.state === 'queued' || record.state === 'running' || record.state === 'retrying',
      );
      for (const entry of chosen) {
        stopTask(entry, 'pause');
        setState(entry, 'paused');
        entry.meter.reset();
      }
      pump();
      return chosen.length;
    },

    async resume(ids?: readonly string[]): Promise<number> {
      await ready;
      const chosen = select(ids, ({ record }) => record.state === 'paused');
      for (const entry of chosen) setState(entry, 'queued');
      pump();
      return chosen.length;
    },

    /** Cancels transfers; resolves once their multipart uploads are aborted and partial files deleted. */
    async cancel(ids?: readonly string[]): Promise<number> {
      await ready;
      const chosen = select(
        ids,
        ({ record }) => record.state !== 'finished' && record.state !== 'skipped' && record.state !== 'cancelled',
      );
      const waits: Promise<void>[] = [];
      for (const entry of chosen) {
        const task = entry.task;
        stopTask(entry, 'cancel');
        setState(entry, 'cancelled');
        waits.push(task ? task.done : discard(entry));
      }
      await Promise.all(waits);
      return chosen.length;
    },

    /** Queues failed and cancelled transfers again (resuming what is left where it can). */
    async retry(ids?: readonly string[]): Promise<number> {
      await ready;
      const chosen = select(
        ids,
        ({ record, task }) => (record.state === 'failed' || record.state === 'cancelled') && !task,
      );
      for (const entry of chosen) {
        entry.record.retries = 0;
        entry.record.error = null;
        const batch = batches.get(entry.record.batchId);
        if (batch) {
          batch.announced = false;
          batch.startedAt = new Date(now()).toISOString();
          journalMarks.batches.add(batch.id);
        }
        setState(entry, 'queued');
      }
      pump();
      return chosen.length;
    },

    /** Forgets finished, skipped and cancelled transfers. */
    async clearFinished(): Promise<number> {
      await ready;
      let cleared = 0;
      for (const entry of [...entries.values()]) {
        const { state } = entry.record;
        if (entry.task || !(state === 'finished' || state === 'skipped' || state === 'cancelled')) continue;
        entries.delete(entry.record.id);
        dirty.delete(entry.record.id);
        removed.push(entry.record.id);
        journalMarks.transfers.delete(entry.record.id);
        journalMarks.removedTransfers.add(entry.record.id);
        const set = members(entry.record.batchId);
        set.delete(entry.record.id);
        if (set.size === 0) {
          batchMembers.delete(entry.record.batchId);
          batches.delete(entry.record.batchId);
          openMembers.delete(entry.record.batchId);
          journalMarks.batches.delete(entry.record.batchId);
          journalMarks.removedBatches.add(entry.record.batchId);
        }
        cleared += 1;
      }
      if (cleared > 0) journal.schedule();
      return cleared;
    },

    /** Starts queued transfers if there is room (after the files-in-parallel setting grew). */
    async kick(): Promise<void> {
      await ready;
      pump();
    },

    /** Sends pending snapshots now (tests and the batch announcement use it). */
    flushEvents: tick,

    /** Stops starting work, aborts requests in flight (multipart uploads stay, to resume), writes the journal. */
    async dispose(): Promise<void> {
      await ready.catch(() => undefined);
      disposed = true;
      clearInterval(timer);
      const tasks = [...entries.values()].flatMap((entry) => (entry.task ? [entry] : []));
      for (const entry of tasks) stopTask(entry, 'dispose');
      await Promise.all(tasks.map((entry) => entry.task?.done));
      await journal.flush();
      // Clean-ups waiting for the journal (a finished download's temporary file) run now it is written.
      await Promise.all([...entries.values()].map((entry) => entry.settling));
    },
  };
}
