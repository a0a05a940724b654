/**
 * Downloads over TLS, from a MinIO with a self-signed certificate the account trusts: a large
 * object's ranges are read off TLS sockets of the app's own (socket-range.ts), small objects
 * over TLS connections the app keeps (kept-connections.ts), with the account's trust (its
 * certificate, and nothing else), and arrive byte for byte.
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

describe('downloads over TLS', () => {
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

  test('small objects come over TLS connections of its own, kept for the next download', async () => {
    const { direct, folder, pem } = server!;
    const bodies = Array.from({ length: 6 }, (_, i) => randomBytes(1_000 + i * 20_000));
    for (const [i, body] of bodies.entries()) {
      await direct.send(new PutObjectCommand({ Bucket: bucket, Key: `small/f${i}.bin`, Body: body }));
    }
    const connects = vi.spyOn(tls, 'connect');
    const ownConnections = () =>
      connects.mock.calls.filter(([options]) => typeof options === 'object' && 'onread' in options).length;
    const transfers = await servicesTrusting(pem);
    try {
      const opened: number[] = [];
      for (const round of [1, 2]) {
        const target = await mkdtemp(join(folder, `small-${round}-`));
        const { batchId } = await transfers.call<{ batchId: string }>('transfers.download', {
          bucket,
          items: ['small/'],
          targetDir: target,
        });
        expect(await transfers.batchFinished(batchId)).toMatchObject({ finished: 6, failed: 0 });
        for (const [i, body] of bodies.entries()) {
          expect((await readFile(join(target, 'small', `f${i}.bin`))).equals(body)).toBe(true);
        }
        opened.push(ownConnections());
      }
      // The first download opened at most one connection a file; the second, right after, none.
      expect(opened[0]).toBeGreaterThan(0);
      expect(opened[0]).toBeLessThanOrEqual(6);
      expect(opened[1]).toBe(opened[0]);
    } finally {
      connects.mockRestore();
      await transfers.dispose();
    }
  }, 120_000);
});
