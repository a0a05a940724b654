import {
  DeleteBucketCorsCommand,
  GetBucketCorsCommand,
  PutBucketCorsCommand,
  type CORSRule,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { CorsRule } from '../../../shared/bucket-rules';

/**
 * A bucket's CORS rules as S3 keeps them, read and written for every domain that needs them:
 * the drop box (one narrow rule for its upload page) and the Bucket settings view's editor.
 */

/** The bucket's CORS rules; none where it has no configuration (NoSuchCORSConfiguration). */
export async function bucketCorsRules(client: S3Client, bucket: string): Promise<CORSRule[]> {
  try {
    const output = await client.send(new GetBucketCorsCommand({ Bucket: bucket }));
    return output.CORSRules ?? [];
  } catch (error) {
    if ((error as { name?: unknown } | null)?.name === 'NoSuchCORSConfiguration') return [];
    throw error;
  }
}

/** Replaces the bucket's CORS rules (PutBucketCors replaces the whole set); none deletes the configuration. */
export async function putBucketCorsRules(client: S3Client, bucket: string, rules: CORSRule[]): Promise<void> {
  if (rules.length === 0) {
    await client.send(new DeleteBucketCorsCommand({ Bucket: bucket }));
    return;
  }
  await client.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: rules } }));
}

/** A rule as the app's model has it (empty lists where S3 left a field out). */
export function corsRuleFromS3(rule: CORSRule): CorsRule {
  return {
    id: rule.ID ?? '',
    allowedOrigins: rule.AllowedOrigins ?? [],
    allowedMethods: (rule.AllowedMethods ?? []) as CorsRule['allowedMethods'],
    allowedHeaders: rule.AllowedHeaders ?? [],
    exposeHeaders: rule.ExposeHeaders ?? [],
    ...(rule.MaxAgeSeconds !== undefined ? { maxAgeSeconds: rule.MaxAgeSeconds } : {}),
  };
}

/** A rule as S3 takes it (empty lists and ids left out: some services refuse an empty element). */
export function corsRuleToS3(rule: CorsRule): CORSRule {
  return {
    ...(rule.id ? { ID: rule.id } : {}),
    AllowedOrigins: rule.allowedOrigins,
    AllowedMethods: rule.allowedMethods,
    ...(rule.allowedHeaders.length > 0 ? { AllowedHeaders: rule.allowedHeaders } : {}),
    ...(rule.exposeHeaders.length > 0 ? { ExposeHeaders: rule.exposeHeaders } : {}),
    ...(rule.maxAgeSeconds !== undefined ? { MaxAgeSeconds: rule.maxAgeSeconds } : {}),
  };
}
