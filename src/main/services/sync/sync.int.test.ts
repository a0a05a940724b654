/**
 * Folder sync against MinIO and real temporary folders, through dispatch as the UI calls it:
 * each run's preview is checked against what happened (both sides listed and compared by
 * SHA-256 afterwards), in both directions, mirror and update-only, with deletes only when asked,
 * a conflict shown and left alone, and a run stopped by a quit that finishes after the restart.
 */
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import type { SyncPreviewSummary, SyncRow, SyncRowPage, SyncRunStarted, SyncSpec } from '../../../shared/sync';
import { startAppServices, waitFor, type AppServices } from '../../../../test/app-services';
import { startFaultProxy, type FaultProxy } from '../../../../test/fault-proxy';
import { freshBucket, s3ClientFor, type FreshBucket } from '../../../../test/s3-fixtures';
import { fileDigest, objectSha256, writeRandomFile } from '../../../../test/transfer-files';

const s3 = inject('s3');
const MiB = 1024 * 1024;

let bucket: FreshBucket;
let client: S3Client;
let work: string;
let app: AppServices;
const finishedRuns = new Map<string, string>();

/** Services for the launch account at an endpoint, noting every finished sync run. */
async function startServices(endpoint = s3.endpoint, dataDir?: string) {
  const started = await startAppServices({
    endpoint,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    ...(dataDir ? { dataDir } : {}),
    // MinIO's preset: its single-part ETags are MD5s, so a same-size file is told apart by its MD5.
    account: { provider: 'minio' },
  });
  started.services.bus.onAny((channel, payload) => {
    if (channel === 'sync.runFinished') {
      const { runId, summary } = payload as { runId: string; summary: string };
      finishedRuns.set(runId, summary);
    }
  });
  return started;
}

beforeAll(async () => {
  bucket = await freshBucket(s3);
  client = s3ClientFor(s3);
  work = await mkdtemp(join(tmpdir(), 's3fm-sync-'));
  app = await startServices();
});

afterAll(async () => {
  await app?.dispose();
  await bucket?.cleanup();
  client?.destroy();
  if (work) await rm(work, { recursive: true, force: true });
});

async function put(key: string, body: string) {
  await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: key, Body: body }));
}

async function writeLocal(root: string, path: string, body: string | Buffer, mtime?: Date) {
  const file = join(root, ...path.split('/'));
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, body);
  if (mtime) await utimes(file, mtime, mtime);
}

/** Every file below a folder: path → SHA-256. */
async function localShas(root: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    found.set(relative(root, file).split('\\').join('/'), await fileDigest(file));
  }
  return found;
}

/** Every object below a prefix: path below it → SHA-256 of its bytes. */
async function remoteShas(prefix: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket.name, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }),
    );
    for (const object of page.Contents ?? []) {
      if (!object.Key) continue;
      found.set(object.Key.slice(prefix.length), await objectSha256(client, bucket.name, object.Key));
    }
    token = page.NextContinuationToken;
  } while (token);
  return found;
}

async function preview(spec: Omit<SyncSpec, 'accountId' | 'bucket'>, services = app) {
  const summary = await services.callRaw<SyncPreviewSummary>('sync.preview', {
    previewId: randomUUID(),
    spec: { accountId: 'launch', bucket: bucket.name, ...spec },
  });
  const rows: SyncRow[] = [];
  while (rows.length < summary.rows) {
    const page = await services.callRaw<SyncRowPage>('sync.previewRows', {
      previewId: summary.previewId,
      offset: rows.length,
      limit: 2,
    });
    rows.push(...page.rows);
  }
  return { summary, rows };
}

/** What each row says by path: "action" (and the rows in path order). */
const actions = (rows: SyncRow[]) => Object.fromEntries(rows.map((row) => [row.path, row.action]));

/** Runs a preview and waits until its run is recorded (transfers, deletes and the baseline). */
async function run(previewId: string, toggled: number[] = [], services = app) {
  const started = await services.callRaw<SyncRunStarted>('sync.run', { previewId, toggled });
  await waitFor(() => finishedRuns.get(started.runId), `sync run ${started.runId}`);
  return started;
}

describe('folder sync', () => {
  test('upload mirror: the preview is what happens, and deletes only when asked', async () => {
    const local = join(work, 'up');
    const past = new Date(Date.now() - 3600_000);
    const future = new Date(Date.now() + 3600_000);
    await put('up/same.txt', 'same');
    await put('up/old.txt', 'only in the bucket');
    await put('up/a.txt', 'the bucket copy');
    await put('up/md5.txt', 'abcd');
    await put('up/md5.txt', 'abcd');
    await writeLocal(local, 'same.txt', 'same', past);
    await writeLocal(local, 'a.txt', 'the newer local copy', future);
    await writeLocal(local, 'dir with space/é ü.txt', 'unicode');
    await writeLocal(local, 'dir/sub/deep.bin', Buffer.alloc(3 * MiB, 7));
    await writeLocal(local, 'A', 'capital');
    // Same size, older here, other bytes: only the MD5 (the object's ETag) tells them apart.
    await writeLocal(local, 'md5.txt', 'wxyz', past);
    // Same size, older here, other bytes: only the MD5 (the object's ETag) tells them apart.
    await writeLocal(local, 'md5.txt', 'wxyz', past);

    const first = await preview({ prefix: 'up', localDir: local, direction: 'upload', mode: 'mirror', deletes: false });
    expect(actions(first.rows)).toEqual({
      A: 'upload',
      'a.txt': 'replace',
      'dir with space/é ü.txt': 'upload',
      'dir/sub/deep.bin': 'upload',
      'md5.txt': 'conflict',
      'old.txt': 'skip',
    });
    expect(first.rows.map((row) => row.path)).toEqual([
      'A',
      'a.txt',
      'dir with space/é ü.txt',
      'dir/sub/deep.bin',
      'md5.txt',
      'old.txt',
    ]);
    expect(first.summary).toMatchObject({ same: 1, baseline: false, localFiles: 6, remoteObjects: 4 });
    expect(first.rows.find((row) => row.path === 'a.txt')?.reason).toMatch(/newer in the local folder/);
    const md5Row = first.rows.find((row) => row.path === 'md5.txt');
    expect(md5Row).toMatchObject({ ticked: false, local: { md5: await fileDigest(join(local, 'md5.txt'), 'md5') } });
    await run(first.summary.previewId);

    const afterFirst = await remoteShas('up/');
    const localNow = await localShas(local);
    // The conflict, left unticked, was not touched.
    expect(afterFirst.get('md5.txt')).not.toBe(localNow.get('md5.txt'));
    for (const [path, sha] of localNow) if (path !== 'md5.txt') expect(afterFirst.get(path), path).toBe(sha);
    // Deletes were not asked for: the extra object stays.
    expect([...afterFirst.keys()].sort()).toEqual([...localNow.keys(), 'old.txt'].sort());

    const second = await preview({ prefix: 'up', localDir: local, direction: 'upload', mode: 'mirror', deletes: true });
    expect(second.summary).toMatchObject({ baseline: true, same: 5 });
    expect(actions(second.rows)).toEqual({ 'md5.txt': 'conflict', 'old.txt': 'delete' });
    // This time the conflict is ticked: the local copy wins.
    await run(second.summary.previewId, [second.rows.findIndex((row) => row.path === 'md5.txt')]);
    const afterSecond = await remoteShas('up/');
    expect(afterSecond).toEqual(localNow);
  });

  test('download: update-only copies, mirror shows a conflict and leaves it alone, never deletes local files', async () => {
    const local = join(work, 'down');
    await put('down/x.txt', 'x1');
    await put('down/folder/y.txt', 'y1');
    await put('down/z.txt', 'z1');
    await writeLocal(local, 'mine.txt', 'a local file the bucket does not have');

    const first = await preview({
      prefix: 'down/',
      localDir: local,
      direction: 'download',
      mode: 'update',
      deletes: false,
    });
    expect(actions(first.rows)).toEqual({ 'folder/y.txt': 'download', 'x.txt': 'download', 'z.txt': 'download' });
    await run(first.summary.previewId);
    const remoteNow = await remoteShas('down/');
    const localNow = await localShas(local);
    for (const [path, sha] of remoteNow) expect(localNow.get(path), path).toBe(sha);
    expect(localNow.has('mine.txt')).toBe(true);

    // Both sides change x.txt, only the bucket changes z.txt.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await put('down/x.txt', 'x2 from the bucket');
    await put('down/z.txt', 'z2 from the bucket');
    await writeLocal(local, 'x.txt', 'x2 edited locally');
    const second = await preview({
      prefix: 'down/',
      localDir: local,
      direction: 'download',
      mode: 'mirror',
      deletes: true,
    });
    expect(actions(second.rows)).toEqual({ 'mine.txt': 'skip', 'x.txt': 'conflict', 'z.txt': 'replace' });
    const conflict = second.rows.find((row) => row.path === 'x.txt');
    expect(conflict).toMatchObject({ ticked: false, reason: 'Changed on both sides since the last sync.' });
    expect(second.rows.find((row) => row.path === 'mine.txt')?.reason).toMatch(/never deleted/);
    await run(second.summary.previewId);
    const after = await localShas(local);
    expect(after.get('z.txt')).toBe(await objectSha256(client, bucket.name, 'down/z.txt'));
    expect(after.get('x.txt')).toBe(await fileDigest(join(local, 'x.txt')));
    expect(after.get('x.txt')).not.toBe(await objectSha256(client, bucket.name, 'down/x.txt'));
    expect(after.has('mine.txt')).toBe(true);

    // The conflict is still one next time: its state of the last sync was kept.
    const third = await preview({
      prefix: 'down/',
      localDir: local,
      direction: 'download',
      mode: 'mirror',
      deletes: false,
    });
    expect(actions(third.rows)).toEqual({ 'mine.txt': 'skip', 'x.txt': 'conflict' });
    // Ticking the conflict takes the source's copy.
    await run(third.summary.previewId, [third.rows.findIndex((row) => row.path === 'x.txt')]);
    expect(await fileDigest(join(local, 'x.txt'))).toBe(await objectSha256(client, bucket.name, 'down/x.txt'));
  });

  test('a run stopped by a quit finishes after the restart, through the queue', async () => {
    const proxy: FaultProxy = await startFaultProxy({ target: s3.endpoint });
    const dataDir = await mkdtemp(join(work, 'data-'));
    const local = join(work, 'restart');
    const shas = new Map<string, string>();
    for (const name of ['one.bin', 'two.bin', 'three.bin']) {
      await mkdir(local, { recursive: true });
      shas.set(name, await writeRandomFile(join(local, name), 20 * MiB));
    }
    let first: AppServices | undefined = await startServices(proxy.url, dataDir);
    let second: AppServices | undefined;
    try {
      proxy.setThrottle(4 * MiB);
      const { summary } = await preview(
        { prefix: 'restart/', localDir: local, direction: 'upload', mode: 'mirror', deletes: false },
        first,
      );
      const started = await first.callRaw<SyncRunStarted>('sync.run', { previewId: summary.previewId, toggled: [] });
      expect(started.transfers).toBe(3);
      await waitFor(() => first?.batchSnapshots(started.batchId ?? '').some((t) => t.bytesDone > 0), 'some bytes sent');
      await first.dispose();
      first = undefined;
      expect(finishedRuns.has(started.runId)).toBe(false);
      proxy.setThrottle(null);
      second = await startServices(proxy.url, dataDir);
      await waitFor(() => finishedRuns.get(started.runId), 'the run to finish after the restart');
      expect(await remoteShas('restart/')).toEqual(shas);
      // The run was recorded: nothing left to do.
      const again = await preview(
        { prefix: 'restart/', localDir: local, direction: 'upload', mode: 'mirror', deletes: false },
        second,
      );
      expect(again.summary).toMatchObject({ rows: 0, same: 3, baseline: true });
    } finally {
      await first?.dispose();
      await second?.dispose();
      await rm(dataDir, { recursive: true, force: true });
      await proxy.stop();
    }
  });

  test('web mode: the local folder must be inside the downloads root', async () => {
    const outcome = await app.result(
      'sync.preview',
      {
        previewId: randomUUID(),
        spec: {
          accountId: 'launch',
          bucket: bucket.name,
          prefix: '',
          localDir: work,
          direction: 'download',
          mode: 'update',
        },
      },
      { host: 'ws' },
    );
    expect(outcome).toMatchObject({ ok: false, error: { code: 'invalid-input', message: /downloads go only inside/ } });
  });

  test('saved pairs are kept and listed', async () => {
    const spec = {
      accountId: 'launch',
      bucket: bucket.name,
      prefix: 'up/',
      localDir: join(work, 'up'),
      direction: 'upload',
      mode: 'mirror',
      deletes: false,
    };
    const saved = await app.callRaw<{ id: string }>('sync.savePair', { name: 'Photos', spec });
    const pairs = await app.callRaw<{ id: string; name: string }[]>('sync.pairs', {});
    expect(pairs).toEqual([expect.objectContaining({ id: saved.id, name: 'Photos', spec })]);
    await app.callRaw('sync.removePair', { id: saved.id });
    expect(await app.callRaw('sync.pairs', {})).toEqual([]);
  });
});
