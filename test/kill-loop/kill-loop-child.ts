/**
 * The main process of the kill loop (kill-loop.int.test.ts): the app's services in a Node
 * process of their own, over a data folder that outlives it. The first run queues a mixed batch
 * (uploads, downloads) and starts a move; every run after a SIGKILL starts the services again,
 * whose journal resumes the transfers. Moves are operations, which the app does not journal: a
 * run that finds sources of the move still in place moves them again, as a person would, with
 * "replace" (the copy that may already be there is theirs).
 *
 * Prints JSON lines: `{ "event": "ready", … }` once the services run and the work is queued or
 * resumed, `{ "event": "done", … }` once every transfer finished and every source was moved.
 *
 * Usage: node --import tsx test/kill-loop/kill-loop-child.ts '<json: KillLoopChildRequest>'
 */
import type { TransferSnapshot } from '../../src/shared/transfers';
import type { ListingPage } from '../../src/shared/objects';
import type { TransferServiceOptions } from '../../src/main/services/transfers/transfer-handlers';
import { startAppServices } from '../app-services';

/** What the child is asked to do. */
export interface KillLoopChildRequest {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  dataDir: string;
  bucket: string;
  /** Queue the batch (the first run); later runs only resume. */
  queue: boolean;
  /** Each part of the batch may be left out (a test of one kind of transfer). */
  uploads?: { paths: string[]; prefix: string };
  downloads?: { items: string[]; targetDir: string };
  moves?: { sourcePrefix: string; targetPrefix: string };
  /** The batches the first run queued, for the runs after it. */
  batchIds?: string[];
  settings: Record<string, number>;
  /** Overrides of the transfer services' timing (a test that needs a wide window). */
  tuning?: TransferServiceOptions;
}

function say(line: object): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2] ?? '{}') as KillLoopChildRequest;
  const app = await startAppServices({
    endpoint: request.endpoint,
    accessKeyId: request.accessKeyId,
    secretAccessKey: request.secretAccessKey,
    dataDir: request.dataDir,
    transferTuning: {
      stallTimeoutMs: 5_000,
      backoff: { baseMs: 100, capMs: 1_000 },
      tickMs: 50,
      ...request.tuning,
    },
  });
  const batchIds = [...(request.batchIds ?? [])];
  if (request.queue) {
    await app.callRaw('transfers.saveSettings', { settings: request.settings });
    if (request.uploads) {
      const up = await app.call<{ batchId: string }>('transfers.upload', {
        bucket: request.bucket,
        prefix: request.uploads.prefix,
        source: { kind: 'paths', paths: request.uploads.paths },
        onConflict: 'keep-both',
      });
      batchIds.push(up.batchId);
    }
    if (request.downloads) {
      const down = await app.call<{ batchId: string }>('transfers.download', {
        bucket: request.bucket,
        items: request.downloads.items,
        targetDir: request.downloads.targetDir,
        onConflict: 'keep-both',
      });
      batchIds.push(down.batchId);
    }
  }

  /** The move's sources still in place, as the file list shows them. */
  const moves = request.moves;
  const sourcesLeft = async (): Promise<string[]> => {
    if (!moves) return [];
    const page = await app.call<ListingPage>('objects.list', {
      bucket: request.bucket,
      prefix: moves.sourcePrefix,
      recursive: true,
    });
    return page.files.map((file) => file.key);
  };
  let moving: string | undefined;
  let movesStarted = 0;
  const moveWhatIsLeft = async (): Promise<number> => {
    const left = await sourcesLeft();
    if (!moves || left.length === 0) return 0;
    const { operationId } = await app.call<{ operationId: string }>('objects.transfer', {
      mode: 'move',
      sourceBucket: request.bucket,
      items: left,
      targetBucket: request.bucket,
      targetPrefix: moves.targetPrefix,
      onConflict: 'replace',
    });
    moving = operationId;
    movesStarted += 1;
    return left.length;
  };
  const movingNow = await moveWhatIsLeft();
  say({ event: 'ready', batchIds, moving: movingNow });

  let retriedByHand = 0;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const transfers = (await app.callRaw<TransferSnapshot[]>('transfers.list', {})).filter((transfer) =>
      batchIds.includes(transfer.batchId),
    );
    const failed = transfers.filter((transfer) => transfer.state === 'failed');
    if (failed.length > 0) {
      say({ event: 'failed', transfers: failed.map((t) => ({ name: t.name, error: t.error })) });
      const { retried } = await app.callRaw<{ retried: number }>('transfers.retry', { ids: failed.map((t) => t.id) });
      retriedByHand += retried;
    }
    if (moving !== undefined) {
      const outcome = app.outcomes.get(moving);
      if (outcome) {
        moving = undefined;
        if (outcome.state !== 'finished') say({ event: 'move-again', summary: outcome.summary });
        await moveWhatIsLeft();
      }
    }
    const allFinished = transfers.length > 0 && transfers.every((transfer) => transfer.state === 'finished');
    if (allFinished && moving === undefined && (await sourcesLeft()).length === 0) {
      say({ event: 'done', transfers: transfers.length, retriedByHand, movesStarted });
      await app.dispose();
      return;
    }
  }
}

main().catch((error: unknown) => {
  say({ event: 'error', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
