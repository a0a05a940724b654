import { scopeOfCommand } from '../s3/request-scope';
import { AppFailure } from '../app-failure';

/**
 * Makes a command send exactly one HTTP request, for the queue's own retries: the client's retry
 * strategy refuses a second attempt for it, so the SDK's three attempts cannot hide what the
 * queue does (a 403 is one request; a cut part is counted and backed off by the queue, with its
 * state shown). With `onBodyBytes`, a body given as bytes is sent in slices and each slice is
 * reported as the socket takes it (a stream body is counted as it is read). Honoured by clients
 * from createS3Client (request-scope.ts), which every account's client is.
 */
export function singleAttempt<C extends object>(command: C, onBodyBytes?: (bytes: number) => void): C {
  const scope = scopeOfCommand(command);
  scope.singleAttempt = true;
  if (onBodyBytes) scope.onBodyBytes = onBodyBytes;
  return command;
}

/**
 * Signs a command's request with a payload hash computed beforehand (x-amz-content-sha256),
 * so that SigV4 does not hash the body again: the upload has the SHA-256 of its bytes already.
 * The service still checks it against the bytes it receives.
 */
export function withPayloadSha256<C extends object>(command: C, sha256: Uint8Array): C {
  scopeOfCommand(command).payloadSha256Hex = Buffer.from(sha256.buffer, sha256.byteOffset, sha256.byteLength).toString(
    'hex',
  );
  return command;
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
