/**
 * The whole of the app's services (createServices: transfers, operations, details, versions …)
 * over one launch account at an endpoint (the test server, or a fault proxy in front of it),
 * driven through the hosts' dispatch, with ways to wait for operations and transfer batches.
 * Used by the listing-loop tests, the fault soak and the kill loop's child process.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccountSettings } from '../src/shared/accounts';
import type { OperationOutcome } from '../src/shared/operations';
import type { Result } from '../src/shared/result';
import type { TransferBatchOutcome, TransferSnapshot } from '../src/shared/transfers';
import { dispatch } from '../src/main/host/dispatch';
import type { RequestContext } from '../src/main/services/handlers';
import { accountFromEnvironment } from '../src/main/services/accounts/env-account';
import { createServices } from '../src/main/services/create-services';
import { createSessionCustomerKeyStore } from '../src/main/services/keychain/customer-key-store';
import { createSessionSecretStore } from '../src/main/services/keychain/secret-store';
import { silentLogger } from '../src/main/services/logging/logger';
import type { TransferServiceOptions } from '../src/main/services/transfers/transfer-handlers';

/** Where the services talk to and keep their state. */
export interface AppServicesSetup {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** A data folder to reuse (a restart); a fresh one, deleted by dispose, otherwise. */
  dataDir?: string;
  transferTuning?: TransferServiceOptions;
  /** Changes to the launch account's settings (a provider preset, a pinned certificate). */
  account?: Partial<AccountSettings>;
}

/** An error result of a request, with its code. */
export class AppCallError extends Error {
  constructor(
    readonly channel: string,
    readonly code: string,
    message: string,
  ) {
    super(`${channel}: ${code}: ${message}`);
  }
}

/** Polls until `probe` gives a value (not undefined or false), failing after `timeoutMs`. */
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

/** Builds the app's services for the launch account (id `launch`) at the endpoint. */
export async function startAppServices(setup: AppServicesSetup) {
  const dataDir = setup.dataDir ?? (await mkdtemp(join(tmpdir(), 's3fm-app-')));
  const launch = accountFromEnvironment({
    S3FM_ENDPOINT: setup.endpoint,
    S3FM_ACCESS_KEY_ID: setup.accessKeyId,
    S3FM_SECRET_ACCESS_KEY: setup.secretAccessKey,
  });
  if (launch && setup.account) launch.settings = { ...launch.settings, ...setup.account };
  const services = createServices({
    appInfo: { name: 'S3 File Manager', version: 'test', mode: 'web' },
    dataDir,
    keychain: createSessionSecretStore(),
    customerKeys: createSessionCustomerKeyStore(),
    logger: silentLogger,
    launchAccounts: launch ? [launch] : [],
    ...(setup.transferTuning ? { transferTuning: setup.transferTuning } : {}),
  });
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
      const { transfers, removed } = payload as { transfers: TransferSnapshot[]; removed: string[] };
      for (const snapshot of transfers) snapshots.set(snapshot.id, snapshot);
      for (const id of removed) snapshots.delete(id);
    }
  });

  /** The raw Result of a request that names no account. */
  const resultRaw = (channel: string, input: object, context: RequestContext = { host: 'ipc' }) =>
    dispatch(services, channel, input, context);
  /** The raw Result of a request for the launch account. */
  const result = (channel: string, input: object, context: RequestContext = { host: 'ipc' }) =>
    resultRaw(channel, { accountId: 'launch', ...input }, context);
  const unwrap = <T>(channel: string, outcome: Result<unknown>): T => {
    if (!outcome.ok) throw new AppCallError(channel, outcome.error.code, outcome.error.message);
    return outcome.value as T;
  };
  /** Sends a request for the launch account; rejects with an AppCallError on an error result. */
  const call = async <T>(channel: string, input: object, context?: RequestContext): Promise<T> =>
    unwrap<T>(channel, await result(channel, input, context));
  /** Sends a request that names no account (settings, pause, resume, retry). */
  const callRaw = async <T>(channel: string, input: object): Promise<T> =>
    unwrap<T>(channel, await resultRaw(channel, input));

  return {
    dataDir,
    services,
    snapshots,
    batches,
    outcomes,
    result,
    call,
    callRaw,
    /** Starts a long operation (objects.delete, objects.transfer …) and resolves with its outcome. */
    async operation(channel: string, input: object, timeoutMs = 120_000): Promise<OperationOutcome> {
      const { operationId } = await call<{ operationId: string }>(channel, input);
      return waitFor(() => outcomes.get(operationId), `${channel} to finish`, timeoutMs);
    },
    /** Resolves when a batch's transfers.batchFinished arrives. */
    batchFinished(batchId: string, timeoutMs = 120_000): Promise<TransferBatchOutcome> {
      return waitFor(() => batches.get(batchId), `batch ${batchId} to finish`, timeoutMs);
    },
    /** The latest snapshot of each transfer of a batch. */
    batchSnapshots(batchId: string): TransferSnapshot[] {
      return [...snapshots.values()].filter((snapshot) => snapshot.batchId === batchId);
    },
    /** Stops the services; a data folder made here is deleted (one passed in is kept, for a restart). */
    async dispose(): Promise<void> {
      await services.dispose();
      if (!setup.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** What startAppServices returns. */
export type AppServices = Awaited<ReturnType<typeof startAppServices>>;
