import { Readable, Transform, pipeline } from 'node:stream';
import type { MiddlewareStack } from '@smithy/types';
import { AppFailure } from '../app-failure';
import { payloadHashFor } from '../s3/payload-hash';

/** A command whose middleware can be changed for one send. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyCommand = { middlewareStack: MiddlewareStack<any, any> };

/**
 * The size of the slices a request body is sent in, so that progress moves as the socket takes
 * them. Large enough that a part is a few dozen writes, not thousands (each slice is a stream
 * chunk and a socket write), small enough that progress moves smoothly.
 */
const BODY_SLICE = 512 * 1024;

/**
 * Makes a command send exactly one HTTP request, for the queue's own retries: it replaces the
 * client's retry middleware for this command only (same name, step and priority, `override`),
 * so the SDK's three attempts cannot hide what the queue does (a 403 is one request; a cut
 * part is counted and backed off by the queue, with its state shown). With `onBodyBytes`, a
 * body given as bytes is sent in slices and each slice is reported as the socket takes it
 * (a stream body is counted as it is read).
 */
export function singleAttempt<C extends AnyCommand>(command: C, onBodyBytes?: (bytes: number) => void): C {
  command.middlewareStack.add((next) => (args) => next(args), {
    name: 'retryMiddleware',
    step: 'finalizeRequest',
    priority: 'high',
    tags: ['RETRY'],
    override: true,
  });
  if (onBodyBytes) {
    // Innermost (deserialize step, low priority): the request is signed already, so the body's
    // hash and Content-Length were computed from the bytes; only how they travel changes.
    command.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { body?: unknown } | undefined;
        const body = request?.body;
        if (request && body instanceof Uint8Array && body.byteLength > 0) {
          request.body = Readable.from(slices(body, onBodyBytes), { objectMode: false, highWaterMark: BODY_SLICE });
        } else if (request && body instanceof Readable) {
          const counter = new Transform({
            transform(chunk: Buffer, _encoding, done) {
              onBodyBytes(chunk.length);
              done(null, chunk);
            },
          });
          // pipeline: an error reading the file fails the request instead of hanging it.
          request.body = pipeline(body, counter, () => undefined);
        }
        return next(args);
      },
      { name: 's3fmBodyProgress', step: 'deserialize', priority: 'low', override: true },
    );
  }
  return command;
}

/**
 * Signs a command's request with the payload hash of payloadHashFor, so that SigV4 does not
 * hash the body again: the upload has the SHA-256 of its bytes already. Unsigned where the
 * command carries a ChecksumSHA256 (the callers give it that same SHA-256) or, over TLS, a
 * ChecksumCRC32 and no SHA-256 was computed; a ChecksumCRC32 beside a SHA-256 is signed by it.
 */
export function withPayloadSha256<C extends AnyCommand>(command: C, sha256: Uint8Array | undefined): C {
  const input = (command as { input?: { ChecksumSHA256?: unknown; ChecksumCRC32?: unknown } }).input;
  const sent =
    typeof input?.ChecksumSHA256 === 'string'
      ? 'sha256'
      : typeof input?.ChecksumCRC32 === 'string'
        ? 'crc32'
        : undefined;
  const payloadHash = payloadHashFor(sha256, sent);
  command.middlewareStack.add(
    (next) => (args) => {
      const request = args.request as { headers?: Record<string, string> } | undefined;
      if (request?.headers) request.headers['x-amz-content-sha256'] = payloadHash;
      return next(args);
    },
    // Before signing (finalizeRequest): the signer takes a payload hash found in the headers.
    { name: 's3fmPayloadSha256', step: 'build', priority: 'low', override: true },
  );
  return command;
}

function* slices(body: Uint8Array, onBytes: (bytes: number) => void): Generator<Buffer> {
  for (let offset = 0; offset < body.byteLength; offset += BODY_SLICE) {
    const slice = Buffer.from(body.buffer, body.byteOffset + offset, Math.min(BODY_SLICE, body.byteLength - offset));
    onBytes(slice.byteLength);
    yield slice;
  }
}

/** What one attempt gets: a signal that ends it, and a way to say data is still moving. */
export interface AttemptIo {
  signal: AbortSignal;
  /** Call whenever bytes move: the watchdog ends an attempt that sees none for the stall timeout. */
  alive(): void;
}

/**
 * Runs one attempt under a watchdog: when no byte moves for `stallMs` (a stalled connection,
 * a server that never answers) the attempt is aborted and fails as a timeout, which the queue
 * retries. The SDK's own requestTimeout only logs a warning unless configured to throw, and
 * the account's clients are shared, so the queue keeps its own clock.
 */
export async function withWatchdog<T>(
  parent: AbortSignal,
  stallMs: number,
  run: (io: AttemptIo) => Promise<T>,
): Promise<T> {
  if (parent.aborted) throw parent.reason ?? new Error('aborted');
  const controller = new AbortController();
  const onParentAbort = () => controller.abort(parent.reason);
  parent.addEventListener('abort', onParentAbort, { once: true });
  let last = Date.now();
  let stalled = false;
  let timer: NodeJS.Timeout | undefined;
  const check = () => {
    const idle = Date.now() - last;
    if (idle >= stallMs) {
      stalled = true;
      controller.abort(new AppFailure('timeout'));
      return;
    }
    timer = setTimeout(check, stallMs - idle);
    timer.unref();
  };
  timer = setTimeout(check, stallMs);
  timer.unref();
  try {
    return await run({ signal: controller.signal, alive: () => void (last = Date.now()) });
  } catch (error) {
    if (stalled && !parent.aborted) {
      throw new AppFailure(
        'timeout',
        `The service sent nothing for ${Math.round(stallMs / 1000)} s, so the request was stopped.`,
        { cause: error },
      );
    }
    throw error;
  } finally {
    clearTimeout(timer);
    parent.removeEventListener('abort', onParentAbort);
  }
}
