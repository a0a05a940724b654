/**
 * The app as the compatibility suite drives it: the real services for one account on a
 * target (test/app-services.ts, called through the hosts' `dispatch` as the desktop's IPC
 * host calls it), with the target's provider preset, and a direct client for set-up and for
 * checking what landed in the bucket.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AccountSettings } from '../../src/shared/accounts';
import type { OperationOutcome } from '../../src/shared/operations';
import type { TransferBatchOutcome, TransferSnapshot } from '../../src/shared/transfers';
import type { Services } from '../../src/main/services/create-services';
import { AppCallError, startAppServices, waitFor } from '../app-services';
import { emptyAndDeleteBucket, s3ClientFor } from '../s3-fixtures';
import type { CompatibilityTarget } from './targets';

export { waitFor };

/** An error result of a request, kept as data so a journey can tell "not supported" from a failure. */
export const AppErrorResult = AppCallError;

/** The app connected to one target, and what a journey needs around it. */
export interface AppOnTarget {
  target: CompatibilityTarget;
  services: Services;
  /** A client straight to the server beneath (never through a profile). */
  direct: S3Client;
  /** A folder for this target's local files, removed at the end. */
  work: string;
  /** Sends a request for the account; resolves with its value or rejects with an AppErrorResult. */
  call<T>(channel: string, input: object): Promise<T>;
  /** Sends a request that names no account (settings, pause, resume). */
  global<T>(channel: string, input: object): Promise<T>;
  /** Starts a long operation and resolves with its outcome. */
  operation(channel: string, input: object): Promise<OperationOutcome>;
  /** Queues a transfer batch and resolves with its outcome and its transfers' last snapshots. */
  batch(
    channel: 'transfers.upload' | 'transfers.download',
    input: object,
    during?: (batchId: string) => Promise<void>,
  ): Promise<{ outcome: TransferBatchOutcome; transfers: TransferSnapshot[] }>;
  /** The latest snapshot of every transfer seen. */
  snapshots: Map<string, TransferSnapshot>;
  /** A new bucket, made directly on the server, emptied and deleted at the end. */
  bucket(): Promise<string>;
  close(): Promise<void>;
}

/** Connects the app to a target, as a person would with the target's provider preset. */
export async function connectApp(
  target: CompatibilityTarget,
  overrides: Partial<AccountSettings> = {},
): Promise<AppOnTarget> {
  const work = await mkdtemp(join(tmpdir(), `s3fm-compat-${target.id}-`));
  const app = await startAppServices({
    endpoint: target.app.endpoint,
    accessKeyId: target.app.accessKeyId,
    secretAccessKey: target.app.secretAccessKey,
    dataDir: join(work, 'data'),
    account: { name: target.label, provider: target.provider, region: target.app.region, ...overrides },
  });
  const direct = s3ClientFor(target.direct);
  const buckets: string[] = [];
  return {
    target,
    services: app.services,
    direct,
    work,
    call: (channel, input) => app.call(channel, input),
    global: (channel, input) => app.callRaw(channel, input),
    snapshots: app.snapshots,
    operation: (channel, input) => app.operation(channel, input),
    async batch(channel, input, during) {
      const { batchId } = await app.call<{ batchId: string }>(channel, input);
      if (during) await during(batchId);
      const outcome = await app.batchFinished(batchId, 180_000);
      // The last snapshots come with the tick after the batch's end.
      await new Promise((resolve) => setTimeout(resolve, 150));
      const transfers = (await app.callRaw<TransferSnapshot[]>('transfers.list', {})).filter(
        (t) => t.batchId === batchId,
      );
      return { outcome, transfers };
    },
    async bucket() {
      const name = `c-${target.id.replace(/[^a-z0-9]/g, '')}-${randomBytes(5).toString('hex')}`;
      await direct.send(new CreateBucketCommand({ Bucket: name }));
      buckets.push(name);
      return name;
    },
    async close() {
      await app.dispose();
      for (const name of buckets) await emptyAndDeleteBucket(direct, name).catch(() => undefined);
      direct.destroy();
      await rm(work, { recursive: true, force: true });
    },
  };
}
