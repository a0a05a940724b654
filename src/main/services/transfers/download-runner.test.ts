import { readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { startFileWriter } from './download-runner';

/** The threads of this process (Linux): a worker thread is one more. */
const threadCount = () => readdirSync('/proc/self/task').length;

describe.skipIf(process.platform !== 'linux')('starting the file writer of small downloads', () => {
  test('starts its worker when a download is asked for, and only once for the session', async () => {
    const before = threadCount();
    startFileWriter();
    await expect.poll(threadCount, { timeout: 5000 }).toBeGreaterThan(before);
    const running = threadCount();
    startFileWriter();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(threadCount()).toBe(running);
  });
});
