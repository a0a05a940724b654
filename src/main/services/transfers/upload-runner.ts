import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
  type MultipartUpload,
  type Part,
  type S3Client,
} from '@aws-sdk/client-s3';
import { lastSegment, numberedName, parentOf } from '../../../shared/names';
import { AppFailure } from '../app-failure';
import type { CustomerKeyStore } from '../keychain/customer-key-store';
import { multipartEtag, plainEtag } from './multipart-etag';
import { crc32 } from './native-crc32';
import { sharedYoungCollector, type YoungCollector } from './young-collector';
import {
  createBufferPool,
  computesSha256,
  createPartReader,
  digestsOf,
  readFully,
  type PartReader,
  type ReadFile,
  type ReadPart,
} from './part-reader';
import { MAX_OBJECT_SIZE, MiB, partCount, partRange, partSizeFor } from './part-size';
import { boundedPages } from '../s3/bounded-pages';
import { leanPutSmall } from '../s3/kept-connections';
import { crc32Bytes } from './crc32';
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
import { runPool, withRetries, type RunControl } from './run-control';
import { singleAttempt, withPayloadSha256 } from './s3-attempt';
import { cleanupRetries, retryTransient } from './retry-policy';
import { isNoSuchUpload, isNotFound, statusOf } from './transfer-errors';
import type { FinishedPart, TransferRecord, UploadSpec } from './transfer-record';
import { encryptionHeaders, etagIsMd5, objectHeaders, type CustomerKeyHeaders } from './upload-headers';
import { compareEtag, encryptedEtag, verificationNote, type EtagShape } from './upload-integrity';
import type { ServiceCapabilities } from '../../../shared/capabilities';
import type { TransferVerification } from '../../../shared/transfers';
import type { CapabilityService } from '../capabilities/capability-service';

/** What uploads are run with. */
export interface UploadDependencies {
  clientFor(accountId: string, bucket: string): Promise<S3Client>;
  customerKeys: CustomerKeyStore;
  /** What the service can do (ListParts, checksums, its ETag rules), and where to record what an upload shows. */
  capabilities: Pick<CapabilityService, 'forBucket' | 'lacks' | 'learnEtag' | 'learnMissing'>;
  /** Reads and hashes the parts (a shared pool of worker threads by default). */
  partReader?: PartReader;
  /** What counts the bytes of files read whole, once sent (the shared young collector by default). */
  youngCollector?: YoungCollector;
  /**
   * Whether a bucket's requests go over TLS, which decides the checksum (see UploadRun;
   * reachedOverTls by default): lets a test send CRC32s through the fault proxy, which speaks HTTP.
   */
  overTls?: (client: S3Client, bucket: string) => Promise<boolean>;
}

let sharedReader: PartReader | undefined;

/** The uploads' part reader: the one given, or one shared by the process (its workers start on first use). */
function readerOf(deps: Pick<UploadDependencies, 'partReader'>): PartReader {
  return deps.partReader ?? (sharedReader ??= createPartReader());
}

/**
 * Starts the shared part reader's workers (a worker takes about 100 ms to start) if a file of
 * these sizes will be read in one: called as an upload batch is queued, so that they start while
 * the journal is written, not at the first file.
 */
export function warmPartReader(sizes: Iterable<number>): void {
  readerOf({}).warm(sizes);
}

/** What one upload runs with: its client, the service's model, and the account's dependencies. */
interface UploadRun {
  client: S3Client;
  record: TransferRecord;
  spec: UploadSpec;
  control: RunControl;
  deps: UploadDependencies;
  capabilities: ServiceCapabilities;
  /** The checksum every PUT and part carries (see UploadChecksum: CRC32 over TLS, SHA-256 over HTTP, or none). */
  checksum: UploadChecksum;
  /** The stored object's HEAD, once asked (see storedHead). */
  head?: Promise<HeadObjectCommandOutput>;
}

/** The flexible checksums a service may return for a part (AWS adds CRC32 by default); sent back on completion. */
const checksumNames = [
  'ChecksumCRC32',
  'ChecksumCRC32C',
  'ChecksumCRC64NVME',
  'ChecksumSHA1',
  'ChecksumSHA256',
] as const;

function checksumOf(output: { [K in (typeof checksumNames)[number]]?: string | undefined }): FinishedPart['checksum'] {
  for (const name of checksumNames) {
    const value = output[name];
    if (value) return { name, value };
  }
  return undefined;
}

/** What an upload says when the service stored other bytes than it sent (the checksums are in the details). */
const storedOtherwise =
  'The service stored something other than what was sent: the data was damaged on the way. Upload the file again.';

/** The file's size or time changed between the reads of one upload. */
function fileChanged(): AppFailure {
  return new AppFailure('conflict', 'The file changed while it was uploading. Upload it again.');
}

/** The source file's size and time, failing clearly when it is gone. */
async function statSource(spec: UploadSpec): Promise<{ size: number; mtimeMs: number }> {
  try {
    const info = await stat(spec.sourcePath);
    return { size: info.size, mtimeMs: info.mtimeMs };
  } catch {
    throw new AppFailure(
      'invalid-input',
      spec.spoolId
        ? "The browser's copy of this file is gone (it is kept only until its upload ends). Drop the file again."
        : 'The file is gone or cannot be read: it was moved, deleted or its permissions changed. Choose it again to upload it.',
    );
  }
}

/**
 * Runs one upload to its end: settles the key (replace, skip, keep both), then one PutObject
 * with Content-MD5 for small files, or a multipart upload with parallel parts, each with
 * Content-MD5, resumed from the parts the server already has. Afterwards the ETag is compared
 * with the MD5 (or the MD5 of part MD5s) computed here, or the size where ETags are not MD5s.
 */
export async function runUpload(
  record: TransferRecord,
  spec: UploadSpec,
  control: RunControl,
  deps: UploadDependencies,
): Promise<'finished' | 'skipped'> {
  const client = await deps.clientFor(record.accountId, record.bucket);
  const capabilities = await deps.capabilities.forBucket(record.accountId, record.bucket);
  const run: UploadRun = {
    client,
    record,
    spec,
    control,
    deps,
    capabilities,
    checksum: await uploadChecksumFor(capabilities, client, record.bucket, deps.overTls),
  };
  // A small file (by its size when queued) with nothing sent yet is read whole first: the read
  // says its size and time too, so it needs no stat of its own (a folder of thousands of files).
  const inMemory = Math.min(control.settings.multipartThresholdMiB * MiB, IN_MEMORY_PUT_LIMIT);
  const preread =
    !spec.folderMarker && spec.multipart === null && (record.bytesTotal ?? Infinity) <= inMemory
      ? await readerOf(deps)
          .readFile({
            path: spec.sourcePath,
            ...wholeBodyDigests(run.checksum),
            maxBytes: inMemory,
            expectedBytes: record.bytesTotal ?? Infinity,
            owner: record.accountId,
          })
          // Gone or unreadable: statSource says so in words.
          .catch(() => undefined)
      : undefined;
  try {
    if (preread?.changed) throw fileChanged();
    const source = spec.folderMarker
      ? { size: 0, mtimeMs: spec.fileMtimeMs ?? 0 }
      : preread
        ? { size: preread.bytes.length, mtimeMs: preread.mtimeMs }
        : await statSource(spec);
    const headers = objectHeaders(lastSegment(spec.wantedKey).replace(/\/$/, ''), spec.options, spec.folderMarker);
    const { customerKey, ...encryption } = await encryptionHeaders(
      spec.options.encryption,
      deps.customerKeys,
      record.accountId,
    );
    const ssec = customerKey ?? {};

    if (spec.multipart && (spec.fileSize !== source.size || spec.fileMtimeMs !== source.mtimeMs)) {
      await abortQuietly(client, record, spec.multipart.uploadId);
      spec.multipart = null;
      control.note('The file changed since its upload began, so it started again.');
    }
    spec.fileSize = source.size;
    spec.fileMtimeMs = source.mtimeMs;
    control.setTotal(source.size);
    if (source.size > MAX_OBJECT_SIZE) {
      throw new AppFailure('invalid-input', 'The file is larger than S3 allows for one object (5 TiB).');
    }

    if (!(await settleKey(client, record, spec, control))) return 'skipped';

    const threshold = control.settings.multipartThresholdMiB * MiB;
    let snapshot = false;
    if (spec.multipart === null && source.size <= threshold) {
      snapshot = await putWhole(run, { ...headers, ...encryption, ...ssec }, customerKey, preread);
    } else {
      await putInParts(run, { ...headers, ...encryption, ...ssec }, customerKey);
    }
    if (!spec.folderMarker && !snapshot) {
      const after = await statSource(spec);
      if (after.size !== source.size || after.mtimeMs !== source.mtimeMs) {
        throw fileChanged();
      }
    }
    return 'finished';
  } finally {
    // The file read whole: its memory back to the reader's pool (the PUT is done with it, or given up).
    preread?.release?.();
  }
}

/** Whether a key exists. A 403 means we may not look (write-only access): then it counts as free. */
async function keyExists(client: S3Client, record: TransferRecord, key: string, control: RunControl) {
  return withRetries(control, async (io) => {
    try {
      await client.send(singleAttempt(new HeadObjectCommand({ Bucket: record.bucket, Key: key })), {
        abortSignal: io.signal,
      });
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      // 400: the object is encrypted with a customer key (SSE-C): it exists.
      if (statusOf(error) === 400) return true;
      if (statusOf(error) === 403) return false;
      throw error;
    }
  });
}

/**
 * Settles the transfer's key once (resolveKey), and notes it before the object is written:
 * after a crash, the object found there is this one (not someone else's, to be kept with a
 * number); "replace" has nothing to tell apart. False when the transfer is skipped.
 */
export async function settleKey(
  client: S3Client,
  record: TransferRecord,
  spec: Pick<UploadSpec, 'wantedKey' | 'onConflict' | 'folderMarker' | 'keyResolved'>,
  control: RunControl,
): Promise<boolean> {
  if (spec.keyResolved) return true;
  const key = await resolveKey(client, record, spec, control);
  if (key === undefined) return false;
  spec.keyResolved = true;
  if (spec.onConflict === 'replace') control.persist();
  else control.keySettled();
  return true;
}

/**
 * Settles the key against what exists: the wanted key, a "name (1).ext" for keep both, or
 * undefined to skip (see settleKey, which copies between accounts use for their target key too).
 */
async function resolveKey(
  client: S3Client,
  record: TransferRecord,
  spec: Pick<UploadSpec, 'wantedKey' | 'onConflict' | 'folderMarker'>,
  control: RunControl,
): Promise<string | undefined> {
  const wanted = spec.wantedKey;
  // "Replace" needs no look: one request fewer per file (a folder of thousands of files).
  if (spec.onConflict === 'replace') return wanted;
  if (!(await keyExists(client, record, wanted, control))) return wanted;
  if (spec.folderMarker) {
    control.note('The folder exists already.');
    return undefined;
  }
  if (spec.onConflict === 'skip') {
    control.note('Skipped: an object with this name exists.');
    return undefined;
  }
  const parent = parentOf(wanted);
  for (let n = 1; n < 10_000; n += 1) {
    const candidate = parent + numberedName(lastSegment(wanted), n);
    if (!(await keyExists(client, record, candidate, control))) {
      record.key = candidate;
      record.name = lastSegment(candidate).replace(/\/$/, '');
      control.note(`Saved as "${record.name}": the name was taken.`);
      return candidate;
    }
  }
  throw new AppFailure('conflict', `No free name was found for ${wanted}.`);
}

type PutHeaders = Omit<ConstructorParameters<typeof PutObjectCommand>[0], 'Bucket' | 'Key' | 'Body'>;

/** Files up to this size are read into memory for their PutObject; larger ones (a high threshold) are streamed. */
const IN_MEMORY_PUT_LIMIT = 16 * MiB;

/** An upload's digests of some bytes (as the part reader computes them; see wholeBodyDigests). */
type Digests = Pick<ReadPart, 'md5' | 'sha256' | 'crc32'>;

/** The digests of a whole file (see wholeBodyDigests), read once as a stream (memory stays small whatever its size). */
async function fileDigests(path: string, checksum: UploadChecksum, signal: AbortSignal): Promise<Digests> {
  const asked = wholeBodyDigests(checksum);
  const md5Hash = asked.md5 ? createHash('md5') : undefined;
  const shaHash = computesSha256(asked) ? createHash('sha256') : undefined;
  let crc = 0;
  await pipeline(
    createReadStream(path),
    async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        md5Hash?.update(chunk);
        shaHash?.update(chunk);
        if (asked.crc32) crc = crc32(chunk, crc);
      }
      yield* [];
    },
    { signal },
  );
  return { md5: md5Hash?.digest(), sha256: shaHash?.digest(), crc32: asked.crc32 ? crc32Bytes(crc) : undefined };
}

/**
 * Bodies up to this size may be PUT beside the SDK (leanPutSmall). Such a PUT says nothing
 * until the service answers (the SDK's says each 512 KiB slice the socket takes): small enough
 * that even at 5 KB/s it is answered before the stall watchdog's minute is up.
 */
const LEAN_PUT_LIMIT = 256 * 1024;

/**
 * Whether a PutObject may go beside the SDK: a body in memory of at most LEAN_PUT_LIMIT, no
 * customer key, and no header but its type (metadata, storage class, ACL and encryption go
 * through the SDK, which serializes them). The body and type to send, or undefined.
 */
function leanPutFor(
  body: Buffer | undefined,
  headers: PutHeaders,
  customerKey: CustomerKeyHeaders | undefined,
): { body: Buffer; contentType: string } | undefined {
  if (body === undefined || body.length > LEAN_PUT_LIMIT || customerKey !== undefined) return undefined;
  const { ContentType, ...others } = headers;
  if (ContentType === undefined || Object.values(others).some((value) => value !== undefined)) return undefined;
  return { body, contentType: ContentType };
}

/**
 * A file under the multipart threshold (or an empty folder): one PutObject with its digests
 * (Content-MD5 and the SHA-256 it is signed with, or its checksum: see UploadRun), then the ETag or
 * checksum checked. Small files are read whole in one trip to a worker (read, checked
 * unchanged, hashed); a large one (when the person raised the threshold) is hashed first, then
 * streamed from disk, so memory stays bounded either way.
 */
async function putWhole(
  run: UploadRun,
  headers: PutHeaders,
  customerKey: CustomerKeyHeaders | undefined,
  preread: ReadFile | undefined,
): Promise<boolean> {
  const { client, record, spec, control } = run;
  /** The file read whole (given, or read here); what is read here goes back to the reader's pool here (runUpload gives back `preread`). */
  let file: ReadFile | undefined;
  try {
    const size = spec.folderMarker ? 0 : (spec.fileSize ?? 0);
    const streamed = size > IN_MEMORY_PUT_LIMIT;
    let body: Buffer | undefined;
    let digests: Digests;
    if (streamed) {
      // Hashed first (the stream cannot be read twice cheaply), then streamed.
      digests = await fileDigests(spec.sourcePath, run.checksum, control.signal);
    } else if (size === 0) {
      body = Buffer.alloc(0);
      digests = digestsOf(body, wholeBodyDigests(run.checksum));
    } else {
      // Read whole, checked and hashed in one trip to a worker: what is sent is this snapshot, so
      // a change after the read cannot mix two versions (the check after the upload is not needed).
      file =
        preread ??
        (await readerOf(run.deps).readFile({
          path: spec.sourcePath,
          ...wholeBodyDigests(run.checksum),
          maxBytes: IN_MEMORY_PUT_LIMIT,
          expectedBytes: size,
          owner: record.accountId,
        }));
      if (!file || file.changed || file.bytes.length !== size || file.mtimeMs !== spec.fileMtimeMs) {
        throw fileChanged();
      }
      body = file.bytes;
      digests = file;
    }
    const lean = leanPutFor(body, headers, customerKey);
    const output = await withRetries(control, async (io) => {
      let sent = 0;
      control.progress(0);
      if (lean) {
        const answer = await leanPutSmall(
          client,
          record.bucket,
          record.key,
          {
            body: lean.body,
            sha256: digests.sha256,
            ...(digests.crc32 ? { crc32: digests.crc32 } : {}),
            contentType: lean.contentType,
            ...(digests.md5 ? { contentMd5: digests.md5 } : {}),
          },
          io.signal,
        );
        if (answer !== undefined) return answer;
      }
      const command = new PutObjectCommand({
        Bucket: record.bucket,
        Key: record.key,
        Body: body ?? createReadStream(spec.sourcePath, { start: 0, end: size - 1 }),
        ContentLength: size,
        ...(digests.md5 ? { ContentMD5: digests.md5.toString('base64') } : {}),
        ...(digests.crc32 ? { ChecksumCRC32: digests.crc32.toString('base64') } : {}),
        ...headers,
      });
      const attempt = singleAttempt(command, (bytes) => {
        io.alive();
        sent += bytes;
        // Bytes on the wire are not stored yet: the last one counts once the service confirms.
        control.progress(Math.min(sent, Math.max(0, size - 1)));
      });
      // A streamed body too: the SDK would send it UNSIGNED-PAYLOAD, which over plain HTTP only
      // a SHA-256 checksum bound to the signature (a CRC32 does not).
      return client.send(withPayloadSha256(attempt, digests.sha256), {
        abortSignal: io.signal,
      });
    });
    await checkEncryptionKept(run, output, customerKey);
    await verifyStored(run, customerKey, {
      shape: 'singlePart',
      etag: plainEtag(output.ETag),
      expectedEtag: digests.md5?.toString('hex') ?? null,
      encrypted: encryptedEtag(output),
      ...wholeBodyChecksums(digests, output),
    });
    control.progress(size);
    // A file read whole is a buffer of its own that dies here; with a large young generation such
    // buffers outlive a scavenge or two, pile up (their bytes outside V8's heap) and are freed only
    // by full collections: counted, as downloads count what they receive (young-collector.ts).
    // Parts, and files read into the reader's pooled buffers, are in reused memory: not counted.
    if (body && file?.release === undefined) (run.deps.youngCollector ?? sharedYoungCollector()).received(body.length);
    // True when the bytes sent were read whole beforehand (and checked unchanged while read).
    return body !== undefined && !spec.folderMarker;
  } finally {
    if (file !== preread) file?.release?.();
  }
}

/**
 * Aborts a multipart upload, trying again through passing trouble (a lost answer, a 503);
 * false when it could not (it is then listed among unfinished uploads). An upload that is gone
 * counts as aborted: a retry after a lost answer finds it so.
 */
export async function abortQuietly(client: S3Client, record: TransferRecord, uploadId: string): Promise<boolean> {
  // One deadline for every attempt: a cancel waits at most this long on a server that hangs.
  const deadline = AbortSignal.timeout(30_000);
  try {
    await retryTransient(
      () =>
        client.send(
          singleAttempt(
            new AbortMultipartUploadCommand({ Bucket: record.bucket, Key: record.key, UploadId: uploadId }),
          ),
          { abortSignal: deadline },
        ),
      { ...cleanupRetries, signal: deadline },
    );
    return true;
  } catch (error) {
    return isNoSuchUpload(error) || isNotFound(error);
  }
}

/**
 * Every part the server has for an upload (ListParts, paged through boundedPages, so a service
 * that keeps answering with the same part-number marker is not asked for ever); undefined when
 * the upload is gone.
 */
async function listServerParts(client: S3Client, record: TransferRecord, uploadId: string, control: RunControl) {
  const parts: {
    partNumber: number;
    etag: string;
    size: number;
    checksum: FinishedPart['checksum'];
    /** The part's SHA-256 and CRC32 (base64) as the service recorded them, where the upload carries them. */
    recorded: Pick<Part, 'ChecksumSHA256' | 'ChecksumCRC32'>;
  }[] = [];
  // No signal here: a pause or cancel aborts the request in flight (withRetries), and the walk
  // must fail then, not end quietly with some of the parts.
  const pages = boundedPages<Part, string>(
    async (marker) => {
      const page = await withRetries(control, (io) =>
        client.send(
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
    { what: `list of the parts of ${record.key} already on the server` },
  );
  try {
    for await (const page of pages) {
      for (const part of page) {
        if (part.PartNumber === undefined) continue;
        parts.push({
          partNumber: part.PartNumber,
          etag: plainEtag(part.ETag),
          size: part.Size ?? -1,
          checksum: checksumOf(part),
          recorded: { ChecksumSHA256: part.ChecksumSHA256, ChecksumCRC32: part.ChecksumCRC32 },
        });
      }
    }
    return parts;
  } catch (error) {
    if (isNoSuchUpload(error) || isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * After a restart or a pause: which parts of the journaled upload the server really has. A
 * part counts when its size is right and its ETag is the journal's, or (a part the journal
 * missed, sent just before a crash) the MD5 of the same bytes here where ETags are MD5s.
 * Where the service cannot list parts (no ListParts), the journal's own record of the parts
 * that completed is used; if the service lost them after all, completion fails and the
 * object starts again (putInParts).
 */
async function reconcileParts(
  run: UploadRun,
  spec: UploadSpec & { multipart: NonNullable<UploadSpec['multipart']> },
  handle: FileHandle,
): Promise<FinishedPart[] | undefined> {
  const { client, record, control, capabilities } = run;
  const { uploadId, partSize } = spec.multipart;
  const size = spec.fileSize ?? 0;
  const fromJournal = () => {
    control.note("This service cannot list an upload's parts, so it resumed from the app's own record of them.");
    return [...spec.multipart.parts];
  };
  if (capabilities.features.listParts.support === 'no') return fromJournal();
  let server: Awaited<ReturnType<typeof listServerParts>>;
  try {
    server = await listServerParts(client, record, uploadId, control);
  } catch (error) {
    if (await run.deps.capabilities.lacks(record.accountId, record.bucket, 'listParts', error)) return fromJournal();
    throw error;
  }
  if (!server) return undefined;
  const journaled = new Map(spec.multipart.parts.map((part) => [part.partNumber, part]));
  const kept: FinishedPart[] = [];
  for (const part of server) {
    if (part.partNumber > partCount(size, partSize)) continue;
    const { start, end } = partRange(part.partNumber, partSize, size);
    if (part.size !== end - start) continue;
    const known = journaled.get(part.partNumber);
    const ownChecksums = carriesChecksum(spec.multipart);
    if (known && known.etag === part.etag) {
      kept.push({ ...known, ...(part.checksum && !ownChecksums ? { checksum: part.checksum } : {}) });
      continue;
    }
    // A part the journal missed (sent just before a crash) counts where the service's own record of it
    // proves these bytes: its SHA-256 or CRC32 where the upload carries them, else its ETag equal to
    // their MD5 (a match cannot be chance, whatever the service's ETag rule; an opaque ETag simply
    // never matches). A CRC32 can be matched by other bytes on purpose, not by chance: these bytes
    // are the person's own file, and over TLS nobody between changed what the part carried.
    if (etagIsMd5(spec.options.encryption) || ownChecksums) {
      const bytes = Buffer.alloc(end - start);
      await readFully(handle, bytes, start, spec.sourcePath);
      const digests = digestsOf(bytes, { md5: true, crc32: spec.multipart.crc32 === true });
      const digest = digests.md5 as Buffer;
      const sent = sentChecksum(spec.multipart, digests);
      const proven = sent ? part.recorded[sent.name] === sent.value : digest.toString('hex') === part.etag;
      if (proven) {
        kept.push({
          partNumber: part.partNumber,
          etag: part.etag,
          md5: digest.toString('base64'),
          size: end - start,
          ...((sent ?? part.checksum) ? { checksum: sent ?? part.checksum } : {}),
        });
      }
    }
  }
  return kept;
}

/** How far a service's clock may be from ours: S3 refuses requests signed further apart (RequestTimeTooSkewed). */
const CLOCK_SKEW_MS = 15 * 60_000;

/**
 * Aborts this key's multipart uploads begun since `since` (give or take the clock skew S3
 * allows) but `keep`: uploads this transfer started and lost track of, because the app was
 * killed before the journal held their id, or a retried CreateMultipartUpload had lost its
 * answer. Left alone they hold storage (and are billed) until a lifecycle rule removes them.
 * Best effort: a service that cannot list uploads keeps them, and the unfinished-uploads
 * dialog still shows them. Another client's upload of this very key begun in those seconds
 * would go too; it was about to be overwritten by this one anyway. True when every such upload
 * is gone; false when the list or an abort failed (passing trouble is tried again first), so
 * that the caller can look again later.
 */
export async function abortUnjournaled(
  run: { client: S3Client; record: TransferRecord; control: Pick<RunControl, 'signal'> },
  since: string,
  keep?: string,
): Promise<boolean> {
  const { client, record } = run;
  const after = Date.parse(since) - CLOCK_SKEW_MS;
  // One deadline for the whole list, every attempt of every page included.
  const listing = AbortSignal.any([run.control.signal, AbortSignal.timeout(30_000)]);
  try {
    const pages = boundedPages<MultipartUpload, { KeyMarker: string; UploadIdMarker?: string }>(
      async (marker) => {
        const page = await retryTransient(
          () =>
            client.send(
              singleAttempt(new ListMultipartUploadsCommand({ Bucket: record.bucket, Prefix: record.key, ...marker })),
              { abortSignal: listing },
            ),
          { ...cleanupRetries, signal: listing },
        );
        const next = page.NextKeyMarker
          ? {
              KeyMarker: page.NextKeyMarker,
              ...(page.NextUploadIdMarker ? { UploadIdMarker: page.NextUploadIdMarker } : {}),
            }
          : undefined;
        return { items: page.Uploads ?? [], truncated: page.IsTruncated === true, next };
      },
      { what: `list of unfinished uploads of ${record.key}`, maxPages: 100 },
    );
    let allGone = true;
    for await (const uploads of pages) {
      for (const upload of uploads) {
        if (upload.Key !== record.key || !upload.UploadId || upload.UploadId === keep) continue;
        if ((upload.Initiated?.getTime() ?? 0) < after) continue;
        if (!(await abortQuietly(client, record, upload.UploadId))) allGone = false;
      }
    }
    return allGone;
  } catch {
    // Best effort (see above): the upload itself goes on.
    return false;
  }
}

/** True for the answers that say a multipart upload cannot be completed from the parts named. */
function isLostUpload(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'InvalidPart' || name === 'InvalidPartOrder' || isNoSuchUpload(error);
}

/** A large file: a multipart upload (new or resumed), its missing parts in parallel, then completion. */
async function putInParts(
  run: UploadRun,
  headers: PutHeaders,
  customerKey: CustomerKeyHeaders | undefined,
  restarted = false,
): Promise<void> {
  const { client, record, spec, control, capabilities } = run;
  const size = spec.fileSize ?? 0;
  const handle = await open(spec.sourcePath, 'r');
  let resumed = false;
  /** Set when stray uploads of this key could not be aborted yet: looked for again once the object is complete. */
  let strayUploadsSince: string | undefined;
  try {
    if (spec.multipart) {
      const kept = await reconcileParts(run, spec as never, handle);
      if (kept) {
        spec.multipart.parts = kept;
        resumed = true;
      } else {
        spec.multipart = null;
        control.note('The unfinished upload was gone from the server, so it started again.');
      }
      control.persist();
    }
    if (!spec.multipart) {
      // An upload begun by an earlier run whose id never reached the journal (killed in between).
      if (spec.multipartRequestedAt && !(await abortUnjournaled(run, spec.multipartRequestedAt))) {
        strayUploadsSince = spec.multipartRequestedAt;
      }
      // On disk before the request goes out: a crash after it is then known to have left an upload.
      const requestedAt = new Date().toISOString();
      spec.multipartRequestedAt = requestedAt;
      await control.persistNow();
      let attempts = 0;
      const created = await withRetries(control, (io, attempt) => {
        attempts = attempt + 1;
        return createWithChecksum(run.checksum, (fields) =>
          client.send(
            singleAttempt(
              new CreateMultipartUploadCommand({ Bucket: record.bucket, Key: record.key, ...headers, ...fields }),
            ),
            { abortSignal: io.signal },
          ),
        );
      });
      if (!created.UploadId) throw new AppFailure('internal', 'The service started no multipart upload.');
      spec.multipart = {
        uploadId: created.UploadId,
        partSize: partSizeFor(size, control.settings.partSizeMiB),
        parts: [],
        ...journaledChecksum(run.checksum),
      };
      delete spec.multipartRequestedAt;
      control.persist();
      // A retried request may have started an upload whose answer was lost: only ours stays.
      if (attempts > 1 && !(await abortUnjournaled(run, requestedAt, created.UploadId))) {
        strayUploadsSince ??= requestedAt;
      }
    }
    const multipart = spec.multipart;
    // The upload's own checksums, as it was created (a resumed one keeps its kind).
    const withChecksums = carriesChecksum(multipart);
    const total = partCount(size, multipart.partSize);
    const have = new Set(multipart.parts.map((part) => part.partNumber));
    const missing = Array.from({ length: total }, (_, i) => i + 1).filter((n) => !have.has(n));
    let confirmed = multipart.parts.reduce((sum, part) => sum + part.size, 0);
    const inFlight = new Map<number, number>();
    const report = () => {
      let moving = 0;
      for (const bytes of inFlight.values()) moving += bytes;
      control.progress(confirmed + moving);
    };
    report();

    let completion: {
      etag: string;
      encrypted: boolean;
      checksum: string | undefined;
      encryption: EncryptionAnswer;
    };
    // What the completed object's ETag and checksum must be, computed once every part is confirmed.
    let expected: string | null = null;
    let expectedChecksums: ExpectedChecksums | undefined;
    try {
      // One buffer per part in flight, reused: memory stays at part size × parts in parallel.
      const buffers = createBufferPool(multipart.partSize);
      const reader = readerOf(run.deps);
      await runPool(missing, control.settings.partsInParallel, control.signal, async (partNumber, signal) => {
        const { start, end } = partRange(partNumber, multipart.partSize, size);
        const digests = await reader.read({
          handle,
          path: spec.sourcePath,
          position: start,
          length: end - start,
          md5: !withChecksums,
          crc32: multipart.crc32 === true,
          into: buffers.take(),
        });
        try {
          await sendPart(partNumber, digests, signal);
        } finally {
          buffers.give(digests.bytes.buffer as ArrayBuffer);
        }
      });
      async function sendPart(partNumber: number, digests: ReadPart, signal: AbortSignal): Promise<void> {
        const bytes = digests.bytes;
        const digest = digests.md5;
        const sent = sentChecksum(multipart, digests);
        const output = await withRetries({ ...control, signal }, (io) => {
          inFlight.set(partNumber, 0);
          report();
          const command = new UploadPartCommand({
            Bucket: record.bucket,
            Key: record.key,
            UploadId: multipart.uploadId,
            PartNumber: partNumber,
            Body: bytes,
            ContentLength: bytes.length,
            ...(digest ? { ContentMD5: digest.toString('base64') } : {}),
            ...(sent ? { [sent.name]: sent.value } : {}),
            ...(customerKey ?? {}),
          });
          const attempt = singleAttempt(command, (sent) => {
            io.alive();
            // The last slice counts once the part is confirmed.
            inFlight.set(partNumber, Math.min((inFlight.get(partNumber) ?? 0) + sent, bytes.length - 1));
            report();
          });
          return client.send(withPayloadSha256(attempt, digests.sha256), {
            abortSignal: io.signal,
          });
        }).finally(() => inFlight.delete(partNumber));
        const etag = plainEtag(output.ETag);
        const etagCheck = digest !== undefined && etagIsMd5(spec.options.encryption) && !encryptedEtag(output);
        if (etagCheck && compareEtag(capabilities, 'singlePart', etag, digest.toString('hex')) === 'mismatch') {
          throw new AppFailure('internal', storedOtherwise, {
            detail: `Part ${partNumber}: ETag ${etag}, expected ${digest.toString('hex')}`,
          });
        }
        const mismatch = partChecksumMismatch(partNumber, sent, output);
        if (mismatch) throw new AppFailure('internal', storedOtherwise, { detail: mismatch });
        const checksum = sent ?? checksumOf(output);
        multipart.parts.push({
          partNumber,
          etag,
          ...(digest ? { md5: digest.toString('base64') } : {}),
          size: bytes.length,
          ...(checksum ? { checksum } : {}),
        });
        confirmed += bytes.length;
        report();
        control.persist();
      }

      const parts = [...multipart.parts].sort((a, b) => a.partNumber - b.partNumber);
      // Parts sent with a checksum carry no MD5: the object's checksum is the check then.
      const md5s = parts.flatMap((part) => (part.md5 ? [Buffer.from(part.md5, 'base64')] : []));
      expected = md5s.length === parts.length ? multipartEtag(md5s) : null;
      expectedChecksums = multipartChecksums(multipart, parts);
      const completed: CompletedPart[] = parts.map((part) => ({
        PartNumber: part.partNumber,
        ETag: `"${part.etag}"`,
        ...(part.checksum ? { [part.checksum.name]: part.checksum.value } : {}),
      }));
      const complete = completionWithWholeCrc32(expectedChecksums, (fields, signal) =>
        client.send(
          singleAttempt(
            new CompleteMultipartUploadCommand({
              Bucket: record.bucket,
              Key: record.key,
              UploadId: multipart.uploadId,
              MultipartUpload: { Parts: completed },
              ...fields,
              ...(customerKey ?? {}),
            }),
          ),
          { abortSignal: signal },
        ),
      );
      completion = await withRetries(control, async (io, attempt) => {
        try {
          const output = await complete(io.signal);
          return {
            etag: plainEtag(output.ETag),
            encrypted: encryptedEtag(output),
            checksum: answeredChecksum(expectedChecksums?.algorithm, output),
            encryption: output,
          };
        } catch (error) {
          // A completion whose answer was lost succeeded on the server: the upload id is gone, the object is there.
          if (attempt > 0 && isNoSuchUpload(error)) {
            const head = await client.send(
              singleAttempt(
                new HeadObjectCommand({
                  Bucket: record.bucket,
                  Key: record.key,
                  ...(withChecksums ? { ChecksumMode: 'ENABLED' } : {}),
                  ...(customerKey ?? {}),
                }),
              ),
              { abortSignal: io.signal },
            );
            const etag = plainEtag(head.ETag);
            const comparable = expected !== null && etagIsMd5(spec.options.encryption) && !encryptedEtag(head);
            if (!comparable || compareEtag(capabilities, 'multipart', etag, expected ?? '') !== 'mismatch') {
              // verifyStored then compares the object's checksum, where the HEAD gave one.
              const checksum = answeredChecksum(expectedChecksums?.algorithm, head);
              return { etag, encrypted: encryptedEtag(head), checksum, encryption: head };
            }
          }
          throw error;
        }
      });
    } catch (error) {
      // Resumed from parts the service no longer has (or never listed): start the object again, once.
      if (resumed && !restarted && isLostUpload(error)) {
        await abortQuietly(client, record, multipart.uploadId);
        spec.multipart = null;
        control.persist();
        control.note('The parts sent before could not be used, so the upload started again.');
        await handle.close();
        return await putInParts(run, headers, customerKey, true);
      }
      throw error;
    }
    spec.multipart = null;
    control.persist();
    // The trouble that kept them is likely over by now (a burst of refusals, a lost answer).
    if (strayUploadsSince) await abortUnjournaled(run, strayUploadsSince);
    await checkEncryptionKept(run, completion.encryption, customerKey);
    await verifyStored(run, customerKey, {
      shape: 'multipart',
      etag: completion.etag,
      expectedEtag: expected,
      encrypted: completion.encrypted,
      checksum: completion.checksum,
      ...(expectedChecksums ? { expectedChecksums } : {}),
    });
    control.progress(size);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** The encryption headers of an answer (PutObject, CompleteMultipartUpload, HeadObject). */
type EncryptionAnswer = { ServerSideEncryption?: string | undefined; SSECustomerAlgorithm?: string | undefined };

/** What each encryption choice must be answered with, and the capability it needs. */
const encryptionAnswers = {
  'SSE-S3': { id: 'sseS3', shows: (a: EncryptionAnswer) => a.ServerSideEncryption !== undefined },
  'SSE-KMS': { id: 'sseKms', shows: (a: EncryptionAnswer) => (a.ServerSideEncryption ?? '').startsWith('aws:kms') },
  'SSE-C': { id: 'sseC', shows: (a: EncryptionAnswer) => a.SSECustomerAlgorithm !== undefined },
} as const;

/**
 * A service that ignores an encryption header stores the file in the clear and says nothing
 * (s3rver does): the answer names no encryption. The file is stored, so the transfer does not
 * fail, but it says so plainly, and the model learns that the service lacks that encryption
 * (later uploads that ask for it are refused before they start).
 */
async function checkEncryptionKept(
  run: UploadRun,
  answer: EncryptionAnswer,
  customerKey: CustomerKeyHeaders | undefined,
): Promise<void> {
  const mode = run.spec.options.encryption.mode;
  if (mode === 'none') return;
  const expected = encryptionAnswers[mode];
  if (expected.shows(answer)) return;
  // Some answers (MinIO's CompleteMultipartUpload) leave the headers out: the object's HEAD decides.
  const head = await storedHead(run, customerKey);
  if (expected.shows(head)) return;
  const reason = `This service ignores requests for ${mode} encryption (it stores files unencrypted).`;
  await run.deps.capabilities.learnMissing(run.record.accountId, null, expected.id, reason);
  run.control.note(`Stored WITHOUT encryption: this service ignored the request for ${mode}.`);
}

/**
 * The stored object's HEAD, asked once per upload: the encryption check and the size check
 * both need it where the upload's own answer does not say enough.
 */
function storedHead(run: UploadRun, customerKey: CustomerKeyHeaders | undefined) {
  const { client, record, control } = run;
  run.head ??= withRetries(control, (io) =>
    client.send(
      singleAttempt(new HeadObjectCommand({ Bucket: record.bucket, Key: record.key, ...(customerKey ?? {}) })),
      { abortSignal: io.signal },
    ),
  );
  return run.head;
}

/** What the service answered for a stored object, and what was computed here. */
interface StoredAnswer {
  shape: EtagShape;
  etag: string;
  /** The MD5 (or MD5 of part MD5s) computed here; null where the upload computed none (it sent checksums). */
  expectedEtag: string | null;
  /** The answer names SSE-KMS or SSE-C: its ETag is not an MD5 of the data. */
  encrypted: boolean;
  /** The checksum the service returned of the kind the upload sent (x-amz-checksum-sha256 or -crc32), if any. */
  checksum: string | undefined;
  /** What it must be, computed here: one of `values` (a multipart CRC32's FULL_OBJECT or composite form). */
  expectedChecksums?: ExpectedChecksums;
}

/**
 * Compares the stored object with what was sent, with the strongest check the service
 * allows: the checksum it sent, else its ETag where the MD5 rule holds, else its size. A
 * mismatch fails the transfer only where the check is one the service guarantees; an ETag
 * that merely does not follow the MD5 rule teaches the model and the size decides.
 */
async function verifyStored(
  run: UploadRun,
  customerKey: CustomerKeyHeaders | undefined,
  answer: StoredAnswer,
): Promise<void> {
  const { record, spec, control, capabilities } = run;
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
  if (answer.expectedEtag !== null && etagIsMd5(spec.options.encryption) && !answer.encrypted) {
    const verdict = compareEtag(capabilities, answer.shape, answer.etag, answer.expectedEtag);
    if (verdict === 'mismatch') {
      throw new AppFailure('internal', storedOtherwise, {
        detail: `ETag ${answer.etag}, expected ${answer.expectedEtag}`,
      });
    }
    const rules = { singlePart: 'md5', multipart: 'md5-of-part-md5s' } as const;
    if (verdict === 'match') {
      if (capabilities.etag[answer.shape] === 'unknown') {
        await run.deps.capabilities.learnEtag(record.accountId, { [answer.shape]: rules[answer.shape] });
      }
      return settle('md5');
    }
  }
  // SSE-KMS and SSE-C objects, and services whose ETags are not MD5s: compare the size instead.
  const head = await storedHead(run, customerKey);
  if ((head.ContentLength ?? -1) !== (spec.fileSize ?? 0)) {
    throw new AppFailure('internal', storedOtherwise, {
      detail: `The stored object has ${head.ContentLength ?? 'no'} bytes, the file ${spec.fileSize ?? 0}.`,
    });
  }
  if (etagIsMd5(spec.options.encryption) && !answer.encrypted && capabilities.etag[answer.shape] === 'unknown') {
    // A plain object whose ETag is not the MD5: this service's ETags of this shape are opaque.
    await run.deps.capabilities.learnEtag(record.accountId, { [answer.shape]: 'opaque' });
  }
  settle('size');
}
