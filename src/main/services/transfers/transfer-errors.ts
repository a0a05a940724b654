import type { AppError } from '../../../shared/errors';
import {
  failureDetail,
  unknownFailure,
  wordFailure,
  type FailureContext,
  type FailureFacts,
} from '../../../shared/failure-words';
import { AppFailure } from '../app-failure';
import { classifyS3Error } from '../s3/classify-s3-error';
import { isTransientError } from './retry-policy';

type ErrorShape = {
  name?: unknown;
  Code?: unknown;
  code?: unknown;
  syscall?: unknown;
  message?: unknown;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $fault?: unknown;
};

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * The facts of a thrown value: the S3 error code, HTTP status, system error code and the
 * service's sentence (for S3 errors only: Node's own messages hold full local paths).
 */
export function failureFacts(thrown: unknown): FailureFacts {
  if (typeof thrown !== 'object' || thrown === null) return {};
  const error = thrown as ErrorShape;
  const status = error.$metadata?.httpStatusCode;
  const rawName = text(error.Code) ?? text(error.name);
  // "Error" and "UnknownError" say nothing; S3 names are letters only.
  const name =
    rawName && /^[A-Za-z]+$/.test(rawName) && rawName !== 'Error' && rawName !== 'UnknownError' ? rawName : undefined;
  const errno = text(error.code);
  const fromService = status !== undefined || error.$fault !== undefined;
  const facts: FailureFacts = {
    ...(name ? { name } : {}),
    ...(status !== undefined ? { status } : {}),
    ...(errno && /^[A-Z][A-Z0-9_]+$/.test(errno) ? { errno } : {}),
    ...(errno && text(error.syscall) ? { syscall: text(error.syscall) } : {}),
    ...(fromService && text(error.message) ? { serviceMessage: text(error.message) } : {}),
    ...(text(error.$metadata?.requestId) ? { requestId: text(error.$metadata?.requestId) } : {}),
  };
  if (
    !facts.name &&
    !facts.errno &&
    facts.status === undefined &&
    error.cause !== undefined &&
    error.cause !== thrown
  ) {
    return failureFacts(error.cause);
  }
  return facts;
}

/**
 * The error a transfer shows: a code, a message in words (what happened, then what to do, naming
 * the bucket where it helps), and the technical facts as `detail` for "Details". The words come
 * from one table (src/shared/failure-words.ts); failures the app throws itself carry their own.
 * Unknown errors say nothing of their text (it could hold a secret or a path), like the hosts'
 * dispatch.
 */
export function describeTransferError(thrown: unknown, context: FailureContext = {}): AppError {
  if (thrown instanceof AppFailure) {
    const said = thrown.toAppError();
    // The runners' own network failures say what happened ("The download was cut short."): add what to do.
    const own =
      (said.code === 'network' || said.code === 'timeout') && !/retry|try again|check/i.test(said.message)
        ? { ...said, message: `${said.message} Check your network connection, then retry.` }
        : said;
    // The watchdog's and the queue's own failures wrap the service's: its facts go in the details.
    if (own.detail || thrown.cause === undefined) return own;
    const detail = failureDetail(failureFacts(thrown.cause));
    return detail ? { ...own, detail } : own;
  }
  const facts = failureFacts(thrown);
  const worded = wordFailure(facts, context);
  if (worded) return worded;
  const known = classifyS3Error(thrown);
  if (known) return { ...known, ...(failureDetail(facts) ? { detail: failureDetail(facts) } : {}) };
  if (isTransientError(thrown)) {
    const cut = wordFailure({ ...facts, errno: 'ECONNRESET' }, context);
    if (cut) return { ...cut, detail: failureDetail(facts) || 'The connection ended early.' };
  }
  return unknownFailure(facts, context);
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
