import { join } from 'node:path';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import type { AppInfo } from '../../shared/models';
import { createAccountService, type LaunchAccount } from './accounts/account-service';
import { defaultAwsConfigPaths, type AwsConfigPaths } from './accounts/aws-profiles';
import { createEventBus, type EventBus } from './event-bus';
import type { Handlers, ServiceHandlers } from './handlers';
import { createKeychainSecretStore, createSessionSecretStore, type SecretStore } from './keychain/secret-store';
import { createFileLogger, type Logger } from './logging/logger';
import { classifyS3Error } from './s3/classify-s3-error';
import { listObjectsPage } from './s3/list-objects';
import { createBucket, createFolder, deleteEmptyBucket } from './s3/bucket-operations';
import { deleteObjects } from './s3/delete-objects';
import { createOperationRegistry, type OperationRegistry } from './operations/operation-registry';
import { createSettingsStore } from './settings/settings-store';

/** What the services are built from; passed in so tests and both hosts can choose. */
export interface ServiceDependencies {
  appInfo: AppInfo;
  /** The app's own folder: settings.json and logs/ live here. */
  dataDir: string;
  launchAccounts?: readonly LaunchAccount[];
  /** Defaults to the OS keychain. */
  keychain?: SecretStore;
  /** Defaults to ~/.aws/credentials and ~/.aws/config (or AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE). */
  awsPaths?: AwsConfigPaths;
  logger?: Logger;
}

/** The app's services: request handlers for the hosts, and the event bus they forward. */
export interface Services extends ServiceHandlers {
  bus: EventBus;
  logger: Logger;
  operations: OperationRegistry;
}

/** Wires the services together; knows nothing of Electron or of which host serves it. */
export function createServices(deps: ServiceDependencies): Services {
  const bus = createEventBus();
  const logger = deps.logger ?? createFileLogger(join(deps.dataDir, 'logs', 'main.log'));
  const accounts = createAccountService({
    settings: createSettingsStore(join(deps.dataDir, 'settings.json')),
    keychain: deps.keychain ?? createKeychainSecretStore(),
    sessionSecrets: createSessionSecretStore(),
    bus,
    logger,
    awsPaths: deps.awsPaths ?? defaultAwsConfigPaths(),
    launchAccounts: deps.launchAccounts ?? [],
  });

  const operations = createOperationRegistry({ bus, classify: classifyS3Error });

  /** The parent folders of some keys, so each changed folder's view refreshes. */
  const parentsOf = (keys: readonly string[]) => [
    ...new Set(keys.map((key) => key.slice(0, key.replace(/\/$/, '').lastIndexOf('/') + 1))),
  ];

  const handlers: Handlers = {
    'app.info': async () => deps.appInfo,
    'accounts.list': () => accounts.list(),
    'accounts.save': ({ draft }) => accounts.save(draft),
    'accounts.remove': async ({ accountId }) => {
      await accounts.remove(accountId);
      return { removed: true };
    },
    'accounts.test': ({ draft }) => accounts.test(draft),
    'accounts.profiles': () => accounts.profiles(),
    'accounts.keychainStatus': () => accounts.keychainStatus(),
    'accounts.inspectCertificate': ({ endpoint }) => accounts.inspectCertificate(endpoint),
    'buckets.list': async ({ accountId }) => {
      const settings = await accounts.settingsOf(accountId);
      const connection = await accounts.connection(accountId);
      try {
        const output = await connection.defaultClient().send(new ListBucketsCommand({}));
        return (output.Buckets ?? [])
          .filter((b): b is typeof b & { Name: string } => typeof b.Name === 'string')
          .map((b) => ({ name: b.Name, createdAt: b.CreationDate?.toISOString() ?? null }))
          .sort((a, b) => a.name.localeCompare(b.name));
      } catch (error) {
        // An account with a root bucket may not list buckets: show that bucket alone.
        if (settings.rootBucket !== '' && classifyS3Error(error)?.code === 'access-denied') {
          return [{ name: settings.rootBucket, createdAt: null }];
        }
        throw error;
      }
    },
    'buckets.create': async ({ accountId, name, region }) => {
      const settings = await accounts.settingsOf(accountId);
      await createBucket((await accounts.connection(accountId)).defaultClient(), name, region || settings.region);
      bus.emit('objects.changed', { accountId, bucket: null, prefix: null });
      return { name };
    },
    'buckets.delete': async ({ accountId, name }) => {
      await deleteEmptyBucket(await (await accounts.connection(accountId)).clientForBucket(name), name);
      bus.emit('objects.changed', { accountId, bucket: null, prefix: null });
      return { deleted: true };
    },
    'folders.create': async ({ accountId, bucket, parent, name }) => {
      const client = await (await accounts.connection(accountId)).clientForBucket(bucket);
      const key = await createFolder(client, bucket, parent, name);
      bus.emit('objects.changed', { accountId, bucket, prefix: parent });
      return { key };
    },
    'objects.delete': async ({ accountId, bucket, keys }) => {
      const client = await (await accounts.connection(accountId)).clientForBucket(bucket);
      const title = `Deleting ${keys.length === 1 ? keys[0] : `${keys.length} items`} from ${bucket}`;
      const { operationId, finished } = operations.start('delete', title, (context) =>
        deleteObjects(client, bucket, keys, context),
      );
      void finished.then(() => {
        for (const prefix of parentsOf(keys)) bus.emit('objects.changed', { accountId, bucket, prefix });
      });
      return { operationId };
    },
    'operations.cancel': async ({ operationId }) => ({ cancelled: operations.cancel(operationId) }),
    'objects.list': async ({ accountId, bucket, prefix, recursive, continuationToken, pageSize }) => {
      const client = await (await accounts.connection(accountId)).clientForBucket(bucket);
      return listObjectsPage(client, {
        bucket,
        prefix,
        recursive,
        pageSize,
        ...(continuationToken ? { continuationToken } : {}),
      });
    },
  };

  return { handlers, classifyError: classifyS3Error, bus, logger, operations };
}
