import { whyUnavailable } from '../../../shared/capabilities';
import { lastSegment, parentOf } from '../../../shared/names';
import type { versionRequests } from '../../../shared/versions-contract';
import { AppFailure } from '../app-failure';
import { readVersioning } from '../details/bucket-details';
import type { DomainServices } from '../handlers';
import { deleteVersion, listVersions, restoreVersion } from '../s3/versions';
import type { ServiceContext } from '../service-context';
import {
  changeDeletedObjects,
  countDeletedVersions,
  listDeletedPage,
  type DeletedFilesAction,
} from './deleted-objects';

/** What a test may change: the page size of the version listings behind undelete and delete for good. */
export interface VersionServiceOptions {
  listPageSize?: number;
}

/** The folders a change to some items touches: each item's parent, and a folder item itself. */
function touchedFolders(items: readonly string[]): string[] {
  return [...new Set(items.flatMap((item) => (item.endsWith('/') ? [parentOf(item), item] : [parentOf(item)])))];
}

/**
 * Object versions and deleted files: a file's versions (list, restore, delete one), whether a
 * bucket keeps versions, and "Show deleted files" (list a folder's deleted files page by page,
 * undelete them, delete them for good). Where the capability model says the service keeps no
 * versions, the deleted files' channels say so instead of asking the service.
 */
export function createVersionsServices(
  context: ServiceContext,
  options: VersionServiceOptions = {},
): DomainServices<keyof typeof versionRequests> {
  const { accounts, bus, operations, capabilities } = context;
  const pageSize = options.listPageSize ? { pageSize: options.listPageSize } : {};

  /** The bucket's client, once the model allows versions (a service without them gets its reason in words). */
  async function versionedClient(accountId: string, bucket: string) {
    const missing = whyUnavailable(await capabilities.forBucket(accountId, bucket), 'versioning');
    if (missing !== undefined) throw new AppFailure('not-supported', missing);
    return accounts.clientForBucket(accountId, bucket);
  }

  /** Starts undelete or delete for good as a long operation; the folders it touched refresh when it ends. */
  async function startChange(accountId: string, bucket: string, items: string[], action: DeletedFilesAction) {
    const client = await versionedClient(accountId, bucket);
    const what = items.length === 1 ? `“${lastSegment(items[0] ?? '')}”` : `${items.length} items`;
    const title =
      action === 'undelete' ? `Undeleting ${what} in ${bucket}` : `Deleting ${what} for good from ${bucket}`;
    const { operationId, finished } = operations.start(
      action === 'undelete' ? 'undelete' : 'delete-for-good',
      title,
      (operation) => changeDeletedObjects(client, bucket, items, action, operation, pageSize),
    );
    void finished.then(() => {
      for (const prefix of touchedFolders(items)) bus.emit('objects.changed', { accountId, bucket, prefix });
    });
    return { operationId };
  }

  return {
    handlers: {
      'versions.list': async ({ accountId, bucket, key }, request) =>
        listVersions(await accounts.clientForBucket(accountId, bucket), bucket, key, request.signal),
      'versions.restore': async ({ accountId, bucket, key, versionId }) => {
        const client = await accounts.clientForBucket(accountId, bucket);
        const restored = await restoreVersion(client, bucket, key, versionId);
        bus.emit('objects.changed', { accountId, bucket, prefix: parentOf(key) });
        return { versionId: restored };
      },
      'versions.delete': async ({ accountId, bucket, key, versionId }) => {
        await deleteVersion(await accounts.clientForBucket(accountId, bucket), bucket, key, versionId);
        bus.emit('objects.changed', { accountId, bucket, prefix: parentOf(key) });
        return { deleted: true };
      },
      'versions.bucketState': async ({ accountId, bucket }) => {
        const client = await accounts.clientForBucket(accountId, bucket);
        const state = await readVersioning(client, bucket, await capabilities.forBucket(accountId, bucket));
        if (!state.available) {
          // Said once per service, so every view that reads the model disables versions too.
          await capabilities.learnMissing(accountId, null, 'versioning', state.reason);
        }
        return state;
      },
      'versions.listDeleted': async ({ accountId, bucket, prefix, continuationToken, pageSize: size }, request) =>
        listDeletedPage(await versionedClient(accountId, bucket), {
          bucket,
          prefix,
          pageSize: size,
          ...(continuationToken ? { continuationToken } : {}),
          ...(request.signal ? { signal: request.signal } : {}),
        }),
      'versions.countForGood': async ({ accountId, bucket, items }, request) =>
        countDeletedVersions(await versionedClient(accountId, bucket), bucket, items, {
          ...pageSize,
          ...(request.signal ? { signal: request.signal } : {}),
        }),
      'versions.undelete': ({ accountId, bucket, items }) => startChange(accountId, bucket, items, 'undelete'),
      'versions.deleteForGood': ({ accountId, bucket, items }) => startChange(accountId, bucket, items, 'purge'),
    },
  };
}
