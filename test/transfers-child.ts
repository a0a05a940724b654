/**
 * Starts the transfer services in a separate Node process and queues one upload, then keeps
 * running until it is killed: the resume test kills it with SIGKILL in the middle of a
 * multipart upload, as a crash would, and starts the services again over the same data folder.
 * Prints one JSON line `{ "batchId": … }` once the upload is queued.
 *
 * Usage: node --import tsx test/transfers-child.ts '<json: ChildUpload>'
 */
import type { AccountSettings } from '../src/shared/accounts';
import { startTransferServices } from './transfer-services';

/** What the child is asked to upload, and where. */
export interface ChildUpload {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  dataDir: string;
  bucket: string;
  prefix: string;
  paths: string[];
  settings: Record<string, number>;
  /** The account's provider preset (its capabilities decide the checksum), "other" by default. */
  provider?: AccountSettings['provider'];
  /** Whether uploads act as over TLS (a CRC32 checksum; see UploadDependencies.overTls). */
  overTls?: boolean;
}

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2] ?? '{}') as ChildUpload;
  const transfers = await startTransferServices({
    endpoint: request.endpoint,
    accessKeyId: request.accessKeyId,
    secretAccessKey: request.secretAccessKey,
    dataDir: request.dataDir,
    ...(request.provider ? { account: { provider: request.provider } } : {}),
    ...(request.overTls ? { tuning: { overTls: async () => true } } : {}),
  });
  await transfers.callRaw('transfers.saveSettings', { settings: request.settings });
  const { batchId } = await transfers.call<{ batchId: string }>('transfers.upload', {
    bucket: request.bucket,
    prefix: request.prefix,
    source: { kind: 'paths', paths: request.paths },
    onConflict: 'replace',
  });
  process.stdout.write(`${JSON.stringify({ batchId })}\n`);
  // Keep running: the parent kills this process mid-upload.
  setInterval(() => undefined, 60_000);
}

void main();
