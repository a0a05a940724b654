import {
  GetBucketEncryptionCommand,
  GetBucketVersioningCommand,
  PutBucketVersioningCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { BucketDetails } from '../../../shared/details';
import type { BucketVersioning } from '../../../shared/versions';
import { AppFailure } from '../app-failure';
import { availability, unavailableReason } from '../capabilities/availability';
import { objectPages } from '../s3/object-pages';
import { whyUnavailable, type ServiceCapabilities } from '../../../shared/capabilities';

/** The error S3 answers GetBucketEncryption with where a bucket has no default encryption. */
const NO_ENCRYPTION_CONFIGURATION = 'ServerSideEncryptionConfigurationNotFoundError';

/** A bucket's region, versioning status and default encryption, each unavailable (with why) where the service lacks it. */
export async function readBucketDetails(
  client: S3Client,
  bucket: string,
  region: string | null,
  model?: ServiceCapabilities,
): Promise<BucketDetails> {
  const [versioning, defaultEncryption] = await Promise.all([
    readVersioning(client, bucket, model),
    availability('default encryption settings', async () => {
      try {
        const output = await client.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
        const rule = output.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
        if (!rule?.SSEAlgorithm) return null;
        return { algorithm: rule.SSEAlgorithm, kmsKeyId: rule.KMSMasterKeyID ?? null };
      } catch (error) {
        if ((error as { name?: unknown }).name === NO_ENCRYPTION_CONFIGURATION) return null;
        throw error;
      }
    }),
  ]);
  return { name: bucket, region, versioning, defaultEncryption };
}

/**
 * A bucket's versioning: on, suspended or never turned on, or unavailable (with why) where the
 * capability model or the service's answer says the service keeps no versions.
 */
export async function readVersioning(
  client: S3Client,
  bucket: string,
  model?: ServiceCapabilities,
): Promise<BucketVersioning> {
  const missing = model ? whyUnavailable(model, 'versioning') : undefined;
  if (missing !== undefined) return { available: false, reason: missing };
  return availability('versioning', async () => {
    const output = await client.send(new GetBucketVersioningCommand({ Bucket: bucket }));
    // No Status at all: versioning was never turned on (it can be suspended, never removed).
    if (output.Status === 'Enabled') return 'enabled' as const;
    if (output.Status === 'Suspended') return 'suspended' as const;
    return 'never-enabled' as const;
  });
}

/** Turns versioning on or suspends it; a service without versioning says so in words. */
export async function putVersioning(client: S3Client, bucket: string, status: 'enabled' | 'suspended'): Promise<void> {
  const wanted = status === 'enabled' ? 'Enabled' : 'Suspended';
  try {
    await client.send(
      new PutBucketVersioningCommand({
        Bucket: bucket,
        VersioningConfiguration: { Status: status === 'enabled' ? 'Enabled' : 'Suspended' },
      }),
    );
  } catch (error) {
    const reason = unavailableReason(error, 'versioning');
    if (reason !== undefined) throw new AppFailure('not-supported', reason);
    // A service that ignores the ?versioning sub-resource takes the PUT for "create bucket" (s3rver).
    if (ignoredSubresourceAnswers.has((error as { name?: unknown }).name as string)) {
      throw new AppFailure('not-supported', VERSIONING_IGNORED);
    }
    throw error;
  }
  // Read back: a service may answer 200 to a request it did not understand.
  const after = await client.send(new GetBucketVersioningCommand({ Bucket: bucket })).catch(() => undefined);
  if (after?.Status !== wanted) throw new AppFailure('not-supported', VERSIONING_IGNORED);
}

/** What a person reads when a service accepted a versioning change but did not make it. */
export const VERSIONING_IGNORED = 'This service does not support versioning: it ignored the request to change it.';

/** Answers that show a service took a sub-resource request for the plain bucket operation. */
const ignoredSubresourceAnswers = new Set(['BucketAlreadyExists', 'BucketAlreadyOwnedByYou']);

/**
 * Counts the objects and bytes under a prefix, listing every key (only on request: it can take
 * a while). Empty folder markers ("photos/") are not counted: a person sees folders, not objects.
 * The listing is bounded (objectPages) and stops, failing as cancelled, once `signal` aborts:
 * a count nobody waits for any more is not worth a million requests.
 */
export async function folderSize(
  client: S3Client,
  bucket: string,
  prefix: string,
  options: { pageSize?: number; signal?: AbortSignal } = {},
): Promise<{ objects: number; bytes: number }> {
  let objects = 0;
  let bytes = 0;
  const pages = objectPages(
    client,
    { bucket, prefix, ...(options.pageSize ? { pageSize: options.pageSize } : {}) },
    { ...(options.signal ? { signal: options.signal } : {}), onCancel: 'throw' },
  );
  for await (const page of pages) {
    for (const entry of page) {
      if (entry.Key?.endsWith('/') && !entry.Size) continue;
      objects += 1;
      bytes += entry.Size ?? 0;
    }
  }
  return { objects, bytes };
}
