import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { startMinio, type RunningS3 } from '../scripts/minio';
import { createS3Client } from '../src/main/services/s3/s3-client';
import { makeSelfSignedCertificate } from './self-signed-certificate';

/** A MinIO over TLS for one test file, a client that trusts it, and a bucket in it. */
export interface TlsMinio {
  minio: RunningS3;
  /** The server's self-signed certificate, for an account to trust. */
  pem: string;
  /** A client straight to the server (not through the app). */
  direct: S3Client;
  /** A temporary folder of the test's own (the certificate lives here); removed by `stop`. */
  folder: string;
  stop(): Promise<void>;
}

/**
 * Starts a second MinIO with a self-signed certificate for 127.0.0.1 (MinIO accepts SSE-C only
 * over TLS) and makes `bucket` in it.
 */
export async function startTlsMinio(folderPrefix: string, bucket: string): Promise<TlsMinio> {
  const folder = await mkdtemp(join(tmpdir(), folderPrefix));
  const certificate = await makeSelfSignedCertificate(folder, {
    name: 'server',
    commonName: 's3fm-test-tls-minio',
    subjectAltName: 'IP:127.0.0.1',
  });
  const minio = await startMinio({ tls: { certFile: certificate.certFile, keyFile: certificate.keyFile } });
  const direct = createS3Client({
    endpoint: minio.endpoint,
    region: minio.region,
    forcePathStyle: true,
    credentials: { accessKeyId: minio.accessKeyId, secretAccessKey: minio.secretAccessKey },
    pinnedCertificatePem: certificate.pem,
  });
  await direct.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    minio,
    pem: certificate.pem,
    direct,
    folder,
    async stop() {
      direct.destroy();
      await minio.stop();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
