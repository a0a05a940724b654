/**
 * Controlling the queue against MinIO (through the fault proxy, to slow transfers down or
 * count requests): cancel aborts the multipart upload on the server and deletes a partial
 * download; pause stops sending and resume continues the same multipart upload; conflicts
 * (replace, skip, keep both) both ways; web mode's spool; orphaned uploads; settings; and the
 * desktop hooks (notification of a long batch, reveal, folder picker).
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, inject, test } from 'vitest';
import type { OrphanedUpload, TransferSettings, TransferSnapshot } from '../../../shared/transfers';
import { startFaultProxy, type FaultProxy } from '../../../../test/fault-proxy';
import { freshBucket, s3ClientFor, type FreshBucket } from '../../../../test/s3-fixtures';
import {
  fileDigest,
  objectBytes,
  objectSha256,
  writeRandomFile,
  writeSmallFile,
} from '../../../../test/transfer-files';
import { startTransferServices, type TestTransferServices } from '../../../../test/transfer-services';
import { parallelLimits } from './transfer-queue';

const s3 = inject('s3');
const MiB = 1024 * 1024;
const settings: TransferSettings = {
  multipartThresholdMiB: 16,
  partSizeMiB: 8,
  partsInParallel: 4,
  filesInParallel: 3,
  maxRetries: 5,
};

let bucket: FreshBucket;
let client: S3Client;
let proxy: FaultProxy;
let work: string;
let transfers: TestTransferServices;

beforeAll(async () => {
  bucket = await freshBucket(s3);
  client = s3ClientFor(s3);
  proxy = await startFaultProxy({ target: s3.endpoint });
  work = await mkdtemp(join(tmpdir(), 's3fm-control-'));
  transfers = await startTransferServices({
    endpoint: proxy.url,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
  });
  await transfers.callRaw('transfers.saveSettings', { settings });
});

afterEach(() => {
  proxy.clearFaults();
  proxy.setThrottle(null);
});

afterAll(async () => {
  await transfers?.dispose();
  await proxy?.stop();
  await bucket?.cleanup();
  client?.destroy();
  if (work) await rm(work, { recursive: true, force: true });
});

/** Unfinished multipart uploads below a prefix (MinIO lists them only for a whole key with Prefix, so all are listed). */
const uploadsLeft = async (prefix: string) =>
  ((await client.send(new ListMultipartUploadsCommand({ Bucket: bucket.name }))).Uploads ?? []).filter((upload) =>
    upload.Key?.startsWith(prefix),
  );

/** Queues an upload of local paths; returns the batch id and the first transfer's id. */
async function startUpload(paths: string[], prefix: string, onConflict = 'replace') {
  const { batchId } = await transfers.call<{ batchId: string }>('transfers.upload', {
    bucket: bucket.name,
    prefix,
    source: { kind: 'paths', paths },
    onConflict,
  });
  const first = await transfers.waitFor(() => transfers.batchSnapshots(batchId)[0], 10_000, 'the first snapshot');
  return { batchId, id: first.id };
}

const snapshotOf = (id: string): TransferSnapshot | undefined => transfers.snapshots.get(id);

describe('cancel', () => {
  test('cancelling a multipart upload aborts it on the server: ListMultipartUploads shows none left', async () => {
    const file = join(work, 'cancel.bin');
    await writeRandomFile(file, 48 * MiB);
    proxy.setThrottle(2 * MiB);
    const { batchId, id } = await startUpload([file], 'cancel/');
    await transfers.waitFor(async () => (snapshotOf(id)?.bytesDone ?? 0) > 0, 30_000, 'bytes to move');
    expect(await uploadsLeft('cancel/')).toHaveLength(1);

    expect(await transfers.callRaw('transfers.cancel', { ids: [id] })).toEqual({ cancelled: 1 });
    // cancel resolves once the multipart upload is aborted.
    expect(await uploadsLeft('cancel/')).toEqual([]);
    const outcome = await transfers.batchFinished(batchId);
    expect(outcome).toMatchObject({ cancelled: 1, finished: 0 });
    await transfers.waitFor(() => snapshotOf(id)?.state === 'cancelled', 5_000, 'the cancelled state');
    await expect(
      client.send(new HeadObjectCommand({ Bucket: bucket.name, Key: 'cancel/cancel.bin' })),
    ).rejects.toThrow();
    // The person's file is untouched.
    expect((await stat(file)).size).toBe(48 * MiB);
    await rm(file);
  }, 60_000);

  test('cancelling a download deletes its partial file and nothing else', async () => {
    await client.send(
      new PutObjectCommand({ Bucket: bucket.name, Key: 'slowget/big.bin', Body: randomBytes(40 * MiB) }),
    );
    proxy.addFault({ match: { method: 'GET', header: 'range' }, fault: { kind: 'delay', ms: 1_500 } });
    const target = await mkdtemp(join(work, 'cancel-down-'));
    await writeFile(join(target, 'mine.txt'), 'the person’s own file');
    const { batchId } = await transfers.call<{ batchId: string }>('transfers.download', {
      bucket: bucket.name,
      items: ['slowget/big.bin'],
      targetDir: target,
    });
    await transfers.waitFor(
      async () => (await readdir(target)).some((name) => name.endsWith('.s3fm-part')),
      10_000,
      'the temporary file',
    );
    const ids = (
      await transfers.waitFor(() => transfers.batchSnapshots(batchId).length > 0 && transfers.batchSnapshots(batchId))
    ).map((s) => s.id);
    expect(await transfers.callRaw('transfers.cancel', { ids })).toEqual({ cancelled: 1 });
    expect(await readdir(target)).toEqual(['mine.txt']);
    expect(await transfers.batchFinished(batchId)).toMatchObject({ cancelled: 1 });
  }, 30_000);
});

describe('pause and resume', () => {
  test('a paused upload sends nothing; resumed, it continues the same multipart upload to an intact object', async () => {
    const file = join(work, 'pause.bin');
    const sha = await writeRandomFile(file, 40 * MiB);
    proxy.setThrottle(4 * MiB);
    const { batchId, id } = await startUpload([file], 'pause/');
    await transfers.waitFor(() => (snapshotOf(id)?.bytesDone ?? 0) > 0, 30_000, 'bytes to move');

    expect(await transfers.callRaw('transfers.pause', { ids: [id] })).toEqual({ paused: 1 });
    await transfers.waitFor(() => snapshotOf(id)?.state === 'paused', 5_000, 'the paused state');
    expect(snapshotOf(id)?.bytesPerSecond).toBe(0);
    const countAtPause = proxy.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(proxy.requests.slice(countAtPause)).toEqual([]);
    const [upload] = await uploadsLeft('pause/');
    expect(upload?.UploadId).toBeDefined();

    proxy.setThrottle(null);
    expect(await transfers.callRaw('transfers.resume', {})).toEqual({ resumed: 1 });
    expect(await transfers.batchFinished(batchId)).toMatchObject({ finished: 1 });
    // Continued, not started over: no new CreateMultipartUpload, and the object is whole.
    expect(proxy.requests.slice(countAtPause).some((r) => r.method === 'POST' && r.query.has('uploads'))).toBe(false);
    expect(proxy.requests.slice(countAtPause).some((r) => r.query.get('uploadId') === upload?.UploadId)).toBe(true);
    expect(await objectSha256(client, bucket.name, 'pause/pause.bin')).toBe(sha);
    await rm(file);
  }, 60_000);

  /** Uploads a folder through the throttled proxy; the most transfers seen running at once. */
  async function mostAtOnce(folder: string, prefix: string, count: number): Promise<number> {
    const { batchId } = await startUpload([folder], prefix);
    let most = 0;
    const outcome = transfers.batchFinished(batchId);
    while (!transfers.batches.some((b) => b.batchId === batchId)) {
      const active = transfers.batchSnapshots(batchId).filter((s) => s.state === 'running' || s.state === 'retrying');
      most = Math.max(most, active.length);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await outcome).toMatchObject({ finished: count });
    return most;
  }

  test('files in parallel: only that many large files run at once, the rest wait queued', async () => {
    await transfers.callRaw('transfers.saveSettings', {
      settings: { ...settings, multipartThresholdMiB: 5, partSizeMiB: 5, filesInParallel: 2 },
    });
    try {
      const folder = join(work, 'five');
      for (let i = 0; i < 5; i += 1) await writeSmallFile(join(folder, `f${i}.bin`), randomBytes(6 * MiB));
      proxy.setThrottle(8 * MiB);
      expect(await mostAtOnce(folder, 'limit/', 5)).toBe(2);
    } finally {
      proxy.setThrottle(null);
      await transfers.callRaw('transfers.saveSettings', { settings });
    }
  }, 60_000);

  test('small files (one request each) run more at once: up to 64 with files in parallel at 2', async () => {
    await transfers.callRaw('transfers.saveSettings', { settings: { ...settings, filesInParallel: 2 } });
    try {
      expect(parallelLimits({ ...settings, filesInParallel: 2 }).files).toBe(64);
      const folder = join(work, 'seventy-two');
      for (let i = 0; i < 72; i += 1) await writeSmallFile(join(folder, `f${i}.bin`), randomBytes(256 * 1024));
      // About a second per file: the first sixty-four overlap, the other eight wait for a place.
      proxy.setThrottle(256 * 1024);
      expect(await mostAtOnce(folder, 'many/', 72)).toBe(64);
    } finally {
      proxy.setThrottle(null);
      await transfers.callRaw('transfers.saveSettings', { settings });
    }
  }, 60_000);
});

describe('the multipart threshold', () => {
  test('a 40 MiB file under a 64 MiB threshold goes up in one PutObject, streamed, its ETag the MD5', async () => {
    await transfers.callRaw('transfers.saveSettings', { settings: { ...settings, multipartThresholdMiB: 64 } });
    try {
      const file = join(work, 'one-piece.bin');
      await writeRandomFile(file, 40 * MiB);
      proxy.setThrottle(20 * MiB);
      const { batchId, id } = await startUpload([file], 'one/');
      // Progress moves while the single request is under way.
      await transfers.waitFor(
        () => {
          const done = snapshotOf(id)?.bytesDone ?? 0;
          return done > 0 && done < 40 * MiB;
        },
        10_000,
        'partial progress',
      );
      expect(await transfers.batchFinished(batchId)).toMatchObject({ finished: 1 });
      const puts = proxy.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/one/one-piece.bin'));
      expect(puts).toHaveLength(1);
      expect(puts[0]?.query.has('partNumber')).toBe(false);
      const head = await client.send(new HeadObjectCommand({ Bucket: bucket.name, Key: 'one/one-piece.bin' }));
      expect(head.ETag).toBe(`"${await fileDigest(file, 'md5')}"`);
      expect(await objectSha256(client, bucket.name, 'one/one-piece.bin')).toBe(await fileDigest(file));
      await rm(file);
    } finally {
      await transfers.callRaw('transfers.saveSettings', { settings });
    }
  }, 60_000);
});

describe('conflicts', () => {
  test('uploads: the existing keys are listed first, then replace, skip or keep both', async () => {
    const folder = join(work, 'conflict-up');
    const report = join(folder, 'report.pdf');
    await writeSmallFile(report, Buffer.from('new report'));
    await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'docs/report.pdf', Body: 'old report' }));
    const source = { kind: 'paths', paths: [report] };
    expect(await transfers.call('transfers.uploadConflicts', { bucket: bucket.name, prefix: 'docs/', source })).toEqual(
      { existing: ['docs/report.pdf'], total: 1 },
    );

    const skip = await startUpload([report], 'docs/', 'skip');
    expect(await transfers.batchFinished(skip.batchId)).toMatchObject({ skipped: 1 });
    expect(snapshotOf(skip.id)?.note).toBe('Skipped: an object with this name exists.');
    expect((await objectBytes(client, bucket.name, 'docs/report.pdf')).toString()).toBe('old report');

    const both = await startUpload([report], 'docs/', 'keep-both');
    expect(await transfers.batchFinished(both.batchId)).toMatchObject({ finished: 1 });
    expect(snapshotOf(both.id)).toMatchObject({ key: 'docs/report (1).pdf', name: 'report (1).pdf' });
    expect(snapshotOf(both.id)?.note).toBe('Saved as "report (1).pdf": the name was taken.');
    expect((await objectBytes(client, bucket.name, 'docs/report (1).pdf')).toString()).toBe('new report');
    expect((await objectBytes(client, bucket.name, 'docs/report.pdf')).toString()).toBe('old report');

    const replace = await startUpload([report], 'docs/', 'replace');
    expect(await transfers.batchFinished(replace.batchId)).toMatchObject({ finished: 1 });
    expect((await objectBytes(client, bucket.name, 'docs/report.pdf')).toString()).toBe('new report');
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket.name, Key: 'docs/report.pdf' }));
    expect(head.ContentType).toBe('application/pdf');
  }, 30_000);

  test('downloads: keep both by default, skip, or replace an existing local file', async () => {
    await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'pics/cat.jpg', Body: 'remote cat' }));
    const target = await mkdtemp(join(work, 'conflict-down-'));
    await writeFile(join(target, 'cat.jpg'), 'local cat');
    const download = async (onConflict?: string) => {
      const { batchId } = await transfers.call<{ batchId: string }>('transfers.download', {
        bucket: bucket.name,
        items: ['pics/cat.jpg'],
        targetDir: target,
        ...(onConflict ? { onConflict } : {}),
      });
      await transfers.batchFinished(batchId);
      return transfers.batchSnapshots(batchId)[0];
    };
    const kept = await download();
    expect(kept).toMatchObject({ state: 'finished', name: 'cat (1).jpg', localPath: join(target, 'cat (1).jpg') });
    expect(kept?.note).toBe('Saved as "cat (1).jpg": the name was taken.');
    expect(await readFile(join(target, 'cat.jpg'), 'utf8')).toBe('local cat');
    expect(await readFile(join(target, 'cat (1).jpg'), 'utf8')).toBe('remote cat');

    expect(await download('skip')).toMatchObject({ state: 'skipped' });
    expect((await readdir(target)).sort()).toEqual(['cat (1).jpg', 'cat.jpg']);

    expect(await download('replace')).toMatchObject({ state: 'finished', localPath: join(target, 'cat.jpg') });
    expect(await readFile(join(target, 'cat.jpg'), 'utf8')).toBe('remote cat');
  }, 30_000);

  // A download reads the names in its local folder once, not each path (see folder-names.ts):
  // what it put there itself, and a file another program made since, are never overwritten.
  test('a folder downloaded again at once: keep both, skip; a file made meanwhile by another program is kept', async () => {
    for (const name of ['a.txt', 'b.txt', 'sub/c.txt']) {
      await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: `again/${name}`, Body: `remote ${name}` }));
    }
    const target = await mkdtemp(join(work, 'again-down-'));
    const download = async (onConflict?: string) => {
      const { batchId } = await transfers.call<{ batchId: string }>('transfers.download', {
        bucket: bucket.name,
        items: ['again/'],
        targetDir: target,
        ...(onConflict ? { onConflict } : {}),
      });
      await transfers.batchFinished(batchId);
      return new Map(transfers.batchSnapshots(batchId).map((s) => [s.key, s]));
    };
    const folder = join(target, 'again');
    await download();
    expect((await readdir(folder)).sort()).toEqual(['a.txt', 'b.txt', 'sub']);

    // Again at once, keeping both: numbered names beside the files the first download put there.
    const second = await download();
    expect(second.get('again/a.txt')).toMatchObject({ state: 'finished', name: 'a (1).txt' });
    expect(second.get('again/sub/c.txt')?.note).toBe('Saved as "c (1).txt": the name was taken.');
    expect((await readdir(folder)).sort()).toEqual(['a (1).txt', 'a.txt', 'b (1).txt', 'b.txt', 'sub']);
    expect((await readdir(join(folder, 'sub'))).sort()).toEqual(['c (1).txt', 'c.txt']);

    // Another program makes a file the download has not seen; the object is new too.
    await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'again/d.txt', Body: 'remote d' }));
    await writeFile(join(folder, 'd.txt'), 'their d');
    const skipped = await download('skip');
    for (const key of ['again/a.txt', 'again/b.txt', 'again/sub/c.txt', 'again/d.txt']) {
      expect(skipped.get(key)?.state, key).toBe('skipped');
    }
    await writeFile(join(folder, 'e.txt'), 'their e');
    await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'again/e.txt', Body: 'remote e' }));
    const kept = await download();
    expect(kept.get('again/e.txt')).toMatchObject({ state: 'finished', name: 'e (1).txt' });
    expect(await readFile(join(folder, 'd.txt'), 'utf8')).toBe('their d');
    expect(await readFile(join(folder, 'e.txt'), 'utf8')).toBe('their e');
    expect(await readFile(join(folder, 'e (1).txt'), 'utf8')).toBe('remote e');
    expect(await readFile(join(folder, 'a.txt'), 'utf8')).toBe('remote a.txt');
    // No temporary file is left.
    expect((await readdir(folder)).filter((name) => name.endsWith('.s3fm-part'))).toEqual([]);
  }, 30_000);
});

describe('web mode spool', () => {
  async function* chunks(...parts: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
    for (const part of parts) yield typeof part === 'string' ? Buffer.from(part) : part;
  }

  test('files written to a spool upload like dropped files, and the spool is deleted afterwards', async () => {
    const { spoolId } = await transfers.callRaw<{ spoolId: string }>('transfers.openSpool', {});
    const big = randomBytes(18 * MiB);
    await transfers.spool.write(spoolId, 'photos/a.txt', chunks('hello ', 'world'));
    await transfers.spool.write(spoolId, 'photos/2024/b.bin', chunks(big.subarray(0, 5 * MiB), big.subarray(5 * MiB)));
    // Paths that would leave the spool are refused.
    for (const bad of ['../x', '/abs', 'a\\b', 'a/../../b', 'a/./b', 'a//b', 'C:/x', 'nul\0byte', '']) {
      await expect(transfers.spool.write(spoolId, bad, chunks('x')), bad).rejects.toMatchObject({
        code: 'invalid-input',
      });
    }
    await expect(
      transfers.spool.write('00000000-0000-4000-8000-000000000000', 'a.txt', chunks('x')),
    ).rejects.toMatchObject({ code: 'invalid-input' });
    const folder = join(transfers.dataDir, 'spool', spoolId);
    expect((await readdir(folder, { recursive: true })).sort()).toEqual([
      'photos',
      'photos/2024',
      'photos/2024/b.bin',
      'photos/a.txt',
    ]);

    const { batchId, count } = await transfers.call<{ batchId: string; count: number }>('transfers.upload', {
      bucket: bucket.name,
      prefix: 'web/',
      source: { kind: 'spool', spoolId },
      onConflict: 'replace',
    });
    expect(count).toBe(2);
    await expect(transfers.spool.write(spoolId, 'late.txt', chunks('x'))).rejects.toMatchObject({ code: 'conflict' });
    expect(await transfers.batchFinished(batchId)).toMatchObject({ finished: 2 });
    expect((await objectBytes(client, bucket.name, 'web/photos/a.txt')).toString()).toBe('hello world');
    expect((await objectBytes(client, bucket.name, 'web/photos/2024/b.bin')).equals(big)).toBe(true);
    await transfers.waitFor(async () => !(await stat(folder).catch(() => undefined)), 5_000, 'the spool to go');
  }, 30_000);
});

describe('orphaned uploads', () => {
  test('lists the multipart uploads left in a bucket, says which are the queue’s, and aborts them', async () => {
    const stranger = await client.send(
      new CreateMultipartUploadCommand({ Bucket: bucket.name, Key: 'orphans/someone-else.bin' }),
    );
    const file = join(work, 'ours.bin');
    await writeRandomFile(file, 24 * MiB);
    proxy.setThrottle(2 * MiB);
    const { id } = await startUpload([file], 'orphans/');
    await transfers.waitFor(() => (snapshotOf(id)?.bytesDone ?? 0) > 0, 30_000, 'bytes to move');
    await transfers.callRaw('transfers.pause', { ids: [id] });

    const listed = await transfers.call<OrphanedUpload[]>('transfers.orphanedUploads', { bucket: bucket.name });
    const orphans = listed.filter((upload) => upload.key.startsWith('orphans/'));
    expect(orphans.map((o) => [o.key, o.ownedByQueue]).sort()).toEqual([
      ['orphans/ours.bin', true],
      ['orphans/someone-else.bin', false],
    ]);
    expect(orphans.find((o) => !o.ownedByQueue)?.uploadId).toBe(stranger.UploadId);

    const result = await transfers.call('transfers.abortOrphaned', {
      bucket: bucket.name,
      uploads: orphans.map(({ key, uploadId }) => ({ key, uploadId })),
    });
    expect(result).toEqual({ aborted: 2 });
    expect(await uploadsLeft('orphans/')).toEqual([]);
    await transfers.waitFor(() => snapshotOf(id)?.state === 'cancelled', 5_000, 'our transfer to be cancelled');
    await rm(file);
  }, 60_000);
});

describe('the rest of the panel', () => {
  test('retry after cancel starts over; clear finished forgets what ended and says so', async () => {
    const file = join(work, 'again.txt');
    await writeSmallFile(file, Buffer.from('again'));
    proxy.addFault({ match: { method: 'PUT', pathIncludes: 'again/again.txt' }, fault: { kind: 'stall' } });
    const { batchId, id } = await startUpload([file], 'again/');
    await transfers.waitFor(() => snapshotOf(id)?.state === 'running', 5_000, 'running');
    await transfers.callRaw('transfers.cancel', { ids: [id] });
    await transfers.batchFinished(batchId);
    proxy.clearFaults();
    expect(await transfers.callRaw('transfers.retry', { ids: [id] })).toEqual({ retried: 1 });
    await transfers.waitFor(() => snapshotOf(id)?.state === 'finished', 10_000, 'finished after retry');
    expect((await objectBytes(client, bucket.name, 'again/again.txt')).toString()).toBe('again');

    const before = (await transfers.callRaw<TransferSnapshot[]>('transfers.list', {})).length;
    const { cleared } = await transfers.callRaw<{ cleared: number }>('transfers.clearFinished', {});
    expect(cleared).toBeGreaterThan(0);
    const after = await transfers.callRaw<TransferSnapshot[]>('transfers.list', {});
    expect(after.length).toBe(before - cleared);
    expect(after.some((s) => s.state === 'finished' || s.state === 'skipped' || s.state === 'cancelled')).toBe(false);
    await transfers.waitFor(() => !transfers.snapshots.has(id), 2_000, 'the removed id in an event');
  }, 30_000);

  test('settings are saved in the data folder, validated, and read again after a restart', async () => {
    const dataDir = await mkdtemp(join(work, 'settings-'));
    const setup = { endpoint: s3.endpoint, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, dataDir };
    const first = await startTransferServices(setup);
    expect(await first.callRaw('transfers.settings', {})).toEqual(settings);
    const changed = { ...settings, partSizeMiB: 16, filesInParallel: 5 };
    expect(await first.callRaw('transfers.saveSettings', { settings: changed })).toEqual(changed);
    await expect(
      first.callRaw('transfers.saveSettings', { settings: { ...settings, partSizeMiB: 4 } }),
    ).rejects.toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/at least 5 MiB/) });
    await first.dispose();
    const second = await startTransferServices(setup);
    expect(await second.callRaw('transfers.settings', {})).toEqual(changed);
    expect(JSON.parse(await readFile(join(dataDir, 'transfers-settings.json'), 'utf8'))).toEqual(changed);
    await second.dispose();
  });

  test('desktop: a long batch notifies, reveal shows the file, the folder picker and Downloads come from the desktop', async () => {
    const calls: string[][] = [];
    const desktop = {
      chooseFolder: async (title: string) => (calls.push(['chooseFolder', title]), '/picked'),
      reveal: (path: string) => void calls.push(['reveal', path]),
      notify: (title: string, body: string) => void calls.push(['notify', title, body]),
      downloadsDir: () => '/home/someone/Downloads',
      startDrag: (files: string[]) => void calls.push(['startDrag', ...files]),
    };
    const withDesktop = await startTransferServices({
      endpoint: s3.endpoint,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
      desktop,
      tuning: { notifyAfterMs: 0 },
    });
    try {
      const file = join(work, 'note.txt');
      await writeSmallFile(file, Buffer.from('note'));
      const { batchId } = await withDesktop.call<{ batchId: string }>('transfers.upload', {
        bucket: bucket.name,
        prefix: 'desk/',
        source: { kind: 'paths', paths: [file] },
        onConflict: 'replace',
      });
      await withDesktop.batchFinished(batchId);
      expect(calls).toContainEqual(['notify', 'Upload finished', `Uploaded 1 file to ${bucket.name}/desk/.`]);
      const [snapshot] = withDesktop.batchSnapshots(batchId);
      expect(await withDesktop.callRaw('transfers.reveal', { id: snapshot?.id })).toEqual({ revealed: true });
      expect(calls).toContainEqual(['reveal', file]);
      expect(await withDesktop.callRaw('transfers.chooseFolder', {})).toEqual({ path: '/picked', supported: true });
      expect(await withDesktop.callRaw('transfers.defaultDownloadDir', {})).toEqual({
        path: '/home/someone/Downloads',
      });

      // Drag-out: the file is downloaded, checked, to a temporary folder, then handed to the OS drag.
      expect(await withDesktop.call('transfers.dragOut', { bucket: bucket.name, keys: ['desk/note.txt'] })).toEqual({
        files: 1,
      });
      const drag = calls.find((call) => call[0] === 'startDrag');
      expect(drag).toHaveLength(2);
      const dragged = drag?.[1] ?? '';
      expect(dragged).toContain('s3fm-drag-');
      expect(await readFile(dragged, 'utf8')).toBe('note');
      await rm(dirname(dragged), { recursive: true, force: true });
      const refused = await withDesktop.result('transfers.dragOut', { bucket: bucket.name, keys: ['desk/'] });
      expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    } finally {
      await withDesktop.dispose();
    }
    // Without the desktop (web mode): no picker, no drag-out, Downloads in the home folder.
    expect(await transfers.result('transfers.dragOut', { bucket: bucket.name, keys: ['desk/note.txt'] })).toMatchObject(
      {
        ok: false,
        error: { code: 'not-supported' },
      },
    );
    expect(await transfers.callRaw('transfers.chooseFolder', {})).toEqual({ path: null, supported: false });
    expect(await transfers.callRaw('transfers.defaultDownloadDir', {})).toEqual({
      path: join((await import('node:os')).homedir(), 'Downloads'),
    });
    expect(await fileDigest(join(work, 'note.txt'))).toBeTruthy();
  });
});
