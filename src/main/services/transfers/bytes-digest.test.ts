import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { bytesDigest } from './bytes-digest';

describe('the digest a download is checked by', () => {
  test('CRC32 as S3 sends it: the standard check value, base64 of its 4 bytes big-endian', () => {
    const digest = bytesDigest({ algorithm: 'crc32', encoding: 'base64' });
    digest.update(new TextEncoder().encode('123456789'));
    // 0xCBF43926.
    expect(digest.digest()).toBe('y/Q5Jg==');
    const hex = bytesDigest({ algorithm: 'crc32', encoding: 'hex' });
    hex.update(new Uint8Array(0));
    expect(hex.digest()).toBe('00000000');
  });

  test('piece by piece as in one go, for each algorithm', () => {
    const bytes = randomBytes(300_000);
    const pieces = [bytes.subarray(0, 1), bytes.subarray(1, 70_000), bytes.subarray(70_000)];
    for (const algorithm of ['crc32', 'sha256', 'md5'] as const) {
      const whole = bytesDigest({ algorithm, encoding: 'base64' });
      whole.update(bytes);
      const inPieces = bytesDigest({ algorithm, encoding: 'base64' });
      for (const piece of pieces) inPieces.update(piece);
      expect(inPieces.digest(), algorithm).toBe(whole.digest());
    }
    const sha = bytesDigest({ algorithm: 'sha256', encoding: 'base64' });
    sha.update(bytes);
    expect(sha.digest()).toBe(createHash('sha256').update(bytes).digest('base64'));
  });
});
