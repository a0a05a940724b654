import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { payloadHashFor } from '../s3/payload-hash';
import { crc32Of } from './crc32';
import { digestsOf } from './part-reader';
import {
  carriesChecksum,
  checksumMismatch,
  completionWithWholeCrc32,
  createWithChecksum,
  multipartChecksums,
  partChecksumMismatch,
  journaledChecksum,
  sentChecksum,
  wholeBodyChecksums,
  wholeBodyDigests,
} from './upload-checksum';

const parts = [randomBytes(5 * 1024 * 1024), randomBytes(1234)];
const finished = parts.map((bytes, index) => ({
  partNumber: index + 1,
  etag: `etag-${index}`,
  size: bytes.length,
  checksum: { name: 'ChecksumCRC32', value: crc32Of(bytes).toString('base64') },
}));

describe('upload checksums', () => {
  test("a CRC32 multipart upload expects the whole object's CRC32 first, then the composite", () => {
    const expected = multipartChecksums({ crc32: true }, finished);
    expect(expected?.algorithm).toBe('CRC32');
    expect(expected?.values[0]).toBe(crc32Of(Buffer.concat(parts)).toString('base64'));
    expect(expected?.values[1]).toMatch(/-2$/);
    expect(multipartChecksums({}, finished)).toBeUndefined();
  });

  test('a journaled SHA-256 or CRC32 upload carries its own checksums; one with none does not', () => {
    expect(carriesChecksum(journaledChecksum('sha256'))).toBe(true);
    expect(carriesChecksum(journaledChecksum('crc32'))).toBe(true);
    expect(carriesChecksum(journaledChecksum(undefined))).toBe(false);
  });

  test("a body sent whole is compared by the answer's checksum of its digests' kind", () => {
    const bytes = randomBytes(100);
    const crc32 = crc32Of(bytes);
    const sha256 = Buffer.alloc(32, 7);
    const answer = { ChecksumCRC32: crc32.toString('base64'), ChecksumSHA256: 'other' };
    expect(wholeBodyChecksums({ crc32 }, answer)).toEqual({
      checksum: crc32.toString('base64'),
      expectedChecksums: { algorithm: 'CRC32', values: [crc32.toString('base64')] },
    });
    expect(wholeBodyChecksums({ sha256 }, answer)).toEqual({
      checksum: 'other',
      expectedChecksums: { algorithm: 'SHA-256', values: [sha256.toString('base64')] },
    });
    expect(wholeBodyChecksums({}, {})).toEqual({ checksum: undefined });
  });

  test('a stored checksum matches any expected value, its part count aside; another names both', () => {
    const expected = { algorithm: 'CRC32' as const, values: ['AAAAAA==', 'y/Q5Jg==-2'] };
    expect(checksumMismatch(expected, 'y/Q5Jg==-2')).toBeUndefined();
    expect(checksumMismatch(expected, 'AAAAAA==')).toBeUndefined();
    expect(checksumMismatch(expected, 'BBBBBB==')).toBe('CRC32 BBBBBB==, expected AAAAAA== or y/Q5Jg==');
  });

  test("a part's answer with another checksum than was sent is a mismatch; none, or the same, is not", () => {
    const sent = sentChecksum({ crc32: true }, { crc32: Buffer.from('cbf43926', 'hex') });
    expect(sent).toEqual({ name: 'ChecksumCRC32', value: 'y/Q5Jg==' });
    expect(partChecksumMismatch(3, sent, { ChecksumCRC32: 'y/Q5Jg==' })).toBeUndefined();
    expect(partChecksumMismatch(3, sent, {})).toBeUndefined();
    expect(partChecksumMismatch(3, sent, { ChecksumCRC32: 'AAAAAA==' })).toBe(
      'Part 3: CRC32 AAAAAA==, expected y/Q5Jg==',
    );
    expect(sentChecksum({ sha256: true }, { crc32: Buffer.alloc(4) })).toBeUndefined();
  });

  test('a completion refused for its whole-object CRC32 is sent again without it, and so are later attempts', async () => {
    const sent: object[] = [];
    const refusal = Object.assign(new Error('Unsupported checksum type'), {
      name: 'InvalidRequest',
      $metadata: { httpStatusCode: 400 },
    });
    const complete = completionWithWholeCrc32({ algorithm: 'CRC32', values: ['y/Q5Jg==', 'x-2'] }, async (fields) => {
      sent.push(fields);
      if ('ChecksumCRC32' in fields) throw refusal;
      return 'completed';
    });
    const signal = new AbortController().signal;
    expect(await complete(signal)).toBe('completed');
    expect(await complete(signal)).toBe('completed');
    expect(sent).toEqual([{ ChecksumCRC32: 'y/Q5Jg==', ChecksumType: 'FULL_OBJECT' }, {}, {}]);
  });

  test('any other failure of a completion is not taken for a refused checksum', async () => {
    const lost = Object.assign(new Error('gone'), { name: 'NoSuchUpload', $metadata: { httpStatusCode: 404 } });
    const complete = completionWithWholeCrc32({ algorithm: 'CRC32', values: ['y/Q5Jg=='] }, async () => {
      throw lost;
    });
    await expect(complete(new AbortController().signal)).rejects.toBe(lost);
  });

  test('a creation refused for FULL_OBJECT is asked again for a CRC32 alone; SHA-256 and none are asked once', async () => {
    const asked: object[] = [];
    const refusal = Object.assign(new Error('Unsupported checksum type'), {
      name: 'InvalidArgument',
      $metadata: { httpStatusCode: 400 },
    });
    const send = async (fields: object) => {
      asked.push(fields);
      if ('ChecksumType' in fields) throw refusal;
      return 'created';
    };
    expect(await createWithChecksum('crc32', send)).toBe('created');
    expect(await createWithChecksum('sha256', send)).toBe('created');
    expect(await createWithChecksum(undefined, send)).toBe('created');
    expect(asked).toEqual([
      { ChecksumAlgorithm: 'CRC32', ChecksumType: 'FULL_OBJECT' },
      { ChecksumAlgorithm: 'CRC32' },
      { ChecksumAlgorithm: 'SHA256' },
      {},
    ]);
  });
});

describe('a whole body (one PUT)', () => {
  const body = randomBytes(4321);
  const sha256 = createHash('sha256').update(body).digest();

  test.each([
    ['over plain HTTP (SHA-256 parts)', 'sha256', { md5: false, crc32: true, sha256: true }, sha256.toString('hex')],
    ['over TLS (CRC32 parts)', 'crc32', { md5: false, crc32: true, sha256: false }, 'UNSIGNED-PAYLOAD'],
    ['without checksums', undefined, { md5: true, crc32: false, sha256: true }, sha256.toString('hex')],
  ] as const)(
    '%s: the digests computed, the checksum sent and the payload hash signed',
    (_, checksum, asked, signed) => {
      expect(wholeBodyDigests(checksum)).toEqual(asked);
      const digests = digestsOf(body, wholeBodyDigests(checksum));
      expect(digests.crc32?.toString('base64')).toBe(asked.crc32 ? crc32Of(body).toString('base64') : undefined);
      expect(digests.sha256?.equals(sha256)).toBe(asked.sha256 ? true : undefined);
      expect(digests.md5 !== undefined).toBe(asked.md5);
      // What a whole body sends: its CRC32 wherever one was computed (copy-across-runner's rule too).
      const sent = sentChecksum({ crc32: true }, digests);
      expect(sent?.name).toBe(asked.crc32 ? 'ChecksumCRC32' : undefined);
      expect(payloadHashFor(digests.sha256, sent ? 'crc32' : undefined)).toBe(signed);
      // And the check after it: the service's CRC32 where one was sent.
      expect(
        wholeBodyChecksums(digests, { ChecksumCRC32: crc32Of(body).toString('base64') }).expectedChecksums?.algorithm,
      ).toBe(asked.crc32 ? 'CRC32' : 'SHA-256');
    },
  );

  test('a SHA-256 sent as the checksum is not signed again; a body with neither checksum nor SHA-256 is refused', () => {
    expect(payloadHashFor(sha256, 'sha256')).toBe('UNSIGNED-PAYLOAD');
    expect(() => payloadHashFor(undefined, undefined)).toThrow(/needs its SHA-256/);
  });
});
