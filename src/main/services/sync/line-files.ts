import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';

/** Lines are gathered up to this many characters before one write. */
const WRITE_CHUNK = 64 * 1024;

/**
 * Writes JSON lines to a file in order, in chunks of about 64 KiB, and records where each line
 * starts, so a file of 100,000 rows costs 8 bytes a row in memory and any page can be read back.
 */
export async function createLineWriter(file: string) {
  await mkdir(dirname(file), { recursive: true });
  const handle: FileHandle = await open(file, 'w', 0o600);
  let pending = '';
  let written = 0;
  let pendingBytes = 0;
  const offsets: number[] = [];
  const flush = async () => {
    if (pending === '') return;
    await handle.write(pending);
    written += pendingBytes;
    pending = '';
    pendingBytes = 0;
  };
  return {
    offsets,
    async add(value: unknown): Promise<void> {
      const line = `${JSON.stringify(value)}\n`;
      offsets.push(written + pendingBytes);
      pending += line;
      pendingBytes += Buffer.byteLength(line);
      if (pending.length >= WRITE_CHUNK) await flush();
    },
    /** Writes what is left and closes the file; returns its length in bytes. */
    async close(): Promise<number> {
      await flush();
      await handle.sync();
      await handle.close();
      return written;
    },
    async abandon(): Promise<void> {
      await handle.close().catch(() => undefined);
      await rm(file, { force: true });
    },
  };
}

/** A line writer's interface. */
export type LineWriter = Awaited<ReturnType<typeof createLineWriter>>;

/** Reads the lines from `offsets[start]` up to `offsets[end]` (or the end of the file) as JSON values. */
export async function readLines<T>(
  file: string,
  offsets: readonly number[],
  start: number,
  end: number,
  length: number,
) {
  if (start >= end) return [] as T[];
  const from = offsets[start] ?? length;
  const to = offsets[end] ?? length;
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(to - from);
    await handle.read(buffer, 0, buffer.length, from);
    return buffer
      .toString('utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as T);
  } finally {
    await handle.close();
  }
}

/** Streams a JSON-lines file (nothing when it does not exist). */
export async function* streamLines<T>(file: string): AsyncGenerator<T> {
  if (!(await stat(file).catch(() => undefined))) return;
  const input = createReadStream(file, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of lines) if (line !== '') yield JSON.parse(line) as T;
  } finally {
    lines.close();
    input.destroy();
  }
}

/** Writes JSON lines to a temporary file and renames it over `file` when done (a crash leaves the old one). */
export async function replaceLineFile(file: string, write: (writer: LineWriter) => Promise<void>): Promise<void> {
  const temporary = `${file}.${process.pid}.writing`;
  const writer = await createLineWriter(temporary);
  try {
    await write(writer);
    await writer.close();
    await rename(temporary, file);
  } catch (error) {
    await writer.abandon();
    throw error;
  }
}
