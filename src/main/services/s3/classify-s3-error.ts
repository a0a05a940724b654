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
  InvalidToken: appError('invalid-credentials', 'The session token is not valid. Enter a fresh one, or clear it.'),
  ExpiredToken: appError('credentials-expired'),
  TokenRefreshRequired: appError('credentials-expired'),
  RequestTimeTooSkewed: appError('clock-skew'),
  AccessDenied: appError('access-denied'),
  AllAccessDisabled: appError('access-denied', 'All access to this bucket has been disabled by its owner.'),
  NoSuchBucket: appError('no-such-bucket'),
  NoSuchKey: appError('no-such-key'),
  BucketAlreadyOwnedByYou: appError('conflict', 'You already own a bucket with that name.'),
  BucketAlreadyExists: appError('conflict', 'That bucket name is taken. Bucket names are global: choose another.'),
  BucketNotEmpty: appError('conflict', 'The bucket is not empty. Delete its objects first.'),
  NotImplemented: appError('not-supported'),
  // A service without the operation (s3rver's ListParts, AbortMultipartUpload) answers 405.
  MethodNotAllowed: appError('not-supported', 'This service does not allow that request on this resource.'),
  TimeoutError: appError('timeout'),
  RequestTimeout: appError('timeout'),
};

const networkCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ECONNABORTED',
]);
const timeoutCodes = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT']);

/**
 * Why Node refuses a certificate, in words, by its OpenSSL verify code:
 * https://www.openssl.org/docs/manmaster/man3/X509_STORE_CTX_get_error.html
 */
const certificateReasons: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'it was issued by a certificate authority this computer does not trust',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'it was issued by a certificate authority this computer does not trust',
  UNABLE_TO_GET_ISSUER_CERT: 'the certificate of its issuer could not be found',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its signature could not be verified against a trusted authority',
  CERT_UNTRUSTED: 'it is not trusted for this purpose',
  CERT_HAS_EXPIRED: 'it has expired',
  CERT_NOT_YET_VALID: 'it is not valid yet (check the clock)',
  CERT_REVOKED: 'it was revoked',
  ERR_TLS_CERT_ALTNAME_INVALID: 'it was issued for another host name',
  HOSTNAME_MISMATCH: 'it was issued for another host name',
};

/** Why this computer refuses a server certificate, as a clause ("it is self-signed"); unknown codes are kept as they are. */
export function describeCertificateProblem(code: string): string {
  return certificateReasons[code] ?? code;
}

type ErrorLike = {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
};

/** Reads the permission an AccessDenied message names ("not authorized to perform: s3:ListAllMyBuckets"). */
function missingPermission(message: string): string | undefined {
  return /perform:\s*(s3:[A-Za-z]+)/.exec(message)?.[1];
}

/** The region a refusal says the service expects ("…the region 'us-east-1' is wrong; expecting 'eu-west-1'"), if it names one. */
export function expectedRegionOf(thrown: unknown): string | undefined {
  if (typeof thrown !== 'object' || thrown === null) return undefined;
  const { name, message } = thrown as ErrorLike;
  if (
    name !== 'AuthorizationHeaderMalformed' &&
    name !== 'PermanentRedirect' &&
    name !== 'IllegalLocationConstraintException'
  )
    return undefined;
  return typeof message === 'string' ? /expecting '([a-z0-9-]+)'/.exec(message)?.[1] : undefined;
}

/** Turns an AWS SDK, credential-provider or network error into an AppError, or undefined when it is unknown. */
export function classifyS3Error(thrown: unknown): AppError | undefined {
  if (typeof thrown !== 'object' || thrown === null) return undefined;
  const error = thrown as ErrorLike;
  const name = typeof error.name === 'string' ? error.name : '';
  const code = typeof error.code === 'string' ? error.code : '';
  const message = typeof error.message === 'string' ? error.message : '';

  if (name === 'AccessDenied') {
    const permission = missingPermission(message);
    if (permission) return appError('access-denied', `The service refused this: the account lacks ${permission}.`);
  }
  if (
    name === 'AuthorizationHeaderMalformed' ||
    name === 'PermanentRedirect' ||
    name === 'IllegalLocationConstraintException'
  ) {
    const expected = expectedRegionOf(thrown);
    return appError(
      'wrong-region',
      expected
        ? `The service expects the region ${expected}. Set it in the account, or leave the region empty to detect it.`
        : undefined,
    );
  }
  if (byName[name]) return byName[name];
  if (name === 'CredentialsProviderError' || name === 'TokenProviderError') {
    if (/sso/i.test(message) && /(expired|invalid|sso login)/i.test(message)) return appError('credentials-expired');
    return appError('invalid-credentials', `No credentials could be loaded: ${message.split('\n')[0]}`);
  }
  if (Object.hasOwn(certificateReasons, code)) {
    return appError(
      'certificate-untrusted',
      `The server's TLS certificate was refused: ${describeCertificateProblem(code)}. Give the account its CA certificate file, or trust this certificate explicitly.`,
    );
  }
  if (networkCodes.has(code)) return appError('network');
  if (timeoutCodes.has(code)) return appError('timeout');
  if (/Deserialization error|XML parse error|char '<' is not expected/i.test(message)) return appError('not-s3');
  if ((name === 'NotFound' || name === 'UnknownError') && error.$metadata?.httpStatusCode === 404) {
    return appError('no-such-key');
  }
  if (error.cause !== undefined && error.cause !== thrown) return classifyS3Error(error.cause);
  // 501 Not Implemented without a known name: the service lacks the feature, whatever it calls it.
  if (error.$metadata?.httpStatusCode === 501) return appError('not-supported');
  return undefined;
}

/** The HTTP status of an SDK error, where it has one. */
export function httpStatusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}
