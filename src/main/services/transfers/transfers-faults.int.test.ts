/**
 * Faults a server cannot be made to show, from the fault proxy in front of MinIO: connections
 * cut mid-part, 503 SlowDown, a stalled connection, a response cut short. The queue retries
 * with backoff (showing 'retrying' and the error meanwhile) and the result is intact; a 403
 * fails at once, after exactly one request, with a clear error.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand, ListMultipartUploadsCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, inject, test } from 'vitest';
import type { TransferSnapshot } from '../../../shared/transfers';
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

const s3 = inject('s3');
const MiB = 1024 * 1024;

let bucket: FreshBucket;
let client: S3Client;
let proxy: FaultProxy;
let work: string;
let transfers: TestTransferServices;

beforeAll(async () => {
  bucket = await freshBucket(s3);
  client = s3ClientFor(s3);
  proxy = await startFaultProxy({ target: s3.endpoint });
  work = await mkdtemp(join(tmpdir(), 's3fm-faults-'));
  transfers = await startTransferServices({
    endpoint: proxy.url,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    // A stalled request is given up after 1.5 s here (60 s in the app).
    // Backoff from 100-200 ms: long enough for the panel (snapshots every 50 ms) to show 'retrying'.
    tuning: { stallTimeoutMs: 1_500, backoff: { baseMs: 200, capMs: 800 } },
  });
  await transfers.callRaw('transfers.saveSettings', {
    settings: { multipartThresholdMiB: 16, partSizeMiB: 8, partsInParallel: 4, filesInParallel: 3, maxRetries: 5 },
  });
});

afterEach(() => proxy.clearFaults());

afterAll(async () => {
  await transfers?.dispose();
  await proxy?.stop();
  await bucket?.cleanup();
  client?.destroy();
  if (work) await rm(work, { recursive: true, force: true });
});

/** Every snapshot the panel was sent for a transfer, in order. */
function history(transferId: string): TransferSnapshot[] {
  return transfers.events
    .filter((event) => event.channel === 'transfers.changed')
    .flatMap((event) => (event.payload as { transfers: TransferSnapshot[] }).transfers)
    .filter((snapshot) => snapshot.id === transferId);
}

/** Uploads files and waits for the batch; returns the batch's snapshots by name. */
async function upload(paths: string[], prefix: string) {
  const { batchId } = await transfers.call<{ batchId: string }>('transfers.upload', {
    bucket: bucket.name,
    prefix,
    source: { kind: 'paths', paths },
    onConflict: 'replace',
  });
  const outcome = await transfers.batchFinished(batchId);
  const shown = new Map(transfers.batchSnapshots(batchId).map((s) => [s.name, s]));
  return { outcome, shown };
}

/** Requests the proxy saw for a key (path ends with it), by method and optional query name. */
function requestsFor(key: string, method: string, query?: string) {
  return proxy.requests.filter(
    (r) => r.method === method && r.path.endsWith(`/${key}`) && (query === undefined || r.query.has(query)),
  );
}

/**
 * Holds the first GET of a key that also matches `also` in the proxy for a second; resolves
 * once it has arrived there (what the test changes meanwhile, the request meets upstream).
 */
function holdFirstGet(pathIncludes: string, also: (range: string) => boolean = () => true): Promise<void> {
  return new Promise((arrived) =>
    proxy.addFault({
      match: {
        method: 'GET',
        pathIncludes,
        predicate: (r) => {
          if (!also(String(r.headers.range ?? ''))) return false;
          arrived();
          return true;
        },
      },
      times: 1,
      fault: { kind: 'delay', ms: 1_000 },
    }),
  );
}

/**
 * Cuts the next three `method` requests below `pathIncludes` that come on a connection that
 * already carried one, before any answer: what a server that closes an idle connection as the
 * client sends on it looks like to the client.
 */
function cutThreeOnReusedConnections(method: 'GET' | 'PUT', pathIncludes: string): void {
  proxy.addFault({
    match: { method, pathIncludes, predicate: (r) => r.earlier > 0 },
    times: 3,
    fault: { kind: 'cut', afterBytes: 0 },
  });
}

/** Starts a download of `items` into a fresh folder; `finished` waits for the batch. */
async function startDownload(items: string[]) {
  const target = await mkdtemp(join(work, 'down-'));
  const { batchId } = await transfers.call<{ batchId: string }>('transfers.download', {
    bucket: bucket.name,
    items,
    targetDir: target,
  });
  return { target, batchId, finished: () => transfers.batchFinished(batchId) };
}

describe('uploads through faults', () => {
  test('connections cut in the middle of two parts: those parts are sent again and the object is intact', async () => {
    const file = join(work, 'cut.bin');
    const sha = await writeRandomFile(file, 40 * MiB);
    proxy.addFault({
      match: { method: 'PUT', queryHas: 'partNumber' },
      times: 2,
      fault: { kind: 'cut', afterBytes: 1 * MiB },
    });
    const { outcome, shown } = await upload([file], 'cut/');
    expect(outcome).toMatchObject({ finished: 1, failed: 0 });
    const snapshot = shown.get('cut.bin');
    expect(snapshot).toMatchObject({ state: 'finished', retries: 2, error: null, bytesDone: 40 * MiB });
    // Five parts, two of them twice.
    const parts = requestsFor('cut/cut.bin', 'PUT', 'partNumber');
    expect(parts).toHaveLength(7);
    expect(parts.filter((r) => r.faulted === 'cut')).toHaveLength(2);
    expect(history(snapshot?.id ?? '').some((s) => s.state === 'retrying' && s.error?.code === 'network')).toBe(true);
    expect(await objectSha256(client, bucket.name, 'cut/cut.bin')).toBe(await fileDigest(file));
    expect(await objectSha256(client, bucket.name, 'cut/cut.bin')).toBe(sha);
    await rm(file);
  }, 120_000);

  test('small files over kept connections: PUTs cut on a reused connection before any answer are sent again on a new one, not counted as retries; stored byte for byte', async () => {
    const files = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const path = join(work, 'kept-up', `f${i}.bin`);
        const bytes = randomBytes(1_000 + i * 2_000);
        await writeSmallFile(path, bytes);
        return { path, bytes };
      }),
    );
    cutThreeOnReusedConnections('PUT', 'kept-up/');
    const seenBefore = proxy.requests.length;
    // Twice: the second batch finds the first's connections kept (a batch's first PUTs open theirs).
    for (const round of [1, 2]) {
      const { outcome, shown } = await upload(
        files.map((file) => file.path),
        'kept-up/',
      );
      expect(outcome, `round ${round}`).toMatchObject({ finished: 12, failed: 0 });
      for (const [i, file] of files.entries()) {
        expect((await objectBytes(client, bucket.name, `kept-up/f${i}.bin`)).equals(file.bytes)).toBe(true);
        expect(shown.get(`f${i}.bin`)?.retries).toBe(0);
      }
    }
    const puts = proxy.requests.slice(seenBefore).filter((r) => r.method === 'PUT' && r.path.includes('/kept-up/f'));
    expect(puts.filter((r) => r.faulted === 'cut')).toHaveLength(3);
    expect(puts).toHaveLength(27);
    expect(puts.filter((r) => r.earlier > 0 && r.faulted === null).length).toBeGreaterThan(0);
  }, 60_000);

  test('503 SlowDown three times: retried with backoff, shown as retrying with the error, then stored', async () => {
    const file = join(work, 'slow.txt');
    const bytes = randomBytes(4096);
    await writeSmallFile(file, bytes);
    proxy.addFault({
      match: { method: 'PUT', pathIncludes: 'slow/slow.txt' },
      times: 3,
      fault: { kind: 'status', status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' },
    });
    const started = Date.now();
    const { outcome, shown } = await upload([file], 'slow/');
    expect(outcome).toMatchObject({ finished: 1, failed: 0 });
    expect(shown.get('slow.txt')).toMatchObject({ state: 'finished', retries: 3, error: null });
    expect(requestsFor('slow/slow.txt', 'PUT')).toHaveLength(4);
    const retrying = history(shown.get('slow.txt')?.id ?? '').find((s) => s.state === 'retrying');
    expect(retrying?.error?.message).toMatch(/^The service is busy and asked the app to slow down\./);
    expect(retrying?.error?.detail).toMatch(/^S3 error SlowDown \(HTTP 503\)/);
    // Three backoffs of at least 100, 200 and 400 ms (half of 200·2^n, the test's base).
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
    expect((await objectBytes(client, bucket.name, 'slow/slow.txt')).equals(bytes)).toBe(true);
  }, 60_000);

  test('a stalled connection becomes a timeout and is retried', async () => {
    const file = join(work, 'stall.bin');
    const sha = await writeRandomFile(file, 24 * MiB);
    proxy.addFault({ match: { method: 'PUT', queryHas: 'partNumber' }, times: 1, fault: { kind: 'stall' } });
    const { outcome, shown } = await upload([file], 'stall/');
    expect(outcome).toMatchObject({ finished: 1, failed: 0 });
    const snapshot = shown.get('stall.bin');
    expect(snapshot).toMatchObject({ state: 'finished', retries: 1 });
    expect(history(snapshot?.id ?? '').some((s) => s.state === 'retrying' && s.error?.code === 'timeout')).toBe(true);
    expect(requestsFor('stall/stall.bin', 'PUT', 'partNumber').filter((r) => r.faulted === 'stall')).toHaveLength(1);
    expect(await objectSha256(client, bucket.name, 'stall/stall.bin')).toBe(sha);
    await rm(file);
  }, 60_000);

  test('a permanent 403 fails once: one request, state failed, "Access denied"', async () => {
    const file = join(work, 'denied.txt');
    await writeSmallFile(file, randomBytes(100));
    proxy.addFault({
      match: { method: 'PUT', pathIncludes: 'denied/denied.txt' },
      fault: { kind: 'status', status: 403, code: 'AccessDenied', message: 'Access Denied.' },
    });
    const { outcome, shown } = await upload([file], 'denied/');
    expect(outcome).toMatchObject({ finished: 0, failed: 1 });
    expect(outcome.summary).toBe(`Uploaded 0 files to ${bucket.name}/denied/ (1 failed).`);
    const snapshot = shown.get('denied.txt');
    expect(snapshot?.state).toBe('failed');
    expect(snapshot?.retries).toBe(0);
    expect(snapshot?.error?.code).toBe('access-denied');
    expect(snapshot?.error?.message).toMatch(
      new RegExp(
        `^Access denied: the account may not write in bucket ${bucket.name}\\. Check the account's permissions`,
      ),
    );
    expect(snapshot?.error?.detail).toMatch(/^S3 error AccessDenied \(HTTP 403\)/);
    expect(requestsFor('denied/denied.txt', 'PUT')).toHaveLength(1);
    expect(history(snapshot?.id ?? '').some((s) => s.state === 'retrying')).toBe(false);
    await expect(
      client.send(new HeadObjectCommand({ Bucket: bucket.name, Key: 'denied/denied.txt' })),
    ).rejects.toThrow();
  }, 30_000);

  test('retries run out: a 503 storm fails after maxRetries, and the multipart upload is left to resume', async () => {
    await transfers.callRaw('transfers.saveSettings', {
      settings: { multipartThresholdMiB: 16, partSizeMiB: 8, partsInParallel: 4, filesInParallel: 3, maxRetries: 2 },
    });
    const file = join(work, 'storm.bin');
    await writeRandomFile(file, 17 * MiB);
    try {
      proxy.addFault({
        match: { method: 'PUT', queryHas: 'partNumber' },
        fault: { kind: 'status', status: 503, code: 'ServiceUnavailable' },
      });
      const { outcome, shown } = await upload([file], 'storm/');
      expect(outcome).toMatchObject({ failed: 1 });
      const snapshot = shown.get('storm.bin');
      expect(snapshot?.state).toBe('failed');
      expect(snapshot?.error?.message).toMatch(/^The service is busy/);
      expect(snapshot?.error?.detail).toMatch(/^S3 error ServiceUnavailable \(HTTP 503\)/);
      // Three parts: each tried once and retried twice, then the transfer gave up.
      const parts = requestsFor('storm/storm.bin', 'PUT', 'partNumber');
      expect(parts.length).toBeLessThanOrEqual(9);
      expect(parts.length).toBeGreaterThanOrEqual(3);

      // Retry by hand once the service is back: it finishes, from the same multipart upload.
      proxy.clearFaults();
      const before = proxy.requests.length;
      await transfers.callRaw('transfers.retry', { ids: [snapshot?.id] });
      await transfers.waitFor(() => transfers.snapshots.get(snapshot?.id ?? '')?.state === 'finished', 30_000);
      expect(proxy.requests.slice(before).some((r) => r.method === 'POST' && r.query.has('uploads'))).toBe(false);
      expect(await objectSha256(client, bucket.name, 'storm/storm.bin')).toBe(await fileDigest(file));
      const left = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket.name }));
      expect((left.Uploads ?? []).filter((upload) => upload.Key?.startsWith('storm/'))).toEqual([]);
    } finally {
      await transfers.callRaw('transfers.saveSettings', {
        settings: { multipartThresholdMiB: 16, partSizeMiB: 8, partsInParallel: 4, filesInParallel: 3, maxRetries: 5 },
      });
      await rm(file);
    }
  }, 60_000);
});

describe('downloads through faults', () => {
  test('a response cut short and a 503 are retried; the file is complete and nothing half-done is left', async () => {
    const body = randomBytes(20 * MiB);
    await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'get/twenty.bin', Body: body }));
    const small = randomBytes(3000);
    await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'get/small.bin', Body: small }));
    proxy.addFault({
      match: { method: 'GET', pathIncludes: 'get/twenty.bin', header: 'range' },
      times: 2,
      fault: { kind: 'cut-response', afterBytes: 1 * MiB },
    });
    proxy.addFault({
      match: { method: 'GET', pathIncludes: 'get/small.bin' },
      times: 1,
      fault: { kind: 'status', status: 503, code: 'SlowDown' },
    });
    const { target, batchId, finished } = await startDownload(['get/']);
    const outcome = await finished();
    expect(outcome).toMatchObject({ finished: 2, failed: 0 });
    const shown = new Map(transfers.batchSnapshots(batchId).map((s) => [s.name, s]));
    expect(shown.get('twenty.bin')?.retries).toBe(2);
    expect(shown.get('small.bin')?.retries).toBe(1);
    expect(await readdir(join(target, 'get'))).toEqual(['small.bin', 'twenty.bin']);
    expect((await readFile(join(target, 'get', 'twenty.bin'))).equals(body)).toBe(true);
    expect((await readFile(join(target, 'get', 'small.bin'))).equals(small)).toBe(true);
  }, 60_000);
  test('a large object read off sockets of its own: a range cut short, one refused (503) and one stalled are asked again; the file is byte for byte', async () => {
    const body = randomBytes(70 * MiB);
    const key = 'socket/seventy.bin';
    await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: key, Body: body }));
    const rangeFrom = (from: number) => (r: { headers: Record<string, string | string[] | undefined> }) =>
      String(r.headers.range ?? '').startsWith(`bytes=${from}-`);
    // Three ranges of 32, 32 and 6 MiB: each meets a fault once.
    proxy.addFault({
      match: { method: 'GET', pathIncludes: key, predicate: rangeFrom(0) },
      times: 1,
      fault: { kind: 'cut-response', afterBytes: 3 * MiB },
    });
    proxy.addFault({
      match: { method: 'GET', pathIncludes: key, predicate: rangeFrom(32 * MiB) },
      times: 1,
      fault: { kind: 'status', status: 503, code: 'SlowDown' },
    });
    proxy.addFault({
      match: { method: 'GET', pathIncludes: key, predicate: rangeFrom(64 * MiB) },
      times: 1,
      fault: { kind: 'stall' },
    });
    const { target, batchId, finished } = await startDownload([key]);
    expect(await finished()).toMatchObject({ finished: 1, failed: 0 });
    expect(transfers.batchSnapshots(batchId)[0]).toMatchObject({ retries: 3, bytesDone: 70 * MiB });
    expect((await readFile(join(target, 'seventy.bin'))).equals(body)).toBe(true);
    const gets = requestsFor(key, 'GET');
    // Off the app's own sockets (the SDK's keep-alive requests send no Connection: close), each
    // bound to the version it began with.
    expect(gets.length).toBe(6);
    for (const get of gets) {
      expect(get.headers.connection).toBe('close');
      expect(get.headers['if-match']).toBeTruthy();
    }
    expect(gets.map((get) => get.faulted ?? 'none').sort()).toEqual([
      'cut-response',
      'none',
      'none',
      'none',
      'stall',
      'status',
    ]);
    expect(await readdir(target)).toEqual(['seventy.bin']);
  }, 60_000);

  test('an object of a few MiB in one GET off a socket of its own: no HEAD, no Range; cut short, then refused (503): asked again, byte for byte', async () => {
    const body = randomBytes(5 * MiB + 123);
    const key = 'whole-socket/five.bin';
    await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: key, Body: body }));
    proxy.addFault({
      match: { method: 'GET', pathIncludes: key },
      times: 1,
      fault: { kind: 'cut-response', afterBytes: 2 * MiB },
    });
    proxy.addFault({
      match: { method: 'GET', pathIncludes: key },
      times: 1,
      fault: { kind: 'status', status: 503, code: 'SlowDown' },
    });
    // Listed in its folder (its size known): fetched whole, with no HEAD first.
    const { target, batchId, finished } = await startDownload(['whole-socket/']);
    expect(await finished()).toMatchObject({ finished: 1, failed: 0 });
    expect(transfers.batchSnapshots(batchId)[0]).toMatchObject({ retries: 2, bytesDone: body.length });
    expect((await readFile(join(target, 'whole-socket', 'five.bin'))).equals(body)).toBe(true);
    expect(requestsFor(key, 'HEAD')).toHaveLength(0);
    const gets = requestsFor(key, 'GET');
    expect(gets.map((get) => get.faulted ?? 'none')).toEqual(['cut-response', 'status', 'none']);
    // Off the app's own socket (the SDK's keep-alive requests send no Connection: close), whole.
    for (const get of gets) {
      expect(get.headers.connection).toBe('close');
      expect(get.headers.range).toBeUndefined();
    }
  }, 60_000);

  test('a large object replaced during its download: the next range answers 412, and the download starts again on the new object', async () => {
    const before = randomBytes(40 * MiB);
    const after = randomBytes(40 * MiB);
    const key = 'socket/replaced.bin';
    await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: key, Body: before }));
    const secondRange = holdFirstGet(key, (range) => range.startsWith(`bytes=${32 * MiB}-`));
    const { target, batchId, finished } = await startDownload([key]);
    // Replaced while the second range waits in the proxy: it reaches the server with the old ETag.
    await secondRange;
    await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: key, Body: after }));
    expect(await finished()).toMatchObject({ finished: 1, failed: 0 });
    expect(transfers.batchSnapshots(batchId)[0]?.note).toMatch(/changed on the server during the download/);
    expect(requestsFor(key, 'GET').map((get) => get.status)).toContain(412);
    expect((await readFile(join(target, 'replaced.bin'))).equals(after)).toBe(true);
    expect(await readdir(target)).toEqual(['replaced.bin']);
  }, 60_000);

  test('small objects come down in one GET each and no HEAD; bytes and sizes as stored', async () => {
    const bodies = [0, 1, 4096, 70_000].map((size) => randomBytes(size));
    await Promise.all(
      bodies.map((body, i) =>
        client.send(new PutObjectCommand({ Bucket: bucket.name, Key: `one-get/f${i}.bin`, Body: body })),
      ),
    );
    const { target, batchId, finished } = await startDownload(['one-get/']);
    expect(await finished()).toMatchObject({ finished: 4, failed: 0 });
    for (const [i, body] of bodies.entries()) {
      expect((await readFile(join(target, 'one-get', `f${i}.bin`))).equals(body)).toBe(true);
      expect(requestsFor(`one-get/f${i}.bin`, 'HEAD')).toHaveLength(0);
      expect(requestsFor(`one-get/f${i}.bin`, 'GET')).toHaveLength(1);
    }
    const shown = new Map(transfers.batchSnapshots(batchId).map((s) => [s.name, s]));
    expect(shown.get('f3.bin')).toMatchObject({ bytesTotal: 70_000, bytesDone: 70_000 });
  }, 60_000);

  test('small objects over kept connections: GETs cut on a reused connection before any answer are asked again on a new one, not counted as retries; byte for byte', async () => {
    const bodies = Array.from({ length: 12 }, (_, i) => randomBytes(2_000 + i * 3_000));
    await Promise.all(
      bodies.map((body, i) =>
        client.send(new PutObjectCommand({ Bucket: bucket.name, Key: `kept/f${i}.bin`, Body: body })),
      ),
    );
    cutThreeOnReusedConnections('GET', 'kept/');
    const seenBefore = proxy.requests.length;
    // Twice: the second batch finds the first's connections kept (a batch's first GETs open theirs).
    for (const round of [1, 2]) {
      const { target, batchId, finished } = await startDownload(['kept/']);
      expect(await finished(), `round ${round}`).toMatchObject({ finished: 12, failed: 0 });
      for (const [i, body] of bodies.entries()) {
        expect((await readFile(join(target, 'kept', `f${i}.bin`))).equals(body)).toBe(true);
      }
      expect(transfers.batchSnapshots(batchId).map((s) => s.retries)).toEqual(Array(12).fill(0));
    }
    const gets = proxy.requests.slice(seenBefore).filter((r) => r.method === 'GET' && r.path.includes('/kept/f'));
    expect(gets.filter((r) => r.faulted === 'cut')).toHaveLength(3);
    expect(gets).toHaveLength(27);
    // Connections carried more than one GET each (kept alive).
    expect(gets.filter((r) => r.earlier > 0 && r.faulted === null).length).toBeGreaterThan(0);
  }, 60_000);

  test('a small object replaced after it was listed: its one GET brings the new object whole', async () => {
    const before = randomBytes(1000);
    const after = randomBytes(50_000);
    await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'changed/doc.bin', Body: before }));
    const getArrived = holdFirstGet('changed/doc.bin');
    const { target, batchId, finished } = await startDownload(['changed/']);
    // Listed at 1,000 bytes; replaced while its GET waits in the proxy.
    await getArrived;
    await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'changed/doc.bin', Body: after }));
    expect(await finished()).toMatchObject({ finished: 1, failed: 0 });
    expect((await readFile(join(target, 'changed', 'doc.bin'))).equals(after)).toBe(true);
    const shown = transfers.batchSnapshots(batchId)[0];
    expect(shown).toMatchObject({ bytesTotal: 50_000, bytesDone: 50_000 });
    expect(await readdir(join(target, 'changed'))).toEqual(['doc.bin']);
  }, 60_000);
});
