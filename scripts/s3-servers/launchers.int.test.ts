/**
 * Smoke test of every S3 test server: each starts on 127.0.0.1, stores and returns an
 * object through the AWS SDK as the app configures it, reports its version, and is gone
 * (its port closed) after stop().
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import type { RunningS3Server } from './launcher';
import { s3ServerLaunchers, s3ServerNames } from './registry';

function clientFor(server: RunningS3Server): S3Client {
  return new S3Client({
    endpoint: server.endpoint,
    region: server.region,
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
    forcePathStyle: true,
    // As the app does for non-AWS endpoints (docs/architecture.md, "S3 clients").
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** True when something accepts a TCP connection at the endpoint's port. */
function portAnswers(endpoint: string): Promise<boolean> {
  const { hostname, port } = new URL(endpoint);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    socket.setTimeout(2000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

describe.each(s3ServerNames)('S3 test server %s', (name) => {
  it('stores and returns an object, reports its version, and stops', { timeout: 180_000 }, async () => {
    const launcher = s3ServerLaunchers[name];
    const server = await launcher.start();
    const client = clientFor(server);
    try {
      expect(server.server).toBe(name);
      expect(server.version).not.toBe('');
      expect(server.version).toBe(launcher.version);
      expect(new URL(server.endpoint).hostname).toBe('127.0.0.1');

      const bucket = `smoke-${randomBytes(6).toString('hex')}`;
      const key = 'folder/hello world.bin';
      const body = randomBytes(70_000);
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
      const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const bytes = Buffer.from(await got.Body!.transformToByteArray());
      expect(bytes.equals(body)).toBe(true);
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      await client.send(new DeleteBucketCommand({ Bucket: bucket }));
    } finally {
      client.destroy();
      await server.stop();
    }
    expect(await portAnswers(server.endpoint)).toBe(false);
  });
});
