import { constants } from 'node:fs';
import { link, mkdir, open, rename, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { bytesDigest } from './bytes-digest';
import { CRC32_IN_WORKER, nativeCrc32Path } from './native-crc32';

/** How a download's bytes are checked: the digest to compute, and what it must be. */
export interface BytesCheck {
  algorithm: 'sha256' | 'md5' | 'crc32';
  encoding: 'base64' | 'hex';
  expected: string;
}

/** What a small download hands over once its bytes have all arrived. */
export interface SmallFileJob {
  /** The download's temporary file (created, or an earlier run's truncated), never through a link. */
  temp: string;
  /** Where it goes once written and checked. */
  final: string;
  /** 'replace' renames over what is at `final`; otherwise it is linked there only if nothing is. */
  replace: boolean;
  /** The object's bytes (handed over to the worker when they are a whole buffer of their own). */
  bytes: Uint8Array;
  /** The digest the bytes must have (the stored SHA-256 or CRC32, or the MD5 ETag): checked before the file is put in place. */
  check: BytesCheck | undefined;
  /** The object's time, given to the file (milliseconds since the epoch). */
  mtimeMs: number | undefined;
}

/** How a small file's placing ended. */
export type SmallFileResult =
  /** At `final`: renamed there, or linked (the temporary name stays until the journal says finished). */
  | { placed: true; linked: boolean }
  /** Written and checked, but `final` is taken, or the file system cannot link: the caller places it. */
  | { placed: false; reason: 'taken' | 'no-links' }
  /** The bytes' digest is not the object's: nothing was written (checked before the temporary file is made). */
  | { placed: false; reason: 'damaged' };

/** Writes small downloads off the event loop. */
export interface FileWriter {
  /**
   * Creates the temporary file (and its folder), writes the bytes, checks their digest, sets the
   * time and puts the file in place, in one trip to a worker: for a folder of many small files
   * the five file-system calls and the digest of each no longer take turns of the event loop.
   */
  writeSmallFile(job: SmallFileJob): Promise<SmallFileResult>;
  /** False once the worker died. */
  usable(): boolean;
  /**
   * True once the worker has started and said so, and while it lives: otherwise small downloads
   * are written on the event loop, rather than wait with their places in the queue for its
   * start-up (40–140 ms).
   */
  ready(): boolean;
}

/** Errors of a file system that cannot make a hard link (FAT, exFAT): the file is then renamed into place. */
export const NO_LINKS: readonly string[] = ['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV'];

/**
 * Opens the temporary file for positional writes, creating it (and its folder) when missing. Never through a
 * symbolic link (O_NOFOLLOW, where the system has it): the name is the app's own, so a link
 * there was put by someone else, to make the download write elsewhere.
 */
export async function openTemp(path: string): Promise<{ handle: FileHandle; created: boolean }> {
  const noFollow = constants.O_NOFOLLOW ?? 0;
  const create = constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | noFollow;
  // Created, most often (a fresh download); opened as it is when an earlier run left it.
  try {
    return { handle: await open(path, create, 0o600), created: true };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      // Its folder is missing (the first file of a folder, or one removed meanwhile): made now.
      await mkdir(dirname(path), { recursive: true });
      return { handle: await open(path, create, 0o600), created: true };
    }
    if (code !== 'EEXIST') throw error;
    return { handle: await open(path, constants.O_RDWR | noFollow), created: false };
  }
}

/**
 * The worker's code (CommonJS, run with `eval`, as the part reader's: nothing to bundle or
 * find). Synchronous calls are right here: the worker does nothing else meanwhile.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const { dirname } = require('node:path');
const { createHash } = require('node:crypto');
${CRC32_IN_WORKER}
const { O_RDWR, O_CREAT, O_EXCL, O_TRUNC, O_NOFOLLOW = 0 } = fs.constants;
function openTemp(path) {
  try {
    return fs.openSync(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
  } catch (error) {
    if (error.code === 'ENOENT') {
      fs.mkdirSync(dirname(path), { recursive: true });
      return fs.openSync(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
    }
    // An earlier run's temporary file: written again from its first byte.
    if (error.code === 'EEXIST') return fs.openSync(path, O_RDWR | O_TRUNC | O_NOFOLLOW);
    throw error;
  }
}
const noLinks = new Set(${JSON.stringify(NO_LINKS)});
function place({ temp, final, replace }) {
  if (replace) {
    fs.renameSync(temp, final);
    return { placed: true, linked: false };
  }
  try {
    fs.linkSync(temp, final);
    return { placed: true, linked: true };
  } catch (error) {
    if (error.code === 'EEXIST') return { placed: false, reason: 'taken' };
    if (noLinks.has(error.code)) return { placed: false, reason: 'no-links' };
    throw error;
  }
}
// As bytes-digest.ts computes it (this code runs apart, with nothing imported).
function digestOf(check, bytes) {
  if (check.algorithm !== 'crc32') return createHash(check.algorithm).update(bytes).digest(check.encoding);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(bytes) >>> 0);
  return crc.toString(check.encoding);
}
function write(id, job) {
  let fd;
  try {
    const bytes = job.bytes;
    const check = job.check;
    if (check !== undefined && digestOf(check, bytes) !== check.expected) {
      return { id, result: { placed: false, reason: 'damaged' } };
    }
    fd = openTemp(job.temp);
    let offset = 0;
    while (offset < bytes.length) offset += fs.writeSync(fd, bytes, offset, bytes.length - offset, offset);
    if (job.mtimeMs !== undefined) fs.futimesSync(fd, job.mtimeMs / 1000, job.mtimeMs / 1000);
    fs.closeSync(fd);
    fd = undefined;
    return { id, result: place(job) };
  } catch (error) {
    if (fd !== undefined) fs.closeSync(fd);
    return { id, error: { message: String((error && error.message) || error), code: error && error.code, syscall: error && error.syscall, path: error && error.path } };
  }
}
// Jobs come in batches, and their answers go back as one.
parentPort.on('message', (batch) => {
  parentPort.postMessage(batch.map(({ id, job }) => write(id, job)));
});
// Started (its modules loaded): jobs are taken from now on without waiting for a start-up.
parentPort.postMessage('ready');
`;

interface WorkerAnswer {
  id: number;
  result?: SmallFileResult;
  error?: { message: string; code?: string; syscall?: string; path?: string };
}

/**
 * A file writer over one worker thread, started when it is created (downloads create it at their
 * first small file) and ref'd only while it has work (it never keeps the app running).
 * Undefined where no worker can start: small downloads then write on the event loop as large
 * ones do.
 */
export function createFileWriter(): FileWriter | undefined {
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { crc32Module: nativeCrc32Path() } });
  } catch {
    return undefined;
  }
  const pending = new Map<number, { resolve: (result: SmallFileResult) => void; reject: (error: unknown) => void }>();
  let nextId = 0;
  let broken: Error | undefined;
  let started = false;
  worker.on('message', (answers: WorkerAnswer[] | 'ready') => {
    if (answers === 'ready') {
      started = true;
      return;
    }
    for (const { id, result, error } of answers) {
      const entry = pending.get(id);
      if (!entry) continue;
      pending.delete(id);
      if (result) entry.resolve(result);
      // The error as fs would have thrown it: its code tells a full disk (ENOSPC) from a refusal.
      else entry.reject(Object.assign(new Error(error?.message ?? 'The file could not be written.'), error ?? {}));
    }
    if (pending.size === 0) worker.unref();
  });
  worker.on('error', (error) => {
    broken = error;
    for (const [id, entry] of pending) {
      pending.delete(id);
      entry.reject(error);
    }
  });
  // Unref'd after the listeners (adding one refs it again): an idle writer never keeps the app running.
  worker.unref();
  /**
   * The jobs given since the last message, sent together once this turn of the event loop has
   * taken what the sockets brought (setImmediate): one message for the small files that arrived
   * together. A message costs the event loop more than its job's bytes (it wakes the worker).
   */
  let batch: Array<{ id: number; job: SmallFileJob }> = [];
  let handedOver: ArrayBuffer[] = [];
  const send = () => {
    const jobs = batch;
    const buffers = handedOver;
    batch = [];
    handedOver = [];
    try {
      worker.postMessage(jobs, buffers);
    } catch (error) {
      // Not sent (the worker is gone, or a job cannot be cloned): nothing of the batch is waited for.
      for (const { id } of jobs) {
        pending.get(id)?.reject(error);
        pending.delete(id);
      }
      if (pending.size === 0) worker.unref();
    }
  };
  return {
    usable: () => broken === undefined,
    ready: () => started && broken === undefined,
    writeSmallFile(job) {
      if (broken) return Promise.reject(broken);
      return new Promise((resolve, reject) => {
        const id = nextId++;
        // Handed over without a copy when the bytes are a whole buffer of their own; copied otherwise.
        // Never an empty one: a buffer already handed over is empty (detached), and Node drops a
        // message whose transfer list holds one without a word; cloned, it fails in words.
        const own =
          job.bytes.byteLength > 0 &&
          job.bytes.byteOffset === 0 &&
          job.bytes.byteLength === job.bytes.buffer.byteLength;
        if (own && job.bytes.buffer instanceof ArrayBuffer) handedOver.push(job.bytes.buffer);
        batch.push({ id, job });
        // Ref'd while it has work.
        pending.set(id, { resolve, reject });
        if (pending.size === 1) worker.ref();
        if (batch.length === 1) setImmediate(send);
      });
    },
  };
}

/**
 * A file writer on the event loop (through the thread pool), doing what the worker does, in the
 * same order: for the small files of a batch too small to start the worker for (see
 * startFileWriter in download-runner.ts), and for those that come while it starts.
 */
export function createEventLoopWriter(): FileWriter {
  return {
    usable: () => true,
    ready: () => true,
    async writeSmallFile(job) {
      if (job.check !== undefined) {
        const digest = bytesDigest(job.check);
        digest.update(job.bytes);
        if (digest.digest() !== job.check.expected) return { placed: false, reason: 'damaged' };
      }
      const { handle, created } = await openTemp(job.temp);
      try {
        // An earlier run's temporary file: written again from its first byte.
        if (!created) await handle.truncate(0);
        await handle.writeFile(job.bytes);
        if (job.mtimeMs !== undefined) await handle.utimes(job.mtimeMs / 1000, job.mtimeMs / 1000);
      } finally {
        await handle.close();
      }
      if (job.replace) {
        await rename(job.temp, job.final);
        return { placed: true, linked: false };
      }
      try {
        await link(job.temp, job.final);
        return { placed: true, linked: true };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? '';
        if (code === 'EEXIST') return { placed: false, reason: 'taken' };
        if (NO_LINKS.includes(code)) return { placed: false, reason: 'no-links' };
        throw error;
      }
    },
  };
}
