import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileLogger } from './logger';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 's3fm-log-'));
});
afterEach(async () => rm(folder, { recursive: true, force: true }));

/** The log's text after some lines were written by `write`. */
async function logged(write: (logger: ReturnType<typeof createFileLogger>) => void): Promise<string> {
  const file = join(folder, 'logs', 'main.log');
  const logger = createFileLogger(file);
  write(logger);
  await logger.flush();
  return readFile(file, 'utf8');
}

/** The forms a secret takes in text, written out here by hand (not with the code under test). */
function formsOf(secret: string): string[] {
  return [
    secret,
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
    Buffer.from(secret).toString('base64'),
    Buffer.from(secret).toString('base64url'),
  ];
}

/** Percent-escapes with lower-case hex digits (%2f), as some encoders write them. */
const lowerHex = (encoded: string) => encoded.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());

describe('file logger', () => {
  it('masks every registered secret before writing a line', async () => {
    const text = await logged((logger) => {
      logger.redact('SECRET-KEY-123456');
      logger.info('saving', { note: 'the key is SECRET-KEY-123456 here' });
      logger.warn('plain line');
    });
    expect(text).not.toContain('SECRET-KEY-123456');
    expect(text).toContain('the key is [redacted] here');
    expect(text.trim().split('\n')).toHaveLength(2);
  });

  it('masks a secret holding quotes and backslashes, which JSON escapes on the line', async () => {
    const secret = 'ab"cd\\ef/gh+ij=kl-quoted';
    const text = await logged((logger) => {
      logger.redact(secret);
      logger.warn('failed', { error: `signing with ${secret} failed`, nested: { list: [secret] } });
    });
    for (const form of formsOf(secret)) expect(text).not.toContain(form);
    expect(text).toContain('signing with [redacted] failed');
  });

  it('masks URL-encoded and base64 forms of a secret', async () => {
    const secret = 'wJalr/XUtnFEMI+K7MDENG=bPxRfiCY';
    const text = await logged((logger) => {
      logger.redact(secret);
      logger.info('request', { url: `https://example.test/b/k?token=${encodeURIComponent(secret)}&x=1` });
      // Named so that only the value's form, not the member's name, can get it masked.
      logger.info('header', { sent: `Basic ${Buffer.from(`user:${secret}`).toString('base64')}` });
      logger.info('encoded', {
        value: Buffer.from(secret).toString('base64'),
        lower: lowerHex(encodeURIComponent(secret)),
      });
      logger.info(`message with ${secret}`);
    });
    for (const form of [...formsOf(secret), lowerHex(encodeURIComponent(secret))]) expect(text).not.toContain(form);
    // The alignment of `user:` before the secret shifts its base64: the middle of it is masked still.
    const shifted = Buffer.from(`user:${secret}`).toString('base64');
    expect(text).not.toContain(shifted.slice(8, -4));
    expect(text).toContain('token=[redacted]&x=1');
  });

  it('masks request signatures, session tokens and SSE-C keys wherever they appear, registered or not', async () => {
    const token = 'FwoGZXIvYXdzEJr//////////wEaDH+token/with=chars';
    const key = 'q83vEjRWeJqrze8SNFZ4mqvN7xI0VniaqfN7xI0VniY=';
    const signature = 'a'.repeat(64);
    const url =
      'https://s3.example.test/bucket/key?X-Amz-Algorithm=AWS4-HMAC-SHA256' +
      '&X-Amz-Credential=AKIDEXAMPLE%2F20260101%2Fus-east-1%2Fs3%2Faws4_request' +
      `&X-Amz-Security-Token=${encodeURIComponent(token)}&X-Amz-Signature=${signature}` +
      `&x-amz-server-side-encryption-customer-key=${encodeURIComponent(key)}`;
    const text = await logged((logger) => {
      logger.info('link', { url });
      logger.info('headers', {
        headers: {
          'x-amz-server-side-encryption-customer-key': key,
          'X-Amz-Server-Side-Encryption-Customer-Key-MD5': 'md5-of-the-key',
          'x-amz-security-token': token,
          authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=${signature}`,
        },
        input: { SSECustomerKey: key, CopySourceSSECustomerKey: key, Bucket: 'b' },
      });
      logger.error('request failed', {
        error: new Error(
          `refused: x-amz-copy-source-server-side-encryption-customer-key: ${key}, x-amz-security-token: ${token}`,
        ),
        raw: Buffer.from(key, 'base64'),
      });
    });
    for (const secret of [token, key, signature, encodeURIComponent(token), encodeURIComponent(key)])
      expect(text).not.toContain(secret);
    // What is not secret stays, so the log still says what happened.
    expect(text).toContain('X-Amz-Credential=AKIDEXAMPLE%2F20260101%2Fus-east-1%2Fs3%2Faws4_request');
    expect(text).toContain('md5-of-the-key');
    expect(text).toContain('"Bucket":"b"');
    expect(text).toContain('refused: x-amz-copy-source-server-side-encryption-customer-key: [redacted]');
    expect(text).toContain('"raw":"[32 bytes]"');
  });

  it('writes errors, dates and cycles as readable values', async () => {
    const cycle: Record<string, unknown> = { name: 'loop' };
    cycle.self = cycle;
    const text = await logged((logger) =>
      logger.warn('odd values', { error: Object.assign(new Error('boom'), { code: 'EIO' }), at: new Date(0), cycle }),
    );
    const entry = JSON.parse(text) as Record<string, unknown>;
    expect(entry.error).toEqual({ name: 'Error', message: 'boom', code: 'EIO' });
    expect(entry.at).toBe('1970-01-01T00:00:00.000Z');
    expect(entry.cycle).toEqual({ name: 'loop', self: '[circular]' });
  });
});
