import type { AppError, ErrorCode } from './errors';

/**
 * The words for failures of transfers: one table from what went wrong (an S3 error code, an HTTP
 * status, a local system error, a network error) to what a person reads: what happened, then what
 * to do. The technical facts (error name, status, the service's own sentence, request id) go into
 * `detail`, shown behind "Details", never as the headline. Pure data and string work, so main
 * words the errors and tests check the table without a server.
 */

/** The facts of a failure, as main reads them from what was thrown. */
export interface FailureFacts {
  /** The S3 error code (AccessDenied) or the SDK's error name (TimeoutError). */
  name?: string | undefined;
  /** The HTTP status the service answered with. */
  status?: number | undefined;
  /** A Node system error code (ENOSPC, ECONNRESET). */
  errno?: string | undefined;
  /** The system call that failed (open, write), for the details. */
  syscall?: string | undefined;
  /** The service's own sentence (S3's <Message>): for the details only, it can be cryptic. */
  serviceMessage?: string | undefined;
  /** The service's request id, which its operators ask for. */
  requestId?: string | undefined;
}

/** What failed: the bucket and which way the transfer went, so the words can name them. */
export interface FailureContext {
  bucket?: string | undefined;
  direction?: 'upload' | 'download' | 'copy' | undefined;
}

type Words = { code: ErrorCode; message: (context: FailureContext) => string };

const inBucket = (c: FailureContext) => (c.bucket ? ` in bucket ${c.bucket}` : '');
const forBucket = (c: FailureContext) => (c.bucket ? ` for bucket ${c.bucket}` : '');
const thisTransfer = (c: FailureContext) => (c.direction ? `this ${c.direction}` : 'this transfer');

const accessDenied: Words = {
  code: 'access-denied',
  message: (c) =>
    `Access denied: the account may not ${c.direction === 'download' ? 'read' : c.direction === 'upload' ? 'write' : 'do this'}${inBucket(c)}. Check the account's permissions${forBucket(c)}, or use another account.`,
};
const busy: Words = {
  code: 'network',
  message: () =>
    'The service is busy and asked the app to slow down. Wait a few minutes, then retry; the app already tried again several times.',
};
const serviceFailed: Words = {
  code: 'network',
  message: () =>
    'The service had a problem of its own and could not finish the request. Retry in a few minutes; if it keeps failing, the service may be down.',
};
const notSupported: Words = {
  code: 'not-supported',
  message: (c) =>
    `The service does not support a request ${thisTransfer(c)} needs. Change the upload's options (encryption, access, storage class) and retry, or use another service.`,
};
const damagedOnTheWay: Words = {
  code: 'network',
  message: () =>
    'The data arrived damaged at the service on every try. Check your network (a proxy or virus scanner can change data), then retry.',
};
const timedOut: Words = {
  code: 'timeout',
  message: () => 'The service stopped answering. Check your network connection, then retry.',
};
const connectionCut: Words = {
  code: 'network',
  message: () => 'The connection was cut during the transfer. Check your network connection, then retry.',
};

/** S3 error codes (and SDK error names) and their words. */
const byName: Record<string, Words> = {
  AccessDenied: accessDenied,
  AllAccessDisabled: {
    code: 'access-denied',
    message: (c) =>
      `Access denied: the owner of the bucket${c.bucket ? ` ${c.bucket}` : ''} has turned all access off.`,
  },
  NoSuchBucket: {
    code: 'no-such-bucket',
    message: (c) =>
      `The bucket${c.bucket ? ` ${c.bucket}` : ''} does not exist (any more). Refresh the bucket list, or choose another bucket.`,
  },
  NoSuchKey: {
    code: 'no-such-key',
    message: () => 'The file is not in the bucket any more: it was deleted or moved. Refresh the folder.',
  },
  NotFound: {
    code: 'no-such-key',
    message: () => 'The file is not in the bucket any more: it was deleted or moved. Refresh the folder.',
  },
  NoSuchUpload: {
    code: 'conflict',
    message: () =>
      "The service no longer has this upload's parts (it was aborted or expired). Retry to upload the file again from the start.",
  },
  EntityTooLarge: {
    code: 'invalid-input',
    message: () =>
      'The file, or one of its parts, is larger than this service accepts. Lower the part size in Transfers → Settings, or check the bucket\u2019s size limit.',
  },
  EntityTooSmall: {
    code: 'invalid-input',
    message: () =>
      'A part was smaller than this service accepts (S3 needs 5 MiB at least). Raise the part size in Transfers → Settings, then retry.',
  },
  InvalidAccessKeyId: {
    code: 'invalid-credentials',
    message: () =>
      "The service does not know this account's access key. Check the access key ID in the account settings.",
  },
  SignatureDoesNotMatch: {
    code: 'invalid-credentials',
    message: () => "The service refused the account's secret key. Check the secret access key in the account settings.",
  },
  InvalidToken: {
    code: 'invalid-credentials',
    message: () => "The account's session token is not valid. Enter a fresh one in the account settings.",
  },
  ExpiredToken: {
    code: 'credentials-expired',
    message: () => "The account's credentials have expired. Sign in again (for SSO: aws sso login), then retry.",
  },
  RequestTimeTooSkewed: {
    code: 'clock-skew',
    message: () =>
      "This computer's clock is more than 15 minutes off the service's. Set the clock automatically, then retry.",
  },
  SlowDown: busy,
  ServiceUnavailable: busy,
  Throttling: busy,
  ThrottlingException: busy,
  TooManyRequestsException: busy,
  RequestLimitExceeded: busy,
  InternalError: serviceFailed,
  NotImplemented: notSupported,
  MethodNotAllowed: notSupported,
  BadDigest: damagedOnTheWay,
  InvalidDigest: damagedOnTheWay,
  XAmzContentSHA256Mismatch: damagedOnTheWay,
  XAmzContentChecksumMismatch: damagedOnTheWay,
  PreconditionFailed: {
    code: 'conflict',
    message: () => 'The file changed on the service during the download. Retry to download its new version.',
  },
  InvalidStorageClass: {
    code: 'not-supported',
    message: () => "The service does not offer the storage class chosen. Choose another in the upload's options.",
  },
  KeyTooLongError: {
    code: 'invalid-input',
    message: () => 'The name is too long for S3 (1,024 bytes at most). Rename the file or its folders, then upload it.',
  },
  QuotaExceeded: {
    code: 'invalid-input',
    message: (c) =>
      `The service has no room left${forBucket(c)} (its quota or disk is full). Free space, or ask the service's administrator.`,
  },
  XMinioStorageFull: {
    code: 'invalid-input',
    message: () => "The service's disk is full. Free space on it, or ask its administrator.",
  },
  RequestTimeout: timedOut,
  TimeoutError: timedOut,
};

/** Node system error codes and their words. */
const byErrno: Record<string, Words> = {
  ENOSPC: {
    code: 'invalid-input',
    message: () => 'The disk is full. Free some space, or download to another disk, then retry.',
  },
  EDQUOT: {
    code: 'invalid-input',
    message: () => 'Your disk quota is used up. Free some space, or download to another disk, then retry.',
  },
  EACCES: {
    code: 'access-denied',
    message: (c) =>
      c.direction === 'download'
        ? 'The app may not write into the download folder. Check its permissions, or choose another folder.'
        : 'The app may not read this file. Check its permissions, then retry.',
  },
  EPERM: {
    code: 'access-denied',
    message: (c) =>
      c.direction === 'download'
        ? 'The system did not let the app write the file. Check the folder, or choose another one.'
        : 'The system did not let the app read this file. Check its permissions, then retry.',
  },
  EROFS: {
    code: 'invalid-input',
    message: () => 'The download folder is on a read-only disk. Choose another folder.',
  },
  ENOENT: {
    code: 'invalid-input',
    message: (c) =>
      c.direction === 'download'
        ? 'The download folder is gone: it was moved or deleted. Choose another folder.'
        : 'The file is gone: it was moved or deleted after it was chosen. Choose it again to upload it.',
  },
  EISDIR: {
    code: 'conflict',
    message: () => 'A folder has the name this file needs. Rename one of them, then retry.',
  },
  ENAMETOOLONG: {
    code: 'invalid-input',
    message: () => 'The name is too long for this disk. Download into a folder with a shorter path.',
  },
  EMFILE: {
    code: 'internal',
    message: () => 'Too many files are open at once on this computer. Pause some transfers, then retry.',
  },
  ECONNREFUSED: {
    code: 'network',
    message: () =>
      'The service refused the connection: nothing answers at its address. Check the endpoint in the account settings and that the service is running.',
  },
  ENOTFOUND: {
    code: 'network',
    message: () =>
      "The service's address could not be found. Check the endpoint in the account settings and your network.",
  },
  EAI_AGAIN: {
    code: 'network',
    message: () => "The service's address could not be looked up. Check your network connection, then retry.",
  },
  EHOSTUNREACH: {
    code: 'network',
    message: () => 'The service cannot be reached from this network. Check your connection, then retry.',
  },
  ENETUNREACH: {
    code: 'network',
    message: () => 'This computer is not connected to a network. Check your connection, then retry.',
  },
  ECONNRESET: connectionCut,
  EPIPE: connectionCut,
  ECONNABORTED: connectionCut,
  ERR_STREAM_PREMATURE_CLOSE: connectionCut,
  UND_ERR_SOCKET: connectionCut,
  ETIMEDOUT: timedOut,
  ESOCKETTIMEDOUT: timedOut,
};

/** Words for an HTTP status whose error name is unknown. */
function byStatus(status: number): Words | undefined {
  if (status === 403) return accessDenied;
  if (status === 404) return byName.NoSuchKey;
  if (status === 405 || status === 501) return notSupported;
  if (status === 412) return byName.PreconditionFailed;
  if (status === 413) return byName.EntityTooLarge;
  if (status === 429 || status === 503) return busy;
  if (status === 507) return byName.XMinioStorageFull;
  if (status >= 500) return serviceFailed;
  if (status === 401) return byName.InvalidAccessKeyId;
  return undefined;
}

// A service's sentence longer than this is cut in the details (an HTML error page, a stack).
const MAX_SERVICE_MESSAGE = 300;

/**
 * The technical line behind "Details": "S3 error AccessDenied (HTTP 403) · Request ID 4F2… ·
 * The service said: “Access Denied.”", or "System error EACCES (open)". Never a path or a
 * secret: local errors give their code only (Node's message holds the full path).
 */
export function failureDetail(facts: FailureFacts): string {
  const parts: string[] = [];
  if (facts.errno) parts.push(`System error ${facts.errno}${facts.syscall ? ` (${facts.syscall})` : ''}`);
  if (facts.name || facts.status !== undefined) {
    const name = facts.name ? `error ${facts.name}` : 'error';
    parts.push(
      `${facts.status !== undefined ? 'S3 ' : ''}${name}${facts.status !== undefined ? ` (HTTP ${facts.status})` : ''}`,
    );
  }
  if (facts.requestId) parts.push(`Request ID ${facts.requestId}`);
  const said = facts.serviceMessage?.trim();
  if (said && said !== facts.name) {
    const short = said.length > MAX_SERVICE_MESSAGE ? `${said.slice(0, MAX_SERVICE_MESSAGE)}…` : said;
    parts.push(`The service said: “${short}”`);
  }
  return parts.join(' · ');
}

/**
 * What a person reads about a failure: a code, a message that says what happened and what to do
 * (naming the bucket where that helps), and the technical detail. Undefined when nothing in the
 * table knows it (the caller words the rest).
 */
export function wordFailure(facts: FailureFacts, context: FailureContext = {}): AppError | undefined {
  const named = facts.name ? byName[facts.name] : undefined;
  const local = facts.errno ? byErrno[facts.errno] : undefined;
  // Without an answer from the service, the socket's code is the fact: the SDK names a cut
  // connection "TimeoutError", though nothing was slow.
  const words =
    (facts.status === undefined ? (local ?? named) : (named ?? local)) ??
    (facts.status !== undefined ? byStatus(facts.status) : undefined);
  if (!words) return undefined;
  const detail = failureDetail(facts);
  return { code: words.code, message: words.message(context), ...(detail ? { detail } : {}) };
}

/** The words for a failure nothing knows: what to do, with its facts behind "Details". */
export function unknownFailure(facts: FailureFacts, context: FailureContext = {}): AppError {
  const detail = failureDetail(facts);
  const message =
    facts.status !== undefined
      ? `The service refused ${thisTransfer(context)} with an error the app does not know. Retry; if it keeps failing, copy the details for the service's administrator.`
      : `Something unexpected stopped ${thisTransfer(context)}. Retry; if it keeps failing, copy the details and report them.`;
  return { code: 'internal', message, ...(detail ? { detail } : {}) };
}
