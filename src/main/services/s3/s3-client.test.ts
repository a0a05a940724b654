import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, get, type Server } from 'node:https';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListBucketsCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeSelfSignedCertificate } from '../../../../test/self-signed-certificate';
import { classifyS3Error } from './classify-s3-error';
import { createRoundTrips } from './round-trips';
import { createS3Client, httpsAgentFor, isAwsEndpoint } from './s3-client';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG' };

describe('S3 client configuration', () => {
  it('knows AWS endpoints from others', () => {
    expect(isAwsEndpoint('')).toBe(true);
    expect(isAwsEndpoint('https://s3.eu-west-1.amazonaws.com')).toBe(true);
    expect(isAwsEndpoint('https://abc.r2.cloudflarestorage.com')).toBe(false);
    expect(isAwsEndpoint('https://amazonaws.com.evil.example')).toBe(false);
  });

  it('asks for checksums only when required on non-AWS endpoints, and keeps the SDK default on AWS', async () => {
    const other = createS3Client({
      endpoint: 'http://127.0.0.1:9000',
      region: 'us-east-1',
      forcePathStyle: true,
      credentials,
    });
    const aws = createS3Client({ endpoint: '', region: 'us-east-1', forcePathStyle: false, credentials });
    expect(await other.config.requestChecksumCalculation()).toBe('WHEN_REQUIRED');
    expect(await other.config.responseChecksumValidation()).toBe('WHEN_REQUIRED');
    expect(await aws.config.requestChecksumCalculation()).toBe('WHEN_SUPPORTED');
    expect(await aws.config.responseChecksumValidation()).toBe('WHEN_SUPPORTED');
  });
});

describe('a pinned self-signed certificate', () => {
  let folder: string;
  let server: Server;
  let certificate: string;
  let otherCertificate: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 's3fm-pin-'));
    const make = async (name: string) =>
      (await makeSelfSignedCertificate(folder, { name, commonName: 'nas.local' })).pem;
    certificate = await make('server');
    otherCertificate = await make('other');
    // Answers like an S3 server listing no buckets.
    server = createServer(
      { cert: certificate, key: await readFile(join(folder, 'server.key')) },
      (_request, response) => {
        response
          .writeHead(200, { 'content-type': 'application/xml' })
          .end('<ListAllMyBucketsResult><Buckets></Buckets></ListAllMyBucketsResult>');
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(folder, { recursive: true, force: true });
  });

  const clientWith = (pinnedCertificatePem?: string) =>
    createS3Client({
      endpoint: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials,
      ...(pinnedCertificatePem ? { pinnedCertificatePem } : {}),
    });

  it('is refused by default', async () => {
    const error = await clientWith()
      .send(new ListBucketsCommand({}))
      .catch((e: unknown) => e);
    expect(classifyS3Error(error)?.code).toBe('certificate-untrusted');
  });

  it('is accepted once pinned, although it names another host', async () => {
    const output = await clientWith(certificate).send(new ListBucketsCommand({}));
    expect(output.Buckets ?? []).toEqual([]);
  });

  it('builds its trust once: a new connection does not parse the roots again (5 ms each)', async () => {
    const port = (server.address() as AddressInfo).port;
    const agent = httpsAgentFor(
      {
        endpoint: `https://127.0.0.1:${port}`,
        region: 'us-east-1',
        forcePathStyle: true,
        credentials,
        pinnedCertificatePem: certificate,
      },
      createRoundTrips(),
    );
    const built = vi.spyOn(tls, 'createSecureContext');
    try {
      // "Connection: close": each request opens a connection of its own.
      const status = () =>
        new Promise<number | undefined>((resolve, reject) => {
          get({ host: '127.0.0.1', port, path: '/', agent, headers: { connection: 'close' } }, (response) => {
            response.resume().on('end', () => resolve(response.statusCode));
          }).on('error', reject);
        });
      expect([await status(), await status(), await status()]).toEqual([200, 200, 200]);
      expect(built).not.toHaveBeenCalled();
    } finally {
      built.mockRestore();
      agent.destroy();
    }
  });

  it('does not make another self-signed certificate acceptable', async () => {
    const error = await clientWith(otherCertificate)
      .send(new ListBucketsCommand({}))
      .catch((e: unknown) => e);
    expect(classifyS3Error(error)?.code).toBe('certificate-untrusted');
  });
});
