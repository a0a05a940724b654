import { randomBytes } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetBucketAclCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { capabilityLabels, type CapabilityId } from '../../../shared/capabilities';
import { serviceLacksFeature } from './availability';

/** What one probe found: the feature is there, it is not (with why), or the answer told nothing. */
export type ProbeFinding = { support: 'yes' } | { support: 'no'; reason: string } | undefined;

/** How long one probe may take; a slow service leaves the feature 'unknown' rather than stall a view. */
const PROBE_TIMEOUT_MS = 8_000;

/** The key probes name: under a folder of its own, so a service that wrongly stores something is easy to spot. */
const PROBE_KEY_PREFIX = '.s3fm-capability-probe/';

/** Error names that prove a feature exists even though this bucket does not use it. */
const presentButUnused = new Set([
  'NoSuchTagSet',
  'NoSuchTagSetError',
  'ObjectLockConfigurationNotFoundError',
  'NoSuchUpload',
]);

/** Runs one read-only request and turns its answer into a finding. */
async function probe(id: CapabilityId, request: (signal: AbortSignal) => Promise<unknown>): Promise<ProbeFinding> {
  try {
    await request(AbortSignal.timeout(PROBE_TIMEOUT_MS));
    return { support: 'yes' };
  } catch (error) {
    const name = (error as { name?: unknown } | null)?.name;
    if (typeof name === 'string' && presentButUnused.has(name)) return { support: 'yes' };
    if (serviceLacksFeature(error)) {
      return { support: 'no', reason: `This service does not support ${capabilityLabels[id]}.` };
    }
    // Access denied, a network fault, a timeout: nothing learned.
    return undefined;
  }
}

/**
 * Whether the service accepts browser upload forms: a POST with a policy that expired an hour
 * ago. A service with POST policies refuses it (403, "Policy expired") and stores nothing; one
 * without answers 501 or 405. A service that ignores policies stores the byte: it is deleted.
 */
async function probePostPolicy(client: S3Client, presigner: S3Client, bucket: string): Promise<ProbeFinding> {
  const key = `${PROBE_KEY_PREFIX}${randomBytes(8).toString('hex')}`;
  let response: Response;
  try {
    const { url, fields } = await createPresignedPost(presigner, { Bucket: bucket, Key: key, Expires: -3600 });
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    form.append('file', new Blob(['x']), 'probe');
    response = await fetch(url, { method: 'POST', body: form, signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await response.arrayBuffer();
  } catch {
    return undefined;
  }
  if (response.status === 501 || response.status === 405) {
    return { support: 'no', reason: `This service does not support ${capabilityLabels.postPolicy}.` };
  }
  if (response.ok) {
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })).catch(() => undefined);
    return { support: 'yes' };
  }
  // 403 (expired policy) or 400 (a form it checked and refused): the service reads POST forms.
  return response.status === 403 || response.status === 400 ? { support: 'yes' } : undefined;
}

/**
 * Cheap probes of one bucket, all read-only but the POST form (which a service with policies
 * refuses): versioning, object lock, tags, ACLs, ListParts and unfinished-upload listing.
 * Only the features asked for are probed; each answer that says nothing leaves one 'unknown'.
 */
export async function probeBucket(
  client: S3Client,
  presigner: S3Client,
  bucket: string,
  wanted: readonly CapabilityId[],
): Promise<Partial<Record<CapabilityId, ProbeFinding>>> {
  const probes: Partial<Record<CapabilityId, () => Promise<ProbeFinding>>> = {
    versioning: () =>
      probe('versioning', (abortSignal) =>
        client.send(new GetBucketVersioningCommand({ Bucket: bucket }), { abortSignal }),
      ),
    objectLock: () =>
      probe('objectLock', (abortSignal) =>
        client.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }), { abortSignal }),
      ),
    tagging: () =>
      probe('tagging', (abortSignal) => client.send(new GetBucketTaggingCommand({ Bucket: bucket }), { abortSignal })),
    acl: () => probe('acl', (abortSignal) => client.send(new GetBucketAclCommand({ Bucket: bucket }), { abortSignal })),
    listParts: () =>
      probe('listParts', (abortSignal) =>
        client.send(new ListPartsCommand({ Bucket: bucket, Key: `${PROBE_KEY_PREFIX}parts`, UploadId: 's3fm-probe' }), {
          abortSignal,
        }),
      ),
    listMultipartUploads: () =>
      probe('listMultipartUploads', (abortSignal) =>
        client.send(new ListMultipartUploadsCommand({ Bucket: bucket, MaxUploads: 1 }), { abortSignal }),
      ),
    postPolicy: () => probePostPolicy(client, presigner, bucket),
  };
  const entries = await Promise.all(
    wanted.flatMap((id) => {
      const run = probes[id];
      return run ? [run().then((finding) => [id, finding] as const)] : [];
    }),
  );
  return Object.fromEntries(entries);
}
