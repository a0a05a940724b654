import { createHash, randomBytes } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../../../../test/fault-proxy';
import { freshBucket, s3ClientFor, type FreshBucket } from '../../../../test/s3-fixtures';
import { servicesForLaunchAccount } from '../../../../test/services-for-launch-account';

// Issue #4: a move that fails half-way deletes nothing it did not copy. The app's real services
// talk to the real MinIO through the fault proxy, which makes the CopyObject of chosen keys fail;
// what is left in the bucket is read directly from MinIO, not through the app.

const s3 = inject('s3');
const direct = s3ClientFor(s3);
let proxy: FaultProxy;
let app: ReturnType<typeof servicesForLaunchAccount>;
let made: FreshBucket;
let bucket: string;

beforeAll(async () => {
  proxy = await startFaultProxy({ target: s3.endpoint });
  app = servicesForLaunchAccount({ ...s3, endpoint: proxy.url });
});
afterAll(async () => {
  await app.services.dispose?.();
  await proxy.stop();
  direct.destroy();
});
beforeEach(async () => {
  made = await freshBucket(s3);
  bucket = made.name;
});
afterEach(async () => {
  proxy.clearFaults();
  await made.cleanup();
});

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Every key in the bucket and the SHA-256 of its bytes, read from MinIO directly. */
async function contents(): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  let token: string | undefined;
  do {
    const page = await direct.send(
      new ListObjectsV2Command({ Bucket: bucket, ...(token ? { ContinuationToken: token } : {}) }),
    );
    for (const object of page.Contents ?? []) {
      const got = await direct.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key }));
      result.set(object.Key ?? '', sha256((await got.Body?.transformToByteArray()) ?? new Uint8Array()));
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return result;
}

/** Puts `count` files of random bytes (1 to 64 KiB) under a folder, a quarter of them one level deeper; returns key → SHA-256. */
async function fillFolder(prefix: string, count: number): Promise<Map<string, string>> {
  const written = new Map<string, string>();
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const key = `${prefix}${i % 4 === 0 ? 'raw/' : ''}IMG_${String(1000 + i)}.jpg`;
      const body = randomBytes(1024 + Math.floor(Math.random() * 63 * 1024));
      await direct.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
      written.set(key, sha256(body));
    }),
  );
  return written;
}

/** Makes the CopyObject whose target path includes `name` fail (`times` attempts, default all). */
function failCopyOf(name: string, fault: Parameters<FaultProxy['addFault']>[0]['fault'], times?: number): void {
  proxy.addFault({
    match: { method: 'PUT', header: 'x-amz-copy-source', pathIncludes: name },
    ...(times === undefined ? {} : { times }),
    fault,
  });
}

/** The CopyObject requests the proxy saw for a key in this test's bucket, as [status, fault] pairs. */
const copyAttempts = (name: string) =>
  proxy.requests
    .filter(
      (r) =>
        r.method === 'PUT' &&
        r.headers['x-amz-copy-source'] !== undefined &&
        r.path.startsWith(`/${bucket}/`) &&
        r.path.endsWith(name),
    )
    .map((r) => [r.status, r.faulted]);

/** Checks a folder move left each file in exactly one place, bytes intact: failed ones at the source, others at the target. */
function expectMovedExceptFailed(
  now: Map<string, string>,
  original: Map<string, string>,
  from: string,
  to: string,
  failed: readonly string[],
): void {
  for (const [key, hash] of original) {
    const target = to + key.slice(from.length);
    if (failed.includes(key)) {
      expect(now.get(key), `${key} failed to copy: it stays, intact`).toBe(hash);
      expect(now.has(target), `${key} failed to copy: no ${target}`).toBe(false);
    } else {
      expect(now.get(target), `${key} moved: ${target} has its bytes`).toBe(hash);
      expect(now.has(key), `${key} moved: the original is gone`).toBe(false);
    }
  }
  // Nothing else appeared.
  expect(now.size).toBe(original.size);
}

describe('a move whose copies fail half-way', () => {
  it('moves what it copied, leaves the two files whose copy was refused (403) intact, and says so', async () => {
    const original = await fillFolder('photos/2024/', 20);
    const failing = ['photos/2024/IMG_1005.jpg', 'photos/2024/raw/IMG_1012.jpg'];
    failCopyOf('IMG_1005.jpg', { kind: 'status', status: 403, code: 'AccessDenied', message: 'Access Denied.' });
    failCopyOf('IMG_1012.jpg', { kind: 'status', status: 403, code: 'AccessDenied', message: 'Access Denied.' });

    const outcome = await app.runOperation('objects.transfer', {
      mode: 'move',
      sourceBucket: bucket,
      items: ['photos/2024/'],
      targetBucket: bucket,
      targetPrefix: 'archive/',
      onConflict: 'skip',
    });

    expectMovedExceptFailed(await contents(), original, 'photos/2024/', 'archive/2024/', failing);
    expect(outcome).toMatchObject({ kind: 'move', state: 'failed', done: 18, failedCount: 2 });
    expect(outcome.failures.map((f) => f.key).sort()).toEqual(failing);
    for (const failure of outcome.failures) expect(failure.message).toMatch(/denied|permission/i);
    // What was done (18 moved) and what was not (2 left where they were).
    expect(outcome.summary).toMatch(/\b18\b/);
    expect(outcome.summary).toMatch(/\b2\b/);
    expect(outcome.summary).not.toMatch(/nothing was deleted/i);
    // A permanent refusal is not retried.
    expect(copyAttempts('IMG_1005.jpg')).toEqual([[403, 'status']]);
  });

  it('retries a copy cut off twice until it lands, gives up on one cut off every time, and keeps that one', async () => {
    const original = await fillFolder('photos/2024/', 20);
    // The app's client makes 3 attempts: two cuts are survived, three are not.
    failCopyOf('IMG_1003.jpg', { kind: 'cut', afterBytes: 0 }, 3);
    failCopyOf('IMG_1009.jpg', { kind: 'cut', afterBytes: 0 }, 2);

    const outcome = await app.runOperation('objects.transfer', {
      mode: 'move',
      sourceBucket: bucket,
      items: ['photos/2024/'],
      targetBucket: bucket,
      targetPrefix: 'archive/',
      onConflict: 'skip',
    });

    expectMovedExceptFailed(await contents(), original, 'photos/2024/', 'archive/2024/', ['photos/2024/IMG_1003.jpg']);
    expect(copyAttempts('IMG_1003.jpg')).toEqual([
      [null, 'cut'],
      [null, 'cut'],
      [null, 'cut'],
    ]);
    expect(copyAttempts('IMG_1009.jpg')).toEqual([
      [null, 'cut'],
      [null, 'cut'],
      [200, null],
    ]);
    expect(outcome).toMatchObject({ state: 'failed', done: 19, failedCount: 1 });
    expect(outcome.failures).toEqual([{ key: 'photos/2024/IMG_1003.jpg', message: expect.any(String) }]);
    expect(outcome.failures[0]?.message).toMatch(/network|connection|reach/i);
    expect(outcome.summary).toMatch(/\b19\b/);
  });

  it('keeps the original when the copy happened but its answer was lost every time', async () => {
    const original = await fillFolder('docs/', 3);
    // The request reaches MinIO (which copies), then the connection drops before the answer.
    failCopyOf('IMG_1001.jpg', { kind: 'cut', afterBytes: 1 });

    const outcome = await app.runOperation('objects.transfer', {
      mode: 'move',
      sourceBucket: bucket,
      items: ['docs/'],
      targetBucket: bucket,
      targetPrefix: 'moved/',
      onConflict: 'skip',
    });

    const now = await contents();
    expect(original.size).toBe(3);
    for (const [key, hash] of original) {
      if (key === 'docs/IMG_1001.jpg') {
        // MinIO made the copy, but the app never heard so: it must not delete the original.
        expect(now.get(key), 'the original whose copy was never confirmed').toBe(hash);
      } else {
        expect(now.get(`moved/${key}`), `${key} moved`).toBe(hash);
        expect(now.has(key), `${key} moved: the original is gone`).toBe(false);
      }
    }
    expect(copyAttempts('IMG_1001.jpg')).toEqual([
      [null, 'cut'],
      [null, 'cut'],
      [null, 'cut'],
    ]);
    expect(outcome).toMatchObject({ state: 'failed', failedCount: 1 });
    expect(outcome.failures.map((f) => f.key)).toEqual(['docs/IMG_1001.jpg']);
  });
});

describe('a rename whose copy fails', () => {
  it('leaves the file as it was and makes no file under the new name', async () => {
    const body = randomBytes(10_000);
    await direct.send(new PutObjectCommand({ Bucket: bucket, Key: 'reports/q3.pdf', Body: body }));
    failCopyOf('q3-final.pdf', { kind: 'status', status: 403, code: 'AccessDenied', message: 'Access Denied.' });

    const outcome = await app.runOperation('objects.rename', {
      bucket,
      key: 'reports/q3.pdf',
      newName: 'q3-final.pdf',
    });

    expect(Object.fromEntries(await contents())).toEqual({ 'reports/q3.pdf': sha256(body) });
    expect(outcome).toMatchObject({ kind: 'rename', state: 'failed', done: 0, failedCount: 1 });
    expect(outcome.failures.map((f) => f.key)).toEqual(['reports/q3.pdf']);
    expect(outcome.summary).not.toMatch(/^(Moved|Renamed) 1/);
  });
});
