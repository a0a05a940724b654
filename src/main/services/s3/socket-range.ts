import net from 'node:net';
import tls from 'node:tls';
import type { IncomingHttpHeaders } from 'node:http';
import type { S3Client } from '@aws-sdk/client-s3';
import { AppFailure } from '../app-failure';
import {
  ERROR_BODY_LIMIT,
  sampleClock,
  serviceErrorOf,
  signedLeanRequest,
  type SignedLeanRequest,
} from './lean-requests';
import { EMPTY_SHA256 } from './payload-hash';

/** Where a range's bytes go: written at their position of the object, in order of arrival. */
export interface RangeSink {
  /** Writes `bytes` at `position`; the buffer is the sink's until the promise settles (then reused). */
  write(bytes: Buffer, position: number): Promise<void>;
}

/** One range of an object: bytes [start, end), of the version whose ETag is `ifMatch` (quoted) when given. */
export interface ObjectRange {
  start: number;
  end: number;
  ifMatch?: string;
}

/** The most a socket reads at once, and the size of a write: a batch of reads. */
const BATCH_BYTES = 1024 * 1024;
/**
 * Room left in a batch below which it goes to the disk rather than take another read: the
 * socket reads into the batch itself, and a read into a few bytes of room is a system call for
 * a few bytes.
 */
const LEAST_READ_ROOM = 64 * 1024;
/** Batches waiting for the disk before the socket is held back (memory: a few MiB a range). */
const WRITES_IN_FLIGHT = 4;
/** The most of a response's head read: an S3 answer's head is a few hundred bytes. */
const HEAD_LIMIT = 64 * 1024;

/**
 * Buffers of ended GETs, kept for the next ones (at most POOL_LIMIT, dropped after POOL_IDLE_MS
 * unused): each new 1 MiB buffer is 256 page faults when first written, 16,000 for a 256 MiB
 * download that made its own, which cost it more system time than its reads when the machine's
 * memory was under reclaim (docs/benchmarks.md, "Whole objects off sockets, and the buffers kept").
 */
const pool: Buffer[] = [];
const POOL_LIMIT = 32;
const POOL_IDLE_MS = 15_000;
let poolTimer: NodeJS.Timeout | undefined;

function takeBuffer(): Buffer {
  return pool.pop() ?? Buffer.allocUnsafe(BATCH_BYTES);
}

function giveBack(buffers: readonly Buffer[]): void {
  for (const buffer of buffers) if (pool.length < POOL_LIMIT) pool.push(buffer);
  if (poolTimer) poolTimer.refresh();
  else {
    poolTimer = setTimeout(() => {
      pool.length = 0;
      poolTimer = undefined;
    }, POOL_IDLE_MS);
    poolTimer.unref();
  }
}

/** An answer's status and headers (names in lower case; a repeated header keeps its first value). */
interface ResponseHead {
  status: number;
  headers: IncomingHttpHeaders & Record<string, string>;
  /** Whether the answer is HTTP/1.0 (whose connection ends with it unless it says otherwise). */
  http10: boolean;
}

/** An answer's head (the text before its blank line); undefined when it is no HTTP/1.x answer. */
export function parseHead(text: string): ResponseHead | undefined {
  const lines = text.split('\r\n');
  const version = /^HTTP\/1\.([01]) (\d{3})/.exec(lines[0] ?? '');
  if (version === null) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers[name] ??= line.slice(colon + 1).trim();
  }
  return { status: Number(version[2]), headers, http10: version[1] === '0' };
}

/** What one more read makes of an answer's head: the head and the bytes after it, not yet (undefined), or a failure. */
export type HeadRead = { head: ResponseHead; rest: Buffer } | undefined | AppFailure;

/**
 * Gathers an answer's head over reads into a reused buffer: looked for in the read itself when
 * it starts there (no copy of the body that came with it); a head split over reads is copied
 * out of the reused buffer. An interim answer (100 Continue) is passed over: the answer follows.
 * The head and the rest it gives are the caller's until its next read.
 */
export function headGatherer(): (read: Buffer) => HeadRead {
  let pending = Buffer.alloc(0);
  const gather = (read: Buffer): HeadRead => {
    const seen = pending.length === 0 ? read : Buffer.concat([pending, read]);
    const end = seen.indexOf('\r\n\r\n');
    if (end < 0) {
      if (seen.length > HEAD_LIMIT) return new AppFailure('network', 'The service sent no answer S3 would.');
      pending = Buffer.from(seen);
      return undefined;
    }
    pending = Buffer.alloc(0);
    const head = parseHead(seen.subarray(0, end).toString('latin1'));
    if (!head) return new AppFailure('network', 'The service sent no answer S3 would.');
    if (head.status < 200) return gather(seen.subarray(end + 4));
    return { head, rest: seen.subarray(end + 4) };
  };
  return gather;
}

/** A refusal's body as it comes in (its first ERROR_BODY_LIMIT bytes kept), and the error it makes. */
export interface RefusalBody {
  /** Its Content-Length; undefined when the answer gave none (it ends with its connection). */
  expected: number | undefined;
  /** Takes a read (copied: the connection's buffer is reused); true once the body is all in. */
  take(piece: Buffer): boolean;
  /** Whether exactly its length came: the connection is as good as before. */
  whole(): boolean;
  /** The refusal as the SDK throws it (serviceErrorOf). */
  error(): Error;
}

/** The length of an answer's body by its Content-Length; undefined when it has none to count by (chunked, none). */
export function bodyLength(head: ResponseHead): number | undefined {
  const length = head.headers['content-length'];
  return head.headers['transfer-encoding'] === undefined && /^\d{1,15}$/.test(length ?? '')
    ? Number(length)
    : undefined;
}

/** Starts gathering the body of a refusal whose head is `head`. */
export function refusalBody(head: ResponseHead): RefusalBody {
  const expected = bodyLength(head);
  const pieces: Buffer[] = [];
  let bytes = 0;
  return {
    expected,
    take(piece) {
      if (bytes < ERROR_BODY_LIMIT) pieces.push(Buffer.from(piece));
      bytes += piece.length;
      return expected !== undefined && bytes >= expected;
    },
    whole: () => expected !== undefined && bytes === expected,
    error: () => serviceErrorOf(head.status, Buffer.concat(pieces).toString('utf8'), head.headers['x-amz-request-id']),
  };
}

/**
 * The request line and headers of a signed request (`extra`: more header lines, each ending in
 * CR LF), ready to write; undefined when a header's value holds a line break.
 */
export function requestHead(
  signed: SignedLeanRequest,
  extra: string,
  method: 'GET' | 'PUT' = 'GET',
): string | undefined {
  const head = Object.entries(signed.headers).map(([name, value]) => `${name}: ${value}\r\n`);
  // A header's value with a line break would end the head early: left to the SDK.
  if (head.some((line) => /[\r\n]/.test(line.slice(0, -2)))) return undefined;
  return `${method} ${signed.target} HTTP/1.1\r\n${head.join('')}${extra}\r\n`;
}

/**
 * How a connection of the app's own reads: into one buffer it reuses, or into the buffer a
 * function gives (asked again after every read), handing each read to `callback`.
 */
export interface ReadInto {
  buffer: Buffer | (() => Buffer);
  callback: (bytes: number, buffer: Buffer) => boolean;
}

/**
 * Opens a connection for a signed request, over plain HTTP or TLS with the client's own TLS
 * settings (its agent's CA and identity check), reading into `onread`; `ready` is called once
 * it can be written to.
 */
export function openConnection(signed: SignedLeanRequest, onread: ReadInto, ready: () => void): net.Socket {
  const { hostname, port } = signed.connectTo;
  if (signed.https) {
    const agent = signed.route.httpsAgent.options;
    // tls.connect reads into a static buffer as net.connect does (nodejs/node#35753); Node's
    // types declare `onread` for net only.
    const options: tls.ConnectionOptions & { onread: ReadInto } = {
      host: hostname,
      port: port ?? 443,
      ...(net.isIP(hostname) === 0 ? { servername: hostname } : {}),
      ...(agent.secureContext ? { secureContext: agent.secureContext } : {}),
      ...(agent.checkServerIdentity ? { checkServerIdentity: agent.checkServerIdentity } : {}),
      ALPNProtocols: ['http/1.1'],
      onread,
    };
    const socket = tls.connect(options);
    socket.once('secureConnect', ready);
    return socket;
  }
  const socket = net.connect({ host: hostname, port: port ?? 80, onread });
  socket.once('connect', ready);
  return socket;
}

/** Whether a 2xx answer is exactly the range asked for, with a length to count its body by. */
function isThatRange(head: ResponseHead, range: ObjectRange): boolean {
  const { headers } = head;
  if (headers['transfer-encoding'] !== undefined) return false;
  if (headers['content-length'] !== String(range.end - range.start)) return false;
  if (head.status === 206) {
    const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(headers['content-range'] ?? '');
    return match !== null && Number(match[1]) === range.start && Number(match[2]) === range.end - 1;
  }
  // A service that ignores Range answers 200 with the whole object: that is the range only from 0.
  return head.status === 200 && range.start === 0;
}

/**
 * GETs one range of an object over a connection of its own and hands its bytes to `sink` in
 * batches of up to 1 MiB, without Node's HTTP client: the socket reads the body into the batches
 * themselves (`onread`), where the client makes a Buffer of every 64 KiB read and its parser copies the
 * body into another, which cost a large download most of its user CPU (docs/benchmarks.md, "A
 * large download without Node's HTTP parser"). Signed as the lean requests are
 * (signedLeanRequest), over plain HTTP or TLS with the client's own TLS settings, one range a
 * connection (`Connection: close`: a few connections for a file of hundreds of MiB).
 *
 * 'not-lean' when the client does not allow lean requests, the endpoint is not plain SigV4, or
 * the service's answer is not plainly the range (chunked, another length, another range):
 * nothing was written, and the caller asks the SDK. A refusal (412 for a changed object, 503,
 * 403) is thrown as the SDK throws it; a cut connection or a stall as a network error.
 */
export async function leanGetRange(
  client: S3Client,
  bucket: string,
  key: string,
  range: ObjectRange,
  signal: AbortSignal,
  sink: RangeSink,
): Promise<'done' | 'not-lean'> {
  const asked: Record<string, string> = {
    'x-amz-content-sha256': EMPTY_SHA256,
    range: `bytes=${range.start}-${range.end - 1}`,
  };
  if (range.ifMatch !== undefined) asked['if-match'] = range.ifMatch;
  const expect = (head: ResponseHead) =>
    isThatRange(head, range) ? { start: range.start, length: range.end - range.start } : undefined;
  return getOverSocket(client, bucket, key, asked, expect, signal, sink);
}

/** An answer's status and headers, as a whole GET off a socket hands them over before its body. */
export type LeanHead = ResponseHead;

/** Where a whole object's bytes go: its answer's head first (before any byte), then the bytes in order. */
export interface WholeSink extends RangeSink {
  /** The answer's head, before the first write; throwing ends the GET with that error (nothing written). */
  begin(head: LeanHead): void;
}

/**
 * GETs a whole object (no Range, no version, no customer key) off a connection of its own, as
 * leanGetRange does a range: for objects of a few MiB and more, whose bytes through Node's HTTP
 * client cost more CPU than the request. The answer's head goes to `sink.begin` (the object's
 * ETag, size, time, stored checksum), then its body in order, in batches of up to 1 MiB. With
 * `checksums`, the object's stored SHA-256 is asked for (x-amz-checksum-mode), as leanGetObject
 * does. 'not-lean' as for leanGetRange, and for an answer other than a 200 with a Content-Length.
 */
export async function leanGetWhole(
  client: S3Client,
  bucket: string,
  key: string,
  options: { checksums: boolean },
  signal: AbortSignal,
  sink: WholeSink,
): Promise<'done' | 'not-lean'> {
  const asked: Record<string, string> = { 'x-amz-content-sha256': EMPTY_SHA256 };
  if (options.checksums) asked['x-amz-checksum-mode'] = 'ENABLED';
  const expect = (head: ResponseHead) => {
    const length = bodyLength(head);
    if (head.status !== 200 || length === undefined) return undefined;
    sink.begin(head);
    return { start: 0, length };
  };
  return getOverSocket(client, bucket, key, asked, expect, signal, sink);
}

/**
 * One GET off a socket of its own (see leanGetRange): `expect` reads a 2xx answer's head and
 * says which bytes of the object its body is (undefined: not plainly those, 'not-lean'; a throw
 * ends the GET with that error).
 */
async function getOverSocket(
  client: S3Client,
  bucket: string,
  key: string,
  asked: Record<string, string>,
  expect: (head: ResponseHead) => { start: number; length: number } | undefined,
  signal: AbortSignal,
  sink: RangeSink,
): Promise<'done' | 'not-lean'> {
  const signed = await signedLeanRequest(client, bucket, key, { method: 'GET', headers: asked });
  if (!signed) return 'not-lean';
  const request = requestHead(signed, 'connection: close\r\n');
  if (request === undefined) return 'not-lean';
  signal.throwIfAborted();
  const sentAt = Date.now();

  return new Promise<'done' | 'not-lean'>((resolve, reject) => {
    /** Where the body's bytes go in the object, and how many it has: known from the answer's head. */
    let first = 0;
    let length = 0;
    const spare: Buffer[] = [];
    let batch: Buffer = takeBuffer();
    let filled = 0;
    let batchAt = 0;
    let received = 0;
    let writing = 0;
    /** Gathers the answer's head; undefined once it came. */
    let gatherHead: ((read: Buffer) => HeadRead) | undefined = headGatherer();
    let refusal: RefusalBody | undefined;
    /** How the attempt ended (the first end wins); undefined while it runs. */
    let outcome: 'done' | 'not-lean' | Error | undefined;
    let settled = false;
    /** Ends the attempt (once), and settles it once the writes handed to the sink are over: none lands after it. */
    const finish = (result: 'done' | 'not-lean' | Error) => {
      if (outcome === undefined) {
        outcome = result;
        signal.removeEventListener('abort', onAbort);
        socket.destroy();
      }
      if (writing > 0 || settled) return;
      // No write holds a batch any more, and no read fills one (the socket is destroyed).
      settled = true;
      giveBack([batch, ...spare]);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const onAbort = () => finish(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    const complete = () => {
      if (received === length && filled === 0 && writing === 0) finish('done');
    };
    const flush = () => {
      if (filled === 0) return;
      const full = batch;
      const at = batchAt;
      const bytes = filled;
      batch = spare.pop() ?? takeBuffer();
      filled = 0;
      writing += 1;
      if (writing >= WRITES_IN_FLIGHT) socket.pause();
      sink.write(full.subarray(0, bytes), at).then(
        () => {
          writing -= 1;
          spare.push(full);
          if (outcome !== undefined) return finish(outcome);
          if (writing < WRITES_IN_FLIGHT) socket.resume();
          complete();
        },
        (error: unknown) => {
          writing -= 1;
          finish(error instanceof Error ? error : new Error(String(error)));
        },
      );
    };
    /**
     * Counts `bytes` more of the body into the batch: copied there from `from` (its first
     * `bytes`) where given, else already read into the batch's room by the socket (nextRead).
     */
    const take = (bytes: number, from?: Buffer) => {
      if (received + bytes > length) {
        finish(new AppFailure('network', 'The service sent more than was asked.'));
        return;
      }
      for (let done = 0; done < bytes;) {
        if (filled === 0) batchAt = first + received;
        const now = from ? Math.min(bytes - done, BATCH_BYTES - filled) : bytes;
        from?.copy(batch, filled, done, done + now);
        filled += now;
        done += now;
        received += now;
        if (BATCH_BYTES - filled < LEAST_READ_ROOM) flush();
      }
      if (received === length) {
        flush();
        complete();
      }
    };
    const onRead = (bytes: number, buffer: Buffer): boolean => {
      if (outcome !== undefined) return false;
      if (refusal) {
        if (refusal.take(buffer.subarray(0, bytes))) finish(refusal.error());
        return true;
      }
      if (gatherHead === undefined) {
        const inBatch = buffer.buffer === batch.buffer && buffer.byteOffset === batch.byteOffset + filled;
        take(bytes, inBatch ? undefined : buffer);
        return true;
      }
      const read = gatherHead(buffer.subarray(0, bytes));
      if (read === undefined) return true;
      if (read instanceof AppFailure) {
        finish(read);
        return false;
      }
      gatherHead = undefined;
      const { head: answer, rest } = read;
      sampleClock(client, answer.headers, sentAt);
      if (answer.status >= 300) {
        refusal = refusalBody(answer);
        if (refusal.take(rest)) finish(refusal.error());
        return true;
      }
      let body: { start: number; length: number } | undefined;
      try {
        body = expect(answer);
      } catch (error) {
        finish(error instanceof Error ? error : new Error(String(error)));
        return false;
      }
      if (body === undefined) {
        finish('not-lean');
        return false;
      }
      first = body.start;
      length = body.length;
      take(rest.length, rest);
      return true;
    };

    // The answer's head (and a refusal's body) is read into a buffer of its own; once the body
    // comes, the socket reads into the batch's room itself, which goes to the disk as it is: the
    // body's bytes are copied once, by the kernel, where a buffer of the socket's own copied
    // every byte again into a batch (a few tens of ms of CPU a 256 MiB download).
    const headBuffer = takeBuffer();
    const nextRead = () =>
      gatherHead === undefined && refusal === undefined && outcome === undefined ? batch.subarray(filled) : headBuffer;
    const onread = { buffer: nextRead, callback: onRead };
    const socket = openConnection(signed, onread, () => socket.write(request));
    socket.setTimeout(signed.route.socketTimeoutMs, () =>
      finish(Object.assign(new Error('socket timeout'), { code: 'ETIMEDOUT' })),
    );
    socket.on('error', (error) => finish(error));
    socket.on('close', () => {
      // Closed: the socket reads into its head buffer no more (the batches go back in finish).
      giveBack([headBuffer]);
      // A refusal with no length ends with its connection.
      if (refusal) return finish(refusal.error());
      // All came (Connection: close): the last writes may still be on their way to the disk.
      if (received === length && gatherHead === undefined) return;
      finish(new AppFailure('network', 'The download was cut short.'));
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
