import { appError, type AppError } from '../../../shared/errors';
import { AppFailure } from '../app-failure';
import { classifyS3Error } from '../s3/classify-s3-error';
import { isTransientError } from './retry-policy';

/** What a person reads first for each kind of failure, before the advice. */
const headlines: Partial<Record<AppError['code'], string>> = {
  'access-denied': 'Access denied.',
  'no-such-bucket': 'The bucket does not exist.',
  'no-such-key': 'The object does not exist.',
  network: 'The connection failed.',
  'invalid-credentials': 'The credentials were refused.',
};

/**
 * The error a transfer shows: the failure's code and a message that starts with what
 * happened ("Access denied.") and goes on with what to do. Unknown errors say nothing of
 * their text (it could hold a secret), like the hosts' dispatch.
 */
export function describeTransferError(thrown: unknown): AppError {
  if (thrown instanceof AppFailure) return thrown.toAppError();
  const status = statusOf(thrown);
  const name = (thrown as { name?: unknown } | null)?.name;
  const label = typeof name === 'string' && /^[A-Za-z]+$/.test(name) ? ` ${name}` : '';
  if (status === 501 || status === 405 || name === 'NotImplemented' || name === 'MethodNotAllowed') {
    // The service's own sentence names what it lacks ("Header 'x-amz-…' … not implemented"); it holds no secret of ours.
    const said = (thrown as { message?: unknown }).message;
    const detail = typeof said === 'string' && said !== '' && said.length < 300 ? `: ${said.replace(/\.$/, '')}` : '';
    return appError(
      'not-supported',
      `This service does not support what this transfer asks for${detail}. Change the upload's options (encryption, access, storage class) and try again.`,
    );
  }
  if (status !== undefined && (status >= 500 || status === 429)) {
    // A busy or failing service (503 SlowDown, 500 InternalError): worth saying which.
    return appError(
      'network',
      status === 503 || status === 429
        ? `The service is busy (${status}${label}) and asked to slow down. Try again later.`
        : `The service failed (${status}${label}). Try again later.`,
    );
  }
  const code = (thrown as { code?: unknown } | null)?.code;
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED') {
    // The SDK names these TimeoutError, but the connection was cut, not slow.
    return appError(
      'network',
      'The connection was cut in the middle of a request. Check your network if it keeps happening.',
    );
  }
  const known = classifyS3Error(thrown) ?? (isTransientError(thrown) ? appError('network') : undefined);
  if (!known) {
    return appError(
      'internal',
      status ? `The service answered ${status}${label}. Try again; if it persists, report a bug.` : undefined,
    );
  }
  const headline = headlines[known.code];
  return headline && !known.message.startsWith(headline)
    ? { ...known, message: `${headline} ${known.message}` }
    : known;
}

/** Whether an error is S3's "no such upload" (the multipart upload was completed or aborted). */
export function isNoSuchUpload(thrown: unknown): boolean {
  const error = thrown as { name?: unknown; Code?: unknown } | null;
  return error?.name === 'NoSuchUpload' || error?.Code === 'NoSuchUpload';
}

/** Whether an error is a 404 (an object, a version or an upload that is not there). */
export function isNotFound(thrown: unknown): boolean {
  const error = thrown as { name?: unknown; $metadata?: { httpStatusCode?: number } } | null;
  return error?.$metadata?.httpStatusCode === 404 || error?.name === 'NotFound' || error?.name === 'NoSuchKey';
}

/** The HTTP status of an S3 error, if it has one. */
export function statusOf(thrown: unknown): number | undefined {
  return (thrown as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}
