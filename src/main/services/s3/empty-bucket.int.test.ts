import { randomBytes } from 'node:crypto';
import {
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  DeleteObjectCommand,
  type S3Client,
  HeadBucketCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
} from '@aws-sdk/client-s3';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freshBucket, s3ClientFor, type FreshBucket } from '../../../../test/s3-fixtures';
import { servicesForLaunchAccount } from '../../../../test/services-for-launch-account';
import type { OperationContext } from '../operations/operation-registry';
import { deleteBucketWithContents, type EmptyBucketOptions } from './empty-bucket';

// Issue #10: "delete everything in it" on a versioned bucket of a few thousand objects stopped
// with "The bucket is not empty" when versioning had been turned on after some uploads (so
// there were `null` versions). The bucket here is built the same way, directly in MinIO, then
// emptied and deleted by the app's services through the hosts' dispatch.

const s3 = inject('s3');
const direct = s3ClientFor(s3);
const made: FreshBucket[] = [];
afterAll(async () => {
  for (const bucket of made) await bucket.cleanup();
  direct.destroy();
});

/** Runs `work` over `items`, `width` at a time. */
async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

/** How many versions and delete markers a bucket holds, counted page by page. */
async function countVersions(Bucket: string): Promise<number> {
  let count = 0;
  let KeyMarker: string | undefined;
  let VersionIdMarker: string | undefined;
  const seen = new Set<string>();
  for (;;) {
    const page = await direct.send(new ListObjectVersionsCommand({ Bucket, KeyMarker, VersionIdMarker }));
    for (const entry of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]) {
      seen.add(`${entry.Key ?? ''}\u0000${entry.VersionId ?? ''}`);
      count += 1;
    }
    if (!page.IsTruncated) break;
    KeyMarker = page.NextKeyMarker;
    // MinIO leaves the marker out after a null version; 'null' picks up right after it.
    VersionIdMarker = page.NextVersionIdMarker || 'null';
  }
  expect(seen.size, 'no version listed twice').toBe(count);
  return count;
}

/**
 * A bucket as the issue describes it: 300 objects uploaded before versioning was enabled
 * (null versions, each the oldest of its key), then 8 overwrites of each and a delete marker on
 * most: 2,900 versions and delete markers in all, and an unfinished multipart upload. The
 * first 100 keys hold 10 entries each, so the first page of 1,000 ends exactly on a key's null
 * version: the page boundary where deleting while listing skipped the next key.
 */
async function bucketWithHistory(): Promise<string> {
  const bucket = await freshBucket(s3);
  made.push(bucket);
  const Bucket = bucket.name;
  const keys = Array.from({ length: 300 }, (_, i) => `photos/${String(i).padStart(3, '0')}.jpg`);
  await inParallel(keys, 32, (Key) => direct.send(new PutObjectCommand({ Bucket, Key, Body: `null ${Key}` })));
  await direct.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  await inParallel(keys, 32, async (Key) => {
    for (let v = 1; v <= 8; v += 1) await direct.send(new PutObjectCommand({ Bucket, Key, Body: `v${v} ${Key}` }));
    const i = Number(Key.slice(7, 10));
    if (i < 100 || i % 2 === 0) await direct.send(new DeleteObjectCommand({ Bucket, Key }));
  });
  await direct.send(new CreateMultipartUploadCommand({ Bucket, Key: 'unfinished.bin' }));
  return Bucket;
}

describe('deleting a versioned bucket of 2,900 versions and delete markers, null versions among them', () => {
  it.each([
    { pageSize: 1000, what: 'pages of 1,000 (the default)' },
    { pageSize: 97, what: 'pages of 97, ending inside keys and on null versions' },
  ])('empties it and deletes it in one go, with $what', { timeout: 240_000 }, async ({ pageSize }) => {
    const Bucket = await bucketWithHistory();
    expect(await countVersions(Bucket)).toBe(2_900);
    const { services, runOperation } = servicesForLaunchAccount(s3, { listPageSize: pageSize });
    const changes: unknown[] = [];
    services.bus.onAny((channel, payload) => channel === 'objects.changed' && changes.push(payload));

    const outcome = await runOperation('buckets.deleteWithContents', { name: Bucket, confirmName: Bucket });

    expect(outcome).toMatchObject({ state: 'finished', done: 2_900, failedCount: 0 });
    expect(outcome.summary).toBe(`Deleted the bucket ${Bucket} and 2900 objects and versions in it.`);
    await expect(direct.send(new HeadBucketCommand({ Bucket }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 404 },
    });
    // The bucket list and any open view of it refresh.
    await expect.poll(() => changes).toContainEqual({ accountId: 'launch', bucket: null, prefix: null });
    await services.dispose();
  });
});

/** Runs the emptying directly (not through dispatch), to set its bounds; resolves with its summary and count. */
async function emptyDirectly(client: S3Client, Bucket: string, options: EmptyBucketOptions) {
  let done = 0;
  const failures: string[] = [];
  const context: OperationContext = {
    signal: new AbortController().signal,
    setTotal: () => undefined,
    advance: (count) => (done += count),
    fail: (key) => failures.push(key),
  };
  const summarize = await deleteBucketWithContents(client, Bucket, context, options);
  return { summary: summarize(done), done, failures };
}

/** A versioned bucket of `count` keys, each a null version under one newer version. */
async function smallVersionedBucket(count: number): Promise<string> {
  const bucket = await freshBucket(s3);
  made.push(bucket);
  const Bucket = bucket.name;
  const keys = Array.from({ length: count }, (_, i) => `photos/${String(i).padStart(3, '0')}.jpg`);
  await inParallel(keys, 16, (Key) => direct.send(new PutObjectCommand({ Bucket, Key, Body: 'null' })));
  await direct.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  await inParallel(keys, 16, (Key) => direct.send(new PutObjectCommand({ Bucket, Key, Body: 'v1' })));
  return Bucket;
}

/**
 * An app client that, before some of its DeleteObjects requests, has someone else upload a key
 * that sorts before every listed key: the pass under way has listed past it and misses it.
 */
function clientWithLateWriter(Bucket: string, writeBefore: (deleteRequest: number) => boolean): S3Client {
  const client = s3ClientFor(s3);
  let deletes = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'DeleteObjectsCommand' && writeBefore(deletes++)) {
        await direct.send(new PutObjectCommand({ Bucket, Key: `a-late-${deletes}.txt`, Body: 'late' }));
      }
      return next(args);
    },
    { step: 'initialize', name: 'lateWriter' },
  );
  return client;
}

describe('emptying a bucket, pass by pass', () => {
  it('needs one pass: pages that end on a null version skip nothing', { timeout: 240_000 }, async () => {
    const Bucket = await bucketWithHistory();
    const client = s3ClientFor(s3);
    // Pages of 100 end on a key's null version ten times in the first 1,000 entries.
    const result = await emptyDirectly(client, Bucket, { pageSize: 100, maxPasses: 1 });
    expect(result).toMatchObject({ done: 2_900, failures: [] });
    await expect(direct.send(new HeadBucketCommand({ Bucket }))).rejects.toThrow();
    client.destroy();
  });

  it('lists again from the start when something appeared behind the listing', async () => {
    const Bucket = await smallVersionedBucket(30);
    const client = clientWithLateWriter(Bucket, (n) => n === 0);
    const result = await emptyDirectly(client, Bucket, { pageSize: 10 });
    // 60 versions, and the late upload found by the second pass.
    expect(result).toEqual({
      summary: `Deleted the bucket ${Bucket} and 61 objects and versions in it.`,
      done: 61,
      failures: [],
    });
    await expect(direct.send(new HeadBucketCommand({ Bucket }))).rejects.toThrow();
    client.destroy();
  });

  it('gives up after its bound, saying so, when something keeps writing', async () => {
    const Bucket = await smallVersionedBucket(30);
    const client = clientWithLateWriter(Bucket, () => true);
    await expect(emptyDirectly(client, Bucket, { pageSize: 10, maxPasses: 3 })).rejects.toThrow(
      `The bucket ${Bucket} was not deleted: it still held something after 3 rounds of listing and deleting everything in it.`,
    );
    await direct.send(new HeadBucketCommand({ Bucket }));
    client.destroy();
  });
});

describe('a bucket holding a version the service will not delete', () => {
  it('stops at once, names it, keeps the bucket, and refreshes its view', async () => {
    // Object lock needs a bucket made with it; freshBucket does not, so this test cleans up itself.
    const Bucket = `t-lock-${randomBytes(6).toString('hex')}`;
    await direct.send(new CreateBucketCommand({ Bucket, ObjectLockEnabledForBucket: true }));
    try {
      for (const Key of ['free.txt', 'held.txt']) await direct.send(new PutObjectCommand({ Bucket, Key, Body: Key }));
      await direct.send(new PutObjectLegalHoldCommand({ Bucket, Key: 'held.txt', LegalHold: { Status: 'ON' } }));
      const { services, runOperation } = servicesForLaunchAccount(s3);
      const changes: unknown[] = [];
      services.bus.onAny((channel, payload) => channel === 'objects.changed' && changes.push(payload));

      const outcome = await runOperation('buckets.deleteWithContents', { name: Bucket, confirmName: Bucket });

      expect(outcome, outcome.summary).toMatchObject({ state: 'failed', done: 1, failedCount: 1 });
      expect(outcome.failures.map((f) => f.key)).toEqual(['held.txt']);
      expect(outcome.summary).toBe(
        `Stopped after 1 items: The bucket ${Bucket} was not deleted: the service refused to delete 1 object, version or upload in it.`,
      );
      await direct.send(new HeadBucketCommand({ Bucket }));
      await expect.poll(() => changes).toContainEqual({ accountId: 'launch', bucket: Bucket, prefix: '' });
      expect(changes).toContainEqual({ accountId: 'launch', bucket: null, prefix: null });
      await services.dispose();
    } finally {
      await direct.send(new PutObjectLegalHoldCommand({ Bucket, Key: 'held.txt', LegalHold: { Status: 'OFF' } }));
      const left = await direct.send(new ListObjectVersionsCommand({ Bucket }));
      const Objects = [...(left.Versions ?? []), ...(left.DeleteMarkers ?? [])].map((v) => ({
        Key: v.Key ?? '',
        VersionId: v.VersionId ?? '',
      }));
      if (Objects.length > 0) await direct.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects } }));
      await direct.send(new DeleteBucketCommand({ Bucket }));
    }
  });
});
