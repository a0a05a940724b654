import {
  CopyObjectCommand,
  DeleteObjectTaggingCommand,
  GetObjectAclCommand,
  PutObjectAclCommand,
  PutObjectTaggingCommand,
  type AccessControlPolicy,
  type ChecksumAlgorithm,
  type CopyObjectCommandInput,
  type HeadObjectCommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ObjectEdit } from '../../../shared/details';
import { countOf } from '../../../shared/names';
import { AppFailure } from '../app-failure';
import type { OperationContext } from '../operations/operation-registry';
import { classifyS3Error } from '../s3/classify-s3-error';
import { copySource, SINGLE_COPY_LIMIT } from '../s3/copy-objects';
import { expandKeys } from '../s3/delete-objects';
import { unavailableReason } from '../capabilities/availability';
import { inParallel } from './in-parallel';
import { encodeMetadataValue } from './metadata-encoding';
import { checksumOf } from './object-details';
import { copySourceCustomerKeyParams, customerKeyParams, headObject, type CustomerKeySource } from './sse-c';

/** How many objects are edited at once: enough to hide latency, few enough to be gentle with the service. */
const EDITS_IN_PARALLEL = 4;

/** Header fields of an edit, which travel as HTTP header values. */
const headerFields = [
  'contentType',
  'cacheControl',
  'contentDisposition',
  'contentEncoding',
  'contentLanguage',
] as const;

/** Field names as a person reads them in the panel. */
const fieldLabels: Record<(typeof headerFields)[number], string> = {
  contentType: 'Content-Type',
  cacheControl: 'Cache-Control',
  contentDisposition: 'Content-Disposition',
  contentEncoding: 'Content-Encoding',
  contentLanguage: 'Content-Language',
};

/**
 * Checks what the schema cannot: header values are printable ASCII (HTTP would refuse or
 * mangle anything else), and Expires is a date. Throws invalid-input before anything is sent.
 */
export function checkEdit(edit: ObjectEdit): void {
  for (const field of headerFields) {
    const value = edit[field];
    if (value !== undefined && !/^[\t\x20-\x7e]*$/.test(value)) {
      throw new AppFailure(
        'invalid-input',
        `${fieldLabels[field]} may contain only printable ASCII characters (for a file name with accents, use filename*=UTF-8''… with the name percent-encoded).`,
      );
    }
  }
  if (edit.expires !== undefined && edit.expires !== '' && Number.isNaN(new Date(edit.expires).getTime())) {
    throw new AppFailure('invalid-input', 'Expires must be a date and time (ISO 8601), or empty to remove it.');
  }
}

/** The fields of an object whose value is defined (exactOptionalPropertyTypes forbids sending undefined). */
function defined<T extends object>(values: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/** The edited value of a header: the new one ('' removes it), else the object's current one. */
function pick(edited: string | undefined, current: string | undefined): string | undefined {
  if (edited === undefined) return current;
  return edited === '' ? undefined : edited;
}

/** The Expires header after the edit, as CopyObject takes it. */
function expiresAfter(edit: ObjectEdit, head: HeadObjectCommandOutput): Date | undefined {
  if (edit.expires !== undefined) return edit.expires === '' ? undefined : new Date(edit.expires);
  const current = head.ExpiresString !== undefined ? new Date(head.ExpiresString) : head.Expires;
  return current instanceof Date && !Number.isNaN(current.getTime()) ? current : undefined;
}

/**
 * The CopyObject onto itself that applies an edit: MetadataDirective REPLACE with every
 * header, metadata, storage class, encryption, object lock and checksum the object had and
 * the edit does not change; tags are copied (TaggingDirective COPY). An SSE-C object sends its
 * key twice: once to read the source, once to encrypt the new version.
 */
export function copyInputFor(
  bucket: string,
  key: string,
  head: HeadObjectCommandOutput,
  edit: ObjectEdit,
  customerKey: Buffer | undefined,
  options: { tagging?: boolean } = {},
): CopyObjectCommandInput {
  const metadata = edit.metadata
    ? Object.fromEntries(Object.entries(edit.metadata).map(([name, value]) => [name, encodeMetadataValue(value)]))
    : { ...head.Metadata };
  const storageClass = edit.storageClass ?? head.StorageClass;
  const expires = expiresAfter(edit, head);
  const headers = defined({
    ContentType: pick(edit.contentType, head.ContentType),
    CacheControl: pick(edit.cacheControl, head.CacheControl),
    ContentDisposition: pick(edit.contentDisposition, head.ContentDisposition),
    ContentEncoding: pick(edit.contentEncoding, head.ContentEncoding),
    ContentLanguage: pick(edit.contentLanguage, head.ContentLanguage),
    WebsiteRedirectLocation: head.WebsiteRedirectLocation,
  });
  const checksum = checksumOf(head);
  const kms = head.ServerSideEncryption === 'aws:kms' || head.ServerSideEncryption === 'aws:kms:dsse';
  return {
    Bucket: bucket,
    Key: key,
    CopySource: copySource(bucket, key),
    MetadataDirective: 'REPLACE',
    // COPY is S3's default; it is named only where the service has tags (R2 refuses the header).
    ...(options.tagging === false ? {} : { TaggingDirective: 'COPY' as const }),
    Metadata: metadata,
    ...headers,
    ...(expires ? { Expires: expires } : {}),
    ...(storageClass ? { StorageClass: storageClass } : {}),
    // SSE-S3 and SSE-KMS must be asked for again, or the new version falls back to the bucket's default.
    ...(head.ServerSideEncryption && !customerKey ? { ServerSideEncryption: head.ServerSideEncryption } : {}),
    ...(kms && head.SSEKMSKeyId ? { SSEKMSKeyId: head.SSEKMSKeyId } : {}),
    ...(kms && head.BucketKeyEnabled !== undefined ? { BucketKeyEnabled: head.BucketKeyEnabled } : {}),
    ...(customerKey ? { ...copySourceCustomerKeyParams(customerKey), ...customerKeyParams(customerKey) } : {}),
    ...(head.ObjectLockMode ? { ObjectLockMode: head.ObjectLockMode } : {}),
    ...(head.ObjectLockRetainUntilDate ? { ObjectLockRetainUntilDate: head.ObjectLockRetainUntilDate } : {}),
    ...(head.ObjectLockLegalHoldStatus ? { ObjectLockLegalHoldStatus: head.ObjectLockLegalHoldStatus } : {}),
    ...(checksum ? { ChecksumAlgorithm: checksum.algorithm as ChecksumAlgorithm } : {}),
  };
}

/**
 * The object's ACL where it grants more than its owner's full control: a copy gets a private
 * ACL, so such grants (public-read, say) are put back after the edit. Undefined where there is
 * nothing to restore, or the service has no ACLs.
 */
async function aclToRestore(client: S3Client, bucket: string, key: string): Promise<AccessControlPolicy | undefined> {
  try {
    const acl = await client.send(new GetObjectAclCommand({ Bucket: bucket, Key: key }));
    const owner = acl.Owner?.ID ?? '';
    const grants = acl.Grants ?? [];
    const ownerOnly = grants.every(
      (grant) =>
        grant.Permission === 'FULL_CONTROL' &&
        grant.Grantee?.Type === 'CanonicalUser' &&
        (grant.Grantee.ID ?? '') === owner,
    );
    return ownerOnly ? undefined : { ...(acl.Owner ? { Owner: acl.Owner } : {}), Grants: grants };
  } catch (error) {
    if (unavailableReason(error, 'ACLs') !== undefined) return undefined;
    throw error;
  }
}

/**
 * Whether the service takes object ACLs, from the capability model, and how to teach the model
 * when an answer shows it does not (an edit then keeps what it saved and reports no failure).
 */
export interface AclSupport {
  usable: boolean;
  /** Where the error says the service lacks ACLs: records it and returns the sentence; else undefined. */
  lacks(error: unknown): Promise<string | undefined>;
}

/** For tests and callers without a model: try ACLs, learn nothing. */
export const tryAcls: AclSupport = { usable: true, lacks: async () => undefined };

/** What an edit may use of the service: its ACLs, and its additional checksums (kept on the new version). */
export interface EditSupport {
  acl: AclSupport;
  /** Read the object's x-amz-checksum and ask for it again; off where the service refuses those headers (B2). */
  checksums: boolean;
  /** The service keeps tags (so the copy names TaggingDirective COPY); off where it has none. */
  tagging: boolean;
}

/** For tests and callers without a model: try everything. */
export const tryEverything: EditSupport = { acl: tryAcls, checksums: true, tagging: true };

/** The limit above which this app cannot edit an object (CopyObject's; parts would be needed). */
export const EDITABLE_SIZE_LIMIT = SINGLE_COPY_LIMIT;

/** Applies an edit to one object; throws with a message a person can act on. `sizeLimit` is for tests. */
export async function editObject(
  client: S3Client,
  bucket: string,
  key: string,
  edit: ObjectEdit,
  customerKey: CustomerKeySource,
  signal: AbortSignal,
  options: { sizeLimit?: number; support?: EditSupport } = {},
): Promise<void> {
  const support = options.support ?? tryEverything;
  const aclSupport = support.acl;
  const head = await headObject(client, { bucket, key }, customerKey, { signal, checksums: support.checksums });
  if ((head.output.ContentLength ?? 0) > (options.sizeLimit ?? EDITABLE_SIZE_LIMIT)) {
    throw new AppFailure(
      'not-supported',
      'Objects over 5 GiB cannot be edited here yet: S3 changes their metadata only with a multipart copy. Use the AWS CLI (aws s3 cp with --metadata-directive REPLACE) for this one.',
    );
  }
  // A service without object ACLs has none to put back (its GetObjectAcl, where it answers, shows a stand-in).
  const acl = aclSupport.usable ? await aclToRestore(client, bucket, key) : undefined;
  if (signal.aborted) throw new AppFailure('cancelled');
  // Not aborted once sent: a cancel lets the copy in flight finish, so what is reported is what was done.
  await client.send(
    new CopyObjectCommand(copyInputFor(bucket, key, head.output, edit, head.customerKey, { tagging: support.tagging })),
  );
  if (acl) {
    try {
      await client.send(new PutObjectAclCommand({ Bucket: bucket, Key: key, AccessControlPolicy: acl }));
    } catch (error) {
      // The service turned out to keep no ACLs: the edit is saved, and there was no access list to lose.
      if ((await aclSupport.lacks(error)) !== undefined) return;
      const reason = classifyS3Error(error)?.message ?? 'the service refused it';
      throw new AppFailure('access-denied', `Saved, but its access list could not be put back: ${reason}`);
    }
  }
}

/** Lists the objects an edit touches: files as given, folders (keys ending in '/') expanded. */
async function objectKeys(client: S3Client, bucket: string, keys: readonly string[], signal: AbortSignal) {
  const all: string[] = [];
  for await (const page of expandKeys(client, bucket, keys, signal)) all.push(...page);
  return [...new Set(all)];
}

/** The message of a failure for one object, for the operation's summary. */
function failureMessage(error: unknown, fallback: string): string {
  return error instanceof AppFailure ? error.message : (classifyS3Error(error)?.message ?? fallback);
}

/** Edits headers, metadata and storage class of several objects (a long operation, with progress and cancel). */
export async function editObjects(
  client: S3Client,
  bucket: string,
  keys: readonly string[],
  edit: ObjectEdit,
  customerKey: CustomerKeySource,
  context: OperationContext,
  support: EditSupport = tryEverything,
): Promise<(done: number, failed: number) => string> {
  const all = await objectKeys(client, bucket, keys, context.signal);
  context.setTotal(all.length);
  await inParallel(
    all,
    EDITS_IN_PARALLEL,
    async (key) => {
      try {
        await editObject(client, bucket, key, edit, customerKey, context.signal, { support });
        context.advance(1);
      } catch (error) {
        if (!context.signal.aborted) context.fail(key, failureMessage(error, 'The edit failed.'));
      }
    },
    context.signal,
  );
  return (done, failed) =>
    failed === 0
      ? `Saved the changes to ${countOf(done, 'object')}.`
      : `Saved the changes to ${countOf(done, 'object')}; ${failed} failed.`;
}

/** Why the service refused a tag set (InvalidTag), in words; some services take only ASCII in tags. */
function invalidTagReason(error: unknown): string | undefined {
  const { name, message } = error as { name?: unknown; message?: unknown };
  if (name !== 'InvalidTag') return undefined;
  const said = typeof message === 'string' && message !== '' ? ` (${message.replace(/\.$/, '')})` : '';
  return `The service refused these tags${said}. Some services accept only ASCII letters, digits, spaces and _ . : / = + - @ in tags.`;
}

/** Replaces the tags of several objects (an empty set deletes them), as a long operation. */
export async function setTags(
  client: S3Client,
  bucket: string,
  keys: readonly string[],
  tags: readonly { key: string; value: string }[],
  context: OperationContext,
  tagging: { unavailable: string | undefined; lacks(error: unknown): Promise<string | undefined> } = {
    unavailable: undefined,
    lacks: async () => undefined,
  },
): Promise<(done: number, failed: number) => string> {
  // Said once, before any request: a service without tags would refuse every object the same way.
  if (tagging.unavailable !== undefined) throw new AppFailure('not-supported', tagging.unavailable);
  const all = await objectKeys(client, bucket, keys, context.signal);
  context.setTotal(all.length);
  // Requests are not aborted once sent: a cancel lets those in flight finish, so the count is true.
  await inParallel(
    all,
    EDITS_IN_PARALLEL,
    async (key) => {
      try {
        if (tags.length === 0) {
          await client.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: key }));
        } else {
          await client.send(
            new PutObjectTaggingCommand({
              Bucket: bucket,
              Key: key,
              Tagging: { TagSet: tags.map((tag) => ({ Key: tag.key, Value: tag.value })) },
            }),
          );
        }
        context.advance(1);
      } catch (error) {
        if (context.signal.aborted) return;
        const lacking = await tagging.lacks(error);
        if (lacking !== undefined) throw new AppFailure('not-supported', lacking);
        const reason = unavailableReason(error, 'object tags') ?? invalidTagReason(error);
        context.fail(key, reason ?? failureMessage(error, 'The tags could not be saved.'));
      }
    },
    context.signal,
  );
  return (done, failed) =>
    failed === 0
      ? `Saved the tags of ${countOf(done, 'object')}.`
      : `Saved the tags of ${countOf(done, 'object')}; ${failed} failed.`;
}
