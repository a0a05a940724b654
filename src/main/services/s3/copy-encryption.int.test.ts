/**
 * Copies with a chosen server-side encryption (SSE-S3, SSE-KMS), and copies that keep the
 * source's, through the real services against the test MinIO (started with a built-in KMS).
 */
import { createHash, randomBytes } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { freshBucket, s3ClientFor, type FreshBucket } from '../../../../test/s3-fixtures';
import { servicesForLaunchAccount } from '../../../../test/services-for-launch-account';
import { TEST_KMS_KEY_ID } from '../../../../scripts/minio';

const s3 = inject('s3');
const client = s3ClientFor(s3);
const { services, runOperation } = servicesForLaunchAccount(s3);
const cleanups: FreshBucket[] = [];
let bucket: string;
beforeEach(async () => {
  const made = await freshBucket(s3);
  cleanups.push(made);
  bucket = made.name;
});
afterAll(async () => {
  for (const made of cleanups) await made.cleanup();
  await services.dispose();
  client.destroy();
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The bytes of an object, hashed. */
async function digestOf(key: string): Promise<string> {
  const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return sha256((await got.Body?.transformToByteArray()) ?? new Uint8Array());
}

const copyTo = (targetPrefix: string, items: string[], encryption?: object) =>
  runOperation('objects.transfer', {
    mode: 'copy',
    sourceBucket: bucket,
    items,
    targetBucket: bucket,
    targetPrefix,
    onConflict: 'replace',
    ...(encryption ? { encryption } : {}),
  });

describe('copy with a chosen encryption', () => {
  it('SSE-S3 and SSE-KMS chosen: each copy is stored encrypted so, with the same bytes', async () => {
    const body = randomBytes(10_000);
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'docs/a.bin', Body: body }));

    expect(await copyTo('s3/', ['docs/a.bin'], { mode: 'SSE-S3' })).toMatchObject({ state: 'finished', done: 1 });
    const s3Head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 's3/a.bin' }));
    expect(s3Head.ServerSideEncryption).toBe('AES256');
    expect(await digestOf('s3/a.bin')).toBe(sha256(body));

    const kms = { mode: 'SSE-KMS', kmsKeyId: TEST_KMS_KEY_ID };
    expect(await copyTo('kms/', ['docs/a.bin'], kms)).toMatchObject({ state: 'finished', done: 1 });
    const kmsHead = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'kms/a.bin' }));
    expect(kmsHead.ServerSideEncryption).toBe('aws:kms');
    expect(kmsHead.SSEKMSKeyId).toContain(TEST_KMS_KEY_ID);
    expect(await digestOf('kms/a.bin')).toBe(sha256(body));
  });

  it('keeps an SSE-KMS object encrypted with its key when nothing is chosen, and moves it so', async () => {
    const body = randomBytes(10_000);
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'secret.bin',
        Body: body,
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: TEST_KMS_KEY_ID,
      }),
    );
    const moved = await runOperation('objects.transfer', {
      mode: 'move',
      sourceBucket: bucket,
      items: ['secret.bin'],
      targetBucket: bucket,
      targetPrefix: 'moved/',
      onConflict: 'replace',
    });
    expect(moved).toMatchObject({ state: 'finished', done: 1, failedCount: 0 });
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'moved/secret.bin' }));
    expect(head.ServerSideEncryption).toBe('aws:kms');
    expect(head.SSEKMSKeyId).toContain(TEST_KMS_KEY_ID);
    expect(await digestOf('moved/secret.bin')).toBe(sha256(body));
    await expect(client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'secret.bin' }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('keeps a plain object plain when no encryption is chosen (the ETag still verifies the copy)', async () => {
    const body = randomBytes(10_000);
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'a.bin', Body: body }));
    const copied = await runOperation('objects.transfer', {
      mode: 'copy',
      sourceBucket: bucket,
      items: ['a.bin'],
      targetBucket: bucket,
      targetPrefix: 'copies/',
      onConflict: 'replace',
    });
    expect(copied).toMatchObject({ state: 'finished', done: 1, failedCount: 0 });
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'copies/a.bin' }));
    expect(head.ServerSideEncryption).toBeUndefined();
    expect(head.ContentLength).toBe(body.length);
  });
});
