import {
  GetObjectLegalHoldCommand,
  GetObjectLockConfigurationCommand,
  GetObjectRetentionCommand,
  PutObjectLegalHoldCommand,
  PutObjectLockConfigurationCommand,
  PutObjectRetentionCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type {
  BucketObjectLock,
  DefaultRetention,
  ObjectProtection,
  ObjectRetention,
} from '../../../shared/bucket-rules';

/** The name of an S3 error. */
const nameOf = (error: unknown) => (error as { name?: unknown } | null)?.name;

/** The sentence for a bucket that was not created with Object Lock. */
export const bucketNotLockedText =
  'This bucket was not created with Object Lock, so its objects cannot have a retention or a legal hold. ' +
  'Create a new bucket with Object Lock and copy the files there.';

/** The bucket's Object Lock: off where it has no configuration (ObjectLockConfigurationNotFoundError). */
export async function readBucketObjectLock(client: S3Client, bucket: string): Promise<BucketObjectLock> {
  try {
    const output = await client.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }));
    const configuration = output.ObjectLockConfiguration;
    const retention = configuration?.Rule?.DefaultRetention;
    let defaultRetention: DefaultRetention | null = null;
    // moto names both, the unused one as 0.
    const years = retention?.Years ?? 0;
    const days = retention?.Days ?? 0;
    if (retention?.Mode && (years > 0 || days > 0)) {
      defaultRetention =
        years > 0
          ? { mode: retention.Mode, unit: 'years', amount: years }
          : { mode: retention.Mode, unit: 'days', amount: days };
    }
    return { enabled: configuration?.ObjectLockEnabled === 'Enabled', defaultRetention };
  } catch (error) {
    if (nameOf(error) === 'ObjectLockConfigurationNotFoundError') return { enabled: false, defaultRetention: null };
    throw error;
  }
}

/** Sets (or, with null, removes) the bucket's default retention; the bucket keeps Object Lock either way. */
export async function writeDefaultRetention(
  client: S3Client,
  bucket: string,
  retention: DefaultRetention | null,
): Promise<void> {
  await client.send(
    new PutObjectLockConfigurationCommand({
      Bucket: bucket,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        ...(retention
          ? {
              Rule: {
                DefaultRetention: {
                  Mode: retention.mode,
                  ...(retention.unit === 'years' ? { Years: retention.amount } : { Days: retention.amount }),
                },
              },
            }
          : {}),
      },
    }),
  );
}

/** What an object-level answer says when the bucket has no Object Lock (AWS: InvalidRequest; moto, MinIO alike). */
function saysBucketNotLocked(error: unknown): boolean {
  const message = (error as { message?: unknown } | null)?.message;
  return (
    nameOf(error) === 'InvalidRequest' ||
    (typeof message === 'string' && /object lock configuration|object lock is not enabled/i.test(message))
  );
}

/**
 * True where the SDK could not read a 200's body as XML: moto 5.2.5 answers GetObjectRetention
 * with the object's bytes (it serves a plain GET), so the retention cannot be read there.
 */
function notS3Document(error: unknown): boolean {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message.includes('XML parse error');
}

/** Said where the service answered a retention request with something that is not S3's document. */
export const retentionUnreadableText =
  'This service did not answer with S3’s retention document, so the retention cannot be shown here ' +
  '(it may not support reading it). Setting a retention still works where the service takes it.';

/** An object's retention and legal hold (none: null and off). */
export async function readObjectProtection(
  client: S3Client,
  bucket: string,
  key: string,
  versionId: string | undefined,
  bucketLocked: boolean,
): Promise<ObjectProtection> {
  if (!bucketLocked) {
    const unavailable = { available: false as const, reason: bucketNotLockedText };
    return { bucketLocked: false, retention: unavailable, legalHold: unavailable };
  }
  const target = { Bucket: bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) };
  let retention: ObjectProtection['retention'] = { available: true, value: null };
  try {
    const output = await client.send(new GetObjectRetentionCommand(target));
    const r = output.Retention;
    if (r?.Mode && r.RetainUntilDate) {
      retention = { available: true, value: { mode: r.Mode, until: r.RetainUntilDate.toISOString() } };
    }
  } catch (error) {
    if (notS3Document(error)) retention = { available: false, reason: retentionUnreadableText };
    else if (nameOf(error) !== 'NoSuchObjectLockConfiguration' && !saysBucketNotLocked(error)) throw error;
  }
  let legalHold = false;
  try {
    const output = await client.send(new GetObjectLegalHoldCommand(target));
    legalHold = output.LegalHold?.Status === 'ON';
  } catch (error) {
    if (nameOf(error) !== 'NoSuchObjectLockConfiguration' && !saysBucketNotLocked(error)) throw error;
  }
  return { bucketLocked: true, retention, legalHold: { available: true, value: legalHold } };
}

/**
 * Sets an object's retention; null removes it (only a GOVERNANCE one, with the bypass header,
 * by someone allowed to: S3 refuses the rest).
 */
export async function writeObjectRetention(
  client: S3Client,
  target: { bucket: string; key: string; versionId: string | undefined },
  retention: ObjectRetention | null,
  bypassGovernance: boolean,
): Promise<void> {
  await client.send(
    new PutObjectRetentionCommand({
      Bucket: target.bucket,
      Key: target.key,
      ...(target.versionId ? { VersionId: target.versionId } : {}),
      Retention: retention ? { Mode: retention.mode, RetainUntilDate: new Date(retention.until) } : {},
      ...(bypassGovernance ? { BypassGovernanceRetention: true } : {}),
    }),
  );
}

/** Turns an object's legal hold on or off. */
export async function writeLegalHold(
  client: S3Client,
  target: { bucket: string; key: string; versionId: string | undefined },
  on: boolean,
): Promise<void> {
  await client.send(
    new PutObjectLegalHoldCommand({
      Bucket: target.bucket,
      Key: target.key,
      ...(target.versionId ? { VersionId: target.versionId } : {}),
      LegalHold: { Status: on ? 'ON' : 'OFF' },
    }),
  );
}
