import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { AppFailure } from '../app-failure';
import { crc32Of } from './crc32';
import { createLocalVolumes, type LocalVolumes } from './local-volumes';
import { CRC32_IN_WORKER, nativeCrc32Path } from './native-crc32';

/** A piece of a file read for an upload, with what it is sent with. */
export interface ReadPart {
  /** The bytes (a view on the buffer given to {@link PartReader.read}). */
  bytes: Buffer;
  /** The MD5 (Content-MD5), where it was asked for. */
  md5: Buffer | undefined;
  /** The SHA-256 (x-amz-checksum-sha256, or the payload hash the request is signed with), unless CRC32 alone was asked for. */
  sha256: Buffer | undefined;
  /** The CRC32 (x-amz-checksum-crc32, 4 bytes), where it was asked for (instead of the SHA-256, or beside it: see DigestRequest). */
  crc32: Buffer | undefined;
}

/**
 * The digests a read computes: the MD5 where asked for; the SHA-256, or the CRC32 instead of it
 * (an upload over TLS: see upload-checksum.ts), or both (`sha256` with `crc32`: a whole body over
 * plain HTTP, its CRC32 stored and its SHA-256 signed).
 */
export interface DigestRequest {
  md5: boolean;
  /** The CRC32, instead of the SHA-256 unless `sha256` asks for it too. */
  crc32?: boolean | undefined;
  /** The SHA-256 beside the CRC32 (without `crc32` it is always computed). */
  sha256?: boolean | undefined;
}

/** Whether a request's digests include the SHA-256 (see DigestRequest): the one place that rule is read. */
export function computesSha256(request: DigestRequest): boolean {
  return !request.crc32 || request.sha256 === true;
}

/** What a read asks for. */
export interface PartRequest extends DigestRequest {
  handle: FileHandle;
  /** The file's path, for the error when it got shorter. */
  path: string;
  position: number;
  length: number;
  /** Where the bytes go: a whole ArrayBuffer of at least `length` bytes, handed over until the read ends. */
  into: ArrayBuffer;
}

/** A whole small file read for one PutObject, and what its descriptor said before and after the read. */
export interface ReadFile extends ReadPart {
  /** The file's modification time when it was opened. */
  mtimeMs: number;
  /** Its size or time changed while it was read: the bytes may mix two versions. */
  changed: boolean;
  /**
   * Gives the bytes' memory back to the reader for the next file (see WholeFilePool), once
   * nothing reads them any more (the PUT answered, or given up); once only, later calls do
   * nothing. Undefined when the bytes are a buffer of their own, left to the collector.
   */
  release?: () => void;
}

/** Reads pieces of files and hashes them off the event loop. */
export interface PartReader {
  read(request: PartRequest): Promise<ReadPart>;
  /**
   * Reads a whole file (open, fstat, read, fstat, close, hash) in one trip to a worker: for a
   * folder of small files, five file-system calls and two digests per file no longer each
   * take a turn of the event loop. A file expected at most ON_THE_SPOT_BYTES long, on a local
   * disk, is read at once on this thread instead (see readAtOnce). Undefined when it is not a
   * regular file or over `maxBytes`.
   */
  readFile(
    request: DigestRequest & {
      path: string;
      maxBytes: number;
      /** The size the file had when it was queued, if known. */
      expectedBytes?: number;
      /**
       * Whose upload it is (the account): a pooled buffer is used again only for the same owner's
       * files (see WholeFilePool). Without one, the file gets a buffer of its own.
       */
      owner?: string;
    },
  ): Promise<ReadFile | undefined>;
  /**
   * Starts the workers now (an upload of files of these sizes is about to be queued), so that
   * the first read does not wait for them; none when every file is small enough to be read at
   * once (a worker costs 30-60 ms of CPU to start, a tenth of a 500-small-file upload's).
   */
  warm(sizes: Iterable<number>): void;
}

/** Below this size a piece is read and hashed on the spot: a trip to a worker costs more than it saves. */
const ON_THE_SPOT_BYTES = 256 * 1024;

/** Whether a whole file of this size, on a local disk, is read at once on this thread (see readAtOnce). */
function readsAtOnce(bytes: number): boolean {
  return bytes <= ON_THE_SPOT_BYTES;
}

/**
 * Whether an upload of files of these sizes reads any in a worker: one too large to read at once
 * (read whole there, or in parts). A smaller one on a file system not known to be local is read
 * there too, but that is rare, and it starts the worker on first use.
 */
function readsInWorkers(sizes: Iterable<number>): boolean {
  for (const size of sizes) if (!readsAtOnce(size)) return true;
  return false;
}

/**
 * The worker's code (CommonJS, run with `eval`: no file of its own to bundle or find, in
 * Electron, web mode and tests alike). It reads with the main thread's file descriptor (worker
 * threads share the process's descriptors), hashes, and hands the buffer back without a copy.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { openSync, fstatSync, readSync, closeSync, constants } = require('node:fs');
const { createHash } = require('node:crypto');
${CRC32_IN_WORKER}
// The SHA-256 and the CRC32 (4 bytes, most significant first), each where asked for (computesSha256 decides the first).
function checksums(bytes, useCrc32, useSha256) {
  const sums = {};
  if (useSha256) sums.sha256 = createHash('sha256').update(bytes).digest();
  if (useCrc32) {
    sums.crc32 = Buffer.alloc(4);
    sums.crc32.writeUInt32BE(crc32(bytes) >>> 0);
  }
  return sums;
}
function readWhole({ id, path, md5, crc32: useCrc32, sha256: useSha256, maxBytes, into }) {
  let fd;
  // The buffer the main thread lent (a pooled one) goes back with every answer.
  const lent = into ? [into] : [];
  try {
    // O_NONBLOCK: a FIFO given as a file must not hold the worker waiting for a writer (regular files ignore it).
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK || 0));
    const before = fstatSync(fd);
    if (!before.isFile() || before.size > maxBytes) {
      parentPort.postMessage({ id, tooBig: true, size: before.size, spare: into }, lent);
      return;
    }
    // Into the lent buffer when the file fits (it grew since it was queued: a buffer of its own).
    const fits = into !== undefined && into.byteLength >= before.size;
    const buffer = fits ? into : new ArrayBuffer(before.size);
    const bytes = new Uint8Array(buffer, 0, before.size);
    let offset = 0;
    while (offset < before.size) {
      const read = readSync(fd, bytes, offset, before.size - offset, offset);
      if (read === 0) break;
      offset += read;
    }
    const after = fstatSync(fd);
    const changed = offset < before.size || after.size !== before.size || after.mtimeMs !== before.mtimeMs;
    const sums = checksums(bytes.subarray(0, offset), useCrc32, useSha256);
    const md5Digest = md5 ? createHash('md5').update(bytes.subarray(0, offset)).digest() : undefined;
    const spare = fits ? undefined : into;
    parentPort.postMessage({ id, buffer, lent: fits, length: offset, mtimeMs: before.mtimeMs, changed, ...sums, md5: md5Digest, spare }, spare ? [buffer, spare] : [buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error), code: error && error.code, spare: into }, lent);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
parentPort.on('message', (message) => {
  if (message.path !== undefined) return readWhole(message);
  const { id, fd, position, length, md5, crc32: useCrc32, sha256: useSha256, buffer } = message;
  const bytes = new Uint8Array(buffer, 0, length);
  try {
    let offset = 0;
    while (offset < length) {
      const read = readSync(fd, bytes, offset, length - offset, position + offset);
      if (read === 0) break;
      offset += read;
    }
    if (offset < length) {
      parentPort.postMessage({ id, buffer, short: true }, [buffer]);
      return;
    }
    const sums = checksums(bytes, useCrc32, useSha256);
    const md5Digest = md5 ? createHash('md5').update(bytes).digest() : undefined;
    parentPort.postMessage({ id, buffer, ...sums, md5: md5Digest }, [buffer]);
  } catch (error) {
    parentPort.postMessage({ id, buffer, error: String(error && error.message || error) }, [buffer]);
  }
});
`;

interface WorkerAnswer {
  id: number;
  buffer?: ArrayBuffer;
  /** A lent buffer the read did not use, handed back. */
  spare?: ArrayBuffer;
  /** `buffer` is the lent one (the pool's), handed back. */
  lent?: boolean;
  short?: boolean;
  error?: string;
  code?: string;
  tooBig?: boolean;
  size?: number;
  length?: number;
  mtimeMs?: number;
  changed?: boolean;
  sha256?: Uint8Array;
  crc32?: Uint8Array;
  md5?: Uint8Array;
}

interface Pending {
  settle: (answer: WorkerAnswer) => void;
  reject: (error: unknown) => void;
}

/** Bytes with their digests computed on this thread (see DigestRequest). */
export function digestsOf(bytes: Buffer, request: DigestRequest): ReadPart {
  return {
    bytes,
    md5: request.md5 ? createHash('md5').update(bytes).digest() : undefined,
    sha256: computesSha256(request) ? createHash('sha256').update(bytes).digest() : undefined,
    crc32: request.crc32 ? crc32Of(bytes) : undefined,
  };
}

/** A worker's digests, as a ReadPart's. */
function answerDigests(answer: WorkerAnswer): Pick<ReadPart, 'md5' | 'sha256' | 'crc32'> {
  return {
    md5: answer.md5 ? Buffer.from(answer.md5) : undefined,
    sha256: answer.sha256 ? Buffer.from(answer.sha256) : undefined,
    crc32: answer.crc32 ? Buffer.from(answer.crc32) : undefined,
  };
}

/** Reads and hashes on the spot (small pieces, or where no worker can start). */
async function readOnTheSpot(request: PartRequest): Promise<ReadPart> {
  const bytes = Buffer.from(request.into, 0, request.length);
  await readFully(request.handle, bytes, request.position, request.path);
  return digestsOf(bytes, request);
}

/**
 * A small file on a local disk read whole at once, with the calls that block this thread: for
 * a file of a few KiB they take tens of µs, where the trip to a worker and back cost 0.1–0.2
 * ms of CPU per file on a 2-core VM (a folder of 500 files up: 452–471 ms of the process's CPU
 * against 516–559, see docs/benchmarks.md). 'elsewhere': read it as any other file: it is a
 * symbolic link (its target may be on any file system: O_NOFOLLOW refuses it), or it grew past
 * ON_THE_SPOT_BYTES since it was queued.
 */
function readAtOnce(request: DigestRequest & { path: string; maxBytes: number }): ReadFile | undefined | 'elsewhere' {
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO given as a file must not hold this thread waiting for a writer.
    fd = openSync(request.path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') return 'elsewhere';
    throw error;
  }
  try {
    const before = fstatSync(fd);
    if (!before.isFile() || before.size > request.maxBytes) return undefined;
    if (!readsAtOnce(before.size)) return 'elsewhere';
    const bytes = Buffer.allocUnsafe(before.size);
    let offset = 0;
    while (offset < bytes.length) {
      const read = readSync(fd, bytes, offset, bytes.length - offset, offset);
      if (read === 0) break;
      offset += read;
    }
    const after = fstatSync(fd);
    return {
      ...digestsOf(bytes.subarray(0, offset), request),
      mtimeMs: before.mtimeMs,
      changed: offset < before.size || after.size !== before.size || after.mtimeMs !== before.mtimeMs,
    };
  } finally {
    closeSync(fd);
  }
}

/** A whole file read on the main thread (where no worker can run). */
async function readWholeOnTheSpot(
  request: DigestRequest & { path: string; maxBytes: number },
): Promise<ReadFile | undefined> {
  const handle = await open(request.path, 'r');
  try {
    const before = await handle.stat();
    if (!before.isFile() || before.size > request.maxBytes) return undefined;
    const part = await readOnTheSpot({
      handle,
      path: request.path,
      position: 0,
      length: before.size,
      md5: request.md5,
      crc32: request.crc32,
      sha256: request.sha256,
      into: new ArrayBuffer(before.size),
    });
    const after = await handle.stat();
    return {
      ...part,
      mtimeMs: before.mtimeMs,
      changed: after.size !== before.size || after.mtimeMs !== before.mtimeMs,
    };
  } finally {
    await handle.close();
  }
}

/** Reads exactly `buffer.length` bytes at `position`; a file that got shorter fails clearly. */
export async function readFully(handle: FileHandle, buffer: Buffer, position: number, path: string): Promise<void> {
  let offset = 0;
  while (offset < buffer.length) {
    const { bytesRead } = await handle.read(buffer, offset, buffer.length - offset, position + offset);
    if (bytesRead === 0) throw shorter(path);
    offset += bytesRead;
  }
}

function shorter(path: string): AppFailure {
  return new AppFailure('conflict', `The file ${path} got shorter while it was uploading. Upload it again.`);
}

/**
 * A part reader over a few worker threads (one per core beyond the first, at most `maxWorkers`),
 * started on first use and unref'd (they never keep the app running). Reading and hashing a
 * part there, while the event loop sends the previous one, took an upload's main thread from
 * doing three passes over every byte (read, MD5, SHA-256) to none.
 */
export function createPartReader(
  maxWorkers = 2,
  volumes: LocalVolumes = createLocalVolumes(),
  wholeFiles: WholeFilePool = createWholeFilePool(),
): PartReader {
  const size = Math.max(1, Math.min(maxWorkers, availableParallelism() - 1));
  const workers: { worker: Worker; busy: number }[] = [];
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let broken = false;

  const settle = (answer: WorkerAnswer) => {
    const entry = pending.get(answer.id);
    if (!entry) return;
    pending.delete(answer.id);
    entry.settle(answer);
  };

  const start = () => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { crc32Module: nativeCrc32Path() } });
    const slot = { worker, busy: 0 };
    worker.on('message', (answer: WorkerAnswer) => {
      slot.busy -= 1;
      if (slot.busy === 0) worker.unref();
      settle(answer);
    });
    worker.on('error', () => {
      // A worker that died cannot hand buffers back: its reads fail, and reads go on the spot from now on.
      broken = true;
      for (const [id, entry] of pending) {
        pending.delete(id);
        entry.reject(new AppFailure('internal', 'Reading the file for its upload failed. Try again.'));
      }
    });
    // Ref'd only while it has reads to answer (after the listeners: adding one refs it again), so
    // an idle worker never keeps the app running, and a pending read keeps it alive until answered.
    worker.unref();
    workers.push(slot);
    return slot;
  };

  const leastBusy = () => {
    const idle = workers.find((slot) => slot.busy === 0);
    if (idle) return idle;
    if (workers.length < size) return start();
    return workers.reduce((a, b) => (b.busy < a.busy ? b : a));
  };

  /** Sends a job to the least busy worker; `settle` reads its answer. */
  const ask = (
    message: object,
    transfer: ArrayBuffer[],
    settle: (answer: WorkerAnswer) => void,
    reject: (error: unknown) => void,
  ) => {
    const id = nextId++;
    pending.set(id, { settle, reject });
    const slot = leastBusy();
    if (slot.busy === 0) slot.worker.ref();
    slot.busy += 1;
    slot.worker.postMessage({ ...message, id }, transfer);
  };

  return {
    read(request) {
      if (request.length < ON_THE_SPOT_BYTES || broken) return readOnTheSpot(request);
      if (request.into.byteLength < request.length) {
        return Promise.reject(new AppFailure('internal', 'A part buffer is smaller than its part.'));
      }
      return new Promise<ReadPart>((resolve, reject) => {
        const message = {
          fd: request.handle.fd,
          position: request.position,
          length: request.length,
          md5: request.md5,
          crc32: request.crc32 === true,
          sha256: computesSha256(request),
          buffer: request.into,
        };
        ask(
          message,
          [request.into],
          (answer) => {
            if (answer.short) reject(shorter(request.path));
            else if (answer.error !== undefined || !answer.buffer) reject(new Error(answer.error));
            else {
              resolve({
                // The buffer came back (it was handed over): the caller's `into` is this very memory again.
                bytes: Buffer.from(answer.buffer, 0, request.length),
                ...answerDigests(answer),
              });
            }
          },
          reject,
        );
      });
    },

    warm(sizes) {
      if (!readsInWorkers(sizes)) return;
      try {
        while (!broken && workers.length < size) start();
      } catch {
        // A worker that cannot start now is started, or read around, on first use.
      }
    },

    async readFile(request) {
      if (
        request.expectedBytes !== undefined &&
        readsAtOnce(request.expectedBytes) &&
        (await volumes.isLocal(request.path))
      ) {
        const read = readAtOnce(request);
        if (read !== 'elsewhere') return read;
      }
      if (broken) return readWholeOnTheSpot(request);
      const owner = request.owner;
      const into =
        request.expectedBytes === undefined || owner === undefined
          ? undefined
          : wholeFiles.take(request.expectedBytes, owner);
      return new Promise<ReadFile | undefined>((resolve, reject) => {
        ask(
          {
            path: request.path,
            md5: request.md5,
            crc32: request.crc32 === true,
            sha256: computesSha256(request),
            maxBytes: request.maxBytes,
            into,
          },
          into ? [into] : [],
          (answer) => {
            if (answer.spare && owner !== undefined) wholeFiles.give(answer.spare, owner);
            if (answer.tooBig) {
              resolve(undefined);
            } else if (answer.error !== undefined || !answer.buffer) {
              reject(Object.assign(new Error(answer.error), answer.code ? { code: answer.code } : {}));
            } else {
              const buffer = answer.buffer;
              let released = false;
              resolve({
                bytes: Buffer.from(buffer, 0, answer.length ?? 0),
                ...answerDigests(answer),
                mtimeMs: answer.mtimeMs ?? 0,
                changed: answer.changed === true,
                // Only a lent buffer goes back to the pool (one the worker made for a grown file is the collector's).
                ...(answer.lent === true && owner !== undefined
                  ? {
                      release: () => {
                        if (!released) wholeFiles.give(buffer, owner);
                        released = true;
                      },
                    }
                  : {}),
              });
            }
          },
          reject,
        );
      });
    },
  };
}

/** A few buffers of one size, reused from part to part (no new memory, and no page faults, per part). */
export interface BufferPool {
  take(): ArrayBuffer;
  give(buffer: ArrayBuffer): void;
}

/** A pool of `count` buffers of `bytes` each, allocated as they are first needed. */
export function createBufferPool(bytes: number): BufferPool {
  const free: ArrayBuffer[] = [];
  return {
    take: () => free.pop() ?? new ArrayBuffer(bytes),
    give: (buffer) => {
      if (buffer.byteLength === bytes) free.push(buffer);
    },
  };
}

/** The smallest buffer a whole file is read into from the pool; a smaller file gets one of its own (most are read on the spot, ON_THE_SPOT_BYTES). */
const POOLED_AT_LEAST = 512 * 1024;
/** The largest: the largest file read whole for one PutObject (upload-runner.ts). */
const POOLED_AT_MOST = 16 * 1024 * 1024;
/** The most memory the pool keeps between files. */
export const POOL_KEEPS_BYTES = 64 * 1024 * 1024;
/** How long the pool keeps its memory after the last buffer came back (an upload of many files is over). */
const POOL_KEEPS_FOR_MS = 10_000;

/** Buffers for whole files, by size and owner, reused from file to file (see createWholeFilePool). */
export interface WholeFilePool {
  /** A buffer of at least `bytes` (a power of two) for `owner`'s file, or undefined for a size the pool does not keep. */
  take(bytes: number, owner: string): ArrayBuffer | undefined;
  /** Gives `owner`'s buffer back, kept while the pool holds less than POOL_KEEPS_BYTES, and until no buffer came back for a while. */
  give(buffer: ArrayBuffer, owner: string): void;
  /** The bytes the pool keeps now. */
  keptBytes(): number;
}

/**
 * Buffers for files of 512 KiB to 16 MiB read whole before their PutObject, in powers of two,
 * reused from file to file. Why: a fresh buffer for each such file is memory outside V8's heap
 * that dies only with a collection; reused, it is the same memory each time. In the upload of
 * issue #12's mixed folder (95 files of 1–20 MiB among 5,000) the young collections the app asks
 * for (young-collector.ts) halved and the time in collections fell by a quarter
 * (docs/benchmarks.md, "Files of 512 KiB to 16 MiB read into reused memory"). A buffer goes
 * back to the pool once its PUT has answered, but a server may answer before it has read the
 * whole body, and the socket may still be sending from that memory: it is lent again only for
 * the same owner's files (the same account, so the same service), never another account's,
 * whose bytes would then go to this service.
 */
export function createWholeFilePool(keepForMs = POOL_KEEPS_FOR_MS): WholeFilePool {
  /** Free buffers by size and owner (`${size} ${owner}`). */
  const free = new Map<string, ArrayBuffer[]>();
  let kept = 0;
  let idle: NodeJS.Timeout | undefined;
  /** Once no file has been read for a while, the memory is the collector's again. */
  const forgetLater = () => {
    clearTimeout(idle);
    idle = setTimeout(() => {
      free.clear();
      kept = 0;
    }, keepForMs);
    idle.unref();
  };
  return {
    take(bytes, owner) {
      if (bytes < POOLED_AT_LEAST || bytes > POOLED_AT_MOST) return undefined;
      const size = 2 ** Math.ceil(Math.log2(bytes));
      const buffer = free.get(`${size} ${owner}`)?.pop();
      if (buffer === undefined) return new ArrayBuffer(size);
      kept -= size;
      return buffer;
    },
    give(buffer, owner) {
      const size = buffer.byteLength;
      // Only the pool's sizes, and not a buffer handed over since (detached: 0 bytes).
      if (size < POOLED_AT_LEAST || size > POOLED_AT_MOST || 2 ** Math.round(Math.log2(size)) !== size) return;
      if (kept + size > POOL_KEEPS_BYTES) return;
      const list = free.get(`${size} ${owner}`) ?? [];
      list.push(buffer);
      free.set(`${size} ${owner}`, list);
      kept += size;
      forgetLater();
    },
    keptBytes: () => kept,
  };
}
