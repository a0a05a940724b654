import { createHash, randomBytes } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { freshBucket, s3ClientFor, type FreshBucket } from '../../../../test/s3-fixtures';
import { servicesForLaunchAccount } from '../../../../test/services-for-launch-account';

// Issue #10: selected items that land on one name must never overwrite each other. Search
// results list keys from many folders, so "x/f.txt" and "y/f.txt" can be moved into "z/"
// together; before the fix the second copy overwrote the first and both originals were
// deleted. The app's services run through the hosts' dispatch against the real MinIO; what
// is left in the bucket is read from MinIO directly, bytes and all.

const s3 = inject('s3');
const direct = s3ClientFor(s3);
const { call, runOperation, services } = servicesForLaunchAccount(s3);
let made: FreshBucket;
let bucket: string;

beforeEach(async () => {
  made = await freshBucket(s3);
  bucket = made.name;
});
afterEach(async () => {
  await made.cleanup();
});
afterAll(async () => {
  await services.dispose();
  direct.destroy();
});

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Puts random bytes under each key; returns key → SHA-256 of what was written. */
async function putAll(keys: readonly string[]): Promise<Record<string, string>> {
  const written: Record<string, string> = {};
  await Promise.all(
    keys.map(async (key) => {
      const body = randomBytes(1024 + Math.floor(Math.random() * 4096));
      await direct.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
      written[key] = sha256(body);
    }),
  );
  return written;
}

/** Every key in the bucket and the SHA-256 of its bytes, read from MinIO directly. */
async function contents(): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  let token: string | undefined;
  do {
    const page = await direct.send(
      new ListObjectsV2Command({ Bucket: bucket, ...(token ? { ContinuationToken: token } : {}) }),
    );
    for (const object of page.Contents ?? []) {
      const got = await direct.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key }));
      result[object.Key ?? ''] = sha256((await got.Body?.transformToByteArray()) ?? new Uint8Array());
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return result;
}

/** Checks no content was lost: every original's bytes are somewhere in the bucket. */
function expectNothingLost(now: Record<string, string>, original: Record<string, string>): void {
  const present = new Set(Object.values(now));
  for (const [key, hash] of Object.entries(original)) expect(present.has(hash), `the bytes of ${key}`).toBe(true);
}

const transfer = (mode: 'copy' | 'move', items: string[], onConflict: 'replace' | 'skip' | 'keep-both') =>
  runOperation('objects.transfer', {
    mode,
    sourceBucket: bucket,
    items,
    targetBucket: bucket,
    targetPrefix: 'z/',
    onConflict,
  });

describe('selected items that land on one name', () => {
  it('are reported by objects.conflicts, with what exists at the destination', async () => {
    await putAll(['x/f.txt', 'y/f.txt', 'w/g.txt', 'a/photos/1.jpg', 'b/photos/1.jpg', 'z/g.txt']);
    const found = await call('objects.conflicts', {
      sourceBucket: bucket,
      items: ['x/f.txt', 'y/f.txt', 'w/g.txt', 'a/photos/', 'b/photos/'],
      targetBucket: bucket,
      targetPrefix: 'z/',
    });
    expect(found).toEqual({
      ok: true,
      value: {
        conflicts: ['g.txt'],
        collisions: [
          { key: 'z/f.txt', items: ['x/f.txt', 'y/f.txt'] },
          { key: 'z/photos/', items: ['a/photos/', 'b/photos/'] },
        ],
      },
    });
  });

  it('move with "replace" (sent when nothing exists there): the first keeps the name, the second is numbered, nothing is lost', async () => {
    const original = await putAll(['x/f.txt', 'y/f.txt']);
    const outcome = await transfer('move', ['x/f.txt', 'y/f.txt'], 'replace');
    const now = await contents();
    expectNothingLost(now, original);
    expect(now).toEqual({ 'z/f.txt': original['x/f.txt'], 'z/f (1).txt': original['y/f.txt'] });
    expect(outcome).toMatchObject({ state: 'finished', done: 2, failedCount: 0 });
    expect(outcome.summary).toBe(
      'Moved 2 objects. 1 selected item has the same name as another and got a numbered name: “y/f.txt” → “f (1).txt”.',
    );
  });

  it('move with "skip": the first is moved, the second is not copied and its original stays', async () => {
    const original = await putAll(['x/f.txt', 'y/f.txt']);
    const outcome = await transfer('move', ['x/f.txt', 'y/f.txt'], 'skip');
    const now = await contents();
    expect(now).toEqual({ 'z/f.txt': original['x/f.txt'], 'y/f.txt': original['y/f.txt'] });
    expect(outcome).toMatchObject({ state: 'finished', done: 1, failedCount: 0 });
    expect(outcome.summary).toBe(
      'Moved 1 object. Skipped 1 that had the same name as another selected item (“y/f.txt”); it stays where it was.',
    );
  });

  it('move with "replace" over an existing name: the first replaces it, the others get names free in the bucket and the selection', async () => {
    const original = await putAll(['x/f.txt', 'y/f.txt', 'v/f.txt', 'w/f (1).txt', 'z/f.txt', 'z/f (2).txt']);
    const outcome = await transfer('move', ['x/f.txt', 'y/f.txt', 'v/f.txt', 'w/f (1).txt'], 'replace');
    const now = await contents();
    expect(now).toEqual({
      'z/f.txt': original['x/f.txt'], // replaced what was there, as asked
      'z/f (1).txt': original['w/f (1).txt'], // its own name: never given to another item
      'z/f (2).txt': original['z/f (2).txt'], // exists: not a free name
      'z/f (3).txt': original['y/f.txt'],
      'z/f (4).txt': original['v/f.txt'],
    });
    expect(outcome).toMatchObject({ state: 'finished', done: 4, failedCount: 0 });
    expect(outcome.summary).toMatch(/^Moved 4 objects\. 2 selected items have the same name as another/);
  });

  it('copy with "keep both": every copy gets its own name, the originals stay', async () => {
    const original = await putAll(['x/f.txt', 'y/f.txt', 'z/f.txt']);
    const outcome = await transfer('copy', ['x/f.txt', 'y/f.txt'], 'keep-both');
    const now = await contents();
    expect(now).toEqual({
      ...original,
      'z/f (1).txt': original['x/f.txt'],
      'z/f (2).txt': original['y/f.txt'],
    });
    expect(outcome).toMatchObject({ state: 'finished', done: 2, failedCount: 0 });
  });

  it('two folders of one name moved together: the second becomes "photos (1)", no file overwrites another', async () => {
    const original = await putAll(['a/photos/1.jpg', 'a/photos/2.jpg', 'b/photos/1.jpg', 'b/photos/raw/1.jpg']);
    const outcome = await transfer('move', ['a/photos/', 'b/photos/'], 'replace');
    const now = await contents();
    expectNothingLost(now, original);
    expect(now).toEqual({
      'z/photos/1.jpg': original['a/photos/1.jpg'],
      'z/photos/2.jpg': original['a/photos/2.jpg'],
      'z/photos (1)/1.jpg': original['b/photos/1.jpg'],
      'z/photos (1)/raw/1.jpg': original['b/photos/raw/1.jpg'],
    });
    expect(outcome).toMatchObject({ state: 'finished', done: 4, failedCount: 0 });
  });

  it('a copy never lands on a key the same move reads: that one fails and its original stays', async () => {
    // "z/f.txt" moves to the top level, while the folder "y/z/" would put its "f.txt" on "z/f.txt".
    const original = await putAll(['z/f.txt', 'y/z/f.txt', 'y/z/g.txt']);
    const outcome = await runOperation('objects.transfer', {
      mode: 'move',
      sourceBucket: bucket,
      items: ['y/z/', 'z/f.txt'],
      targetBucket: bucket,
      targetPrefix: '',
      onConflict: 'replace',
    });
    const now = await contents();
    expectNothingLost(now, original);
    expect(now).toEqual({
      'f.txt': original['z/f.txt'],
      'z/g.txt': original['y/z/g.txt'],
      'y/z/f.txt': original['y/z/f.txt'],
    });
    expect(outcome).toMatchObject({ state: 'failed', done: 2, failedCount: 1 });
    expect(outcome.failures).toEqual([{ key: 'y/z/f.txt', message: expect.stringMatching(/z\/f\.txt/) }]);
  });
});
