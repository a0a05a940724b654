/**
 * GETs sent beside the SDK (lean-get.ts), against MinIO: each object with a key that needs
 * encoding comes back with its own bytes and the facts the downloads read; a key the SDK would
 * send differently would be refused by the signature check or name another object. What is
 * not a 200 (a missing key, a refused signature) is left to the SDK, and a client made for
 * AWS never takes this path. (MinIO refuses keys with empty or "." segments; an SSE-C object's
 * download, which starts with a lean GET the service refuses, is in transfers-sse-c.int.test.ts.)
 */
import { createHash, randomBytes } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { freshBucket, s3ClientFor, type FreshBucket } from '../../../../test/s3-fixtures';
import { leanGetObject, type LeanGetOutput } from './lean-get';
import { createS3Client } from './s3-client';

const s3 = inject('s3');

/** Keys whose path must be encoded exactly as the SDK encodes it, or the signature fails. */
const keys = [
  'plain.txt',
  'with space.txt',
  'a+b.txt',
  'a b.txt',
  'percent%20literal.txt',
  'question?mark#hash&amp=eq;semi.txt',
  "brackets[]{}()!'*~.txt",
  'unicode/Grüße ünd 日本語 😀.txt',
  'deep/er/still/file.txt',
  'trailing-space .txt',
  'colon:at@comma,dollar$.txt',
  'tab\there.txt',
];

let bucket: FreshBucket;
let seeding: S3Client;
let client: S3Client;
const bodies = new Map<string, Buffer>();
const etags = new Map<string, string>();

async function readAll(output: LeanGetOutput): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of output.Body as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  bucket = await freshBucket(s3);
  seeding = s3ClientFor(s3);
  client = createS3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
  for (const key of keys) {
    const body = Buffer.concat([Buffer.from(`${key}\n`), randomBytes(1000 + bodies.size * 37)]);
    const put = await seeding.send(new PutObjectCommand({ Bucket: bucket.name, Key: key, Body: body }));
    bodies.set(key, body);
    etags.set(key, put.ETag ?? '');
  }
});

afterAll(async () => {
  client?.destroy();
  seeding?.destroy();
  await bucket?.cleanup();
});

describe('lean GETs', () => {
  test.each(keys)('%j comes back with its own bytes and facts', async (key) => {
    const output = await leanGetObject(client, bucket.name, key, new AbortController().signal);
    expect(output, 'the lean path was not taken (the service refused it)').toBeDefined();
    const bytes = await readAll(output!);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(
      createHash('sha256').update(bodies.get(key)!).digest('hex'),
    );
    expect(output!.ContentLength).toBe(bodies.get(key)!.length);
    expect(output!.ETag).toBe(etags.get(key));
    const sdk = await client.send(new GetObjectCommand({ Bucket: bucket.name, Key: key }));
    await sdk.Body?.transformToByteArray();
    expect(output!.LastModified?.toISOString()).toBe(sdk.LastModified?.toISOString());
  });

  test('a missing key and a refused signature are left to the SDK', async () => {
    const signal = new AbortController().signal;
    expect(await leanGetObject(client, bucket.name, 'no/such/key.txt', signal)).toBeUndefined();
    const wrong = createS3Client({
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: 'not-the-secret-at-all' },
    });
    try {
      expect(await leanGetObject(wrong, bucket.name, 'plain.txt', signal)).toBeUndefined();
    } finally {
      wrong.destroy();
    }
    // After the refusals, the connection is still good for the next GET.
    const again = await leanGetObject(client, bucket.name, 'plain.txt', signal);
    expect((await readAll(again!)).equals(bodies.get('plain.txt')!)).toBe(true);
  });

  test('an aborted GET fails instead of hanging', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(leanGetObject(client, bucket.name, 'plain.txt', controller.signal)).rejects.toThrow(/abort/i);
  });

  test('a client for AWS, and one made outside createS3Client, send only through the SDK', async () => {
    const aws = createS3Client({
      endpoint: '',
      region: 'us-east-1',
      forcePathStyle: false,
      credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' },
    });
    try {
      // Undefined before any request: nothing leaves for AWS from here.
      expect(await leanGetObject(aws, 'some-bucket', 'key', new AbortController().signal)).toBeUndefined();
      expect(await leanGetObject(seeding, bucket.name, 'plain.txt', new AbortController().signal)).toBeUndefined();
    } finally {
      aws.destroy();
    }
  });
});
