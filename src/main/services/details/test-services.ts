/**
 * For the integration tests of share links and details: the real services, with one launch
 * account whose settings a test chooses (a share-links host, a pinned certificate, a profile),
 * in a data folder of its own, driven through the hosts' dispatch. Never imported by the app.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import type { AccountSettings } from '../../../shared/accounts';
import { freshBucket, s3ClientFor, type FreshBucket, type RunningS3Info } from '../../../../test/s3-fixtures';
import type { OperationOutcome } from '../../../shared/operations';
import type { Result } from '../../../shared/result';
import { dispatch } from '../../host/dispatch';
import type { AwsConfigPaths } from '../accounts/aws-profiles';
import { createServices } from '../create-services';
import { createSessionCustomerKeyStore, type CustomerKeyStore } from '../keychain/customer-key-store';
import { createSessionSecretStore, type AccountSecrets } from '../keychain/secret-store';
import { silentLogger, type Logger } from '../logging/logger';

/** Where a test server listens and how to sign for it (MinIO, s3rver, a proxy in front of one). */
export interface TestServer {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** What a test may choose. */
export interface TestServicesOptions {
  settings?: Partial<AccountSettings>;
  secrets?: AccountSecrets;
  logger?: Logger;
  awsPaths?: AwsConfigPaths;
  customerKeys?: CustomerKeyStore;
}

/** The account id of the one launch account. */
export const TEST_ACCOUNT = 'launch';

/** Services for one account on a test server, in a fresh data folder; `close` removes the folder. */
export async function servicesForTestServer(server: TestServer, options: TestServicesOptions = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 's3fm-details-'));
  const settings: AccountSettings = {
    id: TEST_ACCOUNT,
    name: 'Test server',
    provider: 'minio',
    credentialSource: 'static',
    accessKeyId: server.accessKeyId,
    profile: '',
    region: server.region,
    endpoint: server.endpoint,
    pathStyle: true,
    shareHost: '',
    rootBucket: '',
    rootPrefix: '',
    caCertFile: '',
    trustedCertificatePem: '',
    secretStorage: 'session',
    ...options.settings,
  };
  const services = createServices({
    appInfo: { name: 'S3 File Manager', version: 'test', mode: 'web' },
    dataDir,
    keychain: createSessionSecretStore(),
    customerKeys: options.customerKeys ?? createSessionCustomerKeyStore(),
    logger: options.logger ?? silentLogger,
    launchAccounts: [{ settings, secrets: options.secrets ?? { secretAccessKey: server.secretAccessKey } }],
    ...(options.awsPaths ? { awsPaths: options.awsPaths } : {}),
  });

  /** Sends a request through the hosts' dispatch, with the account filled in unless `account` is false. */
  const call = (channel: string, input: object, options: { account?: boolean } = {}): Promise<Result<unknown>> =>
    dispatch(services, channel, options.account === false ? input : { accountId: TEST_ACCOUNT, ...input }, {
      host: 'ws',
    });

  /** Sends a request and returns its value, failing the test with the error where there is one. */
  const value = async <T>(channel: string, input: object, options: { account?: boolean } = {}): Promise<T> => {
    const result = await call(channel, input, options);
    if (!result.ok) throw new Error(`${channel} failed: ${result.error.code}: ${result.error.message}`);
    return result.value as T;
  };

  /** Starts a long operation and resolves with its outcome. */
  const runOperation = async (channel: string, input: object): Promise<OperationOutcome> => {
    const outcomes = new Map<string, OperationOutcome>();
    const waiting = new Map<string, (outcome: OperationOutcome) => void>();
    const unsubscribe = services.bus.onAny((event, payload) => {
      if (event !== 'operations.finished') return;
      const outcome = payload as OperationOutcome;
      outcomes.set(outcome.operationId, outcome);
      waiting.get(outcome.operationId)?.(outcome);
    });
    try {
      const { operationId } = await value<{ operationId: string }>(channel, input);
      return await new Promise<OperationOutcome>((resolve) => {
        const known = outcomes.get(operationId);
        if (known) resolve(known);
        else waiting.set(operationId, resolve);
      });
    } finally {
      unsubscribe();
    }
  };

  const close = async (): Promise<void> => {
    await services.dispose();
    await rm(dataDir, { recursive: true, force: true });
  };
  return { services, dataDir, call, value, runOperation, close };
}

/**
 * The set-up every share and details test file shares: a client straight to the server,
 * buckets and services cleaned up after each test, temporary folders after the file.
 */
export function integrationScaffold(s3: RunningS3Info) {
  const direct = s3ClientFor(s3);
  const cleanups: (() => Promise<void>)[] = [];
  const folders: string[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    direct.destroy();
    for (const folder of folders) await rm(folder, { recursive: true, force: true });
  });
  return {
    direct,
    cleanups,
    folders,
    /** A fresh bucket, emptied and deleted after the test. */
    async bucketForTest(options: { versioning?: boolean } = {}): Promise<FreshBucket> {
      const bucket = await freshBucket(s3, options);
      cleanups.push(() => bucket.cleanup());
      return bucket;
    },
    /** Services for the test server, closed after the test. */
    async services(options: TestServicesOptions = {}) {
      const made = await servicesForTestServer(s3, options);
      cleanups.push(() => made.close());
      return made;
    },
  };
}
