/** The closed set of error codes a person can act on; every failure crossing a process boundary carries one. */
export const errorCodes = [
  'invalid-credentials',
  'credentials-expired',
  'access-denied',
  'clock-skew',
  'wrong-region',
  'certificate-untrusted',
  'not-s3',
  'keychain-unavailable',
  'no-such-bucket',
  'no-such-key',
  'conflict',
  'invalid-input',
  'network',
  'timeout',
  'not-supported',
  'cancelled',
  'unknown-channel',
  'unauthorized-sender',
  'internal',
] as const;

/** One of the closed set of error codes. */
export type ErrorCode = (typeof errorCodes)[number];

/** An error as data: Electron keeps only an Error's message across IPC, so errors travel as values. */
export interface AppError {
  code: ErrorCode;
  /** What happened and what to do, in words: the headline a person reads. */
  message: string;
  /** The technical facts (error name, HTTP status, request id), shown only behind "Details". */
  detail?: string;
}

/** What to tell a person for each code when the service has nothing more specific to say. */
export const defaultErrorMessages: Record<ErrorCode, string> = {
  'invalid-credentials': 'The access key or secret key was not accepted. Check both keys in the account settings.',
  'credentials-expired':
    'These credentials have expired. For an SSO profile run `aws sso login --profile <name>`, then try again.',
  'clock-skew':
    "This computer's clock differs from the service's by more than 15 minutes. Set the clock automatically, then try again.",
  'wrong-region':
    'The bucket or service is in another region. Set the region it names, or leave the region empty to detect it.',
  'certificate-untrusted':
    "The server's TLS certificate is not trusted. Give the account its CA certificate file, or trust this certificate explicitly.",
  'not-s3': 'Something answered at that address, but not an S3 service. Check the endpoint URL and its port.',
  'keychain-unavailable':
    'No keychain is available to store the secret. Start one (e.g. GNOME Keyring), or keep the secret for this session only.',
  'access-denied': 'The service refused this request. Ask for the missing permission, or use an account that has it.',
  'no-such-bucket': 'That bucket does not exist (any more). Refresh the bucket list.',
  'no-such-key': 'That object does not exist (any more). Refresh the folder.',
  conflict: 'Something with that name already exists. Choose another name or replace it.',
  'invalid-input': 'Some input is not valid. Correct the highlighted fields and try again.',
  network: 'The service could not be reached. Check the endpoint address and your network connection.',
  timeout: 'The service took too long to answer. Try again; if it keeps happening, check your connection.',
  'not-supported': 'This service does not support that feature.',
  cancelled: 'The operation was cancelled.',
  'unknown-channel': 'The app asked for something it does not know. Restart the app; if it persists, report a bug.',
  'unauthorized-sender': 'This window is not allowed to talk to the app. Reload it from the app itself.',
  internal: 'Something went wrong inside the app. Try again; if it persists, report a bug.',
};

/** Makes an AppError, with the default message for its code unless a more specific one is given. */
export function appError(code: ErrorCode, message?: string): AppError {
  return { code, message: message ?? defaultErrorMessages[code] };
}
