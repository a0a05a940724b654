import { describe, expect, it } from 'vitest';
import { failureDetail, unknownFailure, wordFailure, type FailureFacts } from './failure-words';

const upload = { bucket: 'photos', direction: 'upload' as const };
const download = { bucket: 'photos', direction: 'download' as const };

describe('the words for a failure', () => {
  it.each<[string, FailureFacts, string, RegExp]>([
    [
      'AccessDenied',
      { name: 'AccessDenied', status: 403 },
      'access-denied',
      /^Access denied: .*permissions for bucket photos/,
    ],
    ['NoSuchBucket', { name: 'NoSuchBucket', status: 404 }, 'no-such-bucket', /^The bucket photos does not exist/],
    ['NoSuchKey', { name: 'NoSuchKey', status: 404 }, 'no-such-key', /not in the bucket any more.*Refresh the folder/],
    ['NoSuchUpload', { name: 'NoSuchUpload', status: 404 }, 'conflict', /Retry to upload the file again/],
    ['EntityTooLarge', { name: 'EntityTooLarge', status: 400 }, 'invalid-input', /larger than this service accepts/],
    [
      'InvalidAccessKeyId',
      { name: 'InvalidAccessKeyId', status: 403 },
      'invalid-credentials',
      /access key ID in the account settings/,
    ],
    [
      'SignatureDoesNotMatch',
      { name: 'SignatureDoesNotMatch', status: 403 },
      'invalid-credentials',
      /secret access key/,
    ],
    ['RequestTimeTooSkewed', { name: 'RequestTimeTooSkewed', status: 403 }, 'clock-skew', /clock/],
    ['SlowDown', { name: 'SlowDown', status: 503 }, 'network', /busy and asked the app to slow down/],
    ['a bare 503', { status: 503 }, 'network', /busy/],
    [
      'NotImplemented',
      { name: 'NotImplemented', status: 501 },
      'not-supported',
      /^The service does not support a request this upload needs/,
    ],
    ['MethodNotAllowed', { name: 'MethodNotAllowed', status: 405 }, 'not-supported', /^The service does not support/],
    ['BadDigest', { name: 'BadDigest', status: 400 }, 'network', /arrived damaged/],
    ['ENOSPC', { errno: 'ENOSPC', syscall: 'write' }, 'invalid-input', /disk is full/],
    ['EACCES', { errno: 'EACCES', syscall: 'open' }, 'access-denied', /may not read this file/],
    ['ENOENT', { errno: 'ENOENT', syscall: 'open' }, 'invalid-input', /file is gone/],
    ['ECONNRESET', { errno: 'ECONNRESET' }, 'network', /connection was cut/],
    ['ECONNREFUSED', { errno: 'ECONNREFUSED' }, 'network', /refused the connection/],
    ['ETIMEDOUT', { errno: 'ETIMEDOUT' }, 'timeout', /stopped answering/],
  ])('%s says what happened and what to do', (_name, facts, code, words) => {
    const error = wordFailure(facts, upload);
    expect(error?.code).toBe(code);
    expect(error?.message).toMatch(words);
    // The headline is words: no error names, statuses or "report a bug".
    expect(error?.message).not.toMatch(/\b[A-Z][a-z]+[A-Z]\w+\b|\b\d{3}\b|report a bug/);
    expect(error?.detail).toBeTruthy();
  });

  it('words local errors for the way the transfer went', () => {
    expect(wordFailure({ errno: 'EACCES' }, download)?.message).toMatch(/may not write into the download folder/);
    expect(wordFailure({ errno: 'ENOENT' }, download)?.message).toMatch(/download folder is gone/);
    expect(wordFailure({ name: 'AccessDenied' }, download)?.message).toMatch(/may not read in bucket photos/);
  });

  it('keeps the technical facts for Details: name, status, request id, the service sentence (cut short)', () => {
    expect(
      failureDetail({ name: 'AccessDenied', status: 403, requestId: 'ABC123', serviceMessage: 'Access Denied.' }),
    ).toBe('S3 error AccessDenied (HTTP 403) · Request ID ABC123 · The service said: “Access Denied.”');
    expect(failureDetail({ errno: 'EACCES', syscall: 'open' })).toBe('System error EACCES (open)');
    expect(failureDetail({ serviceMessage: 'x'.repeat(400), status: 400 })).toMatch(/x{300}…”$/);
  });

  it('words what nothing knows without its text, with its facts in Details', () => {
    expect(wordFailure({ name: 'SomethingNew', status: 400 })).toBeUndefined();
    const unknown = unknownFailure({ name: 'SomethingNew', status: 400 }, upload);
    expect(unknown.code).toBe('internal');
    expect(unknown.message).toMatch(/^The service refused this upload with an error the app does not know\. Retry/);
    expect(unknown.detail).toBe('S3 error SomethingNew (HTTP 400)');
    expect(unknownFailure({}).message).toMatch(/^Something unexpected stopped this transfer/);
  });
});

describe('a connection cut', () => {
  it('is a cut, not a timeout, though the SDK names it TimeoutError', () => {
    expect(wordFailure({ name: 'TimeoutError', errno: 'ECONNRESET' })?.code).toBe('network');
    expect(wordFailure({ name: 'TimeoutError' })?.code).toBe('timeout');
  });
});
