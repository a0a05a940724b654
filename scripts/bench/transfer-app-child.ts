/**
 * Moves files through the app's real transfer queue (createTransferServices and the hosts'
 * dispatch, as the UI's `transfers.upload` and `transfers.download` requests go): one upload
 * or one download per process, so that transfer-bench.ts reads each one's peak memory on its
 * own. With no settings in the job it runs at the app's defaults, as a fresh install does.
 *
 * Input: BENCH_TRANSFER (JSON, {@link AppTransferJob}).
 * Output: one JSON line on stdout ({@link AppTransferResult}).
 */
import type { TransferBatchOutcome, TransferSettings } from '../../src/shared/transfers';
import { defaultBackoff } from '../../src/main/services/transfers/retry-policy';
import { startTransferServices } from '../../test/transfer-services';

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
} & (
  | { kind: 'upload'; /** Local files and folders. */ paths: string[]; /** Ending in '/'. */ prefix: string }
  | { kind: 'download'; /** Keys of files, or of folders (ending in '/'). */ items: string[]; targetDir: string }
);

/** What the child reports. */
export interface AppTransferResult {
  /** From the request to its batch's end. */
  ms: number;
  /** Files the batch finished. */
  files: number;
  /** The settings the queue ran with (read back from the app). */
  settings: TransferSettings;
  /** Resident memory after start-up, before the transfer. */
  rssBeforeBytes: number;
  /** The process's peak resident memory, at the end. */
  peakRssBytes: number;
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
  });
  try {
    if (job.settings) await transfers.callRaw('transfers.saveSettings', { settings: job.settings });
    const settings = await transfers.callRaw<TransferSettings>('transfers.settings', {});
    const rssBeforeBytes = process.memoryUsage().rss;

    const started = performance.now();
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
    const outcome = await transfers.batchFinished(batchId, job.timeoutMs);
    const ms = performance.now() - started;
    finishedCleanly(outcome, `the ${job.kind}`);

    const result: AppTransferResult = {
      ms,
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
