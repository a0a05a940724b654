import { createHash } from 'node:crypto';
import { crc32Bytes } from './crc32';
import { crc32 } from './native-crc32';
import type { BytesCheck } from './file-writer';

/** A digest computed piece by piece, in the encoding its check compares. */
export interface BytesDigest {
  update(bytes: Uint8Array): void;
  /** The digest of everything given, encoded as the check's expected value is. */
  digest(): string;
}

/**
 * The digest a check compares: SHA-256 or MD5 through node:crypto, or CRC32 (the one S3 calls
 * CRC32, zlib's: its 4 bytes big-endian, as S3 sends `x-amz-checksum-crc32`) through the native
 * module (native-crc32.ts), several times faster than SHA-256 and MD5 here (docs/benchmarks.md).
 */
export function bytesDigest(check: Pick<BytesCheck, 'algorithm' | 'encoding'>): BytesDigest {
  if (check.algorithm === 'crc32') {
    let value = 0;
    return {
      update: (bytes) => void (value = crc32(bytes, value)),
      digest: () => crc32Bytes(value).toString(check.encoding),
    };
  }
  const hash = createHash(check.algorithm);
  return {
    update: (bytes) => void hash.update(bytes),
    digest: () => hash.digest(check.encoding),
  };
}
