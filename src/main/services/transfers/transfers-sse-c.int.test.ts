/**
 * Uploads and downloads encrypted with the account's customer key (SSE-C), through a MinIO
 * over TLS (MinIO accepts SSE-C only there): the key goes with every request (each
 * UploadPart too), the object cannot be read without it, and a download finds out by itself
 * that it needs the key. Without a stored key both say so clearly.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningS3 } from '../../../../scripts/minio';
import { startTlsMinio, type TlsMinio } from '../../../../test/tls-minio';
import { writeSmallFile } from '../../../../test/transfer-files';
import { startTransferServices, type TestTransferServices } from '../../../../test/transfer-services';
import { createSessionCustomerKeyStore } from '../keychain/customer-key-store';

const MiB = 1024 * 1024;
const bucket = 'ssec-transfers';
const customerKey = randomBytes(32);

let tls: TlsMinio | undefined;
let minio: RunningS3;
let folder: string;
let pem: string;
let direct: S3Client;
let transfers: TestTransferServices;

const keyHeaders = (key: Buffer) => ({ SSECustomerAlgorithm: 'AES256', SSECustomerKey: key.toString('base64') });

beforeAll(async () => {
  tls = await startTlsMinio('s3fm-transfers-ssec-', bucket);
  ({ minio, pem, direct, folder } = tls);
  const keys = createSessionCustomerKeyStore();
  await keys.set('launch', customerKey);
  transfers = await startTransferServices({
    endpoint: minio.endpoint,
    accessKeyId: minio.accessKeyId,
    secretAccessKey: minio.secretAccessKey,
    account: { trustedCertificatePem: pem },
    customerKeys: keys,
  });
}, 120_000);

afterAll(async () => {
  await transfers?.dispose();
  await tls?.stop();
});

describe('SSE-C transfers', () => {
  test('up with the customer key (multipart too), unreadable without it, and down again', async () => {
    const small = randomBytes(1024);
    const large = randomBytes(20 * MiB);
    await writeSmallFile(join(folder, 'up', 'small.bin'), small);
    await writeSmallFile(join(folder, 'up', 'large.bin'), large);
    const { batchId } = await transfers.call<{ batchId: string }>('transfers.upload', {
      bucket,
      prefix: '',
      source: { kind: 'paths', paths: [join(folder, 'up')] },
      onConflict: 'replace',
      options: { encryption: { mode: 'SSE-C' } },
    });
    expect(await transfers.batchFinished(batchId)).toMatchObject({ finished: 2, failed: 0 });

    for (const [key, bytes] of [
      ['up/small.bin', small],
      ['up/large.bin', large],
    ] as const) {
      const got = await direct.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...keyHeaders(customerKey) }));
      expect(Buffer.from(await (got.Body?.transformToByteArray() ?? [])).equals(bytes), key).toBe(true);
      expect(got.SSECustomerAlgorithm).toBe('AES256');
      await expect(direct.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).rejects.toThrow();
    }

    const target = join(folder, 'down');
    const download = await transfers.call<{ batchId: string }>('transfers.download', {
      bucket,
      items: ['up/'],
      targetDir: target,
    });
    expect(await transfers.batchFinished(download.batchId)).toMatchObject({ finished: 2, failed: 0 });
    expect((await readFile(join(target, 'up', 'small.bin'))).equals(small)).toBe(true);
    expect((await readFile(join(target, 'up', 'large.bin'))).equals(large)).toBe(true);
  }, 120_000);

  test('without a stored key: the upload is refused and the download fails, both saying why', async () => {
    const keyless = await startTransferServices({
      endpoint: minio.endpoint,
      accessKeyId: minio.accessKeyId,
      secretAccessKey: minio.secretAccessKey,
      account: { trustedCertificatePem: pem },
    });
    try {
      await writeSmallFile(join(folder, 'nokey.txt'), Buffer.from('x'));
      await expect(
        keyless.call('transfers.upload', {
          bucket,
          prefix: '',
          source: { kind: 'paths', paths: [join(folder, 'nokey.txt')] },
          onConflict: 'replace',
          options: { encryption: { mode: 'SSE-C' } },
        }),
      ).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/No customer key \(SSE-C\)/) });

      const { batchId } = await keyless.call<{ batchId: string }>('transfers.download', {
        bucket,
        items: ['up/small.bin'],
        targetDir: join(folder, 'keyless'),
      });
      expect(await keyless.batchFinished(batchId)).toMatchObject({ failed: 1 });
      expect(keyless.batchSnapshots(batchId)[0]?.error?.message).toMatch(/encrypted with a customer key \(SSE-C\)/);
    } finally {
      await keyless.dispose();
    }
  }, 60_000);
});
