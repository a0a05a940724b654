import { S3Client } from '@aws-sdk/client-s3';

/** What it takes to reach one S3 service; the secret lives here in main only. */
export interface S3ConnectionConfig {
  /** Empty for AWS itself (the SDK picks the endpoint from the region). */
  endpoint: string;
  region: string;
  forcePathStyle: boolean;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** True for Amazon's own endpoints (or none, which means AWS). */
export function isAwsEndpoint(endpoint: string): boolean {
  if (endpoint === '') return true;
  try {
    const host = new URL(endpoint).hostname;
    return host === 'amazonaws.com' || host.endsWith('.amazonaws.com') || host.endsWith('.amazonaws.com.cn');
  } catch {
    return false;
  }
}

/**
 * Creates an S3 client for a connection. Non-AWS endpoints get checksums only when
 * required: the SDK's default CRC32 (since 3.729) breaks s3rver, R2, B2 and presigned PUTs
 * (see docs/architecture.md).
 */
export function createS3Client(config: S3ConnectionConfig): S3Client {
  const aws = isAwsEndpoint(config.endpoint);
  return new S3Client({
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    credentials: {
      accessKeyId: config.accessKeyId,
      secretAccessKey: config.secretAccessKey,
      ...(config.sessionToken ? { sessionToken: config.sessionToken } : {}),
    },
    ...(aws ? {} : { endpoint: config.endpoint }),
    ...(aws ? {} : { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }),
    maxAttempts: 3,
  });
}
