import { classifyS3Error } from '../s3/classify-s3-error';
import { AppFailure } from '../app-failure';

/** How long to wait before retry number `attempt` (0 for the first retry). */
export interface BackoffOptions {
  /** The first retry waits about this long (half to all of it). */
  baseMs: number;
  /** No wait is longer than this. */
  capMs: number;
}

/** The queue's backoff: half a second, doubling, at most 20 s. */
export const defaultBackoff: BackoffOptions = { baseMs: 500, capMs: 20_000 };

/**
 * Exponential backoff with "equal jitter": between half and all of base·2^attempt (capped),
 * so that parts failing together (a 503 storm) do not all come back at the same moment.
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export function backoffDelay(attempt: number, options: BackoffOptions = defaultBackoff, random = Math.random): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.max(0, attempt));
  return ceiling / 2 + random() * (ceiling / 2);
}

/** S3 error names that mean "try again later" (throttling and passing server trouble). */
const transientNames = new Set([
  'SlowDown',
  'ServiceUnavailable',
  'InternalError',
  'RequestTimeout',
  'RequestTimeoutException',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
  'EC2ThrottledException',
  'TimeoutError',
  'PriorRequestNotComplete',
  // The bytes that arrived are not the bytes sent (their MD5, payload SHA-256 or checksum
  // differs): damaged on the way, so sending them again from the file helps.
  'BadDigest',
  'XAmzContentSHA256Mismatch',
  'XAmzContentChecksumMismatch',
]);

/** Node stream and socket errors that mean the connection broke, not that the request was wrong. */
const brokenStreamCodes = new Set([
  'ERR_STREAM_PREMATURE_CLOSE',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
]);

type ErrorShape = {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
  $response?: { statusCode?: number };
};

/**
 * Whether an error is worth retrying: the network broke or stalled, the server answered
 * 5xx or 429, or it asked us to slow down. Refusals (403, 404, a bad request) are not:
 * retrying them only hides a clear answer.
 */
export function isTransientError(thrown: unknown): boolean {
  if (thrown instanceof AppFailure) return thrown.code === 'network' || thrown.code === 'timeout';
  if (typeof thrown !== 'object' || thrown === null) return false;
  const error = thrown as ErrorShape;
  const name = typeof error.name === 'string' ? error.name : '';
  const code = typeof error.code === 'string' ? error.code : '';
  const message = typeof error.message === 'string' ? error.message : '';
  if (transientNames.has(name) || brokenStreamCodes.has(code)) return true;
  const status = error.$metadata?.httpStatusCode ?? error.$response?.statusCode;
  // 501 Not Implemented is the service saying it lacks a feature: trying again cannot help.
  if (status === 501 || name === 'NotImplemented') return false;
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  if (status !== undefined && status >= 400) return false;
  // A response cut short ("aborted", "socket hang up", "Premature close") has no status.
  if (/^(aborted|socket hang up|premature close)$/i.test(message)) return true;
  const kind = classifyS3Error(thrown)?.code;
  if (kind === 'network' || kind === 'timeout') return true;
  if (error.cause !== undefined && error.cause !== thrown) return isTransientError(error.cause);
  return false;
}

/** How clean-up requests (aborting stray multipart uploads, listing them) are retried. */
export const cleanupRetries = { attempts: 5, backoff: { baseMs: 250, capMs: 2_000 } } as const;

/**
 * Runs `send` until it succeeds, a refusal ends it, or `attempts` are used up, waiting out the
 * backoff between transient failures; none once `signal` is aborted (a deadline). For clean-up that no transfer's retries cover: a stray
 * upload left because one lost answer hit its abort would be billed until someone removes it.
 */
export async function retryTransient<T>(
  send: () => Promise<T>,
  options: { attempts: number; backoff: BackoffOptions; signal?: AbortSignal } = cleanupRetries,
): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await send();
    } catch (error) {
      if (!isTransientError(error) || attempt + 1 >= options.attempts || options.signal?.aborted) throw error;
      await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt, options.backoff)));
    }
  }
}
