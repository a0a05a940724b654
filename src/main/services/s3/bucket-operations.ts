import {
  CreateBucketCommand,
  DeleteBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type BucketLocationConstraint,
  type S3Client,
} from '@aws-sdk/client-s3';
import { AppFailure } from '../app-failure';
import { classifyS3Error } from './classify-s3-error';

/**
 * Creates a bucket. us-east-1 takes no location constraint (S3 refuses one); other regions
 * need it. A name taken elsewhere or already ours comes back as a conflict. With `objectLock`
 * the bucket is created with Object Lock (and so with versioning), which only creation can give.
 */
export async function createBucket(
  client: S3Client,
  name: string,
  region: string,
  options: { objectLock?: boolean } = {},
): Promise<void> {
  const constraint = region && region !== 'us-east-1' ? (region as BucketLocationConstraint) : undefined;
  await client.send(
    new CreateBucketCommand({
      Bucket: name,
      ...(options.objectLock ? { ObjectLockEnabledForBucket: true } : {}),
      ...(constraint ? { CreateBucketConfiguration: { LocationConstraint: constraint } } : {}),
    }),
  );
}

/** Deletes an empty bucket; a bucket that still holds objects is refused with a message saying so. */
export async function deleteEmptyBucket(client: S3Client, name: string): Promise<void> {
  try {
    await client.send(new DeleteBucketCommand({ Bucket: name }));
  } catch (error) {
    if ((error as { name?: string }).name === 'BucketNotEmpty') {
      throw new AppFailure(
        'conflict',
        `The bucket ${name} is not empty. Delete its objects first, or confirm deleting everything in it.`,
      );
    }
    throw error;
  }
}

/** True where a key exists as an object, or as a folder that holds something. */
async function folderExists(client: S3Client, bucket: string, prefix: string): Promise<boolean> {
  try {
    await client.send(new HeadObjectCommand({ Bucket: bucket, Key: prefix }));
    return true;
  } catch (error) {
    if (classifyS3Error(error)?.code !== 'no-such-key') throw error;
  }
  const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 1 }));
  return (listed.KeyCount ?? 0) > 0;
}

/** Creates a folder: a zero-byte object whose key ends in '/', refused where the folder exists. */
export async function createFolder(client: S3Client, bucket: string, parent: string, name: string): Promise<string> {
  const key = `${parent}${name}/`;
  if (new TextEncoder().encode(key).length > 1024) {
    throw new AppFailure('invalid-input', 'That folder path would be longer than 1,024 bytes, the most S3 allows.');
  }
  if (await folderExists(client, bucket, key)) {
    throw new AppFailure('conflict', `A folder named "${name}" already exists here.`);
  }
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: new Uint8Array(0) }));
  return key;
}
