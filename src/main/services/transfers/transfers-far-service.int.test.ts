/**
 * A service far away: MinIO behind a relay that adds 100 ms to every round trip
 * (test/delay-proxy.ts). A small file's time is then its round trip, and the queue runs more
 * of them at once than the 64 it runs near a service (see parallelLimits and round-trips.ts).
 * In a file of its own: the round trip its clients saw lasts a minute.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { startDelayProxy, type DelayProxy } from '../../../../test/delay-proxy';
import { freshBucket, s3ClientFor, type FreshBucket } from '../../../../test/s3-fixtures';
import { objectBytes, writeSmallFile } from '../../../../test/transfer-files';
import { startTransferServices, type TestTransferServices } from '../../../../test/transfer-services';

const s3 = inject('s3');
const FILES = 300;

let bucket: FreshBucket;
let client: S3Client;
let relay: DelayProxy;
let work: string;
let transfers: TestTransferServices;

beforeAll(async () => {
  bucket = await freshBucket(s3);
  client = s3ClientFor(s3);
  const { hostname, port } = new URL(s3.endpoint);
  relay = await startDelayProxy({ host: hostname, port: Number(port) }, 100);
  work = await mkdtemp(join(tmpdir(), 's3fm-far-'));
  transfers = await startTransferServices({
    endpoint: relay.endpoint,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    account: { provider: 'minio' },
  });
});

afterAll(async () => {
  await transfers?.dispose();
  await relay?.close();
  client?.destroy();
  await bucket?.cleanup();
  if (work) await rm(work, { recursive: true, force: true });
});

/** The most of a batch's transfers seen running at once, and its outcome. */
async function mostAtOnce(batchId: string): Promise<number> {
  let most = 0;
  while (!transfers.batches.some((b) => b.batchId === batchId)) {
    const running = transfers.batchSnapshots(batchId).filter((s) => s.state === 'running' || s.state === 'retrying');
    most = Math.max(most, running.length);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return most;
}

describe('small files to a service 100 ms away', () => {
  test('run more than 64 at once once the round trip is known, and every one lands whole', async () => {
    const folder = join(work, 'far');
    const digests = new Map<string, string>();
    for (let i = 0; i < FILES; i += 1) {
      const bytes = Buffer.from(`file ${i} `.repeat(200 + i));
      await writeSmallFile(join(folder, `f${i}.txt`), bytes);
      digests.set(`far/f${i}.txt`, createHash('sha256').update(bytes).digest('hex'));
    }
    const { batchId } = await transfers.call<{ batchId: string }>('transfers.upload', {
      bucket: bucket.name,
      prefix: '',
      source: { kind: 'paths', paths: [folder] },
      onConflict: 'replace',
    });
    const most = await mostAtOnce(batchId);
    expect(await transfers.batchFinished(batchId)).toMatchObject({ finished: FILES, failed: 0 });
    // The first 64 open their connections; the next ones, on connections kept, say the round
    // trip (about 100 ms: 250 at once), and the queue starts more.
    expect(most).toBeGreaterThan(64);
    expect(most).toBeLessThanOrEqual(256);
    for (const [key, digest] of digests) {
      const stored = await objectBytes(client, bucket.name, key);
      expect(createHash('sha256').update(stored).digest('hex'), key).toBe(digest);
    }
  }, 120_000);
});
