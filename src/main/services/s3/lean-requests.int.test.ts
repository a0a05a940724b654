/**
 * GETs, PUTs and listings sent beside the SDK (lean-requests.ts, list-xml.ts), against MinIO: each object with a key that needs
 * encoding comes back with its own bytes and the facts the downloads read; a key the SDK would
 * send differently would be refused by the signature check or name another object. A refusal
 * fails as the SDK's request fails (its name, message and status), a skewed clock is corrected
 * as the SDK corrects it, and a client made for AWS never takes this path. A listing's pages,
 * read by the app's own reader, are the SDK's pages; a listing the service refuses is left to
 * the SDK, which fails it as before. (MinIO refuses keys with empty or "." segments; an SSE-C object's
 * download, which starts with a lean GET the service refuses, is in transfers-sse-c.int.test.ts.)
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { freshBucket, s3ClientFor, type FreshBucket } from '../../../../test/s3-fixtures';
import { leanGetSmall, leanPutSmall } from './kept-connections';
import { leanGetObject, leanListObjectsV2, type LeanGetOutput } from './lean-requests';
import { listObjectsPage } from './list-objects';
import { readListBucketResult } from './list-xml';
import { createS3Client } from './s3-client';
import { crc32Of } from '../transfers/crc32';

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

/** A client for the test MinIO as the app makes them (createS3Client), with its secret or another. */
function appClient(secretAccessKey = s3.secretAccessKey): S3Client {
  return createS3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey },
  });
}

async function readAll(output: LeanGetOutput): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of output.Body as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  bucket = await freshBucket(s3);
  seeding = s3ClientFor(s3);
  client = appClient();
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

  test.each(keys)('%j comes back over a kept connection with its own bytes and facts', async (key) => {
    const answer = await leanGetSmall(
      client,
      bucket.name,
      key,
      { checksums: false, maxBytes: 1024 * 1024 },
      new AbortController().signal,
    );
    if (answer === 'not-lean' || answer.bytes === undefined) throw new Error('the kept connection was not taken');
    expect(answer.bytes.equals(bodies.get(key)!)).toBe(true);
    expect(answer.head.headers.etag).toBe(etags.get(key));
  });

  test('a missing key and a refused signature fail as the SDK fails them, and the connection is kept', async () => {
    const signal = new AbortController().signal;
    const wrong = appClient('not-the-secret-at-all');
    try {
      for (const [via, key] of [
        [client, 'no/such/key.txt'],
        [wrong, 'plain.txt'],
      ] as const) {
        const sdk = await via.send(new GetObjectCommand({ Bucket: bucket.name, Key: key })).catch((e: unknown) => e);
        const lean = await leanGetObject(via, bucket.name, key, signal).catch((e: unknown) => e);
        expect(lean).toBeInstanceOf(Error);
        expect(lean).toMatchObject({
          name: (sdk as Error).name,
          message: (sdk as Error).message,
          $metadata: { httpStatusCode: (sdk as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode },
        });
      }
    } finally {
      wrong.destroy();
    }
    const again = await leanGetObject(client, bucket.name, 'plain.txt', signal);
    expect((await readAll(again!)).equals(bodies.get('plain.txt')!)).toBe(true);
  });

  test("a clock 20 minutes off fails once, then the service's time is taken, as the SDK takes it", async () => {
    const skewed = appClient();
    try {
      skewed.config.systemClockOffset = -20 * 60_000;
      const signal = new AbortController().signal;
      await expect(leanGetObject(skewed, bucket.name, 'plain.txt', signal)).rejects.toMatchObject({
        name: 'RequestTimeTooSkewed',
        $metadata: { httpStatusCode: 403 },
      });
      expect(Math.abs(skewed.config.systemClockOffset)).toBeLessThan(5_000);
      const next = await leanGetObject(skewed, bucket.name, 'plain.txt', signal);
      expect((await readAll(next!)).equals(bodies.get('plain.txt')!)).toBe(true);
    } finally {
      skewed.destroy();
    }
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

describe('lean PUTs (over kept connections)', () => {
  const digest = (algorithm: string, bytes: Buffer) => createHash(algorithm).update(bytes).digest();

  test.each(keys)('%j is stored with its bytes, type and checksum', async (key) => {
    const name = `put/${key}`;
    const body = Buffer.concat([Buffer.from(name), randomBytes(2048)]);
    const answer = await leanPutSmall(
      client,
      bucket.name,
      name,
      { body, sha256: digest('sha256', body), crc32: crc32Of(body), contentType: 'text/x-lean; charset=utf-8' },
      new AbortController().signal,
    );
    expect(answer, 'the lean path was not taken (the service refused it)').toBeDefined();
    expect(answer!.ETag).toBe(`"${digest('md5', body).toString('hex')}"`);
    expect(answer!.ChecksumCRC32).toBe(crc32Of(body).toString('base64'));
    const stored = await seeding.send(
      new GetObjectCommand({ Bucket: bucket.name, Key: name, ChecksumMode: 'ENABLED' }),
    );
    expect(Buffer.from(await stored.Body!.transformToByteArray()).equals(body)).toBe(true);
    expect(stored.ContentType).toBe('text/x-lean; charset=utf-8');
    expect(stored.ChecksumCRC32).toBe(crc32Of(body).toString('base64'));
  });

  test('Content-MD5 instead of a checksum, and an empty body', async () => {
    for (const body of [Buffer.from('md5 only'), Buffer.alloc(0)]) {
      const name = `put/md5-${body.length}`;
      const answer = await leanPutSmall(
        client,
        bucket.name,
        name,
        {
          body,
          sha256: digest('sha256', body),
          contentMd5: digest('md5', body),
          contentType: 'application/octet-stream',
        },
        new AbortController().signal,
      );
      expect(answer?.ETag).toBe(`"${digest('md5', body).toString('hex')}"`);
      const head = await seeding.send(new HeadObjectCommand({ Bucket: bucket.name, Key: name }));
      expect(head.ContentLength).toBe(body.length);
    }
  });

  test('bytes that do not match their digests are refused as the SDK is refused, and nothing is stored', async () => {
    const body = Buffer.from('the bytes sent');
    const other = Buffer.from('the bytes hashed');
    // The third: the CRC32 right and the signed SHA-256 wrong (a CRC32 is easily matched by changed
    // bytes, so beside one the SHA-256 is still what the signature binds the bytes by); the
    // fourth: the SHA-256 right and the stored CRC32 wrong.
    const attempts = [
      { sha256: digest('sha256', other) },
      { sha256: digest('sha256', body), contentMd5: digest('md5', other) },
      { sha256: digest('sha256', other), crc32: crc32Of(body) },
      { sha256: digest('sha256', body), crc32: crc32Of(other) },
    ];
    const refusals = [
      'XAmzContentSHA256Mismatch',
      'BadDigest',
      'XAmzContentSHA256Mismatch',
      'XAmzContentChecksumMismatch',
    ];
    for (const [index, attempt] of attempts.entries()) {
      const name = `put/damaged-${index}`;
      const refused = await leanPutSmall(
        client,
        bucket.name,
        name,
        { body, contentType: 'text/plain', ...attempt },
        new AbortController().signal,
      ).catch((e: unknown) => e);
      expect(refused).toMatchObject({ name: refusals[index] });
      await expect(seeding.send(new HeadObjectCommand({ Bucket: bucket.name, Key: name }))).rejects.toMatchObject({
        $metadata: { httpStatusCode: 404 },
      });
    }
  });
});

describe('lean listings', () => {
  /** The bucket's first page (10 keys, by folder) through the lean path. */
  const firstPage = (via: S3Client, signal?: AbortSignal) =>
    leanListObjectsV2(
      via,
      bucket.name,
      { prefix: '', delimiter: '/', continuationToken: undefined, maxKeys: 10 },
      signal,
    );

  /** Every page of `prefix` through the SDK, as plain data. */
  async function sdkPages(prefix: string, delimiter: string | undefined, maxKeys: number) {
    const pages = [];
    let token: string | undefined;
    do {
      const out = await seeding.send(
        new ListObjectsV2Command({
          Bucket: bucket.name,
          Prefix: prefix || undefined,
          Delimiter: delimiter,
          MaxKeys: maxKeys,
          ContinuationToken: token,
        }),
      );
      pages.push({
        keys: (out.Contents ?? []).map((o) => [o.Key, o.Size, o.ETag, o.LastModified?.toISOString(), o.StorageClass]),
        prefixes: (out.CommonPrefixes ?? []).map((p) => p.Prefix),
        truncated: out.IsTruncated,
      });
      token = out.NextContinuationToken;
    } while (token);
    return pages;
  }

  /** The same pages through leanListObjectsV2 and the app's reader, following its own tokens. */
  async function leanPages(prefix: string, delimiter: string | undefined, maxKeys: number) {
    const pages = [];
    let token: string | undefined;
    do {
      const xml = await leanListObjectsV2(
        client,
        bucket.name,
        { prefix, delimiter, continuationToken: token, maxKeys },
        undefined,
      );
      expect(xml, 'the lean path was not taken').toBeDefined();
      const out = readListBucketResult(xml!);
      expect(out, 'the answer was not read').toBeDefined();
      pages.push({
        keys: out!.Contents.map((o) => [o.Key, o.Size, o.ETag, o.LastModified?.toISOString(), o.StorageClass]),
        prefixes: out!.CommonPrefixes.map((p) => p.Prefix),
        truncated: out!.IsTruncated,
      });
      token = out!.NextContinuationToken;
    } while (token);
    return pages;
  }

  test.each([
    ['the bucket, by folder, 4 keys a page', '', '/', 4],
    ['the bucket, every key, 3 a page', '', undefined, 3],
    ['a folder with an encoded name, by folder', 'unicode/', '/', 1000],
    ['a prefix with characters that need encoding', 'question?mark#hash&amp=eq;', undefined, 2],
  ])('%s: the same pages, keys, sizes, ETags and times as the SDK lists', async (_what, prefix, delimiter, maxKeys) => {
    const lean = await leanPages(prefix, delimiter, maxKeys);
    expect(lean).toEqual(await sdkPages(prefix, delimiter, maxKeys));
    expect(lean.flatMap((p) => [...p.keys.map((k) => k[0]), ...p.prefixes]).length).toBeGreaterThan(0);
  });

  test('the file list reads its pages through the lean path: every key of the bucket, awkward names intact', async () => {
    const listing = appClient();
    // Counts what goes through the SDK: nothing should.
    let sdkRequests = 0;
    listing.middlewareStack.add(
      (next) => (args) => {
        sdkRequests += 1;
        return next(args);
      },
      { step: 'initialize' },
    );
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    try {
      do {
        const page = await listObjectsPage(listing, {
          bucket: bucket.name,
          prefix: '',
          recursive: true,
          pageSize: 5,
          ...(token ? { continuationToken: token } : {}),
        });
        pages += 1;
        seen.push(...page.files.map((f) => f.key));
        token = page.nextToken ?? undefined;
      } while (token);
    } finally {
      listing.destroy();
    }
    expect(seen.filter((key) => keys.includes(key)).sort()).toEqual([...keys].sort());
    expect(pages).toBeGreaterThan(2);
    expect(sdkRequests).toBe(0);
  });

  test('a refused signature and a missing bucket leave the listing to the SDK, which fails as it always did', async () => {
    const wrong = appClient('not-the-secret-at-all');
    try {
      expect(await firstPage(wrong)).toBeUndefined();
      await expect(
        listObjectsPage(wrong, { bucket: bucket.name, prefix: '', recursive: false, pageSize: 10 }),
      ).rejects.toMatchObject({
        name: 'SignatureDoesNotMatch',
        $metadata: { httpStatusCode: 403 },
      });
      await expect(
        listObjectsPage(client, { bucket: `${bucket.name}-missing`, prefix: '', recursive: false, pageSize: 10 }),
      ).rejects.toMatchObject({
        name: 'NoSuchBucket',
        $metadata: { httpStatusCode: 404 },
      });
    } finally {
      wrong.destroy();
    }
  });

  test('an aborted listing fails instead of asking the SDK again', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(firstPage(client, controller.signal)).rejects.toThrow(/abort/i);
  });

  test('a client made outside createS3Client lists only through the SDK', async () => {
    expect(await firstPage(seeding)).toBeUndefined();
  });
});
