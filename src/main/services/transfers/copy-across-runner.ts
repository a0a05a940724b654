import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
  type HeadObjectCommandOutput,
  type Part,
  type S3Client,
  type StorageClass,
} from '@aws-sdk/client-s3';
import type { ServiceCapabilities } from '../../../shared/capabilities';
import type { TransferVerification } from '../../../shared/transfers';
import { AppFailure } from '../app-failure';
import type { CapabilityService } from '../capabilities/capability-service';
import type { CustomerKeyStore } from '../keychain/customer-key-store';
import { boundedPages } from '../s3/bounded-pages';
import { multipartEtag, plainEtag } from './multipart-etag';
import { createBufferPool, digestsOf } from './part-reader';
import { MAX_OBJECT_SIZE, MiB, partCount, partRange, partSizeFor } from './part-size';
import { isTransientError } from './retry-policy';
import { runPool, withRetries, type RunControl } from './run-control';
import { singleAttempt, withPayloadSha256, type AttemptIo } from './s3-attempt';
import {
  answeredChecksum,
  carriesChecksum,
  checksumMismatch,
  completionWithWholeCrc32,
  createWithChecksum,
  journaledChecksum,
  multipartChecksums,
  partChecksumMismatch,
  sentChecksum,
  uploadChecksumFor,
  wholeBodyChecksums,
  wholeBodyDigests,
  type ExpectedChecksums,
  type UploadChecksum,
} from './upload-checksum';
import { describeTransferError, isNoSuchUpload, isNotFound, statusOf } from './transfer-errors';
import type { CopySpec, FinishedPart, TransferRecord } from './transfer-record';
import { customerKeyHeaders, type CustomerKeyHeaders } from './upload-headers';
import { compareEtag, encryptedEtag, verificationNote } from './upload-integrity';
import { abortUnjournaled, settleKey } from './upload-runner';
import { sharedYoungCollector, type YoungCollector } from './young-collector';

/**
 * A copy between accounts (AWS to R2, MinIO to B2): the bytes stream through the app, never
 * whole on disk or in memory. A small object is one GET and one PUT; a large one is a multipart
 * upload at the target whose every part is one ranged GET of the source, held in a reused
 * buffer while it is hashed and sent, a few parts in flight at most. Every GET asks If-Match
 * the source's ETag from when the copy began, so a source that changes mid-copy stops it (in
 * words) instead of mixing two versions. Parts carry Content-MD5 and are signed with their
 * SHA-256, or carry the checksum the target takes (CRC32 over TLS, SHA-256 over HTTP: see
 * UploadChecksum), so the target refuses damaged bytes; the result is
 * checked with the strongest rule the target guarantees. A move deletes its source only after
 * that check, and only while the source is still the version copied.
 */

/** What copies between accounts run with. */
export interface CopyAcrossDependencies {
  clientFor(accountId: string, bucket: string): Promise<S3Client>;
  customerKeys: CustomerKeyStore;
  capabilities: Pick<CapabilityService, 'forBucket' | 'lacks' | 'learnEtag'>;
  /** An account's endpoint ('' for AWS), to tell whether two accounts are one service, and whether it is HTTPS. */
  endpointOf(accountId: string): Promise<string>;
  /** Counts the source's bytes as they arrive (default: the app's shared one, see young-collector.ts). */
  youngCollector?: YoungCollector;
  /** Whether the target bucket is reached over TLS, which decides the checksum (see UploadChecksum). */
  overTls?: (client: S3Client, bucket: string) => Promise<boolean>;
}

/** What a person reads when the source changed during the copy. */
export function sourceChangedMessage(bucket: string, key: string): string {
  return `${key} changed in ${bucket} while it was being copied, so the copy stopped: a copy made of two versions would be neither. What was sent is removed from the target; retry to copy the new version.`;
}

/** What a person reads when the service stored other bytes than were sent. */
const storedOtherwise =
  'The target stored something other than what was read from the source: the data was damaged on the way. Retry the copy.';

/** Headers of the target's PutObject and CreateMultipartUpload (encryption and SSE-C apart). */
interface TargetHeaders {
  ContentType?: string;
  CacheControl?: string;
  ContentDisposition?: string;
  ContentEncoding?: string;
  ContentLanguage?: string;
  Metadata?: Record<string, string>;
  StorageClass?: StorageClass;
  Tagging?: string;
  ServerSideEncryption?: 'AES256';
}

/** One copy's run: both ends, their models, and what the source was. */
interface CopyRun {
  record: TransferRecord;
  spec: CopySpec;
  control: RunControl;
  deps: CopyAcrossDependencies;
  source: S3Client;
  target: S3Client;
  targetModel: ServiceCapabilities;
  /** The source's SSE-C headers, where it is encrypted with its account's key. */
  sourceKey: CustomerKeyHeaders | undefined;
  /** The target's SSE-C headers, where the copy is encrypted with the target account's key. */
  targetKey: CustomerKeyHeaders | undefined;
  /** The checksum every PUT and part carries to the target (see UploadChecksum: CRC32 over TLS, SHA-256 over HTTP, or none). */
  checksum: UploadChecksum;
  /** The source's ETag is the MD5 of its bytes (see checkSourceMd5). */
  sourceEtagIsMd5: boolean;
}

/**
 * A failure of the source's side in the words of a download from its bucket (the queue would
 * otherwise name the target's): transient errors stay as they are, for the retries.
 */
async function onSource<T>(spec: CopySpec, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppFailure || isTransientError(error)) throw error;
    const said = describeTransferError(error, { bucket: spec.source.bucket, direction: 'download' });
    throw new AppFailure(said.code, `Reading the source: ${said.message}`, {
      cause: error,
      ...(said.detail ? { detail: said.detail } : {}),
    });
  }
}

/** Runs one copy between accounts to its end (resuming from its journal), and a move's delete after the check. */
export async function runCopyAcross(
  record: TransferRecord,
  spec: CopySpec,
  control: RunControl,
  deps: CopyAcrossDependencies,
): Promise<'finished' | 'skipped'> {
  const [source, target, targetModel, sourceModel] = await Promise.all([
    deps.clientFor(spec.source.accountId, spec.source.bucket),
    deps.clientFor(record.accountId, record.bucket),
    deps.capabilities.forBucket(record.accountId, record.bucket),
    deps.capabilities.forBucket(spec.source.accountId, spec.source.bucket),
  ]);
  const run: CopyRun = {
    record,
    spec,
    control,
    deps,
    source,
    target,
    targetModel,
    sourceKey: spec.sourceCustomerKey ? await customerKeyHeaders(deps.customerKeys, spec.source.accountId) : undefined,
    targetKey: undefined,
    checksum: await uploadChecksumFor(targetModel, target, record.bucket, deps.overTls),
    sourceEtagIsMd5: false,
  };
  if (spec.copied) {
    // Copied and verified before a restart: a move has only its delete left.
    if (spec.mode === 'move') await deleteSource(run);
    return 'finished';
  }

  const head = await onSource(spec, () => headSource(run));
  const etag = head.ETag ?? '';
  if (spec.sourceEtag !== null && plainEtag(spec.sourceEtag) !== plainEtag(etag)) {
    await sourceChanged(run);
  }
  spec.sourceEtag = etag;
  spec.sourceSize = head.ContentLength ?? 0;
  run.sourceEtagIsMd5 =
    sourceModel.etag.singlePart === 'md5' && /^[0-9a-f]{32}$/.test(plainEtag(etag)) && !encryptedEtag(head);
  const size = spec.sourceSize;
  control.setTotal(size);
  if (size > MAX_OBJECT_SIZE) throw new AppFailure('invalid-input', 'The object is larger than S3 allows (5 TiB).');

  const tags = await onSource(spec, () => readTags(run, sourceModel));
  const { headers, dropped } = await targetHeaders(run, head, tags);

  if (!(await settleKey(target, record, spec, control))) return 'skipped';

  const threshold = control.settings.multipartThresholdMiB * MiB;
  if (spec.multipart === null && size <= threshold) await copyWhole(run, headers, size);
  else await copyInParts(run, headers, size);
  if (dropped.length > 0) control.note(`Not carried over: ${dropped.join('; ')}.`);
  spec.copied = true;
  spec.multipart = null;
  // On disk before the source goes: a restart then only deletes it, never copies again.
  await control.persistNow();
  control.progress(size);
  if (spec.mode === 'move') await deleteSource(run);
  return 'finished';
}

/** The source's HEAD: without a key first, then with its account's customer key where it is SSE-C. */
async function headSource(run: CopyRun): Promise<HeadObjectCommandOutput> {
  const { spec, control, source } = run;
  const send = (key: CustomerKeyHeaders | undefined) =>
    withRetries(control, (io) =>
      source.send(
        singleAttempt(new HeadObjectCommand({ Bucket: spec.source.bucket, Key: spec.source.key, ...(key ?? {}) })),
        { abortSignal: io.signal },
      ),
    );
  try {
    return await send(run.sourceKey);
  } catch (error) {
    if (isNotFound(error)) {
      throw new AppFailure(
        'no-such-key',
        `${spec.source.key} is no longer in ${spec.source.bucket}: it was deleted or moved since it was chosen.`,
      );
    }
    if (run.sourceKey || statusOf(error) !== 400) throw error;
  }
  // 400 without a key: the source is encrypted with its account's customer key (SSE-C).
  run.sourceKey = await customerKeyHeaders(run.deps.customerKeys, spec.source.accountId);
  spec.sourceCustomerKey = true;
  return send(run.sourceKey);
}

/** The source's tags, where its service keeps them (none where it lacks them). */
async function readTags(run: CopyRun, sourceModel: ServiceCapabilities): Promise<{ Key: string; Value: string }[]> {
  const { spec, control, source } = run;
  if (sourceModel.features.tagging.support === 'no') return [];
  try {
    const output = await withRetries(control, (io) =>
      source.send(singleAttempt(new GetObjectTaggingCommand({ Bucket: spec.source.bucket, Key: spec.source.key })), {
        abortSignal: io.signal,
      }),
    );
    return (output.TagSet ?? []).flatMap((tag) =>
      tag.Key !== undefined ? [{ Key: tag.Key, Value: tag.Value ?? '' }] : [],
    );
  } catch (error) {
    if (await run.deps.capabilities.lacks(spec.source.accountId, spec.source.bucket, 'tagging', error)) return [];
    throw error;
  }
}

/**
 * What the copy carries to the target, as far as the target's model allows, and what it must
 * leave behind, in words: type, caching and disposition headers and user metadata always; the
 * storage class where the target offers it; tags where it keeps them; encryption: SSE-S3 stays
 * SSE-S3, SSE-KMS becomes SSE-S3 (a KMS key belongs to its account), SSE-C uses the target
 * account's own customer key where it has one over HTTPS, each where the target supports it.
 * Access lists are never carried: their grantees are the source account's.
 */
async function targetHeaders(
  run: CopyRun,
  head: HeadObjectCommandOutput,
  tags: readonly { Key: string; Value: string }[],
): Promise<{ headers: TargetHeaders; dropped: string[] }> {
  const model = run.targetModel;
  const dropped: string[] = [];
  const headers: TargetHeaders = {
    ...(head.ContentType ? { ContentType: head.ContentType } : {}),
    ...(head.CacheControl ? { CacheControl: head.CacheControl } : {}),
    ...(head.ContentDisposition ? { ContentDisposition: head.ContentDisposition } : {}),
    ...(head.ContentEncoding ? { ContentEncoding: head.ContentEncoding } : {}),
    ...(head.ContentLanguage ? { ContentLanguage: head.ContentLanguage } : {}),
    ...(head.Metadata && Object.keys(head.Metadata).length > 0 ? { Metadata: head.Metadata } : {}),
  };
  const storageClass = head.StorageClass;
  if (storageClass && storageClass !== 'STANDARD') {
    if (model.storageClasses.includes(storageClass)) headers.StorageClass = storageClass;
    else dropped.push(`storage class ${storageClass} (the target does not offer it; it keeps its default class)`);
  }
  if (tags.length > 0) {
    if (model.features.tagging.support !== 'no') {
      headers.Tagging = tags.map((tag) => `${encodeURIComponent(tag.Key)}=${encodeURIComponent(tag.Value)}`).join('&');
    } else {
      dropped.push(
        `${tags.length === 1 ? '1 tag' : `${tags.length} tags`} (${model.features.tagging.reason ?? 'the target keeps no object tags'})`,
      );
    }
  }
  const sseS3 = model.features.sseS3.support !== 'no';
  const asSseS3 = (what: string) => {
    if (sseS3) {
      headers.ServerSideEncryption = 'AES256';
      dropped.push(`${what} (the copy is encrypted with the target's own keys, SSE-S3)`);
    } else {
      dropped.push(`${what} (the target stores it with its bucket's default encryption)`);
    }
  };
  if (head.SSECustomerAlgorithm || run.sourceKey) {
    const endpoint = await run.deps.endpointOf(run.record.accountId);
    const targetKey =
      model.features.sseC.support !== 'no' && !endpoint.startsWith('http://')
        ? await run.deps.customerKeys.get(run.record.accountId).catch(() => undefined)
        : undefined;
    if (targetKey) run.targetKey = { SSECustomerAlgorithm: 'AES256', SSECustomerKey: targetKey.toString('base64') };
    else
      asSseS3(
        "the source's customer-key encryption (SSE-C: the target account has no key of its own, or no SSE-C over HTTPS)",
      );
  } else if ((head.ServerSideEncryption ?? '').startsWith('aws:kms')) {
    asSseS3("the source's KMS key (it belongs to the source's account)");
  } else if (head.ServerSideEncryption === 'AES256') {
    if (sseS3) headers.ServerSideEncryption = 'AES256';
    else dropped.push(`SSE-S3 encryption (${model.features.sseS3.reason ?? 'the target does not take it'})`);
  }
  return { headers, dropped };
}

/** The source changed since the copy began: what was sent goes, and the copy stops in words. */
async function sourceChanged(run: CopyRun): Promise<never> {
  const { spec, control } = run;
  if (spec.multipart) await abortTarget(run.target, run.record, spec.multipart.uploadId);
  spec.multipart = null;
  spec.sourceEtag = null;
  spec.sourceSize = null;
  control.persist();
  throw new AppFailure('conflict', sourceChangedMessage(spec.source.bucket, spec.source.key));
}

/** Aborts a multipart upload at the target, quietly (it is listed among unfinished uploads otherwise). */
export async function abortTarget(target: S3Client, record: TransferRecord, uploadId: string): Promise<boolean> {
  try {
    await target.send(
      singleAttempt(new AbortMultipartUploadCommand({ Bucket: record.bucket, Key: record.key, UploadId: uploadId })),
      { abortSignal: AbortSignal.timeout(30_000) },
    );
    return true;
  } catch (error) {
    return isNoSuchUpload(error) || isNotFound(error);
  }
}

/**
 * Reads bytes [start, end) of the source, If-Match its ETag, into `into` (a reused buffer):
 * exactly that many bytes, or a failure the queue retries (a cut body), or the source-changed
 * failure (412).
 */
async function readRange(
  run: CopyRun,
  start: number,
  end: number,
  into: Buffer,
  io: AttemptIo,
  whole: boolean,
): Promise<Buffer> {
  const { spec } = run;
  const length = end - start;
  let output;
  try {
    output = await run.source.send(
      singleAttempt(
        new GetObjectCommand({
          Bucket: spec.source.bucket,
          Key: spec.source.key,
          IfMatch: spec.sourceEtag ?? undefined,
          ...(whole || length === 0 ? {} : { Range: `bytes=${start}-${end - 1}` }),
          ...(run.sourceKey ?? {}),
        }),
      ),
      { abortSignal: io.signal },
    );
  } catch (error) {
    if (statusOf(error) === 412 || (error as { name?: unknown }).name === 'PreconditionFailed') {
      return sourceChanged(run);
    }
    throw error;
  }
  const body = output.Body as AsyncIterable<Uint8Array> | undefined;
  let filled = 0;
  // The socket's pieces die young here as in a download: collected every few MiB, their
  // outside bytes do not pile up (a 256 MiB copy peaked 60 MB higher without it).
  const collector = run.deps.youngCollector ?? sharedYoungCollector();
  if (body) {
    for await (const chunk of body) {
      io.alive();
      collector.received(chunk.byteLength);
      if (filled + chunk.byteLength > length) {
        throw new AppFailure('internal', 'The source sent more bytes than its size says.', {
          detail: `Range ${start}-${end - 1}: more than ${length} bytes`,
        });
      }
      into.set(chunk, filled);
      filled += chunk.byteLength;
    }
  }
  if (filled !== length) {
    // A body cut short: a network fault, retried by the queue.
    throw new AppFailure('network', 'The source sent fewer bytes than asked: the connection was cut.');
  }
  return into.subarray(0, length);
}

/** A small object (or an empty folder): one GET of the whole, one PUT with its digests, then the check. */
async function copyWhole(run: CopyRun, headers: TargetHeaders, size: number): Promise<void> {
  const { record, control, target } = run;
  const buffer = Buffer.allocUnsafe(size);
  // The MD5 always: it checks the source's bytes and is the target's ETag rule where no checksum answers.
  const digests = await onSource(run.spec, () =>
    withRetries(control, async (io) => {
      const read = digestsOf(await readRange(run, 0, size, buffer, io, true), {
        ...wholeBodyDigests(run.checksum),
        md5: true,
      });
      checkSourceMd5(run, read.md5 as Buffer);
      return read;
    }),
  );
  const { bytes, sha256: hash } = digests;
  const digest = digests.md5 as Buffer;
  // A whole body's checksum is its CRC32, over plain HTTP beside its signed SHA-256 (wholeBodyDigests).
  const sent = sentChecksum({ crc32: true }, digests);
  const output = await withRetries(control, (io) => {
    let progressed = 0;
    const command = new PutObjectCommand({
      Bucket: record.bucket,
      Key: record.key,
      Body: bytes,
      ContentLength: size,
      ...(sent ? { [sent.name]: sent.value } : { ContentMD5: digest.toString('base64') }),
      ...headers,
      ...(run.targetKey ?? {}),
    });
    const attempt = singleAttempt(command, (moved) => {
      io.alive();
      progressed += moved;
      control.progress(Math.min(progressed, Math.max(0, size - 1)));
    });
    return target.send(withPayloadSha256(attempt, hash), { abortSignal: io.signal });
  });
  await verifyTarget(run, {
    shape: 'singlePart',
    etag: plainEtag(output.ETag),
    expectedEtag: digest.toString('hex'),
    encrypted: encryptedEtag(output),
    ...wholeBodyChecksums(digests, output),
    size,
  });
}

/**
 * Where the source's ETag is the MD5 of its bytes (one PUT, not encrypted with KMS or a
 * customer key, on a service whose single-part ETags are known to be MD5s), the bytes read are
 * checked against it: a damaged read is read again, and nothing damaged is written.
 */
function checkSourceMd5(run: CopyRun, digest: Buffer): void {
  if (!run.sourceEtagIsMd5) return;
  const etag = plainEtag(run.spec.sourceEtag ?? '');
  if (etag !== digest.toString('hex')) {
    throw new AppFailure(
      'network',
      'The bytes read from the source were damaged on the way (their MD5 is not its ETag).',
      {
        detail: `MD5 ${digest.toString('hex')}, source ETag ${etag}`,
      },
    );
  }
}

/** Every part the target has for the upload; 'gone' where the upload is, 'unlisted' where the target cannot list parts. */
async function listTargetParts(run: CopyRun, uploadId: string): Promise<Part[] | 'gone' | 'unlisted'> {
  const { record, control, target } = run;
  const parts: Part[] = [];
  const pages = boundedPages<Part, string>(
    async (marker) => {
      const page = await withRetries(control, (io) =>
        target.send(
          singleAttempt(
            new ListPartsCommand({
              Bucket: record.bucket,
              Key: record.key,
              UploadId: uploadId,
              ...(marker ? { PartNumberMarker: marker } : {}),
            }),
          ),
          { abortSignal: io.signal },
        ),
      );
      return { items: page.Parts ?? [], truncated: page.IsTruncated === true, next: page.NextPartNumberMarker };
    },
    { what: `list of the parts of ${record.key} already at the target` },
  );
  try {
    for await (const page of pages) parts.push(...page);
    return parts;
  } catch (error) {
    if (isNoSuchUpload(error) || isNotFound(error)) return 'gone';
    // No ListParts: the journal's own record of the confirmed parts stands.
    if (await run.deps.capabilities.lacks(record.accountId, record.bucket, 'listParts', error)) return 'unlisted';
    throw error;
  }
}

/**
 * A large object: a multipart upload at the target (new, or resumed from the journal's parts
 * the target still has), each missing part one ranged GET of the source into a reused buffer,
 * then completion and the check. Memory: one part-sized buffer per part in flight.
 */
async function copyInParts(run: CopyRun, headers: TargetHeaders, size: number): Promise<void> {
  const { record, spec, control, target, targetModel } = run;
  if (spec.multipart) {
    const journaled = spec.multipart;
    const onTarget =
      targetModel.features.listParts.support === 'no' ? 'unlisted' : await listTargetParts(run, journaled.uploadId);
    if (onTarget === 'gone') {
      // Aborted elsewhere, or expired: the copy starts again.
      spec.multipart = null;
      control.note('The unfinished copy was gone from the target, so it started again.');
    } else if (onTarget !== 'unlisted') {
      // Only parts the target confirms (same number, same ETag) count; the others are sent again.
      const confirmed = new Map(onTarget.map((part) => [part.PartNumber, plainEtag(part.ETag)]));
      journaled.parts = journaled.parts.filter((part) => confirmed.get(part.partNumber) === part.etag);
    }
    control.persist();
  }
  const orphans = { client: target, record, control };
  /** Set when stray uploads of this key could not be aborted yet: looked for again once the copy is complete. */
  let strayUploadsSince: string | undefined;
  if (!spec.multipart) {
    // An upload begun by an earlier run whose id never reached the journal (killed in between).
    if (spec.multipartRequestedAt && !(await abortUnjournaled(orphans, spec.multipartRequestedAt))) {
      strayUploadsSince = spec.multipartRequestedAt;
    }
    const requestedAt = new Date().toISOString();
    spec.multipartRequestedAt = requestedAt;
    await control.persistNow();
    let attempts = 0;
    const created = await withRetries(control, (io, attempt) => {
      attempts = attempt + 1;
      return createWithChecksum(run.checksum, (fields) =>
        target.send(
          singleAttempt(
            new CreateMultipartUploadCommand({
              Bucket: record.bucket,
              Key: record.key,
              ...headers,
              ...(run.targetKey ?? {}),
              ...fields,
            }),
          ),
          { abortSignal: io.signal },
        ),
      );
    });
    if (!created.UploadId) throw new AppFailure('internal', 'The target started no multipart upload.');
    spec.multipart = {
      uploadId: created.UploadId,
      partSize: partSizeFor(size, control.settings.partSizeMiB),
      parts: [],
      ...journaledChecksum(run.checksum),
    };
    delete spec.multipartRequestedAt;
    control.persist();
    // A retried request may have started an upload whose answer was lost: only ours stays.
    if (attempts > 1 && !(await abortUnjournaled(orphans, requestedAt, created.UploadId))) {
      strayUploadsSince ??= requestedAt;
    }
  }
  const multipart = spec.multipart;
  // The copy's own checksums, as its upload was created (a resumed one keeps its kind).
  const withChecksums = carriesChecksum(multipart);
  const total = partCount(size, multipart.partSize);
  const have = new Set(multipart.parts.map((part) => part.partNumber));
  const missing = Array.from({ length: total }, (_, i) => i + 1).filter((n) => !have.has(n));
  let confirmed = multipart.parts.reduce((sum, part) => sum + part.size, 0);
  control.progress(confirmed);

  const buffers = createBufferPool(multipart.partSize);
  await runPool(missing, control.settings.partsInParallel, control.signal, async (partNumber, signal) => {
    const { start, end } = partRange(partNumber, multipart.partSize, size);
    const pooled = buffers.take();
    try {
      const partControl = { ...control, signal };
      const bytes = await onSource(spec, () =>
        withRetries(partControl, (io) => readRange(run, start, end, Buffer.from(pooled), io, false)),
      );
      const digests = digestsOf(bytes, { md5: !withChecksums, crc32: multipart.crc32 === true });
      const { md5: digest, sha256: hash } = digests;
      const sent = sentChecksum(multipart, digests);
      const output = await withRetries(partControl, (io) =>
        target.send(
          withPayloadSha256(
            singleAttempt(
              new UploadPartCommand({
                Bucket: record.bucket,
                Key: record.key,
                UploadId: multipart.uploadId,
                PartNumber: partNumber,
                Body: bytes,
                ContentLength: bytes.length,
                ...(digest ? { ContentMD5: digest.toString('base64') } : {}),
                ...(sent ? { [sent.name]: sent.value } : {}),
                ...(run.targetKey ?? {}),
              }),
              () => io.alive(),
            ),
            hash,
          ),
          { abortSignal: io.signal },
        ),
      );
      const etag = plainEtag(output.ETag);
      if (digest && !run.targetKey && !encryptedEtag(output)) {
        if (compareEtag(targetModel, 'singlePart', etag, digest.toString('hex')) === 'mismatch') {
          throw new AppFailure('internal', storedOtherwise, {
            detail: `Part ${partNumber}: ETag ${etag}, expected ${digest.toString('hex')}`,
          });
        }
      }
      const mismatch = partChecksumMismatch(partNumber, sent, output);
      if (mismatch) throw new AppFailure('internal', storedOtherwise, { detail: mismatch });
      const part: FinishedPart = {
        partNumber,
        etag,
        ...(digest ? { md5: digest.toString('base64') } : {}),
        size: bytes.length,
        ...(sent ? { checksum: sent } : {}),
      };
      multipart.parts.push(part);
      confirmed += bytes.length;
      control.progress(Math.min(confirmed, size - 1));
      control.persist();
    } finally {
      buffers.give(pooled);
    }
  });

  const parts = [...multipart.parts].sort((a, b) => a.partNumber - b.partNumber);
  const md5s = parts.flatMap((part) => (part.md5 ? [Buffer.from(part.md5, 'base64')] : []));
  const expectedEtag = md5s.length === parts.length ? multipartEtag(md5s) : null;
  const expectedChecksums = multipartChecksums(multipart, parts);
  const completed: CompletedPart[] = parts.map((part) => ({
    PartNumber: part.partNumber,
    ETag: `"${part.etag}"`,
    ...(part.checksum ? { [part.checksum.name]: part.checksum.value } : {}),
  }));
  const complete = completionWithWholeCrc32(expectedChecksums, (fields, signal) =>
    target.send(
      singleAttempt(
        new CompleteMultipartUploadCommand({
          Bucket: record.bucket,
          Key: record.key,
          UploadId: multipart.uploadId,
          MultipartUpload: { Parts: completed },
          ...fields,
          ...(run.targetKey ?? {}),
        }),
      ),
      { abortSignal: signal },
    ),
  );
  const algorithm = expectedChecksums?.algorithm;
  const completion = await withRetries(control, async (io, attempt) => {
    try {
      const output = await complete(io.signal);
      return {
        etag: plainEtag(output.ETag),
        encrypted: encryptedEtag(output),
        checksum: answeredChecksum(algorithm, output),
      };
    } catch (error) {
      // A completion whose answer was lost succeeded: the upload is gone, the object is there.
      if (attempt > 0 && isNoSuchUpload(error)) {
        const head = await targetHead(run, withChecksums);
        return {
          etag: plainEtag(head.ETag),
          encrypted: encryptedEtag(head),
          checksum: answeredChecksum(algorithm, head),
        };
      }
      throw error;
    }
  });
  // The trouble that kept them is likely over by now (a burst of refusals, a lost answer).
  if (strayUploadsSince) await abortUnjournaled(orphans, strayUploadsSince);
  await verifyTarget(run, {
    shape: 'multipart',
    etag: completion.etag,
    expectedEtag,
    encrypted: completion.encrypted,
    checksum: completion.checksum,
    ...(expectedChecksums ? { expectedChecksums } : {}),
    size,
  });
}

/** The target object's HEAD (with its customer key, and its checksum where asked). */
function targetHead(run: CopyRun, checksum = false) {
  const { record, control, target } = run;
  return withRetries(control, (io) =>
    target.send(
      singleAttempt(
        new HeadObjectCommand({
          Bucket: record.bucket,
          Key: record.key,
          ...(checksum ? { ChecksumMode: 'ENABLED' } : {}),
          ...(run.targetKey ?? {}),
        }),
      ),
      { abortSignal: io.signal },
    ),
  );
}

/** What the target answered for the stored object, and what was computed here from the source's bytes. */
interface TargetAnswer {
  shape: 'singlePart' | 'multipart';
  etag: string;
  expectedEtag: string | null;
  encrypted: boolean;
  /** The checksum the target returned of the kind the copy sent, if any. */
  checksum: string | undefined;
  expectedChecksums?: ExpectedChecksums;
  size: number;
}

/**
 * Checks the stored copy with the strongest rule the target guarantees (as uploads do): its
 * checksum it was sent with, else its ETag where the MD5 rule holds, else its size (and says so).
 */
async function verifyTarget(run: CopyRun, answer: TargetAnswer): Promise<void> {
  const { record, control, targetModel } = run;
  const settle = (verification: TransferVerification) => {
    record.verifiedBy = verification;
    const note = verificationNote(verification);
    if (note) control.note(note);
  };
  if (answer.expectedChecksums && answer.checksum) {
    const detail = checksumMismatch(answer.expectedChecksums, answer.checksum);
    if (detail) throw new AppFailure('internal', storedOtherwise, { detail });
    return settle('checksum');
  }
  if (answer.expectedEtag !== null && !answer.encrypted && !run.targetKey) {
    const verdict = compareEtag(targetModel, answer.shape, answer.etag, answer.expectedEtag);
    if (verdict === 'mismatch') {
      throw new AppFailure('internal', storedOtherwise, {
        detail: `ETag ${answer.etag}, expected ${answer.expectedEtag}`,
      });
    }
    if (verdict === 'match') {
      const rules = { singlePart: 'md5', multipart: 'md5-of-part-md5s' } as const;
      if (targetModel.etag[answer.shape] === 'unknown') {
        await run.deps.capabilities.learnEtag(record.accountId, { [answer.shape]: rules[answer.shape] });
      }
      return settle('md5');
    }
  }
  const head = await targetHead(run);
  if ((head.ContentLength ?? -1) !== answer.size) {
    throw new AppFailure('internal', storedOtherwise, {
      detail: `The stored copy has ${head.ContentLength ?? 'no'} bytes, the source ${answer.size}.`,
    });
  }
  settle('size');
}

/**
 * A move's last step, only after the copy was verified: deletes the source, unless it changed
 * since it was copied (then it is kept, and the transfer says so), or it is the very object the
 * copy was written to (two accounts on one service, the same bucket and key).
 */
async function deleteSource(run: CopyRun): Promise<void> {
  const { record, spec, control, source } = run;
  const sameService =
    (await run.deps.endpointOf(spec.source.accountId)) === (await run.deps.endpointOf(record.accountId));
  if (sameService && spec.source.bucket === record.bucket && spec.source.key === record.key) {
    control.note('The source was kept: it is the object the copy was written to.');
    return;
  }
  let now: HeadObjectCommandOutput | undefined;
  try {
    now = await withRetries(control, (io) =>
      source.send(
        singleAttempt(
          new HeadObjectCommand({ Bucket: spec.source.bucket, Key: spec.source.key, ...(run.sourceKey ?? {}) }),
        ),
        { abortSignal: io.signal },
      ),
    );
  } catch (error) {
    if (isNotFound(error)) return; // gone already (deleted before a restart)
    throw error;
  }
  if (plainEtag(now.ETag) !== plainEtag(spec.sourceEtag ?? '')) {
    control.note('The source changed after it was copied, so it was kept: the copy holds the version from before.');
    return;
  }
  await onSource(spec, () =>
    withRetries(control, (io) =>
      source.send(singleAttempt(new DeleteObjectCommand({ Bucket: spec.source.bucket, Key: spec.source.key })), {
        abortSignal: io.signal,
      }),
    ),
  );
}

/** What a cancelled copy leaves: its multipart upload at the target is aborted; a note where it could not be. */
export async function discardCopyAcross(
  record: TransferRecord,
  spec: CopySpec,
  clientFor: CopyAcrossDependencies['clientFor'],
): Promise<string | null> {
  if (spec.multipart) {
    const aborted = await abortTarget(
      await clientFor(record.accountId, record.bucket),
      record,
      spec.multipart.uploadId,
    );
    if (!aborted) return 'What was sent could not be removed from the target: abort it under Unfinished uploads.';
    spec.multipart = null;
  }
  if (!spec.copied) {
    spec.keyResolved = false;
    spec.sourceEtag = null;
    spec.sourceSize = null;
    record.key = spec.wantedKey;
  }
  return null;
}
