import { describe, expect, test } from 'vitest';
import { MAX_OBJECT_SIZE, MAX_PARTS, MiB, partCount, partRange, partSizeFor } from './part-size';

describe('part size', () => {
  test('keeps the setting for files that fit in 10,000 parts of it', () => {
    expect(partSizeFor(200 * MiB, 8)).toBe(8 * MiB);
    expect(partCount(200 * MiB, 8 * MiB)).toBe(25);
    expect(partSizeFor(10_000 * 8 * MiB, 8)).toBe(8 * MiB);
  });

  test('grows in whole MiB so that a 5 TiB file needs fewer than 10,000 parts', () => {
    const size = partSizeFor(MAX_OBJECT_SIZE, 8);
    expect(size % MiB).toBe(0);
    expect(size).toBe(525 * MiB);
    expect(partCount(MAX_OBJECT_SIZE, size)).toBe(9_987);
    expect(partCount(MAX_OBJECT_SIZE, size)).toBeLessThanOrEqual(MAX_PARTS);
    // One byte over 10,000 parts of the setting: one MiB more.
    expect(partSizeFor(10_000 * 8 * MiB + 1, 8)).toBe(9 * MiB);
    expect(partCount(10_000 * 8 * MiB + 1, 9 * MiB)).toBeLessThanOrEqual(MAX_PARTS);
  });

  test('never below S3’s 5 MiB minimum, never above 5 GiB', () => {
    expect(partSizeFor(100 * MiB, 1)).toBe(5 * MiB);
    expect(partSizeFor(MAX_OBJECT_SIZE, 6000)).toBe(5 * 1024 * MiB);
  });

  test('ranges cover the file exactly, the last part shorter', () => {
    const size = 20 * MiB + 3;
    const count = partCount(size, 8 * MiB);
    expect(count).toBe(3);
    const ranges = Array.from({ length: count }, (_, i) => partRange(i + 1, 8 * MiB, size));
    expect(ranges).toEqual([
      { start: 0, end: 8 * MiB },
      { start: 8 * MiB, end: 16 * MiB },
      { start: 16 * MiB, end: size },
    ]);
    expect(partCount(0, 8 * MiB)).toBe(1);
  });
});
