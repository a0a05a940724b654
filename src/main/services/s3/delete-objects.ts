import { DeleteObjectsCommand, type ObjectIdentifier, type S3Client } from '@aws-sdk/client-s3';
import { countOf } from '../../../shared/names';
import type { OperationContext } from '../operations/operation-registry';
import { objectPages } from './object-pages';

/** S3's limit for one DeleteObjects request. */
export const DELETE_BATCH_SIZE = 1000;

/** A key (or version) the service refused to delete, and why. */
export interface RefusedDeletion {
  key: string;
  message: string;
}

/**
 * Deletes objects (or versions) with DeleteObjects, 1,000 at a time (S3's limit), and returns
 * the ones the service refused; one request per batch, in quiet mode so only refusals come back.
 */
export async function deleteInBatches(
  client: S3Client,
  bucket: string,
  objects: readonly ObjectIdentifier[],
): Promise<RefusedDeletion[]> {
  const refused: RefusedDeletion[] = [];
  for (let i = 0; i < objects.length; i += DELETE_BATCH_SIZE) {
    const output = await client.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: objects.slice(i, i + DELETE_BATCH_SIZE), Quiet: true },
      }),
    );
    for (const error of output.Errors ?? []) {
      refused.push({ key: error.Key ?? '?', message: error.Message ?? error.Code ?? 'refused' });
    }
  }
  return refused;
}

/**
 * Lists every key under the given folders (prefixes ending in '/') and the given files, one
 * page at a time, so a folder of a million keys never sits in memory whole. Each folder's
 * listing is bounded (objectPages): a service that keeps answering "truncated" with the same
 * token or with empty pages gets a clear error, and a cancelled operation stops between pages.
 */
export async function* expandKeys(client: S3Client, bucket: string, items: readonly string[], signal: AbortSignal) {
  for (const item of items) {
    if (!item.endsWith('/')) {
      yield [item];
      continue;
    }
    for await (const page of objectPages(client, { bucket, prefix: item }, { signal })) {
      const keys = page.map((o) => o.Key).filter((k): k is string => typeof k === 'string');
      if (keys.length > 0) yield keys;
    }
    if (signal.aborted) return;
  }
}

/** Counts the keys an expansion will yield, for an exact total in the progress bar. */
export async function countKeys(client: S3Client, bucket: string, items: readonly string[], signal: AbortSignal) {
  let count = 0;
  for await (const keys of expandKeys(client, bucket, items, signal)) count += keys.length;
  return count;
}

/**
 * Deletes files and folders (recursively) with DeleteObjects in batches of 1,000. Keys the
 * service refuses are reported one by one; the rest go on. Stops between batches when cancelled.
 */
export async function deleteObjects(
  client: S3Client,
  bucket: string,
  items: readonly string[],
  context: OperationContext,
) {
  context.setTotal(await countKeys(client, bucket, items, context.signal));
  let batch: string[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0 || context.signal.aborted) return;
    const keys = batch;
    batch = [];
    const refused = await deleteInBatches(
      client,
      bucket,
      keys.map((Key) => ({ Key })),
    );
    for (const { key, message } of refused) context.fail(key, message);
    context.advance(keys.length - refused.length);
  };
  for await (const keys of expandKeys(client, bucket, items, context.signal)) {
    for (const key of keys) {
      batch.push(key);
      if (batch.length === DELETE_BATCH_SIZE) await flush();
    }
    if (context.signal.aborted) break;
  }
  await flush();
  return (done: number, failed: number) =>
    failed === 0
      ? `Deleted ${countOf(done, 'object')}.`
      : `Deleted ${countOf(done, 'object')}; ${failed} could not be deleted.`;
}
