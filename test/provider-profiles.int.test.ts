import { createHash, randomBytes } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  PutObjectAclCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
  UploadPartCommand,
  type CompletedPart,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TEST_KMS_KEY_ID } from '../scripts/minio';
import {
  PROVIDER_PROFILES,
  startProviderProxy,
  type ProviderProfileName,
  type ProviderProxy,
} from './provider-profiles';
import { freshBucket, s3ClientFor, type FreshBucket } from './s3-fixtures';

const md5 = (bytes: Uint8Array | string): string => createHash('md5').update(bytes).digest('hex');
const unquote = (etag: string | undefined): string => (etag ?? '').replace(/"/g, '');
const MiB = 1024 * 1024;

/** The S3 error a call failed with, as the SDK reports it; undefined when it succeeded. */
async function failure(
  call: Promise<unknown>,
): Promise<{ name: string; status: number | undefined; message: string } | undefined> {
  try {
    await call;
    return undefined;
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
}

/** MD5 of the concatenated binary part MD5s, "-", part count: the S3 multipart ETag rule. */
function md5OfParts(parts: Uint8Array[]): string {
  const joined = Buffer.concat(parts.map((p) => createHash('md5').update(p).digest()));
  return `${md5(joined)}-${parts.length}`;
}

// Each emulated behaviour, shown through the AWS SDK talking to the real MinIO through a profile.
describe('provider profiles in the fault proxy', () => {
  const s3 = inject('s3');
  const direct = s3ClientFor(s3);
  const clients: S3Client[] = [];
  const proxies: ProviderProxy[] = [];
  const buckets: FreshBucket[] = [];

  /** A client for a profile's proxy, configured as the app configures non-AWS endpoints (or with SDK defaults). */
  function clientFor(proxy: ProviderProxy, options: { sdkDefaultChecksums?: boolean } = {}): S3Client {
    const client = new S3Client({
      endpoint: proxy.url,
      region: s3.region,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      forcePathStyle: true,
      ...(options.sdkDefaultChecksums
        ? {}
        : { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }),
      maxAttempts: 1,
    });
    clients.push(client);
    return client;
  }

  /** Starts a profile's proxy and a fresh bucket for it. */
  async function setUp(
    profile: ProviderProfileName,
  ): Promise<{ proxy: ProviderProxy; client: S3Client; bucket: string }> {
    const proxy = await startProviderProxy(profile, s3.endpoint, {
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
    proxies.push(proxy);
    const bucket = await freshBucket(s3);
    buckets.push(bucket);
    return { proxy, client: clientFor(proxy), bucket: bucket.name };
  }

  async function readDirect(bucket: string, key: string): Promise<Buffer> {
    const got = await direct.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Buffer.from((await got.Body?.transformToByteArray()) ?? []);
  }

  /** Uploads `parts` as one multipart object through `client`; returns the CompleteMultipartUpload answer or error. */
  async function multipart(
    client: S3Client,
    bucket: string,
    key: string,
    parts: Uint8Array[],
    extra: { ServerSideEncryption?: 'aws:kms'; SSEKMSKeyId?: string } = {},
  ): Promise<{ etag?: string; error?: Awaited<ReturnType<typeof failure>> }> {
    const created = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ...extra }));
    const completed: CompletedPart[] = [];
    for (const [i, body] of parts.entries()) {
      const part = await client.send(
        new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: created.UploadId, PartNumber: i + 1, Body: body }),
      );
      completed.push({ PartNumber: i + 1, ETag: part.ETag });
    }
    try {
      const done = await client.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          UploadId: created.UploadId,
          MultipartUpload: { Parts: completed },
        }),
      );
      return { etag: unquote(done.ETag) };
    } catch (err) {
      return { error: await failure(Promise.reject(err)) };
    }
  }

  afterAll(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await Promise.all(proxies.splice(0).map((p) => p.stop()));
    await Promise.all(buckets.splice(0).map((b) => b.cleanup()));
    direct.destroy();
  });

  it.each(Object.keys(PROVIDER_PROFILES) as ProviderProfileName[])(
    'passes ordinary PUT, GET and listing through the %s profile unchanged',
    async (profile) => {
      const { client, bucket, proxy } = await setUp(profile);
      const body = randomBytes(64 * 1024);

      const put = await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'dir/plain.bin', Body: body }));
      const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'dir/plain.bin' }));
      const bytes = Buffer.from((await got.Body?.transformToByteArray()) ?? []);
      const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'dir/' }));

      expect(bytes.equals(body)).toBe(true);
      expect(unquote(put.ETag)).toBe(md5(body));
      expect(listed.Contents?.map((o) => [o.Key, unquote(o.ETag)])).toEqual([['dir/plain.bin', md5(body)]]);
      expect(proxy.requests.every((r) => r.transformed !== 'refused')).toBe(true);
    },
  );

  describe('r2', () => {
    let ctx: Awaited<ReturnType<typeof setUp>>;
    beforeAll(async () => {
      ctx = await setUp('r2');
      await direct.send(new PutObjectCommand({ Bucket: ctx.bucket, Key: 'there', Body: 'x' }));
    });

    it('refuses ACL, versioning and tagging operations with 501 NotImplemented, in its own words', async () => {
      const { client, bucket } = ctx;
      const acl = await failure(client.send(new PutObjectAclCommand({ Bucket: bucket, Key: 'there', ACL: 'private' })));
      const versioning = await failure(client.send(new GetBucketVersioningCommand({ Bucket: bucket })));
      const versions = await failure(client.send(new ListObjectVersionsCommand({ Bucket: bucket })));
      const tagging = await failure(
        client.send(
          new PutObjectTaggingCommand({
            Bucket: bucket,
            Key: 'there',
            Tagging: { TagSet: [{ Key: 'a', Value: 'b' }] },
          }),
        ),
      );

      expect(acl).toEqual({ name: 'NotImplemented', status: 501, message: 'PutObjectAcl not implemented' });
      expect(versioning).toMatchObject({
        name: 'NotImplemented',
        status: 501,
        message: 'GetBucketVersioning not implemented',
      });
      expect(versions).toMatchObject({ name: 'NotImplemented', status: 501 });
      expect(tagging).toMatchObject({
        name: 'NotImplemented',
        status: 501,
        message: 'PutObjectTagging not implemented',
      });
    });

    it('refuses unimplemented headers on PutObject: ACL, tagging, SSE-S3/KMS, storage classes it lacks', async () => {
      const { client, bucket } = ctx;
      const put = (extra: Partial<ConstructorParameters<typeof PutObjectCommand>[0]>) =>
        failure(client.send(new PutObjectCommand({ Bucket: bucket, Key: 'h', Body: 'data', ...extra })));

      expect(await put({ ACL: 'public-read' })).toEqual({
        name: 'NotImplemented',
        status: 501,
        message: "Header 'x-amz-acl' with value 'public-read' not implemented",
      });
      expect(await put({ Tagging: 'a=b' })).toMatchObject({
        status: 501,
        message: "Header 'x-amz-tagging' with value 'a=b' not implemented",
      });
      expect(await put({ ServerSideEncryption: 'AES256' })).toMatchObject({ status: 501 });
      expect(await put({ StorageClass: 'GLACIER' })).toMatchObject({
        status: 501,
        message: "Header 'x-amz-storage-class' with value 'GLACIER' not implemented",
      });
      expect(await put({ StorageClass: 'STANDARD' })).toBeUndefined();
    });

    it('refuses a multipart upload whose non-trailing parts differ in size, and completes an even one', async () => {
      const { client, bucket } = ctx;
      const five = randomBytes(5 * MiB);
      const uneven = await multipart(client, bucket, 'uneven', [five, randomBytes(5 * MiB + 1), randomBytes(10)]);
      const lastLarger = await multipart(client, bucket, 'last-larger', [five, randomBytes(5 * MiB + 1)]);
      const evenParts = [five, randomBytes(5 * MiB), randomBytes(1000)];
      const even = await multipart(client, bucket, 'even', evenParts);

      expect(uneven.error).toEqual({
        name: 'InvalidPart',
        status: 400,
        message: 'All non-trailing parts must have the same size.',
      });
      expect(lastLarger.error).toMatchObject({ name: 'InvalidPart', status: 400 });
      expect(even.etag).toBe(md5OfParts(evenParts));
      expect((await readDirect(bucket, 'even')).length).toBe(10 * MiB + 1000);
    });

    it('refuses a full-object CRC32 multipart checksum (R2 takes CRC32 as composite only)', async () => {
      const { client, bucket } = ctx;
      const refused = await failure(
        client.send(
          new CreateMultipartUploadCommand({
            Bucket: bucket,
            Key: 'crc',
            ChecksumAlgorithm: 'CRC32',
            ChecksumType: 'FULL_OBJECT',
          }),
        ),
      );
      expect(refused).toEqual({
        name: 'NotImplemented',
        status: 501,
        message: "Header 'x-amz-checksum-type' with value 'FULL_OBJECT' not implemented",
      });
    });
  });

  describe('b2', () => {
    let ctx: Awaited<ReturnType<typeof setUp>>;
    beforeAll(async () => {
      ctx = await setUp('b2');
      await direct.send(
        new PutObjectCommand({ Bucket: ctx.bucket, Key: 'tagged', Body: 'x', Tagging: 'kept=in-minio' }),
      );
    });

    it('rejects flexible checksum headers with 400 InvalidArgument, as with the SDK defaults', async () => {
      const { client, bucket, proxy } = ctx;
      const explicit = await failure(
        client.send(new PutObjectCommand({ Bucket: bucket, Key: 'c', Body: 'data', ChecksumAlgorithm: 'CRC32' })),
      );
      const defaults = await failure(
        clientFor(proxy, { sdkDefaultChecksums: true }).send(
          new PutObjectCommand({ Bucket: bucket, Key: 'd', Body: 'data' }),
        ),
      );

      expect(explicit).toMatchObject({ name: 'InvalidArgument', status: 400 });
      expect(explicit?.message).toMatch(
        /^Unsupported header 'x-amz-(sdk-)?checksum-[a-z0-9-]+' received for this API call\.$/,
      );
      expect(defaults).toMatchObject({ name: 'InvalidArgument', status: 400 });
    });

    it('shows what DeleteObjects does: the SDK always sends it a checksum, which B2 rejects', async () => {
      const { client, bucket, proxy } = ctx;
      const refused = await failure(
        client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: 'tagged' }] } })),
      );
      const sent = proxy.requests.at(-1)?.headers ?? {};

      expect(Object.keys(sent).some((name) => name.startsWith('x-amz-checksum-'))).toBe(true);
      expect(refused).toMatchObject({ name: 'InvalidArgument', status: 400 });
    });

    it('rejects x-amz-tagging, object ACLs other than the bucket ACL, and SSE-KMS; takes private and AES256', async () => {
      const { client, bucket } = ctx;
      const put = (extra: Partial<ConstructorParameters<typeof PutObjectCommand>[0]>) =>
        failure(client.send(new PutObjectCommand({ Bucket: bucket, Key: 'h', Body: 'data', ...extra })));

      expect(await put({ Tagging: 'a=b' })).toEqual({
        name: 'InvalidArgument',
        status: 400,
        message: "Unsupported header 'x-amz-tagging' received for this API call.",
      });
      expect(await put({ ACL: 'public-read' })).toMatchObject({ name: 'InvalidArgument', status: 400 });
      expect(await put({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: TEST_KMS_KEY_ID })).toMatchObject({
        status: 400,
      });
      expect(await put({ ACL: 'private' })).toBeUndefined();
      expect(await put({ ServerSideEncryption: 'AES256' })).toBeUndefined();
    });

    it('answers GetObjectTagging with an empty tag set and refuses PutObjectTagging', async () => {
      const { client, bucket } = ctx;
      const tags = await client.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'tagged' }));
      const stored = await direct.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'tagged' }));
      const put = await failure(
        client.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: 'tagged', Tagging: { TagSet: [] } })),
      );

      expect(tags.TagSet ?? []).toEqual([]);
      expect(stored.TagSet).toEqual([{ Key: 'kept', Value: 'in-minio' }]);
      expect(put).toMatchObject({ name: 'NotImplemented', status: 501 });
    });
  });

  describe('wasabi', () => {
    it('refuses x-amz-server-side-encryption (no KMS) and keeps object tagging', async () => {
      const { client, bucket } = await setUp('wasabi');
      const kms = await failure(
        client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: 'k',
            Body: 'x',
            ServerSideEncryption: 'aws:kms',
            SSEKMSKeyId: TEST_KMS_KEY_ID,
          }),
        ),
      );
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: 't', Body: 'x' }));
      await client.send(
        new PutObjectTaggingCommand({ Bucket: bucket, Key: 't', Tagging: { TagSet: [{ Key: 'a', Value: 'b' }] } }),
      );
      const tags = await client.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 't' }));

      expect(kms).toEqual({
        name: 'NotImplemented',
        status: 501,
        message: 'A header you provided implies functionality that is not implemented',
      });
      expect(tags.TagSet).toEqual([{ Key: 'a', Value: 'b' }]);
    });
  });

  describe('gcs', () => {
    let ctx: Awaited<ReturnType<typeof setUp>>;
    beforeAll(async () => {
      ctx = await setUp('gcs');
    });

    it('gives a multipart object an ETag that is not MD5-based, the same everywhere, usable in If-Match', async () => {
      const { client, bucket } = ctx;
      const parts = [randomBytes(5 * MiB), randomBytes(1234)];
      const { etag } = await multipart(client, bucket, 'big.bin', parts);
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'big.bin' }));
      const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'big' }));
      const ranged = await client.send(
        new GetObjectCommand({ Bucket: bucket, Key: 'big.bin', Range: 'bytes=0-99', IfMatch: head.ETag }),
      );
      const stale = await failure(
        client.send(new GetObjectCommand({ Bucket: bucket, Key: 'big.bin', IfMatch: `"${md5OfParts(parts)}0"` })),
      );

      expect(etag).toBeDefined();
      expect(etag).not.toBe(md5OfParts(parts));
      expect(etag).not.toMatch(/^[0-9a-f]{32}(-\d+)?$/);
      expect(unquote(head.ETag)).toBe(etag);
      expect(unquote(listed.Contents?.[0]?.ETag)).toBe(etag);
      expect(Buffer.from((await ranged.Body?.transformToByteArray()) ?? []).equals(parts[0]!.subarray(0, 100))).toBe(
        true,
      );
      expect(stale).toMatchObject({ status: 412 });
    });

    it('keeps a single PUT ETag as the MD5 of the body', async () => {
      const { client, bucket } = ctx;
      const put = await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'one', Body: 'one part' }));
      expect(unquote(put.ETag)).toBe(md5('one part'));
    });

    it('refuses preconditions on multipart requests, object tagging, and S3-only storage classes', async () => {
      const { client, bucket } = ctx;
      const created = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'cond' }));
      const part = await client.send(
        new UploadPartCommand({ Bucket: bucket, Key: 'cond', UploadId: created.UploadId, PartNumber: 1, Body: 'x' }),
      );
      const conditional = await failure(
        client.send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: 'cond',
            UploadId: created.UploadId,
            IfNoneMatch: '*',
            MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
          }),
        ),
      );
      const tagging = await failure(client.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: 'one' })));
      const storageClass = await failure(
        client.send(new PutObjectCommand({ Bucket: bucket, Key: 's', Body: 'x', StorageClass: 'STANDARD_IA' })),
      );

      expect(conditional).toMatchObject({ name: 'NotImplemented', status: 501 });
      expect(tagging).toMatchObject({ name: 'NotImplemented', status: 501 });
      expect(storageClass).toMatchObject({ name: 'InvalidArgument', status: 400 });
    });
  });

  describe('aws-sse-kms', () => {
    let ctx: Awaited<ReturnType<typeof setUp>>;
    beforeAll(async () => {
      ctx = await setUp('aws-sse-kms');
    });

    it('answers an SSE-KMS PUT with an ETag that is not the MD5 of the body; reads return the right bytes', async () => {
      const { client, bucket } = ctx;
      const body = randomBytes(200 * 1024);
      const put = await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: 'kms.bin',
          Body: body,
          ServerSideEncryption: 'aws:kms',
          SSEKMSKeyId: TEST_KMS_KEY_ID,
        }),
      );
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'kms.bin' }));
      const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'kms.bin', IfMatch: put.ETag }));
      const bytes = Buffer.from((await got.Body?.transformToByteArray()) ?? []);
      const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'kms' }));
      const plain = await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'plain.bin', Body: body }));

      expect(unquote(put.ETag)).toMatch(/^[0-9a-f]{32}$/);
      expect(unquote(put.ETag)).not.toBe(md5(body));
      expect(head.ServerSideEncryption).toBe('aws:kms');
      expect(head.ETag).toBe(put.ETag);
      expect(got.ETag).toBe(put.ETag);
      expect(bytes.equals(body)).toBe(true);
      expect(listed.Contents?.[0]?.ETag).toBe(put.ETag);
      expect(unquote(plain.ETag)).toBe(md5(body));
    });

    it('gives an SSE-KMS multipart object an MD5-N-shaped ETag that is not MD5 of the part MD5s', async () => {
      const { client, bucket } = ctx;
      const parts = [randomBytes(5 * MiB), randomBytes(10)];
      const { etag } = await multipart(client, bucket, 'kms-mp.bin', parts, {
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: TEST_KMS_KEY_ID,
      });
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: 'kms-mp.bin' }));

      expect(etag).toMatch(/^[0-9a-f]{32}-2$/);
      expect(etag).not.toBe(md5OfParts(parts));
      expect(unquote(head.ETag)).toBe(etag);
      expect((await readDirect(bucket, 'kms-mp.bin')).equals(Buffer.concat(parts))).toBe(true);
    });
  });
});
