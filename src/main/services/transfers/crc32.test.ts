import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { compositeCrc32, crc32Combine, crc32Of, fullObjectCrc32, wholeCrc32 } from './crc32';
import { partRange } from './part-size';

describe('crc32', () => {
  test('encodes as S3 does: the standard check value of "123456789"', () => {
    expect(crc32Of(Buffer.from('123456789')).toString('hex')).toBe('cbf43926');
    expect(crc32Of(Buffer.from('123456789')).toString('base64')).toBe('y/Q5Jg==');
  });

  test('combines two pieces into the CRC32 of both, whatever their sizes', () => {
    for (const [a, b] of [
      [0, 0],
      [0, 5],
      [5, 0],
      [1, 1],
      [1000, 17],
      [65_536, 1_048_577],
    ] as const) {
      const first = randomBytes(a);
      const second = randomBytes(b);
      expect(crc32Combine(crc32(first), crc32(second), b)).toBe(crc32(Buffer.concat([first, second])));
    }
  });

  test('combines lengths past 2^32 (objects of 5 GiB and more): the order of combining does not matter', () => {
    const [a, b, c] = [0x12345678, 0x9abcdef0, 0x0badf00d];
    const lengthB = 3 * 2 ** 31 + 7;
    const lengthC = 2 ** 32 + 1;
    const left = crc32Combine(crc32Combine(a, b, lengthB), c, lengthC);
    const right = crc32Combine(a, crc32Combine(b, c, lengthC), lengthB + lengthC);
    expect(left).toBe(right);
    // Zeros' CRC32 shifted by 2^32 + 1 bytes is not the same as by 1 byte: the high bits count.
    expect(crc32Combine(a, 0, 2 ** 32 + 1)).not.toBe(crc32Combine(a, 0, 1));
  });

  test("a whole object's CRC32 from its parts' equals the CRC32 of all its bytes", () => {
    const parts = [randomBytes(5 * 1024 * 1024), randomBytes(5 * 1024 * 1024), randomBytes(123_457)];
    const whole = crc32Of(Buffer.concat(parts)).toString('base64');
    const fromParts = fullObjectCrc32(
      parts.map((part) => ({ crc32Base64: crc32Of(part).toString('base64'), size: part.length })),
    );
    expect(fromParts).toBe(whole);
  });

  test("the composite CRC32 is the CRC32 of the parts' CRC32s, with their count", () => {
    const partCrcs = ['AAAAAA==', 'y/Q5Jg=='];
    const joined = Buffer.from('00000000cbf43926', 'hex');
    expect(compositeCrc32(partCrcs)).toBe(`${crc32Of(joined).toString('base64')}-2`);
  });

  test("a ranged download's CRC32: the ranges' own where known, the others read back from the file", async () => {
    const folder = await mkdtemp(join(tmpdir(), 's3fm-crc32-'));
    try {
      const size = 3 * 1024 * 1024 + 4_321;
      const bytes = randomBytes(size);
      const file = join(folder, 'download.part');
      await writeFile(file, bytes);
      const layout = { count: 4, chunkSize: 1024 * 1024, size };
      const rangeCrc = (index: number) => {
        const { start, end } = partRange(index + 1, layout.chunkSize, size);
        return crc32Of(bytes.subarray(start, end)).toString('base64');
      };
      const handle = await open(file, 'r');
      try {
        const whole = crc32Of(bytes).toString('base64');
        // Ranges 0 and 3 came in this run; 1 and 2 were written by an earlier one.
        const known = new Map([0, 3].map((index) => [index, rangeCrc(index)]));
        expect(await wholeCrc32(handle, layout, known)).toBe(whole);
        expect(await wholeCrc32(handle, layout, new Map())).toBe(whole);
        // A range whose bytes on disk are not what came: the whole no longer matches.
        known.set(1, crc32Of(randomBytes(1024 * 1024)).toString('base64'));
        expect(await wholeCrc32(handle, layout, known)).not.toBe(whole);
      } finally {
        await handle.close();
      }
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
