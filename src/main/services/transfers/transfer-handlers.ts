import { randomUUID } from 'node:crypto';
import { mkdtemp, type FileHandle } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import {
  AbortMultipartUploadCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  type MultipartUpload,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { transferRequests } from '../../../shared/transfers-contract';
import {
  uploadOptionsSchema,
  type DownloadsRoot,
  type OrphanedUpload,
  type TransferBatchOutcome,
  type UploadSource,
} from '../../../shared/transfers';
import { parentOf } from '../../../shared/names';
import { AppFailure } from '../app-failure';
import type { DomainServices, RequestContext } from '../handlers';
import { boundedPages } from '../s3/bounded-pages';
import type { ServiceContext } from '../service-context';
import { createPathClaims, discardDownload, removeLeftover, runDownload, startFileWriter } from './download-runner';
import { createFolderNames } from './folder-names';
import { copyAcrossRecords } from './copy-across-plan';
import { discardCopyAcross, runCopyAcross } from './copy-across-runner';
import { downloadRecords, planDownload } from './download-plan';
import { defaultBackoff, type BackoffOptions } from './retry-policy';
import {
  currentPathRules,
  ignoresCase,
  isWithin,
  pathInside,
  realPathAllowingMissing,
  type PathRules,
} from './safe-path';
import { createSpools, defaultSpoolRoot, type SpoolUse, type Spools } from './spool';
import { isNotFound, statusOf } from './transfer-errors';
import { createTransferQueue, type TransferExecutor } from './transfer-queue';
import type { TransferRecord } from './transfer-record';
import { createTransferSettingsStore } from './transfer-settings-store';
import { abortQuietly, runUpload, warmPartReader, type UploadDependencies } from './upload-runner';
import { folderPrefix, planUpload, uploadRecords } from './upload-plan';
import { whyOptionsUnavailable } from '../../../shared/capabilities';
import { customerKeyOverHttpMessage } from '../s3/customer-keys-over-tls';
import { roundTripsOf, type RoundTrips } from '../s3/round-trips';
import type { YoungCollector } from './young-collector';

/** Tuning for tests (and nothing else): shorter timeouts and backoff, a private spool folder. */
export interface TransferServiceOptions {
  /** An attempt that moves no byte for this long is stopped and retried (60 s by default). */
  stallTimeoutMs?: number;
  backoff?: BackoffOptions;
  /** How often changed snapshots are sent (100 ms). */
  tickMs?: number;
  /** The least time between two journal writes that can wait (the journal's default, 200 ms). */
  journalSpacingMs?: number;
  /** Where web mode's spools live (the data folder's spool/). */
  spoolRoot?: string;
  /** A spool not queued for this long after its last write is deleted (30 minutes). */
  spoolStaleMs?: number;
  /** How often spools are swept (5 minutes), besides once at start. */
  spoolSweepMs?: number;
  /** Batches longer than this get a desktop notification (10 s). */
  notifyAfterMs?: number;
  /** File-name rules for downloads (the running system's). */
  pathRules?: PathRules;
  /** Whether the download folder's file system ignores case (asked of the folder itself by default). */
  foldCase?: boolean;
  /** The longest local path a download may have (the system's PATH_MAX or MAX_PATH). */
  maxPath?: number;
  /** How downloads write consecutive pieces of an object (writev): lets a test make the disk "full". */
  writeAt?: (handle: FileHandle, pieces: readonly Buffer[], position: number) => Promise<unknown>;
  /** What downloads count the bytes they receive, and uploads the files they read whole, with (the shared young collector by default). */
  youngCollector?: YoungCollector;
  /** Whether a bucket is reached over TLS, as uploads decide their checksum (see UploadDependencies.overTls). */
  overTls?: UploadDependencies['overTls'];
}

/** Spools are swept this often (and once at start): unqueued ones expire after 30 minutes. */
const SPOOL_SWEEP_MS = 5 * 60_000;

/** HEADs run at once when looking for conflicts. */
const HEAD_CONCURRENCY = 16;

/** Runs `work` over items, `limit` at a time, keeping the order of results. */
async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Whether a key exists, for the conflict question (a 403 means we may not look: not a conflict we know of). */
async function keyExists(client: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if (isNotFound(error) || statusOf(error) === 403) return false;
    // 400: an object encrypted with a customer key (SSE-C) exists.
    if (statusOf(error) === 400) return true;
    throw error;
  }
}

/**
 * What other domains (sync) may ask of the queue: queue a planned batch of uploads or downloads
 * (each replacing what is at its target), read a batch's states, and keep a browser's local
 * folder inside the downloads root. Everything else of the queue stays inside this domain.
 */
export interface TransferQueuePort {
  /** Resolves once the journal is read (transfers from before a restart are known). */
  ready: Promise<unknown>;
  queueUploads(batch: {
    accountId: string;
    bucket: string;
    destination: string;
    files: { path: string; key: string; size: number; mtimeMs: number }[];
  }): Promise<string>;
  queueDownloads(batch: {
    accountId: string;
    bucket: string;
    targetDir: string;
    confinedTo?: string;
    objects: { key: string; size: number; relative: string }[];
  }): Promise<string>;
  /** The key and state of each transfer of a batch (empty once cleared from the panel). */
  batchStates(batchId: string): Promise<{ key: string; state: TransferRecord['state'] }[]>;
  /** A browser's folder: resolved, and refused unless inside the downloads root. */
  confineToDownloadsRoot(dir: string): Promise<{ targetDir: string; confinedTo: string }>;
}

/** The transfer queue's channels: uploads and downloads run in main, journaled to disk. */
export function createTransferServices(
  context: ServiceContext,
  options: TransferServiceOptions = {},
): DomainServices<keyof typeof transferRequests> & { spool: Spools; queuePort: TransferQueuePort } {
  const settingsStore = createTransferSettingsStore(join(context.dataDir, 'transfers-settings.json'));
  const settingsLoaded = settingsStore.load();
  const spools = createSpools(options.spoolRoot ?? defaultSpoolRoot(context.dataDir), {
    ...(options.spoolStaleMs !== undefined ? { staleAfterMs: options.spoolStaleMs } : {}),
  });
  const claims = createPathClaims();
  const folderNames = createFolderNames();
  const pathRules = options.pathRules ?? currentPathRules();
  /**
   * Each bucket's service's round trips (its client's), by account and bucket, as clients are
   * asked for: the queue reads them as it starts each transfer, and cannot wait for a client.
   */
  const roundTripsByBucket = new Map<string, RoundTrips>();
  const bucketKey = (accountId: string, bucket: string) => `${accountId}\n${bucket}`;
  const clientFor = async (accountId: string, bucket: string) => {
    const client = await context.accounts.clientForBucket(accountId, bucket);
    roundTripsByBucket.set(bucketKey(accountId, bucket), roundTripsOf(client));
    return client;
  };

  // Folders whose listing changed (uploads finished): announced together, at most a few times a second.
  const changedFolders = new Map<string, { accountId: string; bucket: string; prefix: string }>();
  let changedTimer: NodeJS.Timeout | undefined;
  const folderChanged = (accountId: string, bucket: string, prefix: string) => {
    changedFolders.set(JSON.stringify([accountId, bucket, prefix]), { accountId, bucket, prefix });
    changedTimer ??= setTimeout(() => {
      changedTimer = undefined;
      for (const folder of changedFolders.values()) context.bus.emit('objects.changed', folder);
      changedFolders.clear();
    }, 300);
    changedTimer.unref();
  };

  const endpointOf = async (accountId: string) => (await context.accounts.settingsOf(accountId)).endpoint;

  const executor: TransferExecutor = {
    async run(record, control) {
      if (record.spec.kind === 'copy') {
        const spec = record.spec;
        const outcome = await runCopyAcross(record, spec, control, {
          clientFor,
          customerKeys: context.customerKeys,
          capabilities: context.capabilities,
          endpointOf,
          ...(options.overTls ? { overTls: options.overTls } : {}),
        });
        if (outcome === 'finished') {
          for (let prefix = parentOf(record.key); ; prefix = parentOf(prefix)) {
            folderChanged(record.accountId, record.bucket, prefix);
            if (prefix === '') break;
          }
          if (spec.mode === 'move') folderChanged(spec.source.accountId, spec.source.bucket, parentOf(spec.source.key));
        }
        return outcome;
      }
      if (record.spec.kind === 'upload') {
        const outcome = await runUpload(record, record.spec, control, {
          clientFor,
          customerKeys: context.customerKeys,
          capabilities: context.capabilities,
          ...(options.youngCollector ? { youngCollector: options.youngCollector } : {}),
          ...(options.overTls ? { overTls: options.overTls } : {}),
        });
        if (outcome === 'finished') {
          // Every folder above the key may show something new (a folder that did not exist).
          for (let prefix = parentOf(record.key); ; prefix = parentOf(prefix)) {
            folderChanged(record.accountId, record.bucket, prefix);
            if (prefix === '') break;
          }
        }
        return outcome;
      }
      return runDownload(record, record.spec, control, {
        clientFor,
        customerKeys: context.customerKeys,
        claims,
        folderNames,
        checksumsFor: (accountId, bucket) => context.capabilities.supports(accountId, bucket, 'checksums'),
        ...(options.writeAt ? { writeAt: options.writeAt } : {}),
        ...(options.youngCollector ? { youngCollector: options.youngCollector } : {}),
      });
    },
    async discard(record) {
      const spec = record.spec;
      if (spec.kind === 'copy') return discardCopyAcross(record, spec, clientFor);
      if (spec.kind === 'download') {
        await discardDownload(spec);
        spec.pathResolved = false;
        spec.tempPath = null;
        record.localPath = pathInside(spec.targetDir, spec.segments) ?? spec.targetDir;
        return null;
      }
      if (spec.multipart) {
        const aborted = await abortQuietly(
          await clientFor(record.accountId, record.bucket),
          record,
          spec.multipart.uploadId,
        );
        if (!aborted) {
          return 'What was sent could not be removed from the server: abort it under Unfinished uploads.';
        }
        spec.multipart = null;
      }
      // A retry settles the key again, as a new upload would.
      spec.keyResolved = false;
      record.key = spec.wantedKey;
      return null;
    },
    async settled(record, journaled) {
      claims.release(record.id);
      const spec = record.spec;
      // A download's temporary file linked at its final path goes once the journal says it finished.
      if (spec.kind === 'download' && spec.leftover !== undefined) {
        await journaled;
        await removeLeftover(spec);
        return true;
      }
      return false;
    },
    async batchSettled(batch, records) {
      // The spool is the app's own copy of what the browser sent: kept while something failed (to retry it).
      if (batch.spoolId && records.every((record) => record.state !== 'failed')) await spools.remove(batch.spoolId);
    },
  };

  const queue = createTransferQueue({
    bus: context.bus,
    logger: context.logger,
    journalFile: join(context.dataDir, 'transfers', 'journal.json'),
    settings: settingsStore.current,
    executor,
    timing: { stallMs: options.stallTimeoutMs ?? 60_000, backoff: options.backoff ?? defaultBackoff },
    before: settingsLoaded,
    roundTripMs: (record) => roundTripsByBucket.get(bucketKey(record.accountId, record.bucket))?.floor(),
    ...(options.tickMs !== undefined ? { tickMs: options.tickMs } : {}),
    ...(options.journalSpacingMs !== undefined ? { journalSpacingMs: options.journalSpacingMs } : {}),
    ...(options.notifyAfterMs !== undefined ? { notifyAfterMs: options.notifyAfterMs } : {}),
    ...(context.desktop ? { notify: (title: string, body: string) => context.desktop?.notify(title, body) } : {}),
  });
  queue.ready.catch((error: unknown) => context.logger.error('transfer journal not read', { error: String(error) }));
  // Temporary files of finished downloads the app died before removing (see removeLeftover).
  void queue.ready
    .then(async () => {
      for (const record of await queue.records()) {
        if (record.spec.kind === 'download' && record.spec.leftover !== undefined && record.state === 'finished') {
          await removeLeftover(record.spec);
        }
      }
    })
    .catch(() => undefined);

  /**
   * Deletes spools no transfer needs: those of batches that are done (a crash or a failed
   * delete can leave them after batchSettled), and those never queued within the stale time.
   * Kept: spools of batches with transfers still to run, paused, or failed (Retry reads them).
   */
  let sweeping: Promise<void> | undefined;
  const sweepSpools = (): Promise<void> => {
    sweeping ??= (async () => {
      const uses = new Map<string, SpoolUse>();
      for (const record of await queue.records()) {
        if (record.spec.kind !== 'upload' || !record.spec.spoolId) continue;
        const spoolId = record.spec.spoolId.toLowerCase();
        const done = record.state === 'finished' || record.state === 'skipped' || record.state === 'cancelled';
        if (!done) uses.set(spoolId, 'needed');
        else if (!uses.has(spoolId)) uses.set(spoolId, 'done');
      }
      const removed = await spools.sweep(uses);
      if (removed.length > 0) context.logger.info('spools removed', { count: removed.length });
    })()
      .catch((error: unknown) => context.logger.warn('spool sweep failed', { error: String(error) }))
      .finally(() => {
        sweeping = undefined;
      });
    return sweeping;
  };
  void queue.ready.then(sweepSpools, () => undefined);
  const sweepTimer = setInterval(() => void sweepSpools(), options.spoolSweepMs ?? SPOOL_SWEEP_MS);
  sweepTimer.unref();

  /** The OS Downloads folder: the downloads root unless the person chose another. */
  const osDownloadsDir = () => context.desktop?.downloadsDir() ?? join(homedir(), 'Downloads');

  /** The downloads root as a client sees it. */
  const downloadsRootFor = async (request: RequestContext): Promise<DownloadsRoot> => {
    await settingsLoaded;
    const chosen = settingsStore.downloadsRoot();
    return {
      path: chosen ?? osDownloadsDir(),
      chosen: chosen !== null,
      confined: request.host !== 'ipc',
      changeable: request.host === 'ipc' && context.desktop !== undefined,
    };
  };

  /**
   * Where a browser's download may go: the folder it named, with symbolic links resolved, if
   * that is inside the downloads root (also resolved); refused otherwise. A page holding the
   * token could otherwise replace ~/.profile or any file this user may write.
   */
  const confineToDownloadsRoot = async (targetDir: string): Promise<{ targetDir: string; confinedTo: string }> => {
    const root = (await downloadsRootFor({ host: 'ws' })).path;
    if (!isAbsolute(targetDir)) {
      throw new AppFailure('invalid-input', `Choose a folder by its full path, inside ${root}.`);
    }
    // The root may not exist yet (a server without ~/Downloads): the download makes it.
    const realRoot = await realPathAllowingMissing(root);
    const realTarget = await realPathAllowingMissing(targetDir);
    if (!isWithin(realRoot, realTarget)) {
      const through = realTarget !== resolve(targetDir) ? ` ("${targetDir}" leads to ${realTarget})` : '';
      throw new AppFailure(
        'invalid-input',
        `In web mode, downloads go only inside ${root}${through}. Choose a folder there; the desktop app's transfer settings can change it.`,
      );
    }
    return { targetDir: realTarget, confinedTo: realRoot };
  };

  /** Multipart upload ids the queue would resume (or owns) in a bucket. */
  const ownedUploads = async (accountId: string, bucket: string) => {
    const owned = new Map<string, string>();
    for (const record of await queue.records()) {
      if (
        (record.spec.kind === 'upload' || record.spec.kind === 'copy') &&
        record.spec.multipart &&
        record.accountId === accountId &&
        record.bucket === bucket
      ) {
        owned.set(record.spec.multipart.uploadId, record.id);
      }
    }
    return owned;
  };

  /**
   * Queues a download batch (the `transfers.download` channel, and drag-out's download to a
   * temporary folder); listing its folders stops once `signal` aborts (the asking client left).
   */
  async function queueDownload(
    {
      accountId,
      bucket,
      items,
      versionId,
      targetDir: wantedDir,
      onConflict,
      confined,
    }: {
      accountId: string;
      bucket: string;
      items: string[];
      versionId?: string | undefined;
      targetDir: string;
      onConflict: 'replace' | 'skip' | 'keep-both';
      /** Asked for by a browser: the folder must be inside the downloads root. */
      confined: boolean;
    },
    signal?: AbortSignal,
  ): Promise<{ batchId: string }> {
    if (versionId !== undefined && (items.length !== 1 || items[0]?.endsWith('/'))) {
      throw new AppFailure('invalid-input', 'A version can be downloaded only for one file at a time.');
    }
    const { targetDir, confinedTo } = confined
      ? await confineToDownloadsRoot(wantedDir)
      : { targetDir: wantedDir, confinedTo: undefined };
    // Whether the folder ignores case is asked while the bucket is listed (both wait on others).
    const foldsCase =
      options.foldCase ??
      (pathRules === 'win32' ||
        ignoresCase(targetDir).then(
          (answer) => answer ?? false,
          () => false,
        ));
    const client = await clientFor(accountId, bucket);
    const planned = await planDownload(client, bucket, items, signal);
    if (planned.length === 0)
      throw new AppFailure('invalid-input', 'There is nothing to download: the folder is empty.');
    // Many small files are written by a worker (a browser's downloads are written on the event
    // loop instead, each write checked where it lands).
    if (confinedTo === undefined) startFileWriter(planned.map((file) => file.size));
    const batchId = randomUUID();
    const foldCase = await foldsCase;
    const records = downloadRecords(
      planned,
      { batchId, accountId, bucket, targetDir, ...(confinedTo !== undefined ? { confinedTo } : {}) },
      { onConflict, ...(versionId ? { versionId } : {}) },
      { rules: pathRules, foldCase, ...(options.maxPath !== undefined ? { maxPath: options.maxPath } : {}) },
      new Date(),
    );
    await queue.add(
      {
        id: batchId,
        direction: 'download',
        accountId,
        bucket,
        destination: targetDir,
        startedAt: new Date().toISOString(),
        announced: false,
      },
      records,
    );
    return { batchId };
  }

  /**
   * Drag-out (Electron): the files are downloaded through the queue (so progress, retries and
   * checks are the same) into a temporary folder, then handed to the OS drag. A drag needs files
   * that exist, hence the size limit: a drag cannot wait for gigabytes.
   */
  async function dragOut(accountId: string, bucket: string, keys: string[]): Promise<{ files: number }> {
    const desktop = context.desktop;
    if (!desktop) {
      throw new AppFailure('not-supported', 'Dragging files out works in the desktop app. Use Download here.');
    }
    const folder = await mkdtemp(join(tmpdir(), 's3fm-drag-'));
    const ended = new Map<string, TransferBatchOutcome>();
    let waiting: { batchId: string; resolve: (outcome: TransferBatchOutcome) => void } | undefined;
    const unsubscribe = context.bus.onAny((channel, payload) => {
      if (channel !== 'transfers.batchFinished') return;
      const outcome = payload as TransferBatchOutcome;
      if (waiting?.batchId === outcome.batchId) waiting.resolve(outcome);
      else ended.set(outcome.batchId, outcome);
    });
    try {
      const { batchId } = await queueDownload({
        accountId,
        bucket,
        items: keys,
        targetDir: folder,
        onConflict: 'keep-both',
        confined: false,
      });
      const outcome =
        ended.get(batchId) ??
        (await new Promise<TransferBatchOutcome>((resolve) => {
          waiting = { batchId, resolve };
        }));
      const files = (await queue.list())
        .filter((t) => t.batchId === batchId && t.state === 'finished')
        .map((t) => t.localPath);
      if (files.length === 0) throw new AppFailure('network', outcome.summary);
      desktop.startDrag(files);
      return { files: files.length };
    } finally {
      unsubscribe();
    }
  }

  const queuePort: TransferQueuePort = {
    ready: queue.ready,
    async queueUploads({ accountId, bucket, destination, files }) {
      const batchId = randomUUID();
      const records = uploadRecords(
        files.map((file) => ({ ...file, folderMarker: false, skip: undefined })),
        { batchId, accountId, bucket },
        { onConflict: 'replace', options: uploadOptionsSchema.parse({}) },
        new Date(),
      );
      const batch = { id: batchId, direction: 'upload' as const, accountId, bucket, destination };
      await queue.add({ ...batch, startedAt: new Date().toISOString(), announced: false }, records);
      return batchId;
    },
    async queueDownloads({ accountId, bucket, targetDir, confinedTo, objects }) {
      const batchId = randomUUID();
      const foldCase =
        options.foldCase ?? (pathRules === 'win32' || ((await ignoresCase(targetDir).catch(() => undefined)) ?? false));
      const records = downloadRecords(
        objects,
        { batchId, accountId, bucket, targetDir, ...(confinedTo !== undefined ? { confinedTo } : {}) },
        { onConflict: 'replace' },
        { rules: pathRules, foldCase, ...(options.maxPath !== undefined ? { maxPath: options.maxPath } : {}) },
        new Date(),
      );
      const batch = { id: batchId, direction: 'download' as const, accountId, bucket, destination: targetDir };
      if (confinedTo === undefined) startFileWriter(objects.map((object) => object.size));
      await queue.add({ ...batch, startedAt: new Date().toISOString(), announced: false }, records);
      return batchId;
    },
    async batchStates(batchId) {
      return (await queue.records())
        .filter((record) => record.batchId === batchId)
        .map((record) => ({ key: record.key, state: record.state }));
    },
    confineToDownloadsRoot,
  };

  return {
    spool: spools,
    queuePort,
    dispose: async () => {
      clearInterval(sweepTimer);
      await queue.dispose();
      await sweeping;
      clearTimeout(changedTimer);
    },
    handlers: {
      'transfers.list': () => queue.list(),
      'transfers.openSpool': async () => ({ spoolId: await spools.open() }),
      'transfers.uploadConflicts': async ({ accountId, bucket, prefix, source }, request) => {
        refuseLocalPathsFromBrowser(source, request);
        const planned = (await planUpload(source, prefix, spools)).filter((item) => !item.skip);
        const client = await clientFor(accountId, bucket);
        const found = await mapLimited(planned, HEAD_CONCURRENCY, (item) => keyExists(client, bucket, item.key));
        return { existing: planned.filter((_, i) => found[i]).map((item) => item.key), total: planned.length };
      },
      'transfers.upload': async (
        { accountId, bucket, prefix, source, onConflict, options: uploadOptions },
        request,
      ) => {
        refuseLocalPathsFromBrowser(source, request);
        const account = await context.accounts.settingsOf(accountId);
        // Said before anything is queued (the client would refuse each request alike, file by file).
        if (uploadOptions.encryption.mode === 'SSE-C' && account.endpoint.startsWith('http://')) {
          throw new AppFailure('not-supported', customerKeyOverHttpMessage(account.endpoint));
        }
        const unavailable = whyOptionsUnavailable(
          await context.capabilities.forBucket(accountId, bucket),
          uploadOptions,
        );
        if (unavailable) throw new AppFailure('not-supported', unavailable);
        if (
          uploadOptions.encryption.mode === 'SSE-C' &&
          !(await context.customerKeys.get(accountId).catch(() => undefined))
        ) {
          throw new AppFailure(
            'invalid-input',
            'No customer key (SSE-C) is stored for this account. Add one in the account settings, or choose another encryption.',
          );
        }
        const planned = await planUpload(source, prefix, spools);
        const batchId = randomUUID();
        const spoolId = source.kind === 'spool' ? source.spoolId : undefined;
        if (spoolId) spools.seal(spoolId);
        const records = uploadRecords(
          planned,
          { batchId, accountId, bucket, ...(spoolId ? { spoolId } : {}) },
          { onConflict, options: uploadOptions },
          new Date(),
        );
        warmPartReader(planned.map((file) => file.size));
        await queue.add(
          {
            id: batchId,
            direction: 'upload',
            accountId,
            bucket,
            destination: `${bucket}/${folderPrefix(prefix)}`,
            ...(spoolId ? { spoolId } : {}),
            startedAt: new Date().toISOString(),
            announced: false,
          },
          records,
        );
        return { batchId, count: records.length };
      },
      // Only the desktop app's own window (IPC) may name any folder; a browser stays in the downloads root.
      'transfers.download': (input, request) =>
        queueDownload({ ...input, confined: request.host !== 'ipc' }, request.signal),
      'transfers.dragOut': ({ accountId, bucket, keys }) => dragOut(accountId, bucket, keys),
      'transfers.copyAcross': async ({ mode, source, target, onConflict }, request) => {
        const [sourceAccount] = await Promise.all([
          context.accounts.settingsOf(source.accountId),
          context.accounts.settingsOf(target.accountId),
        ]);
        if (source.accountId === target.accountId) {
          throw new AppFailure(
            'invalid-input',
            'Choose another account: within one account, Copy to and Move to copy on the server, without the bytes passing through the app.',
          );
        }
        const planned = await planDownload(
          await clientFor(source.accountId, source.bucket),
          source.bucket,
          source.items,
          request.signal,
        );
        if (planned.length === 0)
          throw new AppFailure('invalid-input', 'There is nothing to copy: the folder is empty.');
        const batchId = randomUUID();
        const records = copyAcrossRecords(
          planned,
          {
            batchId,
            mode,
            source: { accountId: source.accountId, accountName: sourceAccount.name, bucket: source.bucket },
            target,
            onConflict,
          },
          new Date(),
        );
        await queue.add(
          {
            id: batchId,
            direction: 'copy',
            accountId: target.accountId,
            bucket: target.bucket,
            destination: `${target.bucket}/${folderPrefix(target.prefix)}`,
            ...(mode === 'move' ? { move: true } : {}),
            startedAt: new Date().toISOString(),
            announced: false,
          },
          records,
        );
        return { batchId, count: records.length };
      },
      'transfers.pause': async ({ ids }) => ({ paused: await queue.pause(ids) }),
      'transfers.resume': async ({ ids }) => ({ resumed: await queue.resume(ids) }),
      'transfers.cancel': async ({ ids }) => ({ cancelled: await queue.cancel(ids) }),
      'transfers.retry': async ({ ids }) => ({ retried: await queue.retry(ids) }),
      'transfers.clearFinished': async () => ({ cleared: await queue.clearFinished() }),
      'transfers.reveal': async ({ id }) => {
        const record = await queue.find(id);
        if (!record) throw new AppFailure('invalid-input', 'That transfer is not in the list any more.');
        if (!context.desktop) return { revealed: false };
        if (record.direction === 'copy') return { revealed: false };
        // An unfinished download has no file yet: show its folder.
        const path =
          record.direction === 'download' && record.state !== 'finished' ? dirname(record.localPath) : record.localPath;
        context.desktop.reveal(path);
        return { revealed: true };
      },
      // The desktop app starts in the OS Downloads folder; a browser in the root it must stay in.
      'transfers.defaultDownloadDir': async (_input, request) => ({
        path: request.host === 'ipc' ? osDownloadsDir() : (await downloadsRootFor(request)).path,
      }),
      'transfers.downloadsRoot': async (_input, request) => downloadsRootFor(request),
      'transfers.chooseDownloadsRoot': async ({ reset }, request) => {
        // Only the person at the desktop app sets where a browser may write, never the browser.
        if (request.host !== 'ipc') {
          throw new AppFailure(
            'not-supported',
            'The downloads folder of web mode can be changed only in the desktop app, with its folder picker.',
          );
        }
        await settingsLoaded;
        if (reset) {
          await settingsStore.saveDownloadsRoot(null);
        } else {
          if (!context.desktop) {
            throw new AppFailure('not-supported', 'Choosing the downloads folder needs the desktop app.');
          }
          const picked = await context.desktop.chooseFolder('Choose the folder web mode may download to');
          if (picked !== null) await settingsStore.saveDownloadsRoot(resolve(picked));
        }
        return downloadsRootFor(request);
      },
      'transfers.chooseFolder': async () => {
        if (!context.desktop) return { path: null, supported: false };
        return { path: await context.desktop.chooseFolder('Choose a folder to download to'), supported: true };
      },
      'transfers.settings': async () => {
        await settingsLoaded;
        return settingsStore.current();
      },
      'transfers.saveSettings': async ({ settings }) => {
        await settingsLoaded;
        const saved = await settingsStore.save(settings);
        // More files at once may start queued ones now.
        await queue.kick();
        return saved;
      },
      'transfers.orphanedUploads': async ({ accountId, bucket }, request) => {
        const client = await clientFor(accountId, bucket);
        const owned = await ownedUploads(accountId, bucket);
        const found: OrphanedUpload[] = [];
        const pages = boundedPages<MultipartUpload, { KeyMarker: string; UploadIdMarker?: string }>(
          async (marker) => {
            const page = await client.send(
              new ListMultipartUploadsCommand({ Bucket: bucket, ...marker }),
              request.signal ? { abortSignal: request.signal } : {},
            );
            const next = page.NextKeyMarker
              ? {
                  KeyMarker: page.NextKeyMarker,
                  ...(page.NextUploadIdMarker ? { UploadIdMarker: page.NextUploadIdMarker } : {}),
                }
              : undefined;
            return { items: page.Uploads ?? [], truncated: page.IsTruncated === true, next };
          },
          {
            what: `list of unfinished uploads in ${bucket}`,
            ...(request.signal ? { signal: request.signal } : {}),
            onCancel: 'throw',
          },
        );
        try {
          for await (const uploads of pages) {
            for (const upload of uploads) {
              if (!upload.Key || !upload.UploadId) continue;
              found.push({
                key: upload.Key,
                uploadId: upload.UploadId,
                initiated: upload.Initiated?.toISOString() ?? null,
                ownedByQueue: owned.has(upload.UploadId),
              });
            }
            // Enough to show; the person aborts these, then looks again.
            if (found.length >= 10_000) break;
          }
        } catch (error) {
          if (await context.capabilities.lacks(accountId, bucket, 'listMultipartUploads', error)) {
            throw new AppFailure(
              'not-supported',
              'This service cannot list unfinished uploads (no ListMultipartUploads), so they cannot be shown here.',
            );
          }
          throw error;
        }
        return found;
      },
      'transfers.abortOrphaned': async ({ accountId, bucket, uploads }) => {
        const client = await clientFor(accountId, bucket);
        const owned = await ownedUploads(accountId, bucket);
        let aborted = 0;
        for (const upload of uploads) {
          const transferId = owned.get(upload.uploadId);
          if (transferId) {
            // The queue's own: cancelling the transfer aborts it, and the panel says so.
            aborted += await queue.cancel([transferId]);
            continue;
          }
          try {
            await client.send(
              new AbortMultipartUploadCommand({ Bucket: bucket, Key: upload.key, UploadId: upload.uploadId }),
            );
            aborted += 1;
          } catch (error) {
            if (!isNotFound(error) && (error as { name?: unknown }).name !== 'NoSuchUpload') throw error;
          }
        }
        return { aborted };
      },
    },
  };
}

/**
 * A browser (web mode) sends files' bytes through a spool, never paths: a page holding the
 * token must not make the app upload files of this machine it was never given.
 */
function refuseLocalPathsFromBrowser(source: UploadSource, request: RequestContext): void {
  if (source.kind === 'paths' && request.host === 'ws') {
    throw new AppFailure(
      'invalid-input',
      'In web mode the browser sends the files themselves: drop them on the list or use Upload.',
    );
  }
}
