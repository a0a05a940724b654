/**
 * Starts the transfer services with two accounts in a separate Node process and queues one copy
 * between them, then keeps running until it is killed: the copy test kills it with SIGKILL in
 * the middle, as a crash would, and starts the services again over the same data folder.
 * Prints one JSON line `{ "batchId": … }` once the copy is queued.
 *
 * Usage: node --import tsx test/copy-across-child.ts '<json: ChildCopy>'
 */
import { startTransferServices } from './transfer-services';

/** One server's address and keys, and the bucket used there. */
interface ChildEnd {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  bucket: string;
}

/** What the child copies: `items` of the source bucket into `prefix` of the target bucket. */
export interface ChildCopy {
  dataDir: string;
  source: ChildEnd & { items: string[] };
  target: ChildEnd & { prefix: string };
  settings: Record<string, number>;
}

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2] ?? '{}') as ChildCopy;
  const transfers = await startTransferServices({
    endpoint: request.source.endpoint,
    accessKeyId: request.source.accessKeyId,
    secretAccessKey: request.source.secretAccessKey,
    dataDir: request.dataDir,
    otherAccounts: [{ id: 'other', name: 'Target', ...request.target }],
  });
  await transfers.callRaw('transfers.saveSettings', { settings: request.settings });
  const { batchId } = await transfers.callRaw<{ batchId: string }>('transfers.copyAcross', {
    mode: 'copy',
    source: { accountId: 'launch', bucket: request.source.bucket, items: request.source.items },
    target: { accountId: 'other', bucket: request.target.bucket, prefix: request.target.prefix },
  });
  process.stdout.write(`${JSON.stringify({ batchId })}\n`);
  // Keep running: the parent kills this process mid-copy.
  setInterval(() => undefined, 60_000);
}

void main();
