/**
 * The app as the compatibility suite drives it: the real services for one account on a
 * target, called through the hosts' `dispatch` (as the desktop's IPC host calls it), with
 * ways to wait for long operations and transfer batches, and a direct client for set-up
 * and for checking what landed in the bucket.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AccountSettings } from '../../src/shared/accounts';
import type { OperationOutcome } from '../../src/shared/operations';
import type { Result } from '../../src/shared/result';
import type { TransferBatchOutcome, TransferSnapshot } from '../../src/shared/transfers';
import { dispatch } from '../../src/main/host/dispatch';
import { createServices, type Services } from '../../src/main/services/create-services';
import { createSessionCustomerKeyStore } from '../../src/main/services/keychain/customer-key-store';
import { createSessionSecretStore } from '../../src/main/services/keychain/secret-store';
import { silentLogger } from '../../src/main/services/logging/logger';
import { emptyAndDeleteBucket, s3ClientFor } from '../s3-fixtures';
import type { CompatibilityTarget } from './targets';

/** The account id of the suite's one account. */
const ACCOUNT = 'compat';

/** An error result of a request, kept as data so a journey can tell "not supported" from a failure. */
export class AppErrorResult extends Error {
  constructor(
    readonly channel: string,
    readonly code: string,
    message: string,
  ) {
    super(`${channel}: ${code}: ${message}`);
  }
}

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

/** Polls until `probe` gives a value, failing after `timeoutMs`. */
export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Connects the app to a target, as a person would with the target's provider preset. */
export async function connectApp(
  target: CompatibilityTarget,
  overrides: Partial<AccountSettings> = {},
): Promise<AppOnTarget> {
  const work = await mkdtemp(join(tmpdir(), `s3fm-compat-${target.id}-`));
  const settings: AccountSettings = {
    id: ACCOUNT,
    name: target.label,
    provider: target.provider,
    credentialSource: 'static',
    accessKeyId: target.app.accessKeyId,
    profile: '',
    region: target.app.region,
    endpoint: target.app.endpoint,
    pathStyle: true,
    shareHost: '',
    rootBucket: '',
    rootPrefix: '',
    caCertFile: '',
    trustedCertificatePem: '',
    secretStorage: 'session',
    ...overrides,
  };
  const services = createServices({
    appInfo: { name: 'S3 File Manager', version: 'compat', mode: 'web' },
    dataDir: join(work, 'data'),
    keychain: createSessionSecretStore(),
    customerKeys: createSessionCustomerKeyStore(),
    logger: silentLogger,
    launchAccounts: [{ settings, secrets: { secretAccessKey: target.app.secretAccessKey } }],
  });
  const direct = s3ClientFor(target.direct);
  const outcomes = new Map<string, OperationOutcome>();
  const batches = new Map<string, TransferBatchOutcome>();
  const snapshots = new Map<string, TransferSnapshot>();
  services.bus.onAny((channel, payload) => {
    if (channel === 'operations.finished') {
      const outcome = payload as OperationOutcome;
      outcomes.set(outcome.operationId, outcome);
    }
    if (channel === 'transfers.batchFinished') {
      const outcome = payload as TransferBatchOutcome;
      batches.set(outcome.batchId, outcome);
    }
    if (channel === 'transfers.changed') {
      for (const snapshot of (payload as { transfers: TransferSnapshot[] }).transfers) {
        snapshots.set(snapshot.id, snapshot);
      }
    }
  });
  const buckets: string[] = [];

  const call = async <T>(channel: string, input: object): Promise<T> => {
    const result = (await dispatch(services, channel, { accountId: ACCOUNT, ...input }, { host: 'ipc' })) as Result<T>;
    if (!result.ok) throw new AppErrorResult(channel, result.error.code, result.error.message);
    return result.value;
  };
  const rawCall = async <T>(channel: string, input: object): Promise<T> => {
    const result = (await dispatch(services, channel, input, { host: 'ipc' })) as Result<T>;
    if (!result.ok) throw new AppErrorResult(channel, result.error.code, result.error.message);
    return result.value;
  };

  return {
    target,
    services,
    direct,
    work,
    call,
    global: rawCall,
    snapshots,
    async operation(channel, input) {
      const { operationId } = await call<{ operationId: string }>(channel, input);
      return waitFor(() => outcomes.get(operationId), `${channel} to finish`);
    },
    async batch(channel, input, during) {
      const { batchId } = await call<{ batchId: string }>(channel, input);
      if (during) await during(batchId);
      const outcome = await waitFor(() => batches.get(batchId), `${channel} batch to finish`, 180_000);
      // The last snapshots come with the tick after the batch's end.
      await new Promise((resolve) => setTimeout(resolve, 150));
      const transfers = (await rawCall<TransferSnapshot[]>('transfers.list', {})).filter((t) => t.batchId === batchId);
      return { outcome, transfers };
    },
    async bucket() {
      const name = `c-${target.id.replace(/[^a-z0-9]/g, '')}-${randomBytes(5).toString('hex')}`;
      await direct.send(new CreateBucketCommand({ Bucket: name }));
      buckets.push(name);
      return name;
    },
    async close() {
      await services.dispose();
      for (const name of buckets) await emptyAndDeleteBucket(direct, name).catch(() => undefined);
      direct.destroy();
      await rm(work, { recursive: true, force: true });
    },
  };
}
