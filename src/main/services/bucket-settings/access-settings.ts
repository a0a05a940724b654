import {
  DeleteBucketEncryptionCommand,
  DeleteBucketPolicyCommand,
  DeleteBucketTaggingCommand,
  DeletePublicAccessBlockCommand,
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
  PutBucketAclCommand,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutPublicAccessBlockCommand,
  type Grant,
  type S3Client,
} from '@aws-sdk/client-s3';
import type {
  BucketAclState,
  BucketTag,
  CannedBucketAcl,
  DefaultEncryption,
  PublicAccessBlockFlags,
} from '../../../shared/bucket-settings';
import { ALL_USERS_URI, AUTHENTICATED_USERS_URI, granteeName } from '../details/object-details';

/**
 * The S3 requests behind the "Bucket settings" view's access sections, one small function per
 * read or write. Each "nothing set" answer (NoSuchBucketPolicy, NoSuchTagSet, …) reads as the
 * empty setting, not as an error; every other error is thrown for the handlers to classify.
 */

/** The error names that mean "this bucket has none of that setting" rather than a failure. */
const nothingSet = new Set([
  'NoSuchBucketPolicy',
  'NoSuchPublicAccessBlockConfiguration',
  'ServerSideEncryptionConfigurationNotFoundError',
  'NoSuchTagSet',
  'NoSuchTagSetError',
]);

/** Runs a read; an answer that says the setting is not set gives `empty`. */
async function orEmpty<T>(read: () => Promise<T>, empty: T): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (nothingSet.has((error as { name?: unknown } | null)?.name as string)) return empty;
    throw error;
  }
}

/** The bucket policy's text, or null where the bucket has none. */
export async function readBucketPolicy(client: S3Client, bucket: string): Promise<string | null> {
  return orEmpty(async () => (await client.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy ?? null, null);
}

/** Replaces the bucket policy (checked by the caller). */
export async function writeBucketPolicy(client: S3Client, bucket: string, policy: string): Promise<void> {
  await client.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy }));
}

/** Deletes the bucket policy (a bucket without one is left as it is). */
export async function deleteBucketPolicy(client: S3Client, bucket: string): Promise<void> {
  await orEmpty(() => client.send(new DeleteBucketPolicyCommand({ Bucket: bucket })), undefined);
}

/** The four switches as S3 and S3 Control both spell them (absent: off). */
interface PublicAccessBlockConfig {
  BlockPublicAcls?: boolean | undefined;
  IgnorePublicAcls?: boolean | undefined;
  BlockPublicPolicy?: boolean | undefined;
  RestrictPublicBuckets?: boolean | undefined;
}

/** The switches of a bucket's or an account's configuration as the app names them. */
export function flagsOfConfig(config: PublicAccessBlockConfig): PublicAccessBlockFlags {
  return {
    blockPublicAcls: config.BlockPublicAcls ?? false,
    ignorePublicAcls: config.IgnorePublicAcls ?? false,
    blockPublicPolicy: config.BlockPublicPolicy ?? false,
    restrictPublicBuckets: config.RestrictPublicBuckets ?? false,
  };
}

/** The app's switches as the configuration S3 and S3 Control take. */
export function configOfFlags(flags: PublicAccessBlockFlags): Required<PublicAccessBlockConfig> {
  return {
    BlockPublicAcls: flags.blockPublicAcls,
    IgnorePublicAcls: flags.ignorePublicAcls,
    BlockPublicPolicy: flags.blockPublicPolicy,
    RestrictPublicBuckets: flags.restrictPublicBuckets,
  };
}

/** The bucket's Block Public Access switches, or null where it has no configuration. */
export async function readPublicAccessBlock(client: S3Client, bucket: string): Promise<PublicAccessBlockFlags | null> {
  return orEmpty(async () => {
    const config = (await client.send(new GetPublicAccessBlockCommand({ Bucket: bucket })))
      .PublicAccessBlockConfiguration;
    return config ? flagsOfConfig(config) : null;
  }, null);
}

/** Sets the four switches; all off removes the configuration, which S3 reads the same way. */
export async function writePublicAccessBlock(
  client: S3Client,
  bucket: string,
  flags: PublicAccessBlockFlags,
): Promise<void> {
  if (!Object.values(flags).some(Boolean)) {
    await orEmpty(() => client.send(new DeletePublicAccessBlockCommand({ Bucket: bucket })), undefined);
    return;
  }
  await client.send(
    new PutPublicAccessBlockCommand({
      Bucket: bucket,
      PublicAccessBlockConfiguration: configOfFlags(flags),
    }),
  );
}

/** The bucket's default encryption, as the form edits it. */
export async function readDefaultEncryption(client: S3Client, bucket: string): Promise<DefaultEncryption> {
  return orEmpty<DefaultEncryption>(
    async () => {
      const output = await client.send(new GetBucketEncryptionCommand({ Bucket: bucket }));
      const rule = output.ServerSideEncryptionConfiguration?.Rules?.[0];
      const algorithm = rule?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm;
      const bucketKey = rule?.BucketKeyEnabled ?? false;
      if (algorithm === 'AES256') return { mode: 'SSE-S3', bucketKey };
      if (algorithm === 'aws:kms' || algorithm === 'aws:kms:dsse') {
        return { mode: 'SSE-KMS', kmsKeyId: rule?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID ?? '', bucketKey };
      }
      return { mode: 'none' };
    },
    { mode: 'none' },
  );
}

/** Sets the bucket's default encryption, or removes it (mode 'none'). */
export async function writeDefaultEncryption(
  client: S3Client,
  bucket: string,
  encryption: DefaultEncryption,
): Promise<void> {
  if (encryption.mode === 'none') {
    await orEmpty(() => client.send(new DeleteBucketEncryptionCommand({ Bucket: bucket })), undefined);
    return;
  }
  const byDefault =
    encryption.mode === 'SSE-S3'
      ? { SSEAlgorithm: 'AES256' as const }
      : {
          SSEAlgorithm: 'aws:kms' as const,
          ...(encryption.kmsKeyId ? { KMSMasterKeyID: encryption.kmsKeyId } : {}),
        };
  await client.send(
    new PutBucketEncryptionCommand({
      Bucket: bucket,
      ServerSideEncryptionConfiguration: {
        // BucketKeyEnabled only when on: some services refuse the element they do not know.
        Rules: [
          {
            ApplyServerSideEncryptionByDefault: byDefault,
            ...(encryption.bucketKey ? { BucketKeyEnabled: true } : {}),
          },
        ],
      },
    }),
  );
}

/** The bucket's tags (none where it has no tag set). */
export async function readBucketTags(client: S3Client, bucket: string): Promise<BucketTag[]> {
  return orEmpty(
    async () =>
      ((await client.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet ?? []).map((tag) => ({
        key: tag.Key ?? '',
        value: tag.Value ?? '',
      })),
    [],
  );
}

/** Replaces the bucket's tags; an empty set deletes them (S3 refuses an empty TagSet). */
export async function writeBucketTags(client: S3Client, bucket: string, tags: readonly BucketTag[]): Promise<void> {
  if (tags.length === 0) {
    await orEmpty(() => client.send(new DeleteBucketTaggingCommand({ Bucket: bucket })), undefined);
    return;
  }
  await client.send(
    new PutBucketTaggingCommand({
      Bucket: bucket,
      Tagging: { TagSet: tags.map((tag) => ({ Key: tag.key, Value: tag.value })) },
    }),
  );
}

/** Which canned ACL a set of grants amounts to: the owner's full control plus the groups' permissions. */
export function cannedAclOf(grants: readonly Grant[], ownerId: string | undefined): CannedBucketAcl | 'custom' {
  const others = grants.filter(
    (grant) => !(grant.Grantee?.Type === 'CanonicalUser' && (grant.Grantee.ID ?? '') === (ownerId ?? '')),
  );
  const shape = others
    .map((grant) => `${grant.Grantee?.URI ?? grant.Grantee?.ID ?? '?'} ${grant.Permission ?? '?'}`)
    .sort()
    .join(',');
  const canned: Record<string, CannedBucketAcl> = {
    '': 'private',
    [`${ALL_USERS_URI} READ`]: 'public-read',
    [[`${ALL_USERS_URI} READ`, `${ALL_USERS_URI} WRITE`].sort().join(',')]: 'public-read-write',
    [`${AUTHENTICATED_USERS_URI} READ`]: 'authenticated-read',
  };
  return canned[shape] ?? 'custom';
}

/** The bucket's ACL: owner, grants in words, and the canned ACL they amount to. */
export async function readBucketAcl(client: S3Client, bucket: string): Promise<BucketAclState> {
  const output = await client.send(new GetBucketAclCommand({ Bucket: bucket }));
  const grants = output.Grants ?? [];
  return {
    owner: output.Owner?.DisplayName || output.Owner?.ID || null,
    grants: grants.map((grant) => ({
      grantee: granteeName(grant, output.Owner?.ID),
      permission: grant.Permission ?? 'unknown',
    })),
    canned: cannedAclOf(grants, output.Owner?.ID),
  };
}

/** Gives the bucket a canned ACL. */
export async function writeBucketAcl(client: S3Client, bucket: string, acl: CannedBucketAcl): Promise<void> {
  await client.send(new PutBucketAclCommand({ Bucket: bucket, ACL: acl }));
}
