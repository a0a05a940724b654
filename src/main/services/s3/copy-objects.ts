import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  UploadPartCopyCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { countOf, lastSegment, numberedName } from '../../../shared/names';
import { AppFailure } from '../app-failure';
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
}

/** The clients a transfer needs (they differ when the buckets are in different regions). */
export interface TransferClients {
  source: S3Client;
  target: S3Client;
  /** Objects larger than this are copied with UploadPartCopy (5 GB; lower in tests). */
  singleCopyLimit?: number;
}

/** The CopySource header: bucket and key (and version), the key URL-encoded segment by segment. */
export function copySource(bucket: string, key: string, versionId?: string): string {
  const encoded = key.split('/').map(encodeURIComponent).join('/');
  return `${bucket}/${encoded}${versionId ? `?versionId=${encodeURIComponent(versionId)}` : ''}`;
}

/** Size and ETag of an object, or undefined where it does not exist. */
async function head(client: S3Client, bucket: string, key: string) {
  try {
    const output = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return { size: output.ContentLength ?? 0, etag: output.ETag ?? '' };
  } catch (error) {
    if (classifyS3Error(error)?.code === 'no-such-key') return undefined;
    throw error;
  }
}

/** True where a destination file exists, or a destination folder holds anything. */
export async function destinationExists(client: S3Client, bucket: string, key: string): Promise<boolean> {
  if (!key.endsWith('/')) return (await head(client, bucket, key)) !== undefined;
  const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key, MaxKeys: 1 }));
  return (listed.KeyCount ?? 0) > 0;
}

/** Copies one object server-side (in parts above the single-copy limit); returns the copy's ETag. */
export async function copyObject(
  clients: TransferClients,
  source: { bucket: string; key: string; size: number; versionId?: string },
  target: { bucket: string; key: string },
  signal: AbortSignal,
): Promise<void> {
  const limit = clients.singleCopyLimit ?? SINGLE_COPY_LIMIT;
  const from = copySource(source.bucket, source.key, source.versionId);
  if (source.size <= limit) {
    await clients.target.send(new CopyObjectCommand({ Bucket: target.bucket, Key: target.key, CopySource: from }), {
      abortSignal: signal,
    });
    return;
  }
  const partSize = Math.max(MIN_PART, Math.ceil(source.size / MAX_PARTS), Math.min(limit, 512 * 1024 ** 2));
  const created = await clients.target.send(
    new CreateMultipartUploadCommand({ Bucket: target.bucket, Key: target.key }),
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
      }),
    );
  } catch (error) {
    await clients.target
      .send(new AbortMultipartUploadCommand({ Bucket: target.bucket, Key: target.key, UploadId: uploadId }))
      .catch(() => undefined);
    throw error;
  }
}

/** Picks the destination name of a top-level item, applying the conflict choice; undefined = skip it. */
async function destinationName(
  clients: TransferClients,
  plan: TransferPlan,
  item: string,
): Promise<string | undefined> {
  const wanted = plan.newName ?? lastSegment(item);
  const exists = (name: string) => destinationExists(clients.target, plan.targetBucket, plan.targetPrefix + name);
  if (!(await exists(wanted))) return wanted;
  if (plan.onConflict === 'replace') return wanted;
  if (plan.onConflict === 'skip') return undefined;
  for (let n = 1; n < 10_000; n += 1) {
    const candidate = numberedName(wanted, n);
    if (!(await exists(candidate))) return candidate;
  }
  throw new AppFailure('conflict', `Could not find a free name for ${wanted}.`);
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

/**
 * Copies or moves files and folders server-side, within a bucket or across buckets of one
 * account. Each copy is checked (size, and ETag where it was a single copy) before it counts.
 * A move deletes the original of each copy that succeeded and was verified, after all copies
 * ran; an original whose copy failed (or was never confirmed) stays, and the outcome names it.
 * A cancelled move deletes nothing.
 */
export async function transferObjects(clients: TransferClients, plan: TransferPlan, context: OperationContext) {
  checkPlan(plan);
  const copied: string[] = [];
  let skipped = 0;
  let total = 0;
  const jobs: { item: string; name: string }[] = [];
  for (const item of plan.items) {
    const name = await destinationName(clients, plan, item);
    if (name === undefined) skipped += 1;
    else jobs.push({ item, name });
  }
  for (const { item } of jobs) {
    for await (const keys of expandKeys(clients.source, plan.sourceBucket, [item], context.signal))
      total += keys.length;
  }
  context.setTotal(total);

  for (const { item, name } of jobs) {
    for await (const keys of expandKeys(clients.source, plan.sourceBucket, [item], context.signal)) {
      for (const key of keys) {
        if (context.signal.aborted) break;
        const targetKey = plan.targetPrefix + (item.endsWith('/') ? name + key.slice(item.length) : name);
        try {
          const source = await head(clients.source, plan.sourceBucket, key);
          if (!source) throw new AppFailure('no-such-key', 'It disappeared before it could be copied.');
          await copyObject(
            clients,
            { bucket: plan.sourceBucket, key, size: source.size },
            { bucket: plan.targetBucket, key: targetKey },
            context.signal,
          );
          const copy = await head(clients.target, plan.targetBucket, targetKey);
          // ETags are MD5s only for objects stored in one part, on both sides: compare them only then.
          const comparable =
            source.size <= (clients.singleCopyLimit ?? SINGLE_COPY_LIMIT) && !source.etag.includes('-');
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
  const skippedNote = skipped > 0 ? ` Skipped ${skipped} that already existed.` : '';
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
