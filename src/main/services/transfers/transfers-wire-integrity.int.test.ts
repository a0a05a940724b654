/**
 * What an upload sends so that the service refuses bytes damaged on the way, and that costs no
 * hashing pass it does not need (issue #12): where the service takes SHA-256 checksums (the
 * MinIO preset), every part carries x-amz-checksum-sha256, signed, with UNSIGNED-PAYLOAD as its
 * payload hash (the service hashes it once, against the checksum) and no Content-MD5; where it
 * does not (a generic S3 service), Content-MD5 and the real payload SHA-256; as over TLS (the
 * MinIO preset, its uploads told they go over TLS), x-amz-checksum-crc32 in place of the
 * SHA-256, and a whole object's CRC32 on completion (asked again without it where refused). A
 * byte flipped on the way (the fault proxy), in a part or in a single PUT, is refused by the
 * service (by the checksum or the signed payload hash), sent again from the file, and the
 * object lands intact; one damaged on the way down is caught by the object's stored SHA-256 or
 * CRC32 where the service keeps checksums (the MinIO preset: even when its ETag is no MD5, as for
 * parts stored with a full object's CRC32), otherwise by its MD5 (computed as it is written), and
 * fetched again.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
  type CompleteMultipartUploadCommandInput,
  type CompletedPart,
  type CreateMultipartUploadCommandInput,
  type S3Client,
  type UploadPartCommandInput,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { ProviderId } from '../../../shared/accounts';
import { startFaultProxy, type FaultProxy, type RecordedRequest } from '../../../../test/fault-proxy';
import { freshBucket, s3ClientFor, type FreshBucket } from '../../../../test/s3-fixtures';
import { fileDigest, objectSha256, writeRandomFile } from '../../../../test/transfer-files';
import { startTransferServices, type TestTransferServices } from '../../../../test/transfer-services';
import { bytesDigest } from './bytes-digest';

const s3 = inject('s3');
const MiB = 1024 * 1024;

let bucket: FreshBucket;
let client: S3Client;
let proxy: FaultProxy;
/**
 * A proxy that answers for keys under `opaque/` with no ETag, so that the MD5 cannot check them
 * (as an encrypted object's ETag cannot): only the stored SHA-256 can.
 */
let opaqueProxy: FaultProxy;
let work: string;

beforeAll(async () => {
  bucket = await freshBucket(s3);
  client = s3ClientFor(s3);
  proxy = await startFaultProxy({ target: s3.endpoint });
  opaqueProxy = await startFaultProxy({
    target: s3.endpoint,
    transform: {
      onRequest: (r) => (r.path.includes('/opaque/') ? { onResponse: () => ({ headers: { etag: null } }) } : undefined),
    },
  });
  work = await mkdtemp(join(tmpdir(), 's3fm-wire-'));
});

afterAll(async () => {
  await proxy?.stop();
  await opaqueProxy?.stop();
  await bucket?.cleanup();
  client?.destroy();
  if (work) await rm(work, { recursive: true, force: true });
});

/**
 * Transfer services through the proxy, for an account of this provider preset; `asOverTls`:
 * uploads choose their checksum as over TLS (CRC32), which the proxy, speaking HTTP, can see.
 */
async function servicesFor(
  provider: ProviderId,
  through: FaultProxy = proxy,
  asOverTls = false,
): Promise<TestTransferServices> {
  const transfers = await startTransferServices({
    endpoint: through.url,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    account: { provider },
    tuning: {
      stallTimeoutMs: 5_000,
      backoff: { baseMs: 100, capMs: 400 },
      ...(asOverTls ? { overTls: async () => true } : {}),
    },
  });
  await transfers.callRaw('transfers.saveSettings', {
    settings: { multipartThresholdMiB: 8, partSizeMiB: 5, partsInParallel: 3, filesInParallel: 3, maxRetries: 5 },
  });
  return transfers;
}

async function upload(transfers: TestTransferServices, file: string, prefix: string) {
  const { batchId } = await transfers.call<{ batchId: string }>('transfers.upload', {
    bucket: bucket.name,
    prefix,
    source: { kind: 'paths', paths: [file] },
    onConflict: 'replace',
  });
  const outcome = await transfers.batchFinished(batchId);
  return { outcome, snapshot: transfers.batchSnapshots(batchId)[0] };
}

const header = (request: RecordedRequest, name: string) => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};
const partsOf = (key: string) =>
  proxy.requests.filter((r) => r.method === 'PUT' && r.path.endsWith(`/${key}`) && r.query.has('partNumber'));

describe('what parts carry', () => {
  test('with SHA-256 checksums (MinIO preset): the checksum, signed, an unsigned payload, no MD5', async () => {
    const transfers = await servicesFor('minio');
    try {
      const file = join(work, 'checksummed.bin');
      await writeRandomFile(file, 12 * MiB);
      const { outcome, snapshot } = await upload(transfers, file, 'sha/');
      expect(outcome).toMatchObject({ finished: 1, failed: 0 });
      expect(snapshot?.verifiedBy).toBe('checksum');
      const parts = partsOf('sha/checksummed.bin');
      expect(parts).toHaveLength(3);
      for (const part of parts) {
        const checksum = header(part, 'x-amz-checksum-sha256') ?? '';
        expect(checksum).toMatch(/^[A-Za-z0-9+/]{43}=$/);
        expect(header(part, 'x-amz-content-sha256')).toBe('UNSIGNED-PAYLOAD');
        expect(/SignedHeaders=([^,]+)/.exec(header(part, 'authorization') ?? '')?.[1]?.split(';')).toContain(
          'x-amz-checksum-sha256',
        );
        expect(header(part, 'content-md5')).toBeUndefined();
      }
      expect(await objectSha256(client, bucket.name, 'sha/checksummed.bin')).toBe(await fileDigest(file));
    } finally {
      await transfers.dispose();
    }
  }, 60_000);

  test.each([
    ['a small file (beside the SDK)', 100 * 1024],
    ['a file read whole (through the SDK)', 1 * MiB],
    ['a file streamed (over 16 MiB, under a raised threshold)', 17 * MiB],
  ])(
    'a whole body over plain HTTP (MinIO preset), %s: its CRC32 stored and signed, the payload signed by its SHA-256; damaged, refused and sent again',
    async (_, size) => {
      const transfers = await servicesFor('minio');
      try {
        await transfers.callRaw('transfers.saveSettings', {
          settings: {
            multipartThresholdMiB: 32,
            partSizeMiB: 8,
            partsInParallel: 3,
            filesInParallel: 3,
            maxRetries: 5,
          },
        });
        const file = join(work, `whole-${size}.bin`);
        const key = `whole/whole-${size}.bin`;
        await writeRandomFile(file, size);
        proxy.addFault({
          match: { method: 'PUT', pathIncludes: key },
          times: 1,
          fault: { kind: 'flip', atByte: size >> 1 },
        });
        const { outcome, snapshot } = await upload(transfers, file, 'whole/');
        expect(outcome).toMatchObject({ finished: 1, failed: 0 });
        expect(snapshot?.retries).toBe(1);
        expect(snapshot?.verifiedBy).toBe('checksum');
        const bytes = await readFile(file);
        const puts = proxy.requests.filter((r) => r.method === 'PUT' && r.path.endsWith(`/${key}`));
        expect(puts.map((put) => put.status)).toEqual([400, 200]);
        for (const put of puts) {
          expect(header(put, 'x-amz-checksum-crc32')).toBe(crc32Of(bytes));
          expect(/SignedHeaders=([^,]+)/.exec(header(put, 'authorization') ?? '')?.[1]?.split(';')).toEqual(
            expect.arrayContaining(['x-amz-checksum-crc32', 'x-amz-content-sha256']),
          );
          // Signed by the bytes' own SHA-256: a CRC32 alone is easily matched by changed bytes.
          expect(header(put, 'x-amz-content-sha256')).toBe(createHash('sha256').update(bytes).digest('hex'));
          expect(header(put, 'x-amz-checksum-sha256')).toBeUndefined();
          expect(header(put, 'content-md5')).toBeUndefined();
        }
        const head = await client.send(
          new HeadObjectCommand({ Bucket: bucket.name, Key: key, ChecksumMode: 'ENABLED' }),
        );
        expect([head.ChecksumCRC32, head.ChecksumSHA256]).toEqual([crc32Of(bytes), undefined]);
        expect(await objectSha256(client, bucket.name, key)).toBe(await fileDigest(file));
      } finally {
        proxy.clearFaults();
        await transfers.dispose();
      }
    },
    60_000,
  );

  test('without checksums (a generic service): Content-MD5 and the real payload SHA-256, never UNSIGNED-PAYLOAD', async () => {
    const transfers = await servicesFor('other');
    try {
      const file = join(work, 'plain.bin');
      await writeRandomFile(file, 12 * MiB);
      const { outcome, snapshot } = await upload(transfers, file, 'md5/');
      expect(outcome).toMatchObject({ finished: 1, failed: 0 });
      expect(snapshot?.verifiedBy).toBe('md5');
      const parts = partsOf('md5/plain.bin');
      expect(parts).toHaveLength(3);
      for (const part of parts) {
        expect(header(part, 'x-amz-checksum-sha256')).toBeUndefined();
        expect(header(part, 'content-md5')).toMatch(/^[A-Za-z0-9+/]{22}==$/);
        expect(header(part, 'x-amz-content-sha256')).toMatch(/^[0-9a-f]{64}$/);
      }
      // The payload hash signed is the part's own: part 1's bytes are the file's first 5 MiB.
      const first = (await readFile(file)).subarray(0, 5 * MiB);
      const partOne = parts.find((part) => part.query.get('partNumber') === '1');
      expect(partOne && header(partOne, 'x-amz-content-sha256')).toBe(createHash('sha256').update(first).digest('hex'));
    } finally {
      await transfers.dispose();
    }
  }, 60_000);
});

describe('CRC32 checksums, as over TLS (MinIO preset)', () => {
  const signedHeaders = (request: RecordedRequest) =>
    /SignedHeaders=([^,]+)/.exec(header(request, 'authorization') ?? '')?.[1]?.split(';') ?? [];

  test("each part and PUT carries its CRC32, signed, unsigned payload, no MD5; damaged ones are refused and sent again; the object stores the whole's", async () => {
    const transfers = await servicesFor('minio', proxy, true);
    try {
      const big = join(work, 'crc-big.bin');
      const small = join(work, 'crc-small.bin');
      await writeRandomFile(big, 12 * MiB);
      await writeRandomFile(small, 100 * 1024);
      proxy.addFault({
        match: { method: 'PUT', pathIncludes: 'crc/crc-big.bin', queryHas: 'partNumber' },
        times: 1,
        fault: { kind: 'flip', atByte: 1_234_567 },
      });
      proxy.addFault({
        match: { method: 'PUT', pathIncludes: 'crc/crc-small.bin' },
        times: 1,
        fault: { kind: 'flip', atByte: 54_321 },
      });
      for (const file of [big, small]) {
        const { outcome, snapshot } = await upload(transfers, file, 'crc/');
        expect(outcome).toMatchObject({ finished: 1, failed: 0 });
        expect(snapshot?.retries).toBe(1);
        expect(snapshot?.verifiedBy).toBe('checksum');
      }
      const parts = partsOf('crc/crc-big.bin');
      expect(parts.map((part) => part.status)).toEqual(expect.arrayContaining([400, 200, 200, 200]));
      expect(parts).toHaveLength(4);
      const smallPuts = proxy.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/crc/crc-small.bin'));
      expect(smallPuts.map((put) => put.status)).toEqual([400, 200]);
      for (const request of [...parts, ...smallPuts]) {
        expect(header(request, 'x-amz-checksum-crc32')).toMatch(/^[A-Za-z0-9+/]{6}==$/);
        expect(signedHeaders(request)).toContain('x-amz-checksum-crc32');
        expect(header(request, 'x-amz-content-sha256')).toBe('UNSIGNED-PAYLOAD');
        expect(header(request, 'x-amz-checksum-sha256')).toBeUndefined();
        expect(header(request, 'content-md5')).toBeUndefined();
      }
      const posts = proxy.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/crc/crc-big.bin'));
      const bigBytes = await readFile(big);
      expect(posts.map((post) => [header(post, 'x-amz-checksum-type'), header(post, 'x-amz-checksum-crc32')])).toEqual([
        ['FULL_OBJECT', undefined],
        ['FULL_OBJECT', crc32Of(bigBytes)],
      ]);
      for (const [key, file] of [
        ['crc/crc-big.bin', big],
        ['crc/crc-small.bin', small],
      ] as const) {
        const head = await client.send(
          new HeadObjectCommand({ Bucket: bucket.name, Key: key, ChecksumMode: 'ENABLED' }),
        );
        expect([head.ChecksumCRC32, head.ChecksumSHA256]).toEqual([crc32Of(await readFile(file)), undefined]);
        expect(await objectSha256(client, bucket.name, key)).toBe(await fileDigest(file));
      }
    } finally {
      proxy.clearFaults();
      await transfers.dispose();
    }
  }, 60_000);

  test.each([
    ['when the upload is created', 'uploads'],
    ['with the whole CRC32 on completion', 'uploadId'],
  ] as const)(
    'a service that refuses FULL_OBJECT %s (one older than it) is asked again without; the upload lands, checked by its checksum',
    async (_, step) => {
      const transfers = await servicesFor('minio', proxy, true);
      try {
        const file = join(work, `crc-older-${step}.bin`);
        const key = `crc-older/crc-older-${step}.bin`;
        await writeRandomFile(file, 12 * MiB);
        proxy.addFault({
          match: { method: 'POST', pathIncludes: key, queryHas: step, header: 'x-amz-checksum-type' },
          times: 1,
          fault: { kind: 'status', status: 400, code: 'InvalidRequest', message: 'Unsupported checksum type' },
        });
        const { outcome, snapshot } = await upload(transfers, file, 'crc-older/');
        expect(outcome).toMatchObject({ finished: 1, failed: 0 });
        expect(snapshot?.verifiedBy).toBe('checksum');
        const asked = proxy.requests.filter(
          (r) => r.method === 'POST' && r.path.endsWith(`/${key}`) && r.query.has(step),
        );
        expect(asked.map((r) => [r.status, header(r, 'x-amz-checksum-type') ?? null])).toEqual([
          [400, 'FULL_OBJECT'],
          [200, null],
        ]);
        for (const part of partsOf(key)) expect(header(part, 'x-amz-checksum-crc32')).toMatch(/^[A-Za-z0-9+/]{6}==$/);
        expect(await objectSha256(client, bucket.name, key)).toBe(await fileDigest(file));
      } finally {
        proxy.clearFaults();
        await transfers.dispose();
      }
    },
    60_000,
  );
});

describe('a byte damaged on the way', () => {
  test.each(['minio', 'other'] as const)(
    'is refused by the service, the part is sent again, and the object is intact (%s preset)',
    async (provider) => {
      const transfers = await servicesFor(provider);
      try {
        const file = join(work, `flipped-${provider}.bin`);
        await writeRandomFile(file, 12 * MiB);
        const key = `flip-${provider}/flipped-${provider}.bin`;
        proxy.addFault({
          match: { method: 'PUT', pathIncludes: key, queryHas: 'partNumber' },
          times: 1,
          fault: { kind: 'flip', atByte: 1_234_567 },
        });
        const { outcome, snapshot } = await upload(transfers, file, `flip-${provider}/`);
        expect(outcome).toMatchObject({ finished: 1, failed: 0 });
        expect(snapshot?.retries).toBe(1);
        const parts = partsOf(key);
        const flipped = parts.find((part) => part.faulted === 'flip');
        // The service refused the damaged part (400), and the part went again.
        expect(flipped?.status).toBe(400);
        expect(parts).toHaveLength(4);
        expect(await objectSha256(client, bucket.name, key)).toBe(await fileDigest(file));
      } finally {
        proxy.clearFaults();
        await transfers.dispose();
      }
    },
    60_000,
  );

  test.each(['minio', 'other'] as const)(
    'in a file sent in one PUT is refused, the file is sent again, and the object is intact (%s preset)',
    async (provider) => {
      const transfers = await servicesFor(provider);
      try {
        const file = join(work, `whole-${provider}.bin`);
        await writeRandomFile(file, 100 * 1024);
        const key = `flip-one-${provider}/whole-${provider}.bin`;
        proxy.addFault({
          match: { method: 'PUT', pathIncludes: key },
          times: 1,
          fault: { kind: 'flip', atByte: 54_321 },
        });
        const { outcome, snapshot } = await upload(transfers, file, `flip-one-${provider}/`);
        expect(outcome).toMatchObject({ finished: 1, failed: 0 });
        expect(snapshot?.retries).toBe(1);
        const puts = proxy.requests.filter((r) => r.method === 'PUT' && r.path.endsWith(`/${key}`));
        expect(puts.map((put) => put.status)).toEqual([400, 200]);
        // What bound the bytes: the signed payload hash (beside the stored CRC32 with the MinIO preset).
        expect(header(puts[1]!, 'x-amz-content-sha256')).toMatch(/^[0-9a-f]{64}$/);
        expect(await objectSha256(client, bucket.name, key)).toBe(await fileDigest(file));
      } finally {
        proxy.clearFaults();
        await transfers.dispose();
      }
    },
    60_000,
  );
});

/**
 * Uploads `parts` to `key` in a multipart upload through the SDK, as another tool would, with
 * the checksums the creation, each part and the completion carry.
 */
async function uploadInParts(
  key: string,
  parts: Buffer[],
  checksums: {
    create: Partial<CreateMultipartUploadCommandInput>;
    part: (bytes: Buffer) => Partial<UploadPartCommandInput>;
    complete: Partial<CompleteMultipartUploadCommandInput>;
  },
): Promise<void> {
  const { UploadId } = await client.send(
    new CreateMultipartUploadCommand({ Bucket: bucket.name, Key: key, ...checksums.create }),
  );
  const done: CompletedPart[] = [];
  for (const [index, part] of parts.entries()) {
    const answer = await client.send(
      new UploadPartCommand({
        Bucket: bucket.name,
        Key: key,
        UploadId,
        PartNumber: index + 1,
        Body: part,
        ...checksums.part(part),
      }),
    );
    done.push({
      PartNumber: index + 1,
      ETag: answer.ETag,
      ChecksumSHA256: answer.ChecksumSHA256,
      ChecksumCRC32: answer.ChecksumCRC32,
    });
  }
  await client.send(
    new CompleteMultipartUploadCommand({
      Bucket: bucket.name,
      Key: key,
      UploadId,
      MultipartUpload: { Parts: done },
      ...checksums.complete,
    }),
  );
}

/** A CRC32 as S3 encodes it (base64 of its 4 bytes). */
function crc32Of(bytes: Buffer): string {
  const digest = bytesDigest({ algorithm: 'crc32', encoding: 'base64' });
  digest.update(bytes);
  return digest.digest();
}

/**
 * Uploads `parts` random parts of 5 MiB to `key` with a FULL_OBJECT CRC32, as AWS's tools do
 * (the service checks each part's and the whole's against the bytes); the object's bytes.
 */
async function uploadWithFullObjectCrc32(key: string, parts: number): Promise<Buffer> {
  const pieces = Array.from({ length: parts }, () => randomBytes(5 * MiB));
  const whole = Buffer.concat(pieces);
  await uploadInParts(key, pieces, {
    create: { ChecksumAlgorithm: 'CRC32', ChecksumType: 'FULL_OBJECT' },
    part: (bytes) => ({ ChecksumCRC32: crc32Of(bytes) }),
    complete: { ChecksumType: 'FULL_OBJECT', ChecksumCRC32: crc32Of(whole) },
  });
  return whole;
}

describe('a byte damaged on the way down', () => {
  async function download(transfers: TestTransferServices, key: string, targetDir: string) {
    const { batchId } = await transfers.call<{ batchId: string }>('transfers.download', {
      bucket: bucket.name,
      items: [key],
      targetDir,
    });
    const outcome = await transfers.batchFinished(batchId);
    return { outcome, snapshot: transfers.batchSnapshots(batchId)[0] };
  }

  test.each([
    ['a small one, written whole by the file writer', 64 * 1024],
    ['a larger one, written as it streams', 3 * MiB],
  ])(
    'an object in one GET (its ETag its MD5), %s: fetched again, and the file is intact with the object time',
    async (_, size) => {
      const transfers = await servicesFor('other');
      try {
        const bytes = randomBytes(size);
        const key = `down/one-${size}.bin`;
        await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: key, Body: bytes }));
        const folder = await mkdtemp(join(work, 'down-'));
        proxy.addFault({
          match: { method: 'GET', pathIncludes: key },
          times: 1,
          fault: { kind: 'flip-response', atByte: Math.floor((2 * size) / 3) + 17 },
        });
        const { outcome, snapshot } = await download(transfers, key, folder);
        expect(outcome).toMatchObject({ finished: 1, failed: 0 });
        expect(snapshot?.note).toMatch(/did not match the object's checksum, so it was fetched again/);
        // A service not known to keep checksums is not asked for them.
        const gets = proxy.requests.filter((r) => r.method === 'GET' && r.path.endsWith(key));
        expect(gets.map((r) => header(r, 'x-amz-checksum-mode'))).toEqual([undefined, undefined]);
        const file = join(folder, `one-${size}.bin`);
        expect((await readFile(file)).equals(bytes)).toBe(true);
        const head = await client.send(new HeadObjectCommand({ Bucket: bucket.name, Key: key }));
        expect((await stat(file)).mtime.toISOString()).toBe(head.LastModified?.toISOString());
        // Nothing else is left in the folder (no temporary file).
        expect(await readdir(folder)).toEqual([`one-${size}.bin`]);
      } finally {
        proxy.clearFaults();
        await transfers.dispose();
      }
    },
    60_000,
  );

  test('damaged every time: the download fails in words and leaves no file', async () => {
    const transfers = await servicesFor('other');
    try {
      await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'down/always.bin', Body: randomBytes(MiB) }));
      const folder = await mkdtemp(join(work, 'down-'));
      proxy.addFault({
        match: { method: 'GET', pathIncludes: 'down/always.bin' },
        fault: { kind: 'flip-response', atByte: 1000 },
      });
      const { outcome, snapshot } = await download(transfers, 'down/always.bin', folder);
      expect(outcome).toMatchObject({ finished: 0, failed: 1 });
      expect(snapshot?.error?.message).toMatch(/^The download arrived damaged three times in a row\./);
      expect(await readdir(folder)).toEqual([]);
    } finally {
      proxy.clearFaults();
      await transfers.dispose();
    }
  }, 60_000);

  test.each(
    (['SHA256', 'CRC32'] as const).flatMap((algorithm) =>
      (
        [
          ['a small one in a folder, written whole by the file writer', 64 * 1024, 'folder'],
          ['a larger one in a folder, written as it streams', 3 * MiB, 'folder'],
          ['one asked for by its key (HEAD, then a ranged GET)', 3 * MiB, 'key'],
        ] as const
      ).map(([what, size, asked]) => [algorithm, what, size, asked] as const),
    ),
  )(
    'an object with a stored %s and no ETag to check by, %s: checked by it, fetched again, intact',
    async (algorithm, _, size, asked) => {
      const transfers = await servicesFor('minio', opaqueProxy);
      try {
        const bytes = randomBytes(size);
        const folderKey = `opaque/${algorithm}-${asked}-${size}/`;
        const key = `${folderKey}sha.bin`;
        // Stored by the service from the SDK's checksum (AWS's SDKs send a CRC32 by default).
        await client.send(
          new PutObjectCommand({ Bucket: bucket.name, Key: key, Body: bytes, ChecksumAlgorithm: algorithm }),
        );
        const folder = await mkdtemp(join(work, 'down-'));
        opaqueProxy.addFault({
          match: { method: 'GET', pathIncludes: key },
          times: 1,
          fault: { kind: 'flip-response', atByte: Math.floor(size / 2) + 5 },
        });
        const { outcome, snapshot } = await download(transfers, asked === 'key' ? key : folderKey, folder);
        expect(outcome).toMatchObject({ finished: 1, failed: 0 });
        expect(snapshot?.note).toMatch(/did not match the object's checksum, so it was fetched again/);
        // The HEAD and every whole GET asked for the stored checksums (a range has none to give;
        // fetched again, the object came whole), and no answer had an ETag.
        const asks = opaqueProxy.requests.filter((r) => r.path.endsWith(key));
        expect(asks.map((r) => [r.method, header(r, 'x-amz-checksum-mode'), r.transformed])).toEqual(
          asked === 'key'
            ? [
                ['HEAD', 'ENABLED', 'edited'],
                ['GET', undefined, 'edited'],
                ['GET', 'ENABLED', 'edited'],
              ]
            : [
                ['GET', 'ENABLED', 'edited'],
                ['GET', 'ENABLED', 'edited'],
              ],
        );
        const file =
          asked === 'key' ? join(folder, 'sha.bin') : join(folder, `${algorithm}-${asked}-${size}`, 'sha.bin');
        expect((await readFile(file)).equals(bytes)).toBe(true);
        expect(await readdir(dirname(file))).toEqual(['sha.bin']);
      } finally {
        opaqueProxy.clearFaults();
        await transfers.dispose();
      }
    },
    60_000,
  );

  test("an object uploaded in parts with a full object's CRC32 (its ETag no MD5): a damaged range is caught by the CRC32, fetched again, intact", async () => {
    const transfers = await servicesFor('minio');
    try {
      const key = 'down/full-crc32.bin';
      const whole = await uploadWithFullObjectCrc32(key, 2);
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket.name, Key: key, ChecksumMode: 'ENABLED' }));
      // What the download goes by: the service's word that this CRC32 is the whole object's.
      expect([head.ChecksumCRC32, head.ChecksumType]).toEqual([crc32Of(whole), 'FULL_OBJECT']);
      expect(head.ETag).toMatch(/-2"$/);
      const folder = await mkdtemp(join(work, 'down-'));
      proxy.addFault({
        match: { method: 'GET', pathIncludes: key },
        times: 1,
        fault: { kind: 'flip-response', atByte: 4321 },
      });
      const { outcome, snapshot } = await download(transfers, key, folder);
      expect(outcome).toMatchObject({ finished: 1, failed: 0 });
      expect(snapshot?.note).toMatch(/did not match the object's checksum, so it was fetched again/);
      expect((await readFile(join(folder, 'full-crc32.bin'))).equals(whole)).toBe(true);
    } finally {
      proxy.clearFaults();
      await transfers.dispose();
    }
  }, 60_000);

  test("a large object with a full object's CRC32, fetched in ranges: each range's CRC32 combined; a damaged range caught, fetched again, intact", async () => {
    const transfers = await servicesFor('minio');
    try {
      const key = 'down/ranged-crc32.bin';
      // 70 MiB: three ranges of 32, 32 and 6 MiB, fetched in parallel, each its own CRC32.
      const whole = await uploadWithFullObjectCrc32(key, 14);
      for (const damaged of [false, true]) {
        const folder = await mkdtemp(join(work, 'down-'));
        const before = proxy.requests.length;
        if (damaged) {
          proxy.addFault({
            match: { method: 'GET', pathIncludes: key },
            times: 1,
            fault: { kind: 'flip-response', atByte: 5 * MiB + 99 },
          });
        }
        const { outcome, snapshot } = await download(transfers, key, folder);
        expect(outcome).toMatchObject({ finished: 1, failed: 0 });
        const ranged = proxy.requests.slice(before).filter((r) => r.method === 'GET' && header(r, 'range'));
        expect(ranged.length).toBe(damaged ? 6 : 3);
        if (damaged) expect(snapshot?.note).toMatch(/did not match the object's checksum, so it was fetched again/);
        else expect(snapshot?.note ?? null).toBeNull();
        expect((await readFile(join(folder, 'ranged-crc32.bin'))).equals(whole)).toBe(true);
        proxy.clearFaults();
      }
    } finally {
      proxy.clearFaults();
      await transfers.dispose();
    }
  }, 120_000);

  test("an object uploaded in parts with SHA-256s (a composite checksum, not the bytes' own) downloads whole", async () => {
    const transfers = await servicesFor('minio');
    try {
      const key = 'down/composite.bin';
      const parts = [randomBytes(5 * MiB), randomBytes(MiB)];
      await uploadInParts(key, parts, {
        create: { ChecksumAlgorithm: 'SHA256' },
        part: () => ({ ChecksumAlgorithm: 'SHA256' }),
        complete: {},
      });
      const folder = await mkdtemp(join(work, 'down-'));
      const { outcome, snapshot } = await download(transfers, key, folder);
      expect(outcome).toMatchObject({ finished: 1, failed: 0 });
      expect(snapshot?.note ?? null).toBeNull();
      expect((await readFile(join(folder, 'composite.bin'))).equals(Buffer.concat(parts))).toBe(true);
    } finally {
      await transfers.dispose();
    }
  }, 60_000);
});
