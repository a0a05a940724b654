import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startS3rver, type RunningS3rver } from '../../../../scripts/s3rver';
import { freshBucket, s3ClientFor, type FreshBucket } from '../../../../test/s3-fixtures';
import { servicesForLaunchAccount } from '../../../../test/services-for-launch-account';
import type { FileEntry, FolderEntry } from '../../../shared/objects';
import type { DeletedListingPage } from '../../../shared/versions';
import { servicesForTestServer } from '../details/test-services';
import { NOTHING_TO_UNDELETE } from './deleted-objects';

// "Show deleted files" against real servers: MinIO with versioning, and s3rver, which has none.

const s3 = inject('s3');
const client = s3ClientFor(s3);
// Two versions a page for undelete and delete for good, so a key's versions span pages.
const { call, callRaw, runOperation } = servicesForLaunchAccount(s3, { listPageSize: 2 });
const buckets: FreshBucket[] = [];
afterAll(async () => {
  for (const bucket of buckets) await bucket.cleanup();
  client.destroy();
});

const put = (Bucket: string, Key: string, Body: string) => client.send(new PutObjectCommand({ Bucket, Key, Body }));
const remove = (Bucket: string, Key: string) => client.send(new DeleteObjectCommand({ Bucket, Key }));
const read = async (Bucket: string, Key: string) =>
  (await client.send(new GetObjectCommand({ Bucket, Key }))).Body?.transformToString();

/** Every version and delete marker of one key. */
async function versionsOf(Bucket: string, Key: string) {
  const page = await client.send(new ListObjectVersionsCommand({ Bucket, Prefix: Key }));
  return [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].filter((v) => v.Key === Key);
}

/** Every page of a folder's deleted entries, asked for one after another as the renderer does. */
async function listAllDeleted(bucket: string, prefix: string, pageSize: number) {
  const files: FileEntry[] = [];
  const folders: FolderEntry[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const result = await call('versions.listDeleted', {
      bucket,
      prefix,
      pageSize,
      ...(token ? { continuationToken: token } : {}),
    });
    if (!result.ok) throw new Error(result.error.message);
    const page = result.value as DeletedListingPage;
    files.push(...page.files);
    folders.push(...page.folders);
    token = page.nextToken ?? undefined;
    pages += 1;
  } while (token);
  return { files, folders, pages };
}

describe('deleted files in a versioned bucket (MinIO)', () => {
  let Bucket: string;

  beforeAll(async () => {
    const bucket = await freshBucket(s3, { versioning: true });
    buckets.push(bucket);
    Bucket = bucket.name;
    await put(Bucket, 'docs/a.txt', 'alpha');
    await put(Bucket, 'docs/a.txt', 'alpha v2');
    await remove(Bucket, 'docs/a.txt');
    await put(Bucket, 'docs/b.txt', 'bravo');
    await put(Bucket, 'docs/gone/c.txt', 'charlie');
    await remove(Bucket, 'docs/gone/c.txt');
    await put(Bucket, 'docs/twice.txt', 'twice');
    await remove(Bucket, 'docs/twice.txt');
    await remove(Bucket, 'docs/twice.txt');
    // A key with a delete marker and nothing below it: its one version was deleted for good.
    const only = await put(Bucket, 'docs/marker-only.txt', 'soon gone');
    await remove(Bucket, 'docs/marker-only.txt');
    await client.send(new DeleteObjectCommand({ Bucket, Key: 'docs/marker-only.txt', VersionId: only.VersionId }));
    await put(Bucket, 'top.txt', 'top');
  });

  it('says whether a bucket keeps versions', async () => {
    expect(await call('versions.bucketState', { bucket: Bucket })).toEqual({
      ok: true,
      value: { available: true, value: 'enabled' },
    });
    const plain = await freshBucket(s3);
    buckets.push(plain);
    expect(await call('versions.bucketState', { bucket: plain.name })).toEqual({
      ok: true,
      value: { available: true, value: 'never-enabled' },
    });
  });

  it('lists a folder’s deleted files and its subfolders with history, page by page', async () => {
    const small = await listAllDeleted(Bucket, 'docs/', 1);
    expect(small.pages).toBeGreaterThan(3);
    const big = await listAllDeleted(Bucket, 'docs/', 1000);
    expect(big.pages).toBe(1);
    for (const listed of [small, big]) {
      expect(listed.files.map((f) => f.name).sort()).toEqual(['a.txt', 'marker-only.txt', 'twice.txt']);
      expect(listed.files.every((f) => f.deleted === true && f.lastModified !== null)).toBe(true);
      expect(listed.folders).toEqual([{ kind: 'folder', key: 'docs/gone/', name: 'gone', deleted: true }]);
    }
    // The size of the version Undelete brings back, where the page lists it.
    expect(big.files.find((f) => f.name === 'a.txt')?.size).toBe('alpha v2'.length);
    // The top level: docs/ holds versions, but live files too: it is no deleted folder.
    const top = await listAllDeleted(Bucket, '', 1000);
    expect(top).toMatchObject({ files: [], folders: [] });
  });

  it('counts what Delete for good would remove', async () => {
    expect(await call('versions.countForGood', { bucket: Bucket, items: ['docs/a.txt', 'docs/gone/'] })).toEqual({
      ok: true,
      value: { files: 2, versions: 5, more: false },
    });
    // A live file counts nothing.
    expect(await call('versions.countForGood', { bucket: Bucket, items: ['docs/b.txt'] })).toMatchObject({
      value: { files: 0, versions: 0 },
    });
  });

  it('undeletes files and a folder of deleted files: the version before the markers is current again', async () => {
    const outcome = await runOperation('versions.undelete', {
      bucket: Bucket,
      items: ['docs/a.txt', 'docs/twice.txt', 'docs/marker-only.txt', 'docs/gone/'],
    });
    expect(outcome).toMatchObject({ kind: 'undelete', state: 'failed', done: 3, failedCount: 1 });
    expect(outcome.failures).toEqual([{ key: 'docs/marker-only.txt', message: NOTHING_TO_UNDELETE }]);
    expect(outcome.summary).toBe('Undeleted 3 files. 1 could not be.');
    expect(await read(Bucket, 'docs/a.txt')).toBe('alpha v2');
    expect(await read(Bucket, 'docs/twice.txt')).toBe('twice');
    expect(await read(Bucket, 'docs/gone/c.txt')).toBe('charlie');
    // History is kept: both versions of a.txt remain, its marker is gone.
    expect((await versionsOf(Bucket, 'docs/a.txt')).map((v) => 'Size' in v)).toEqual([true, true]);
    const left = await listAllDeleted(Bucket, 'docs/', 1000);
    expect(left.files.map((f) => f.name)).toEqual(['marker-only.txt']);
  });

  it('deletes deleted files for good, every version and marker, and leaves a live file alone', async () => {
    await put(Bucket, 'docs/b.txt', 'bravo v2');
    await remove(Bucket, 'docs/b.txt');
    expect(await versionsOf(Bucket, 'docs/b.txt')).toHaveLength(3);
    const outcome = await runOperation('versions.deleteForGood', {
      bucket: Bucket,
      items: ['docs/b.txt', 'docs/marker-only.txt', 'top.txt'],
    });
    expect(outcome).toMatchObject({ kind: 'delete-for-good', state: 'failed', done: 4, failedCount: 1 });
    expect(outcome.failures[0]?.key).toBe('top.txt');
    expect(outcome.summary).toMatch(/^Deleted 2 files for good \(4 versions and delete markers\)\./);
    expect(await versionsOf(Bucket, 'docs/b.txt')).toEqual([]);
    expect(await versionsOf(Bucket, 'docs/marker-only.txt')).toEqual([]);
    expect(await read(Bucket, 'top.txt')).toBe('top');
  });

  it('stops a folder’s undelete when cancelled, reporting what it did', async () => {
    for (let i = 0; i < 12; i++) {
      await put(Bucket, `many/f${i}.txt`, `file ${i}`);
      await remove(Bucket, `many/f${i}.txt`);
    }
    const started = await call('versions.undelete', { bucket: Bucket, items: ['many/'] });
    if (!started.ok) throw new Error(started.error.message);
    const { operationId } = started.value as { operationId: string };
    expect(await callRaw('operations.cancel', { operationId })).toMatchObject({ ok: true });
    // Whatever it managed before the cancel is back; nothing it listed is lost.
    const left = await listAllDeleted(Bucket, 'many/', 1000);
    const back = await Promise.all(
      Array.from({ length: 12 }, (_, i) => read(Bucket, `many/f${i}.txt`).catch(() => undefined)),
    );
    expect(left.files.length + back.filter((text) => text !== undefined).length).toBe(12);
  });
});

describe('a server without versioning (s3rver)', () => {
  let server: RunningS3rver;
  let app: Awaited<ReturnType<typeof servicesForTestServer>>;
  let direct: S3Client;

  beforeAll(async () => {
    server = await startS3rver();
    direct = new S3Client({
      endpoint: server.endpoint,
      region: server.region,
      forcePathStyle: true,
      credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    await direct.send(new CreateBucketCommand({ Bucket: 'plain' }));
    await direct.send(new PutObjectCommand({ Bucket: 'plain', Key: 'a.txt', Body: 'a' }));
    app = await servicesForTestServer(server, { settings: { provider: 'other' } });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    direct?.destroy();
    await server?.stop();
  });

  it('says the bucket keeps no versions, and the deleted files’ channels say why instead of failing', async () => {
    const state = await app.value<{ available: boolean; reason?: string }>('versions.bucketState', {
      bucket: 'plain',
    });
    expect(state).toEqual({ available: false, reason: expect.stringMatching(/versioning/) });
    for (const [channel, input] of [
      ['versions.listDeleted', { bucket: 'plain', prefix: '' }],
      ['versions.undelete', { bucket: 'plain', items: ['a.txt'] }],
      ['versions.deleteForGood', { bucket: 'plain', items: ['a.txt'] }],
    ] as const) {
      expect(await app.call(channel, input)).toEqual({
        ok: false,
        error: { code: 'not-supported', message: state.reason },
      });
    }
    // Nothing was touched.
    expect(
      await (await direct.send(new GetObjectCommand({ Bucket: 'plain', Key: 'a.txt' }))).Body?.transformToString(),
    ).toBe('a');
  });
});
