/**
 * Copies one object between two accounts through the app's real transfer queue (the services
 * and the hosts' dispatch, as the UI's `transfers.copyAcross` goes), in a process of its own so
 * that cross-account-rss.ts reads this copy's peak memory alone.
 *
 * Input: BENCH_CROSS_ACCOUNT (JSON, {@link CrossAccountJob}).
 * Output: one JSON line on stdout ({@link CrossAccountResult}).
 */
import type { TransferSnapshot } from '../../src/shared/transfers';
import { defaultBackoff } from '../../src/main/services/transfers/retry-policy';
import { startTransferServices } from '../../test/transfer-services';

/** One server's address and keys. */
export interface BenchServer {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** What the child copies: one key from the source server's bucket into the target server's. */
export interface CrossAccountJob {
  source: BenchServer & { bucket: string; key: string };
  target: BenchServer & { bucket: string; prefix: string };
  timeoutMs: number;
}

/** What the child reports. */
export interface CrossAccountResult {
  ms: number;
  /** Resident memory after start-up, before the copy. */
  rssBeforeBytes: number;
  /** The process's peak resident memory (getrusage maxRSS), at the end. */
  peakRssBytes: number;
  /** The finished transfer as the panel saw it. */
  transfer: TransferSnapshot | undefined;
}

async function main(): Promise<void> {
  const job = JSON.parse(process.env.BENCH_CROSS_ACCOUNT ?? 'null') as CrossAccountJob | null;
  if (!job) throw new Error('BENCH_CROSS_ACCOUNT is not set');
  // The app's own timing and default transfer settings, as a fresh install runs.
  const transfers = await startTransferServices({
    endpoint: job.source.endpoint,
    accessKeyId: job.source.accessKeyId,
    secretAccessKey: job.source.secretAccessKey,
    tuning: { stallTimeoutMs: 60_000, backoff: defaultBackoff, tickMs: 100 },
    otherAccounts: [{ id: 'target', name: 'Target', ...job.target }],
  });
  // The harness keeps every event for tests; the app keeps none.
  transfers.bus.onAny(() => {
    transfers.events.length = 0;
  });
  try {
    const rssBeforeBytes = process.memoryUsage().rss;
    // Where the peak goes (heap, array buffers, the rest), printed with BENCH_DEBUG=1.
    let peak = process.memoryUsage();
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      if (now.rss > peak.rss) peak = now;
    }, 50);
    const started = performance.now();
    const { batchId } = await transfers.callRaw<{ batchId: string }>('transfers.copyAcross', {
      mode: 'copy',
      source: { accountId: 'launch', bucket: job.source.bucket, items: [job.source.key] },
      target: { accountId: 'target', bucket: job.target.bucket, prefix: job.target.prefix },
      onConflict: 'replace',
    });
    const outcome = await transfers.batchFinished(batchId, job.timeoutMs);
    const ms = performance.now() - started;
    clearInterval(sampler);
    if (process.env.BENCH_DEBUG) console.error(JSON.stringify(peak));
    if (outcome.finished !== 1) throw new Error(`the copy did not finish: ${outcome.summary}`);
    const result: CrossAccountResult = {
      ms,
      rssBeforeBytes,
      // maxRSS is in KiB.
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      transfer: transfers.batchSnapshots(batchId)[0],
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
