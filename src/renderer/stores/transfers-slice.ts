import type { StateCreator } from 'zustand';
import type { AppError } from '../../shared/errors';
import { appError } from '../../shared/errors';
import { parentOf } from '../../shared/names';
import type { Result } from '../../shared/result';
import type { RequestInput } from '../../shared/contract';
import type { TransferBatchOutcome, TransferSnapshot, UploadSource } from '../../shared/transfers';
import { createSpoolSender, type SpoolSender } from '../bridge/spool-client';
import { batchActionStates, batchMemberIds, type BatchActions } from '../features/transfers/transfer-view';
import type { AppState, StoreDependencies } from './app-state';
import type { BrowserLocation } from './selection-slice';

/** One local file to send into web mode's spool: where it goes under the upload's folder, and its bytes. */
export interface LocalFile {
  /** '/'-separated; a folder's files start with the folder's name ("album/2024/a.jpg"). */
  relativePath: string;
  /** A File in the page; any Blob in tests. */
  file: Blob;
}

/**
 * What was dropped or picked: paths on disk (Electron, where main reads the files itself), or
 * files whose bytes the page sends to main first (web mode).
 */
export type UploadPick = { kind: 'paths'; paths: string[] } | { kind: 'files'; files: LocalFile[] };

/** The options of an upload batch, as the contract takes them. */
export type UploadOptions = NonNullable<RequestInput<'transfers.upload'>['options']>;

/** The answer to "some names exist already". */
export type ConflictChoice = RequestInput<'transfers.upload'>['onConflict'];

/** Where an upload is between a drop (or a pick) and the queue; the upload dialog shows it. */
export type UploadFlow =
  | { step: 'choose'; location: BrowserLocation }
  | {
      step: 'preparing';
      location: BrowserLocation;
      /** Files fully sent to the app so far, of `total`. */
      done: number;
      total: number;
      bytesDone: number;
      bytesTotal: number;
    }
  | { step: 'checking'; location: BrowserLocation; fromPicker: boolean }
  | { step: 'conflicts'; location: BrowserLocation; existing: string[]; total: number; queueing: boolean }
  | { step: 'failed'; location: BrowserLocation; error: AppError };

/** The other dialogs of the transfer queue. */
export type TransferDialog =
  | { kind: 'download'; location: BrowserLocation; keys: string[]; versionId?: string }
  | { kind: 'settings' }
  | { kind: 'orphaned'; accountId: string; bucket: string };

/** Whether the queue's transfers are known yet. */
export type TransfersStatus = 'loading' | 'ready' | 'error';

/** The transfer queue as the renderer sees it, and the upload and download requests the browser makes. */
export interface TransfersSlice {
  /** Every transfer main knows, by id (a new Map whenever anything changed, at most about ten times a second). */
  transfers: ReadonlyMap<string, TransferSnapshot>;
  transfersStatus: TransfersStatus;
  transfersError: AppError | null;
  /** An upload between its drop or pick and the queue; null when none. */
  uploadFlow: UploadFlow | null;
  transferDialog: TransferDialog | null;
  /** "Drop to upload to photos/2024/" while files are dragged over a target; null otherwise. */
  dropHint: string | null;

  /** Asks what to upload into a folder (the picker); drops call uploadPicked directly. */
  requestUpload: (location: BrowserLocation) => void;
  /** Asks where to download the given keys (files, and folders ending in '/'). */
  /** Drags files out to the desktop (Electron): main downloads them first, then starts the OS drag. */
  dragOut: (location: BrowserLocation, keys: string[]) => Promise<void>;
  /** `versionId`: a specific version of one file (from "Show versions"). */
  requestDownload: (location: BrowserLocation, keys: string[], versionId?: string) => void;
  /**
   * Uploads what was dropped or picked into a folder: sends the bytes to the app first (web mode),
   * asks about names that exist, then queues. Resolves when it is queued, cancelled or failed.
   */
  uploadPicked: (
    location: BrowserLocation,
    pick: UploadPick,
    options?: UploadOptions,
    origin?: 'drop' | 'picker',
  ) => Promise<void>;
  /** Answers the conflict question and queues the upload. */
  resolveUploadConflicts: (choice: ConflictChoice) => Promise<void>;
  /** Stops an upload before it is queued (while its files are sent, or at the conflict question). */
  cancelUploadFlow: () => void;
  /** Queues a download; the dialog shows a failure. */
  startDownload: (
    location: BrowserLocation,
    keys: string[],
    targetDir: string,
    onConflict: ConflictChoice,
    versionId?: string,
  ) => Promise<Result<{ batchId: string }>>;
  openTransferDialog: (dialog: TransferDialog) => void;
  closeTransferDialog: () => void;
  setDropHint: (hint: string | null) => void;

  /** Loads every transfer main knows (at start, after a restart of main too). */
  loadTransfers: () => Promise<void>;
  /** Takes a transfers.changed event; applied at most about ten times a second. */
  receiveTransfersChanged: (change: { transfers: TransferSnapshot[]; removed: string[] }) => void;
  /** Takes a transfers.batchFinished event: a toast says how it went. */
  receiveBatchFinished: (outcome: TransferBatchOutcome) => void;
  /** Pauses transfers, or all when no ids are given. */
  pauseTransfers: (ids?: string[]) => Promise<void>;
  /** Resumes paused transfers, or all. */
  resumeTransfers: (ids?: string[]) => Promise<void>;
  cancelTransfers: (ids: string[]) => Promise<void>;
  retryTransfers: (ids: string[]) => Promise<void>;
  /**
   * Pauses, resumes, retries or cancels a whole batch from its row: the action goes to the
   * batch's transfers it applies to (cancel: those not ended yet; retry: failed and cancelled).
   */
  actOnBatch: (batchId: string, action: keyof BatchActions) => Promise<void>;
  /** Forgets finished transfers and ended operations. */
  clearFinishedTransfers: () => Promise<void>;
  /** Shows a transfer's local file in the OS file manager (Electron). */
  revealTransfer: (id: string) => Promise<void>;
  /** Opens the folder of a transfer's object in the file list and selects the object. */
  goToTransfer: (id: string) => void;
}

/** What the transfers slice needs beyond the API; tests pass fakes. */
export interface TransferDependencies {
  /** Sends a file's bytes into web mode's spool (HTTP, with the page's token). */
  spoolSender?: SpoolSender;
  /** The least time between two applications of transfers.changed (ms). */
  applyIntervalMs?: number;
}

// Files sent into the spool at once: enough to hide per-request latency for many small files.
const SPOOL_CONCURRENCY = 3;
// How often the "Preparing…" progress may re-render (ms).
const PREPARE_PROGRESS_INTERVAL = 100;

/** "bucket/photos/2024/": a location as the drop hint and the dialogs name it. */
export function locationName(location: BrowserLocation): string {
  return `${location.bucket}/${location.prefix}`;
}

/** The notice when a batch ends: its summary, as an error toast when something failed. */
export function batchToast(outcome: TransferBatchOutcome): { message: string; kind: 'success' | 'error' | 'info' } {
  if (outcome.failed > 0) return { message: outcome.summary, kind: 'error' };
  if (outcome.finished === 0) return { message: outcome.summary, kind: 'info' };
  return { message: outcome.summary, kind: 'success' };
}

/**
 * Sends files into a spool, a few at a time, reporting files and bytes done. Stops at the first
 * failure (or when `signal` aborts) and returns it; the files after it are not sent.
 */
export async function sendToSpool(
  send: SpoolSender,
  spoolId: string,
  files: readonly LocalFile[],
  signal: AbortSignal,
  onProgress: (progress: { done: number; bytesDone: number }) => void,
  concurrency = SPOOL_CONCURRENCY,
): Promise<Result<void>> {
  let next = 0;
  let done = 0;
  let finishedBytes = 0;
  const inFlight = new Map<number, number>();
  let failure: AppError | null = null;
  const report = () =>
    onProgress({ done, bytesDone: finishedBytes + [...inFlight.values()].reduce((sum, b) => sum + b, 0) });

  async function worker(): Promise<void> {
    while (failure === null && !signal.aborted && next < files.length) {
      const index = next++;
      const item = files[index] as LocalFile;
      inFlight.set(index, 0);
      const result = await send({
        spoolId,
        relativePath: item.relativePath,
        body: item.file,
        signal,
        onProgress: (bytes) => {
          if (!inFlight.has(index)) return;
          inFlight.set(index, bytes);
          report();
        },
      });
      inFlight.delete(index);
      if (!result.ok) {
        failure ??= result.error.code === 'cancelled' ? result.error : withName(result.error, item.relativePath);
        return;
      }
      done++;
      finishedBytes += item.file.size;
      report();
    }
  }

  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
  if (signal.aborted) return { ok: false, error: appError('cancelled', 'The upload was cancelled.') };
  return failure ? { ok: false, error: failure } : { ok: true, value: undefined };
}

function withName(error: AppError, relativePath: string): AppError {
  return { code: error.code, message: `“${relativePath}” could not be prepared: ${error.message}` };
}

/** Creates the transfers slice; subscribes to the queue's events and loads its transfers at once. */
export function createTransfersSlice(
  deps: StoreDependencies & TransferDependencies,
): StateCreator<AppState, [], [], TransfersSlice> {
  return (set, get) => {
    const api = deps.api.transfers;
    const applyInterval = deps.applyIntervalMs ?? 100;
    let spoolSender = deps.spoolSender;
    const sender = (): SpoolSender => (spoolSender ??= createSpoolSender());

    // Events are kept here and applied together, so a burst re-renders the panel once.
    let pending = new Map<string, TransferSnapshot | null>();
    let timer: ReturnType<typeof setTimeout> | null = null;
    let lastApplied = -Infinity;
    function applyPending(): void {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      lastApplied = Date.now();
      if (pending.size === 0) return;
      const changes = pending;
      pending = new Map();
      set((state) => {
        const transfers = new Map(state.transfers);
        for (const [id, snapshot] of changes) {
          if (snapshot) transfers.set(id, snapshot);
          else transfers.delete(id);
        }
        return { transfers };
      });
    }

    // The upload between its drop and the queue: what only this closure needs to finish it.
    let flowId = 0;
    let flowAbort: AbortController | null = null;
    let flowPlan: { location: BrowserLocation; source: UploadSource; options: UploadOptions | undefined } | null = null;
    const isCurrent = (id: number) => id === flowId;

    async function queueUpload(id: number, choice: ConflictChoice): Promise<void> {
      const plan = flowPlan;
      if (!plan || !isCurrent(id)) return;
      const { location, source, options } = plan;
      const result = await api.upload({
        accountId: location.accountId,
        bucket: location.bucket,
        prefix: location.prefix,
        source,
        onConflict: choice,
        ...(options ? { options } : {}),
      });
      if (!isCurrent(id)) return;
      if (!result.ok) {
        set({ uploadFlow: { step: 'failed', location, error: result.error } });
        return;
      }
      flowPlan = null;
      set({ uploadFlow: null });
    }

    /** Calls an action on some transfers; says so in a toast when main refuses. */
    async function act(what: string, call: () => Promise<Result<unknown>>): Promise<void> {
      const result = await call();
      if (!result.ok) get().notify(`Could not ${what}: ${result.error.message}`, 'error');
    }

    const subscriptions = api as Partial<typeof api> | undefined;
    // Tests of other slices give no transfers API; the app always has one.
    subscriptions?.onChanged?.((change) => get().receiveTransfersChanged(change));
    subscriptions?.onBatchFinished?.((outcome) => get().receiveBatchFinished(outcome));
    if (subscriptions?.list) queueMicrotask(() => void get().loadTransfers());

    return {
      transfers: new Map(),
      transfersStatus: 'loading',
      transfersError: null,
      uploadFlow: null,
      transferDialog: null,
      dropHint: null,

      requestUpload: (location) => {
        flowId++;
        flowAbort?.abort();
        flowPlan = null;
        set({ uploadFlow: { step: 'choose', location } });
      },
      async dragOut(location, keys) {
        if (keys.length === 0) return;
        const result = await api.dragOut({ accountId: location.accountId, bucket: location.bucket, keys });
        if (!result.ok) get().notify(result.error.message, 'error');
      },
      requestDownload: (location, keys, versionId) =>
        set({ transferDialog: { kind: 'download', location, keys, ...(versionId ? { versionId } : {}) } }),

      async uploadPicked(location, pick, options, origin = 'drop') {
        const id = ++flowId;
        flowAbort?.abort();
        flowPlan = null;
        const nothing = pick.kind === 'paths' ? pick.paths.length === 0 : pick.files.length === 0;
        if (nothing) {
          set({ uploadFlow: null });
          get().notify('Nothing to upload: empty folders and items that are not files are left out.', 'info');
          return;
        }
        let source: UploadSource;
        if (pick.kind === 'paths') {
          source = { kind: 'paths', paths: pick.paths };
        } else {
          const abort = new AbortController();
          flowAbort = abort;
          const bytesTotal = pick.files.reduce((sum, f) => sum + f.file.size, 0);
          const total = pick.files.length;
          set({ uploadFlow: { step: 'preparing', location, done: 0, total, bytesDone: 0, bytesTotal } });
          const opened = await api.openSpool({});
          if (!isCurrent(id)) return;
          if (!opened.ok) {
            set({ uploadFlow: { step: 'failed', location, error: opened.error } });
            return;
          }
          let shownAt = 0;
          const sent = await sendToSpool(sender(), opened.value.spoolId, pick.files, abort.signal, (progress) => {
            const now = Date.now();
            if (!isCurrent(id) || (progress.done < total && now - shownAt < PREPARE_PROGRESS_INTERVAL)) return;
            shownAt = now;
            set({ uploadFlow: { step: 'preparing', location, total, bytesTotal, ...progress } });
          });
          if (!isCurrent(id)) return;
          flowAbort = null;
          if (!sent.ok) {
            if (sent.error.code === 'cancelled') {
              set({ uploadFlow: null });
              get().notify('Upload cancelled: nothing was queued.', 'info');
            } else {
              set({ uploadFlow: { step: 'failed', location, error: sent.error } });
            }
            return;
          }
          source = { kind: 'spool', spoolId: opened.value.spoolId };
        }
        flowPlan = { location, source, options };
        set({ uploadFlow: { step: 'checking', location, fromPicker: origin === 'picker' } });
        const conflicts = await api.uploadConflicts({
          accountId: location.accountId,
          bucket: location.bucket,
          prefix: location.prefix,
          source,
        });
        if (!isCurrent(id)) return;
        if (!conflicts.ok) {
          set({ uploadFlow: { step: 'failed', location, error: conflicts.error } });
          return;
        }
        if (conflicts.value.existing.length > 0) {
          set({
            uploadFlow: {
              step: 'conflicts',
              location,
              existing: conflicts.value.existing,
              total: conflicts.value.total,
              queueing: false,
            },
          });
          return;
        }
        await queueUpload(id, 'replace');
      },

      async resolveUploadConflicts(choice) {
        const flow = get().uploadFlow;
        if (flow?.step !== 'conflicts' || flow.queueing) return;
        set({ uploadFlow: { ...flow, queueing: true } });
        await queueUpload(flowId, choice);
      },

      cancelUploadFlow() {
        flowId++;
        flowAbort?.abort();
        flowAbort = null;
        flowPlan = null;
        set({ uploadFlow: null });
      },

      async startDownload(location, keys, targetDir, onConflict, versionId) {
        const result = await api.download({
          accountId: location.accountId,
          bucket: location.bucket,
          items: keys,
          targetDir,
          onConflict,
          ...(versionId ? { versionId } : {}),
        });
        if (result.ok) set({ transferDialog: null });
        return result;
      },

      openTransferDialog: (transferDialog) => set({ transferDialog }),
      closeTransferDialog: () => set({ transferDialog: null }),
      setDropHint: (dropHint) => {
        if (get().dropHint !== dropHint) set({ dropHint });
      },

      async loadTransfers() {
        const result = await api.list({});
        if (!result.ok) {
          set({ transfersStatus: 'error', transfersError: result.error });
          return;
        }
        // The list is newer than any event that came before it.
        pending = new Map();
        set({
          transfers: new Map(result.value.map((t) => [t.id, t])),
          transfersStatus: 'ready',
          transfersError: null,
        });
      },

      receiveTransfersChanged({ transfers, removed }) {
        for (const snapshot of transfers) pending.set(snapshot.id, snapshot);
        for (const id of removed) pending.set(id, null);
        if (timer !== null) return;
        const wait = lastApplied + applyInterval - Date.now();
        if (wait <= 0) applyPending();
        else timer = setTimeout(applyPending, wait);
      },

      receiveBatchFinished(outcome) {
        const { message, kind } = batchToast(outcome);
        // The list refreshes on main's objects.changed, sent for every folder above each new key.
        get().notify(message, kind);
      },

      pauseTransfers: (ids) => act('pause', () => api.pause(ids ? { ids } : {})),
      resumeTransfers: (ids) => act('resume', () => api.resume(ids ? { ids } : {})),
      cancelTransfers: (ids) => act('cancel', () => api.cancel({ ids })),
      retryTransfers: (ids) => act('retry', () => api.retry({ ids })),

      async actOnBatch(batchId, action) {
        const ids = batchMemberIds(get().transfers.values(), batchId, batchActionStates[action]);
        if (ids.length === 0) return;
        const calls = { pause: api.pause, resume: api.resume, retry: api.retry, cancel: api.cancel };
        await act(action, () => calls[action]({ ids }));
      },

      async clearFinishedTransfers() {
        get().clearFinishedOperations();
        await act('clear finished transfers', () => api.clearFinished({}));
      },

      revealTransfer: (id) => act('show the file', () => api.reveal({ id })),

      goToTransfer(id) {
        const transfer = get().transfers.get(id);
        if (!transfer) return;
        get().navigate({ accountId: transfer.accountId, bucket: transfer.bucket, prefix: parentOf(transfer.key) });
        get().revealKey(transfer.key);
      },
    };
  };
}
