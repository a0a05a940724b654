/**
 * The actions of Amazon S3's IAM vocabulary that a bucket policy can name, by the resource they
 * apply to, and what each kind of action does in words. Source: "Actions, resources, and
 * condition keys for Amazon S3" (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html).
 * An action not listed here is flagged: AWS refuses a policy with an unknown action
 * (MalformedPolicy, "Policy has invalid action"), and other services silently ignore it.
 */

/** Which resource an action applies to: an object ARN, the bucket ARN, or the account (not a bucket policy's). */
export type ActionLevel = 'object' | 'bucket' | 'account';

/** What an action does, grouped for a sentence: "read objects", "change the bucket's settings". */
export type ActionKind =
  | 'read'
  | 'list'
  | 'write'
  | 'delete'
  | 'object-settings'
  | 'bucket-read-settings'
  | 'bucket-change-settings'
  | 'delete-bucket'
  | 'account';

const objectActions: Record<string, ActionKind> = {
  GetObject: 'read',
  GetObjectVersion: 'read',
  GetObjectAttributes: 'read',
  GetObjectVersionAttributes: 'read',
  GetObjectTorrent: 'read',
  GetObjectVersionTorrent: 'read',
  GetObjectVersionForReplication: 'read',
  ListMultipartUploadParts: 'list',
  PutObject: 'write',
  AbortMultipartUpload: 'write',
  RestoreObject: 'write',
  ReplicateObject: 'write',
  ReplicateTags: 'write',
  InitiateReplication: 'write',
  ObjectOwnerOverrideToBucketOwner: 'write',
  DeleteObject: 'delete',
  DeleteObjectVersion: 'delete',
  ReplicateDelete: 'delete',
  BypassGovernanceRetention: 'object-settings',
  GetObjectAcl: 'object-settings',
  GetObjectVersionAcl: 'object-settings',
  GetObjectTagging: 'object-settings',
  GetObjectVersionTagging: 'object-settings',
  GetObjectLegalHold: 'object-settings',
  GetObjectRetention: 'object-settings',
  PutObjectAcl: 'object-settings',
  PutObjectVersionAcl: 'object-settings',
  PutObjectTagging: 'object-settings',
  PutObjectVersionTagging: 'object-settings',
  PutObjectLegalHold: 'object-settings',
  PutObjectRetention: 'object-settings',
  DeleteObjectTagging: 'object-settings',
  DeleteObjectVersionTagging: 'object-settings',
};

const bucketReadSettings = [
  'GetAccelerateConfiguration',
  'GetAnalyticsConfiguration',
  'GetBucketAcl',
  'GetBucketCORS',
  'GetBucketLocation',
  'GetBucketLogging',
  'GetBucketNotification',
  'GetBucketObjectLockConfiguration',
  'GetBucketOwnershipControls',
  'GetBucketPolicy',
  'GetBucketPolicyStatus',
  'GetBucketPublicAccessBlock',
  'GetBucketRequestPayment',
  'GetBucketTagging',
  'GetBucketVersioning',
  'GetBucketWebsite',
  'GetEncryptionConfiguration',
  'GetIntelligentTieringConfiguration',
  'GetInventoryConfiguration',
  'GetLifecycleConfiguration',
  'GetMetricsConfiguration',
  'GetReplicationConfiguration',
];

const bucketChangeSettings = [
  'DeleteBucketOwnershipControls',
  'DeleteBucketPolicy',
  'DeleteBucketWebsite',
  'PutAccelerateConfiguration',
  'PutAnalyticsConfiguration',
  'PutBucketAcl',
  'PutBucketCORS',
  'PutBucketLogging',
  'PutBucketNotification',
  'PutBucketObjectLockConfiguration',
  'PutBucketOwnershipControls',
  'PutBucketPolicy',
  'PutBucketPublicAccessBlock',
  'PutBucketRequestPayment',
  'PutBucketTagging',
  'PutBucketVersioning',
  'PutBucketWebsite',
  'PutEncryptionConfiguration',
  'PutIntelligentTieringConfiguration',
  'PutInventoryConfiguration',
  'PutLifecycleConfiguration',
  'PutMetricsConfiguration',
  'PutReplicationConfiguration',
];

const accountActions = [
  'ListAllMyBuckets',
  'CreateBucket',
  'GetAccountPublicAccessBlock',
  'PutAccountPublicAccessBlock',
  'CreateJob',
  'ListJobs',
  'ListAccessPoints',
  'PutStorageLensConfiguration',
  'GetStorageLensConfiguration',
];

/** What is known of one action: the resource it applies to, and what kind of thing it does. */
export interface ActionInfo {
  level: ActionLevel;
  kind: ActionKind;
}

/** Every S3 action known here, by its name without "s3:", with its level and kind. */
export const s3Actions: ReadonlyMap<string, ActionInfo> = new Map<string, ActionInfo>([
  ...Object.entries(objectActions).map(([name, kind]): [string, ActionInfo] => [name, { level: 'object', kind }]),
  ['ListBucket', { level: 'bucket', kind: 'list' }],
  ['ListBucketVersions', { level: 'bucket', kind: 'list' }],
  ['ListBucketMultipartUploads', { level: 'bucket', kind: 'list' }],
  ['DeleteBucket', { level: 'bucket', kind: 'delete-bucket' }],
  ...bucketReadSettings.map((name): [string, ActionInfo] => [name, { level: 'bucket', kind: 'bucket-read-settings' }]),
  ...bucketChangeSettings.map((name): [string, ActionInfo] => [
    name,
    { level: 'bucket', kind: 'bucket-change-settings' },
  ]),
  ...accountActions.map((name): [string, ActionInfo] => [name, { level: 'account', kind: 'account' }]),
]);

/** What each kind of action does, as a verb phrase for "Anyone can …". */
export const actionKindWords: Record<ActionKind, string> = {
  read: 'read objects',
  list: 'list the objects',
  write: 'upload and overwrite objects',
  delete: 'delete objects',
  'object-settings': "change objects' access lists, tags and locks",
  'bucket-read-settings': "read the bucket's settings",
  'bucket-change-settings': "change the bucket's settings (its policy among them)",
  'delete-bucket': 'delete the bucket',
  account: 'act on the account',
};

/** A regular expression for an IAM pattern: * any run of characters, ? one; case-insensitive as IAM is. */
export function iamPattern(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/** The known S3 actions an action pattern ("s3:Get*", "s3:PutObject") names, without the prefix. */
export function actionsMatching(pattern: string): string[] {
  const colon = pattern.indexOf(':');
  const service = colon < 0 ? '' : pattern.slice(0, colon);
  if (pattern === '*') return [...s3Actions.keys()];
  if (service.toLowerCase() !== 's3') return [];
  const regex = iamPattern(pattern.slice(colon + 1));
  return [...s3Actions.keys()].filter((name) => regex.test(name));
}
