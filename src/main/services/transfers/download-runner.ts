import { createReadStream } from 'node:fs';
import { link, lstat, mkdir, rename, rm, unlink, utimes, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { numberedName } from '../../../shared/names';
import { getOutputOf, leanGetObject } from '../s3/lean-requests';
import { leanGetSmall } from '../s3/kept-connections';
import { leanGetRange, leanGetWhole } from '../s3/socket-range';
import { AppFailure } from '../app-failure';
import type { CustomerKeyStore } from '../keychain/customer-key-store';
import { isMultipartEtag, plainEtag } from './multipart-etag';
import { MiB, partCount, partRange, partSizeFor } from './part-size';
import { runPool, withRetries, type RunControl } from './run-control';
import { singleAttempt } from './s3-attempt';
import { fullDiskCode, fullDiskFailure } from './disk-space';
import { isWithin, pathInside, realPathAllowingMissing } from './safe-path';
import { statusOf } from './transfer-errors';
import type { DownloadSpec, TransferRecord } from './transfer-record';
import { customerKeyHeaders, type CustomerKeyHeaders } from './upload-headers';
import { bytesDigest, type BytesDigest } from './bytes-digest';
import { wholeCrc32 } from './crc32';
import {
  createEventLoopWriter,
  createFileWriter,
  NO_LINKS,
  openTemp,
  type BytesCheck,
  type FileWriter,
} from './file-writer';
import type { FolderNames } from './folder-names';
import { sharedYoungCollector, type YoungCollector } from './young-collector';

/** Which local paths downloads in the queue have claimed, so two of them never pick the same name. */
export interface PathClaims {
  isClaimed(path: string, by: string): boolean;
  claim(path: string, by: string): void;
  release(by: string): void;
}

/** A map of claimed paths (path → transfer id). */
export function createPathClaims(): PathClaims {
  const byPath = new Map<string, string>();
  const byId = new Map<string, string>();
  return {
    isClaimed: (path, by) => {
      const owner = byPath.get(path);
      return owner !== undefined && owner !== by;
    },
    claim(path, by) {
      const previous = byId.get(by);
      if (previous !== undefined) byPath.delete(previous);
      byPath.set(path, by);
      byId.set(by, path);
    },
    release(by) {
      const path = byId.get(by);
      if (path !== undefined && byPath.get(path) === by) byPath.delete(path);
      byId.delete(by);
    },
  };
}

/** What downloads are run with. */
export interface DownloadDependencies {
  clientFor(accountId: string, bucket: string): Promise<S3Client>;
  customerKeys: CustomerKeyStore;
  claims: PathClaims;
  /**
   * Writes consecutive pieces of the object at their position in the temporary file
   * ({@link writeAllAt} by default). A seam for tests that need a write to fail as a full disk does.
   */
  writeAt?: (handle: FileHandle, pieces: readonly Buffer[], position: number) => Promise<unknown>;
  /**
   * Writes small downloads (by default the shared worker once a batch of many small files has
   * started it and it is ready, see startFileWriter; on the event loop otherwise, and always
   * where null).
   */
  fileWriter?: FileWriter | null;
  /** Frees received Buffers' memory as bytes arrive (the process's shared collector by default). */
  youngCollector?: YoungCollector;
  /**
   * Whether the bucket's service keeps additional checksums (x-amz-checksum-*): a whole GET then
   * asks for the object's SHA-256 and checks the bytes by it (none asked when absent).
   */
  checksumsFor?: (accountId: string, bucket: string) => Promise<boolean>;
  /** The names in the folders downloads write into, read once a folder (none: each path is looked at). */
  folderNames?: FolderNames;
}

/** The shared file writer: undefined until a batch starts it, null where no worker could start. */
let sharedWriter: FileWriter | null | undefined;

/** Writes small files on the event loop where no worker is ready. */
const eventLoopWriter = createEventLoopWriter();

/**
 * The file writer a small download uses now: the given one, or the shared worker once it is
 * ready; on the event loop where none was started (see startFileWriter), while it starts, and
 * after it died. Waited for, the worker's start-up (40–140 ms on two busy cores) held a batch's
 * first files and their places in the queue (docs/benchmarks.md, "The file writer's start").
 */
function writerOf(deps: Pick<DownloadDependencies, 'fileWriter'>): FileWriter {
  const writer = deps.fileWriter === undefined ? sharedWriter : deps.fileWriter;
  return writer?.ready() ? writer : eventLoopWriter;
}

/**
 * Small files in one batch from which the shared writer is started. Its worker's start-up took
 * more than it saved for a few files, on two cores: 10 small files took 61 ms written on the
 * event loop and 111 ms with the writer starting beside them (s5cmd 86 ms), 500 took 480–640 ms
 * with it and 830–870 ms without (docs/benchmarks.md, "The file writer's start").
 */
export const WRITER_FROM_FILES = 64;

/**
 * Starts the shared file writer for a batch of downloads of these sizes (null: not known, as a
 * file asked for by its key) if it has at least WRITER_FROM_FILES small ones and the writer is
 * not running; it then stays for the session's later downloads. Called as the batch is queued:
 * its first files are written on the event loop until the worker is ready.
 */
export function startFileWriter(sizes: Iterable<number | null>): void {
  if (sharedWriter !== undefined) return;
  let small = 0;
  for (const size of sizes) {
    if (isSmall(size)) small += 1;
    if (small >= WRITER_FROM_FILES) {
      sharedWriter = createFileWriter() ?? null;
      return;
    }
  }
}

/** The young collector downloads count their bytes with. */
function collectorOf(deps: DownloadDependencies): YoungCollector {
  return deps.youngCollector ?? sharedYoungCollector();
}

/**
 * Objects up to this size, fetched whole, are gathered in memory and handed to the file writer
 * (the queue runs a few dozen small files at once at most, see transfer-queue.ts: a few dozen MiB).
 */
const SMALL_FILE_BYTES = MiB;

/** Whether an object of this size (null: not known, as a file asked for by its key) is taken as small. */
function isSmall(size: number | null | undefined): boolean {
  return (size ?? 0) <= SMALL_FILE_BYTES;
}

/**
 * The least a ranged GET asks for (MiB). A range costs a request (signing, headers, a
 * response to parse) but no memory (it streams to disk): with 32 MiB ranges a 256 MiB object
 * is 8 requests, not 32 (s5cmd asks for 50 MiB). A crash costs at most the ranges in flight
 * and the last second's.
 */
const DOWNLOAD_RANGE_MIB = 32;

/** How many bytes of an object a download gathers before writing them (one writev). */
const WRITE_BATCH = MiB;

/**
 * A stream that writes what it is given into a file from `start` on, never past `end`. Pieces
 * arrive as the socket reads them (16–64 KiB); written one by one, the calls cost more than the
 * copying. A Writable gathers what arrives while a write is in flight and hands it all to
 * `_writev`: one writev per batch, up to WRITE_BATCH bytes waiting before it holds the socket back.
 */
function positionalWriter(
  handle: FileHandle,
  start: number,
  end: number,
  writeAt: NonNullable<DownloadDependencies['writeAt']>,
  hash: BytesDigest | undefined,
  onWritten: (position: number) => void,
): Writable {
  let position = start;
  const write = (pieces: Buffer[], done: (error?: Error | null) => void) => {
    let bytes = 0;
    for (const piece of pieces) bytes += piece.length;
    if (position + bytes > end) {
      done(new AppFailure('network', 'The service sent more than was asked.'));
      return;
    }
    // In order: one stream writes its range front to back, one batch at a time.
    for (const piece of pieces) hash?.update(piece);
    writeAt(handle, pieces, position).then(
      () => {
        position += bytes;
        onWritten(position);
        done();
      },
      (error: Error) => done(error),
    );
  };
  return new Writable({
    highWaterMark: WRITE_BATCH,
    write: (chunk: Buffer, _encoding, done) => write([chunk], done),
    writev: (chunks, done) =>
      write(
        chunks.map(({ chunk }) => chunk as Buffer),
        done,
      ),
  });
}

/** Writes consecutive pieces at a position with writev, again for what a short write left. */
export async function writeAllAt(handle: FileHandle, pieces: readonly Buffer[], position: number): Promise<void> {
  let rest = [...pieces];
  let at = position;
  while (rest.length > 0) {
    const { bytesWritten } = await handle.writev(rest, at);
    at += bytesWritten;
    let skip = bytesWritten;
    while (rest.length > 0 && skip >= (rest[0]?.length ?? 0)) skip -= rest.shift()?.length ?? 0;
    if (skip > 0 && rest[0]) rest = [rest[0].subarray(skip), ...rest.slice(1)];
  }
}

/** The object changed on the server during the download (If-Match failed). */
class ObjectChanged extends Error {}

/** The bytes that arrived are not the object's (their SHA-256 or MD5 is not its own): damaged on the way. */
class ArrivedDamaged extends Error {}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** The temporary file of a download, beside its final path: hidden, and named so it never looks finished. */
export function temporaryPathFor(finalPath: string, transferId: string): string {
  const name = basename(finalPath);
  // Keep the name under 255 bytes whatever the final name's length.
  const short = Buffer.byteLength(name) > 180 ? Buffer.from(name).subarray(0, 180).toString('utf8') : name;
  return join(dirname(finalPath), `.${short}.${transferId.slice(0, 8)}.s3fm-part`);
}

/**
 * Runs one download to its end: HEAD (with the account's SSE-C key when the object needs
 * it), settle the local name (replace, skip, keep both), then the object's bytes into a
 * temporary file in the target folder: one GET for small objects, parallel ranged GETs for
 * large ones, resumed from the chunks already on disk. The file is renamed into place only
 * when complete and verified (size; the stored SHA-256, or the MD5 where the ETag is one: checkOf).
 */
export async function runDownload(
  record: TransferRecord,
  spec: DownloadSpec,
  control: RunControl,
  deps: DownloadDependencies,
): Promise<'finished' | 'skipped'> {
  const wanted = pathInside(spec.targetDir, spec.segments);
  if (!wanted) throw new AppFailure('invalid-input', 'This key would be written outside the chosen folder.');
  try {
    if (spec.folderMarker) {
      await checkConfined(spec, wanted);
      await mkdir(wanted, { recursive: true });
      control.setTotal(0);
      return 'finished';
    }
    const client = await deps.clientFor(record.accountId, record.bucket);
    // Asked once a download, not at each HEAD, GET and retry: the answer reads the account's settings.
    const checksums = (await deps.checksumsFor?.(record.accountId, record.bucket)) ?? false;
    const runDeps: DownloadDependencies = { ...deps, checksumsFor: async () => checksums };
    for (let restarts = 0; ; restarts += 1) {
      try {
        return await downloadOnce(client, record, spec, control, runDeps, wanted);
      } catch (error) {
        if (!(error instanceof ObjectChanged || error instanceof ArrivedDamaged)) throw error;
        if (restarts >= 2) {
          throw error instanceof ArrivedDamaged
            ? new AppFailure(
                'internal',
                'The download arrived damaged three times in a row. Check your network connection, then retry.',
                {
                  detail:
                    "The bytes' digest did not match the object's (its stored SHA-256 or its MD5 ETag) on each of 3 tries.",
                },
              )
            : error;
        }
        await discardDownload(spec);
        control.note(
          error instanceof ObjectChanged
            ? 'The object changed on the server during the download, so it started again.'
            : "The bytes that arrived did not match the object's checksum, so it was fetched again.",
        );
      }
    }
  } catch (error) {
    const full = fullDiskCode(error);
    if (full === undefined) throw error;
    // A partial file on a full disk keeps it full: remove it, and say what it would take.
    await discardDownload(spec).catch(() => undefined);
    control.progress(0);
    control.persist();
    throw await fullDiskFailure(full, dirname(record.localPath), spec.size ?? record.bytesTotal ?? 0);
  }
}

/**
 * A download a browser asked for (web mode) writes only inside its downloads root: the real
 * path of where it writes (symbolic links resolved) must be inside it, checked again before
 * each write, since a link could have appeared in the folder since it was queued.
 */
async function checkConfined(spec: DownloadSpec, path: string): Promise<void> {
  if (spec.confinedTo === undefined) return;
  const real = await realPathAllowingMissing(path);
  if (!isWithin(spec.confinedTo, real)) {
    throw new AppFailure(
      'invalid-input',
      `Not downloaded: "${path}" leads outside the downloads folder ${spec.confinedTo} (through a symbolic link), where web mode may not write.`,
    );
  }
}

async function downloadOnce(
  client: S3Client,
  record: TransferRecord,
  spec: DownloadSpec,
  control: RunControl,
  deps: DownloadDependencies,
  wanted: string,
): Promise<'finished' | 'skipped'> {
  // A small object the listing sized, on its first run, is fetched in one GET with no HEAD
  // first: the GET's headers say all a HEAD would (size, ETag, time, encryption), and one
  // request a file instead of two is most of the cost of many small files.
  const getFirst =
    spec.etag === null &&
    !spec.customerKey &&
    spec.size !== null &&
    spec.size <= control.settings.multipartThresholdMiB * MiB;
  let facts: ObjectFacts | undefined;
  if (getFirst) {
    control.setTotal(spec.size ?? 0);
  } else {
    facts = await headObject(client, record, spec, control, deps);
    await learn(spec, control, facts);
  }

  // An earlier run may have put the file in place and died before the journal said so (which
  // may not even hold the path it chose yet): found by its temporary file, linked there.
  const earlier = await placedEarlier(wanted, record.id, deps.folderNames);
  if (earlier !== undefined && earlier !== 'free') {
    facts ??= await headObject(client, record, spec, control, deps);
    spec.leftover = earlier.temp;
    return finishPlaced(record, spec, control, facts, earlier.path);
  }
  if (!spec.pathResolved || spec.tempPath === null) {
    const final = await resolveLocalPath(wanted, spec, record, control, deps.claims, earlier === 'free');
    if (final === undefined) return 'skipped';
    record.localPath = final;
    record.name = basename(final);
    spec.pathResolved = true;
    spec.tempPath = temporaryPathFor(final, record.id);
    control.persist();
  }
  deps.claims.claim(record.localPath, record.id);
  // The folder is made when the temporary file cannot be created for want of it (openTemp):
  // one call fewer per file in a folder of many.
  await checkConfined(spec, dirname(record.localPath));
  const collector = collectorOf(deps);
  const writeWith = deps.writeAt ?? writeAllAt;
  const writeAt: NonNullable<DownloadDependencies['writeAt']> = async (handle, pieces, position) => {
    await writeWith(handle, pieces, position);
    for (const piece of pieces) collector.received(piece.length);
  };
  const target = spec as DownloadSpec & { tempPath: string };
  let digest: string | undefined;
  const whole = facts === undefined;
  // Web mode checks where each write lands (checkConfined), and the writeAt seam is for tests of the stream path.
  const small = whole && spec.confinedTo === undefined && deps.writeAt === undefined && isSmall(spec.size);
  const writer = small ? writerOf(deps) : undefined;
  if (writer) {
    const placed = await fetchSmall(client, record, target, control, deps, writer);
    // Undefined: the object grew past the small size since it was listed, and is fetched as a stream.
    if (placed !== undefined) return placed;
  }
  if (facts === undefined) {
    const fetched = await fetchWhole(client, record, target, control, deps, { received: writeAt, reused: writeWith });
    facts = fetched.facts;
    digest = fetched.digest;
  } else {
    const writes = { received: writeAt, reused: writeWith };
    digest = await fetchInto(client, record, target, control, facts.customerKey, writes, checkOf(facts));
  }

  const temp = spec.tempPath as string;
  // One GET wrote the whole file from its first byte and counted it (fetchWhole); ranges are counted here.
  const written = whole ? facts.size : (await lstat(temp)).size;
  if (written !== facts.size) {
    throw new AppFailure('internal', 'The download arrived incomplete. Retry to download it again.', {
      detail: `The download has ${written} bytes where the object has ${facts.size}.`,
    });
  }
  const check = checkOf(facts);
  if (check !== undefined) {
    // Computed as the bytes were written where they came in one GET; read back otherwise.
    let actual = digest;
    if (actual === undefined) {
      const hash = bytesDigest(check);
      for await (const chunk of createReadStream(temp)) hash.update(chunk as Buffer);
      actual = hash.digest();
    }
    if (actual !== check.expected) {
      await discardDownload(spec);
      throw new ArrivedDamaged();
    }
  }
  await checkConfined(spec, dirname(record.localPath));
  return placeAndFinish(record, spec, control, deps, facts, temp);
}

/** Puts the checked temporary file in place (see putInPlace) and finishes the download there; 'skipped' when a file took the name meanwhile. */
async function placeAndFinish(
  record: TransferRecord,
  spec: DownloadSpec,
  control: RunControl,
  deps: DownloadDependencies,
  facts: ObjectFacts,
  temp: string,
  options: { timeSet?: boolean } = {},
): Promise<'finished' | 'skipped'> {
  const placed = await putInPlace(temp, record.localPath, spec.onConflict);
  if (placed === undefined) {
    control.note('Skipped: a file with this name appeared meanwhile.');
    return 'skipped';
  }
  deps.folderNames?.added(placed.path);
  if (placed.linked) spec.leftover = temp;
  return finishPlaced(record, spec, control, facts, placed.path, options);
}

/**
 * One GET of the whole object (no Range, no If-Match: one response is one version of it), with
 * the SSE-C key when it is known to be needed or the service asks for it.
 */
function getWholeObject(
  client: S3Client,
  record: TransferRecord,
  spec: DownloadSpec,
  deps: DownloadDependencies,
  knownKey: boolean,
  signal: AbortSignal,
) {
  return withCustomerKeyIfNeeded(knownKey, deps, record, async (headers) => {
    // The object's latest version with no key: without the SDK's middleware where the client allows.
    if (headers === undefined && !spec.versionId) {
      const checksums = (await deps.checksumsFor?.(record.accountId, record.bucket)) ?? false;
      const lean = await leanGetObject(client, record.bucket, record.key, signal, { checksums });
      if (lean !== undefined) return lean;
    }
    return client.send(
      singleAttempt(
        new GetObjectCommand({
          Bucket: record.bucket,
          Key: record.key,
          ...(spec.versionId ? { VersionId: spec.versionId } : {}),
          ...(headers ?? {}),
        }),
      ),
      { abortSignal: signal },
    );
  });
}

/**
 * A small object in one GET (as fetchWhole), gathered in memory, then written, checked, given
 * its time and put in place by the file writer in one trip. Undefined when the object turned
 * out larger than a small one (nothing written).
 */
async function fetchSmall(
  client: S3Client,
  record: TransferRecord,
  spec: DownloadSpec & { tempPath: string },
  control: RunControl,
  deps: DownloadDependencies,
  writer: FileWriter,
): Promise<'finished' | 'skipped' | undefined> {
  spec.doneChunks = [];
  let knownKey = false;
  const collector = collectorOf(deps);
  const fetched = await withRetries(control, async (io) => {
    if (!knownKey && !spec.versionId) {
      try {
        const kept = await smallOffKeptConnection(client, record, spec, control, deps, io);
        if (kept !== 'not-lean') return kept;
      } catch (error) {
        // The object may need the account's customer key (SSE-C): asked again with it below.
        if (statusOf(error) !== 400) throw error;
        knownKey = true;
      }
    }
    const { output, customerKey } = await getWholeObject(client, record, spec, deps, knownKey, io.signal);
    knownKey = customerKey !== undefined;
    const facts = factsOf(output, customerKey);
    const body = output.Body as Readable | undefined;
    if (!body) throw new AppFailure('network', 'The service sent no data.');
    if (facts.size > SMALL_FILE_BYTES) {
      body.destroy();
      return undefined;
    }
    adopt(spec, control, facts);
    // A buffer of its own, of the object's size: handed to the writer without a copy.
    const bytes = new Uint8Array(facts.size);
    let position = 0;
    const stop = () => body.destroy(new Error('aborted'));
    io.signal.addEventListener('abort', stop, { once: true });
    try {
      for await (const chunk of body as AsyncIterable<Buffer>) {
        if (position + chunk.length > facts.size)
          throw new AppFailure('network', 'The service sent more than was asked.');
        bytes.set(chunk, position);
        position += chunk.length;
        collector.received(chunk.length);
        io.alive();
        control.progress(position);
      }
    } finally {
      io.signal.removeEventListener('abort', stop);
      body.destroy();
    }
    if (position !== facts.size) throw new AppFailure('network', 'The download was cut short.');
    return { facts, bytes };
  });
  if (fetched === undefined) return undefined;
  const { facts, bytes } = fetched;
  const written = await writer.writeSmallFile({
    temp: spec.tempPath,
    final: record.localPath,
    replace: spec.onConflict === 'replace',
    bytes,
    check: checkOf(facts),
    mtimeMs: facts.lastModified ? Date.parse(facts.lastModified) : undefined,
  });
  if (written.placed) {
    deps.folderNames?.added(record.localPath);
    if (written.linked) spec.leftover = spec.tempPath;
    return finishPlaced(record, spec, control, facts, record.localPath, { timeSet: true });
  }
  // Checked before anything was written: the temporary file was never made.
  if (written.reason === 'damaged') throw new ArrivedDamaged();
  // A file appeared at the name meanwhile (or links are not to be had here): placed as any download is.
  return placeAndFinish(record, spec, control, deps, facts, spec.tempPath, { timeSet: true });
}

/**
 * One attempt at a small object over a connection of the app's own kept alive (leanGetSmall):
 * its facts from the answer's head, its bytes in a buffer of their own. Undefined when the
 * object is larger than a small one; 'not-lean' when the client or the answer leaves it to the
 * SDK (nothing taken).
 */
async function smallOffKeptConnection(
  client: S3Client,
  record: TransferRecord,
  spec: DownloadSpec,
  control: RunControl,
  deps: DownloadDependencies,
  io: { signal: AbortSignal; alive: () => void },
): Promise<{ facts: ObjectFacts; bytes: Uint8Array } | undefined | 'not-lean'> {
  const checksums = (await deps.checksumsFor?.(record.accountId, record.bucket)) ?? false;
  const onBytes = (received: number) => {
    io.alive();
    control.progress(received);
  };
  const answer = await leanGetSmall(
    client,
    record.bucket,
    record.key,
    { checksums, maxBytes: SMALL_FILE_BYTES, onBytes },
    io.signal,
  );
  if (answer === 'not-lean') return 'not-lean';
  if (answer.bytes === undefined) return undefined;
  const facts = factsOf(
    getOutputOf((name) => answer.head.headers[name]),
    undefined,
  );
  adopt(spec, control, facts);
  return { facts, bytes: answer.bytes };
}

/**
 * The download takes what the service said of the object (HEAD or GET): an ETag other than
 * the one an earlier run saw means the object changed, and its chunks on disk are discarded.
 */
async function learn(spec: DownloadSpec, control: RunControl, facts: ObjectFacts): Promise<void> {
  if (spec.etag !== null && spec.etag !== facts.etag) {
    await discardDownload(spec);
    control.note('The object changed on the server since the download began, so it started again.');
  }
  adopt(spec, control, facts);
}

/** The download records the object's facts, and its total. */
function adopt(spec: DownloadSpec, control: RunControl, facts: ObjectFacts): void {
  spec.etag = facts.etag;
  spec.size = facts.size;
  spec.lastModified = facts.lastModified;
  spec.customerKey = facts.customerKey !== undefined;
  control.setTotal(facts.size);
}

/** The download's file is at `placed`: the record says so, and the file gets the object's time. */
async function finishPlaced(
  record: TransferRecord,
  spec: DownloadSpec,
  control: RunControl,
  head: { size: number; lastModified: string | null },
  placed: string,
  options: { timeSet?: boolean } = {},
): Promise<'finished'> {
  if (placed !== record.localPath) {
    record.localPath = placed;
    record.name = basename(placed);
    control.note(`Saved as "${record.name}": the name was taken.`);
  }
  spec.tempPath = null;
  spec.doneChunks = [];
  if (head.lastModified && !options.timeSet) {
    const when = new Date(head.lastModified);
    await utimes(placed, when, when).catch(() => undefined);
  }
  control.progress(head.size);
  return 'finished';
}

/**
 * Where an earlier run of this transfer put its file, if it did and died before the journal
 * said so: a path (the wanted one, or one of its "keep both" numbers, taken in order, so the
 * search stops at the first free one) that is the very file of its temporary path (the two
 * names are one file until the journal says the download finished, see putInPlace); 'free'
 * when nothing is at the wanted path.
 */
async function placedEarlier(
  wanted: string,
  transferId: string,
  folderNames: FolderNames | undefined,
): Promise<{ path: string; temp: string } | 'free' | undefined> {
  // Nothing there when the folder was read (an earlier process's file would have been), nor put
  // there by this process since: free, with no lstat of its own.
  if (await folderNames?.absent(wanted)) return 'free';
  for (let n = 0; n < 10_000; n += 1) {
    const path = n === 0 ? wanted : join(dirname(wanted), numberedName(basename(wanted), n));
    const there = await lstat(path).catch(() => undefined);
    // 'free': nothing is at the wanted path, which the caller need not look at again.
    if (!there) return n === 0 ? 'free' : undefined;
    if (!there.isFile() || there.nlink < 2) continue;
    const temp = temporaryPathFor(path, transferId);
    const linked = await lstat(temp).catch(() => undefined);
    if (linked && linked.ino === there.ino && linked.dev === there.dev) return { path, temp };
  }
  return undefined;
}

/** Removes a finished download's temporary file, once the journal says it finished (see putInPlace). */
export async function removeLeftover(spec: DownloadSpec): Promise<void> {
  // Only ever the app's own temporary file (a journal edited by hand must not make it delete anything else).
  // unlink, not rm: one file-system call, not two (rm looks first), for each file of a folder.
  if (spec.leftover?.endsWith('.s3fm-part')) {
    await unlink(spec.leftover).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
  delete spec.leftover;
}

/** What a HEAD or a GET says of an object. */
interface ObjectFacts {
  size: number;
  etag: string;
  lastModified: string | null;
  /** The SSE-C key's headers, when the object needed them. */
  customerKey: CustomerKeyHeaders | undefined;
  /** Whether the ETag is the MD5 of the bytes (plain and SSE-S3 objects uploaded in one piece). */
  etagIsMd5: boolean;
  /**
   * The SHA-256 of the whole object's bytes (base64) as the service stored it, where the HEAD or
   * the whole GET asked for it and it is one (not a multipart upload's composite "-N"): checked
   * in place of the MD5, at less than half its cost, and for objects whose ETag is no MD5 too.
   */
  sha256: string | undefined;
  /**
   * The CRC32 of the whole object's bytes (base64 of its 4 bytes) as the service stored it (AWS's
   * SDKs and CLI send one with every upload by default), where it is the whole object's: checked
   * where no SHA-256 is, in place of the MD5 (at a sixth of its cost), and for objects whose ETag
   * is no MD5 (parts stored with a FULL_OBJECT checksum, SSE-KMS) too.
   */
  crc32: string | undefined;
}

/**
 * The object's stored SHA-256 where the service gave one (less than half MD5's cost here, and
 * it holds for objects whose ETag is no MD5); otherwise its stored CRC32 (a sixth of MD5's
 * cost); otherwise the ETag where it is the MD5; otherwise none (the size is checked).
 */
function checkOf(facts: ObjectFacts): BytesCheck | undefined {
  if (facts.sha256 !== undefined) return { algorithm: 'sha256', encoding: 'base64', expected: facts.sha256 };
  if (facts.crc32 !== undefined) return { algorithm: 'crc32', encoding: 'base64', expected: facts.crc32 };
  if (facts.etagIsMd5) return { algorithm: 'md5', encoding: 'hex', expected: facts.etag };
  return undefined;
}

/** The facts in a HEAD's or a whole GET's response headers. */
function factsOf(
  output: {
    ContentLength?: number | undefined;
    ETag?: string | undefined;
    LastModified?: Date | undefined;
    ServerSideEncryption?: string | undefined;
    ChecksumSHA256?: string | undefined;
    ChecksumCRC32?: string | undefined;
    ChecksumType?: string | undefined;
  },
  customerKey: CustomerKeyHeaders | undefined,
): ObjectFacts {
  const etag = plainEtag(output.ETag);
  const kms = typeof output.ServerSideEncryption === 'string' && output.ServerSideEncryption.startsWith('aws:kms');
  const stored = output.ChecksumSHA256;
  // A whole object's digest: 44 characters of base64 with no "-N", not said to be COMPOSITE, and
  // not of an object uploaded in parts (whose SHA-256, if any, is the parts' composite).
  const wholeSha256 =
    stored !== undefined &&
    /^[A-Za-z0-9+/]{43}=$/.test(stored) &&
    (output.ChecksumType ?? 'FULL_OBJECT') === 'FULL_OBJECT' &&
    !isMultipartEtag(etag);
  // A CRC32 can be a multipart upload's whole object's (S3 combines the parts' CRCs): taken from
  // parts only where the service says FULL_OBJECT; a composite one ("-N", COMPOSITE) never.
  const crc = output.ChecksumCRC32;
  const wholeCrc32 =
    crc !== undefined &&
    /^[A-Za-z0-9+/]{6}==$/.test(crc) &&
    (output.ChecksumType === 'FULL_OBJECT' || (output.ChecksumType === undefined && !isMultipartEtag(etag)));
  return {
    sha256: wholeSha256 ? stored : undefined,
    crc32: wholeCrc32 ? crc : undefined,
    size: output.ContentLength ?? 0,
    etag,
    lastModified: output.LastModified?.toISOString() ?? null,
    customerKey,
    etagIsMd5:
      etag !== '' && !isMultipartEtag(etag) && !kms && customerKey === undefined && /^[0-9a-f]{32}$/.test(etag),
  };
}

/** The account's SSE-C key as request headers; says in words that none is stored. */
async function customerKeyFor(deps: DownloadDependencies, record: TransferRecord): Promise<CustomerKeyHeaders> {
  try {
    return await customerKeyHeaders(deps.customerKeys, record.accountId);
  } catch (error) {
    if (error instanceof AppFailure && error.code === 'invalid-input') {
      throw new AppFailure(
        'invalid-input',
        'This object is encrypted with a customer key (SSE-C), and none is stored for this account. Add the key in the account settings.',
      );
    }
    throw error;
  }
}

/**
 * Sends a request for the object without the customer key unless the object is known to need
 * it; an object that needs it answers 400, and is asked again with the key.
 */
async function withCustomerKeyIfNeeded<T>(
  known: boolean,
  deps: DownloadDependencies,
  record: TransferRecord,
  send: (headers: CustomerKeyHeaders | undefined) => Promise<T>,
): Promise<{ output: T; customerKey: CustomerKeyHeaders | undefined }> {
  let customerKey = known ? await customerKeyFor(deps, record) : undefined;
  try {
    return { output: await send(customerKey), customerKey };
  } catch (error) {
    if (customerKey !== undefined || statusOf(error) !== 400) throw error;
    customerKey = await customerKeyFor(deps, record);
    return { output: await send(customerKey), customerKey };
  }
}

/** Size, ETag and encryption of the object; with the customer key when the object needs it (SSE-C). */
async function headObject(
  client: S3Client,
  record: TransferRecord,
  spec: DownloadSpec,
  control: RunControl,
  deps: DownloadDependencies,
): Promise<ObjectFacts> {
  const checksums = (await deps.checksumsFor?.(record.accountId, record.bucket)) ?? false;
  const { output, customerKey } = await withCustomerKeyIfNeeded(spec.customerKey, deps, record, (headers) =>
    withRetries(control, (io) =>
      client.send(
        singleAttempt(
          new HeadObjectCommand({
            Bucket: record.bucket,
            Key: record.key,
            ...(spec.versionId ? { VersionId: spec.versionId } : {}),
            ...(headers ?? {}),
            // The object's stored SHA-256, to check the bytes by (see checkOf).
            ...(checksums ? { ChecksumMode: 'ENABLED' as const } : {}),
          }),
        ),
        { abortSignal: io.signal },
      ),
    ),
  );
  return factsOf(output, customerKey);
}

/** The final local path as the person chose for conflicts; undefined to skip. */
async function resolveLocalPath(
  wanted: string,
  spec: DownloadSpec,
  record: TransferRecord,
  control: RunControl,
  claims: PathClaims,
  wantedFree = false,
): Promise<string | undefined> {
  const taken = async (path: string) =>
    claims.isClaimed(path, record.id) || (!(wantedFree && path === wanted) && (await exists(path)));
  if (!(await taken(wanted))) return wanted;
  if (spec.onConflict === 'replace') {
    control.note('Replaces the file that was there.');
    return wanted;
  }
  if (spec.onConflict === 'skip') {
    control.note('Skipped: a file with this name exists.');
    return undefined;
  }
  for (let n = 1; n < 10_000; n += 1) {
    const candidate = join(dirname(wanted), numberedName(basename(wanted), n));
    if (!(await taken(candidate))) {
      control.note(`Saved as "${basename(candidate)}": the name was taken.`);
      return candidate;
    }
  }
  throw new AppFailure('conflict', `No free name was found for ${wanted}.`);
}

/** Writes a download makes: of Buffers Node's HTTP client made (counted for the young collector), and of the socket path's reused batches. */
interface DownloadWrites {
  received: NonNullable<DownloadDependencies['writeAt']>;
  reused: NonNullable<DownloadDependencies['writeAt']>;
}

/**
 * Fetches a whole object of up to the threshold in one GET (no Range, no If-Match: one response
 * is one version of the object) into the temporary file, its digest (checkOf) computed as it is written.
 * Learns the object's facts from the response's headers.
 */
async function fetchWhole(
  client: S3Client,
  record: TransferRecord,
  spec: DownloadSpec & { tempPath: string },
  control: RunControl,
  deps: DownloadDependencies,
  writes: DownloadWrites,
): Promise<{ facts: ObjectFacts; digest: string | undefined }> {
  const { handle, created } = await openTemp(spec.tempPath);
  try {
    spec.doneChunks = [];
    let knownKey = false;
    return await withRetries(control, async (io, attempt) => {
      // Each attempt writes the whole object from its first byte; a retry (or a file left by an
      // earlier run) may hold more than this version of the object: emptied first.
      if (!created || attempt > 0) await handle.truncate(0);
      // An object of more than a small one's size (as listed) off a socket of its own where the
      // client allows, as the ranges of a large one (socket-range.ts); small ones keep the
      // client's kept-alive connections (not a new connection, over HTTPS a handshake, for a few KiB).
      if (!knownKey && !spec.versionId && !isSmall(spec.size)) {
        try {
          const lean = await wholeOffSocket(client, record, spec, control, deps, handle, writes.reused, io);
          if (lean !== undefined) return lean;
        } catch (error) {
          // The object may need the account's customer key (SSE-C): asked again with it below.
          if (statusOf(error) !== 400) throw error;
          knownKey = true;
        }
      }
      const { output, customerKey } = await getWholeObject(client, record, spec, deps, knownKey, io.signal);
      knownKey = customerKey !== undefined;
      const facts = factsOf(output, customerKey);
      // Each attempt writes the whole object from its first byte: nothing to discard.
      adopt(spec, control, facts);
      const body = output.Body as Readable | undefined;
      if (!body) throw new AppFailure('network', 'The service sent no data.');
      const stop = () => body.destroy(new Error('aborted'));
      io.signal.addEventListener('abort', stop, { once: true });
      const check = checkOf(facts);
      const hash = check && bytesDigest(check);
      let position = 0;
      const writer = positionalWriter(handle, 0, facts.size, writes.received, hash, (written) => {
        io.alive();
        position = written;
        control.progress(written);
      });
      try {
        await pipeline(body, writer);
      } finally {
        io.signal.removeEventListener('abort', stop);
        body.destroy();
      }
      if (position !== facts.size) throw new AppFailure('network', 'The download was cut short.');
      return { facts, digest: check && hash?.digest() };
    });
  } finally {
    await handle.close();
  }
}

/**
 * One attempt at a whole object off a socket of its own (leanGetWhole) into `handle` (empty, or
 * to be written over from its start): its facts from the answer's head, its digest as it is
 * written. Undefined when the client or the answer leaves it to the SDK (nothing written).
 */
async function wholeOffSocket(
  client: S3Client,
  record: TransferRecord,
  spec: DownloadSpec,
  control: RunControl,
  deps: DownloadDependencies,
  handle: FileHandle,
  writeAt: NonNullable<DownloadDependencies['writeAt']>,
  io: { signal: AbortSignal; alive: () => void },
): Promise<{ facts: ObjectFacts; digest: string | undefined } | undefined> {
  const checksums = (await deps.checksumsFor?.(record.accountId, record.bucket)) ?? false;
  let facts: ObjectFacts | undefined;
  let check: BytesCheck | undefined;
  let hash: BytesDigest | undefined;
  let written = 0;
  const lean = await leanGetWhole(client, record.bucket, record.key, { checksums }, io.signal, {
    begin: (head) => {
      facts = factsOf(
        getOutputOf((name) => head.headers[name]),
        undefined,
      );
      adopt(spec, control, facts);
      check = checkOf(facts);
      hash = check && bytesDigest(check);
    },
    write: async (bytes, at) => {
      // In order: one connection brings the object front to back.
      hash?.update(bytes);
      await writeAt(handle, [bytes], at);
      written += bytes.length;
      io.alive();
      control.progress(written);
    },
  });
  if (lean === 'not-lean' || facts === undefined) return undefined;
  if (written !== facts.size) throw new AppFailure('network', 'The download was cut short.');
  return { facts, digest: check && hash?.digest() };
}

/**
 * Fills the temporary file: the chunks not on disk yet, in parallel ranged GETs (one GET for a
 * small object). `writes.received` writes Buffers Node's HTTP client made (counted for the young
 * collector, which frees them); `writes.reused` the socket path's own reused batches (nothing to free).
 */
async function fetchInto(
  client: S3Client,
  record: TransferRecord,
  spec: DownloadSpec & { tempPath: string },
  control: RunControl,
  customerKey: CustomerKeyHeaders | undefined,
  writes: DownloadWrites,
  check: BytesCheck | undefined,
): Promise<string | undefined> {
  const size = spec.size ?? 0;
  const { handle, created } = await openTemp(spec.tempPath);
  try {
    if (created) spec.doneChunks = [];
    if (size === 0) return undefined;
    if (spec.chunkSize === null) {
      const threshold = control.settings.multipartThresholdMiB * MiB;
      spec.chunkSize =
        size > threshold ? partSizeFor(size, Math.max(control.settings.partSizeMiB, DOWNLOAD_RANGE_MIB)) : size;
    }
    const chunkSize = spec.chunkSize;
    const count = partCount(size, chunkSize);
    const done = new Set(spec.doneChunks.filter((index) => index < count));
    const missing = Array.from({ length: count }, (_, i) => i).filter((index) => !done.has(index));
    let confirmed = [...done].reduce((sum, index) => {
      const { start, end } = partRange(index + 1, chunkSize, size);
      return sum + (end - start);
    }, 0);
    const inFlight = new Map<number, number>();
    const report = () => {
      let moving = 0;
      for (const bytes of inFlight.values()) moving += bytes;
      control.progress(confirmed + moving);
    };
    report();
    // An object fetched in one GET has nothing to resume from (it is fetched again whole): no
    // chunk journal, no datasync, and its digest is computed as it is written.
    const single = count === 1;
    const journal = single ? undefined : chunkJournal(handle, spec, control);
    let hash: BytesDigest | undefined;
    // Ranges of an object checked by a CRC32: each range's CRC32 computed as it comes, combined
    // in order at the end (crc32.ts), so the file is not read back for its check.
    const rangeCrcs = !single && check?.algorithm === 'crc32' ? new Map<number, string>() : undefined;
    try {
      await fetchChunks();
    } catch (error) {
      // What was written is on disk and in the journal after a failure or a pause, to resume from.
      await journal?.settle();
      throw error;
    }
    // Complete: the file is checked and put in place next, so the chunks written since the last
    // commit are not made durable first (one datasync of up to a second's data, 160 ms of a
    // 256 MiB download); a crash before the file is in place fetches them again.
    await journal?.finish();
    if (rangeCrcs) return await wholeCrc32(handle, { count, chunkSize, size }, rangeCrcs);
    return check && hash?.digest();
    async function fetchChunks() {
      await runPool(missing, control.settings.partsInParallel, control.signal, async (index, signal) => {
        const { start, end } = partRange(index + 1, chunkSize, size);
        await withRetries({ ...control, signal }, async (io) => {
          inFlight.set(index, 0);
          report();
          // The whole object's digest when it is the only range, else this range's CRC32 (see
          // rangeCrcs): each range its own (they run in parallel), from its first byte.
          const freshDigest = () =>
            check === undefined
              ? undefined
              : single
                ? (hash = bytesDigest(check))
                : rangeCrcs
                  ? bytesDigest(check)
                  : undefined;
          let digestHere = freshDigest();
          // A range off a socket of its own where the client allows (no customer key or version
          // to send): without Node's HTTP parser (socket-range.ts). One range is the whole
          // object, its digest computed as it comes (in order, on one connection).
          if (!customerKey && !spec.versionId) {
            let written = 0;
            const lean = await leanGetRange(
              client,
              record.bucket,
              record.key,
              { start, end, ...(spec.etag ? { ifMatch: `"${spec.etag}"` } : {}) },
              io.signal,
              {
                write: async (bytes, at) => {
                  digestHere?.update(bytes);
                  await writes.reused(handle, [bytes], at);
                  written += bytes.length;
                  io.alive();
                  inFlight.set(index, written);
                  report();
                },
              },
            ).catch((error: unknown) => {
              throw statusOf(error) === 412 ? new ObjectChanged() : error;
            });
            if (lean === 'done') {
              if (written !== end - start) throw new AppFailure('network', 'The download was cut short.');
              if (rangeCrcs && digestHere) rangeCrcs.set(index, digestHere.digest());
              return;
            }
          }
          let output;
          try {
            output = await client.send(
              singleAttempt(
                new GetObjectCommand({
                  Bucket: record.bucket,
                  Key: record.key,
                  ...(spec.versionId ? { VersionId: spec.versionId } : {}),
                  // A whole small object is asked for as a range too: the same path, and If-Match below.
                  Range: `bytes=${start}-${end - 1}`,
                  ...(spec.etag ? { IfMatch: `"${spec.etag}"` } : {}),
                  ...(customerKey ?? {}),
                }),
              ),
              { abortSignal: io.signal },
            );
          } catch (error) {
            if (statusOf(error) === 412) throw new ObjectChanged();
            throw error;
          }
          const body = output.Body as Readable | undefined;
          if (!body) throw new AppFailure('network', 'The service sent no data.');
          const stop = () => body.destroy(new Error('aborted'));
          io.signal.addEventListener('abort', stop, { once: true });
          let position = start;
          digestHere = freshDigest();
          const writer = positionalWriter(handle, start, end, writes.received, digestHere, (written) => {
            io.alive();
            position = written;
            inFlight.set(index, written - start);
            report();
          });
          try {
            await pipeline(body, writer);
          } finally {
            io.signal.removeEventListener('abort', stop);
            body.destroy();
          }
          if (position !== end) throw new AppFailure('network', 'The download was cut short.');
          if (rangeCrcs && digestHere) rangeCrcs.set(index, digestHere.digest());
        }).finally(() => inFlight.delete(index));
        confirmed += end - start;
        report();
        journal?.written(index);
      });
    }
  } finally {
    await handle.close();
  }
}

/** How often at most a download makes its written chunks durable and journals them. */
const CHUNK_COMMIT_MS = 1000;

/**
 * Journals a download's chunks only once they are on disk (a resumed download trusts the chunks
 * the journal lists), in groups: one datasync for the chunks written in the last second, not one
 * per chunk. On a disk, a datasync per 8 MiB made the file wait for the disk at every chunk;
 * a crash now fetches at most a second's chunks again.
 */
function chunkJournal(handle: FileHandle, spec: DownloadSpec, control: RunControl) {
  let waiting: number[] = [];
  let committing: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const later = () => {
    timer ??= setTimeout(() => void commit().catch(() => undefined), CHUNK_COMMIT_MS);
    timer.unref();
  };
  const commit = (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    committing ??= (async () => {
      const chunks = waiting;
      waiting = [];
      await handle.datasync();
      spec.doneChunks.push(...chunks);
      control.persist();
    })().finally(() => {
      committing = undefined;
      if (waiting.length > 0) later();
    });
    return committing;
  };
  return {
    /** A chunk is written: it is journaled with the next group. */
    written(index: number) {
      waiting.push(index);
      if (!committing) later();
    },
    /** The download is complete: a commit in flight ends; the chunks not committed stay unjournaled (see fetchInto). */
    async finish() {
      await committing?.catch(() => undefined);
      clearTimeout(timer);
      timer = undefined;
      waiting = [];
    },
    /** Makes every written chunk durable and journaled now (when the download stops before its end). */
    async settle() {
      await committing?.catch(() => undefined);
      if (waiting.length > 0) await commit();
      clearTimeout(timer);
      timer = undefined;
    },
  };
}

/**
 * Moves the verified temporary file to its final path. "Replace" renames over what is there
 * (a crash before the journal says so only means it is fetched and renamed over again); the
 * others link without overwriting (a file that appeared meanwhile is never clobbered): "keep
 * both" then takes the next free number, "skip" drops the download. A linked temporary file
 * stays until the journal says the download finished (removeLeftover): unlinked before, a crash
 * would leave a restart no way to know the file is in place, and it would fetch it again as
 * "name (1)".
 */
async function putInPlace(
  temp: string,
  final: string,
  onConflict: DownloadSpec['onConflict'],
): Promise<{ path: string; linked: boolean } | undefined> {
  if (onConflict === 'replace') {
    await rename(temp, final);
    return { path: final, linked: false };
  }
  let candidate = final;
  for (let n = 1; n < 10_000; n += 1) {
    try {
      await link(temp, candidate);
      return { path: candidate, linked: true };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      let taken = code === 'EEXIST';
      if (!taken && code !== undefined && NO_LINKS.includes(code)) {
        // A file system without hard links (FAT, exFAT): check, then rename.
        taken = await exists(candidate);
        if (!taken) {
          await rename(temp, candidate);
          return { path: candidate, linked: false };
        }
      }
      if (!taken) throw error;
      if (onConflict === 'skip') {
        await rm(temp, { force: true });
        return undefined;
      }
      candidate = join(dirname(final), numberedName(basename(final), n));
    }
  }
  throw new AppFailure('conflict', `No free name was found for ${final}.`);
}

/** Deletes a download's temporary file (the app's own, never the person's files) and forgets its chunks. */
export async function discardDownload(spec: DownloadSpec): Promise<void> {
  // Only ever the app's own temporary file (a journal edited by hand must not make it delete anything else).
  if (spec.tempPath && spec.tempPath.endsWith('.s3fm-part')) await rm(spec.tempPath, { force: true });
  spec.doneChunks = [];
  spec.chunkSize = null;
  spec.etag = null;
}
