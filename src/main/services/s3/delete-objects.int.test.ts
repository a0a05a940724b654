import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { OperationOutcome, OperationProgress } from '../../../shared/operations';
import { freshBucket, s3ClientFor, type FreshBucket } from '../../../../test/s3-fixtures';
import { servicesForLaunchAccount } from '../../../../test/services-for-launch-account';

const s3 = inject('s3');
const client = s3ClientFor(s3);
const { services, call, callRaw } = servicesForLaunchAccount(s3);
const cleanups: FreshBucket[] = [];
afterAll(async () => {
  for (const bucket of cleanups) await bucket.cleanup();
  client.destroy();
});

/** Puts `count` small objects under a prefix, 100 at a time. */
async function fill(bucket: string, prefix: string, count: number): Promise<void> {
  const keys = Array.from({ length: count }, (_, i) => `${prefix}${i % 3 === 0 ? 'sub/' : ''}object-${i}.txt`);
  for (let i = 0; i < keys.length; i += 100) {
    await Promise.all(
      keys.slice(i, i + 100).map((Key) => client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Key }))),
    );
  }
}

/** Every key left in a bucket. */
async function keysIn(bucket: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, ...(token ? { ContinuationToken: token } : {}) }),
    );
    keys.push(...(page.Contents ?? []).map((o) => o.Key ?? ''));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/** Waits for one operation's outcome, collecting its progress events. */
function track(operationId: () => string | undefined) {
  const progress: OperationProgress[] = [];
  const outcome = new Promise<OperationOutcome>((resolve) => {
    services.bus.onAny((channel, payload) => {
      if (channel === 'operations.progress') progress.push(payload as OperationProgress);
      if (channel === 'operations.finished' && (payload as OperationOutcome).operationId === operationId()) {
        resolve(payload as OperationOutcome);
      }
    });
  });
  return { progress, outcome };
}

describe('deleting files and folders', () => {
  it('deletes a folder of 1,200 objects recursively in batches, with progress, and keeps the rest', async () => {
    const bucket = await freshBucket(s3);
    cleanups.push(bucket);
    await fill(bucket.name, 'doomed/', 1_200);
    await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'loose.txt', Body: 'x' }));
    await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'kept/keep.txt', Body: 'x' }));
    await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: 'doomed-not/keep.txt', Body: 'x' }));

    const current: { id?: string } = {};
    const tracked = track(() => current.id);
    const started = await call('objects.delete', { bucket: bucket.name, keys: ['doomed/', 'loose.txt'] });
    if (!started.ok) throw new Error(started.error.message);
    const id = (started.value as { operationId: string }).operationId;
    current.id = id;
    const outcome = await tracked.outcome;

    expect(outcome).toMatchObject({ state: 'finished', done: 1_201, failedCount: 0, summary: 'Deleted 1201 objects.' });
    expect((await keysIn(bucket.name)).sort()).toEqual(['doomed-not/keep.txt', 'kept/keep.txt']);
    const mine = tracked.progress.filter((p) => p.operationId === id);
    expect(mine.some((p) => p.total === 1_201)).toBe(true);
    expect(mine.at(-1)).toMatchObject({ state: 'finished', done: 1_201 });
  });

  it('stops when cancelled and says how far it got', async () => {
    const bucket = await freshBucket(s3);
    cleanups.push(bucket);
    await fill(bucket.name, 'many/', 3_000);
    const current: { id?: string } = {};
    const tracked = track(() => current.id);
    const started = await call('objects.delete', { bucket: bucket.name, keys: ['many/'] });
    if (!started.ok) throw new Error(started.error.message);
    const id = (started.value as { operationId: string }).operationId;
    current.id = id;
    // Cancel at once: the operation is still counting the folder, and must stop there.
    expect(await callRaw('operations.cancel', { operationId: id })).toEqual({ ok: true, value: { cancelled: true } });
    const outcome = await tracked.outcome;
    expect(outcome.state).toBe('cancelled');
    expect(outcome.summary).toMatch(/^Cancelled/);
    const left = (await keysIn(bucket.name)).length;
    expect(left).toBeGreaterThan(0);
    expect(left + outcome.done).toBe(3_000);
  });

  it('refuses an empty selection', async () => {
    expect(await call('objects.delete', { bucket: 'any-bucket', keys: [] })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringMatching(/Select something/) },
    });
  });
});
