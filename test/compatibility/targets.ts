/**
 * What the compatibility suite runs against: four real S3 servers (MinIO, moto, SeaweedFS,
 * s3rver) and five provider profiles (the fault proxy making MinIO answer as Cloudflare R2,
 * Backblaze B2, Wasabi, Google Cloud Storage's XML API, and AWS with SSE-KMS ETags).
 */
import type { ProviderId } from '../../src/shared/accounts';
import { MINIO_MODULE_VERSION } from '../../scripts/minio';
import { s3ServerLaunchers } from '../../scripts/s3-servers/registry';
import { startProviderProxy, type ProviderProfileName } from '../provider-profiles';
import type { RunningS3Info } from '../s3-fixtures';

/** One service of the matrix, started and ready. */
export interface CompatibilityTarget {
  id: TargetId;
  /** What the matrix calls it: "SeaweedFS", "Cloudflare R2 (profile)". */
  label: string;
  kind: 'server' | 'profile';
  /** The server's pinned version (a profile's is the MinIO under it). */
  version: string;
  /** The provider preset an account for it is set up with, as a person would choose it. */
  provider: ProviderId;
  /** Where the app connects (a profile's proxy). */
  app: RunningS3Info;
  /** The real server beneath, for set-up and checks that must not pass through a profile. */
  direct: RunningS3Info;
  /** The endpoint speaks HTTPS (SSE-C needs it). */
  tls: boolean;
  stop(): Promise<void>;
}

/** Every target of the matrix, in the order the report shows them. */
export const targetIds = ['minio', 'moto', 'seaweedfs', 's3rver', 'r2', 'b2', 'wasabi', 'gcs', 'aws-sse-kms'] as const;

/** One target of the matrix. */
export type TargetId = (typeof targetIds)[number];

/** The profiles, with their names in the matrix and the preset a person would pick for them. */
const profiles: Record<ProviderProfileName, { label: string; provider: ProviderId }> = {
  r2: { label: 'Cloudflare R2 (profile)', provider: 'r2' },
  b2: { label: 'Backblaze B2 (profile)', provider: 'b2' },
  wasabi: { label: 'Wasabi (profile)', provider: 'wasabi' },
  // GCS has no preset: a person picks "Other S3-compatible".
  gcs: { label: 'Google Cloud Storage XML (profile)', provider: 'other' },
  'aws-sse-kms': { label: 'AWS S3 (profile: SSE-KMS ETags)', provider: 'aws' },
};

/** The servers, with their names and the preset a person would pick ("Other" for those without one). */
const servers = {
  minio: { label: 'MinIO', provider: 'minio' },
  moto: { label: 'moto (AWS emulation)', provider: 'other' },
  seaweedfs: { label: 'SeaweedFS', provider: 'other' },
  s3rver: { label: 's3rver', provider: 'other' },
} as const satisfies Record<string, { label: string; provider: ProviderId }>;

/** Starts one target; `minio` is the run's MinIO (from the global setup), which also stands under every profile. */
export async function startTarget(id: TargetId, minio: RunningS3Info): Promise<CompatibilityTarget> {
  if (id === 'minio') {
    return {
      id,
      ...servers.minio,
      kind: 'server',
      version: MINIO_MODULE_VERSION,
      app: minio,
      direct: minio,
      tls: false,
      stop: async () => undefined,
    };
  }
  if (id === 'moto' || id === 'seaweedfs' || id === 's3rver') {
    const running = await s3ServerLaunchers[id].start();
    const { stop, ...info } = running;
    const address: RunningS3Info = { ...info, server: 'minio' } as unknown as RunningS3Info;
    return {
      id,
      ...servers[id],
      kind: 'server',
      version: running.version,
      app: address,
      direct: address,
      tls: false,
      stop,
    };
  }
  const proxy = await startProviderProxy(id, minio.endpoint, {
    credentials: { accessKeyId: minio.accessKeyId, secretAccessKey: minio.secretAccessKey },
  });
  return {
    id,
    ...profiles[id],
    kind: 'profile',
    version: `profile over MinIO ${MINIO_MODULE_VERSION}`,
    app: { ...minio, endpoint: proxy.url },
    direct: minio,
    tls: false,
    stop: () => proxy.stop(),
  };
}
