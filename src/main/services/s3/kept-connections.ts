import type net from 'node:net';
import type { S3Client } from '@aws-sdk/client-s3';
import { AppFailure } from '../app-failure';
import {
  leanPutHeaders,
  putOutputOf,
  sampleClock,
  signedLeanRequest,
  type LeanPutInput,
  type LeanPutOutput,
  type LeanRoute,
  type SignedLeanRequest,
} from './lean-requests';
import { EMPTY_SHA256 } from './payload-hash';
import { roundTripsOf, SMALL_REQUESTS_AT_MOST } from './round-trips';
import {
  bodyLength,
  headGatherer,
  openConnection,
  refusalBody,
  requestHead,
  type LeanHead,
  type RefusalBody,
} from './socket-range';

/** The most a kept connection reads at once (a small object comes in a few reads). */
const READ_BYTES = 128 * 1024;
/**
 * How long an idle connection is kept for the next GET: shorter than the idle limits services
 * set (Node's HTTP server 5 s, Go's and AWS's longer), as undici's default, so that the client
 * closes first nearly always; a server that says less (Keep-Alive: timeout=N) is taken at its word.
 */
const IDLE_MS = 4_000;

/** The most bytes (sent and received) of a request whose time counts as a round trip: 16 KiB take 13 ms at 10 Mbit/s. */
const ROUND_TRIP_BYTES = 16 * 1024;

/** A connection of the app's own, kept between requests. */
interface Connection {
  socket: net.Socket;
  /** Where its reads go: the request it carries; undefined while idle (a byte then is a fault). */
  reader: ((bytes: Buffer) => void) | undefined;
  /** Called when it closes (no error), fails or stalls while a request is on it. */
  ended: ((error: Error | undefined) => void) | undefined;
  /** Whether it can be written to (a new one: once connected, over TLS once the handshake is done). */
  connected: boolean;
  /** The request to write once connected. */
  pending: KeptRequest | undefined;
  idleTimer: NodeJS.Timeout | undefined;
  /** When its last request was written (performance.now()): on a new one, after its connecting (and TLS handshake). */
  sentAtMs: number | undefined;
}

/** One request to send on a kept connection: its head and body, and how a 2xx answer's body is read. */
interface KeptRequest {
  head: string;
  body: Buffer | undefined;
  /**
   * 'object': the answer is the object (a plain 200 with a length, of at most `maxBytes`, else
   * not taken); 'empty': the answer's head is what counts (a PUT's), its body read and dropped.
   */
  answer: 'object' | 'empty';
  maxBytes: number;
  onBytes: ((received: number) => void) | undefined;
}

/** Idle connections by the client's route, then by scheme, host and port (the most recently used last). */
const idle = new WeakMap<LeanRoute, Map<string, Connection[]>>();

function idleListFor(route: LeanRoute, address: string): Connection[] {
  let byAddress = idle.get(route);
  if (!byAddress) {
    byAddress = new Map();
    idle.set(route, byAddress);
  }
  let list = byAddress.get(address);
  if (!list) {
    list = [];
    byAddress.set(address, list);
  }
  return list;
}

function forget(list: Connection[], connection: Connection): void {
  const at = list.indexOf(connection);
  if (at >= 0) list.splice(at, 1);
  clearTimeout(connection.idleTimer);
  connection.idleTimer = undefined;
}

/** A small whole GET's answer: its head and its bytes; no bytes when the object is larger than asked for. */
export type SmallAnswer = { head: LeanHead; bytes: Buffer | undefined } | 'not-lean';

/** How the answer to one GET on a connection ended. */
type Exchange =
  | { kind: 'answer'; answer: SmallAnswer; reusable: boolean }
  /** The connection closed or failed before the answer's first byte. */
  | { kind: 'unanswered'; error: Error }
  /** A refusal (reusable: read to its end on a connection that stays open), or a failure mid-answer. */
  | { kind: 'failed'; error: Error; reusable: boolean };

/**
 * GETs a whole small object (no Range, no version, no customer key) over a connection of the
 * app's own kept alive between GETs, and hands back its head and its bytes in one Buffer of
 * their own (handed to the file writer without a copy). Node's HTTP client cost a folder of
 * small downloads more CPU than anything else on the main thread (its parser, the response
 * stream and its async iteration, an abort listener and a timer a request; docs/benchmarks.md,
 * "Small files over kept connections"). Signed as the lean requests are (signedLeanRequest),
 * over plain HTTP or TLS with the client's own TLS settings.
 *
 * A kept connection the server closed as the GET was sent (nothing of the answer came) is asked
 * again on a new one: the race every keep-alive client has, harmless for a GET. Bytes `onBytes`
 * is told of as they come (the total so far). An object larger than `maxBytes` answers its head
 * and no bytes (its connection closed). 'not-lean' when the client does not allow lean requests
 * or the answer is not plainly the object (chunked, no length, not a 200): nothing kept. A
 * refusal is thrown as the SDK throws it; a cut connection or a stall as a network error.
 */
export async function leanGetSmall(
  client: S3Client,
  bucket: string,
  key: string,
  options: { checksums: boolean; maxBytes: number; onBytes?: (received: number) => void },
  signal: AbortSignal,
): Promise<SmallAnswer> {
  const asked: Record<string, string> = { 'x-amz-content-sha256': EMPTY_SHA256 };
  if (options.checksums) asked['x-amz-checksum-mode'] = 'ENABLED';
  const signed = await signedLeanRequest(client, bucket, key, { method: 'GET', headers: asked });
  if (!signed) return 'not-lean';
  const head = requestHead(signed, '');
  if (head === undefined) return 'not-lean';
  return onKeptConnection(
    client,
    signed,
    { head, body: undefined, answer: 'object', maxBytes: options.maxBytes, onBytes: options.onBytes },
    signal,
  );
}

/**
 * PUTs a small object with no headers but its type and digests (leanPutHeaders: no metadata,
 * storage class, ACL or encryption, which go through the SDK), signed as the lean requests are,
 * over a connection of the app's own kept alive between requests: for a folder of small
 * uploads, Node's HTTP client cost the main thread more than the request (as for small
 * downloads, see leanGetSmall). Undefined when the client does not allow lean requests (the
 * caller then sends the SDK's PutObject). A kept connection that ends before a byte of the
 * answer is sent the PUT again on a new one (the same bytes to the same key: a PUT stored twice
 * is stored once); a refusal is thrown as the SDK throws it, a cut connection or a stall as a
 * network error.
 */
export async function leanPutSmall(
  client: S3Client,
  bucket: string,
  key: string,
  input: LeanPutInput,
  signal: AbortSignal,
): Promise<LeanPutOutput | undefined> {
  const headers = leanPutHeaders(input);
  const signed = await signedLeanRequest(client, bucket, key, { method: 'PUT', headers });
  if (!signed) return undefined;
  const head = requestHead(signed, '', 'PUT');
  if (head === undefined) return undefined;
  const answer = await onKeptConnection(
    client,
    signed,
    { head, body: input.body, answer: 'empty', maxBytes: 0, onBytes: undefined },
    signal,
  );
  if (answer === 'not-lean') throw new AppFailure('network', 'The service sent no answer S3 would.');
  return putOutputOf((name) => answer.head.headers[name]);
}

/**
 * Sends `request` on a kept connection to the signed request's host (a new one when none is
 * idle) and reads its answer; keeps the connection for the next request when the answer allows.
 */
async function onKeptConnection(
  client: S3Client,
  signed: SignedLeanRequest,
  request: KeptRequest,
  signal: AbortSignal,
): Promise<SmallAnswer> {
  const { hostname, port } = signed.connectTo;
  const list = idleListFor(signed.route, `${signed.https ? 'https' : 'http'}://${hostname}:${port ?? ''}`);
  for (;;) {
    signal.throwIfAborted();
    const kept = list.pop();
    if (kept) {
      forget(list, kept);
      // Closed by the server since it was kept, its close not yet heard of: dropped.
      if (kept.socket.destroyed || !kept.socket.writable) {
        kept.socket.destroy();
        continue;
      }
      kept.socket.ref();
    }
    const connection = kept ?? open(signed, list);
    const sentAt = Date.now();
    const exchange = await exchangeOn(connection, request, signal, signed.route.socketTimeoutMs);
    if (exchange.kind === 'unanswered') {
      connection.socket.destroy();
      // A kept connection the server had closed: asked again on a new one. A new one's failure is the request's.
      if (kept) continue;
      throw exchange.error;
    }
    if (exchange.kind === 'failed') {
      if (exchange.reusable) keep(connection, list, undefined);
      else connection.socket.destroy();
      throw exchange.error;
    }
    const { answer, reusable } = exchange;
    if (answer !== 'not-lean') sampleClock(client, answer.head.headers, sentAt);
    // From the request's write (on a new connection, once connected) to its answer's end, a few
    // bytes' time is a round trip (many bytes' is their own time on a slow link as well).
    const bytesMoved = (request.body?.length ?? 0) + (answer === 'not-lean' ? 0 : (answer.bytes?.length ?? 0));
    if (answer !== 'not-lean' && connection.sentAtMs !== undefined && bytesMoved <= ROUND_TRIP_BYTES) {
      roundTripsOf(client).record(performance.now() - connection.sentAtMs);
    }
    if (reusable && answer !== 'not-lean') keep(connection, list, answer.head);
    else connection.socket.destroy();
    return answer;
  }
}

/** Opens a connection for `signed`'s host; its close takes it off `list` (where it is kept while idle). */
function open(signed: SignedLeanRequest, list: Connection[]): Connection {
  const reader = {
    buffer: Buffer.allocUnsafe(READ_BYTES),
    callback: (bytes: number, into: Buffer) => {
      if (connection.reader) connection.reader(into.subarray(0, bytes));
      // Bytes nobody asked for: the connection is not to be trusted with another request.
      else socket.destroy();
      return true;
    },
  };
  const socket = openConnection(signed, reader, () => {
    connection.connected = true;
    if (connection.pending !== undefined) send(connection, connection.pending);
    connection.pending = undefined;
  });
  const connection: Connection = {
    socket,
    reader: undefined,
    ended: undefined,
    connected: false,
    pending: undefined,
    idleTimer: undefined,
    sentAtMs: undefined,
  };
  socket.on('error', (error) => connection.ended?.(error));
  socket.on('timeout', () => connection.ended?.(Object.assign(new Error('socket timeout'), { code: 'ETIMEDOUT' })));
  socket.on('close', () => {
    forget(list, connection);
    connection.ended?.(undefined);
  });
  return connection;
}

/** Writes a request's head and body in one go, noting when. */
function send(connection: Connection, request: KeptRequest): void {
  const { socket } = connection;
  connection.sentAtMs = performance.now();
  if (request.body === undefined || request.body.length === 0) {
    socket.write(request.head);
    return;
  }
  socket.cork();
  socket.write(request.head);
  socket.write(request.body);
  socket.uncork();
}

/** Keeps a connection whose answer (`head`, when it had one) was read to its end for the next request. */
function keep(connection: Connection, list: Connection[], head: LeanHead | undefined): void {
  const hint = head && /timeout=(\d+)/i.exec(head.headers['keep-alive'] ?? '');
  // A server that closes idle connections sooner than we would: kept until a second before it does.
  const idleMs = hint ? Math.min(IDLE_MS, Number(hint[1]) * 1000 - 1000) : IDLE_MS;
  if (idleMs <= 0 || list.length >= SMALL_REQUESTS_AT_MOST || connection.socket.destroyed) {
    connection.socket.destroy();
    return;
  }
  connection.reader = undefined;
  connection.ended = undefined;
  connection.socket.setTimeout(0);
  // An idle connection never keeps the app running.
  connection.socket.unref();
  connection.idleTimer = setTimeout(() => connection.socket.destroy(), idleMs);
  connection.idleTimer.unref();
  list.push(connection);
}

/**
 * Sends one request on `connection` and reads its answer: head, then body by its Content-Length.
 * Settles once: with the answer (and whether the connection may carry another request), with
 * 'unanswered' when it ended before a byte of the answer, or 'failed'.
 */
function exchangeOn(
  connection: Connection,
  request: KeptRequest,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<Exchange> {
  const { socket } = connection;
  return new Promise<Exchange>((resolve) => {
    let settled = false;
    let heard = false;
    const gatherHead = headGatherer();
    let head: LeanHead | undefined;
    let body: Buffer | undefined;
    let received = 0;
    /** Bytes of a PUT's answer body still to read and drop. */
    let dropping = 0;
    let refusal: RefusalBody | undefined;
    const settle = (exchange: Exchange) => {
      if (settled) return;
      settled = true;
      connection.reader = undefined;
      connection.ended = undefined;
      signal.removeEventListener('abort', onAbort);
      resolve(exchange);
    };
    const fail = (error: Error) =>
      settle(heard ? { kind: 'failed', error, reusable: false } : { kind: 'unanswered', error });
    const onAbort = () =>
      settle({
        kind: 'failed',
        error: signal.reason instanceof Error ? signal.reason : new Error('aborted'),
        reusable: false,
      });
    /**
     * Whether the connection may carry another request once this answer is read: the answer
     * allows it, and all of this request was handed to the system before the answer came. A
     * server may answer before it has read a PUT's body (an early refusal, or a hostile server);
     * the rest of the body is then still on its way, and a request written after it would be
     * read as its body. (A write is done once the system has taken all its bytes, which a server
     * that read the whole request saw happen before it answered.)
     */
    const reusable = (answer: LeanHead) => {
      if (socket.writableLength > 0) return false;
      const says = (answer.headers.connection ?? '').toLowerCase();
      return answer.http10 ? says === 'keep-alive' : says !== 'close';
    };
    const refuse = () => {
      if (!head || !refusal) return;
      // A refusal read to its end leaves the connection as good as before.
      settle({ kind: 'failed', error: refusal.error(), reusable: refusal.whole() && reusable(head) });
    };
    const takeRefusal = (piece: Buffer) => {
      if (refusal?.take(piece)) refuse();
    };
    const takeBody = (piece: Buffer) => {
      if (!head || !body) return;
      if (received + piece.length > body.length) {
        fail(new AppFailure('network', 'The service sent more than was asked.'));
        return;
      }
      piece.copy(body, received);
      received += piece.length;
      request.onBytes?.(received);
      if (received === body.length) {
        settle({ kind: 'answer', answer: { head, bytes: body }, reusable: reusable(head) });
      }
    };
    const dropPiece = (piece: Buffer) => {
      if (!head) return;
      if (piece.length > dropping) {
        fail(new AppFailure('network', 'The service sent more than it said.'));
        return;
      }
      dropping -= piece.length;
      if (dropping === 0) settle({ kind: 'answer', answer: { head, bytes: undefined }, reusable: reusable(head) });
    };
    const onHead = (answer: LeanHead, rest: Buffer) => {
      head = answer;
      const length = bodyLength(answer);
      if (answer.status >= 300) {
        refusal = refusalBody(answer);
        return takeRefusal(rest);
      }
      if (request.answer === 'empty') {
        // A PUT's answer: its head says all; a body with no length ends the connection's use.
        if (length === undefined)
          return settle({ kind: 'answer', answer: { head, bytes: undefined }, reusable: false });
        dropping = length;
        return dropPiece(rest);
      }
      // Not plainly the whole object: left to the SDK (the connection goes with it, its body unread).
      if (answer.status !== 200 || length === undefined) {
        return settle({ kind: 'answer', answer: 'not-lean', reusable: false });
      }
      const size = length;
      if (size > request.maxBytes)
        return settle({ kind: 'answer', answer: { head, bytes: undefined }, reusable: false });
      // A buffer of its own (not a slice of Node's pool, not zeroed: every byte is written below).
      body = Buffer.allocUnsafeSlow(size);
      if (size === 0) {
        return settle({ kind: 'answer', answer: { head, bytes: body }, reusable: reusable(answer) });
      }
      if (rest.length > 0) takeBody(rest);
    };
    connection.reader = (piece) => {
      if (settled) return;
      heard = true;
      if (body) return takeBody(piece);
      if (refusal) return takeRefusal(piece);
      if (head) return dropPiece(piece);
      const read = gatherHead(piece);
      if (read instanceof AppFailure) return fail(read);
      if (read !== undefined) onHead(read.head, read.rest);
    };
    connection.ended = (error) => {
      // A refusal with no length ends with its connection.
      if (refusal && refusal.expected === undefined && error === undefined) return refuse();
      fail(
        error ??
          new AppFailure(
            'network',
            request.answer === 'object' ? 'The download was cut short.' : 'The connection was cut.',
          ),
      );
    };
    signal.addEventListener('abort', onAbort, { once: true });
    socket.setTimeout(timeoutMs);
    if (connection.connected) send(connection, request);
    else connection.pending = request;
  });
}
