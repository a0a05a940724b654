import { randomBytes } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  ListPartsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { capabilityLabels, type CapabilityId } from '../../../shared/capabilities';
import { serviceLacksFeature } from './availability';
import { errorXmlText } from '../s3/error-xml';

/** What one probe found: the feature is there, it is not (with why), or the answer told nothing. */
export type ProbeFinding = { support: 'yes' } | { support: 'no'; reason: string } | undefined;

/** How long one probe may take; a slow service leaves the feature 'unknown' rather than stall a view. */
const PROBE_TIMEOUT_MS = 8_000;

/** The key probes name: under a folder of its own, so a service that wrongly stores something is easy to spot. */
const PROBE_KEY_PREFIX = '.s3fm-capability-probe/';

/** Error codes that prove a feature exists even though this bucket does not use it. */
const presentButUnused = new Set([
  'NoSuchTagSet',
  'NoSuchTagSetError',
  'ObjectLockConfigurationNotFoundError',
  'NoSuchUpload',
  'NoSuchBucketPolicy',
  'NoSuchPublicAccessBlockConfiguration',
  'ServerSideEncryptionConfigurationNotFoundError',
]);

/** One read-only probe: the request, and the XML document a service with the feature answers with. */
interface ReadProbe {
  command: object;
  /**
   * The root element of the feature's answer (moto names some differently, e.g.
   * GetBucketVersioningResponse), or 'json' for GetBucketPolicy, whose answer is the policy's JSON.
   */
  root: string;
}

/**
 * Roots of the answer to the plain request a sub-resource rides on (GET on the bucket lists
 * it): a 200 with one of these, or with no XML at all, means the service ignored the
 * sub-resource and does not have the feature.
 */
const ignoredSubresourceRoots = new Set(['ListBucketResult', 'ListVersionsResult']);

/** The XML root element of a body, or undefined where it is not XML. */
function xmlRoot(body: string): string | undefined {
  return /<([A-Za-z][\w.-]*)[\s/>]/.exec(body.replace(/<\?xml[^>]*\?>/, '').trimStart())?.[1];
}

/** The sentence for a feature the service lacks. */
function lacking(id: CapabilityId): ProbeFinding {
  return { support: 'no', reason: `This service does not support ${capabilityLabels[id]}.` };
}

/**
 * Runs one probe as a presigned GET read with fetch, so that the answer's XML can be read as
 * sent: a service that ignores a sub-resource (s3rver answers `?versioning` with the bucket's
 * listing) is told apart from one that has the feature. Where fetch cannot reach the service
 * (a private CA only the SDK's agent trusts), the SDK's own answer decides instead.
 */
async function probeRead(id: CapabilityId, probe: ReadProbe, client: S3Client, presigner: S3Client) {
  let response: Response | undefined;
  let body = '';
  try {
    const url = await getSignedUrl(presigner, probe.command as never, { expiresIn: 300 });
    response = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    body = await response.text();
  } catch {
    response = undefined;
  }
  if (response) {
    if (response.ok) {
      if (probe.root === 'json') return body.trimStart().startsWith('{') ? { support: 'yes' as const } : lacking(id);
      const root = xmlRoot(body);
      return root === undefined || (root !== probe.root && ignoredSubresourceRoots.has(root))
        ? lacking(id)
        : { support: 'yes' as const };
    }
    const code = errorXmlText(body, 'Code') || undefined;
    if (code && presentButUnused.has(code)) return { support: 'yes' as const };
    if (response.status === 501 || response.status === 405 || code === 'NotImplemented') return lacking(id);
    // Access denied, a missing bucket, a server error: nothing learned.
    return undefined;
  }
  try {
    await client.send(probe.command as never, { abortSignal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return { support: 'yes' as const };
  } catch (error) {
    const name = (error as { name?: unknown } | null)?.name;
    if (typeof name === 'string' && presentButUnused.has(name)) return { support: 'yes' as const };
    return serviceLacksFeature(error) ? lacking(id) : undefined;
  }
}

/**
 * Deletes what a probe stored, every version of it included: in a versioned bucket a plain
 * delete only hides the byte behind a delete marker, and in an Object Lock bucket that version
 * is then locked by a default retention (moto, as an "other" service, refused a default
 * retention later because the probe's version was left: "Bucket needs to be empty").
 */
async function removeProbeObject(client: S3Client, bucket: string, key: string): Promise<void> {
  await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })).catch(() => undefined);
  const listed = await client
    .send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key }))
    .catch(() => undefined);
  for (const version of [...(listed?.Versions ?? []), ...(listed?.DeleteMarkers ?? [])]) {
    if (version.Key !== key || version.VersionId === undefined) continue;
    await client
      .send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: version.VersionId }))
      .catch(() => undefined);
  }
}

/**
 * Whether the service accepts browser upload forms, and checks their policies: a POST with a
 * policy that expired an hour ago. A service with POST policies refuses it (403, "Policy
 * expired") and stores nothing; one without answers 501 or 405. One that stores the byte all
 * the same does not check policies, so a form could never expire or limit a size: that counts
 * as no support, and the byte is deleted.
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
  if (response.status === 501 || response.status === 405) return lacking('postPolicy');
  if (response.ok) {
    await removeProbeObject(client, bucket, key);
    return {
      support: 'no',
      reason:
        'This service accepts upload forms without checking their policy, so a form would never expire or limit sizes.',
    };
  }
  // 403 (expired policy) or 400 (a form it read and refused): the service checks POST forms.
  return response.status === 403 || response.status === 400 ? { support: 'yes' } : undefined;
}

/**
 * Cheap probes of one bucket, all read-only but the POST form (which a service with policies
 * refuses): versioning, object lock, tags, ACLs, ListParts and unfinished-upload listing, and
 * the bucket settings (policy, Block Public Access, default encryption, bucket tags).
 * Only the features asked for are probed; each answer that says nothing leaves one 'unknown'.
 */
export async function probeBucket(
  client: S3Client,
  presigner: S3Client,
  bucket: string,
  wanted: readonly CapabilityId[],
): Promise<Partial<Record<CapabilityId, ProbeFinding>>> {
  const reads: Partial<Record<CapabilityId, ReadProbe>> = {
    versioning: { command: new GetBucketVersioningCommand({ Bucket: bucket }), root: 'VersioningConfiguration' },
    objectLock: {
      command: new GetObjectLockConfigurationCommand({ Bucket: bucket }),
      root: 'ObjectLockConfiguration',
    },
    tagging: { command: new GetBucketTaggingCommand({ Bucket: bucket }), root: 'Tagging' },
    acl: { command: new GetBucketAclCommand({ Bucket: bucket }), root: 'AccessControlPolicy' },
    listParts: {
      command: new ListPartsCommand({ Bucket: bucket, Key: `${PROBE_KEY_PREFIX}parts`, UploadId: 's3fm-probe' }),
      root: 'ListPartsResult',
    },
    listMultipartUploads: {
      command: new ListMultipartUploadsCommand({ Bucket: bucket, MaxUploads: 1 }),
      root: 'ListMultipartUploadsResult',
    },
    bucketPolicy: { command: new GetBucketPolicyCommand({ Bucket: bucket }), root: 'json' },
    publicAccessBlock: {
      command: new GetPublicAccessBlockCommand({ Bucket: bucket }),
      root: 'PublicAccessBlockConfiguration',
    },
    defaultEncryption: {
      command: new GetBucketEncryptionCommand({ Bucket: bucket }),
      root: 'ServerSideEncryptionConfiguration',
    },
    bucketTagging: { command: new GetBucketTaggingCommand({ Bucket: bucket }), root: 'Tagging' },
  };
  const runs: Promise<[CapabilityId, ProbeFinding]>[] = [];
  for (const id of wanted) {
    const read = reads[id];
    if (id === 'postPolicy') runs.push(probePostPolicy(client, presigner, bucket).then((f) => [id, f]));
    else if (read) runs.push(probeRead(id, read, client, presigner).then((f) => [id, f]));
  }
  const entries = await Promise.all(runs);
  return Object.fromEntries(entries);
}
