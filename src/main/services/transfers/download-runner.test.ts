import { readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { startFileWriter, WRITER_FROM_FILES } from './download-runner';

/** The threads of this process (Linux): a worker thread is one more. */
const threadCount = () => readdirSync('/proc/self/task').length;
const MiB = 1024 * 1024;
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(process.platform !== 'linux')('starting the file writer of small downloads', () => {
  test('starts its worker for a batch of many small files, not for a few, and only once', async () => {
    const before = threadCount();
    // Fewer small files than that (large ones do not count): written on the event loop.
    startFileWriter([...Array<number>(WRITER_FROM_FILES - 1).fill(4096), ...Array<number>(100).fill(MiB + 1)]);
    await wait(300);
    expect(threadCount()).toBe(before);
    // Files of unknown size (asked for by their key) may be small.
    startFileWriter([...Array<number>(WRITER_FROM_FILES - 1).fill(MiB), null]);
    await expect.poll(threadCount, { timeout: 5000 }).toBeGreaterThan(before);
    const running = threadCount();
    startFileWriter(Array<number>(WRITER_FROM_FILES).fill(4096));
    await wait(300);
    expect(threadCount()).toBe(running);
  });
});
