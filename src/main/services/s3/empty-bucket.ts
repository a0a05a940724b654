import {
  AbortMultipartUploadCommand,
  DeleteBucketCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  type ObjectIdentifier,
  type S3Client,
} from '@aws-sdk/client-s3';
import { countOf } from '../../../shared/names';
import { AppFailure } from '../app-failure';
import type { OperationContext } from '../operations/operation-registry';
import { boundedPages } from './bounded-pages';
import { classifyS3Error } from './classify-s3-error';
import { deleteInBatches, type RefusedDeletion } from './delete-objects';

/** How many times a bucket is listed and emptied before the app gives up on deleting it. */
export const MAX_EMPTYING_PASSES = 5;

/** How a bucket is emptied: the page size of its listings (S3's 1,000 by default; tests use less). */
export interface EmptyBucketOptions {
  pageSize?: number;
  maxPasses?: number;
}

/** What one pass over a bucket did. */
interface PassResult {
  /** Versions, delete markers and unfinished uploads the listings showed. */
  listed: number;
  /** Of those, the ones deleted or aborted. */
  removed: number;
  refused: RefusedDeletion[];
}

/**
 * Calls `act` on each page one page late, once the listing has moved past it. Deleting a page
 * before asking for the next would delete the very entry the next request's markers name, and
 * MinIO then applies the version marker to the first key that remains: a page ending on a
 * key's `null` version (versioning turned on after uploads) made it skip the next key whole.
 */
export async function eachPageOneBehind<Item>(pages: AsyncGenerator<Item[]>, act: (items: Item[]) => Promise<void>) {
  let pending: Item[] = [];
  for await (const items of pages) {
    await act(pending);
    pending = items;
  }
  await act(pending);
}

/** Lists every version and delete marker (ListObjectVersions, paged by key and version id) and deletes them. */
async function deleteEveryVersion(
  client: S3Client,
  bucket: string,
  context: OperationContext,
  pageSize: number,
): Promise<PassResult> {
  const result: PassResult = { listed: 0, removed: 0, refused: [] };
  const pages = boundedPages<ObjectIdentifier, { KeyMarker: string; VersionIdMarker?: string }>(
    async (marker) => {
      const page = await client.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: pageSize, ...marker }), {
        abortSignal: context.signal,
      });
      const items = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]
        .filter((v) => typeof v.Key === 'string')
        .map((v) => ({ Key: v.Key as string, ...(v.VersionId ? { VersionId: v.VersionId } : {}) }));
      // A version id marker of 'null' names a null version (AWS sends it so; so does MinIO).
      const next = page.NextKeyMarker
        ? {
            KeyMarker: page.NextKeyMarker,
            ...(page.NextVersionIdMarker ? { VersionIdMarker: page.NextVersionIdMarker } : {}),
          }
        : undefined;
      return { items, truncated: page.IsTruncated === true, next };
    },
    { what: `version listing of ${bucket}`, signal: context.signal },
  );
  await eachPageOneBehind(pages, async (targets) => {
    if (targets.length === 0 || context.signal.aborted) return;
    result.listed += targets.length;
    const refused = await deleteInBatches(client, bucket, targets);
    result.refused.push(...refused);
    result.removed += targets.length - refused.length;
    context.advance(targets.length - refused.length);
  });
  return result;
}

/** Lists the unfinished multipart uploads (paged) and aborts them; a service that cannot list them is skipped. */
async function abortEveryUpload(
  client: S3Client,
  bucket: string,
  context: OperationContext,
  pageSize: number,
): Promise<PassResult> {
  const result: PassResult = { listed: 0, removed: 0, refused: [] };
  const pages = boundedPages<{ Key: string; UploadId: string }, { KeyMarker: string; UploadIdMarker?: string }>(
    async (marker) => {
      const page = await client.send(
        new ListMultipartUploadsCommand({ Bucket: bucket, MaxUploads: pageSize, ...marker }),
        { abortSignal: context.signal },
      );
      const items = (page.Uploads ?? []).flatMap((u) =>
        u.Key && u.UploadId ? [{ Key: u.Key, UploadId: u.UploadId }] : [],
      );
      const next = page.NextKeyMarker
        ? {
            KeyMarker: page.NextKeyMarker,
            ...(page.NextUploadIdMarker ? { UploadIdMarker: page.NextUploadIdMarker } : {}),
          }
        : undefined;
      return { items, truncated: page.IsTruncated === true, next };
    },
    { what: `list of unfinished uploads in ${bucket}`, signal: context.signal },
  );
  try {
    await eachPageOneBehind(pages, async (uploads) => {
      for (const upload of uploads) {
        if (context.signal.aborted) return;
        result.listed += 1;
        try {
          await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, ...upload }));
          result.removed += 1;
        } catch (error) {
          // Gone already (finished or aborted meanwhile) is what we wanted.
          if ((error as { name?: string }).name === 'NoSuchUpload') result.removed += 1;
          else result.refused.push({ key: upload.Key, message: classifyS3Error(error)?.message ?? 'not aborted' });
        }
      }
    });
  } catch (error) {
    // s3rver cannot list multipart uploads; deleting the bucket says if any remain.
    if (classifyS3Error(error)?.code !== 'not-supported') throw error;
  }
  return result;
}

/** Deletes the bucket; false where the service says it still holds something. */
async function deleteBucketIfEmpty(client: S3Client, bucket: string): Promise<boolean> {
  try {
    await client.send(new DeleteBucketCommand({ Bucket: bucket }));
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'BucketNotEmpty') return false;
    throw error;
  }
}

/**
 * Deletes a bucket with everything in it: every version and delete marker (a versioned
 * bucket is not empty until those are gone too), unfinished multipart uploads where the
 * service can list them, then the bucket. The person confirmed by typing the bucket's name.
 *
 * A listing is only a view at one moment, and deleting while listing can make a service skip
 * entries (see eachPageOneBehind), so this goes round again, listing from the start, until the
 * bucket can be deleted: at most `maxPasses` times, then it says the bucket was not deleted and
 * why. A pass that could delete nothing it listed stops at once, naming what was refused.
 */
export async function deleteBucketWithContents(
  client: S3Client,
  bucket: string,
  context: OperationContext,
  options: EmptyBucketOptions = {},
) {
  const pageSize = options.pageSize ?? 1000;
  const maxPasses = options.maxPasses ?? MAX_EMPTYING_PASSES;
  const noun = (n: number) => countOf(n, 'object or version', 'objects and versions');
  const notDeleted = (done: number) =>
    `The bucket was not deleted${done > 0 ? `; ${noun(done)} in it were deleted for good` : ''}.`;
  for (let pass = 1; pass <= maxPasses; pass += 1) {
    if (context.signal.aborted) return notDeleted;
    const versions = await deleteEveryVersion(client, bucket, context, pageSize);
    if (context.signal.aborted) return notDeleted;
    const uploads = await abortEveryUpload(client, bucket, context, pageSize);
    if (context.signal.aborted) return notDeleted;
    const refused = [...versions.refused, ...uploads.refused];
    const listed = versions.listed + uploads.listed;
    if (listed > 0 && versions.removed + uploads.removed === 0) {
      // Another pass would list the same and be refused the same.
      for (const { key, message } of refused) context.fail(key, message);
      throw new AppFailure(
        'conflict',
        `The bucket ${bucket} was not deleted: the service refused to delete ${countOf(refused.length, 'object, version or upload', 'objects, versions or uploads')} in it.`,
      );
    }
    if (await deleteBucketIfEmpty(client, bucket)) {
      return (done: number) => `Deleted the bucket ${bucket} and ${noun(done)} in it.`;
    }
    if (pass === maxPasses) for (const { key, message } of refused) context.fail(key, message);
  }
  throw new AppFailure(
    'conflict',
    `The bucket ${bucket} was not deleted: it still held something after ${maxPasses} rounds of listing and deleting everything in it. Something may still be writing to it; try again.`,
  );
}
