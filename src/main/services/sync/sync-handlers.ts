import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { TransferBatchOutcome } from '../../../shared/transfers';
import type { syncRequests } from '../../../shared/sync-contract';
import type { SyncPreviewSummary, SyncRow, SyncSpec } from '../../../shared/sync';
import { countOf } from '../../../shared/names';
import { AppFailure } from '../app-failure';
import type { DomainServices, RequestContext } from '../handlers';
import { deleteObjects } from '../s3/delete-objects';
import type { ServiceContext } from '../service-context';
import { currentPathRules, safeRelativePath, type PathRules } from '../transfers/safe-path';
import type { TransferQueuePort } from '../transfers/transfer-handlers';
import { baselineFile, pairKey, readBaseline, rebuildBaseline } from './baseline';
import { createLineWriter, readLines } from './line-files';
import { walkLocalTree, type LocalFile } from './local-tree';
import { comparePaths } from './preview';
import { walkRemoteTree } from './remote-tree';
import { createSyncStore, type PendingRun } from './sync-store';

/** Tuning for tests: the listing page size (S3's 1,000 by default), the file-name rules. */
export interface SyncServiceOptions {
  listPageSize?: number;
  pathRules?: PathRules;
}

/** A preview kept in main until it runs or is discarded: its rows on disk, their offsets in memory. */
interface StoredPreview {
  summary: SyncPreviewSummary;
  spec: SyncSpec;
  prefix: string;
  localDir: string;
  confinedTo: string | undefined;
  file: string;
  offsets: number[];
  length: number;
  conflicts: number[];
}

/** Rows are read back from disk this many at a time when a run goes through them. */
const RUN_PAGE = 1000;

/** A prefix as keys are built from it: '' or ending in '/'. */
const folderPrefix = (prefix: string) => (prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`);

/** The MD5 (hex) of a file, streamed. */
async function md5OfFile(path: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A local folder's walk, or nothing when it does not exist yet (a download into a new folder). */
async function* localFilesOf(dir: string, signal?: AbortSignal): AsyncGenerator<LocalFile> {
  const info = await stat(dir).catch(() => undefined);
  if (!info) return;
  yield* walkLocalTree(dir, signal);
}

/**
 * Folder sync: compares a local folder and a bucket prefix into a preview (rows on disk, paged
 * to the renderer), runs the ticked rows through the one transfer queue (uploads or downloads as
 * one batch, journaled, resumed after a restart) and deletes only what a preview that asked for
 * deletes has ticked: objects through the delete path, local files only to the desktop app's
 * trash. When a run has ended, the state of both sides is recorded for the pair, so the next
 * preview can tell which side changed.
 */
export function createSyncServices(
  context: ServiceContext,
  queue: TransferQueuePort,
  options: SyncServiceOptions = {},
): DomainServices<keyof typeof syncRequests> {
  const store = createSyncStore(context.dataDir);
  const previews = new Map<string, StoredPreview>();
  const comparing = new Map<string, AbortController>();
  const previewDir = join(context.dataDir, 'sync', 'previews');
  const rules = options.pathRules ?? currentPathRules();
  const pageSize = options.listPageSize ? { pageSize: options.listPageSize } : {};
  // Previews of an earlier session are not runnable: their rows go.
  const cleared = rm(previewDir, { recursive: true, force: true }).catch(() => undefined);

  /** The local folder a request may use: absolute; from a browser, inside the downloads root. */
  async function localFolder(dir: string, request: RequestContext) {
    if (!isAbsolute(dir)) throw new AppFailure('invalid-input', 'Choose the local folder by its full path.');
    if (request.host === 'ipc') return { localDir: resolve(dir), confinedTo: undefined };
    const { targetDir, confinedTo } = await queue.confineToDownloadsRoot(dir);
    return { localDir: targetDir, confinedTo };
  }

  async function preview(previewId: string, spec: SyncSpec, request: RequestContext): Promise<SyncPreviewSummary> {
    if (previews.has(previewId) || comparing.has(previewId)) {
      throw new AppFailure('invalid-input', 'That preview exists already.');
    }
    await cleared;
    const { localDir, confinedTo } = await localFolder(spec.localDir, request);
    const prefix = folderPrefix(spec.prefix);
    const info = await stat(localDir).catch(() => undefined);
    if (info && !info.isDirectory()) throw new AppFailure('invalid-input', `${localDir} is not a folder.`);
    if (!info && spec.direction === 'upload') {
      throw new AppFailure('invalid-input', `The folder ${localDir} does not exist.`);
    }
    const client = await context.accounts.clientForBucket(spec.accountId, spec.bucket);
    const model = await context.capabilities.forBucket(spec.accountId, spec.bucket);
    const localDeletes = context.desktop?.trashItem !== undefined && request.host === 'ipc';
    const controller = new AbortController();
    const signal = request.signal ? AbortSignal.any([controller.signal, request.signal]) : controller.signal;
    comparing.set(previewId, controller);
    const file = join(previewDir, `${previewId}.jsonl`);
    const writer = await createLineWriter(file);
    try {
      let lastSent = 0;
      const counts = await comparePaths(
        {
          local: localFilesOf(localDir, signal),
          remote: walkRemoteTree(client, { bucket: spec.bucket, prefix, ...pageSize }, signal),
          base: readBaseline(baselineFile(context.dataDir, pairKey({ ...spec, prefix, localDir }))),
          settings: {
            direction: spec.direction,
            mode: spec.mode,
            deletes: spec.mode === 'mirror' && spec.deletes,
            targetDeletes: spec.direction === 'upload' || localDeletes,
          },
          etagRule: model.etag.singlePart,
          md5Of: (path) => md5OfFile(join(localDir, ...path.split('/'))),
          noLocalName: (path) => {
            const safe = safeRelativePath(path, rules);
            if (safe.ok && safe.segments.join('/') === path) return undefined;
            return `This key has no file name of its own here (${safe.ok ? safe.reasons.join('; ') : safe.reason}), so it is not synced.`;
          },
          progress: (compared) => {
            const now = Date.now();
            if (now - lastSent < 200) return;
            lastSent = now;
            context.bus.emit('sync.progress', { previewId, compared });
          },
          signal,
        },
        writer,
      );
      const length = await writer.close();
      const { conflicts, ...shown } = counts;
      const summary: SyncPreviewSummary = { previewId, spec, localDir, ...shown, localDeletes };
      previews.set(previewId, {
        summary,
        spec,
        prefix,
        localDir,
        confinedTo,
        file,
        offsets: writer.offsets,
        length,
        conflicts,
      });
      return summary;
    } catch (error) {
      await writer.abandon();
      if (signal.aborted) throw new AppFailure('cancelled', 'The comparison was stopped.');
      throw error;
    } finally {
      comparing.delete(previewId);
    }
  }

  function storedPreview(previewId: string): StoredPreview {
    const stored = previews.get(previewId);
    if (!stored) throw new AppFailure('invalid-input', 'This preview is not available any more: compare again.');
    return stored;
  }

  async function discard(previewId: string): Promise<boolean> {
    const stored = previews.get(previewId);
    if (!stored) return false;
    previews.delete(previewId);
    await rm(stored.file, { force: true });
    return true;
  }

  async function run(previewId: string, toggled: number[]) {
    const stored = storedPreview(previewId);
    previews.delete(previewId);
    const { spec, prefix, localDir } = stored;
    const flipped = new Set(toggled);
    const transfers: SyncRow[] = [];
    const deletes: SyncRow[] = [];
    const unsettled: string[] = [];
    for (let start = 0; start < stored.offsets.length; start += RUN_PAGE) {
      const end = Math.min(start + RUN_PAGE, stored.offsets.length);
      for (const row of await readLines<SyncRow>(stored.file, stored.offsets, start, end, stored.length)) {
        const ticked = row.tickable && row.ticked !== flipped.has(row.index);
        if (!ticked) unsettled.push(row.path);
        else if (row.action === 'delete') deletes.push(row);
        else transfers.push(row);
      }
    }
    await rm(stored.file, { force: true });
    // Deletes only where the preview asked for them: a tick alone never deletes.
    if (deletes.length > 0 && !(spec.mode === 'mirror' && spec.deletes)) {
      throw new AppFailure('invalid-input', 'This sync was not asked to delete anything.');
    }
    if (deletes.length > 0 && spec.direction === 'download' && !stored.summary.localDeletes) {
      throw new AppFailure(
        'not-supported',
        'Local files are never deleted here; the desktop app moves them to the trash.',
      );
    }
    const runId = randomUUID();
    const batchIds: string[] = [];
    if (transfers.length > 0 && spec.direction === 'upload') {
      batchIds.push(
        await queue.queueUploads({
          accountId: spec.accountId,
          bucket: spec.bucket,
          destination: `${spec.bucket}/${prefix}`,
          files: transfers.map((row) => ({
            path: join(localDir, ...row.path.split('/')),
            key: prefix + row.path,
            size: row.local?.size ?? 0,
            mtimeMs: Date.parse(row.local?.modified ?? '') || 0,
          })),
        }),
      );
    } else if (transfers.length > 0) {
      await mkdir(localDir, { recursive: true });
      batchIds.push(
        await queue.queueDownloads({
          accountId: spec.accountId,
          bucket: spec.bucket,
          targetDir: localDir,
          ...(stored.confinedTo !== undefined ? { confinedTo: stored.confinedTo } : {}),
          objects: transfers.map((row) => ({
            key: prefix + row.path,
            size: row.remote?.size ?? 0,
            relative: row.path,
          })),
        }),
      );
    }
    const pending: PendingRun = {
      runId,
      pairKey: pairKey({ ...spec, prefix, localDir }),
      spec,
      localDir,
      prefix,
      batchIds,
      unsettled,
      deletesPending: deletes.length > 0,
    };
    await store.putRun(pending);
    const deleteOperationId = deletes.length > 0 ? startDeletes(pending, deletes) : null;
    if (deletes.length === 0) void settleRun(runId);
    return {
      runId,
      accountId: spec.accountId,
      bucket: spec.bucket,
      prefix,
      localDir,
      direction: spec.direction,
      batchId: batchIds[0] ?? null,
      deleteOperationId,
      transfers: transfers.length,
      deletes: deletes.length,
    };
  }

  /** Deletes the ticked rows as one long operation: objects in DeleteObjects batches, local files to the trash. */
  function startDeletes(pending: PendingRun, rows: SyncRow[]): string {
    const { spec, prefix, localDir } = pending;
    const remote = spec.direction === 'upload';
    const title = remote
      ? `Sync: deleting ${countOf(rows.length, 'object')} from ${spec.bucket}/${prefix}`
      : `Sync: moving ${countOf(rows.length, 'file')} of ${localDir} to the trash`;
    const { operationId, finished } = context.operations.start('delete', title, async (operation) => {
      if (remote) {
        const client = await context.accounts.clientForBucket(spec.accountId, spec.bucket);
        return deleteObjects(
          client,
          spec.bucket,
          rows.map((row) => prefix + row.path),
          operation,
        );
      }
      const trash = context.desktop?.trashItem;
      if (!trash) throw new AppFailure('not-supported', 'Local files go to the trash only in the desktop app.');
      operation.setTotal(rows.length);
      for (const row of rows) {
        if (operation.signal.aborted) break;
        try {
          await trash(join(localDir, ...row.path.split('/')));
          operation.advance(1);
        } catch {
          operation.fail(row.path, 'It could not be moved to the trash.');
        }
      }
      return (done, failed) =>
        `Moved ${countOf(done, 'file')} to the trash${failed ? `; ${failed} could not be moved` : ''}.`;
    });
    void finished.then(async (outcome) => {
      const failedPaths = outcome.failures.map((failure) => (remote ? failure.key.slice(prefix.length) : failure.key));
      const current = (await store.runs()).find((r) => r.runId === pending.runId);
      if (!current) return;
      await store.putRun({ ...current, deletesPending: false, unsettled: [...current.unsettled, ...failedPaths] });
      if (remote) context.bus.emit('objects.changed', { accountId: spec.accountId, bucket: spec.bucket, prefix });
      await settleRun(pending.runId);
    });
    return operationId;
  }

  /**
   * Records a run's baseline once its batches and deletes have all ended (failed transfers stay
   * unsettled: their paths keep the old record). Called when a batch finishes, and at start for
   * runs a restart interrupted.
   */
  const settling = new Map<string, Promise<void>>();
  function settleRun(runId: string): Promise<void> {
    const running = settling.get(runId);
    if (running) return running;
    const work = (async () => {
      const pending = (await store.runs()).find((r) => r.runId === runId);
      if (!pending || pending.deletesPending) return;
      const unsettled = new Set(pending.unsettled);
      let transferred = 0;
      for (const batchId of pending.batchIds) {
        const states = await queue.batchStates(batchId);
        if (states.some((t) => !['finished', 'skipped', 'failed', 'cancelled'].includes(t.state))) return;
        for (const t of states) {
          if (t.state === 'finished') transferred += 1;
          else unsettled.add(t.key.slice(pending.prefix.length));
        }
      }
      const { spec, prefix, localDir } = pending;
      const client = await context.accounts.clientForBucket(spec.accountId, spec.bucket);
      const recorded = await rebuildBaseline(
        baselineFile(context.dataDir, pending.pairKey),
        { local: localFilesOf(localDir), remote: walkRemoteTree(client, { bucket: spec.bucket, prefix, ...pageSize }) },
        unsettled,
      );
      await store.removeRun(runId);
      const at = new Date().toISOString();
      await store.ranPairs(
        (other) =>
          pairKey({ ...other, prefix: folderPrefix(other.prefix), localDir: resolve(other.localDir) }) ===
          pending.pairKey,
        at,
      );
      context.logger.info('sync run recorded', { transferred, recorded, unsettled: unsettled.size });
      context.bus.emit('sync.runFinished', {
        runId,
        summary: `Sync of ${localDir} and ${spec.bucket}/${prefix} done: ${countOf(transferred, 'file')} copied${unsettled.size ? `, ${countOf(unsettled.size, 'path')} left as they were` : ''}.`,
      });
    })()
      .catch((error: unknown) => context.logger.warn('sync run not recorded', { error: String(error) }))
      .finally(() => settling.delete(runId));
    settling.set(runId, work);
    return work;
  }

  const unsubscribe = context.bus.onAny((channel, payload) => {
    if (channel !== 'transfers.batchFinished') return;
    const { batchId } = payload as TransferBatchOutcome;
    void store.runs().then((runs) => {
      for (const pending of runs) if (pending.batchIds.includes(batchId)) void settleRun(pending.runId);
    });
  });
  // Runs a restart interrupted: deletes are not journaled (a new preview shows what is left), transfers resume.
  void Promise.all([store.loaded, queue.ready])
    .then(async () => {
      for (const pending of await store.runs()) {
        if (pending.deletesPending) await store.putRun({ ...pending, deletesPending: false });
        void settleRun(pending.runId);
      }
    })
    .catch(() => undefined);

  return {
    dispose: async () => {
      unsubscribe();
      for (const controller of comparing.values()) controller.abort();
      await Promise.all([...settling.values()]);
      await rm(previewDir, { recursive: true, force: true }).catch(() => undefined);
    },
    handlers: {
      'sync.preview': ({ previewId, spec }, request) => preview(previewId, spec, request),
      'sync.cancelPreview': async ({ previewId }) => {
        const controller = comparing.get(previewId);
        controller?.abort();
        return { cancelled: controller !== undefined };
      },
      'sync.previewRows': async ({ previewId, offset, limit, conflictsOnly }) => {
        const stored = storedPreview(previewId);
        if (conflictsOnly) {
          const chosen = stored.conflicts.slice(offset, offset + limit);
          const rows: SyncRow[] = [];
          for (const index of chosen) {
            rows.push(...(await readLines<SyncRow>(stored.file, stored.offsets, index, index + 1, stored.length)));
          }
          return { rows, total: stored.conflicts.length };
        }
        const end = Math.min(offset + limit, stored.offsets.length);
        const rows = await readLines<SyncRow>(stored.file, stored.offsets, offset, end, stored.length);
        return { rows, total: stored.offsets.length };
      },
      'sync.run': ({ previewId, toggled }) => run(previewId, toggled),
      'sync.discardPreview': async ({ previewId }) => ({ discarded: await discard(previewId) }),
      'sync.pairs': () => store.pairs(),
      'sync.savePair': (input) => store.savePair(input),
      'sync.removePair': async ({ id }) => ({ removed: await store.removePair(id) }),
    },
  };
}
