import { join } from 'node:path';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { whyUnavailable } from '../../shared/capabilities';
import type { AppInfo } from '../../shared/models';
import { createAccountService, type LaunchAccount } from './accounts/account-service';
import { defaultAwsConfigPaths, type AwsConfigPaths } from './accounts/aws-profiles';
import { AppFailure } from './app-failure';
import { createEventBus, type EventBus } from './event-bus';
import type { Handlers, ServiceHandlers, SpoolWriter } from './handlers';
import {
  createCustomerKeyStoreWithFallback,
  createKeychainCustomerKeyStore,
  createSessionCustomerKeyStore,
  type CustomerKeyStore,
} from './keychain/customer-key-store';
import { createKeychainSecretStore, createSessionSecretStore, type SecretStore } from './keychain/secret-store';
import { createFileLogger, type Logger } from './logging/logger';
import { classifyS3Error } from './s3/classify-s3-error';
import { listObjectsPage } from './s3/list-objects';
import { createListReadAhead } from './s3/list-read-ahead';
import { createBucket, createFolder, deleteEmptyBucket } from './s3/bucket-operations';
import { deleteObjects } from './s3/delete-objects';
import { deleteBucketWithContents } from './s3/empty-bucket';
import { destinationExists, findTransferConflicts, transferObjects, type TransferPlan } from './s3/copy-objects';
import { lastSegment, parentOf } from '../../shared/names';
import { createOperationRegistry, type OperationRegistry } from './operations/operation-registry';
import { createSettingsStore } from './settings/settings-store';
import type { DesktopIntegration, ServiceContext } from './service-context';
import { createTransferServices, type TransferServiceOptions } from './transfers/transfer-handlers';
import { createShareServices } from './share/share-handlers';
import { createDetailsServices } from './details/details-handlers';
import { createCustomerKeys } from './details/customer-keys';
import { capabilitiesForAccounts } from './capabilities/capability-service';
import { createCapabilityServices } from './capabilities/capability-handlers';
import { createLinkInbox, type LinkInbox } from './links/link-inbox';
import { createVersionsServices } from './versions/versions-handlers';
import { createBookmarkServices } from './bookmarks/bookmarks-handlers';
import { createSyncServices } from './sync/sync-handlers';
import { createEditServices } from './edit/edit-handlers';
import type { SaveWatchTiming } from './edit/save-watcher';
import { createBucketRulesServices } from './bucket-rules/bucket-rules-handlers';
import { createUpdateService, type UpdaterPort } from './updates/update-service';
import { createActivityStore, type ActivityStore } from './activity/activity-store';
import { createActivityRecorder } from './activity/activity-recorder';
import { createActivityServices } from './activity/activity-handlers';
import { createBucketSettingsServices } from './bucket-settings/bucket-settings-handlers';

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
  /** Objects above this size are copied in parts (5 GB by default; tests lower it). */
  singleCopyLimit?: number;
  /** The page size of listings that walk a whole bucket to empty it (S3's 1,000 by default; tests lower it). */
  listPageSize?: number;
  /** Defaults to the OS keychain (entries `sse-c:<account>`), or memory where there is none. */
  customerKeys?: CustomerKeyStore;
  /** Desktop-only features (native pickers, reveal, notifications); absent in web mode. */
  desktop?: DesktopIntegration;
  /** electron-updater, wrapped by the Electron glue in installed builds; absent elsewhere (no update checks). */
  updater?: UpdaterPort;
  /** Shorter stall timeouts and backoff for the transfer queue (tests only: the fault soak, the kill loop). */
  transferTuning?: TransferServiceOptions;
  /** The activity log's size bound on disk (bytes; about 4 MiB by default; tests lower it). */
  activityMaxBytes?: number;
  /** How quickly editing sessions notice saves (tests shorten it). */
  editTiming?: SaveWatchTiming;
}

/** The app's services: request handlers for the hosts, and the event bus they forward. */
export interface Services extends ServiceHandlers {
  bus: EventBus;
  logger: Logger;
  operations: OperationRegistry;
  /** Web mode's HTTP host writes dropped files' bytes here (transfers.openSpool). */
  spool: SpoolWriter;
  /** s3:// links the OS opened the app with; the Electron glue delivers them, the window takes them. */
  links: LinkInbox;
  /** The activity log's store (activity/activity.jsonl in the data folder). */
  activity: ActivityStore;
  /** Stops background work (the transfer queue) and flushes its journal; call once on quit. */
  dispose(): Promise<void>;
}

/** Wires the services together; knows nothing of Electron or of which host serves it. */
export function createServices(deps: ServiceDependencies): Services {
  const bus = createEventBus();
  const logger = deps.logger ?? createFileLogger(join(deps.dataDir, 'logs', 'main.log'));
  const keychain = deps.keychain ?? createKeychainSecretStore();
  const accounts = createAccountService({
    settings: createSettingsStore(join(deps.dataDir, 'settings.json')),
    keychain,
    sessionSecrets: createSessionSecretStore(),
    bus,
    logger,
    awsPaths: deps.awsPaths ?? defaultAwsConfigPaths(),
    launchAccounts: deps.launchAccounts ?? [],
  });

  const operations = createOperationRegistry({ bus, classify: classifyS3Error });
  const capabilities = capabilitiesForAccounts(accounts, bus);
  const context: ServiceContext = {
    accounts,
    capabilities,
    bus,
    logger,
    operations,
    dataDir: deps.dataDir,
    keychain,
    customerKeys:
      deps.customerKeys ??
      createCustomerKeyStoreWithFallback(
        createKeychainCustomerKeyStore(),
        createSessionCustomerKeyStore(),
        async () => (await keychain.status()).available,
      ),
    desktop: deps.desktop,
  };
  const transfers = createTransferServices(context, deps.transferTuning);
  const share = createShareServices(context);
  const details = createDetailsServices(context);
  const capabilityServices = createCapabilityServices(context);
  const sync = createSyncServices(
    context,
    transfers.queuePort,
    deps.listPageSize ? { listPageSize: deps.listPageSize } : {},
  );
  const links = createLinkInbox(bus);
  // Pages read ahead for the file list; any change the app makes may outdate them.
  const listReadAhead = createListReadAhead();
  bus.onAny((channel) => {
    if (channel === 'objects.changed') listReadAhead.clear();
  });
  const bookmarks = createBookmarkServices(context);
  const bucketSettings = createBucketSettingsServices(context);
  const edit = createEditServices(context, {
    spools: transfers.spool,
    ...(deps.editTiming ? { timing: deps.editTiming } : {}),
  });
  const versions = createVersionsServices(context, deps.listPageSize ? { listPageSize: deps.listPageSize } : {});
  const bucketRules = createBucketRulesServices(context, deps.listPageSize ? { listPageSize: deps.listPageSize } : {});
  const updates = createUpdateService({
    dataDir: deps.dataDir,
    bus,
    logger,
    updater: deps.updater,
    activeTransfers: async () =>
      (await transfers.handlers['transfers.list']({}, { host: 'ipc' })).filter((t) =>
        ['queued', 'running', 'retrying'].includes(t.state),
      ).length,
  });
  bus.onAny((channel) => {
    if (channel === 'transfers.changed') updates.transfersChanged();
  });
  updates.start();

  /** The parent folders of some keys, so each changed folder's view refreshes. */
  const parentsOf = (keys: readonly string[]) => [
    ...new Set(keys.map((key) => key.slice(0, key.replace(/\/$/, '').lastIndexOf('/') + 1))),
  ];

  const transferKeys = createCustomerKeys(context.customerKeys, logger);

  /** Starts a copy or move as a long operation; refreshes both folders when it ends. */
  async function startTransfer(accountId: string, plan: TransferPlan): Promise<{ operationId: string }> {
    const connection = await accounts.connection(accountId);
    const clients = {
      source: await connection.clientForBucket(plan.sourceBucket),
      target: await connection.clientForBucket(plan.targetBucket),
      ...(deps.singleCopyLimit ? { singleCopyLimit: deps.singleCopyLimit } : {}),
      // Loaded only when an SSE-C original or the chosen encryption needs it; redacted from the log.
      customerKey: () => transferKeys.get(accountId),
      etagsAreMd5: (await capabilities.forBucket(accountId, plan.targetBucket)).etag.singlePart === 'md5',
    };
    const what = plan.items.length === 1 ? lastSegment(plan.items[0] ?? '') : `${plan.items.length} items`;
    const title = plan.newName
      ? `Renaming ${what} to ${plan.newName}`
      : `${plan.mode === 'move' ? 'Moving' : 'Copying'} ${what} to ${plan.targetBucket}/${plan.targetPrefix}`;
    const kind = plan.newName ? 'rename' : plan.mode;
    const { operationId, finished } = operations.start(kind, title, (context) =>
      transferObjects(clients, plan, context),
    );
    void finished.then(() => {
      for (const prefix of parentsOf(plan.items)) {
        bus.emit('objects.changed', { accountId, bucket: plan.sourceBucket, prefix });
      }
      bus.emit('objects.changed', { accountId, bucket: plan.targetBucket, prefix: plan.targetPrefix });
    });
    return { operationId };
  }

  const activity = createActivityStore({
    file: join(deps.dataDir, 'activity', 'activity.jsonl'),
    logger,
    ...(deps.activityMaxBytes ? { maxBytes: deps.activityMaxBytes } : {}),
  });
  const activityServices = createActivityServices({ store: activity, desktop: deps.desktop });
  // Subscribed before any handler runs, so no operation's end is missed.
  const recorder = createActivityRecorder({
    store: activity,
    bus,
    accountNames: async () => (await accounts.list()).map(({ id, name }) => ({ id, name })),
    classify: classifyS3Error,
  });

  // Every handler goes through the activity recorder: each channel is recorded as activityRules says.
  const handlers: Handlers = recorder.wrap({
    ...activityServices.handlers,
    ...transfers.handlers,
    ...share.handlers,
    ...details.handlers,
    ...capabilityServices.handlers,
    ...links.handlers,
    ...versions.handlers,
    ...updates.handlers,
    ...bookmarks.handlers,
    ...bucketSettings.handlers,
    ...sync.handlers,
    ...edit.handlers,
    ...bucketRules.handlers,
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
    'buckets.create': async ({ accountId, name, region, objectLock }) => {
      const settings = await accounts.settingsOf(accountId);
      if (objectLock) {
        const missing = whyUnavailable(await capabilities.forAccount(accountId), 'objectLock');
        if (missing !== undefined) throw new AppFailure('not-supported', missing);
      }
      await createBucket((await accounts.connection(accountId)).defaultClient(), name, region || settings.region, {
        objectLock,
      });
      bus.emit('objects.changed', { accountId, bucket: null, prefix: null });
      if (objectLock) {
        // A service without Object Lock may ignore the header and create a plain bucket (s3rver
        // does): the new bucket's probe tells, and the person is told rather than left to find out.
        const missing = whyUnavailable(await capabilities.forBucket(accountId, name), 'objectLock');
        if (missing !== undefined) {
          await capabilities.learnMissing(accountId, null, 'objectLock', missing);
          throw new AppFailure(
            'not-supported',
            `The bucket ${name} was created without Object Lock: the service ignored the request for it. ${missing} Delete the bucket if it must have the lock.`,
          );
        }
      }
      return { name };
    },
    'buckets.delete': async ({ accountId, name }) => {
      await deleteEmptyBucket(await accounts.clientForBucket(accountId, name), name);
      bus.emit('objects.changed', { accountId, bucket: null, prefix: null });
      return { deleted: true };
    },
    'buckets.deleteWithContents': async ({ accountId, name, confirmName }) => {
      // Checked here too: a bug or a stray call in the UI must not empty a bucket.
      if (confirmName !== name) throw new AppFailure('invalid-input', `Type the bucket's name, ${name}, to confirm.`);
      const client = await accounts.clientForBucket(accountId, name);
      const { operationId, finished } = operations.start('delete-bucket', `Deleting the bucket ${name}`, (context) =>
        deleteBucketWithContents(client, name, context, deps.listPageSize ? { pageSize: deps.listPageSize } : {}),
      );
      void finished.then((outcome) => {
        // Left partly emptied: a view of its top level lists again (a deleted bucket leaves the list instead).
        if (outcome.state !== 'finished') bus.emit('objects.changed', { accountId, bucket: name, prefix: '' });
        bus.emit('objects.changed', { accountId, bucket: null, prefix: null });
      });
      return { operationId };
    },
    'folders.create': async ({ accountId, bucket, parent, name }) => {
      const client = await accounts.clientForBucket(accountId, bucket);
      const key = await createFolder(client, bucket, parent, name);
      bus.emit('objects.changed', { accountId, bucket, prefix: parent });
      return { key };
    },
    'objects.delete': async ({ accountId, bucket, keys }) => {
      const client = await accounts.clientForBucket(accountId, bucket);
      const title = `Deleting ${keys.length === 1 ? keys[0] : `${keys.length} items`} from ${bucket}`;
      const { operationId, finished } = operations.start('delete', title, (context) =>
        deleteObjects(client, bucket, keys, context),
      );
      void finished.then(() => {
        for (const prefix of parentsOf(keys)) bus.emit('objects.changed', { accountId, bucket, prefix });
      });
      return { operationId };
    },
    'objects.conflicts': async ({ accountId, sourceBucket, items, targetBucket, targetPrefix }) =>
      findTransferConflicts(await accounts.clientForBucket(accountId, targetBucket), {
        sourceBucket,
        items,
        targetBucket,
        targetPrefix,
      }),
    'objects.transfer': async ({
      accountId,
      mode,
      sourceBucket,
      items,
      targetBucket,
      targetPrefix,
      onConflict,
      encryption,
    }) =>
      startTransfer(accountId, {
        mode,
        sourceBucket,
        items,
        targetBucket,
        targetPrefix,
        onConflict,
        ...(encryption ? { encryption } : {}),
      }),
    'objects.rename': async ({ accountId, bucket, key, newName }) => {
      const client = await accounts.clientForBucket(accountId, bucket);
      const target = parentOf(key) + newName + (key.endsWith('/') ? '/' : '');
      if (target !== key && (await destinationExists(client, bucket, target))) {
        throw new AppFailure('conflict', `"${newName}" already exists here. Choose another name.`);
      }
      return startTransfer(accountId, {
        mode: 'move',
        sourceBucket: bucket,
        items: [key],
        targetBucket: bucket,
        targetPrefix: parentOf(key),
        newName: newName + (key.endsWith('/') ? '/' : ''),
        onConflict: 'skip',
      });
    },
    'operations.cancel': async ({ operationId }) => ({ cancelled: operations.cancel(operationId) }),
    'objects.list': async (
      { accountId, bucket, prefix, recursive, continuationToken, pageSize, readAhead },
      request,
    ) => {
      const client = await accounts.clientForBucket(accountId, bucket);
      return listReadAhead.list(
        {
          scope: accountId,
          bucket,
          prefix,
          recursive,
          pageSize,
          readAhead: readAhead === true,
          ...(continuationToken ? { continuationToken } : {}),
          ...(request.signal ? { signal: request.signal } : {}),
        },
        (page) => listObjectsPage(client, page),
      );
    },
  });

  const dispose = async (): Promise<void> => {
    await Promise.all([sync, edit, transfers, share, details, updates, bookmarks].map((domain) => domain.dispose?.()));
    recorder.dispose();
    await activity.flush();
  };
  return {
    handlers,
    classifyError: classifyS3Error,
    bus,
    logger,
    operations,
    dispose,
    spool: transfers.spool,
    links,
    activity,
  };
}
