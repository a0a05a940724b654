import { mayUse, whyUnavailable } from '../../../shared/capabilities';
import type { detailsRequests } from '../../../shared/details-contract';
import { lastSegment, parentOf } from '../../../shared/names';
import { AppFailure } from '../app-failure';
import type { DomainServices } from '../handlers';
import type { ServiceContext } from '../service-context';
import { folderSize, putVersioning, readBucketDetails } from './bucket-details';
import { createCustomerKeys } from './customer-keys';
import { checkEdit, editObjects, setTags } from './edit-objects';
import { readObjectDetails } from './object-details';
import { previewText, previewUrl } from './preview';

/** The parent folders of some keys, so each changed folder's view refreshes. */
function parentsOf(keys: readonly string[]): string[] {
  return [...new Set(keys.map(parentOf))];
}

/** What a long operation on some objects is called in the transfers panel. */
function what(keys: readonly string[]): string {
  return keys.length === 1 ? lastSegment(keys[0] ?? '') : `${keys.length} items`;
}

/** The details panel: object and bucket properties, metadata and tag edits, encryption. */
export function createDetailsServices(context: ServiceContext): DomainServices<keyof typeof detailsRequests> {
  const { accounts, bus, operations } = context;
  const customerKeys = createCustomerKeys(context.customerKeys, context.logger);

  /** Tells open panels and folder views that these objects changed. */
  const announce = (accountId: string, bucket: string, keys: readonly string[]): void => {
    bus.emit('details.changed', { accountId, bucket, keys: [...keys] });
    for (const prefix of parentsOf(keys)) bus.emit('objects.changed', { accountId, bucket, prefix });
  };

  return {
    handlers: {
      'details.object': async ({ accountId, bucket, key, versionId }) =>
        readObjectDetails(
          await accounts.clientForBucket(accountId, bucket),
          { bucket, key, versionId },
          () => customerKeys.get(accountId),
          await context.capabilities.forBucket(accountId, bucket),
        ),

      'details.editObjects': async ({ accountId, bucket, keys, edit }) => {
        // Checked before the operation starts, so bad input sends nothing.
        checkEdit(edit);
        const client = await accounts.clientForBucket(accountId, bucket);
        const { operationId, finished } = operations.start(
          'edit-metadata',
          `Saving the properties of ${what(keys)} in ${bucket}`,
          async (operation) => {
            const model = await context.capabilities.forBucket(accountId, bucket);
            const support = {
              acl: {
                usable: mayUse(model, 'acl'),
                lacks: (error: unknown) => context.capabilities.lacks(accountId, bucket, 'acl', error),
              },
              checksums: model.features.checksums.support === 'yes',
              tagging: mayUse(model, 'tagging'),
            };
            return editObjects(client, bucket, keys, edit, () => customerKeys.get(accountId), operation, support);
          },
        );
        void finished.then(() => announce(accountId, bucket, keys));
        return { operationId };
      },

      'details.setTags': async ({ accountId, bucket, keys, tags }) => {
        const client = await accounts.clientForBucket(accountId, bucket);
        const { operationId, finished } = operations.start(
          'edit-tags',
          `Saving the tags of ${what(keys)} in ${bucket}`,
          async (operation) =>
            setTags(client, bucket, keys, tags, operation, {
              unavailable: whyUnavailable(await context.capabilities.forBucket(accountId, bucket), 'tagging'),
              lacks: (error) => context.capabilities.lacks(accountId, bucket, 'tagging', error),
            }),
        );
        void finished.then(() => announce(accountId, bucket, keys));
        return { operationId };
      },

      'details.bucket': async ({ accountId, bucket }) => {
        const connection = await accounts.connection(accountId);
        const region = await connection.regionOf(bucket);
        return readBucketDetails(
          await connection.clientForBucket(bucket),
          bucket,
          region,
          await context.capabilities.forBucket(accountId, bucket),
        );
      },

      'details.setVersioning': async ({ accountId, bucket, status }) => {
        const connection = await accounts.connection(accountId);
        const client = await connection.clientForBucket(bucket);
        const model = await context.capabilities.forBucket(accountId, bucket);
        const missing = whyUnavailable(model, 'versioning');
        if (missing) throw new AppFailure('not-supported', missing);
        try {
          await putVersioning(client, bucket, status);
        } catch (error) {
          if (error instanceof AppFailure && error.code === 'not-supported') {
            await context.capabilities.learnMissing(accountId, null, 'versioning', error.message);
          }
          throw error;
        }
        context.logger.info('bucket versioning changed', { accountId, status });
        return readBucketDetails(client, bucket, await connection.regionOf(bucket), model);
      },

      'details.folderSize': async ({ accountId, bucket, prefix }, request) =>
        folderSize(
          await accounts.clientForBucket(accountId, bucket),
          bucket,
          prefix,
          request.signal ? { signal: request.signal } : {},
        ),

      'details.previewText': async ({ accountId, bucket, key, versionId, maxBytes }) =>
        previewText(await accounts.clientForBucket(accountId, bucket), { bucket, key, versionId }, maxBytes, () =>
          customerKeys.get(accountId),
        ),

      'details.previewUrl': async ({ accountId, bucket, key, versionId }) => ({
        url: await previewUrl(
          await accounts.clientForBucket(accountId, bucket),
          await accounts.presignerForBucket(accountId, bucket, { shareHost: false }),
          { bucket, key, versionId },
        ),
      }),

      'sse.status': async ({ accountId }) => {
        await accounts.settingsOf(accountId);
        return customerKeys.status(accountId);
      },
      'sse.setKey': async ({ accountId, key }) => {
        // Registered for redaction before anything else can fail and log.
        context.logger.redact(key);
        await accounts.settingsOf(accountId);
        return customerKeys.set(accountId, key);
      },
      'sse.removeKey': async ({ accountId }) => {
        await accounts.settingsOf(accountId);
        return customerKeys.remove(accountId);
      },
    },
  };
}
