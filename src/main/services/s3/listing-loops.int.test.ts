/**
 * Issue #11: every loop over a paged listing stops when the service misbehaves. The fault proxy
 * makes MinIO answer "truncated" with empty pages that send the client back to the same marker,
 * or on to new markers that lead nowhere; each listing the app makes (a folder's size, a
 * download's plan, a delete, a move, versions, unfinished uploads, the parts of an upload being
 * resumed, one page of the file list) stops with a clear error after a bounded number of
 * requests, counted at the proxy. A folder-size request whose client has gone stops too.
 *
 * The proxy rewrites only a budget of pages, then lets MinIO's real answers through: the old
 * loops, which never stopped, then end, and these tests fail on their request counts.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, inject, test } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../../../../test/fault-proxy';
import { startAppServices, waitFor, type AppServices } from '../../../../test/app-services';
import { freshBucket, s3ClientFor, type FreshBucket } from '../../../../test/s3-fixtures';
import { classifyS3Request } from '../../../../test/s3-operations';
import { createStuckListings, type StuckListing } from '../../../../test/stuck-listings';
import { objectBytes, writeRandomFile } from '../../../../test/transfer-files';
import { MAX_EMPTY_PAGES } from './bounded-pages';

const s3 = inject('s3');
const MiB = 1024 * 1024;
/** Pages the proxy breaks for a 'repeat' rule: old code asked for all of them (and then some). */
const REPEAT_BUDGET = 60;

let bucket: FreshBucket;
let client: S3Client;
let proxy: FaultProxy;
let app: AppServices;
let work: string;
const stuck = createStuckListings();

beforeAll(async () => {
  bucket = await freshBucket(s3, { versioning: true });
  client = s3ClientFor(s3);
  proxy = await startFaultProxy({ target: s3.endpoint, transform: stuck });
  work = await mkdtemp(join(tmpdir(), 's3fm-loops-'));
  app = await startAppServices({
    endpoint: proxy.url,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    transferTuning: { stallTimeoutMs: 2_000, backoff: { baseMs: 50, capMs: 400 }, tickMs: 50 },
  });
  for (const key of ['tree/a.txt', 'tree/b.txt', 'tree/sub/c.txt', 'solo.txt']) {
    await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: key, Body: `${key} body` }));
  }
});

afterEach(() => {
  stuck.clear();
  proxy.clearFaults();
});

afterAll(async () => {
  await app?.dispose();
  await proxy?.stop();
  await bucket?.cleanup();
  client?.destroy();
  if (work) await rm(work, { recursive: true, force: true });
});

/** How many requests of a listing the proxy has seen since `from`. */
function listingsSince(from: number, listing: StuckListing): number {
  return proxy.requests.slice(from).filter((r) => r.method === 'GET' && classifyS3Request(r).name === listing).length;
}

describe('a service that answers "truncated" with the same marker again', () => {
  test('folder size stops after 2 requests with a clear error', async () => {
    stuck.add({
      listing: 'ListObjectsV2',
      bucket: bucket.name,
      prefix: 'tree/',
      mode: 'repeat',
      budget: REPEAT_BUDGET,
    });
    const from = proxy.requests.length;
    const result = await app.result('details.folderSize', { bucket: bucket.name, prefix: 'tree/' });
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'internal',
        message: `The service answered the listing of s3://${bucket.name}/tree/ with the same page again: it was stopped after 2 pages, so as not to ask for ever.`,
      },
    });
    expect(listingsSince(from, 'ListObjectsV2')).toBe(2);
  });

  test("a folder's download stops planning after 2 requests and queues nothing", async () => {
    stuck.add({
      listing: 'ListObjectsV2',
      bucket: bucket.name,
      prefix: 'tree/',
      mode: 'repeat',
      budget: REPEAT_BUDGET,
    });
    const target = await mkdtemp(join(work, 'download-'));
    const from = proxy.requests.length;
    const result = await app.result('transfers.download', { bucket: bucket.name, items: ['tree/'], targetDir: target });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.message).toMatch(/with the same page again: it was stopped after 2 pages/);
    expect(listingsSince(from, 'ListObjectsV2')).toBe(2);
    expect(await readdir(target)).toEqual([]);
  });

  test('deleting a folder fails after 2 listing requests and deletes nothing', async () => {
    stuck.add({
      listing: 'ListObjectsV2',
      bucket: bucket.name,
      prefix: 'tree/',
      mode: 'repeat',
      budget: REPEAT_BUDGET,
    });
    const from = proxy.requests.length;
    const outcome = await app.operation('objects.delete', { bucket: bucket.name, keys: ['tree/'] });
    expect(outcome.state).toBe('failed');
    expect(outcome.summary).toMatch(/with the same page again: it was stopped after 2 pages/);
    expect(listingsSince(from, 'ListObjectsV2')).toBe(2);
    expect(proxy.requests.slice(from).some((r) => r.method === 'POST' && r.query.has('delete'))).toBe(false);
    stuck.clear();
    expect((await objectBytes(client, bucket.name, 'tree/sub/c.txt')).toString()).toBe('tree/sub/c.txt body');
  });

  test('moving a folder fails after 2 listing requests, copying and deleting nothing', async () => {
    stuck.add({
      listing: 'ListObjectsV2',
      bucket: bucket.name,
      prefix: 'tree/',
      mode: 'repeat',
      budget: REPEAT_BUDGET,
    });
    const from = proxy.requests.length;
    const outcome = await app.operation('objects.transfer', {
      mode: 'move',
      sourceBucket: bucket.name,
      items: ['tree/'],
      targetBucket: bucket.name,
      targetPrefix: 'moved/',
      onConflict: 'skip',
    });
    expect(outcome.state).toBe('failed');
    expect(outcome.summary).toMatch(/with the same page again/);
    expect(listingsSince(from, 'ListObjectsV2')).toBeLessThanOrEqual(3);
    const since = proxy.requests.slice(from);
    expect(since.some((r) => r.method === 'PUT' || r.method === 'DELETE' || r.query.has('delete'))).toBe(false);
  });

  test("a file's versions stop after 2 requests", async () => {
    stuck.add({
      listing: 'ListObjectVersions',
      bucket: bucket.name,
      prefix: 'solo.txt',
      mode: 'repeat',
      budget: REPEAT_BUDGET,
    });
    const from = proxy.requests.length;
    const result = await app.result('versions.list', { bucket: bucket.name, key: 'solo.txt' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.message).toBe(
      'The service answered the version listing of solo.txt with the same page again: it was stopped after 2 pages, so as not to ask for ever.',
    );
    expect(listingsSince(from, 'ListObjectVersions')).toBe(2);
  });

  test('the list of unfinished uploads stops after 2 requests', async () => {
    stuck.add({ listing: 'ListMultipartUploads', bucket: bucket.name, mode: 'repeat', budget: REPEAT_BUDGET });
    const from = proxy.requests.length;
    const result = await app.result('transfers.orphanedUploads', { bucket: bucket.name });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.message).toMatch(
      `The service answered the list of unfinished uploads in ${bucket.name} with the same page again`,
    );
    expect(listingsSince(from, 'ListMultipartUploads')).toBe(2);
  });

  test('one page of the file list that sends the caller back to its own token is an error', async () => {
    stuck.add({
      listing: 'ListObjectsV2',
      bucket: bucket.name,
      prefix: 'tree/',
      mode: 'repeat',
      budget: REPEAT_BUDGET,
    });
    const first = await app.call<{ nextToken: string | null }>('objects.list', {
      bucket: bucket.name,
      prefix: 'tree/',
    });
    expect(first.nextToken).not.toBeNull();
    // The renderer asks for the next page with the token it got: the same one comes back.
    const again = await app.result('objects.list', {
      bucket: bucket.name,
      prefix: 'tree/',
      continuationToken: first.nextToken,
    });
    expect(again.ok).toBe(false);
    expect(!again.ok && again.error.message).toMatch(/with the same page again/);
  });

  test('resuming a paused upload stops listing its parts after 2 requests, and the transfer says why', async () => {
    await app.callRaw('transfers.saveSettings', {
      settings: { multipartThresholdMiB: 5, partSizeMiB: 5, partsInParallel: 1, filesInParallel: 1, maxRetries: 2 },
    });
    const file = join(work, 'parts.bin');
    await writeRandomFile(file, 30 * MiB);
    proxy.setThrottle(4 * MiB);
    try {
      const { batchId } = await app.call<{ batchId: string }>('transfers.upload', {
        bucket: bucket.name,
        prefix: 'parts/',
        source: { kind: 'paths', paths: [file] },
        onConflict: 'replace',
      });
      const snapshot = await waitFor(
        () => app.batchSnapshots(batchId).find((s) => s.bytesDone >= 5 * MiB),
        'a part to be sent',
        60_000,
      );
      await app.callRaw('transfers.pause', { ids: [snapshot.id] });
      await waitFor(() => app.snapshots.get(snapshot.id)?.state === 'paused', 'the paused state', 10_000);
      proxy.setThrottle(null);
      stuck.add({ listing: 'ListParts', bucket: bucket.name, prefix: 'parts/', mode: 'repeat', budget: REPEAT_BUDGET });
      const from = proxy.requests.length;
      await app.callRaw('transfers.resume', { ids: [snapshot.id] });
      const outcome = await app.batchFinished(batchId, 60_000);
      expect(outcome).toMatchObject({ failed: 1, finished: 0 });
      expect(app.snapshots.get(snapshot.id)?.error?.message).toMatch(/with the same page again/);
      expect(listingsSince(from, 'ListParts')).toBe(2);
    } finally {
      proxy.setThrottle(null);
      await rm(file, { force: true });
    }
  }, 90_000);
});

describe('a service that answers "truncated" with empty pages and new markers', () => {
  test(`folder size stops after ${MAX_EMPTY_PAGES} empty pages in a row`, async () => {
    stuck.add({
      listing: 'ListObjectsV2',
      bucket: bucket.name,
      prefix: 'tree/',
      mode: 'fresh',
      budget: MAX_EMPTY_PAGES + 100,
    });
    const from = proxy.requests.length;
    const result = await app.result('details.folderSize', { bucket: bucket.name, prefix: 'tree/' });
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'internal',
        message: `The service answered the listing of s3://${bucket.name}/tree/ with 1,000 empty pages in a row, each saying there was more: it was stopped, so as not to ask for ever.`,
      },
    });
    expect(listingsSince(from, 'ListObjectsV2')).toBe(MAX_EMPTY_PAGES);
  });

  test('the list of unfinished uploads stops too', async () => {
    stuck.add({
      listing: 'ListMultipartUploads',
      bucket: bucket.name,
      mode: 'fresh',
      budget: MAX_EMPTY_PAGES + 100,
    });
    const from = proxy.requests.length;
    const result = await app.result('transfers.orphanedUploads', { bucket: bucket.name });
    expect(!result.ok && result.error.message).toMatch(/with 1,000 empty pages in a row/);
    expect(listingsSince(from, 'ListMultipartUploads')).toBe(MAX_EMPTY_PAGES);
  });
});

describe('a listing whose caller has gone', () => {
  test('a folder-size request stops within one request once its client leaves', async () => {
    // Slow, endless pages: the old code went on (here, to the end of the budget) for nobody.
    stuck.add({ listing: 'ListObjectsV2', bucket: bucket.name, prefix: 'tree/', mode: 'fresh', budget: 400 });
    proxy.addFault({
      match: { method: 'GET', predicate: (r) => r.query.get('prefix') === 'tree/' },
      fault: { kind: 'delay', ms: 20 },
    });
    const leaving = new AbortController();
    const from = proxy.requests.length;
    const pending = app.result(
      'details.folderSize',
      { bucket: bucket.name, prefix: 'tree/' },
      { host: 'ws', signal: leaving.signal },
    );
    await waitFor(() => listingsSince(from, 'ListObjectsV2') >= 20, '20 pages', 30_000);
    leaving.abort();
    const atLeave = listingsSince(from, 'ListObjectsV2');
    const result = await pending;
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('cancelled');
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The request in flight is aborted; none follows it.
    expect(listingsSince(from, 'ListObjectsV2')).toBeLessThanOrEqual(atLeave + 1);
  });
});
