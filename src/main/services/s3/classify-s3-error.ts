import { appError, type AppError } from '../../../shared/errors';

/** Error names S3 services return, mapped to what a person can do about them. */
const byName: Record<string, AppError> = {
  InvalidAccessKeyId: appError(
    'invalid-credentials',
    'The access key ID is not known to this service. Check it in the account settings.',
  ),
  SignatureDoesNotMatch: appError(
    'invalid-credentials',
    'The secret access key does not match the access key ID. Check the secret in the account settings.',
  ),
  AccessDenied: appError('access-denied'),
  NoSuchBucket: appError('no-such-bucket'),
  NoSuchKey: appError('no-such-key'),
  NotFound: appError('no-such-key'),
  BucketAlreadyOwnedByYou: appError('conflict', 'You already own a bucket with that name.'),
  BucketAlreadyExists: appError('conflict', 'That bucket name is taken. Bucket names are global: choose another.'),
  NotImplemented: appError('not-supported'),
  TimeoutError: appError('timeout'),
  RequestTimeout: appError('timeout'),
};

const networkCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Turns an AWS SDK or network error into an AppError, or undefined when it is not one we know. */
export function classifyS3Error(thrown: unknown): AppError | undefined {
  if (typeof thrown !== 'object' || thrown === null) return undefined;
  const error = thrown as { name?: unknown; code?: unknown; cause?: unknown };
  if (typeof error.name === 'string' && byName[error.name]) return byName[error.name];
  if (typeof error.code === 'string' && networkCodes.has(error.code)) return appError('network');
  if (error.cause !== undefined && error.cause !== thrown) return classifyS3Error(error.cause);
  return undefined;
}
