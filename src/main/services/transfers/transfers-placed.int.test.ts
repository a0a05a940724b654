/**
 * A transfer that did its work just before the app was killed, before the journal said so, is
 * not done again as "name (1)" after the restart (found by the kill loop, issue #11). A download
 * keeps its temporary file linked at the final path until the journal holds the finished
 * state, so the next start finds the file in place; an upload notes its settled key before the
 * object is written, so the next start knows the object there is its own.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { startChild } from '../../../../test/kill-loop/child-run';
import type { KillLoopChildRequest } from '../../../../test/kill-loop/kill-loop-child';
import { freshBucket, s3ClientFor, type FreshBucket } from '../../../../test/s3-fixtures';
import { fileDigest, objectSha256, writeRandomFile } from '../../../../test/transfer-files';
import { startTransferServices } from '../../../../test/transfer-services';
import type { JournalData } from './transfer-record';

const s3 = inject('s3');
const MiB = 1024 * 1024;

let bucket: FreshBucket;
let client: S3Client;
let work: string;

beforeAll(async () => {
  bucket = await freshBucket(s3);
  client = s3ClientFor(s3);
  work = await mkdtemp(join(tmpdir(), 's3fm-placed-'));
});

afterAll(async () => {
  await bucket?.cleanup();
  client?.destroy();
  if (work) await rm(work, { recursive: true, force: true });
});

/** A kill-loop child that queues the given transfers into a fresh data folder (parts of 5 MiB). */
function queueingRequest(
  dataDir: string,
  transfers: Pick<KillLoopChildRequest, 'uploads' | 'downloads'>,
  filesInParallel: number,
): KillLoopChildRequest {
  return {
    endpoint: s3.endpoint,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    dataDir,
    bucket: bucket.name,
    queue: true,
    ...transfers,
    settings: { multipartThresholdMiB: 5, partSizeMiB: 5, partsInParallel: 2, filesInParallel, maxRetries: 5 },
  };
}

/** The download's state as the journal on disk has it. */
async function journaledState(dataDir: string): Promise<string | undefined> {
  try {
    const journal = JSON.parse(await readFile(join(dataDir, 'transfers', 'journal.json'), 'utf8')) as JournalData;
    return journal.transfers[0]?.state;
  } catch {
    return undefined;
  }
}

test('killed once the file is in place but before the journal says so: no "name (1)" after the restart', async () => {
  const body = randomBytes(12 * MiB);
  const sha = createHash('sha256').update(body).digest('hex');
  await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'placed/twelve.bin', Body: body }));
  // The kill must land in the window it is about: tried again (a new folder) when it came too late.
  for (let attempt = 1; ; attempt += 1) {
    const dataDir = await mkdtemp(join(work, 'data-'));
    const target = join(work, `target-${attempt}`);
    await mkdir(target);
    const run = startChild(
      queueingRequest(dataDir, { downloads: { items: ['placed/twelve.bin'], targetDir: target } }, 1),
    );
    try {
      const ready = await run.line('ready', 60_000);
      const [batchId] = ready.batchIds as string[];
      while (!(await readdir(target)).includes('twelve.bin')) {
        if (run.lines.some((line) => line.event === 'done')) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      run.child.kill('SIGKILL');
      await run.exited;
      if ((await journaledState(dataDir)) === 'finished') {
        if (attempt < 5) continue;
        throw new Error('the kill never landed before the journal said the download finished');
      }
      const transfers = await startTransferServices({
        endpoint: s3.endpoint,
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
        dataDir,
      });
      try {
        expect(await transfers.batchFinished(batchId as string, 60_000)).toMatchObject({ finished: 1 });
        expect(await readdir(target)).toEqual(['twelve.bin']);
        expect(await fileDigest(join(target, 'twelve.bin'))).toBe(sha);
      } finally {
        await transfers.dispose();
      }
      return;
    } finally {
      run.child.kill('SIGKILL');
    }
  }
}, 180_000);

test('killed once the object is written but before the journal says so: no "name (1)" after the restart', async () => {
  const file = join(work, 'small.bin');
  const sha = await writeRandomFile(file, 64 * 1024);
  for (let attempt = 1; ; attempt += 1) {
    const dataDir = await mkdtemp(join(work, 'data-'));
    const prefix = `up-${attempt}/`;
    const run = startChild(queueingRequest(dataDir, { uploads: { paths: [file], prefix } }, 1));
    try {
      const ready = await run.line('ready', 60_000);
      const [batchId] = ready.batchIds as string[];
      const head = () => client.send(new HeadObjectCommand({ Bucket: bucket.name, Key: `${prefix}small.bin` }));
      while (
        !(await head().then(
          () => true,
          () => false,
        ))
      ) {
        if (run.lines.some((line) => line.event === 'done')) break;
      }
      run.child.kill('SIGKILL');
      await run.exited;
      if ((await journaledState(dataDir)) === 'finished') {
        if (attempt < 5) continue;
        throw new Error('the kill never landed before the journal said the upload finished');
      }
      const transfers = await startTransferServices({
        endpoint: s3.endpoint,
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
        dataDir,
      });
      try {
        expect(await transfers.batchFinished(batchId as string, 60_000)).toMatchObject({ finished: 1 });
        const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket.name, Prefix: prefix }));
        expect((listed.Contents ?? []).map((object) => object.Key)).toEqual([`${prefix}small.bin`]);
        expect(await objectSha256(client, bucket.name, `${prefix}small.bin`)).toBe(sha);
      } finally {
        await transfers.dispose();
      }
      return;
    } finally {
      run.child.kill('SIGKILL');
    }
  }
}, 180_000);

test('killed the moment a download is queued: the journal already holds it, and the next start finishes it', async () => {
  const bodies = [randomBytes(3000), randomBytes(70_000)];
  for (const [i, body] of bodies.entries()) {
    await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: `queued/q${i}.bin`, Body: body }));
  }
  const dataDir = await mkdtemp(join(work, 'data-'));
  const target = join(work, 'target-queued');
  await mkdir(target);
  const run = startChild(queueingRequest(dataDir, { downloads: { items: ['queued/'], targetDir: target } }, 2));
  let batchId: string | undefined;
  try {
    // 'ready' comes once transfers.download has answered: before that answer, the batch is journaled.
    const ready = await run.line('ready', 60_000);
    [batchId] = ready.batchIds as string[];
    run.child.kill('SIGKILL');
    await run.exited;
  } finally {
    run.child.kill('SIGKILL');
  }
  const journal = JSON.parse(await readFile(join(dataDir, 'transfers', 'journal.json'), 'utf8')) as JournalData;
  expect(journal.transfers.filter((t) => t.batchId === batchId).map((t) => t.name)).toEqual(['q0.bin', 'q1.bin']);
  const transfers = await startTransferServices({
    endpoint: s3.endpoint,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    dataDir,
  });
  try {
    expect(await transfers.batchFinished(batchId as string, 60_000)).toMatchObject({ finished: 2 });
    expect((await readdir(join(target, 'queued'))).sort()).toEqual(['q0.bin', 'q1.bin']);
    for (const [i, body] of bodies.entries()) {
      expect(await fileDigest(join(target, 'queued', `q${i}.bin`))).toBe(
        createHash('sha256').update(body).digest('hex'),
      );
    }
  } finally {
    await transfers.dispose();
  }
}, 180_000);
