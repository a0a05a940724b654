import {
  AbortMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  type ObjectIdentifier,
  type S3Client,
} from '@aws-sdk/client-s3';
import { countOf } from '../../../shared/names';
import type { OperationContext } from '../operations/operation-registry';
import { classifyS3Error } from './classify-s3-error';
import { DELETE_BATCH_SIZE } from './delete-objects';

/**
 * Deletes a bucket with everything in it: every version and delete marker (a versioned
 * bucket is not empty until those are gone too), unfinished multipart uploads where the
 * service can list them, then the bucket. The person confirmed by typing the bucket's name.
 */
export async function deleteBucketWithContents(client: S3Client, bucket: string, context: OperationContext) {
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  do {
    if (context.signal.aborted) return () => 'The bucket was not deleted.';
    const page = await client.send(
      new ListObjectVersionsCommand({
        Bucket: bucket,
        ...(keyMarker ? { KeyMarker: keyMarker } : {}),
        ...(versionMarker ? { VersionIdMarker: versionMarker } : {}),
      }),
      { abortSignal: context.signal },
    );
    const targets: ObjectIdentifier[] = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]
      .filter((v) => typeof v.Key === 'string')
      .map((v) => ({ Key: v.Key as string, ...(v.VersionId ? { VersionId: v.VersionId } : {}) }));
    for (let i = 0; i < targets.length; i += DELETE_BATCH_SIZE) {
      const batch = targets.slice(i, i + DELETE_BATCH_SIZE);
      const output = await client.send(
        new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch, Quiet: true } }),
      );
      for (const error of output.Errors ?? []) context.fail(error.Key ?? '?', error.Message ?? error.Code ?? 'refused');
      context.advance(batch.length - (output.Errors?.length ?? 0));
    }
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
  } while (keyMarker);

  try {
    const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    for (const upload of uploads.Uploads ?? []) {
      await client.send(
        new AbortMultipartUploadCommand({ Bucket: bucket, Key: upload.Key, UploadId: upload.UploadId }),
      );
    }
  } catch (error) {
    // s3rver cannot list multipart uploads; the bucket deletion below says if any remain.
    if (classifyS3Error(error)?.code !== 'not-supported') throw error;
  }
  await client.send(new DeleteBucketCommand({ Bucket: bucket }));
  return (done: number) =>
    `Deleted the bucket ${bucket} and ${countOf(done, 'object or version', 'objects and versions')} in it.`;
}
