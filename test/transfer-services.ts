/**
 * The transfer services over a launch account for the test server (or a fault proxy in front
 * of it), in a data folder of the test's own, driven through the hosts' dispatch. Tuned for
 * tests: a short stall timeout and backoff, snapshots every 50 ms, a private spool folder.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccountSettings } from '../src/shared/accounts';
import type { Handlers, ServiceHandlers } from '../src/main/services/handlers';
import type { TransferBatchOutcome, TransferSnapshot } from '../src/shared/transfers';
import type { Result } from '../src/shared/result';
import { dispatch } from '../src/main/host/dispatch';
import { createAccountService } from '../src/main/services/accounts/account-service';
import { accountFromEnvironment } from '../src/main/services/accounts/env-account';
import { createEventBus } from '../src/main/services/event-bus';
import { createSessionCustomerKeyStore, type CustomerKeyStore } from '../src/main/services/keychain/customer-key-store';
import { createSessionSecretStore } from '../src/main/services/keychain/secret-store';
import { silentLogger } from '../src/main/services/logging/logger';
import { createOperationRegistry } from '../src/main/services/operations/operation-registry';
import { classifyS3Error } from '../src/main/services/s3/classify-s3-error';
import type { DesktopIntegration, ServiceContext } from '../src/main/services/service-context';
import { createSettingsStore } from '../src/main/services/settings/settings-store';
import { createTransferServices, type TransferServiceOptions } from '../src/main/services/transfers/transfer-handlers';
import { capabilitiesForAccounts } from '../src/main/services/capabilities/capability-service';

/** Where the services talk to and keep their state. */
export interface TransferServicesSetup {
  /** The S3 endpoint (the test server, or a fault proxy in front of it). */
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** A data folder to reuse (a restart); a fresh one otherwise. */
  dataDir?: string;
  tuning?: TransferServiceOptions;
  desktop?: DesktopIntegration;
  customerKeys?: CustomerKeyStore;
  /** Changes to the launch account's settings (a pinned certificate for a TLS server). */
  account?: Partial<AccountSettings>;
  /** More accounts beside the launch account (a second service, for copies between accounts). */
  otherAccounts?: readonly {
    id: string;
    name: string;
    endpoint: string;
    accessKeyId: string;
    secretAccessKey: string;
    /** The provider preset (its capability seeds), "other" by default. */
    provider?: AccountSettings['provider'];
  }[];
}

/** Builds the transfer services for a test; `call` fills in the launch account's id. */
export async function startTransferServices(setup: TransferServicesSetup) {
  const dataDir = setup.dataDir ?? (await mkdtemp(join(tmpdir(), 's3fm-transfers-')));
  const launch = accountFromEnvironment({
    S3FM_ENDPOINT: setup.endpoint,
    S3FM_ACCESS_KEY_ID: setup.accessKeyId,
    S3FM_SECRET_ACCESS_KEY: setup.secretAccessKey,
  });
  if (launch && setup.account) launch.settings = { ...launch.settings, ...setup.account };
  const bus = createEventBus();
  const accounts = createAccountService({
    settings: createSettingsStore(join(dataDir, 'settings.json')),
    keychain: createSessionSecretStore(),
    sessionSecrets: createSessionSecretStore(),
    bus,
    logger: silentLogger,
    awsPaths: { credentialsFile: join(dataDir, 'no-credentials'), configFile: join(dataDir, 'no-config') },
    launchAccounts: [
      ...(launch ? [launch] : []),
      ...(setup.otherAccounts ?? []).flatMap((other) => {
        const made = accountFromEnvironment({
          S3FM_ENDPOINT: other.endpoint,
          S3FM_ACCESS_KEY_ID: other.accessKeyId,
          S3FM_SECRET_ACCESS_KEY: other.secretAccessKey,
          S3FM_ACCOUNT_NAME: other.name,
        });
        const provider = other.provider ? { provider: other.provider } : {};
        return made ? [{ ...made, settings: { ...made.settings, id: other.id, ...provider } }] : [];
      }),
    ],
  });
  const customerKeys = setup.customerKeys ?? createSessionCustomerKeyStore();
  const context: ServiceContext = {
    accounts,
    capabilities: capabilitiesForAccounts(accounts, bus),
    bus,
    logger: silentLogger,
    operations: createOperationRegistry({ bus, classify: classifyS3Error }),
    dataDir,
    keychain: createSessionSecretStore(),
    customerKeys,
    desktop: setup.desktop,
  };
  const transfers = createTransferServices(context, {
    stallTimeoutMs: 2_000,
    backoff: { baseMs: 50, capMs: 400 },
    tickMs: 50,
    spoolRoot: join(dataDir, 'spool'),
    ...setup.tuning,
  });
  const services: ServiceHandlers = { handlers: transfers.handlers as Handlers, classifyError: classifyS3Error };

  const snapshots = new Map<string, TransferSnapshot>();
  const batches: TransferBatchOutcome[] = [];
  const events: { channel: string; payload: unknown }[] = [];
  bus.onAny((channel, payload) => {
    events.push({ channel, payload });
    if (channel === 'transfers.changed') {
      const { transfers: changed, removed } = payload as { transfers: TransferSnapshot[]; removed: string[] };
      for (const snapshot of changed) snapshots.set(snapshot.id, snapshot);
      for (const id of removed) snapshots.delete(id);
    }
    if (channel === 'transfers.batchFinished') batches.push(payload as TransferBatchOutcome);
  });

  /** Sends a request without an account id; throws on an error result. */
  const callRaw = async <T>(channel: string, input: object): Promise<T> => {
    const result = (await dispatch(services, channel, input, { host: 'ipc' })) as Result<T>;
    if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
    return result.value;
  };
  /** Sends a request for the launch account; throws on an error result. */
  const call = <T>(channel: string, input: object): Promise<T> =>
    callRaw<T>(channel, { accountId: 'launch', ...input });
  /** The raw Result of a request for the launch account. */
  const result = (channel: string, input: object) =>
    dispatch(services, channel, { accountId: 'launch', ...input }, { host: 'ipc' });

  /** Resolves when a batch's transfers.batchFinished arrives. */
  const batchFinished = async (batchId: string, timeoutMs = 120_000): Promise<TransferBatchOutcome> =>
    waitFor(() => batches.find((batch) => batch.batchId === batchId), timeoutMs, `batch ${batchId} to finish`);

  /** Polls until `probe` returns (or resolves to) a value, not undefined or false. */
  const waitFor = async <T>(
    probe: () => T | undefined | false | Promise<T | undefined | false>,
    timeoutMs = 60_000,
    what = 'a condition',
  ): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  /** The latest snapshots of a batch, from the events (what the panel would show). */
  const batchSnapshots = (batchId: string) => [...snapshots.values()].filter((s) => s.batchId === batchId);

  return {
    dataDir,
    bus,
    customerKeys,
    services,
    spool: transfers.spool,
    call,
    callRaw,
    result,
    snapshots,
    batches,
    events,
    batchFinished,
    batchSnapshots,
    waitFor,
    /** The capability model, as the file list asks it when a bucket is opened. */
    capabilities: context.capabilities,
    /** Stops the services; a data folder made here is deleted (one passed in is kept, for a restart). */
    dispose: async () => {
      await transfers.dispose?.();
      if (!setup.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** What startTransferServices returns. */
export type TestTransferServices = Awaited<ReturnType<typeof startTransferServices>>;
