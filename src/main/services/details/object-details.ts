import {
  GetObjectAclCommand,
  GetObjectTaggingCommand,
  type Grant,
  type HeadObjectCommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ObjectDetails } from '../../../shared/details';
import { availability } from '../capabilities/availability';
import { decodeMetadataValue } from './metadata-encoding';
import { headObject, type CustomerKeySource, type ObjectAddress } from './sse-c';
import { whyUnavailable, type ServiceCapabilities } from '../../../shared/capabilities';

/** The URI S3 uses for "everyone" in an ACL grant. */
export const ALL_USERS_URI = 'http://acs.amazonaws.com/groups/global/AllUsers';
/** The URI S3 names the group of every signed-in AWS user by. */
export const AUTHENTICATED_USERS_URI = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';

/** Flexible checksums a HEAD may report (with ChecksumMode ENABLED), in the order S3 lists them. */
const checksumFields = [
  ['CRC64NVME', 'ChecksumCRC64NVME'],
  ['CRC32', 'ChecksumCRC32'],
  ['CRC32C', 'ChecksumCRC32C'],
  ['SHA1', 'ChecksumSHA1'],
  ['SHA256', 'ChecksumSHA256'],
] as const;

/** The flexible checksum a HEAD reported, where there is one. */
export function checksumOf(output: HeadObjectCommandOutput): ObjectDetails['checksum'] {
  for (const [algorithm, field] of checksumFields) {
    const value = output[field];
    if (typeof value === 'string' && value !== '') return { algorithm, value };
  }
  return null;
}

/**
 * The Expires header as it was sent: newer SDKs keep the raw text in ExpiresString (a value
 * that is not a date stays readable); older ones give only a Date.
 */
export function expiresOf(output: HeadObjectCommandOutput): string | null {
  const raw = output.ExpiresString;
  const parsed = raw !== undefined ? new Date(raw) : output.Expires;
  if (parsed instanceof Date && !Number.isNaN(parsed.getTime())) return parsed.toISOString();
  return raw ?? null;
}

/** Who a grant is for, in words: a group's name, the owner, a display name, an email or an id. */
export function granteeName(grant: Grant, ownerId: string | undefined): string {
  const grantee = grant.Grantee;
  if (!grantee) return 'unknown';
  if (grantee.URI === ALL_USERS_URI) return 'Everyone (public)';
  if (grantee.URI === AUTHENTICATED_USERS_URI) return 'Any AWS account';
  const named = grantee.DisplayName || grantee.EmailAddress || grantee.URI;
  if (named) return named;
  // Services without real ACLs (MinIO) name no one: a canonical user with the owner's id is the owner.
  if (grantee.Type === 'CanonicalUser' && (grantee.ID ?? '') === (ownerId ?? '')) return 'Owner';
  return grantee.ID || 'unknown';
}

/** The properties of one object: one HEAD (retried with the customer key for SSE-C), its tags and its ACL. */
export async function readObjectDetails(
  client: S3Client,
  address: ObjectAddress,
  customerKey: CustomerKeySource,
  model?: ServiceCapabilities,
): Promise<ObjectDetails> {
  const tagsMissing = model ? whyUnavailable(model, 'tagging') : undefined;
  const version = address.versionId ? { VersionId: address.versionId } : {};
  // Checksum mode only where the service takes it (B2 refuses the header outright).
  const checksums = model ? model.features.checksums.support === 'yes' : true;
  const { output } = await headObject(client, address, customerKey, { checksums });
  // Tags and ACL need no customer key; each may be missing from a service without the other being so.
  const [tags, acl] = await Promise.all([
    tagsMissing !== undefined
      ? ({ available: false, reason: tagsMissing } as const)
      : availability('object tags', async () => {
          const tagging = await client.send(
            new GetObjectTaggingCommand({ Bucket: address.bucket, Key: address.key, ...version }),
          );
          return (tagging.TagSet ?? []).map((tag) => ({ key: tag.Key ?? '', value: tag.Value ?? '' }));
        }),
    availability('access control lists (ACLs)', async () => {
      const policy = await client.send(
        new GetObjectAclCommand({ Bucket: address.bucket, Key: address.key, ...version }),
      );
      return {
        owner: policy.Owner?.DisplayName || policy.Owner?.ID || null,
        grants: (policy.Grants ?? []).map((grant) => ({
          grantee: granteeName(grant, policy.Owner?.ID),
          permission: grant.Permission ?? 'unknown',
        })),
      };
    }),
  ]);
  return {
    bucket: address.bucket,
    key: address.key,
    size: output.ContentLength ?? 0,
    lastModified: output.LastModified?.toISOString() ?? null,
    etag: output.ETag ?? null,
    contentType: output.ContentType ?? null,
    // S3 names the storage class only when it is not STANDARD.
    storageClass: output.StorageClass ?? 'STANDARD',
    versionId: output.VersionId ?? null,
    encryption: {
      algorithm: output.ServerSideEncryption ?? null,
      kmsKeyId: output.SSEKMSKeyId ?? null,
      customerKey: output.SSECustomerAlgorithm !== undefined,
    },
    checksum: checksumOf(output),
    metadata: Object.fromEntries(
      Object.entries(output.Metadata ?? {}).map(([name, value]) => [name, decodeMetadataValue(value)]),
    ),
    cacheControl: output.CacheControl ?? null,
    contentDisposition: output.ContentDisposition ?? null,
    contentEncoding: output.ContentEncoding ?? null,
    contentLanguage: output.ContentLanguage ?? null,
    expires: expiresOf(output),
    tags,
    acl,
  };
}
