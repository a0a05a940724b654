/**
 * Moves files through the app's real transfer queue (createTransferServices and the hosts'
 * dispatch, as the UI's `transfers.upload` and `transfers.download` requests go): one upload
 * or one download per process, so that transfer-bench.ts reads each one's peak memory on its
 * own. With no settings in the job it runs at the app's defaults, as a fresh install does.
 *
 * Input: BENCH_TRANSFER (JSON, {@link AppTransferJob}).
 * Output: one JSON line on stdout ({@link AppTransferResult}).
 */
import type { AccountSettings } from '../../src/shared/accounts';
import type { TransferBatchOutcome, TransferSettings } from '../../src/shared/transfers';
import { defaultBackoff } from '../../src/main/services/transfers/retry-policy';
import { startTransferServices, type TestTransferServices } from '../../test/transfer-services';

/** A batch with no change for this long is stuck: the job fails, saying where each transfer stood. */
const STUCK_MS = 120_000;

/** One job for the child: files or folders up under a prefix, or keys (files, or folders ending in '/') down. */
export type AppTransferJob = {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  bucket: string;
  /** Settings to save first (the `--grid`); null: the app's defaults, untouched. */
  settings: TransferSettings | null;
  /** How long the batch may take. */
  timeoutMs: number;
  /** The account's provider preset ("minio" unless said). */
  provider?: AccountSettings['provider'];
  /** A CA file the account trusts (the server's self-signed certificate, `--tls`). */
  caFile?: string;
} & (
  | { kind: 'upload'; /** Local files and folders. */ paths: string[]; /** Ending in '/'. */ prefix: string }
  | { kind: 'download'; /** Keys of files, or of folders (ending in '/'). */ items: string[]; targetDir: string }
);

/** What the child reports. */
export interface AppTransferResult {
  /** From the request to its batch's end. */
  ms: number;
  /** The process's CPU time (user and system, every thread: workers and the thread pool too) over the same span. */
  cpuMs: number;
  /** The user part of cpuMs. */
  userCpuMs: number;
  /** Files the batch finished. */
  files: number;
  /** The settings the queue ran with (read back from the app). */
  settings: TransferSettings;
  /** Resident memory after start-up, before the transfer. */
  rssBeforeBytes: number;
  /** The process's peak resident memory, at the end. */
  peakRssBytes: number;
}

/**
 * Waits for the batch's end; fails after `timeoutMs`, or sooner when nothing in it changed for
 * {@link STUCK_MS}, with how many transfers are in each state and the first unfinished ones.
 */
async function batchEnd(
  transfers: TestTransferServices,
  batchId: string,
  timeoutMs: number,
  lastChange: () => number,
): Promise<TransferBatchOutcome> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const outcome = transfers.batches.find((batch) => batch.batchId === batchId);
    if (outcome) return outcome;
    const stuck = Date.now() - lastChange() > STUCK_MS;
    if (stuck || Date.now() > deadline) {
      const snapshots = transfers.batchSnapshots(batchId);
      const states = new Map<string, number>();
      for (const snapshot of snapshots) states.set(snapshot.state, (states.get(snapshot.state) ?? 0) + 1);
      const open = snapshots
        .filter((snapshot) => !['finished', 'skipped', 'failed', 'cancelled'].includes(snapshot.state))
        .slice(0, 3)
        .map((s) => `${s.name} ${s.state} ${s.bytesDone}/${s.bytesTotal ?? '?'} bytes`);
      throw new Error(
        `${stuck ? `the batch is stuck: nothing changed for ${STUCK_MS / 1000} s` : 'the batch timed out'}; ` +
          `states: ${[...states].map(([state, n]) => `${n} ${state}`).join(', ') || 'none seen'}` +
          (open.length > 0
            ? `; unfinished: ${open.join('; ')}`
            : '; no transfer unfinished, but no batchFinished event'),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function finishedCleanly(outcome: TransferBatchOutcome, what: string): void {
  if (outcome.failed > 0 || outcome.cancelled > 0 || outcome.skipped > 0) {
    throw new Error(`${what} did not finish cleanly: ${outcome.summary}`);
  }
}

async function main(): Promise<void> {
  const job = JSON.parse(process.env.BENCH_TRANSFER ?? 'null') as AppTransferJob | null;
  if (!job) throw new Error('BENCH_TRANSFER is not set');
  // The app's own timing (not the tests' short stall timeout and 50 ms snapshots).
  const transfers = await startTransferServices({
    endpoint: job.endpoint,
    accessKeyId: job.accessKeyId,
    secretAccessKey: job.secretAccessKey,
    tuning: { stallTimeoutMs: 60_000, backoff: defaultBackoff, tickMs: 100 },
    // The account as a person adds a MinIO server: with its preset (what MinIO is known to do,
    // such as taking SHA-256 checksums, so that no MD5 is computed), not as an unknown service.
    account: { provider: job.provider ?? 'minio', ...(job.caFile ? { caCertFile: job.caFile } : {}) },
  });
  // The harness keeps every event for tests; the app keeps none: drop them as they come, so
  // that a batch of 5,000 files does not add their history to the measured memory.
  let lastChange = Date.now();
  // When each batch's end was announced: the time stops there, not at the next look of batchEnd's poll.
  const finishedAt = new Map<string, number>();
  transfers.bus.onAny((channel, payload) => {
    if (channel === 'transfers.batchFinished')
      finishedAt.set((payload as TransferBatchOutcome).batchId, performance.now());
    transfers.events.length = 0;
    lastChange = Date.now();
  });
  try {
    if (job.settings) await transfers.callRaw('transfers.saveSettings', { settings: job.settings });
    const settings = await transfers.callRaw<TransferSettings>('transfers.settings', {});
    // As in the app, the bucket is open before files are dropped on it: the file list has asked
    // for its capabilities (the probes, through the bucket's client), so that one-time work of a
    // session is not timed as part of every transfer. The process's start is not timed either.
    await transfers.capabilities.forBucket('launch', job.bucket);
    const rssBeforeBytes = process.memoryUsage().rss;

    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const { batchId } =
      job.kind === 'upload'
        ? await transfers.call<{ batchId: string }>('transfers.upload', {
            bucket: job.bucket,
            prefix: job.prefix,
            source: { kind: 'paths', paths: job.paths },
            onConflict: 'replace',
          })
        : await transfers.call<{ batchId: string }>('transfers.download', {
            bucket: job.bucket,
            items: job.items,
            targetDir: job.targetDir,
          });
    const outcome = await batchEnd(transfers, batchId, job.timeoutMs, () => lastChange);
    const ms = (finishedAt.get(batchId) ?? performance.now()) - started;
    const cpu = process.cpuUsage(cpuBefore);
    finishedCleanly(outcome, `the ${job.kind}`);

    const result: AppTransferResult = {
      ms,
      cpuMs: (cpu.user + cpu.system) / 1000,
      userCpuMs: cpu.user / 1000,
      files: outcome.finished,
      settings,
      rssBeforeBytes,
      // maxRSS is in KiB.
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await transfers.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
