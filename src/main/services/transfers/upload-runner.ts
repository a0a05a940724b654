import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
  type S3Client,
} from '@aws-sdk/client-s3';
import { lastSegment, numberedName, parentOf } from '../../../shared/names';
import { AppFailure } from '../app-failure';
import type { CustomerKeyStore } from '../keychain/customer-key-store';
import { md5, multipartEtag, plainEtag } from './multipart-etag';
import { MAX_OBJECT_SIZE, MiB, partCount, partRange, partSizeFor } from './part-size';
import { runPool, withRetries, type RunControl } from './run-control';
import { singleAttempt } from './s3-attempt';
import { isNoSuchUpload, isNotFound, statusOf } from './transfer-errors';
import type { FinishedPart, TransferRecord, UploadSpec } from './transfer-record';
import { encryptionHeaders, etagIsMd5, objectHeaders, type CustomerKeyHeaders } from './upload-headers';

/** What uploads are run with. */
export interface UploadDependencies {
  clientFor(accountId: string, bucket: string): Promise<S3Client>;
  customerKeys: CustomerKeyStore;
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

/** Reads exactly `buffer.length` bytes at `position`; a file that got shorter fails clearly. */
async function readFully(handle: FileHandle, buffer: Buffer, position: number, path: string): Promise<void> {
  let offset = 0;
  while (offset < buffer.length) {
    const { bytesRead } = await handle.read(buffer, offset, buffer.length - offset, position + offset);
    if (bytesRead === 0) {
      throw new AppFailure('conflict', `The file ${path} got shorter while it was uploading. Upload it again.`);
    }
    offset += bytesRead;
  }
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
        : `The file ${spec.sourcePath} is gone or cannot be read.`,
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
  const source = spec.folderMarker ? { size: 0, mtimeMs: spec.fileMtimeMs ?? 0 } : await statSource(spec);
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

  if (!spec.keyResolved) {
    const key = await resolveKey(client, record, spec, control);
    if (key === undefined) return 'skipped';
    spec.keyResolved = true;
    control.persist();
  }

  const threshold = control.settings.multipartThresholdMiB * MiB;
  if (spec.multipart === null && source.size <= threshold) {
    await putWhole(client, record, spec, control, { ...headers, ...encryption, ...ssec }, customerKey);
  } else {
    await putInParts(client, record, spec, control, { ...headers, ...encryption, ...ssec }, customerKey);
  }
  if (!spec.folderMarker) {
    const after = await statSource(spec);
    if (after.size !== source.size || after.mtimeMs !== source.mtimeMs) {
      throw new AppFailure('conflict', 'The file changed while it was uploading. Upload it again.');
    }
  }
  return 'finished';
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

/** Settles the key against what exists: the wanted key, a "name (1).ext" for keep both, or undefined to skip. */
async function resolveKey(
  client: S3Client,
  record: TransferRecord,
  spec: UploadSpec,
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

/** The MD5 of a whole file, read as a stream (memory stays small whatever its size). */
async function fileMd5(path: string, signal: AbortSignal): Promise<Buffer> {
  const hash = createHash('md5');
  await pipeline(createReadStream(path), hash, { signal });
  return hash.digest();
}

/**
 * A file under the multipart threshold (or an empty folder): one PutObject with its
 * Content-MD5, then the ETag checked. Small files are read into one buffer; a large one
 * (when the person raised the threshold) is hashed first, then streamed from disk, so memory
 * stays bounded either way.
 */
async function putWhole(
  client: S3Client,
  record: TransferRecord,
  spec: UploadSpec,
  control: RunControl,
  headers: PutHeaders,
  customerKey: CustomerKeyHeaders | undefined,
): Promise<void> {
  const size = spec.folderMarker ? 0 : (spec.fileSize ?? 0);
  const streamed = size > IN_MEMORY_PUT_LIMIT;
  let body: Buffer | undefined;
  if (!streamed) {
    body = Buffer.alloc(size);
    if (size > 0) {
      const handle = await open(spec.sourcePath, 'r');
      try {
        await readFully(handle, body, 0, spec.sourcePath);
      } finally {
        await handle.close();
      }
    }
  }
  const digest = body ? md5(body) : await fileMd5(spec.sourcePath, control.signal);
  const output = await withRetries(control, async (io) => {
    let sent = 0;
    control.progress(0);
    const command = new PutObjectCommand({
      Bucket: record.bucket,
      Key: record.key,
      Body: body ?? createReadStream(spec.sourcePath, { start: 0, end: size - 1 }),
      ContentLength: size,
      ContentMD5: digest.toString('base64'),
      ...headers,
    });
    return client.send(
      singleAttempt(command, (bytes) => {
        io.alive();
        sent += bytes;
        // Bytes on the wire are not stored yet: the last one counts once the service confirms.
        control.progress(Math.min(sent, Math.max(0, size - 1)));
      }),
      { abortSignal: io.signal },
    );
  });
  await verifyStored(client, record, spec, control, plainEtag(output.ETag), digest.toString('hex'), customerKey);
  control.progress(size);
}

/** Aborts a multipart upload, ignoring failures (it is then listed among orphaned uploads). */
export async function abortQuietly(client: S3Client, record: TransferRecord, uploadId: string): Promise<boolean> {
  try {
    await client.send(
      singleAttempt(new AbortMultipartUploadCommand({ Bucket: record.bucket, Key: record.key, UploadId: uploadId })),
      { abortSignal: AbortSignal.timeout(30_000) },
    );
    return true;
  } catch (error) {
    return isNoSuchUpload(error) || isNotFound(error);
  }
}

/** Every part the server has for an upload (ListParts, paginated); undefined when the upload is gone. */
async function listServerParts(client: S3Client, record: TransferRecord, uploadId: string, control: RunControl) {
  const parts: { partNumber: number; etag: string; size: number; checksum: FinishedPart['checksum'] }[] = [];
  let marker: string | undefined;
  for (;;) {
    try {
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
      for (const part of page.Parts ?? []) {
        if (part.PartNumber === undefined) continue;
        parts.push({
          partNumber: part.PartNumber,
          etag: plainEtag(part.ETag),
          size: part.Size ?? -1,
          checksum: checksumOf(part),
        });
      }
      if (!page.IsTruncated || page.NextPartNumberMarker === undefined) return parts;
      marker = page.NextPartNumberMarker;
    } catch (error) {
      if (isNoSuchUpload(error) || isNotFound(error)) return undefined;
      throw error;
    }
  }
}

/**
 * After a restart: which parts of the journaled upload the server really has. A part counts
 * when its size is right and its ETag is the journal's, or (a part the journal missed, sent
 * just before a crash) the MD5 of the same bytes here where ETags are MD5s.
 */
async function reconcileParts(
  client: S3Client,
  record: TransferRecord,
  spec: UploadSpec & { multipart: NonNullable<UploadSpec['multipart']> },
  control: RunControl,
  handle: FileHandle,
): Promise<FinishedPart[] | undefined> {
  const { uploadId, partSize } = spec.multipart;
  const size = spec.fileSize ?? 0;
  const server = await listServerParts(client, record, uploadId, control);
  if (!server) return undefined;
  const journaled = new Map(spec.multipart.parts.map((part) => [part.partNumber, part]));
  const kept: FinishedPart[] = [];
  for (const part of server) {
    if (part.partNumber > partCount(size, partSize)) continue;
    const { start, end } = partRange(part.partNumber, partSize, size);
    if (part.size !== end - start) continue;
    const known = journaled.get(part.partNumber);
    if (known && known.etag === part.etag) {
      kept.push({ ...known, ...(part.checksum ? { checksum: part.checksum } : {}) });
      continue;
    }
    if (etagIsMd5(spec.options.encryption)) {
      const bytes = Buffer.alloc(end - start);
      await readFully(handle, bytes, start, spec.sourcePath);
      const digest = md5(bytes);
      if (digest.toString('hex') === part.etag) {
        kept.push({
          partNumber: part.partNumber,
          etag: part.etag,
          md5: digest.toString('base64'),
          size: end - start,
          ...(part.checksum ? { checksum: part.checksum } : {}),
        });
      }
    }
  }
  return kept;
}

/** A large file: a multipart upload (new or resumed), its missing parts in parallel, then completion. */
async function putInParts(
  client: S3Client,
  record: TransferRecord,
  spec: UploadSpec,
  control: RunControl,
  headers: PutHeaders,
  customerKey: CustomerKeyHeaders | undefined,
): Promise<void> {
  const size = spec.fileSize ?? 0;
  const handle = await open(spec.sourcePath, 'r');
  try {
    if (spec.multipart) {
      const kept = await reconcileParts(client, record, spec as never, control, handle);
      if (kept) {
        spec.multipart.parts = kept;
      } else {
        spec.multipart = null;
        control.note('The unfinished upload was gone from the server, so it started again.');
      }
      control.persist();
    }
    if (!spec.multipart) {
      const created = await withRetries(control, (io) =>
        client.send(
          singleAttempt(new CreateMultipartUploadCommand({ Bucket: record.bucket, Key: record.key, ...headers })),
          {
            abortSignal: io.signal,
          },
        ),
      );
      if (!created.UploadId) throw new AppFailure('internal', 'The service started no multipart upload.');
      spec.multipart = {
        uploadId: created.UploadId,
        partSize: partSizeFor(size, control.settings.partSizeMiB),
        parts: [],
      };
      control.persist();
    }
    const multipart = spec.multipart;
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

    await runPool(missing, control.settings.partsInParallel, control.signal, async (partNumber, signal) => {
      const { start, end } = partRange(partNumber, multipart.partSize, size);
      // One buffer per part in flight: memory stays at part size × parts in parallel.
      const bytes = Buffer.allocUnsafe(end - start);
      await readFully(handle, bytes, start, spec.sourcePath);
      const digest = md5(bytes);
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
          ContentMD5: digest.toString('base64'),
          ...(customerKey ?? {}),
        });
        return client.send(
          singleAttempt(command, (sent) => {
            io.alive();
            // The last slice counts once the part is confirmed.
            inFlight.set(partNumber, Math.min((inFlight.get(partNumber) ?? 0) + sent, bytes.length - 1));
            report();
          }),
          { abortSignal: io.signal },
        );
      }).finally(() => inFlight.delete(partNumber));
      const etag = plainEtag(output.ETag);
      if (etagIsMd5(spec.options.encryption) && etag !== digest.toString('hex')) {
        throw new AppFailure('internal', `Part ${partNumber} was stored with another checksum. Upload the file again.`);
      }
      const checksum = checksumOf(output);
      multipart.parts.push({
        partNumber,
        etag,
        md5: digest.toString('base64'),
        size: bytes.length,
        ...(checksum ? { checksum } : {}),
      });
      confirmed += bytes.length;
      report();
      control.persist();
    });

    const parts = [...multipart.parts].sort((a, b) => a.partNumber - b.partNumber);
    const expected = multipartEtag(parts.map((part) => Buffer.from(part.md5, 'base64')));
    const completed: CompletedPart[] = parts.map((part) => ({
      PartNumber: part.partNumber,
      ETag: `"${part.etag}"`,
      ...(part.checksum ? { [part.checksum.name]: part.checksum.value } : {}),
    }));
    const etag = await withRetries(control, async (io, attempt) => {
      try {
        const output = await client.send(
          singleAttempt(
            new CompleteMultipartUploadCommand({
              Bucket: record.bucket,
              Key: record.key,
              UploadId: multipart.uploadId,
              MultipartUpload: { Parts: completed },
              ...(customerKey ?? {}),
            }),
          ),
          { abortSignal: io.signal },
        );
        return plainEtag(output.ETag);
      } catch (error) {
        // A completion whose answer was lost succeeded on the server: the upload id is gone, the object is there.
        if (attempt > 0 && isNoSuchUpload(error)) {
          const head = await client.send(
            singleAttempt(new HeadObjectCommand({ Bucket: record.bucket, Key: record.key, ...(customerKey ?? {}) })),
            { abortSignal: io.signal },
          );
          if (plainEtag(head.ETag) === expected || !etagIsMd5(spec.options.encryption)) return plainEtag(head.ETag);
        }
        throw error;
      }
    });
    spec.multipart = null;
    control.persist();
    await verifyStored(client, record, spec, control, etag, expected, customerKey);
    control.progress(size);
  } finally {
    await handle.close();
  }
}

/** Compares the stored object with what was sent: the ETag where it is an MD5 (of the part MD5s), else the size. */
async function verifyStored(
  client: S3Client,
  record: TransferRecord,
  spec: UploadSpec,
  control: RunControl,
  etag: string,
  expected: string,
  customerKey: CustomerKeyHeaders | undefined,
): Promise<void> {
  if (etagIsMd5(spec.options.encryption)) {
    if (etag !== expected) {
      throw new AppFailure(
        'internal',
        `The service stored something other than what was sent (ETag ${etag}, expected ${expected}). Upload it again.`,
      );
    }
    return;
  }
  // SSE-KMS and SSE-C objects have ETags that are not MD5s: compare the size instead.
  const head = await withRetries(control, (io) =>
    client.send(
      singleAttempt(new HeadObjectCommand({ Bucket: record.bucket, Key: record.key, ...(customerKey ?? {}) })),
      { abortSignal: io.signal },
    ),
  );
  if ((head.ContentLength ?? -1) !== (spec.fileSize ?? 0)) {
    throw new AppFailure(
      'internal',
      `The stored object has ${head.ContentLength ?? 'no'} bytes, the file ${spec.fileSize ?? 0}. Upload it again.`,
    );
  }
}
