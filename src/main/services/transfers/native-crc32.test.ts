import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { CRC32_IN_WORKER, crc32, nativeCrc32Path } from './native-crc32';

/** Runs `crc32` over the given pieces in a worker with the snippet, as the part reader's and file writer's workers do. */
async function inWorker(
  crc32Module: string | undefined,
  pieces: Buffer[],
): Promise<{ value: number; native: boolean }> {
  const source = `${CRC32_IN_WORKER}
const { parentPort, workerData } = require('node:worker_threads');
let value = 0;
for (const piece of workerData.pieces) value = crc32(piece, value);
parentPort.postMessage({ value, native: crc32IsNative });`;
  const worker = new Worker(source, { eval: true, workerData: { crc32Module, pieces } });
  try {
    return await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  } finally {
    await worker.terminate();
  }
}

describe('native CRC32', () => {
  test('the native module loads here (the platform CI and this machine run)', () => {
    expect(nativeCrc32Path()).toMatch(/@node-rs[/\\]crc32/);
  });

  test("gives zlib's values: whole, in pieces continued from a value, on views with an offset, and empty", () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    expect(crc32(bytes)).toBe(zlibCrc32(bytes));
    const view = bytes.subarray(1001, 2_000_003);
    expect(crc32(view)).toBe(zlibCrc32(view));
    let value = 0;
    for (let offset = 0; offset < bytes.length; offset += 65_537)
      value = crc32(bytes.subarray(offset, offset + 65_537), value);
    expect(value).toBe(zlibCrc32(bytes));
    expect(crc32(Buffer.alloc(0))).toBe(0);
    expect(crc32(Buffer.alloc(0), 1234)).toBe(1234);
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  test("in a worker: the native module from the path given, zlib's where none is given or it does not load; the same values", async () => {
    const pieces = [randomBytes(100_000), randomBytes(7), randomBytes(1 << 20)];
    const expected = zlibCrc32(Buffer.concat(pieces));
    expect(await inWorker(nativeCrc32Path(), pieces)).toEqual({ value: expected, native: true });
    expect(await inWorker(undefined, pieces)).toEqual({ value: expected, native: false });
    expect(await inWorker('/nonexistent/crc32.node', pieces)).toEqual({ value: expected, native: false });
  });
});
