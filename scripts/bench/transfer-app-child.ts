/**
 * Moves files through the app's real transfer queue (createTransferServices and the hosts'
 * dispatch, as the UI's requests go), with the settings it is given. Run as its own process by
 * transfer-bench.ts so that its peak memory is the app's own.
 *
 * Input: BENCH_TRANSFER (JSON, {@link AppTransferJob}).
 * Output: one JSON line on stdout ({@link AppTransferResult}).
 */
import { basename } from 'node:path';
import type { TransferBatchOutcome, TransferSettings } from '../../src/shared/transfers';
import { defaultBackoff } from '../../src/main/services/transfers/retry-policy';
import { startTransferServices } from '../../test/transfer-services';

/** One job for the child: a file up then down, or a folder up. */
export type AppTransferJob = {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  bucket: string;
  /** Where the upload goes, ending in '/'. */
  prefix: string;
  settings: TransferSettings;
} & (
  | { kind: 'file'; file: string; /** An empty folder to download the uploaded file into. */ downloadDir: string }
  | { kind: 'folder'; folder: string }
);

/** What the child reports. */
export interface AppTransferResult {
  /** From the upload request to its batch's end. */
  uploadMs: number;
  /** From the download request to its batch's end; null for a folder job. */
  downloadMs: number | null;
  /** Files the upload queued. */
  files: number;
  /** Resident memory after start-up, before the first transfer. */
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
    await transfers.callRaw('transfers.saveSettings', { settings: job.settings });
    const rssBeforeBytes = process.memoryUsage().rss;

    const upStarted = performance.now();
    const upload = await transfers.call<{ batchId: string; count: number }>('transfers.upload', {
      bucket: job.bucket,
      prefix: job.prefix,
      source: { kind: 'paths', paths: [job.kind === 'file' ? job.file : job.folder] },
      onConflict: 'replace',
    });
    finishedCleanly(await transfers.batchFinished(upload.batchId, 600_000), 'the upload');
    const uploadMs = performance.now() - upStarted;

    let downloadMs: number | null = null;
    if (job.kind === 'file') {
      const downStarted = performance.now();
      const download = await transfers.call<{ batchId: string }>('transfers.download', {
        bucket: job.bucket,
        items: [`${job.prefix}${basename(job.file)}`],
        targetDir: job.downloadDir,
      });
      finishedCleanly(await transfers.batchFinished(download.batchId, 600_000), 'the download');
      downloadMs = performance.now() - downStarted;
    }

    const result: AppTransferResult = {
      uploadMs,
      downloadMs,
      files: upload.count,
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
