import { runInNewContext } from 'node:vm';
import { describe, expect, test } from 'vitest';
import { createYoungCollector, youngCollection } from './young-collector';

const MiB = 1024 * 1024;

describe('young collector', () => {
  test('collects once per step of bytes received, not per piece', () => {
    let collections = 0;
    const collector = createYoungCollector(() => collections++, 4 * MiB);
    for (let i = 0; i < 63; i++) collector.received(64 * 1024);
    // 63 × 64 KiB is just under 4 MiB.
    expect(collections).toBe(0);
    collector.received(64 * 1024);
    expect(collections).toBe(1);
    // The count starts again after a collection.
    for (let i = 0; i < 63; i++) collector.received(64 * 1024);
    expect(collections).toBe(1);
    collector.received(10 * MiB);
    expect(collections).toBe(2);
  });

  test('with no collection to be had, counting does nothing', () => {
    const collector = createYoungCollector(null, 1);
    expect(() => collector.received(100 * MiB)).not.toThrow();
  });

  test('the scavenge is had here, and frees dead Buffers\u2019 memory outside the heap', async () => {
    const collect = youngCollection();
    expect(collect).toBeTypeOf('function');
    // A fresh context made afterwards has no `gc`: the flag was cleared again.
    expect(runInNewContext('typeof gc')).toBe('undefined');
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();

    // As a socket's reads are: 10 MiB in 64 KiB Buffers (too large for Node's shared pool), dropped
    // at once (fewer than would make V8 collect on its own for their outside bytes). Tried up to
    // three times: a collection V8 starts by itself meanwhile (the test runner allocates too) can
    // move the Buffers to the old generation, where no scavenge reaches.
    const leftAfterCollecting = async (): Promise<{ allocated: number; left: number }> => {
      collect!();
      const before = process.memoryUsage().arrayBuffers;
      const allocated = (() => {
        const pieces = Array.from({ length: 160 }, () => Buffer.alloc(64 * 1024, 1));
        expect(pieces).toHaveLength(160);
        return process.memoryUsage().arrayBuffers - before;
      })();
      collect!();
      // The backing stores may be freed by V8's sweeper a moment after the scavenge.
      const deadline = Date.now() + 250;
      while (process.memoryUsage().arrayBuffers - before > 2 * MiB && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return { allocated, left: process.memoryUsage().arrayBuffers - before };
    };
    const attempts = [await leftAfterCollecting()];
    const freed = ({ allocated, left }: { allocated: number; left: number }) => allocated >= 9 * MiB && left < 2 * MiB;
    while (attempts.length < 3 && !freed(attempts.at(-1)!)) attempts.push(await leftAfterCollecting());
    expect(attempts.some(freed), JSON.stringify(attempts)).toBe(true);
  });
});
