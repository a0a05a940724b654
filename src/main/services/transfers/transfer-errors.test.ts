import { describe, expect, it } from 'vitest';
import { AppFailure } from '../app-failure';
import { describeTransferError } from './transfer-errors';

/** An error shaped as the AWS SDK throws a service's answer. */
function s3Error(name: string, status: number, message: string): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: status, requestId: 'REQ1' },
  });
}

/** An error shaped as Node's fs throws it: its message holds the full path. */
function systemError(code: string, syscall: string): Error {
  return Object.assign(new Error(`${code}: failed, ${syscall} '/home/someone/secret/place/file.txt'`), {
    code,
    syscall,
  });
}

describe('a transfer error', () => {
  it('says in words what a refusal means, naming the bucket, with the facts in its details', () => {
    const error = describeTransferError(s3Error('AccessDenied', 403, 'Access Denied.'), {
      bucket: 'photos',
      direction: 'upload',
    });
    expect(error.code).toBe('access-denied');
    expect(error.message).toMatch(
      /^Access denied: the account may not write in bucket photos\. Check the account's permissions/,
    );
    expect(error.detail).toBe(
      'S3 error AccessDenied (HTTP 403) · Request ID REQ1 · The service said: “Access Denied.”',
    );
  });

  it('never says "report a bug" or the status as the headline of a 405 or 501', () => {
    for (const [name, status] of [
      ['MethodNotAllowed', 405],
      ['NotImplemented', 501],
      ['UnknownError', 405],
    ] as const) {
      const error = describeTransferError(s3Error(name, status, 'The specified method is not allowed.'));
      expect(error.code).toBe('not-supported');
      expect(error.message).toMatch(/^The service does not support a request this transfer needs/);
      expect(error.message).not.toMatch(/405|501|report a bug/);
      expect(error.detail).toContain(`HTTP ${status}`);
    }
  });

  it('keeps local paths out: a system error gives its code, not its message', () => {
    const error = describeTransferError(systemError('EACCES', 'open'), { direction: 'upload' });
    expect(error.message).toBe('The app may not read this file. Check its permissions, then retry.');
    expect(error.detail).toBe('System error EACCES (open)');
    expect(JSON.stringify(error)).not.toContain('/home/someone');
  });

  it("keeps the app's own failures, with their details, and the cause's facts behind a timeout", () => {
    const own = new AppFailure('internal', 'The service stored something other than what was sent.', {
      detail: 'ETag "a", expected "b"',
    });
    expect(describeTransferError(own)).toEqual({
      code: 'internal',
      message: 'The service stored something other than what was sent.',
      detail: 'ETag "a", expected "b"',
    });
    const stalled = new AppFailure('timeout', 'The service sent nothing for 60 s, so the request was stopped.', {
      cause: s3Error('RequestTimeout', 400, 'Your socket connection was not read from.'),
    });
    expect(describeTransferError(stalled).detail).toMatch(/^S3 error RequestTimeout \(HTTP 400\)/);
  });

  it("adds what to do to the runners' own network failures", () => {
    expect(describeTransferError(new AppFailure('network', 'The download was cut short.')).message).toBe(
      'The download was cut short. Check your network connection, then retry.',
    );
  });

  it('words an unknown error without its text', () => {
    const error = describeTransferError(new Error('secret-looking internals'));
    expect(error.code).toBe('internal');
    expect(error.message).not.toContain('secret');
    expect(error.message).toMatch(/Retry; if it keeps failing/);
  });
});
