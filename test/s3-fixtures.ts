/**
 * Helpers for integration tests that talk to the real S3 server started by
 * test/global-setup-s3.ts.
 */
import { randomBytes } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  PutBucketVersioningCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  type ListMultipartUploadsCommandOutput,
  type ListObjectVersionsCommandOutput,
  S3Client,
  type ObjectIdentifier,
} from '@aws-sdk/client-s3';
import type { RunningS3 } from '../scripts/minio';

/** What tests get from the global setup: a running server's address and credentials (JSON-serializable, no stop). */
export type RunningS3Info = Omit<RunningS3, 'stop'>;

/** An S3 client for the test server, configured as the app configures clients for non-AWS endpoints. */
export function s3ClientFor(s3: RunningS3Info): S3Client {
  return new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    // Path style: 127.0.0.1 has no per-bucket host names.
    forcePathStyle: true,
    // The SDK's default CRC32 checksums break several non-AWS servers (see docs/DESIGN).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** A bucket made for one test, and the function that empties and deletes it. */
export interface FreshBucket {
  name: string;
  cleanup(): Promise<void>;
}

/** Creates a bucket with a random name (`t-<hex>`), with versioning on if asked; `cleanup` empties and deletes it. */
export async function freshBucket(s3: RunningS3Info, opts: { versioning?: boolean } = {}): Promise<FreshBucket> {
  const client = s3ClientFor(s3);
  const name = `t-${randomBytes(8).toString('hex')}`;
  try {
    await client.send(new CreateBucketCommand({ Bucket: name }));
    if (opts.versioning) {
      await client.send(
        new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Enabled' } }),
      );
    }
  } catch (err) {
    client.destroy();
    throw err;
  }

  let cleaned: Promise<void> | undefined;
  const cleanup = (): Promise<void> => {
    cleaned ??= (async () => {
      try {
        await emptyBucket(client, name);
        await client.send(new DeleteBucketCommand({ Bucket: name }));
      } catch (err) {
        // A test that deleted its bucket itself has nothing left to clean.
        if (!(err instanceof Error && err.name === 'NoSuchBucket')) throw err;
      } finally {
        client.destroy();
      }
    })();
    return cleaned;
  };
  return { name, cleanup };
}

/** Deletes every object version, delete marker and unfinished multipart upload in a bucket. */
async function emptyBucket(client: S3Client, bucket: string): Promise<void> {
  // Unfinished uploads left by transfer tests would otherwise keep the bucket from being deleted.
  await abortUploads(client, bucket);

  // Collect first, delete after: deleting while paginating would shift the listing's markers.
  const targets: ObjectIdentifier[] = [];
  let versionKeyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  do {
    const page: ListObjectVersionsCommandOutput = await client.send(
      new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: versionKeyMarker, VersionIdMarker: versionIdMarker }),
    );
    for (const entry of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]) {
      if (entry.Key !== undefined) {
        targets.push(entry.VersionId ? { Key: entry.Key, VersionId: entry.VersionId } : { Key: entry.Key });
      }
    }
    [versionKeyMarker, versionIdMarker] = page.IsTruncated ? [page.NextKeyMarker, page.NextVersionIdMarker] : [];
  } while (versionKeyMarker !== undefined);

  // DeleteObjects takes at most 1000 keys per request.
  for (let i = 0; i < targets.length; i += 1000) {
    const result = await client.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: targets.slice(i, i + 1000), Quiet: true } }),
    );
    const failed = result.Errors ?? [];
    if (failed.length > 0) {
      const first = failed[0];
      throw new Error(
        `could not empty bucket ${bucket}: ${failed.length} deletes failed, first ${first?.Key ?? '?'}: ${first?.Code ?? ''} ${first?.Message ?? ''}`,
      );
    }
  }
}

/** Empties a bucket (every version, delete marker and unfinished upload) and deletes it. */
/**
 * Aborts every unfinished multipart upload in a bucket (under a prefix, when given). The SDK
 * has no paginator for this listing, hence the marker loop.
 */
export async function abortUploads(client: S3Client, bucket: string, prefix?: string): Promise<void> {
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  do {
    const page: ListMultipartUploadsCommandOutput = await client.send(
      new ListMultipartUploadsCommand({
        Bucket: bucket,
        ...(prefix !== undefined ? { Prefix: prefix } : {}),
        ...(keyMarker !== undefined ? { KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker } : {}),
      }),
    );
    for (const upload of page.Uploads ?? []) {
      if (upload.Key && upload.UploadId) {
        await client.send(
          new AbortMultipartUploadCommand({ Bucket: bucket, Key: upload.Key, UploadId: upload.UploadId }),
        );
      }
    }
    [keyMarker, uploadIdMarker] = page.IsTruncated ? [page.NextKeyMarker, page.NextUploadIdMarker] : [];
  } while (keyMarker !== undefined);
}

export async function emptyAndDeleteBucket(client: S3Client, bucket: string): Promise<void> {
  await emptyBucket(client, bucket);
  await client.send(new DeleteBucketCommand({ Bucket: bucket }));
}
