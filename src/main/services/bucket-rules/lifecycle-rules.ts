import {
  DeleteBucketLifecycleCommand,
  GetBucketLifecycleConfigurationCommand,
  PutBucketLifecycleConfigurationCommand,
  type LifecycleRule as S3LifecycleRule,
  type S3Client,
  type TransitionStorageClass,
} from '@aws-sdk/client-s3';
import type { LifecycleRule } from '../../../shared/bucket-rules';

/** The bucket's lifecycle rules as S3 keeps them; none where it has no configuration. */
export async function readS3LifecycleRules(client: S3Client, bucket: string): Promise<S3LifecycleRule[]> {
  try {
    const output = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    return output.Rules ?? [];
  } catch (error) {
    if ((error as { name?: unknown } | null)?.name === 'NoSuchLifecycleConfiguration') return [];
    throw error;
  }
}

/** A rule as the editor shows it, from S3's form (the older top-level Prefix read too). */
export function lifecycleRuleFromS3(rule: S3LifecycleRule, index: number): LifecycleRule {
  const filter = rule.Filter;
  const and = filter?.And;
  const prefix = and?.Prefix ?? filter?.Prefix ?? rule.Prefix ?? '';
  const tags = (and?.Tags ?? (filter?.Tag ? [filter.Tag] : [])).map((t) => ({
    key: t.Key ?? '',
    value: t.Value ?? '',
  }));
  const expirationDate = rule.Expiration?.Date ? rule.Expiration.Date.toISOString().slice(0, 10) : undefined;
  return {
    id: rule.ID || `rule-${index + 1}`,
    enabled: rule.Status === 'Enabled',
    prefix,
    tags,
    ...(rule.Expiration?.Days !== undefined ? { expirationDays: rule.Expiration.Days } : {}),
    ...(expirationDate ? { expirationDate } : {}),
    transitions: (rule.Transitions ?? []).map((t) => ({ days: t.Days ?? 0, storageClass: t.StorageClass ?? '' })),
    ...(rule.NoncurrentVersionExpiration?.NoncurrentDays !== undefined
      ? { noncurrentExpirationDays: rule.NoncurrentVersionExpiration.NoncurrentDays }
      : {}),
    ...(rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation !== undefined
      ? { abortIncompleteUploadDays: rule.AbortIncompleteMultipartUpload.DaysAfterInitiation }
      : {}),
  };
}

/**
 * A rule in S3's form. `kept` is the rule S3 had under the same id: what the editor does not
 * show (noncurrent transitions, delete-marker expiry, object size filters) is carried over
 * from it, so saving in the editor never drops a setting made elsewhere.
 */
export function lifecycleRuleToS3(rule: LifecycleRule, kept: S3LifecycleRule | undefined): S3LifecycleRule {
  const tags = rule.tags.map((t) => ({ Key: t.key, Value: t.value }));
  const sizes = {
    ...(kept?.Filter?.ObjectSizeGreaterThan !== undefined
      ? { ObjectSizeGreaterThan: kept.Filter.ObjectSizeGreaterThan }
      : kept?.Filter?.And?.ObjectSizeGreaterThan !== undefined
        ? { ObjectSizeGreaterThan: kept.Filter.And.ObjectSizeGreaterThan }
        : {}),
    ...(kept?.Filter?.ObjectSizeLessThan !== undefined
      ? { ObjectSizeLessThan: kept.Filter.ObjectSizeLessThan }
      : kept?.Filter?.And?.ObjectSizeLessThan !== undefined
        ? { ObjectSizeLessThan: kept.Filter.And.ObjectSizeLessThan }
        : {}),
  };
  const filterCount = (rule.prefix ? 1 : 0) + tags.length + Object.keys(sizes).length;
  const Filter =
    filterCount > 1
      ? {
          And: {
            ...(rule.prefix ? { Prefix: rule.prefix } : {}),
            ...(tags.length > 0 ? { Tags: tags } : {}),
            ...sizes,
          },
        }
      : tags.length === 1
        ? { Tag: tags[0] }
        : Object.keys(sizes).length === 1
          ? sizes
          : { Prefix: rule.prefix };
  const keptMarkerExpiry = kept?.Expiration?.ExpiredObjectDeleteMarker;
  const expiration =
    rule.expirationDays !== undefined
      ? { Days: rule.expirationDays }
      : rule.expirationDate !== undefined
        ? { Date: new Date(`${rule.expirationDate}T00:00:00.000Z`) }
        : keptMarkerExpiry !== undefined
          ? { ExpiredObjectDeleteMarker: keptMarkerExpiry }
          : undefined;
  return {
    ID: rule.id,
    Status: rule.enabled ? 'Enabled' : 'Disabled',
    Filter,
    ...(expiration ? { Expiration: expiration } : {}),
    ...(rule.transitions.length > 0
      ? {
          Transitions: rule.transitions.map((t) => ({
            Days: t.days,
            StorageClass: t.storageClass as TransitionStorageClass,
          })),
        }
      : {}),
    ...(rule.noncurrentExpirationDays !== undefined || kept?.NoncurrentVersionExpiration?.NewerNoncurrentVersions
      ? {
          NoncurrentVersionExpiration: {
            ...(rule.noncurrentExpirationDays !== undefined ? { NoncurrentDays: rule.noncurrentExpirationDays } : {}),
            ...(kept?.NoncurrentVersionExpiration?.NewerNoncurrentVersions !== undefined
              ? { NewerNoncurrentVersions: kept.NoncurrentVersionExpiration.NewerNoncurrentVersions }
              : {}),
          },
        }
      : {}),
    ...(kept?.NoncurrentVersionTransitions ? { NoncurrentVersionTransitions: kept.NoncurrentVersionTransitions } : {}),
    ...(rule.abortIncompleteUploadDays !== undefined
      ? { AbortIncompleteMultipartUpload: { DaysAfterInitiation: rule.abortIncompleteUploadDays } }
      : {}),
  };
}

/** Replaces the bucket's lifecycle rules, keeping what the editor does not show of each; none deletes them. */
export async function writeLifecycleRules(
  client: S3Client,
  bucket: string,
  rules: readonly LifecycleRule[],
  current: readonly S3LifecycleRule[],
): Promise<void> {
  if (rules.length === 0) {
    await client.send(new DeleteBucketLifecycleCommand({ Bucket: bucket }));
    return;
  }
  await client.send(
    new PutBucketLifecycleConfigurationCommand({
      Bucket: bucket,
      LifecycleConfiguration: {
        Rules: rules.map((rule) =>
          lifecycleRuleToS3(
            rule,
            current.find((c) => c.ID === rule.id),
          ),
        ),
      },
    }),
  );
}
