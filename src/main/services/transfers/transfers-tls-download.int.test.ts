/**
 * A large download over TLS, from a MinIO with a self-signed certificate the account trusts:
 * its ranges are read off TLS sockets of the app's own (socket-range.ts), with the account's
 * trust (its certificate, and nothing else), and arrive byte for byte.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import tls from 'node:tls';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { startTlsMinio, type TlsMinio } from '../../../../test/tls-minio';
import { startTransferServices, type TestTransferServices } from '../../../../test/transfer-services';

const MiB = 1024 * 1024;
const bucket = 'tls-download';

let server: TlsMinio | undefined;

beforeAll(async () => {
  server = await startTlsMinio('s3fm-tls-download-', bucket);
}, 120_000);

afterAll(async () => {
  vi.restoreAllMocks();
  await server?.stop();
});

async function servicesTrusting(pem: string): Promise<TestTransferServices> {
  const { minio } = server!;
  return startTransferServices({
    endpoint: minio.endpoint,
    accessKeyId: minio.accessKeyId,
    secretAccessKey: minio.secretAccessKey,
    account: { trustedCertificatePem: pem },
  });
}

describe('a large download over TLS', () => {
  test('comes down in ranges off TLS sockets of its own, byte for byte', async () => {
    const { direct, folder, pem } = server!;
    const body = randomBytes(70 * MiB);
    await direct.send(new PutObjectCommand({ Bucket: bucket, Key: 'big/seventy.bin', Body: body }));
    const connects = vi.spyOn(tls, 'connect');
    const transfers = await servicesTrusting(pem);
    try {
      const target = await mkdtemp(join(folder, 'down-'));
      const { batchId } = await transfers.call<{ batchId: string }>('transfers.download', {
        bucket,
        items: ['big/seventy.bin'],
        targetDir: target,
      });
      expect(await transfers.batchFinished(batchId)).toMatchObject({ finished: 1, failed: 0 });
      expect((await readFile(join(target, 'seventy.bin'))).equals(body)).toBe(true);
      expect(await readdir(target)).toEqual(['seventy.bin']);
      // Three ranges (32, 32 and 6 MiB), each on a TLS connection that reads into its own buffer.
      const ranged = connects.mock.calls.filter(([options]) => typeof options === 'object' && 'onread' in options);
      expect(ranged).toHaveLength(3);
    } finally {
      connects.mockRestore();
      await transfers.dispose();
    }
  }, 120_000);
});
