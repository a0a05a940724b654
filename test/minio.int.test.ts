import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { freshBucket, s3ClientFor, type FreshBucket } from './s3-fixtures';

// Proves that the integration project talks to a real S3 server, with versioning,
// and not to something that merely accepts requests.
describe('the S3 server of the integration tests', () => {
  const s3 = inject('s3');
  const client = s3ClientFor(s3);
  const buckets: FreshBucket[] = [];

  afterEach(async () => {
    await Promise.all(buckets.splice(0).map((b) => b.cleanup()));
  });

  it('stores and returns the same bytes', async () => {
    const bucket = await freshBucket(s3);
    buckets.push(bucket);
    const body = randomBytes(64 * 1024);

    await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'dir/file.bin', Body: body }));
    const got = await client.send(new GetObjectCommand({ Bucket: bucket.name, Key: 'dir/file.bin' }));
    const bytes = await got.Body?.transformToByteArray();

    expect(bytes && Buffer.from(bytes).equals(body)).toBe(true);
  });

  it('keeps two versions of a key in a versioned bucket', async () => {
    const bucket = await freshBucket(s3, { versioning: true });
    buckets.push(bucket);

    const first = await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'same', Body: 'one' }));
    const second = await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'same', Body: 'two' }));

    expect(first.VersionId).toBeTruthy();
    expect(second.VersionId).toBeTruthy();
    expect(second.VersionId).not.toBe(first.VersionId);
    expect(first.VersionId).not.toBe('null');
  });
});
