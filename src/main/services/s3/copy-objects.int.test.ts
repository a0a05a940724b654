import { createHash, randomBytes } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { freshBucket, s3ClientFor, type FreshBucket } from '../../../../test/s3-fixtures';
import { servicesForLaunchAccount } from '../../../../test/services-for-launch-account';

const s3 = inject('s3');
const client = s3ClientFor(s3);
const MiB = 1024 * 1024;
const { call, runOperation } = servicesForLaunchAccount(s3, { singleCopyLimit: 5 * MiB });
const cleanups: FreshBucket[] = [];
let bucket: string;
beforeEach(async () => {
  const made = await freshBucket(s3);
  cleanups.push(made);
  bucket = made.name;
});
afterAll(async () => {
  for (const made of cleanups) await made.cleanup();
  client.destroy();
});

const put = (Bucket: string, Key: string, Body: string | Uint8Array) =>
  client.send(new PutObjectCommand({ Bucket, Key, Body }));

/** Every key and its body's MD5 in a bucket (under a prefix). */
async function contents(Bucket: string, Prefix = ''): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket, Prefix, ...(token ? { ContinuationToken: token } : {}) }),
    );
    for (const object of page.Contents ?? []) {
      const body = await (
        await client.send(new GetObjectCommand({ Bucket, Key: object.Key }))
      ).Body?.transformToByteArray();
      result.set(
        object.Key ?? '',
        createHash('md5')
          .update(body ?? new Uint8Array())
          .digest('hex'),
      );
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return result;
}

/** Fills a folder with `count` objects (a third of them one level deeper). */
async function fill(Bucket: string, prefix: string, count: number): Promise<void> {
  const keys = Array.from({ length: count }, (_, i) => `${prefix}${i % 3 === 0 ? 'inner/' : ''}item ${i}.txt`);
  for (let i = 0; i < keys.length; i += 100)
    await Promise.all(keys.slice(i, i + 100).map((key) => put(Bucket, key, key)));
}

/** Keys under a prefix, relative to it. */
const relative = (map: Map<string, string>, prefix: string) =>
  [...map.entries()]
    .filter(([key]) => key.startsWith(prefix))
    .map(([key, md5]) => `${key.slice(prefix.length)}=${md5}`)
    .sort();

describe('copy, move and rename of a folder of 1,200 objects', () => {
  it('renames, moves into another folder, and copies across buckets, bytes intact', { timeout: 240_000 }, async () => {
    await fill(bucket, 'album/', 1_200);
    const original = relative(await contents(bucket, 'album/'), 'album/');
    expect(original).toHaveLength(1_200);

    const renamed = await runOperation('objects.rename', { bucket, key: 'album/', newName: 'Album 2026' });
    expect(renamed).toMatchObject({ state: 'finished', done: 1_200, failedCount: 0 });
    let now = await contents(bucket);
    expect(relative(now, 'Album 2026/')).toEqual(original);
    expect(relative(now, 'album/')).toEqual([]);

    const moved = await runOperation('objects.transfer', {
      mode: 'move',
      sourceBucket: bucket,
      items: ['Album 2026/'],
      targetBucket: bucket,
      targetPrefix: 'archive/',
      onConflict: 'skip',
    });
    expect(moved).toMatchObject({ state: 'finished', done: 1_200, summary: 'Moved 1200 objects.' });
    now = await contents(bucket);
    expect(relative(now, 'archive/Album 2026/')).toEqual(original);
    expect(relative(now, 'Album 2026/')).toEqual([]);

    const other = await freshBucket(s3);
    cleanups.push(other);
    const copied = await runOperation('objects.transfer', {
      mode: 'copy',
      sourceBucket: bucket,
      items: ['archive/Album 2026/'],
      targetBucket: other.name,
      targetPrefix: '',
      onConflict: 'skip',
    });
    expect(copied).toMatchObject({ state: 'finished', done: 1_200 });
    expect(relative(await contents(other.name, 'Album 2026/'), 'Album 2026/')).toEqual(original);
    expect(relative(await contents(bucket, 'archive/Album 2026/'), 'archive/Album 2026/')).toEqual(original);
  });
});

describe('conflicts', () => {
  it('reports them, then replaces, skips or keeps both as asked', async () => {
    await put(bucket, 'in/report.pdf', 'new');
    await put(bucket, 'out/report.pdf', 'old');
    const args = { sourceBucket: bucket, items: ['in/report.pdf'], targetBucket: bucket, targetPrefix: 'out/' };
    expect(await call('objects.conflicts', args)).toEqual({
      ok: true,
      value: { conflicts: ['report.pdf'], collisions: [] },
    });

    expect(await runOperation('objects.transfer', { ...args, mode: 'copy', onConflict: 'skip' })).toMatchObject({
      done: 0,
      summary: 'Copied 0 objects. Skipped 1 that already existed.',
    });
    await runOperation('objects.transfer', { ...args, mode: 'copy', onConflict: 'keep-both' });
    await runOperation('objects.transfer', { ...args, mode: 'copy', onConflict: 'keep-both' });
    const md5 = (text: string) => createHash('md5').update(text).digest('hex');
    expect(Object.fromEntries(await contents(bucket, 'out/'))).toEqual({
      'out/report.pdf': md5('old'),
      'out/report (1).pdf': md5('new'),
      'out/report (2).pdf': md5('new'),
    });
    await runOperation('objects.transfer', { ...args, mode: 'move', onConflict: 'replace' });
    expect((await contents(bucket, 'out/')).get('out/report.pdf')).toBe(md5('new'));
    expect((await contents(bucket, 'in/')).size).toBe(0);
  });

  it('refuses a rename onto an existing name, a name with a slash, and a folder moved into itself', async () => {
    await put(bucket, 'a.txt', 'a');
    await put(bucket, 'b.txt', 'b');
    await put(bucket, 'dir/x.txt', 'x');
    expect(await call('objects.rename', { bucket, key: 'a.txt', newName: 'b.txt' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(await call('objects.rename', { bucket, key: 'a.txt', newName: 'c/d.txt' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
    await expect(
      runOperation('objects.transfer', {
        mode: 'move',
        sourceBucket: bucket,
        items: ['dir/'],
        targetBucket: bucket,
        targetPrefix: 'dir/sub/',
        onConflict: 'skip',
      }),
    ).resolves.toMatchObject({ state: 'failed', summary: expect.stringMatching(/into itself/) });
    expect([...(await contents(bucket)).keys()].sort()).toEqual(['a.txt', 'b.txt', 'dir/x.txt']);
  });
});

describe('large objects', () => {
  it('copies an object above the single-copy limit with UploadPartCopy, byte for byte', async () => {
    const body = randomBytes(12 * MiB);
    await put(bucket, 'big.bin', body);
    const outcome = await runOperation('objects.transfer', {
      mode: 'copy',
      sourceBucket: bucket,
      items: ['big.bin'],
      targetBucket: bucket,
      targetPrefix: 'copies/',
      onConflict: 'skip',
    });
    expect(outcome).toMatchObject({ state: 'finished', done: 1 });
    const copy = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'copies/big.bin' }));
    // A multipart copy's ETag ends in -<parts>: proof it went through UploadPartCopy.
    expect(copy.ETag).toMatch(/-3"$/);
    expect(Buffer.from((await copy.Body?.transformToByteArray()) ?? []).equals(body)).toBe(true);
  });
});
