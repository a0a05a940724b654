import { z } from 'zod';
import { tagKeySchema, tagValueSchema } from './details';

/**
 * The models of the "Bucket settings" view's access sections (policy, Block Public Access,
 * default encryption, bucket tags, bucket ACL): what main reads from a bucket and what the
 * renderer sends back, each input a zod schema used by both the form and the channel.
 */

/** The four Block Public Access switches, as S3 names them (true = the protection is on). */
export interface PublicAccessBlockFlags {
  blockPublicAcls: boolean;
  ignorePublicAcls: boolean;
  blockPublicPolicy: boolean;
  restrictPublicBuckets: boolean;
}

/** The switches' names, in S3's order. */
export const publicAccessFlagNames = [
  'blockPublicAcls',
  'ignorePublicAcls',
  'blockPublicPolicy',
  'restrictPublicBuckets',
] as const satisfies readonly (keyof PublicAccessBlockFlags)[];

/** What each switch does, in words, and what turning it off lets happen. */
export const publicAccessFlagWords: Record<
  keyof PublicAccessBlockFlags,
  { label: string; means: string; offConsequence: string }
> = {
  blockPublicAcls: {
    label: 'Block new public ACLs',
    means: 'Refuses requests that would set a public access list on the bucket or its objects.',
    offConsequence: 'new uploads and changes may make objects public through their access lists',
  },
  ignorePublicAcls: {
    label: 'Ignore public ACLs',
    means: 'Public access lists already set on the bucket and its objects give no access.',
    offConsequence: 'objects whose access lists say "public" become readable by anyone',
  },
  blockPublicPolicy: {
    label: 'Block new public bucket policies',
    means: 'Refuses a bucket policy that would grant access to anyone.',
    offConsequence: 'a bucket policy may grant access to anyone on the internet',
  },
  restrictPublicBuckets: {
    label: 'Restrict public bucket policies',
    means: 'A public bucket policy already set gives access only to AWS services and this account.',
    offConsequence: 'a public bucket policy already on the bucket takes effect for anyone',
  },
};

/** The Block Public Access switches, as sent by the form. */
export const publicAccessBlockSchema = z
  .object({
    blockPublicAcls: z.boolean(),
    ignorePublicAcls: z.boolean(),
    blockPublicPolicy: z.boolean(),
    restrictPublicBuckets: z.boolean(),
  })
  .strict();

/** A bucket's Block Public Access state (the account's is read on its own: `AccountPublicAccessState`). */
export interface PublicAccessState {
  /** null: the bucket has no configuration (every switch off). */
  bucket: PublicAccessBlockFlags | null;
}

/**
 * The account-wide Block Public Access switches (S3 Control's GetPublicAccessBlock for the AWS
 * account the keys belong to): read, refused to these keys, or missing from the service.
 */
export type AccountPublicAccessState =
  | {
      status: 'read';
      /** The AWS account the switches belong to (STS GetCallerIdentity), shown so the person knows which. */
      awsAccountId: string;
      /** null: the account has no configuration (every switch off). */
      flags: PublicAccessBlockFlags | null;
    }
  /** The service has them, but these keys may not read them: the sentence says so. */
  | { status: 'denied'; reason: string }
  /** The service has no account-wide settings (MinIO, R2, …): the capability model's sentence. */
  | { status: 'unavailable'; reason: string };

/** Where a switch in effect for a bucket comes from: S3 applies it where either the account or the bucket has it on. */
export type EffectiveSource = 'account and bucket' | 'account' | 'bucket' | 'off';

/**
 * The switches in effect for a bucket, each with where it comes from. S3 combines the two
 * levels by taking the stricter: a protection on for the account is on for every bucket in it,
 * whatever the bucket's own switch says (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html).
 */
export function effectivePublicAccess(
  bucket: PublicAccessBlockFlags | null,
  account: PublicAccessBlockFlags | null,
): Record<keyof PublicAccessBlockFlags, EffectiveSource> {
  const result = {} as Record<keyof PublicAccessBlockFlags, EffectiveSource>;
  for (const name of publicAccessFlagNames) {
    const byAccount = account?.[name] ?? false;
    const byBucket = bucket?.[name] ?? false;
    result[name] = byAccount && byBucket ? 'account and bucket' : byAccount ? 'account' : byBucket ? 'bucket' : 'off';
  }
  return result;
}

/** The switches that a change turns off: the ones on before and off after. */
export function switchesTurnedOff(
  before: PublicAccessBlockFlags | null,
  after: PublicAccessBlockFlags,
): (keyof PublicAccessBlockFlags)[] {
  return publicAccessFlagNames.filter((name) => (before?.[name] ?? false) && !after[name]);
}

/** A bucket's default encryption as the form edits it. */
export const defaultEncryptionSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('none') }).strict(),
  z.object({ mode: z.literal('SSE-S3'), bucketKey: z.boolean().default(false) }).strict(),
  z
    .object({
      mode: z.literal('SSE-KMS'),
      /** Empty: the service's default key for S3 (aws/s3 on AWS). */
      kmsKeyId: z
        .string()
        .max(2048)
        .regex(/^[\w:/+=,.@-]*$/, 'A KMS key is an id, an alias (alias/name) or an ARN, without spaces.')
        .default(''),
      bucketKey: z.boolean().default(false),
    })
    .strict(),
]);

/** A bucket's default encryption. */
export type DefaultEncryption = z.output<typeof defaultEncryptionSchema>;

/** The canned ACLs a bucket can be given, and what each means. */
export const cannedBucketAcls = ['private', 'public-read', 'public-read-write', 'authenticated-read'] as const;

/** One canned bucket ACL. */
export type CannedBucketAcl = (typeof cannedBucketAcls)[number];

/** What each canned bucket ACL lets others do, in words. */
export const cannedBucketAclWords: Record<CannedBucketAcl, string> = {
  private: 'Private: only the owner has access.',
  'public-read': 'Public list: anyone on the internet can list the objects in the bucket.',
  'public-read-write': 'Public write: anyone on the internet can list the bucket and put or overwrite objects in it.',
  'authenticated-read': 'Any AWS user: anyone signed in to any AWS account can list the bucket.',
};

/** Whether a canned ACL gives access to people outside the account. */
export function aclExposes(acl: CannedBucketAcl): boolean {
  return acl !== 'private';
}

/** A bucket's ACL: its owner, its grants, and the canned ACL they amount to (or 'custom'). */
export interface BucketAclState {
  owner: string | null;
  grants: { grantee: string; permission: string }[];
  canned: CannedBucketAcl | 'custom';
}

/** The bucket policy as stored: its text, or null where the bucket has none. */
export interface BucketPolicyState {
  policy: string | null;
}

/** The most a bucket policy may be: AWS's limit is 20 KB. */
export const MAX_POLICY_BYTES = 20 * 1024;

/** S3's limit on tags per bucket (https://docs.aws.amazon.com/AmazonS3/latest/userguide/CostAllocTagging.html). */
export const MAX_BUCKET_TAGS = 50;

/**
 * A bucket's tag set, checked against S3's rules before anything is sent: at most 50 tags,
 * keys of 1 to 128 and values of up to 256 characters of S3's tag alphabet, each key once,
 * and no key starting with "aws:" (AWS keeps that prefix for its own tags).
 */
export const bucketTagSetSchema = z
  .array(
    z
      .object({
        key: tagKeySchema.refine(
          (key) => !key.toLowerCase().startsWith('aws:'),
          'A tag key cannot start with "aws:": AWS keeps that prefix for its own tags.',
        ),
        value: tagValueSchema,
      })
      .strict(),
  )
  .max(MAX_BUCKET_TAGS, `A bucket can have at most ${MAX_BUCKET_TAGS} tags.`)
  .refine((tags) => new Set(tags.map((t) => t.key)).size === tags.length, 'Each tag key may appear only once.');

/** A bucket's tags. */
export type BucketTag = z.output<typeof bucketTagSetSchema>[number];
