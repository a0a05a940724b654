/**
 * A transfer that did its work just before the app was killed, before the journal said so, is
 * not done again as "name (1)" after the restart (found by the kill loop, issue #11). A download
 * keeps its temporary file linked at the final path until the journal holds the finished
 * state, so the next start finds the file in place; an upload notes its settled key before the
 * object is written, so the next start knows the object there is its own.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { startFaultProxy } from '../../../../test/fault-proxy';
import { startChild } from '../../../../test/kill-loop/child-run';
import type { KillLoopChildRequest } from '../../../../test/kill-loop/kill-loop-child';
import { freshBucket, s3ClientFor, type FreshBucket } from '../../../../test/s3-fixtures';
import { fileDigest, objectSha256, writeRandomFile } from '../../../../test/transfer-files';
import { startTransferServices } from '../../../../test/transfer-services';
import { readJournalFile } from './transfer-journal';

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

/**
 * Kills the child, checks the journal does not say the transfers finished (the window the test
 * is about), and starts the services again over the same data folder, against MinIO directly.
 */
async function killAndRestart(run: ReturnType<typeof startChild>, dataDir: string) {
  run.child.kill('SIGKILL');
  await run.exited;
  expect(await journaledStates(dataDir)).not.toContain('finished');
  return startTransferServices({
    endpoint: s3.endpoint,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    dataDir,
  });
}

/** The transfers' states as the journal on disk has them. */
async function journaledStates(dataDir: string): Promise<string[]> {
  const journal = await readJournalFile(join(dataDir, 'transfers', 'journal.json'));
  return journal.transfers.map((transfer) => transfer.state);
}

test('killed once the file is in place but before the journal says so: no "name (1)" after the restart', async () => {
  const body = randomBytes(12 * MiB);
  const sha = createHash('sha256').update(body).digest('hex');
  const other = randomBytes(3000);
  await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'placed/twelve.bin', Body: body }));
  await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'placed/waiting.bin', Body: other }));
  // The window is made wide, so that the kill lands in it however slow the machine: a second
  // download of the batch never gets an answer (the proxy stalls it), so the first one's end is
  // not the queue's last and its journal write waits out the spacing, here 60 s. (With one
  // download the write is at once, and a kill on seeing the file lost that race when loaded.)
  const proxy = await startFaultProxy({ target: s3.endpoint });
  proxy.addFault({ match: { pathIncludes: `/${bucket.name}/placed/waiting.bin` }, fault: { kind: 'stall' } });
  const dataDir = await mkdtemp(join(work, 'data-'));
  const target = join(work, 'target-placed');
  await mkdir(target);
  const run = startChild({
    ...queueingRequest(
      dataDir,
      { downloads: { items: ['placed/twelve.bin', 'placed/waiting.bin'], targetDir: target } },
      2,
    ),
    endpoint: proxy.url,
    tuning: { journalSpacingMs: 60_000, stallTimeoutMs: 60_000 },
  });
  try {
    const ready = await run.line('ready', 60_000);
    const [batchId] = ready.batchIds as string[];
    await expect.poll(() => readdir(target), { timeout: 60_000, interval: 20 }).toContain('twelve.bin');
    // The next start talks to MinIO directly: both downloads go through.
    const transfers = await killAndRestart(run, dataDir);
    try {
      expect(await transfers.batchFinished(batchId as string, 60_000)).toMatchObject({ finished: 2 });
      expect((await readdir(target)).sort()).toEqual(['twelve.bin', 'waiting.bin']);
      expect(await fileDigest(join(target, 'twelve.bin'))).toBe(sha);
      expect(await fileDigest(join(target, 'waiting.bin'))).toBe(createHash('sha256').update(other).digest('hex'));
    } finally {
      await transfers.dispose();
    }
  } finally {
    run.child.kill('SIGKILL');
    await proxy.stop();
  }
}, 180_000);

test('killed once the object is written but before the journal says so: no "name (1)" after the restart', async () => {
  const file = join(work, 'small.bin');
  const sha = await writeRandomFile(file, 64 * 1024);
  const prefix = 'up/';
  // The PUT reaches MinIO whole, but its answer never comes back (the proxy cuts the connection
  // before relaying it), nor that of any retry: the object is written and the app cannot know,
  // however slow the machine, so the kill always lands in the window this test is about. (Polling
  // for the object and killing at once lost that race on a loaded machine, 5 times of 5.)
  const proxy = await startFaultProxy({ target: s3.endpoint });
  proxy.addFault({
    match: { method: 'PUT', pathIncludes: `/${bucket.name}/${prefix}` },
    fault: { kind: 'cut', afterBytes: Number.MAX_SAFE_INTEGER },
  });
  const dataDir = await mkdtemp(join(work, 'data-'));
  const run = startChild({
    ...queueingRequest(dataDir, { uploads: { paths: [file], prefix } }, 1),
    endpoint: proxy.url,
  });
  try {
    const ready = await run.line('ready', 60_000);
    const [batchId] = ready.batchIds as string[];
    const head = () => client.send(new HeadObjectCommand({ Bucket: bucket.name, Key: `${prefix}small.bin` }));
    await expect
      .poll(
        () =>
          head().then(
            () => true,
            () => false,
          ),
        { timeout: 60_000, interval: 50 },
      )
      .toBe(true);
    // The next start talks to MinIO directly: its PUT goes through.
    const transfers = await killAndRestart(run, dataDir);
    try {
      expect(await transfers.batchFinished(batchId as string, 60_000)).toMatchObject({ finished: 1 });
      const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket.name, Prefix: prefix }));
      expect((listed.Contents ?? []).map((object) => object.Key)).toEqual([`${prefix}small.bin`]);
      expect(await objectSha256(client, bucket.name, `${prefix}small.bin`)).toBe(sha);
    } finally {
      await transfers.dispose();
    }
  } finally {
    run.child.kill('SIGKILL');
    await proxy.stop();
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
  const journal = await readJournalFile(join(dataDir, 'transfers', 'journal.json'));
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
