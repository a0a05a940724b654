import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdtemp, open, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AppFailure } from '../app-failure';
import { crc32Of } from './crc32';
import { POOL_KEEPS_BYTES, createBufferPool, createPartReader, createWholeFilePool } from './part-reader';

const MiB = 1024 * 1024;
const digest = (algorithm: string, bytes: Uint8Array) => createHash(algorithm).update(bytes).digest('hex');

describe('the part reader', () => {
  let dir: string;
  let file: string;
  const content = randomBytes(5 * MiB + 123);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 's3fm-part-reader-'));
    file = join(dir, 'source.bin');
    await writeFile(file, content);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test('reads each part in a worker with its SHA-256 (and MD5 when asked), into the buffers of its pool', async () => {
    const reader = createPartReader();
    const pool = createBufferPool(2 * MiB);
    const handle = await open(file, 'r');
    try {
      for (const [position, md5] of [
        [0, true],
        [2 * MiB, false],
        [4 * MiB, true],
      ] as const) {
        const length = Math.min(2 * MiB, content.length - position);
        const into = pool.take();
        const part = await reader.read({ handle, path: file, position, length, md5, into });
        // Handed over to the worker (detached here) and back, without a copy.
        expect(into.byteLength).toBe(0);
        expect(part.bytes.buffer.byteLength).toBe(2 * MiB);
        const expected = content.subarray(position, position + length);
        expect(part.bytes.equals(expected)).toBe(true);
        expect(part.sha256?.toString('hex')).toBe(digest('sha256', expected));
        expect(part.md5?.toString('hex')).toBe(md5 ? digest('md5', expected) : undefined);
        pool.give(part.bytes.buffer as ArrayBuffer);
        // The next part goes into the same memory.
        expect(pool.take()).toBe(part.bytes.buffer);
        pool.give(part.bytes.buffer as ArrayBuffer);
      }
    } finally {
      await handle.close();
    }
  });

  test('with CRC32 asked for: a part in a worker, a piece on the spot and a whole file get their CRC32 and no SHA-256', async () => {
    const reader = createPartReader();
    const handle = await open(file, 'r');
    try {
      // 2 MiB goes to a worker; 100 KiB is read on the spot (under ON_THE_SPOT_BYTES).
      for (const length of [2 * MiB, 100 * 1024]) {
        const into = new ArrayBuffer(length);
        const part = await reader.read({ handle, path: file, position: 12_345, length, md5: false, crc32: true, into });
        const expected = content.subarray(12_345, 12_345 + length);
        expect(part.crc32?.toString('base64')).toBe(crc32Of(expected).toString('base64'));
        expect(part.sha256).toBeUndefined();
        expect(part.md5).toBeUndefined();
      }
    } finally {
      await handle.close();
    }
    const whole = await reader.readFile({ path: file, md5: false, crc32: true, maxBytes: 16 * MiB });
    expect(whole?.crc32?.toString('base64')).toBe(crc32Of(content).toString('base64'));
    expect(whole?.sha256).toBeUndefined();
  });

  test('parts read at once in parallel each get their own bytes', async () => {
    const reader = createPartReader();
    const handle = await open(file, 'r');
    try {
      const parts = await Promise.all(
        [0, 1, 2, 3, 4].map((n) =>
          reader.read({ handle, path: file, position: n * MiB, length: MiB, md5: false, into: new ArrayBuffer(MiB) }),
        ),
      );
      parts.forEach((part, n) => {
        expect(part.sha256?.toString('hex')).toBe(digest('sha256', content.subarray(n * MiB, (n + 1) * MiB)));
      });
    } finally {
      await handle.close();
    }
  });

  test.each([
    ['in a worker', 2 * MiB],
    ['on the spot (a small piece)', 1000],
  ])('a file that got shorter fails clearly (%s)', async (_where, length) => {
    const reader = createPartReader();
    const handle = await open(file, 'r');
    try {
      const read = reader.read({
        handle,
        path: file,
        position: content.length - length / 2,
        length,
        md5: false,
        into: new ArrayBuffer(length),
      });
      await expect(read).rejects.toThrow(AppFailure);
      await expect(read).rejects.toThrow(/got shorter while it was uploading/);
    } finally {
      await handle.close();
    }
  });
});

describe('reading a whole file', () => {
  test('in one trip: its bytes, digests and time; nothing for a folder, a FIFO or a file over the limit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 's3fm-read-file-'));
    try {
      const reader = createPartReader();
      const file = join(dir, 'small.bin');
      const bytes = randomBytes(300 * 1024);
      await writeFile(file, bytes);
      const read = await reader.readFile({ path: file, md5: true, maxBytes: MiB });
      expect(read?.bytes.equals(bytes)).toBe(true);
      expect(read?.sha256?.toString('hex')).toBe(digest('sha256', bytes));
      expect(read?.md5?.toString('hex')).toBe(digest('md5', bytes));
      expect(read?.changed).toBe(false);
      expect(read?.mtimeMs).toBe((await stat(file)).mtimeMs);
      expect(await reader.readFile({ path: file, md5: false, maxBytes: 1000 })).toBeUndefined();
      expect(await reader.readFile({ path: dir, md5: false, maxBytes: MiB })).toBeUndefined();
      const fifo = join(dir, 'pipe');
      execFileSync('mkfifo', [fifo]);
      expect(await reader.readFile({ path: fifo, md5: false, maxBytes: MiB })).toBeUndefined();
      await expect(reader.readFile({ path: join(dir, 'gone'), md5: false, maxBytes: MiB })).rejects.toThrow(/ENOENT/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a small file on a local disk is read at once, as the worker reads it; a link, a FIFO and a grown file too', async () => {
    const dir = await mkdtemp(join(tmpdir(), 's3fm-read-at-once-'));
    try {
      const asked: string[] = [];
      const reader = createPartReader(2, {
        isLocal: async (path) => {
          asked.push(path);
          return true;
        },
      });
      const file = join(dir, 'small.bin');
      const bytes = randomBytes(40 * 1024);
      await writeFile(file, bytes);
      const read = await reader.readFile({ path: file, md5: true, maxBytes: MiB, expectedBytes: bytes.length });
      expect(asked).toEqual([file]);
      expect(read?.bytes.equals(bytes)).toBe(true);
      expect(read?.sha256?.toString('hex')).toBe(digest('sha256', bytes));
      expect(read?.md5?.toString('hex')).toBe(digest('md5', bytes));
      expect(read?.changed).toBe(false);
      expect(read?.mtimeMs).toBe((await stat(file)).mtimeMs);
      // Over the limit, not a file: nothing, as from the worker.
      expect(await reader.readFile({ path: file, md5: false, maxBytes: 1000, expectedBytes: 1000 })).toBeUndefined();
      expect(await reader.readFile({ path: dir, md5: false, maxBytes: MiB, expectedBytes: 0 })).toBeUndefined();
      // A FIFO must not hold the event loop waiting for a writer.
      const fifo = join(dir, 'pipe');
      execFileSync('mkfifo', [fifo]);
      expect(await reader.readFile({ path: fifo, md5: false, maxBytes: MiB, expectedBytes: 0 })).toBeUndefined();
      // A link may lead to any file system: read as any other file, its target's bytes.
      const link = join(dir, 'link.bin');
      await symlink(file, link);
      const linked = await reader.readFile({ path: link, md5: false, maxBytes: MiB, expectedBytes: bytes.length });
      expect(linked?.bytes.equals(bytes)).toBe(true);
      expect(linked?.md5).toBeUndefined();
      // Grown past the size read at once since it was queued: read all the same.
      const grown = randomBytes(600 * 1024);
      await writeFile(file, grown);
      const again = await reader.readFile({ path: file, md5: false, maxBytes: MiB, expectedBytes: 10 });
      expect(again?.bytes.equals(grown)).toBe(true);
      expect(again?.sha256?.toString('hex')).toBe(digest('sha256', grown));
      await expect(
        reader.readFile({ path: join(dir, 'gone'), md5: false, maxBytes: MiB, expectedBytes: 10 }),
      ).rejects.toThrow(/ENOENT/);
      // A file expected larger than what is read at once never asks where it is.
      asked.length = 0;
      await reader.readFile({ path: file, md5: false, maxBytes: MiB, expectedBytes: grown.length });
      expect(asked).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("a file of 512 KiB to 16 MiB is read into the pool's memory, given back once released, and used again", async () => {
    const dir = await mkdtemp(join(tmpdir(), 's3fm-read-pooled-'));
    try {
      const pool = createWholeFilePool();
      const reader = createPartReader(2, { isLocal: async () => true }, pool);
      const file = join(dir, 'medium.bin');
      /** Reads `path` (the file by default) for `owner` ('a' by default), as queued at `expectedBytes`. */
      const readAs = (
        expectedBytes: number,
        options: { owner?: string; md5?: boolean; maxBytes?: number; path?: string } = {},
      ) =>
        reader.readFile({
          path: options.path ?? file,
          md5: options.md5 ?? false,
          maxBytes: options.maxBytes ?? 16 * MiB,
          expectedBytes,
          owner: options.owner ?? 'a',
        });
      const bytes = randomBytes(3 * MiB + 17);
      await writeFile(file, bytes);
      const read = await readAs(bytes.length, { md5: true });
      expect(read?.bytes.equals(bytes)).toBe(true);
      expect(read?.sha256?.toString('hex')).toBe(digest('sha256', bytes));
      expect(read?.md5?.toString('hex')).toBe(digest('md5', bytes));
      // A view of a 4 MiB buffer of the pool's.
      expect(read?.bytes.buffer.byteLength).toBe(4 * MiB);
      expect(pool.keptBytes()).toBe(0);
      read?.release?.();
      read?.release?.();
      expect(pool.keptBytes()).toBe(4 * MiB);
      // The next file of that size class goes into the same memory, its own bytes.
      const other = randomBytes(2 * MiB + 5);
      await writeFile(file, other);
      const again = await readAs(other.length);
      expect(pool.keptBytes()).toBe(0);
      // The memory was handed to the worker again: the first file's view of it is empty now.
      expect(read?.bytes.buffer.byteLength).toBe(0);
      expect(again?.bytes.buffer.byteLength).toBe(4 * MiB);
      expect(again?.bytes.equals(other)).toBe(true);
      expect(again?.sha256?.toString('hex')).toBe(digest('sha256', other));
      again?.release?.();
      // A file that grew past its buffer since it was queued: a buffer of its own, the lent one given back.
      const grown = randomBytes(5 * MiB);
      await writeFile(file, grown);
      const bigger = await readAs(3 * MiB);
      expect(bigger?.bytes.equals(grown)).toBe(true);
      expect(bigger?.release).toBeUndefined();
      expect(pool.keptBytes()).toBe(4 * MiB);
      // A file gone, or over the limit: the lent buffer comes back with the answer.
      await expect(readAs(3 * MiB, { path: join(dir, 'gone') })).rejects.toThrow(/ENOENT/);
      expect(await readAs(3 * MiB, { maxBytes: MiB })).toBeUndefined();
      expect(pool.keptBytes()).toBe(4 * MiB);
      // Another account's file never goes into this one's buffers.
      const others = await readAs(grown.length, { owner: 'b' });
      expect(others?.bytes.equals(grown)).toBe(true);
      expect(pool.keptBytes()).toBe(4 * MiB);
      others?.release?.();
      expect(pool.keptBytes()).toBe(4 * MiB + 8 * MiB);
      // Small files are read on the spot, large ones are not read whole: nothing lent.
      const small = await readAs(100 * 1024);
      expect(small?.release).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** The threads of this process (Linux): a worker thread is one more. */
const threadCount = () => readdirSync('/proc/self/task').length;

describe.skipIf(process.platform !== 'linux')('starting the workers before an upload', () => {
  test('starts none for files small enough to be read at once, and one when a file will be read in a worker', async () => {
    const reader = createPartReader(1);
    const before = threadCount();
    reader.warm([0, 4096, 256 * 1024]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(threadCount()).toBe(before);
    reader.warm([4096, 256 * 1024 + 1]);
    await expect.poll(threadCount, { timeout: 5000 }).toBeGreaterThan(before);
  });
});

describe('the pool of whole-file buffers', () => {
  test('sizes in powers of two from 512 KiB to 16 MiB; keeps at most POOL_KEEPS_BYTES; takes back only its own', () => {
    const pool = createWholeFilePool();
    expect(pool.take(100 * 1024, 'a')).toBeUndefined();
    expect(pool.take(17 * MiB, 'a')).toBeUndefined();
    expect(pool.take(600 * 1024, 'a')?.byteLength).toBe(MiB);
    expect(pool.take(16 * MiB, 'a')?.byteLength).toBe(16 * MiB);
    const buffers = Array.from({ length: POOL_KEEPS_BYTES / (16 * MiB) + 2 }, () => pool.take(9 * MiB, 'a'));
    for (const buffer of buffers) if (buffer) pool.give(buffer, 'a');
    expect(pool.keptBytes()).toBe(POOL_KEEPS_BYTES);
    expect(pool.take(9 * MiB, 'a')).toBe(buffers.at(POOL_KEEPS_BYTES / (16 * MiB) - 1));
    // Not its sizes (and a buffer handed over since: 0 bytes) are not kept.
    pool.give(new ArrayBuffer(3 * MiB), 'a');
    pool.give(new ArrayBuffer(0), 'a');
    expect(pool.keptBytes()).toBe(POOL_KEEPS_BYTES - 16 * MiB);
    // Another owner's files never get this owner's buffers (a socket may still send from them).
    expect(pool.take(9 * MiB, 'b')).not.toBe(buffers.at(POOL_KEEPS_BYTES / (16 * MiB) - 2));
    expect(pool.keptBytes()).toBe(POOL_KEEPS_BYTES - 16 * MiB);
  });

  test('lets its memory go once no buffer has come back for a while', async () => {
    const pool = createWholeFilePool(50);
    const buffer = pool.take(MiB, 'a');
    if (buffer) pool.give(buffer, 'a');
    expect(pool.keptBytes()).toBe(MiB);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(pool.keptBytes()).toBe(0);
    expect(pool.take(MiB, 'a')).not.toBe(buffer);
  });
});
