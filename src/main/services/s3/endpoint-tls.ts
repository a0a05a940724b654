import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getEndpointFromInstructions } from '@smithy/core/endpoints';

const answers = new WeakMap<S3Client, Map<string, Promise<boolean>>>();

/**
 * Whether a bucket's requests through `client` go over TLS (https), by the SDK's own endpoint
 * rules (AWS's derived endpoints included); false when they cannot be resolved. Asked once per
 * client and bucket: a folder of thousands of files asks for every file.
 */
export function reachedOverTls(client: S3Client, bucket: string): Promise<boolean> {
  let buckets = answers.get(client);
  if (!buckets) answers.set(client, (buckets = new Map()));
  let answer = buckets.get(bucket);
  if (!answer) {
    answer = getEndpointFromInstructions({ Bucket: bucket, Key: 'k' }, GetObjectCommand, client.config).then(
      (endpoint) => endpoint.url.protocol === 'https:',
      () => false,
    );
    buckets.set(bucket, answer);
  }
  return answer;
}
