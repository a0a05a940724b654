import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  UploadPartCopyCommand,
  type S3Client,
  type ServerSideEncryption,
} from '@aws-sdk/client-s3';
import { countOf, lastSegment, numberedName } from '../../../shared/names';
import { selectionCollisions, type TransferConflicts } from '../../../shared/objects';
import type { EncryptionChoice } from '../../../shared/transfers';
import { AppFailure } from '../app-failure';
import {
  copySourceCustomerKeyParams,
  customerKeyParams,
  headObject,
  isCustomerKeyRequired,
  type CustomerKeySource,
  type HeadResult,
} from '../details/sse-c';
import type { OperationContext } from '../operations/operation-registry';
import { classifyS3Error } from './classify-s3-error';
import { deleteInBatches, expandKeys } from './delete-objects';

/** CopyObject's limit: larger objects must be copied in parts with UploadPartCopy. */
export const SINGLE_COPY_LIMIT = 5 * 1024 ** 3;
const MAX_PARTS = 10_000;
const MIN_PART = 5 * 1024 ** 2;

/** What to do where the destination exists. */
export type ConflictChoice = 'replace' | 'skip' | 'keep-both';

/** One copy or move: what, from where, to where. */
export interface TransferPlan {
  mode: 'copy' | 'move';
  sourceBucket: string;
  /** Files, and folders as prefixes ending in '/'. */
  items: readonly string[];
  targetBucket: string;
  /** The folder to put them in ('' for the bucket's root). */
  targetPrefix: string;
  /** Renames the single item (a rename is a move to the same folder under a new name). */
  newName?: string;
  onConflict: ConflictChoice;
  /** Applied to every copy; absent = each copy keeps its original's encryption. 'none' = the bucket's default. */
  encryption?: EncryptionChoice;
}

/** The clients a transfer needs (they differ when the buckets are in different regions). */
export interface TransferClients {
  source: S3Client;
  target: S3Client;
  /** Objects larger than this are copied with UploadPartCopy (5 GB; lower in tests). */
  singleCopyLimit?: number;
  /** The account's SSE-C key, asked for only when an object or the choice needs it; none by default. */
  customerKey?: CustomerKeySource;
  /**
   * Whether the target service's single-part ETags are known to be MD5s (the capability model):
   * only then may a copy's ETag be compared with its original's; elsewhere an ETag may be
   * opaque, and a copy that differs only in it is not a bad copy. True by default.
   */
  etagsAreMd5?: boolean;
}

/** What a person reads when SSE-C is chosen for a copy and the account has no customer key. */
export const NO_KEY_FOR_COPY =
  'No customer key (SSE-C) is stored for this account. Add one in the encryption settings, or choose another encryption for the copy.';

/** How a copy is encrypted: SSE-S3 or SSE-KMS headers, or a customer key (SSE-C); empty = the bucket's default. */
export interface CopyEncryption {
  ServerSideEncryption?: ServerSideEncryption;
  SSEKMSKeyId?: string;
  BucketKeyEnabled?: boolean;
  customerKey?: Buffer;
}

/** What a copy needs to know of its original. */
export interface CopySourceObject {
  bucket: string;
  key: string;
  size: number;
  versionId?: string;
  /** The original's SSE-C key, where it has one: S3 needs it to read the original. */
  customerKey?: Buffer | undefined;
}

/** The CopySource header: bucket and key (and version), the key URL-encoded segment by segment. */
export function copySource(bucket: string, key: string, versionId?: string): string {
  const encoded = key.split('/').map(encodeURIComponent).join('/');
  return `${bucket}/${encoded}${versionId ? `?versionId=${encodeURIComponent(versionId)}` : ''}`;
}

/** Size and ETag of an object (read with its customer key, where given), or undefined where it does not exist. */
async function head(client: S3Client, bucket: string, key: string, customerKey?: Buffer) {
  try {
    const output = await client.send(
      new HeadObjectCommand({ Bucket: bucket, Key: key, ...(customerKey ? customerKeyParams(customerKey) : {}) }),
    );
    return { size: output.ContentLength ?? 0, etag: output.ETag ?? '' };
  } catch (error) {
    if (classifyS3Error(error)?.code === 'no-such-key') return undefined;
    throw error;
  }
}

/** True where a destination file exists, or a destination folder holds anything. */
export async function destinationExists(client: S3Client, bucket: string, key: string): Promise<boolean> {
  if (!key.endsWith('/')) {
    try {
      return (await head(client, bucket, key)) !== undefined;
    } catch (error) {
      // An SSE-C object answers a HEAD without its key with 400: it is there all the same.
      if (isCustomerKeyRequired(error)) return true;
      throw error;
    }
  }
  const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key, MaxKeys: 1 }));
  return (listed.KeyCount ?? 0) > 0;
}

/** The SSE-C headers of a request that reads or writes the copy (empty where it has no customer key). */
function targetKeyParams(encryption: CopyEncryption) {
  return encryption.customerKey ? customerKeyParams(encryption.customerKey) : {};
}

/** The encryption headers of CopyObject and CreateMultipartUpload for the copy. */
function targetEncryptionParams(encryption: CopyEncryption) {
  const { customerKey, ...headers } = encryption;
  return { ...headers, ...(customerKey ? customerKeyParams(customerKey) : {}) };
}

/** The SSE-C headers that let S3 read the original of a copy. */
function sourceKeyParams(source: CopySourceObject) {
  return source.customerKey ? copySourceCustomerKeyParams(source.customerKey) : {};
}

/** Copies one object server-side (in parts above the single-copy limit), encrypted as `encryption` says. */
export async function copyObject(
  clients: TransferClients,
  source: CopySourceObject,
  target: { bucket: string; key: string },
  signal: AbortSignal,
  encryption: CopyEncryption = {},
): Promise<void> {
  const limit = clients.singleCopyLimit ?? SINGLE_COPY_LIMIT;
  const from = copySource(source.bucket, source.key, source.versionId);
  if (source.size <= limit) {
    await clients.target.send(
      new CopyObjectCommand({
        Bucket: target.bucket,
        Key: target.key,
        CopySource: from,
        ...targetEncryptionParams(encryption),
        ...sourceKeyParams(source),
      }),
      { abortSignal: signal },
    );
    return;
  }
  const partSize = Math.max(MIN_PART, Math.ceil(source.size / MAX_PARTS), Math.min(limit, 512 * 1024 ** 2));
  const created = await clients.target.send(
    new CreateMultipartUploadCommand({ Bucket: target.bucket, Key: target.key, ...targetEncryptionParams(encryption) }),
  );
  const uploadId = created.UploadId;
  if (!uploadId) throw new AppFailure('internal', 'The service started no multipart copy.');
  try {
    const parts: { ETag: string; PartNumber: number }[] = [];
    for (let start = 0, part = 1; start < source.size; start += partSize, part += 1) {
      const end = Math.min(start + partSize, source.size) - 1;
      const output = await clients.target.send(
        new UploadPartCopyCommand({
          Bucket: target.bucket,
          Key: target.key,
          UploadId: uploadId,
          PartNumber: part,
          CopySource: from,
          CopySourceRange: `bytes=${start}-${end}`,
          ...targetKeyParams(encryption),
          ...sourceKeyParams(source),
        }),
        { abortSignal: signal },
      );
      parts.push({ ETag: output.CopyPartResult?.ETag ?? '', PartNumber: part });
    }
    await clients.target.send(
      new CompleteMultipartUploadCommand({
        Bucket: target.bucket,
        Key: target.key,
        UploadId: uploadId,
        MultipartUpload: { Parts: parts },
        ...targetKeyParams(encryption),
      }),
    );
  } catch (error) {
    await clients.target
      .send(new AbortMultipartUploadCommand({ Bucket: target.bucket, Key: target.key, UploadId: uploadId }))
      .catch(() => undefined);
    throw error;
  }
}

/** The plan's top-level items, each with the name it gets at the destination, and those left out and why. */
interface NamedItems {
  jobs: { item: string; name: string }[];
  /** Left out because their name exists at the destination (the choice was skip). */
  skippedExisting: string[];
  /** Left out because an earlier selected item takes the same name (the choice was skip). */
  skippedCollisions: string[];
  /** Given a numbered name because an earlier selected item takes theirs. */
  renamedCollisions: { item: string; name: string }[];
}

/**
 * Names each top-level item at the destination, applying the conflict choice to what exists
 * there and to the selected items that share a name (search results span folders, so
 * "x/f.txt" and "y/f.txt" can go into one folder together). The first of those keeps the
 * name; for the later ones:
 * - skip: they are left out (a move leaves their originals where they are);
 * - keep both: they get "name (1).ext" and so on;
 * - replace: they get numbered names too. Replace means "overwrite what is at the
 *   destination", which the person has seen listed; two of their own items overwriting each
 *   other would destroy one of them (on a move, both originals are deleted afterwards), and
 *   no one asks for that. docs/architecture.md says the same.
 * A numbered name is free both in the bucket and among the names of every selected item.
 */
async function nameItems(clients: TransferClients, plan: TransferPlan): Promise<NamedItems> {
  const items = [...new Set(plan.items)];
  const wantedName = (item: string) => plan.newName ?? lastSegment(item);
  const wanted = new Set(items.map(wantedName));
  const claimed = new Set<string>();
  const exists = (name: string) => destinationExists(clients.target, plan.targetBucket, plan.targetPrefix + name);
  const freeNumbered = async (name: string): Promise<string> => {
    for (let n = 1; n < 10_000; n += 1) {
      const candidate = numberedName(name, n);
      if (!claimed.has(candidate) && !wanted.has(candidate) && !(await exists(candidate))) return candidate;
    }
    throw new AppFailure('conflict', `Could not find a free name for ${name}.`);
  };
  const named: NamedItems = { jobs: [], skippedExisting: [], skippedCollisions: [], renamedCollisions: [] };
  for (const item of items) {
    const name = wantedName(item);
    let chosen: string;
    if (claimed.has(name)) {
      if (plan.onConflict === 'skip') {
        named.skippedCollisions.push(item);
        continue;
      }
      chosen = await freeNumbered(name);
      named.renamedCollisions.push({ item, name: chosen });
    } else if (!(await exists(name)) || plan.onConflict === 'replace') {
      chosen = name;
    } else if (plan.onConflict === 'skip') {
      named.skippedExisting.push(item);
      continue;
    } else {
      chosen = await freeNumbered(name);
    }
    claimed.add(chosen);
    named.jobs.push({ item, name: chosen });
  }
  return named;
}

/**
 * What `objects.conflicts` answers: the selected items whose name exists at the destination,
 * and the selected items that would land on the same name as each other.
 */
export async function findTransferConflicts(
  client: S3Client,
  request: { sourceBucket: string; items: readonly string[]; targetBucket: string; targetPrefix: string },
): Promise<TransferConflicts> {
  const { sourceBucket, targetBucket, targetPrefix } = request;
  const items = [...new Set(request.items)];
  const names = items.map(lastSegment);
  const found = await Promise.all(names.map((name) => destinationExists(client, targetBucket, targetPrefix + name)));
  // Copying an item onto itself is not a conflict to resolve but a mistake, refused on transfer.
  const conflicts = names.filter(
    (name, i) => found[i] && !(sourceBucket === targetBucket && items[i] === targetPrefix + name),
  );
  return { conflicts: [...new Set(conflicts)], collisions: selectionCollisions(items, targetPrefix) };
}

/** Refuses transfers that make no sense: onto themselves, or a folder into itself. */
function checkPlan(plan: TransferPlan): void {
  for (const item of plan.items) {
    const target = plan.targetPrefix + (plan.newName ?? lastSegment(item));
    if (plan.sourceBucket !== plan.targetBucket) continue;
    if (target === item) {
      throw new AppFailure('invalid-input', `${lastSegment(item)} is already there. Choose another folder or name.`);
    }
    if (item.endsWith('/') && plan.targetPrefix.startsWith(item)) {
      throw new AppFailure('invalid-input', `A folder cannot be moved or copied into itself (${item}).`);
    }
  }
}

/** An original as its HEAD shows it (with the account's customer key, where it needs one). */
async function readSource(
  clients: TransferClients,
  bucket: string,
  key: string,
  customerKey: CustomerKeySource,
): Promise<HeadResult> {
  try {
    return await headObject(clients.source, { bucket, key }, customerKey);
  } catch (error) {
    if (classifyS3Error(error)?.code === 'no-such-key') {
      throw new AppFailure('no-such-key', 'It disappeared before it could be copied.');
    }
    throw error;
  }
}

/**
 * How a copy is encrypted: as chosen, or else as its original is. SSE-S3 and SSE-KMS must be
 * asked for again (a copy otherwise gets the bucket's default), and an SSE-C original's copy
 * keeps its customer key.
 */
async function encryptionFor(
  choice: EncryptionChoice | undefined,
  original: HeadResult,
  customerKey: CustomerKeySource,
): Promise<CopyEncryption> {
  if (choice) {
    switch (choice.mode) {
      case 'none':
        return {};
      case 'SSE-S3':
        return { ServerSideEncryption: 'AES256' };
      case 'SSE-KMS':
        return { ServerSideEncryption: 'aws:kms', ...(choice.kmsKeyId ? { SSEKMSKeyId: choice.kmsKeyId } : {}) };
      case 'SSE-C': {
        const key = await customerKey();
        if (!key) throw new AppFailure('invalid-input', NO_KEY_FOR_COPY);
        return { customerKey: key };
      }
    }
  }
  if (original.customerKey) return { customerKey: original.customerKey };
  const { ServerSideEncryption: algorithm, SSEKMSKeyId, BucketKeyEnabled } = original.output;
  if (!algorithm) return {};
  const kms = algorithm.startsWith('aws:kms');
  return {
    ServerSideEncryption: algorithm,
    ...(kms && SSEKMSKeyId ? { SSEKMSKeyId } : {}),
    ...(kms && BucketKeyEnabled !== undefined ? { BucketKeyEnabled } : {}),
  };
}

/**
 * A clear failure where the service cannot encrypt as asked (MinIO without a KMS answers
 * NotImplemented to SSE-S3 and SSE-KMS); undefined for any other error.
 */
function encryptionRefused(error: unknown, encryption: CopyEncryption): AppFailure | undefined {
  if (!encryption.ServerSideEncryption || classifyS3Error(error)?.code !== 'not-supported') return undefined;
  const how = encryption.ServerSideEncryption === 'AES256' ? 'SSE-S3' : 'SSE-KMS';
  const reason = error instanceof Error && error.message ? `: ${error.message.replace(/\.$/, '')}` : '';
  return new AppFailure(
    'not-supported',
    `This service cannot encrypt the copy with ${how}${reason}. Choose another encryption for the copy, or have the service's administrator set ${how} up.`,
  );
}

/** Whether an object's ETag is the MD5 of its bytes: not for SSE-C or SSE-KMS (nor multipart ones). */
function etagIsMd5(algorithm: string | undefined, customerKey: Buffer | undefined): boolean {
  return !customerKey && !(algorithm ?? '').startsWith('aws:kms');
}

/** Asks for the account's customer key at most once per transfer (it may touch the keychain). */
function once(source: CustomerKeySource): CustomerKeySource {
  let loaded: Promise<Buffer | undefined> | undefined;
  return () => (loaded ??= source());
}

/** "“a”, “b”, “c” and 2 more": a few names for a sentence. */
function someOf(names: readonly string[]): string {
  const shown = names.slice(0, 3).map((name) => `“${name}”`);
  return names.length > 3 ? `${shown.join(', ')} and ${names.length - 3} more` : shown.join(', ');
}

/** The outcome's sentences about items left out or renamed, each starting with a space ('' for none). */
function namingNotes(mode: TransferPlan['mode'], named: NamedItems): string {
  let notes = '';
  const existing = named.skippedExisting.length;
  if (existing > 0) notes += ` Skipped ${existing} that already existed.`;
  const left = named.skippedCollisions;
  if (left.length > 0) {
    const stay = mode === 'move' ? (left.length === 1 ? '; it stays where it was' : '; they stay where they were') : '';
    notes += ` Skipped ${left.length} that had the same name as another selected item (${someOf(left)})${stay}.`;
  }
  const renamed = named.renamedCollisions;
  if (renamed.length > 0) {
    const who = renamed.length === 1 ? '1 selected item has' : `${renamed.length} selected items have`;
    const pairs = someOf(renamed.map(({ item, name }) => `${item}” → “${name}`));
    notes += ` ${who} the same name as another and got a numbered name: ${pairs}.`;
  }
  return notes;
}

/**
 * Copies or moves files and folders server-side, within a bucket or across buckets of one
 * account. Each copy is checked (size, and ETag where it was a single copy) before it counts.
 * A move deletes the original of each copy that succeeded and was verified, after all copies
 * ran; an original whose copy failed (or was never confirmed) stays, and the outcome names it.
 * A cancelled move deletes nothing.
 */
export async function transferObjects(clients: TransferClients, plan: TransferPlan, context: OperationContext) {
  checkPlan(plan);
  const customerKey = once(clients.customerKey ?? (async () => undefined));
  // SSE-C chosen without a key would fail every copy alike: say so once, before copying anything.
  if (plan.encryption?.mode === 'SSE-C' && !(await customerKey()))
    throw new AppFailure('invalid-input', NO_KEY_FOR_COPY);
  const copied: string[] = [];
  let total = 0;
  const named = await nameItems(clients, plan);
  const { jobs } = named;
  // Within one bucket, every key this transfer reads: a copy must never land on one of them.
  const sourceKeys = new Set<string>();
  for (const { item } of jobs) {
    for await (const keys of expandKeys(clients.source, plan.sourceBucket, [item], context.signal)) {
      total += keys.length;
      if (plan.sourceBucket === plan.targetBucket) for (const key of keys) sourceKeys.add(key);
    }
  }
  context.setTotal(total);
  // Every key this transfer has written. Distinct top-level names cannot share a key below them,
  // so this never fires today; it is the last guard against two of the person's items meeting
  // on one key, which on a move would delete both originals with only one copy left.
  const written = new Set<string>();

  for (const { item, name } of jobs) {
    for await (const keys of expandKeys(clients.source, plan.sourceBucket, [item], context.signal)) {
      for (const key of keys) {
        if (context.signal.aborted) break;
        const targetKey = plan.targetPrefix + (item.endsWith('/') ? name + key.slice(item.length) : name);
        try {
          if (written.has(targetKey)) {
            throw new AppFailure('conflict', `Not copied: another selected item was already copied to ${targetKey}.`);
          }
          if (sourceKeys.has(targetKey)) {
            throw new AppFailure(
              'conflict',
              `Not copied: it would overwrite ${targetKey}, which is also being copied.`,
            );
          }
          written.add(targetKey);
          const original = await readSource(clients, plan.sourceBucket, key, customerKey);
          const source = { size: original.output.ContentLength ?? 0, etag: original.output.ETag ?? '' };
          const encryption = await encryptionFor(plan.encryption, original, customerKey);
          await copyObject(
            clients,
            { bucket: plan.sourceBucket, key, size: source.size, customerKey: original.customerKey },
            { bucket: plan.targetBucket, key: targetKey },
            context.signal,
            encryption,
          ).catch((error: unknown) => {
            throw encryptionRefused(error, encryption) ?? error;
          });
          const copy = await head(clients.target, plan.targetBucket, targetKey, encryption.customerKey);
          // ETags are MD5s only for objects stored in one part without SSE-C or SSE-KMS, on both sides:
          // compare them only then.
          const comparable =
            clients.etagsAreMd5 !== false &&
            source.size <= (clients.singleCopyLimit ?? SINGLE_COPY_LIMIT) &&
            !source.etag.includes('-') &&
            etagIsMd5(original.output.ServerSideEncryption, original.customerKey) &&
            etagIsMd5(encryption.ServerSideEncryption, encryption.customerKey);
          if (!copy || copy.size !== source.size || (comparable && copy.etag !== source.etag)) {
            throw new AppFailure('internal', 'The copy does not match the original.');
          }
          copied.push(key);
          context.advance(1);
        } catch (error) {
          if (context.signal.aborted) break;
          context.fail(
            key,
            error instanceof AppFailure ? error.message : (classifyS3Error(error)?.message ?? 'Copy failed.'),
          );
        }
      }
    }
  }

  const verb = plan.mode === 'move' ? 'Moved' : 'Copied';
  const failedCopies = total - copied.length;
  // Each verified copy's original goes; an original whose copy failed (or was never confirmed) stays.
  if (plan.mode === 'move' && !context.signal.aborted && copied.length > 0) {
    const refused = await deleteInBatches(
      clients.source,
      plan.sourceBucket,
      copied.map((Key) => ({ Key })),
    );
    for (const { key, message } of refused)
      context.fail(key, `Copied, but the original could not be deleted: ${message}`);
  }
  const skippedNote = namingNotes(plan.mode, named);
  return (done: number, failed: number): string => {
    if (plan.mode === 'move' && context.signal.aborted && done > 0) {
      return `Copied ${done} of ${countOf(total, 'object')}; nothing was deleted from the original place, because the move was cancelled.${skippedNote}`;
    }
    if (plan.mode === 'move' && failedCopies > 0) {
      const notDeleted = failed - failedCopies;
      return (
        `Moved ${done - notDeleted} of ${countOf(total, 'object')}; ${failedCopies} could not be copied and stay where they were.` +
        (notDeleted > 0 ? ` ${notDeleted} were copied, but their originals could not be deleted.` : '') +
        skippedNote
      );
    }
    return failed === 0
      ? `${verb} ${countOf(done, 'object')}.${skippedNote}`
      : `${verb} ${countOf(done, 'object')}; ${failed} failed.${skippedNote}`;
  };
}
