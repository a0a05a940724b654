import { describe, expect, test } from 'vitest';
import { AppFailure } from '../app-failure';
import { backoffDelay, isTransientError, retryTransient } from './retry-policy';

const s3Error = (name: string, status: number) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

describe('backoff', () => {
  const options = { baseMs: 500, capMs: 20_000 };

  test('doubles with each retry, between half and all of base·2^n', () => {
    expect(backoffDelay(0, options, () => 0)).toBe(250);
    expect(backoffDelay(0, options, () => 1)).toBe(500);
    expect(backoffDelay(1, options, () => 0)).toBe(500);
    expect(backoffDelay(3, options, () => 1)).toBe(4_000);
  });

  test('is capped', () => {
    expect(backoffDelay(10, options, () => 1)).toBe(20_000);
    expect(backoffDelay(50, options, () => 0)).toBe(10_000);
  });

  test('spreads retries that fail together (jitter)', () => {
    const delays = new Set(Array.from({ length: 20 }, () => backoffDelay(4, options)));
    expect(delays.size).toBeGreaterThan(10);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(4_000);
      expect(delay).toBeLessThanOrEqual(8_000);
    }
  });
});

describe('which errors are retried', () => {
  test('throttling, 5xx, timeouts and broken connections are', () => {
    expect(isTransientError(s3Error('SlowDown', 503))).toBe(true);
    expect(isTransientError(s3Error('ServiceUnavailable', 503))).toBe(true);
    expect(isTransientError(s3Error('InternalError', 500))).toBe(true);
    expect(isTransientError(s3Error('Unknown', 502))).toBe(true);
    expect(isTransientError(s3Error('TooManyRequestsException', 429))).toBe(true);
    expect(isTransientError(s3Error('RequestTimeout', 400))).toBe(true);
    expect(isTransientError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isTransientError(Object.assign(new Error('x'), { name: 'TimeoutError' }))).toBe(true);
    expect(isTransientError(new Error('aborted'))).toBe(true);
    expect(isTransientError(new AppFailure('timeout'))).toBe(true);
    expect(isTransientError(new AppFailure('network'))).toBe(true);
  });

  test('refusals are not: a 403 fails at once', () => {
    expect(isTransientError(s3Error('AccessDenied', 403))).toBe(false);
    expect(isTransientError(s3Error('NoSuchBucket', 404))).toBe(false);
    expect(isTransientError(s3Error('InvalidPart', 400))).toBe(false);
    expect(isTransientError(new AppFailure('access-denied'))).toBe(false);
    expect(isTransientError(new AppFailure('cancelled'))).toBe(false);
    expect(isTransientError(new Error('something else'))).toBe(false);
    expect(isTransientError(undefined)).toBe(false);
  });
});

describe('clean-up retries', () => {
  const quick = { attempts: 3, backoff: { baseMs: 1, capMs: 2 } };

  test('passing trouble is tried again until the attempts are used up', async () => {
    let calls = 0;
    const answer = await retryTransient(async () => {
      calls += 1;
      if (calls < 3) throw s3Error('SlowDown', 503);
      return 'aborted';
    }, quick);
    expect([answer, calls]).toEqual(['aborted', 3]);
    calls = 0;
    const failed = retryTransient(async () => {
      calls += 1;
      throw s3Error('InternalError', 500);
    }, quick);
    await expect(failed).rejects.toMatchObject({ name: 'InternalError' });
    expect(calls).toBe(3);
  });

  test('no attempt follows the end of its deadline', async () => {
    const deadline = new AbortController();
    let calls = 0;
    const late = retryTransient(
      async () => {
        calls += 1;
        deadline.abort();
        throw s3Error('SlowDown', 503);
      },
      { ...quick, signal: deadline.signal },
    );
    await expect(late).rejects.toMatchObject({ name: 'SlowDown' });
    expect(calls).toBe(1);
  });

  test('a refusal ends it at once', async () => {
    let calls = 0;
    const refused = retryTransient(async () => {
      calls += 1;
      throw s3Error('AccessDenied', 403);
    }, quick);
    await expect(refused).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(calls).toBe(1);
  });
});
