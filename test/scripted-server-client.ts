import { createS3Client } from '../src/main/services/s3/s3-client';

/**
 * A client as the app makes them (createS3Client, so lean requests are allowed) for a local
 * server that answers as a test scripts it and checks no signature; each has its own
 * connections, kept ones included.
 */
export function scriptedServerClient(endpoint: string) {
  return createS3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    requestTimeoutMs: 2_000,
  });
}
