import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningS3Server } from '../../../../scripts/s3-servers/launcher';
import { s3ServerLaunchers } from '../../../../scripts/s3-servers/registry';
import { emptyAndDeleteBucket, s3ClientFor, type RunningS3Info } from '../../../../test/s3-fixtures';
import { probeBucket } from './probes';

// The POST-form probe against moto, which stores a form's file without checking its policy: the
// probe must take back everything it stored. In an Object Lock bucket (versioned) a plain delete
// left the probe's version behind a delete marker, and moto then refused the bucket's default
// retention ("Bucket needs to be empty"): the compatibility suite's Object Lock journey found it.

let moto: RunningS3Server;
let client: S3Client;

beforeAll(async () => {
  moto = await s3ServerLaunchers.moto.start();
  client = s3ClientFor(moto as unknown as RunningS3Info);
});
afterAll(async () => {
  client?.destroy();
  await moto?.stop();
});

it('on moto: the POST-form probe finds no policy check and leaves no version in an Object Lock bucket', async () => {
  const bucket = `probe-${randomBytes(5).toString('hex')}`;
  await client.send(new CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: true }));
  try {
    const found = await probeBucket(client, client, bucket, ['postPolicy']);
    expect(found.postPolicy).toMatchObject({ support: 'no', reason: expect.stringContaining('without checking') });
    const left = await client.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    expect([...(left.Versions ?? []), ...(left.DeleteMarkers ?? [])].map((v) => v.Key)).toEqual([]);
  } finally {
    await emptyAndDeleteBucket(client, bucket).catch(() => undefined);
  }
});
