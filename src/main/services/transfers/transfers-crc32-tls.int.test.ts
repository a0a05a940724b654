/**
 * Uploads over TLS to a service that takes checksums (the MinIO preset) carry CRC32s instead of
 * SHA-256s (upload-runner.ts: TLS already refuses changed bytes, and a CRC32 costs a third of a
 * SHA-256's CPU): every PUT its x-amz-checksum-crc32, every multipart upload a FULL_OBJECT CRC32
 * made from its parts', so that each object stores one CRC32 of all its bytes, which a
 * download (the app's, or AWS's tools') checks (transfers-wire-integrity.int.test.ts damages
 * such a download on the way). What lands is read back from MinIO directly: the stored CRC32
 * against the file's own, computed here, and the bytes. Over plain HTTP the same preset still
 * sends SHA-256s (transfers-wire-integrity.int.test.ts).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HeadObjectCommand, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TransferSettings } from '../../../shared/transfers';
import { startDelayProxy } from '../../../../test/delay-proxy';
import { startTlsMinio, type TlsMinio } from '../../../../test/tls-minio';
import { objectBytes } from '../../../../test/transfer-files';
import { startTransferServices, type TestTransferServices } from '../../../../test/transfer-services';
import { crc32Of } from './crc32';

const MiB = 1024 * 1024;
const bucket = 'crc32-tls';
const settings: TransferSettings = {
  multipartThresholdMiB: 8,
  partSizeMiB: 5,
  partsInParallel: 3,
  filesInParallel: 3,
  maxRetries: 5,
};

let server: TlsMinio | undefined;

beforeAll(async () => {
  server = await startTlsMinio('s3fm-crc32-tls-', bucket);
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

/**
 * Transfer services for an account of the MinIO preset over TLS, trusting the server's
 * certificate; `endpoint`: a relay in front of it (TLS passes through untouched).
 */
async function minioPresetOverTls(
  chosen: TransferSettings = settings,
  endpoint = server!.minio.endpoint,
): Promise<TestTransferServices> {
  const { minio, pem } = server!;
  const transfers = await startTransferServices({
    endpoint,
    accessKeyId: minio.accessKeyId,
    secretAccessKey: minio.secretAccessKey,
    account: { trustedCertificatePem: pem, provider: 'minio' },
  });
  await transfers.callRaw('transfers.saveSettings', { settings: chosen });
  return transfers;
}

/** Uploads local paths under a prefix, replacing what is there; the batch's id. */
async function uploadPaths(transfers: TestTransferServices, prefix: string, paths: string[]): Promise<string> {
  const { batchId } = await transfers.call<{ batchId: string }>('transfers.upload', {
    bucket,
    prefix,
    source: { kind: 'paths', paths },
    onConflict: 'replace',
  });
  return batchId;
}

/** What MinIO stores for a key: its checksums (asked for) and its bytes. */
async function stored(key: string) {
  const { direct } = server!;
  const head = await direct.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
  return {
    crc32: head.ChecksumCRC32,
    sha256: head.ChecksumSHA256,
    type: head.ChecksumType,
    bytes: await objectBytes(direct, bucket, key),
  };
}

describe('uploads over TLS with the MinIO preset', () => {
  test('every file, small, whole or in parts, is stored with the CRC32 of all its bytes and no SHA-256', async () => {
    const folder = await mkdtemp(join(server!.folder, 'up-'));
    const files = {
      'empty.bin': Buffer.alloc(0),
      'small.bin': randomBytes(10_000), // a lean PUT beside the SDK
      'whole.bin': randomBytes(3 * MiB), // PutObject through the SDK
      'parts.bin': randomBytes(23 * MiB + 12_345), // five parts of 5 MiB, the last shorter
    };
    for (const [name, bytes] of Object.entries(files)) await writeFile(join(folder, name), bytes);
    const transfers = await minioPresetOverTls();
    try {
      const batchId = await uploadPaths(
        transfers,
        'up/',
        Object.keys(files).map((name) => join(folder, name)),
      );
      expect(await transfers.batchFinished(batchId)).toMatchObject({ finished: 4, failed: 0 });
      for (const snapshot of transfers.batchSnapshots(batchId)) expect(snapshot.verifiedBy).toBe('checksum');
      for (const [name, bytes] of Object.entries(files)) {
        const object = await stored(`up/${name}`);
        expect({ name, crc32: object.crc32, sha256: object.sha256 }).toEqual({
          name,
          crc32: crc32Of(bytes).toString('base64'),
          sha256: undefined,
        });
        expect(object.bytes.equals(bytes)).toBe(true);
      }
      expect((await stored('up/parts.bin')).type).toBe('FULL_OBJECT');
    } finally {
      await transfers.dispose();
    }
  }, 120_000);

  test('a file over 16 MiB under a raised threshold is streamed with its CRC32', async () => {
    const folder = await mkdtemp(join(server!.folder, 'stream-'));
    const bytes = randomBytes(20 * MiB);
    await writeFile(join(folder, 'streamed.bin'), bytes);
    const transfers = await minioPresetOverTls({ ...settings, multipartThresholdMiB: 64 });
    try {
      const batchId = await uploadPaths(transfers, 'stream/', [join(folder, 'streamed.bin')]);
      expect(await transfers.batchFinished(batchId)).toMatchObject({ finished: 1, failed: 0 });
      expect(transfers.batchSnapshots(batchId)[0]?.verifiedBy).toBe('checksum');
      const object = await stored('stream/streamed.bin');
      expect(object.crc32).toBe(crc32Of(bytes).toString('base64'));
      expect(object.sha256).toBeUndefined();
      expect(object.bytes.equals(bytes)).toBe(true);
    } finally {
      await transfers.dispose();
    }
  }, 120_000);

  test('paused and resumed, a multipart upload completes with one CRC32 made from the parts of both runs', async () => {
    const folder = await mkdtemp(join(server!.folder, 'pause-'));
    const bytes = randomBytes(160 * MiB);
    const file = join(folder, 'paused.bin');
    await writeFile(file, bytes);
    // One part at a time, 32 parts in turn through a 20 ms round trip, so that a pause falls between them.
    const { hostname, port } = new URL(server!.minio.endpoint);
    const relay = await startDelayProxy({ host: hostname, port: Number(port) }, 20);
    const transfers = await minioPresetOverTls({ ...settings, partsInParallel: 1 }, `https://127.0.0.1:${relay.port}`);
    try {
      const batchId = await uploadPaths(transfers, 'pause/', [file]);
      const snapshot = () => transfers.batchSnapshots(batchId)[0];
      await transfers.waitFor(() => (snapshot()?.bytesDone ?? 0) > 0, 30_000, 'bytes to move');
      const id = snapshot()!.id;
      expect(await transfers.callRaw('transfers.pause', { ids: [id] })).toEqual({ paused: 1 });
      await transfers.waitFor(() => snapshot()?.state === 'paused', 10_000, 'the paused state');
      const pausedAt = snapshot()?.bytesDone ?? 0;
      expect(pausedAt).toBeGreaterThan(0);
      expect(pausedAt).toBeLessThan(bytes.length);
      const unfinished = await server!.direct.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
      expect(unfinished.Uploads?.filter((upload) => upload.Key === 'pause/paused.bin')).toHaveLength(1);

      expect(await transfers.callRaw('transfers.resume', {})).toEqual({ resumed: 1 });
      expect(await transfers.batchFinished(batchId)).toMatchObject({ finished: 1, failed: 0 });
      expect(snapshot()?.verifiedBy).toBe('checksum');
      const object = await stored('pause/paused.bin');
      expect(object.type).toBe('FULL_OBJECT');
      expect(object.crc32).toBe(crc32Of(bytes).toString('base64'));
      expect(object.bytes.equals(bytes)).toBe(true);
      // Continued, not begun again: no upload of this key is left over.
      const after = await server!.direct.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
      expect(after.Uploads?.filter((upload) => upload.Key === 'pause/paused.bin') ?? []).toEqual([]);
    } finally {
      await transfers.dispose();
      await relay.close();
    }
  }, 180_000);
});
