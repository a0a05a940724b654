import type { FileHandle } from 'node:fs/promises';
import { crc32 } from './native-crc32';
import { MiB, partRange } from './part-size';

/**
 * CRC32 as S3 uses it (x-amz-checksum-crc32: zlib's CRC-32, its 4 bytes most significant
 * first, base64), and the arithmetic that makes a whole object's CRC32 from its parts' (a
 * multipart upload with a FULL_OBJECT checksum reads and sends its parts in parallel, so no
 * single pass sees the bytes in order).
 */

/** A CRC32 as S3 encodes it: four bytes, most significant first. */
export function crc32Bytes(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value >>> 0);
  return bytes;
}

/** The CRC32 of some bytes, as S3 encodes it (4 bytes; base64 is what x-amz-checksum-crc32 carries). */
export function crc32Of(data: Uint8Array): Buffer {
  return crc32Bytes(crc32(data));
}

/** CRC-32's polynomial, reflected (zlib's). */
const POLY = 0xedb88320;

/** a × b modulo the polynomial, both as reflected 32-bit polynomials (zlib's multmodp). */
function multiplyModP(a: number, b: number): number {
  let m = 0x80000000;
  let product = 0;
  for (;;) {
    if ((a & m) !== 0) {
      product ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return product >>> 0;
}

/** x^(2^k) modulo the polynomial for k = 0…31 (zlib's x2n_table). */
const powersOfX = (() => {
  const table: number[] = [];
  let p = 0x40000000; // x^1
  table.push(p);
  for (let k = 1; k < 32; k++) table.push((p = multiplyModP(p, p)));
  return table;
})();

/** x^(n × 2^k) modulo the polynomial; n may exceed 2^32 (a part or object of 5 GiB and more). */
function powerOfX(n: number, k: number): number {
  let p = 0x80000000; // x^0
  while (n > 0) {
    if (n % 2 === 1) p = multiplyModP(powersOfX[k & 31] as number, p);
    n = Math.floor(n / 2);
    k++;
  }
  return p;
}

/** The CRC32 of A followed by B, from A's CRC32, B's and B's length (zlib's crc32_combine). */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  // x^(8 × lengthB): shifting A's CRC past B's bytes.
  return (multiplyModP(powerOfX(lengthB, 3), crcA >>> 0) ^ (crcB >>> 0)) >>> 0;
}

/**
 * A whole object's CRC32 (FULL_OBJECT, base64) from its parts' in order: each part's CRC32
 * (base64, as sent) and size.
 */
export function fullObjectCrc32(parts: readonly { crc32Base64: string; size: number }[]): string {
  let value = 0;
  for (const part of parts) {
    value = crc32Combine(value, Buffer.from(part.crc32Base64, 'base64').readUInt32BE(0), part.size);
  }
  return crc32Bytes(value).toString('base64');
}

/** The composite CRC32 S3 gives a multipart upload that is not FULL_OBJECT: the CRC32 of the parts' CRC32s, base64, "-N". */
export function compositeCrc32(partCrc32sBase64: readonly string[]): string {
  const joined = Buffer.concat(partCrc32sBase64.map((part) => Buffer.from(part, 'base64')));
  return `${crc32Of(joined).toString('base64')}-${partCrc32sBase64.length}`;
}

/**
 * A ranged download's whole CRC32 (base64) from its ranges' CRC32s, in order; a range written
 * by an earlier run (a resumed download) is read back from the file for its own.
 */
export async function wholeCrc32(
  handle: FileHandle,
  layout: { count: number; chunkSize: number; size: number },
  known: ReadonlyMap<number, string>,
): Promise<string> {
  const parts: { crc32Base64: string; size: number }[] = [];
  let buffer: Buffer | undefined;
  for (let index = 0; index < layout.count; index++) {
    const { start, end } = partRange(index + 1, layout.chunkSize, layout.size);
    let value = known.get(index);
    if (value === undefined) {
      buffer ??= Buffer.allocUnsafe(MiB);
      let crc = 0;
      for (let at = start; at < end;) {
        const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, end - at), at);
        // Shorter than written: the size check before placing says so; this CRC32 then cannot match.
        if (bytesRead === 0) break;
        crc = crc32(buffer.subarray(0, bytesRead), crc);
        at += bytesRead;
      }
      value = crc32Bytes(crc).toString('base64');
    }
    parts.push({ crc32Base64: value, size: end - start });
  }
  return fullObjectCrc32(parts);
}
