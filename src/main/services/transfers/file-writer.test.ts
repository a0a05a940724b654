import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEventLoopWriter, createFileWriter, type FileWriter, type SmallFileJob } from './file-writer';

/** The check of an object whose ETag is the MD5 of these bytes. */
const md5Check = (bytes: Uint8Array) =>
  ({ algorithm: 'md5', encoding: 'hex', expected: createHash('md5').update(bytes).digest('hex') }) as const;

/** A writer on its worker thread, or an error where none can start. */
const onWorker = (): FileWriter => {
  const created = createFileWriter();
  if (!created) throw new Error('no worker could start');
  return created;
};

// Both writers do the same to the disk; some tests are of the worker's messages alone.
describe.each([
  ['on its worker thread', onWorker, true],
  ['on the event loop', createEventLoopWriter, false],
] as const)('the file writer of small downloads, %s', (_, make, isWorker) => {
  let dir: string;
  let writer: FileWriter;
  let n = 0;
  /** A job for a fresh pair of names in the test folder (in `sub`, which may not exist yet). */
  const job = (bytes: Uint8Array, extra: Partial<SmallFileJob> = {}, sub = ''): SmallFileJob => {
    n += 1;
    return {
      temp: join(dir, sub, `.file${n}.bin.12345678.s3fm-part`),
      final: join(dir, sub, `file${n}.bin`),
      replace: false,
      bytes,
      check: md5Check(bytes),
      mtimeMs: Date.parse('2024-05-06T07:08:09.000Z'),
      ...extra,
    };
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 's3fm-file-writer-'));
    writer = make();
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test('writes the bytes, gives the file the object time and links it in place (its folder made)', async () => {
    const bytes = new Uint8Array(randomBytes(70_000));
    const copy = Buffer.from(bytes);
    const j = job(bytes, {}, 'new/folder');
    expect(await writer.writeSmallFile(j)).toEqual({ placed: true, linked: true });
    expect(Buffer.compare(await readFile(j.final), copy)).toBe(0);
    const placed = await stat(j.final);
    expect(placed.mtime.toISOString()).toBe('2024-05-06T07:08:09.000Z');
    expect(placed.mode & 0o777).toBe(0o600);
    // The temporary name is the same file until the journal says the download finished.
    expect((await stat(j.temp)).ino).toBe(placed.ino);
    // Handed over to the worker, not copied: the buffer is the worker's now.
    expect(bytes.byteLength).toBe(isWorker ? 0 : 70_000);
  });

  test('replaces what is at the name when asked to, and leaves no temporary file', async () => {
    const bytes = new Uint8Array(randomBytes(1000));
    const j = job(bytes, { replace: true });
    await writeFile(j.final, 'the old file');
    const expected = Buffer.from(bytes);
    expect(await writer.writeSmallFile(j)).toEqual({ placed: true, linked: false });
    expect(Buffer.compare(await readFile(j.final), expected)).toBe(0);
    await expect(lstat(j.temp)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  test('never writes over a file that appeared at the name: says it is taken', async () => {
    const bytes = new Uint8Array(randomBytes(1000));
    const j = job(bytes);
    await writeFile(j.final, 'the person’s own file');
    const expected = Buffer.from(bytes);
    expect(await writer.writeSmallFile(j)).toEqual({ placed: false, reason: 'taken' });
    expect(await readFile(j.final, 'utf8')).toBe('the person’s own file');
    expect(Buffer.compare(await readFile(j.temp), expected)).toBe(0);
  });

  test('bytes that are not the object (MD5 is not the ETag) are not written at all', async () => {
    const j = job(new Uint8Array(randomBytes(1000)), { check: md5Check(new Uint8Array([1, 2, 3])) });
    expect(await writer.writeSmallFile(j)).toEqual({ placed: false, reason: 'damaged' });
    await expect(lstat(j.temp)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(lstat(j.final)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  test('checks a stored CRC32 (base64 of its 4 bytes) as S3 sends it: the right one placed, a wrong one not written', async () => {
    // Each job's own bytes: a job's buffer is handed over to the worker.
    const bytes = () => new Uint8Array(Buffer.from('123456789'));
    // CRC32 of "123456789" is 0xCBF43926 (the standard check value).
    const right = job(bytes(), { check: { algorithm: 'crc32', encoding: 'base64', expected: 'y/Q5Jg==' } });
    expect(await writer.writeSmallFile(right)).toEqual({ placed: true, linked: true });
    expect(await readFile(right.final, 'utf8')).toBe('123456789');
    const wrong = job(bytes(), { check: { algorithm: 'crc32', encoding: 'base64', expected: 'y/Q5Jw==' } });
    expect(await writer.writeSmallFile(wrong)).toEqual({ placed: false, reason: 'damaged' });
    await expect(lstat(wrong.final)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  test.runIf(isWorker)(
    'bytes already handed over (their buffer detached) fail the job at once instead of leaving it waiting',
    async () => {
      const bytes = new Uint8Array(Buffer.from('once'));
      const first = job(bytes, { check: undefined });
      expect(await writer.writeSmallFile(first)).toEqual({ placed: true, linked: true });
      // Node drops a message whose transfer list holds a detached buffer without a word.
      expect(bytes.byteLength).toBe(0);
      await expect(writer.writeSmallFile(job(bytes, { check: undefined }))).rejects.toThrow(/detached/);
      expect(writer.usable()).toBe(true);
    },
  );

  test.runIf(isWorker)('says it is ready once its worker has started, not before', async () => {
    const starting = createFileWriter();
    if (!starting) throw new Error('no worker');
    expect(starting.ready()).toBe(false);
    await expect.poll(() => starting.ready(), { timeout: 5000 }).toBe(true);
    // Ready or not, a job given to it is done.
    const bytes = new Uint8Array(randomBytes(64));
    const expected = Buffer.from(bytes);
    const j = job(bytes);
    expect(await starting.writeSmallFile(j)).toEqual({ placed: true, linked: true });
    expect(await readFile(j.final)).toEqual(expected);
  });

  test('writes an earlier run’s temporary file again from its first byte', async () => {
    const bytes = new Uint8Array(randomBytes(100));
    const j = job(bytes);
    await writeFile(j.temp, randomBytes(5000));
    const expected = Buffer.from(bytes);
    expect(await writer.writeSmallFile(j)).toEqual({ placed: true, linked: true });
    expect(Buffer.compare(await readFile(j.final), expected)).toBe(0);
  });

  test('never writes through a symbolic link put at the temporary name', async () => {
    const elsewhere = join(dir, 'elsewhere.txt');
    await writeFile(elsewhere, 'not the app’s');
    const j = job(new Uint8Array(randomBytes(100)));
    await symlink(elsewhere, j.temp);
    await expect(writer.writeSmallFile(j)).rejects.toMatchObject({ code: 'ELOOP' });
    expect(await readFile(elsewhere, 'utf8')).toBe('not the app’s');
    await expect(lstat(j.final)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  test('fails as the file system did, with its code (a folder that is a file)', async () => {
    await mkdir(join(dir, 'parent'), { recursive: true });
    await writeFile(join(dir, 'parent', 'a-file'), 'x');
    const j = job(new Uint8Array(randomBytes(100)), {}, 'parent/a-file');
    const failure = await writer.writeSmallFile(j).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(failure).toMatchObject({ code: 'ENOTDIR' });
    expect(writer.usable()).toBe(true);
  });

  test('jobs given together (one message to the worker) each end as their own: one failing, one damaged, two written', async () => {
    await mkdir(join(dir, 'together'), { recursive: true });
    await writeFile(join(dir, 'together', 'a-file'), 'x');
    const good = [new Uint8Array(randomBytes(500)), new Uint8Array(randomBytes(70_000))];
    const expected = good.map((bytes) => Buffer.from(bytes));
    const jobs = [
      job(good[0]!),
      job(new Uint8Array(randomBytes(100)), {}, 'together/a-file'),
      job(new Uint8Array(randomBytes(100)), { check: md5Check(new Uint8Array([9])) }),
      job(good[1]!),
    ];
    const outcomes = await Promise.allSettled(jobs.map((j) => writer.writeSmallFile(j)));
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as { code: string }).code))).toEqual([
      { placed: true, linked: true },
      'ENOTDIR',
      { placed: false, reason: 'damaged' },
      { placed: true, linked: true },
    ]);
    expect(Buffer.compare(await readFile(jobs[0]!.final), expected[0]!)).toBe(0);
    expect(Buffer.compare(await readFile(jobs[3]!.final), expected[1]!)).toBe(0);
    expect(writer.usable()).toBe(true);
  });

  test('an empty object makes an empty file', async () => {
    const j = job(new Uint8Array(0));
    expect(await writer.writeSmallFile(j)).toEqual({ placed: true, linked: true });
    expect((await stat(j.final)).size).toBe(0);
  });
});

test('a file writer, idle or done with its work, never keeps the process running', async () => {
  const dir = await mkdtemp(join(tmpdir(), 's3fm-file-writer-exit-'));
  try {
    const script = join(dir, 'exits.mts');
    await writeFile(
      script,
      `import { createFileWriter } from ${JSON.stringify(join(__dirname, 'file-writer.ts'))};
      createFileWriter();
      const busy = createFileWriter();
      const job = { replace: false, bytes: new Uint8Array(3), check: undefined, mtimeMs: undefined };
      await busy.writeSmallFile({ ...job, temp: ${JSON.stringify(join(dir, '.a.s3fm-part'))}, final: ${JSON.stringify(join(dir, 'a'))} });
      console.log('done');`,
    );
    // Ends by itself: the timeout kills a process that a worker keeps alive.
    const output = execFileSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 20_000 });
    expect(output.trim()).toBe('done');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 30_000);
