/**
 * A service far away: MinIO behind a relay that adds 100 ms to every round trip
 * (test/delay-proxy.ts). A small file's time is then its round trip, and the queue runs more
 * of them at once than the 64 it runs near a service (see parallelLimits and round-trips.ts),
 * whether the app's own kept connections carry them or the SDK does (on AWS every one; elsewhere
 * a file with metadata), whose agents time the requests on their kept sockets (s3-client.ts).
 * Each upload has transfer services of its own: their clients, whose round trips these are, have
 * seen no request before it.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadBucketCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { startDelayProxy, type DelayProxy } from '../../../../test/delay-proxy';
import { freshBucket, s3ClientFor, type FreshBucket } from '../../../../test/s3-fixtures';
import { objectBytes, writeSmallFile } from '../../../../test/transfer-files';
import { startTransferServices, type TestTransferServices } from '../../../../test/transfer-services';
import { listObjectsPage } from '../s3/list-objects';
import { createRoundTrips, roundTripsOf, type RoundTrips } from '../s3/round-trips';
import { createS3Client } from '../s3/s3-client';

const s3 = inject('s3');
const FILES = 300;
const ROUND_TRIP_MS = 100;

let bucket: FreshBucket;
let client: S3Client;
let relay: DelayProxy;
let work: string;
const started: TestTransferServices[] = [];

beforeAll(async () => {
  bucket = await freshBucket(s3);
  client = s3ClientFor(s3);
  const { hostname, port } = new URL(s3.endpoint);
  relay = await startDelayProxy({ host: hostname, port: Number(port) }, ROUND_TRIP_MS);
  work = await mkdtemp(join(tmpdir(), 's3fm-far-'));
});

afterAll(async () => {
  for (const transfers of started) await transfers.dispose();
  await relay?.close();
  client?.destroy();
  await bucket?.cleanup();
  if (work) await rm(work, { recursive: true, force: true });
});

/** Transfer services of their own for the service behind the relay. */
async function farTransfers(): Promise<TestTransferServices> {
  const transfers = await startTransferServices({
    endpoint: relay.endpoint,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    account: { provider: 'minio' },
  });
  started.push(transfers);
  return transfers;
}

/** A client of the service behind the relay, its round trips into `roundTrips` when given. */
function farClient(roundTrips?: RoundTrips): S3Client {
  return createS3Client(
    {
      endpoint: relay.endpoint,
      region: s3.region,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    },
    roundTrips,
  );
}

/**
 * Uploads FILES small files (under `folderName`, with the upload's `options`) through the
 * relay; resolves with the most seen running at once, once every one finished.
 */
async function uploadFar(
  transfers: TestTransferServices,
  folderName: string,
  options?: Record<string, unknown>,
): Promise<{ most: number; digests: Map<string, string> }> {
  const folder = join(work, folderName);
  const digests = new Map<string, string>();
  for (let i = 0; i < FILES; i += 1) {
    const bytes = Buffer.from(`file ${i} `.repeat(200 + i));
    await writeSmallFile(join(folder, `f${i}.txt`), bytes);
    digests.set(`${folderName}/f${i}.txt`, createHash('sha256').update(bytes).digest('hex'));
  }
  const { batchId } = await transfers.call<{ batchId: string }>('transfers.upload', {
    bucket: bucket.name,
    prefix: '',
    source: { kind: 'paths', paths: [folder] },
    onConflict: 'replace',
    ...(options ? { options } : {}),
  });
  let most = 0;
  while (!transfers.batches.some((b) => b.batchId === batchId)) {
    const running = transfers.batchSnapshots(batchId).filter((s) => s.state === 'running' || s.state === 'retrying');
    most = Math.max(most, running.length);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  expect(await transfers.batchFinished(batchId)).toMatchObject({ finished: FILES, failed: 0 });
  return { most, digests };
}

/** Every object is the bytes that were sent. */
async function expectStored(digests: Map<string, string>): Promise<void> {
  for (const [key, digest] of digests) {
    const stored = await objectBytes(client, bucket.name, key);
    expect(createHash('sha256').update(stored).digest('hex'), key).toBe(digest);
  }
}

describe('small files to a service 100 ms away', () => {
  test('run more than 64 at once once the round trip is known, and every one lands whole', async () => {
    const { most, digests } = await uploadFar(await farTransfers(), 'far');
    // The first 64 open their connections; the next ones, on connections kept, say the round
    // trip (about 100 ms: 250 at once), and the queue starts more.
    expect(most).toBeGreaterThan(64);
    expect(most).toBeLessThanOrEqual(256);
    await expectStored(digests);
  }, 120_000);
});

describe("the SDK's requests to a service 100 ms away", () => {
  test('tell the round trip from kept sockets only', async () => {
    const roundTrips = createRoundTrips();
    const far = farClient(roundTrips);
    try {
      await far.send(new HeadBucketCommand({ Bucket: bucket.name }));
      // The first went on a new socket: its time includes connecting, and is not taken.
      expect(roundTrips.floor()).toBeUndefined();
      for (let i = 0; i < 3; i += 1) await far.send(new HeadBucketCommand({ Bucket: bucket.name }));
      const floor = roundTrips.floor();
      expect(floor).toBeGreaterThanOrEqual(ROUND_TRIP_MS - 1);
      expect(floor).toBeLessThan(ROUND_TRIP_MS + 400);
    } finally {
      far.destroy();
    }
  });

  test("a folder's listing tells it too, before any transfer", async () => {
    const far = farClient();
    try {
      const page = { bucket: bucket.name, prefix: '', recursive: false, pageSize: 1000 };
      // Listed beside the SDK (lean-requests.ts) over the same agents: the second on a kept socket.
      await listObjectsPage(far, page);
      await listObjectsPage(far, page);
      expect(roundTripsOf(far).floor()).toBeGreaterThanOrEqual(ROUND_TRIP_MS - 1);
    } finally {
      far.destroy();
    }
  });

  test('run more than 64 small files with metadata at once, on sockets of their own, and every one lands whole', async () => {
    const transfers = await farTransfers();
    const connectionsBefore = relay.connections();
    // Metadata sends each PUT through the SDK (upload-runner.ts, leanPutFor).
    const { most, digests } = await uploadFar(transfers, 'far-sdk', { metadata: { origin: 'far-test' } });
    expect(most).toBeGreaterThan(64);
    expect(most).toBeLessThanOrEqual(256);
    // The agents opened sockets for them (at 64 a host, the rest would only wait for one).
    expect(relay.connections() - connectionsBefore).toBeGreaterThan(100);
    await expectStored(digests);
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket.name, Key: 'far-sdk/f0.txt' }));
    expect(head.Metadata).toEqual({ origin: 'far-test' });
  }, 120_000);
});
