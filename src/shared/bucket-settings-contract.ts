import { z } from 'zod';
import { request } from './contract-spec';
import {
  bucketTagSetSchema,
  cannedBucketAcls,
  defaultEncryptionSchema,
  MAX_POLICY_BYTES,
  publicAccessBlockSchema,
  type AccountPublicAccessState,
  type BucketAclState,
  type BucketPolicyState,
  type BucketTag,
  type DefaultEncryption,
  type PublicAccessState,
} from './bucket-settings';

const accountId = z.string().min(1).max(200);
const bucket = z.string().min(1).max(255);
/**
 * Set by the renderer only after the person confirmed, in a question that named the consequence,
 * a change that could expose data (a policy granting "Principal": "*", a public ACL, a Block
 * Public Access switch turned off). Main refuses such a change without it, so no path skips it.
 */
const exposureConfirmed = z.boolean().default(false);

/**
 * Request channels of the "Bucket settings" view's access sections: bucket policy, Block Public
 * Access, default encryption, bucket tags and the bucket ACL. Each reads or writes one setting;
 * a service without it answers `not-supported` with the capability model's sentence. The
 * view's other sections (CORS, lifecycle, website, object lock) keep their channels in a
 * contract file of their own, in the same `bucketSettings.` domain.
 */
export const bucketSettingsRequests = {
  /** The bucket policy's text as stored, or null where the bucket has none. */
  'bucketSettings.policy': request<BucketPolicyState>()(z.object({ accountId, bucket }).strict()),
  /**
   * Replaces the bucket policy. Main checks it against the policy grammar first (refusing it
   * with the line and column of the first problem), and refuses a policy that grants anyone
   * ("Principal": "*") access unless `exposureConfirmed`.
   */
  'bucketSettings.setPolicy': request<BucketPolicyState>()(
    z
      .object({
        accountId,
        bucket,
        policy: z.string().min(1, 'Write a policy first.').max(MAX_POLICY_BYTES, 'A bucket policy is at most 20 KB.'),
        exposureConfirmed,
      })
      .strict(),
  ),
  /** Deletes the bucket policy. */
  'bucketSettings.deletePolicy': request<BucketPolicyState>()(z.object({ accountId, bucket }).strict()),
  /** The bucket's Block Public Access switches. */
  'bucketSettings.publicAccess': request<PublicAccessState>()(z.object({ accountId, bucket }).strict()),
  /** Sets the bucket's four Block Public Access switches; turning one off needs `exposureConfirmed`. */
  'bucketSettings.setPublicAccess': request<PublicAccessState>()(
    z.object({ accountId, bucket, flags: publicAccessBlockSchema, exposureConfirmed }).strict(),
  ),
  /**
   * The account-wide Block Public Access switches (S3 Control) of the AWS account the keys
   * belong to, or why they cannot be shown. The bucket only says which client (region,
   * credentials) and which capability model to use: the switches belong to the whole account.
   */
  'bucketSettings.accountPublicAccess': request<AccountPublicAccessState>()(z.object({ accountId, bucket }).strict()),
  /**
   * Sets the account-wide switches, for every bucket of the AWS account, then reads them back;
   * turning one off needs `exposureConfirmed`.
   */
  'bucketSettings.setAccountPublicAccess': request<AccountPublicAccessState>()(
    z.object({ accountId, bucket, flags: publicAccessBlockSchema, exposureConfirmed }).strict(),
  ),
  /** The bucket's default encryption (mode 'none' where it has none). */
  'bucketSettings.encryption': request<DefaultEncryption>()(z.object({ accountId, bucket }).strict()),
  /** Sets (or, with mode 'none', removes) the bucket's default encryption, then reads it back. */
  'bucketSettings.setEncryption': request<DefaultEncryption>()(
    z.object({ accountId, bucket, encryption: defaultEncryptionSchema }).strict(),
  ),
  /** The bucket's tags. */
  'bucketSettings.tags': request<BucketTag[]>()(z.object({ accountId, bucket }).strict()),
  /** Replaces the bucket's tags (an empty set deletes them), then reads them back. */
  'bucketSettings.setTags': request<BucketTag[]>()(z.object({ accountId, bucket, tags: bucketTagSetSchema }).strict()),
  /** The bucket's ACL: owner, grants, and the canned ACL they amount to. */
  'bucketSettings.acl': request<BucketAclState>()(z.object({ accountId, bucket }).strict()),
  /** Gives the bucket a canned ACL; one other than private needs `exposureConfirmed`. */
  'bucketSettings.setAcl': request<BucketAclState>()(
    z.object({ accountId, bucket, acl: z.enum(cannedBucketAcls), exposureConfirmed }).strict(),
  ),
} as const;
