import { randomBytes } from 'node:crypto';
import {
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freshBucket, s3ClientFor, type FreshBucket } from '../../../../test/s3-fixtures';
import { servicesForLaunchAccount } from '../../../../test/services-for-launch-account';

const s3 = inject('s3');
const client = s3ClientFor(s3);
const { services, call } = servicesForLaunchAccount(s3);
const changes: unknown[] = [];
services.bus.onAny((channel, payload) => channel === 'objects.changed' && changes.push(payload));
const cleanups: FreshBucket[] = [];
afterAll(async () => {
  for (const bucket of cleanups) await bucket.cleanup();
  client.destroy();
});

describe('bucket operations', () => {
  it('creates a bucket and deletes it once empty, announcing both', async () => {
    const name = `made-${randomBytes(5).toString('hex')}`;
    expect(await call('buckets.create', { name })).toEqual({ ok: true, value: { name } });
    await client.send(new HeadBucketCommand({ Bucket: name }));
    expect(await call('buckets.create', { name })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await call('buckets.delete', { name })).toEqual({ ok: true, value: { deleted: true } });
    await expect(client.send(new HeadBucketCommand({ Bucket: name }))).rejects.toThrow();
    expect(changes).toContainEqual({ accountId: 'launch', bucket: null, prefix: null });
  });

  it('refuses invalid bucket names before sending anything', async () => {
    for (const name of ['MyBucket', 'ab', '192.168.0.1']) {
      const result = await call('buckets.create', { name });
      expect(result, name).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
      await expect(client.send(new HeadBucketCommand({ Bucket: name.toLowerCase() })), name).rejects.toThrow();
    }
  });

  it('refuses to delete a bucket that is not empty, and changes nothing', async () => {
    const bucket = await freshBucket(s3);
    cleanups.push(bucket);
    await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'keep.txt', Body: 'keep' }));
    const result = await call('buckets.delete', { name: bucket.name });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/not empty/) },
    });
    await client.send(new HeadObjectCommand({ Bucket: bucket.name, Key: 'keep.txt' }));
  });
});

describe('new folder', () => {
  it("creates a zero-byte key ending in '/', refuses an existing one and a name with '/'", async () => {
    const bucket = await freshBucket(s3);
    cleanups.push(bucket);
    expect(await call('folders.create', { bucket: bucket.name, parent: 'docs/', name: 'Reports 2026' })).toEqual({
      ok: true,
      value: { key: 'docs/Reports 2026/' },
    });
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket.name, Key: 'docs/Reports 2026/' }));
    expect(head.ContentLength).toBe(0);
    expect(changes).toContainEqual({ accountId: 'launch', bucket: bucket.name, prefix: 'docs/' });

    expect(await call('folders.create', { bucket: bucket.name, parent: 'docs/', name: 'Reports 2026' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    // A folder that exists only because keys live under it counts as existing too.
    await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'implicit/file.txt', Body: 'x' }));
    expect(await call('folders.create', { bucket: bucket.name, parent: '', name: 'implicit' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(await call('folders.create', { bucket: bucket.name, parent: '', name: 'a/b' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringMatching(/cannot contain/) },
    });
  });
});

describe('deleting a bucket with everything in it', () => {
  it('needs the typed name, then removes every version, delete marker and unfinished upload, and the bucket', async () => {
    const { runOperation } = servicesForLaunchAccount(s3);
    const bucket = await freshBucket(s3, { versioning: true });
    const Bucket = bucket.name;
    for (let i = 0; i < 5; i += 1) await client.send(new PutObjectCommand({ Bucket, Key: 'doc.txt', Body: `v${i}` }));
    await client.send(new PutObjectCommand({ Bucket, Key: 'folder/a.txt', Body: 'a' }));
    await client.send(new DeleteObjectCommand({ Bucket, Key: 'folder/a.txt' }));
    await client.send(new CreateMultipartUploadCommand({ Bucket, Key: 'unfinished.bin' }));

    expect(await call('buckets.deleteWithContents', { name: Bucket, confirmName: 'wrong' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
    await client.send(new HeadBucketCommand({ Bucket }));

    const outcome = await runOperation('buckets.deleteWithContents', { name: Bucket, confirmName: Bucket });
    // 5 versions of doc.txt, a.txt and its delete marker.
    expect(outcome).toMatchObject({ state: 'finished', done: 7 });
    await expect(client.send(new HeadBucketCommand({ Bucket }))).rejects.toThrow();
  });
});
