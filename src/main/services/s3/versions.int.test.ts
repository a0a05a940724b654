import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { VersionListing } from '../../../shared/objects';
import { freshBucket, s3ClientFor, type FreshBucket } from '../../../../test/s3-fixtures';
import { servicesForLaunchAccount } from '../../../../test/services-for-launch-account';

const s3 = inject('s3');
const client = s3ClientFor(s3);
const { call } = servicesForLaunchAccount(s3);
const cleanups: FreshBucket[] = [];
afterAll(async () => {
  for (const bucket of cleanups) await bucket.cleanup();
  client.destroy();
});

const read = async (Bucket: string, Key: string) =>
  (await client.send(new GetObjectCommand({ Bucket, Key }))).Body?.transformToString();

describe('versions', () => {
  it('lists versions and delete markers, restores an old version, and deletes one', async () => {
    const bucket = await freshBucket(s3, { versioning: true });
    cleanups.push(bucket);
    const Bucket = bucket.name;
    const v1 = (await client.send(new PutObjectCommand({ Bucket, Key: 'doc.txt', Body: 'first' }))).VersionId;
    await new Promise((resolve) => setTimeout(resolve, 20));
    const v2 = (await client.send(new PutObjectCommand({ Bucket, Key: 'doc.txt', Body: 'second' }))).VersionId;
    await client.send(new PutObjectCommand({ Bucket, Key: 'doc.txt.bak', Body: 'other key, same prefix' }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await client.send(new DeleteObjectCommand({ Bucket, Key: 'doc.txt' }));

    const listed = await call('versions.list', { bucket: Bucket, key: 'doc.txt' });
    if (!listed.ok) throw new Error(listed.error.message);
    const listing = listed.value as VersionListing;
    expect(listing).toMatchObject({ supported: true, bucketVersioning: 'enabled' });
    expect(listing.versions.map((v) => [v.isDeleteMarker, v.isLatest])).toEqual([
      [true, true],
      [false, false],
      [false, false],
    ]);
    expect(listing.versions.slice(1).map((v) => v.versionId)).toEqual([v2, v1]);

    expect(await call('versions.restore', { bucket: Bucket, key: 'doc.txt', versionId: v1 })).toMatchObject({
      ok: true,
    });
    expect(await read(Bucket, 'doc.txt')).toBe('first');

    expect(await call('versions.delete', { bucket: Bucket, key: 'doc.txt', versionId: v2 })).toEqual({
      ok: true,
      value: { deleted: true },
    });
    const after = (await call('versions.list', { bucket: Bucket, key: 'doc.txt' })) as { value: VersionListing };
    expect(after.value.versions.map((v) => v.versionId)).not.toContain(v2);
    expect(after.value.versions).toHaveLength(3);
  });

  it('says versioning is off in a bucket without it, listing the one null version', async () => {
    const bucket = await freshBucket(s3);
    cleanups.push(bucket);
    await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'a.txt', Body: 'a' }));
    expect(await call('versions.list', { bucket: bucket.name, key: 'a.txt' })).toMatchObject({
      ok: true,
      value: { supported: true, bucketVersioning: 'off', versions: [{ versionId: 'null', isLatest: true }] },
    });
  });
});
