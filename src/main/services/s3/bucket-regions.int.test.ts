import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { freshBucket, type FreshBucket } from '../../../../test/s3-fixtures';
import { createBucketRegions } from './bucket-regions';
import { createS3Client } from './s3-client';

const s3 = inject('s3');
const buckets: FreshBucket[] = [];
afterEach(async () => {
  for (const bucket of buckets.splice(0)) await bucket.cleanup();
});

describe('bucket region detection', () => {
  it('finds a bucket region from HeadBucket even when the account region is wrong, then uses it', async () => {
    const bucket = await freshBucket(s3);
    buckets.push(bucket);
    const regionsAsked: string[] = [];
    const regions = createBucketRegions({
      defaultRegion: 'eu-west-3',
      clientFor: (region) => {
        regionsAsked.push(region);
        return createS3Client({
          endpoint: s3.endpoint,
          region,
          forcePathStyle: true,
          credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
        });
      },
    });
    try {
      expect(await regions.regionOf(bucket.name)).toBe(s3.region);
      const client = await regions.clientForBucket(bucket.name);
      const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket.name }));
      expect(listed.KeyCount).toBe(0);
      // Cached: a second look-up asks nothing and makes no new client.
      await regions.clientForBucket(bucket.name);
      expect(regionsAsked).toEqual(['eu-west-3', s3.region]);
    } finally {
      regions.destroy();
    }
  });
});
