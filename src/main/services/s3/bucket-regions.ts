import { HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';

/**
 * Finds and caches the region of each bucket (HeadBucket's x-amz-bucket-region, which S3
 * sends even on a 301 or 403), and keeps one client per region, so that a bucket in another
 * region than the account's just works.
 */
export function createBucketRegions(options: { defaultRegion: string; clientFor: (region: string) => S3Client }) {
  const regions = new Map<string, string>();
  const clients = new Map<string, S3Client>();

  function clientForRegion(region: string): S3Client {
    let client = clients.get(region);
    if (!client) {
      client = options.clientFor(region);
      clients.set(region, client);
    }
    return client;
  }

  async function regionOf(bucket: string): Promise<string> {
    const known = regions.get(bucket);
    if (known) return known;
    let region = options.defaultRegion;
    try {
      const output = await clientForRegion(options.defaultRegion).send(new HeadBucketCommand({ Bucket: bucket }));
      region = output.BucketRegion ?? region;
    } catch (error) {
      const headers = (error as { $response?: { headers?: Record<string, string> } }).$response?.headers;
      region = headers?.['x-amz-bucket-region'] ?? region;
    }
    regions.set(bucket, region);
    return region;
  }

  return {
    /** The client of the account's own region. */
    defaultClient: () => clientForRegion(options.defaultRegion),
    /** A client signing for the bucket's region. */
    async clientForBucket(bucket: string): Promise<S3Client> {
      return clientForRegion(await regionOf(bucket));
    },
    regionOf,
    /** Closes every client (on account edit or removal). */
    destroy() {
      for (const client of clients.values()) client.destroy();
      clients.clear();
      regions.clear();
    },
  };
}

/** What createBucketRegions returns. */
export type BucketRegions = ReturnType<typeof createBucketRegions>;
