import {
  AbortMultipartUploadCommand,
  DeleteBucketCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  type ObjectIdentifier,
  type S3Client,
} from '@aws-sdk/client-s3';
import { countOf } from '../../../shared/names';
import type { OperationContext } from '../operations/operation-registry';
import { classifyS3Error } from './classify-s3-error';
import { deleteInBatches } from './delete-objects';

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
    const refused = await deleteInBatches(client, bucket, targets);
    for (const { key, message } of refused) context.fail(key, message);
    context.advance(targets.length - refused.length);
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
